"""Parallel structures: 排比, 对偶, enumerations (一是/二是) and heading frameworks.

:func:`find_parallelisms` reads any text and returns :class:`Parallelism`
objects whose branches are ``(start, end)`` character offsets into that text,
with leading and trailing punctuation and spaces trimmed.

Four detectors feed one list:

* heading frameworks -- paragraphs opening with 一、二、三、 or （一）（二）
  in sequence; a branch is the heading's first sentence, enumerator dropped;
* enumerations -- units opening with 一是/二是, 第一/第二, 首先/其次/最后 in
  sequence; a branch runs from the enumerator to the next 。！？；;
* aligned units -- adjacent units at three granularities (phrases joined
  by 、, clauses joined by ，, segments ended by ；。！？) that share anchor
  words in the same order, open alike and have a similar length and shape;
  runs of such units become parallelisms;
* compound units -- in official prose, units of two or three clauses
  compared with the next unit of the same size (是一种…，更是一种…；是一份…，
  更是一份…);
* official-prose rules (on when the text has a 一、/一是 framework):
  anchored clause pairs, runs of twin clauses, ；-joined segments opening
  with one frame (X上，…；Y上，…), correlative pairs (一方面…，另一方面…);
* nesting -- a parallelism lying inside one branch of another gets
  ``level`` one deeper.

Adjacent units are scored by a logistic regression over pair features
(:data:`FEATURES`); the weights in :class:`Params` are reproduced by
``python -m analysis.evaluate fit ../shared/eval/pse-i/training.jsonl``
(see :func:`analysis.evaluate.fit_pair_weights`). A run of two units needs a
higher mean score (``min_sim_pair``) than longer runs (``min_sim``). Most
adjacent pairs are plainly not parallel, so their scores are first bounded
from above for the whole document at once in numpy (:func:`_pair_bounds`);
only a pair that can reach a run's floor gets its exact features, the
weighted LCS of its words last (:func:`_lcs_bound`). The result is the same as
scoring every pair (tested), at a fraction of the cost.

In essay prose (no 一、/一是 framework) a second stage decides instead: runs
are formed at several pair-score thresholds (``run_thresholds``), so one
stretch yields candidates of several extents; each is scored as a whole by a
second logistic regression over :data:`RUN_FEATURES` (branch count, mean, min
and neighbouring pair scores, shared opening and ending, length spread,
branches closed by ？ or ！, mean pair features, how the branches fill the
slots between the words they all share, the word they open with …),
averaged with boosted trees over the same features
(fitted by scikit-learn, stored as plain arrays, :func:`_tree_logit`); runs
under ``keep`` are dropped (three or more clauses opening alike excepted,
:func:`_anaphora_floor`), and the selection keeps the best-scored of
overlapping ones. ``run_weights`` and ``run_trees`` are reproduced by the
same ``fit`` command (pair scores cross-fitted over five folds of the
training essays, see :func:`analysis.evaluate.run_examples`); ``keep`` was
chosen by ``python -m analysis.evaluate cv ../shared/eval/pse-i/training.jsonl``.

The template keeps the tokens every branch shares (in order) and turns what
lies between them into slots 〈A〉〈B〉…; the family is the template with the
slot letters unified and punctuation normalised, so one frame counts as one
family across documents.
"""
from __future__ import annotations

import bisect
import math
import operator
import re
from dataclasses import dataclass, field, replace
from typing import Optional, Sequence

import numpy as np

from analysis.numbering import match_enumerator
from analysis.segment import Segmenter, get_segmenter

__all__ = ["Parallelism", "find_parallelisms", "trim_span", "PUNCT"]

# Characters trimmed from both ends of a branch (the scorer trims the same set).
PUNCT = set("，。；：、！？…—“”‘’（）《》〈〉「」『』,.;:!?()[]\"' \u3000\n\t·-")

SENTENCE_END = set("。！？!?…\n")
SEGMENT_END = set("；;")
CLAUSE_END = set("，,：:")
LIST_SEP = set("、")
_OPEN_CLOSE = {"“": "”", "《": "》", "（": "）", "(": ")", "「": "」", "『": "』", "‘": "’"}
_MAX_QUOTE = 40          # an opening quote protects its content only if it closes this soon

# Strength of a boundary: 0 list (、), 1 clause (，：), 2 segment (；), 3 sentence (。！？ and paragraph end).
_STRENGTH = {**{c: 0 for c in LIST_SEP}, **{c: 1 for c in CLAUSE_END},
             **{c: 2 for c in SEGMENT_END}, **{c: 3 for c in SENTENCE_END}}

_STRENGTH_IN = frozenset(_STRENGTH)
_MARKS = re.compile("[" + re.escape("".join(_OPEN_CLOSE) + "".join(_STRENGTH)) + "]")

SLOT_NAMES = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# Function words: shared, they say little about a common frame.
_WEAK = set("的 了 着 地 得 和 与 及 或 在 是 有 也 都 就 还 又 而 并 把 被 让 使 对 从 为 以 等 中 上 下 这 那 我 你 他 她 它 我们 你们 他们 要 不 没有 一个 一种".split())


@dataclass
class Parallelism:
    """A parallel structure: its branches, their shared frame and what fills it.

    ``branches`` are ``(start, end)`` offsets into the analysed text, end
    exclusive, punctuation-trimmed. ``template`` keeps the shared anchor words
    and marks slots 〈A〉〈B〉…; ``fillers[i]`` lists what fills each slot in
    branch *i*. ``family`` groups the same frame across documents. ``level``
    is 0 at top level and one more for each branch it lies inside.
    """

    kind: str                                   # phrase, clause, sentence, enumeration, heading
    branches: list[tuple[int, int]]
    template: str = ""
    fillers: list[list[str]] = field(default_factory=list)
    family: str = ""
    level: int = 0
    score: float = 0.0

    @property
    def start(self) -> int:
        return self.branches[0][0]

    @property
    def end(self) -> int:
        return self.branches[-1][1]

    def texts(self, text: str) -> list[str]:
        """The branch strings, in order."""
        return [text[s:e] for s, e in self.branches]


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``(start, end)`` past leading and trailing punctuation and spaces."""
    while start < end and text[start] in PUNCT:
        start += 1
    while end > start and text[end - 1] in PUNCT:
        end -= 1
    return start, end


# --------------------------------------------------------------------------- units

@dataclass
class _Piece:
    start: int
    end: int
    strength: int   # strength of the boundary that ends this piece


def _pieces(text: str, start: int, end: int) -> list[_Piece]:
    """Split ``text[start:end]`` at every delimiter outside short quotes/brackets."""
    out: list[_Piece] = []
    i = cur = start
    while i < end:
        m = _MARKS.search(text, i, end)      # skip straight to the next quote or boundary mark
        if m is None:
            break
        i = m.start()
        ch = text[i]
        close = _OPEN_CLOSE.get(ch)
        if close is not None:
            j = text.find(close, i + 1, min(end, i + 1 + _MAX_QUOTE))
            if j != -1:
                i = j + 1
                continue
        st = _STRENGTH.get(ch)
        if st is not None:
            j = i + 1
            while j < end and text[j] in _STRENGTH:   # runs such as …… or ？！ or 。”
                st = max(st, _STRENGTH[text[j]])
                j += 1
            if j < end and text[j] in "”’」』" :
                j += 1
            s, e = trim_span(text, cur, i)
            if e > s:
                out.append(_Piece(s, e, st))
            elif out:
                out[-1].strength = max(out[-1].strength, st)
            cur = i = j
            continue
        i += 1
    s, e = trim_span(text, cur, end)
    if e > s:
        out.append(_Piece(s, e, 3))
    elif out:
        out[-1].strength = 3
    return out


def _group(pieces: list[_Piece], min_strength: int) -> list[tuple[int, int, int]]:
    """Join pieces into units ending at boundaries of at least ``min_strength``.

    Returns ``(start, end, strength_of_end)`` triples.
    """
    units = []
    first = None
    for p in pieces:
        if first is None:
            first = p.start
        if p.strength >= min_strength:
            units.append((first, p.end, p.strength))
            first = None
    if first is not None:
        units.append((first, pieces[-1].end, 3))
    return units


# --------------------------------------------------------------------------- similarity

class _Tokens:
    """Tokens of one paragraph, looked up by character range."""

    def __init__(self, seg: Segmenter, text: str, start: int, end: int):
        self.start = start
        words, starts, ends = list(zip(*seg.tokens(text[start:end]))) or [(), (), ()]
        self.words = list(words)
        self.starts = [s + start for s in starts]
        self.ends = [e + start for e in ends]
        self._cache: dict[tuple[int, int], list[tuple[str, int, int]]] = {}
        self._words: dict[tuple[int, int], tuple[str, ...]] = {}
        self._marks: dict[tuple[int, int], tuple[int, int]] = {}

    def _range(self, s: int, e: int) -> tuple[int, int]:
        i = bisect.bisect_left(self.starts, s)
        return i, bisect.bisect_right(self.ends, e, lo=i)

    def slice(self, s: int, e: int) -> list[tuple[str, int, int]]:
        """``(word, start, end)`` of the words lying wholly inside ``[s, e)`` (a fresh list)."""
        # each unit is looked up by the pair before it and the pair after it, at several granularities
        key = (s, e)
        out = self._cache.get(key)
        if out is None:
            i, j = self._range(s, e)
            out = self._cache[key] = list(zip(self.words[i:j], self.starts[i:j], self.ends[i:j]))
        return list(out)

    def marks(self, s: int, e: int, unit: str) -> tuple[int, int]:
        """How many boundary marks (、，；。 …) the unit ``unit`` at ``[s, e)`` holds, and how many
        characters of it are not punctuation (each unit is compared twice: once with each neighbour)."""
        key = (s, e)
        out = self._marks.get(key)
        if out is None:
            out = self._marks[key] = (sum(map(unit.count, _STRENGTH_IN.intersection(unit))),
                                      len(unit) - sum(map(unit.count, PUNCT.intersection(unit))))
        return out

    def first_word_len(self, s: int, e: int) -> int:
        """Length of the first word lying wholly inside ``[s, e)`` (0: none); no tuple is built."""
        i = bisect.bisect_left(self.starts, s)
        return len(self.words[i]) if i < len(self.ends) and self.ends[i] <= e else 0

    def words_in(self, s: int, e: int) -> tuple[str, ...]:
        """The words lying wholly inside ``[s, e)``, as a shared tuple."""
        key = (s, e)
        out = self._words.get(key)
        if out is None:
            i, j = self._range(s, e)
            out = self._words[key] = tuple(self.words[i:j])
        return out


def _wt(w: str) -> float:
    if w in PUNCT:
        return 0.5
    if w in _WEAK or (len(w) == 1 and not w.isalnum()):
        return 0.5 * len(w)
    return float(len(w))


def _lcs(a: Sequence[str], b: Sequence[str]) -> tuple[float, list[tuple[int, int]]]:
    """Weighted longest common subsequence of two token lists; returns weight and matched index pairs."""
    n, m = len(a), len(b)
    if n == 0 or m == 0:
        return 0.0, []
    common = set(a).intersection(b)
    if not common:
        return 0.0, []
    if len(common) * 2 < n + m:
        # tokens absent from the other list never match: align only the shared ones (same weight, far smaller table)
        ia = [i for i, w in enumerate(a) if w in common]
        ib = [j for j, w in enumerate(b) if w in common]
        if len(ia) < n or len(ib) < m:
            weight, pairs = _lcs([a[i] for i in ia], [b[j] for j in ib])
            return weight, [(ia[i], ib[j]) for i, j in pairs]
    dp = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, nxt = dp[i], dp[i + 1]
        ai = a[i]
        for j in range(m - 1, -1, -1):
            if ai == b[j]:
                row[j] = nxt[j + 1] + _wt(ai)
            else:
                row[j] = nxt[j] if nxt[j] >= row[j + 1] else row[j + 1]
    pairs = []
    i = j = 0
    while i < n and j < m:
        if a[i] == b[j] and dp[i][j] == dp[i + 1][j + 1] + _wt(a[i]):
            pairs.append((i, j))
            i += 1
            j += 1
        elif dp[i + 1][j] >= dp[i][j + 1]:
            i += 1
        else:
            j += 1
    return dp[0][0], pairs


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _common_suffix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[-1 - i] == b[-1 - i]:
        i += 1
    return i


@dataclass
class Params:
    """Thresholds of the aligned-unit detector (tuned on the PSE-I training essays).

    ``weights`` come from :func:`analysis.evaluate.fit_pair_weights` on the
    training split (``python -m analysis.evaluate fit …``); ``min_sim`` and
    ``min_sim_pair`` were then chosen by the end-to-end training scores.
    ``run_weights`` (the run scorer, :data:`RUN_FEATURES`; empty: off) and
    ``run_trees`` (:func:`analysis.evaluate.fit_trees`, averaged with it;
    empty: logistic regression alone) come from the same command, and
    ``keep`` from its cross-validation
    (:func:`analysis.evaluate.cross_validate_runs`).
    """

    min_sim: float = 0.25
    rules: Optional[bool] = None  # hand rules for official prose (anchored pairs, runs of twins); None: when the text has 一、/一是 frameworks
    rule_score: float = 0.5
    frame_score: float = 0.9      # ；-joined segments opening with one frame (X上，…；Y上，…)
    max_unit: int = 90            # longer units are never compared (keeps long paragraphs linear)
    min_len_ratio: float = 0.34
    prefix_weight: float = 0.5
    suffix_weight: float = 0.2
    phrase_max: int = 12          # 、 list items longer than this are not phrase lists
    compound: Optional[bool] = None  # compare units of two and three clauses too; None: with the official-prose rules
    min_sim_pair: float = 0.4     # a run of only two units needs this mean score
    compound_factor: float = 0.8  # compound runs yield to clause and segment runs they cross
    run_thresholds: tuple = (0.1, 0.2, 0.3, 0.45, 0.6)   # essay prose: runs at each of these pair scores
    run_weights: tuple = (-5.74, -0.80, 0.22, 2.11, -0.14, -0.90, 1.25, -0.19, -0.16, 0.12, 0.15, 0.00, 0.61, 1.00, -0.82, 0.19, 0.37, -0.91, -0.27, -1.07, -1.36, 0.28, -0.01, -1.86, -0.01, 0.31, -0.61, 1.84, 0.76, 0.49, 2.48, -0.71, 0.36, -0.32, 0.35, 0.13, 0.15, 0.61, 1.00, -1.62, -0.11, -0.86, 0.22, -0.79, -0.24, -0.77, -1.43, 0.00, -0.19, 0.01, -0.47, 2.11, 0.51, 0.44, 0.29, 1.44, -0.48, 2.87, -3.62, 1.24, 0.19, 1.13, -1.16, 0.74, 0.62, 0.06, -0.38, -0.87, -0.31)
    run_trees: tuple = (   # essay prose: boosted trees averaged with run_weights (empty: logistic alone)
        0.008866,
        6, 6, 3, 28, 31, 15, 39, 0.637, 0.295, 0.9, 0.65, 0.90905, 0.2174, 0.3,
            -0.14324, -0.07717, -0.001244, -0.108457, 0.069023, -0.063821, 0.157948, 0.034558,
        6, 4, 6, 68, 14, 34, 50, 0.637, 0.251813, 0.84, 0.37, 0.895, 0.225431, 0.78,
            -0.052688, -0.12981, -0.005898, -0.109428, -0.106702, 0.069792, 0.147189, 0.070419,
        6, 4, 1, 14, 14, 39, 53, 0.637, 0.251813, 0.5, 0.88, 0.895, 0.3, 0.1,
            -0.097509, -0.152392, -0.005317, -0.099765, 0.133696, 0.022258, -0.023111, 0.075596,
        6, 6, 6, 27, 14, 34, 50, 0.637, 0.199, 0.84, 0.207, 0.895, 0.225431, 0.78,
            -0.135715, -0.080543, -0.013231, -0.104422, -0.102802, 0.056551, 0.126602, 0.056415,
        6, 6, 1, 61, 26, 39, 4, 0.637, 0.295, 0.5, 0.27, 0.206, 0.3, 0.891,
            -0.109918, -0.054387, -0.055021, 0.025071, 0.11655, 0.012675, -0.011714, 0.083309,
        6, 6, 6, 28, 14, 34, 14, 0.637, 0.199, 0.84, 0.8, 0.895, 0.225431, 0.594,
            -0.107703, -0.020364, -0.008491, -0.091825, -0.097391, 0.047016, -0.011024, 0.104854,
        6, 6, 1, 14, 26, 39, 53, 0.637, 0.31, 0.5, 0.89, 0.206, 0.3, 0.1,
            -0.065463, -0.127034, -0.048112, 0.028031, 0.103488, 0.004985, -0.032555, 0.054907,
        6, 27, 6, 62, 14, 40, 50, 0.4113, 0.207, 0.84, 0.6, 0.704, 0.6, 0.78,
            -0.042605, -0.123199, -0.076046, 0.01762, -0.010518, 0.089379, 0.099847, 0.031446,
        6, 6, 3, 57, 14, 61, 5, 0.637, 0.199, 0.9, 0.2581, 0.895, 0.2, 0.418,
            -0.101636, -0.046775, -0.002319, -0.078125, -0.048913, 0.038837, 0.014722, 0.096869,
        6, 57, 1, 62, 34, 5, 10, 0.4113, 0.19672131147540983, 0.5, 0.544, 0.2111111111111111, 0.3833, 0.5,
            -0.039928, -0.114434, 0.08178, -0.046031, 0.0122, 0.088385, -0.070203, 0.013278,
        6, 1, 14, 7, 57, 53, 15, 0.84, 0.5, 0.594, 0.0087, 0.26, 0.4, 0.2174,
            0.043193, -0.041102, -0.080214, -0.009636, -0.073304, 0.065843, 0.096025, 0.043625,
        6, 1, 50, 57, 61, 13, 53, 0.84, 0.5, 0.78, 0.143, 0.3, 0.5, 0.8,
            -0.035698, 0.040296, -0.071833, -0.004901, -0.071482, 0.086246, 0.040771, -0.081214,
        6, 28, 31, 68, 14, 53, 62, 0.4113, 0.6, 0.618, 0.37, 0.624, 0.2, 0.72,
            0.008556, -0.070391, -0.074899, 0.028129, -0.07377, 0.036394, 0.071475, 0.009219,
        1, 5, 57, 7, 14, 61, 14, 0.5, 0.3522, 0.26, 0.0087, 0.586, 0.37, 0.806,
            0.01929, -0.057014, -0.032591, 0.082746, -0.084404, 0.01458, -0.042303, 0.096675,
        6, 57, 50, 68, 53, 13, 53, 0.84, 0.143, 0.78, 0.45, 0.1, 0.5, 0.8,
            0.017372, -0.095687, -0.025634, 0.051633, -0.06559, 0.075682, 0.033398, -0.074438,
        1, 5, 57, 31, 39, 61, 53, 0.5, 0.3522, 0.19672131147540983, 0.94003, 0.3, 0.37, 0.1,
            0.010576, -0.095447, 0.077548, -0.025647, -0.08497, -0.014106, -0.034813, 0.044781,
        4, 30, 53, 15, 68, 14, 57, 0.2502, 0.681, 0.2, 0.48, 0.37, 0.61, 0.32,
            -0.120313, -0.009363, 0.035803, -0.045768, -0.066522, 0.0089, 0.008228, 0.100478,
        1, 15, 18, 53, 58, 61, 14, 0.5, 0.29, 0.065, 0.3, 0.0492, 0.27, 0.6,
            0.030147, 0.113443, -0.077038, 0.025001, -0.08692, 0.001361, -0.073451, 0.016483,
        1, 15, 61, 53, 58, 57, 14, 0.5, 0.29, 0.3, 0.1, 0.0492, 0.26, 0.6,
            0.026409, 0.107488, -0.070439, 0.022738, -0.072944, -0.004406, -0.072744, 0.036319,
        4, 30, 53, 15, 7, 4, 57, 0.2502, 0.681, 0.3, 0.48, 0.00167, 0.88, 0.225,
            -0.113392, -0.005642, -0.053539, -0.002081, -0.013654, 0.061961, -0.016951, 0.076215,
        1, 15, 18, 53, 32, 61, 14, 0.5, 0.29, 0.065, 0.3, 0.45, 0.27, 0.6,
            0.024732, 0.104079, 0.071478, -0.021883, -0.077102, -0.000262, -0.062872, 0.014589,
        14, 15, 62, 56, 0, 39, 57, 0.61, 0.5, 0.72, 0.07, 1000000000.0, 0.8, 0.26,
            -0.069977, -0.01481, 0.090135, 0.0, 0.043853, -0.089999, -0.044611, 0.023967,
        57, 68, 14, 8, 6, 58, 62, 0.142, 0.45, 0.61, 0.007223413034, 0.84, 0.182, 0.87,
            0.05428, -0.090422, -0.080712, 0.013744, 0.002221, -0.061329, 0.041139, -0.013212,
        4, 30, 53, 30, 14, 4, 57, 0.2502, 0.681, 0.3, 0.551, 0.89, 0.88, 0.32,
            -0.005985, -0.110396, -0.011953, -0.080451, -0.011452, 0.054356, 0.00207, 0.083007,
        1, 15, 61, 53, 57, 57, 10, 0.5, 0.29, 0.37, 0.3, 0.091, 0.26, 0.5,
            0.020575, 0.097503, -0.077278, 0.014787, -0.057818, -0.00331, -0.035496, 0.053875,
        1, 20, 18, 57, 5, 14, 57, 0.5, 0.5, 0.052, 0.11215, 0.107002401, 0.883, 0.54,
            -0.023027, 0.037433, 0.042154, -0.106234, -0.022287, -0.091637, 0.008188, -0.081582,
        14, 15, 62, 13, 0, 39, 57, 0.61, 0.5, 0.58, 0.5, 1000000000.0, 0.8, 0.143,
            -0.054435, 0.016748, 0.086291, 0.0, 0.046893, -0.099232, -0.069839, 0.004748,
        6, 61, 39, 8, 14, 8, 30, 0.199, 0.55, 0.3, 0.0475, 0.612, 0.0083, 0.8142,
            -0.057731, 0.073096, -0.03633, 0.088063, 0.030803, -0.017213, -0.086206, -0.017312,
        1, 7, 61, 31, 4, 57, 10, 0.5, 0.009813, 0.37, 0.934, 0.61721, 0.26, 0.5,
            0.039608, -0.066495, -0.050236, 0.026652, -0.05161, -0.001696, -0.030642, 0.047779,
        14, 15, 61, 67, 0, 25, 8, 0.61, 0.5, 0.3, 0.1, 1000000000.0, 0.6, 0.216,
            -0.032024, -0.095056, 0.079202, 0.0, -0.01352, 0.082518, 0.048008, -0.057299,
        4, 30, 8, 30, 7, 53, 48, 0.2502, 0.681, 0.0094, 0.551, 0.00167, 0.4, 0.073,
            0.001581, -0.104301, -0.039795, 0.010319, 0.004686, 0.06283, -0.066482, -0.002613,
        57, 68, 58, 8, 29, 57, 6, 0.142, 0.45, 0.254, 0.007223413034, 0.0, 0.32, 0.974,
            0.051983, -0.074292, -0.066282, 0.02972, 0.003844, 0.046356, -0.039892, 0.06889,
        39, 14, 14, 19, 62, 8, 15, 0.8, 0.61, 0.816, 0.5, 0.72, 0.09771, 0.194,
            -0.037184, 0.052858, 0.031541, -0.0124, -0.110139, -0.010568, 0.056411, -0.053058,
        1, 15, 18, 53, 32, 14, 57, 0.5, 0.27, 0.052, 0.3, 0.45, 0.883, 0.54,
            0.016607, 0.08773, 0.064372, -0.019371, -0.015064, -0.084995, 0.007763, -0.071167,
        39, 6, 30, 28, 8, 55, 30, 0.3, 0.199, 0.8142, 0.8, 0.0083, 0.1, 0.848,
            -0.040772, 0.03235, 0.02499, -0.013521, -0.097383, 0.025434, 0.098102, -0.032869,
        57, 31, 53, 68, 0, 26, 57, 0.142, 0.927, 0.1, 0.37, 1000000000.0, 0.115, 0.32,
            0.027616, -0.032177, -0.102445, 0.0, 0.073987, -0.011435, -0.001679, 0.066767,
        57, 57, 6, 31, 14, 34, 15, 0.524, 0.142, 0.968, 0.927, 0.689, 0.534, 0.125,
            -0.011064, -0.099978, -0.013846, 0.020478, 0.031611, -0.075845, 0.065251, -0.020706,
        39, 62, 14, 10, 57, 8, 26, 0.8, 0.87, 0.816, 0.5, 0.2625, 0.09771, 0.1795,
            -0.013759, 0.029718, -0.043153, 0.019405, -0.100914, -0.008917, -0.055575, 0.044506,
        68, 8, 29, 7, 58, 57, 26, 0.45, 0.0079243, 0.7, 0.032135, 0.09, 0.142, 0.291,
            0.068045, -0.020985, -0.1034, 0.066213, -0.047052, 0.007218, 0.003174, -0.095309,
        25, 15, 16, 62, 15, 4, 8, 0.6, 0.290323, 0.6, 0.91, 0.48, 0.43, 0.00813,
            0.016868, -0.025508, -0.042836, 0.032908, -0.080853, 0.006442, 0.123426, -0.01131,
        4, 58, 14, 57, 31, 44, 55, 0.96752, 0.254, 0.66, 0.32, 0.93442, 0.1, 0.8,
            -0.005116, 0.036806, -0.042827, 0.095035, -0.056888, 0.036225, 0.089838, 0.023425,
        1, 7, 61, 15, 6, 49, 31, 0.5, 0.009813, 0.4, 0.30435, 0.3426, 0.2, 0.824,
            0.047514, 0.004774, -0.078488, 0.003957, -0.029044, 0.044425, -0.005933, 0.085467,
        39, 14, 14, 15, 62, 60, 15, 0.8, 0.61, 0.816, 0.47, 0.58, 0.9, 0.194,
            -0.031507, 0.063123, 0.032788, -0.005396, -0.100524, -0.022157, 0.04962, -0.045336,
        25, 68, 16, 8, 14, 55, 8, 0.9, 0.45, 0.6, 0.0079243, 0.806, 0.25, 0.00813,
            0.049779, -0.03298, -0.02024, 0.010111, -0.078383, 0.003386, 0.124894, -0.010526,
        34, 8, 58, 62, 0, 57, 67, 0.127, 0.054, 0.254, 0.33, 1000000000.0, 0.32, 0.1,
            -0.001056, -0.103223, 0.097418, 0.0, -0.000204, 0.035746, -0.008115, -0.102078,
        39, 14, 30, 23, 48, 5, 31, 0.3, 0.689, 0.8142, 0.5, 0.11742424242424243, 0.4557, 0.815,
            -0.007394, -0.098693, -0.01104, 0.034689, -0.090773, 0.007608, -0.028059, 0.07534,
        4, 26, 14, 25, 44, 44, 55, 0.96752, 0.4815, 0.66, 0.9, 0.1, 0.1, 0.8,
            -0.001918, 0.063642, -0.098654, -0.0108, -0.052834, 0.03353, 0.086412, 0.019183,
        68, 31, 29, 14, 48, 57, 26, 0.45, 0.839, 0.7, 0.703, 0.015, 0.142, 0.291,
            -0.001035, 0.083627, -0.090184, 0.040167, -0.039317, 0.006331, 0.000355, -0.082973,
        20, 1, 5, 31, 61, 3, 34, 0.5, 0.5, 0.107002401, 0.708303336014054, 0.4, 0.9, 0.429,
            -0.011336, 0.030607, -0.02022, 0.011867, -0.033849, 0.043713, -0.100017, -0.023174,
        15, 48, 15, 62, 14, 14, 39, 0.290323, 0.065, 0.48, 0.91, 0.908, 0.69, 0.2,
            0.009746, -0.063347, 0.010153, 0.100105, -0.094681, -0.015631, 0.04874, -0.072316,
        29, 49, 22, 49, 45, 30, 6, 0.7, 0.2, 0.5, 0.091, 0.4, 0.9473684210526315, 0.558,
            0.00262, -0.037556, 0.080475, 0.007509, -0.082321, 0.008975, -0.044259, 0.048695,
        39, 7, 59, 14, 22, 8, 16, 0.8, 0.0087, 0.8, 0.949, 0.5, 0.09771, 0.9,
            0.014876, -0.041992, -0.034788, 0.035226, -0.096269, -0.00855, 0.044572, -0.063757,
        15, 31, 15, 13, 18, 18, 15, 0.290323, 0.6351, 0.48, 0.5, 0.065, 0.295, 0.55,
            -0.029147, 0.027601, -0.011582, 0.029589, -0.016026, -0.102133, 0.069049, -0.017935,
        40, 28, 57, 55, 25, 14, 14, 0.4, 0.65, 0.231, 0.145, 0.9, 0.895, 0.6,
            -0.033926, 0.010224, 0.001317, 0.086959, 0.020363, -0.091427, -0.042461, 0.063148,
        39, 20, 25, 29, 5, 14, 18, 0.8, 0.5, 0.1, 0.7, 0.107002401, 0.816, 0.262,
            0.007079, -0.029458, 0.008959, -0.082777, -0.091861, -0.023344, 0.05323, -0.031864,
        34, 8, 34, 14, 0, 17, 53, 0.127, 0.054, 0.254303, 0.73, 1000000000.0, 0.1, 0.2,
            -0.003204, -0.100957, 0.094272, 0.0, 0.037025, -0.040542, -0.015713, 0.022916,
        1, 34, 58, 0, 31, 58, 34, 0.5, 0.123, 0.3157894736842105, 1000000000.0, 0.708303336014054, 0.3, 0.74,
            -0.083613, 0.0, -0.009889, 0.028268, -0.007648, 0.082434, -0.059974, 0.031165,
        4, 58, 14, 57, 31, 44, 58, 0.96752, 0.254, 0.66, 0.316, 0.93442, 0.1, 0.182,
            -0.004456, 0.028844, -0.03311, 0.086378, -0.049309, 0.030518, 0.01291, 0.082175,
        15, 48, 15, 14, 14, 18, 39, 0.290323, 0.065, 0.48, 0.863, 0.908, 0.295, 0.2,
            0.009438, -0.058123, 0.00831, 0.086172, -0.014991, -0.094463, 0.04232, -0.067152,
        39, 62, 59, 10, 57, 8, 16, 0.8, 0.72, 0.8, 0.5, 0.13, 0.09771, 0.9,
            -0.009213, 0.028804, -0.055641, -0.003798, -0.090963, -0.006553, 0.039894, -0.056895,
        8, 61, 57, 15, 53, 34, 57, 0.216, 0.3, 0.27777777777777773, 0.48, 0.2, 0.233, 0.44,
            -0.012285, 0.034827, -0.001129, 0.062482, -0.05771, 0.044606, -0.077692, -0.007289,
        25, 50, 16, 62, 12, 55, 8, 0.9, 0.9, 0.6, 0.87, 0.5, 0.25, 0.00813,
            0.017084, -0.017432, -0.030769, 0.007959, -0.073691, 0.001455, 0.105721, -0.019592,
        20, 1, 5, 34, 58, 3, 57, 0.5, 0.5, 0.107002401, 0.16, 0.0233, 0.9, 0.3913043478260869,
            -0.053386, 0.018477, 0.025832, -0.012973, -0.033599, 0.042731, -0.085496, -0.010674,
        58, 49, 18, 49, 12, 8, 4, 0.471, 0.174, 0.72, 0.091, 0.5, 0.02642, 0.7925,
            0.002912, -0.049609, 0.007506, 0.078584, -0.094079, -0.001439, -0.028632, 0.041228,
        4, 8, 8, 62, 57, 40, 34, 0.2612, 0.054, 0.0094, 0.33, 0.2034, 0.6, 0.152,
            0.011471, -0.035041, 0.116967, -0.026271, 0.006627, 0.062547, 0.09238, -0.024082,
        34, 8, 34, 62, 0, 14, 26, 0.127, 0.054, 0.254303, 0.33, 1000000000.0, 0.895, 0.206641124,
            0.001478, -0.091885, 0.086828, 0.0, 0.038696, -0.01935, -0.028839, 0.004761,
        57, 31, 34, 49, 0, 18, 1, 0.142, 0.927, 0.172414, 0.0, 1000000000.0, 0.092, 0.5,
            0.026354, -0.033431, -0.090865, 0.0, 0.121044, -0.035866, 0.014896, -0.008725,
        15, 31, 31, 28, 27, 16, 55, 0.290323, 0.6351, 0.761131, 0.8, 0.2, 0.6, 0.126,
            -0.025597, 0.028178, -0.006721, 0.026837, -0.010253, -0.105307, -0.013051, 0.080152,
        58, 57, 67, 62, 14, 8, 30, 0.254, 0.316, 0.1, 0.87, 0.806, 0.0094, 0.9412,
            0.00856, -0.023794, -0.004822, 0.106156, 0.014814, -0.046474, -0.109525, 0.007594,
        39, 6, 59, 16, 6, 8, 30, 0.8, 0.1562, 0.8, 0.9, 0.1672, 0.09771, 0.7891,
            -0.035858, 0.038352, 0.090604, 0.003015, -0.087685, -0.005109, -0.054357, 0.036722,
        20, 39, 26, 1, 30, 4, 18, 0.5, 0.3, 0.3171, 0.5, 0.8142, 0.0111, 0.4,
            0.017327, -0.003941, -0.057394, -0.002297, 0.012043, -0.082487, 0.054799, -0.050503,
        57, 57, 62, 58, 19, 18, 5, 0.524, 0.462, 0.5, 0.254, 0.5, 0.55, 0.1384,
            0.003539, -0.031154, 0.057966, -0.032715, 0.055011, -0.034498, 0.031002, -0.091403,
        25, 50, 16, 62, 8, 55, 8, 0.9, 0.9, 0.6, 0.33, 0.0076802, 0.25, 0.00813,
            0.031612, -0.002613, -0.034304, 0.002664, -0.070358, 0.000788, 0.097601, -0.016932,
        58, 57, 18, 31, 34, 8, 4, 0.471, 0.142, 0.72, 0.927, 0.172414, 0.02642, 0.7925,
            -0.005391, -0.088385, 0.07548, 0.002313, -0.088414, 0.00046, -0.024557, 0.040246,
        7, 14, 22, 14, 26, 28, 27, 0.009, 0.949, 0.5, 0.816, 0.237, 0.6, 0.135,
            -0.000787, 0.032204, -0.067013, 0.095714, -0.050498, 0.017312, 0.122405, 0.004853,
        15, 30, 15, 30, 48, 55, 39, 0.290323, 0.737, 0.48, 0.7143, 0.098, 0.244, 0.2,
            -0.017548, 0.086153, -0.015133, 0.011247, -0.01156, -0.084338, 0.037478, -0.060789,
        39, 29, 25, 49, 26, 14, 18, 0.8, 0.7, 0.1, 0.197, 0.291, 0.816, 0.262,
            -0.002214, 0.024564, 0.016106, -0.05545, -0.08194, -0.017276, 0.04523, -0.023316,
        20, 8, 49, 30, 26, 0, 7, 0.5, 0.0094, 0.059, 0.7891, 0.25915, 1000000000.0, 0.0573,
            -0.015698, 0.017831, 0.003792, -0.03984, -0.079616, 0.0, 0.048527, -0.052339,
        31, 31, 30, 14, 14, 0, 0, 1.06, 1.03, 0.747, 0.959, 1.024, 1000000000.0, 1000000000.0,
            0.000674, -0.052441, 0.094629, -0.043802, -0.066456, 0.0, -0.009827, 0.0,
        58, 58, 18, 25, 4, 8, 4, 0.471, 0.44, 0.72, 0.9, 0.2502, 0.02642, 0.7925,
            -0.001703, 0.043602, -0.01653, 0.092731, -0.084456, 0.001227, -0.023972, 0.038486,
        39, 6, 25, 18, 6, 14, 18, 0.8, 0.1562, 0.1, 0.197, 0.1672, 0.816, 0.262,
            -0.037274, 0.015636, 0.082702, 0.002411, -0.078518, -0.016651, 0.043251, -0.022557,
        4, 58, 14, 18, 67, 44, 55, 0.96752, 0.254, 0.66, 0.536, 0.1, 0.1, 0.8,
            0.004755, -0.075608, -0.008935, -0.082903, -0.04117, 0.022433, 0.076468, 0.001316,
        57, 31, 34, 49, 0, 18, 21, 0.142, 0.927, 0.172414, 0.0, 1000000000.0, 0.092, 0.5,
            0.02648, -0.032602, -0.086179, 0.0, 0.101825, -0.036593, -0.007133, 0.015637,
        68, 62, 15, 44, 27, 49, 15, 0.3, 0.75, 0.290323, 0.7, 0.2845, 0.030303030303030304, 0.48,
            0.081685, 0.001363, 0.038871, -0.040689, 0.019209, -0.006019, -0.024062, 0.017661,
        1, 49, 19, 30, 53, 62, 8, 0.5, 0.03125, 0.5, 0.773, 0.4, 0.68, 0.09771,
            -0.022573, 0.062363, -0.014107, 0.036882, 0.006659, -0.017642, -0.064065, -0.00053,
        57, 31, 34, 59, 0, 27, 1, 0.142, 0.927, 0.172414, 0.5, 1000000000.0, 0.148, 0.5,
            -0.014393, 0.078126, -0.084199, 0.0, 0.10841, -0.011232, 0.01358, -0.007786,
        20, 8, 49, 6, 8, 0, 55, 0.5, 0.0094, 0.059, 0.26005, 0.013413, 1000000000.0, 0.0,
            -0.01792, 0.014699, -0.053824, -0.002034, -0.077537, 0.0, 0.058616, -0.039478,
        31, 31, 15, 7, 57, 0, 0, 1.06, 1.03, 0.2174, 0.009, 0.181, 1000000000.0, 1000000000.0,
            0.004888, -0.014774, -0.017484, 0.1003, -0.009522, 0.0, -0.062569, 0.0,
        34, 8, 34, 26, 0, 17, 49, 0.127, 0.054, 0.254303, 0.043, 1000000000.0, 0.1, 0.174,
            0.013875, -0.081177, 0.077897, 0.0, 0.031076, -0.038072, -0.014271, 0.0128,
        48, 48, 12, 6, 18, 5, 34, 0.265, 0.2253, 0.5, 0.84, 0.127, 0.2048, 0.347,
            -0.006216, 0.035117, -0.016543, 0.087223, 0.015849, -0.026716, -0.040601, 0.066909,
        58, 58, 18, 25, 4, 8, 4, 0.471, 0.44, 0.72, 0.9, 0.2502, 0.02642, 0.5831,
            -0.001411, 0.040079, -0.01561, 0.088425, -0.078884, 0.000864, -0.025295, 0.034033,
        68, 62, 57, 44, 27, 31, 14, 0.3, 0.75, 0.142, 0.7, 0.2845, 0.927, 0.813,
            0.078749, 0.001345, 0.037163, -0.039437, -0.008374, -0.08207, -0.006626, 0.018586,
        40, 14, 57, 62, 57, 14, 7, 0.4, 0.81, 0.231, 0.23, 0.2625, 0.895, 0.0853,
            0.011652, -0.021115, -0.008695, 0.047378, 0.012577, -0.083627, 0.054387, -0.040408,
        4, 4, 14, 62, 27, 44, 55, 0.96752, 0.96, 0.66, 0.87, 0.337, 0.1, 0.8,
            0.005539, -0.010907, 0.036727, -0.101173, -0.03723, 0.020002, 0.074259, 0.000283,
        31, 31, 4, 14, 14, 0, 0, 1.06, 1.03, 0.59322344, 0.959, 1.024, 1000000000.0, 1000000000.0,
            0.000883, -0.04956, 0.081542, -0.041362, -0.064513, 0.0, -0.015222, 0.0,
        58, 26, 67, 8, 14, 8, 30, 0.254, 0.2683, 0.1, 0.00297, 0.806, 0.00384404, 0.9412,
            -0.017183, 0.011382, 0.004724, 0.086591, 0.019263, -0.028831, -0.092799, 0.010455,
        50, 62, 12, 8, 21, 8, 57, 0.7, 0.87, 0.5, 0.0272, 0.5, 0.043442, 0.325301205,
            0.021285, -0.054668, -0.038949, 0.027503, -0.045499, 0.006635, -0.021566, 0.065257,
        8, 8, 57, 34, 6, 34, 57, 0.216, 0.151, 0.2283, 0.127, 0.593, 0.233, 0.44,
            -0.041561, 0.002291, 0.071913, -0.001528, -0.046024, 0.064888, -0.053281, -0.001262,
        48, 48, 12, 6, 18, 5, 34, 0.265, 0.2253, 0.5, 0.8984, 0.127, 0.217, 0.347,
            -0.003674, 0.049234, -0.013585, 0.08086, 0.013511, -0.024916, -0.038431, 0.055149,
        68, 58, 29, 57, 62, 42, 22, 0.3, 0.1091, 0.62, 0.24242424242424243, 0.75, 0.54, 0.5,
            0.07664, 0.011746, 0.037067, -0.022568, -0.008407, 0.010473, -0.03972, 0.032999,
    )
    keep: float = 0.40            # essay prose: runs the run scorer puts under this are dropped
    weights: tuple = (-7.33, -0.92, -0.25, -0.24, -0.13, 3.01, -0.22, 0.69, 0.91, 2.17, 1.73, 1.18, -0.34, 2.50, -2.54, -1.17, -2.18, 1.15, -1.09, 0.51, -0.38, -1.07, 0.00, 1.45, 0.45, 0.02, 0.60, -0.36, 0.44, 1.17, 4.15, -1.72)


PARAMS = Params()


FEATURES = ("bias", "lcs_dice", "lcs_min", "prefix", "suffix", "len_ratio", "log_len", "same_shape",
            "first_token", "char_dice", "is_phrase", "is_segment", "gap_sentence", "gap_semicolon",
            "realigned", "no_edge", "identical", "anchors", "short", "token_pattern", "same_length",
            "short_twin", "is_compound", "pos_start", "pos_end", "same_gap", "quoted", "min_short",
            "para_lead", "tri_len", "tri_pos", "tri_both")


# Added to every upper bound of a pair's logit: the bounds sum in another order than _logistic,
# and rounding must never prune a pair.
_SLACK = 1e-6

# The pair features that need the weighted LCS of the two units' words; every other feature is
# known before it, so the LCS (the costliest step) runs only when the score can still reach the floor.
_LCS_FEATURES = tuple(FEATURES.index(n) for n in ("lcs_dice", "lcs_min", "anchors"))


class _Below:
    """What :func:`_features` returns when a pair's score provably stays under the floor it was given."""

    def __repr__(self) -> str:
        return "BELOW"


BELOW = _Below()


def _features(text: str, a: tuple[int, int], b: tuple[int, int], gap: int, level: int,
              toks: _Tokens, p: Params, gap_b: int = -1,
              around: Sequence[tuple[int, int]] = (), floor: Optional[float] = None):
    """Features of two adjacent units (``None`` when they cannot be branches of one parallelism).

    ``around`` holds the units just before ``a`` and just after ``b`` (when
    there are any): a third unit of the same shape makes a 排比 far likelier.
    With ``floor``, returns :data:`BELOW` instead of the features when even the
    best LCS could not lift the pair's score (:func:`_logistic` over
    ``p.weights``) to ``floor``; the features returned are the same either way.
    """
    pair = _aligned_pair(text, a, b, toks, p)
    if pair is None:
        return None
    a, sa, sb, cp, realigned = pair
    la, lb = len(sa), len(sb)
    ratio = min(la, lb) / max(la, lb)
    tri_len = tri_pos = 0.0
    for c in around:
        sc = text[c[0]:c[1]] if c[1] <= a[0] or c[0] >= b[1] else ""
        lens = (len(sa), len(sb), len(sc))
        if max(lens) > 30 or not sc:
            continue
        tl = float(max(lens) - min(lens) <= 1)
        tp = min(1.0, _positional3(sa, sb, sc) + _positional3(sa[::-1], sb[::-1], sc[::-1]))
        tri_len, tri_pos = max(tri_len, tl), max(tri_pos, tp)
    wa = toks.words_in(*a)
    wb = toks.words_in(*b)
    cs = _common_suffix(sa, sb)
    pre = min(cp, 4) / 4 if cp < min(la, lb) else 0.0
    suf = min(cs, 4) / 4 if cs < min(la, lb) else 0.0
    pattern = float(len(wa) == len(wb) and list(map(len, wa)) == list(map(len, wb)))
    (shape_a, chars_a), (shape_b, chars_b) = toks.marks(*a, sa), toks.marks(*b, sb)
    f = [1.0, 0.0, 0.0, pre, suf, ratio, math.log(max(la, lb)) / 4,
         float(shape_a == shape_b), float(bool(wa) and bool(wb) and wa[0] == wb[0]),
         _char_dice(sa, sb, chars_a + chars_b),
         float(level == 0), float(level == 2), float(gap == 3), float(gap == 2), realigned,
         float(cp == 0 and cs == 0), float(sa == sb), 0.0, float(max(la, lb) <= 4),
         pattern, float(la == lb), pattern * float(la == lb) * float(la <= 8), float(level >= 4),
         _positional(sa, sb), _positional(sa[::-1], sb[::-1]), float(gap_b == gap),
         float(not (_QUOTES.isdisjoint(sa) and _QUOTES.isdisjoint(sb))), float(min(la, lb) <= 6),
         float(a[0] == toks.start), tri_len, tri_pos, tri_len * tri_pos]
    if floor is not None and _lcs_bound(p.weights, f, wa, wb) < _logit(floor):
        return BELOW
    weight, pairs = _lcs(wa, wb)
    f[_LCS_FEATURES[0]] = 2 * weight / (la + lb)
    f[_LCS_FEATURES[1]] = weight / min(la, lb)
    f[_LCS_FEATURES[2]] = min(sum(1 for i, _ in pairs if wa[i] not in _WEAK and wa[i] not in PUNCT), 3) / 3
    return f


def _aligned_pair(text: str, a: tuple[int, int], b: tuple[int, int], toks: _Tokens, p: Params):
    """The two units as they are compared: ``(a, text of a, text of b, common prefix, realigned)``,
    ``a`` starting later when it carries lead-in words; ``None`` when they are too long or too unlike
    in length to be compared."""
    sa, sb = text[a[0]:a[1]], text[b[0]:b[1]]
    la, lb = len(sa), len(sb)
    if la == 0 or lb == 0 or la > p.max_unit or lb > p.max_unit:
        return None
    realigned = 0.0
    cp = _common_prefix(sa, sb)
    if cp < 2 and lb >= 3:
        # the first unit may carry lead-in words before the shared opening
        # (two characters, or one that is a word of its own in both units)
        i = sa.find(sb[:2], 1)
        if i <= 0 and toks.first_word_len(*b) == 1:
            i = _token_start_of(toks, a, sb[0])
        if i > 0 and la - i >= 2:
            a = (a[0] + i, a[1])
            sa = sa[i:]
            la = len(sa)
            cp = _common_prefix(sa, sb)
            realigned = 1.0
    if min(la, lb) / max(la, lb) < p.min_len_ratio:
        return None
    return a, sa, sb, cp, realigned


def _lcs_bound(weights: Sequence[float], f: Sequence[float], wa: Sequence[str], wb: Sequence[str]) -> float:
    """An upper bound of the pair's logit, given every feature but the LCS ones (zeros in ``f``).

    Both LCS shares lie in [0, 1] (the LCS weighs at most as many characters as
    the shorter unit holds); the anchors cannot outnumber the content words the
    two units share, counted with repeats. :data:`_SLACK` is added for rounding.
    """
    z = sum(map(operator.mul, weights, f)) + _SLACK
    for i in _LCS_FEATURES[:2]:
        z += max(weights[i], 0.0)
    w = weights[_LCS_FEATURES[2]]
    if w > 0:
        shared = set(wa).intersection(wb).difference(_WEAK).difference(PUNCT)
        z += w * min(sum(min(wa.count(x), wb.count(x)) for x in shared), 3) / 3 if shared else 0.0
    return z


def _logit(x: float) -> float:
    return math.log(x / (1.0 - x))


def _char_dice(a: str, b: str, total: int) -> float:
    """Dice overlap of the two strings' characters, counted with repeats, punctuation left out
    (``total``: how many characters of the two are not punctuation)."""
    common = sum(min(a.count(ch), b.count(ch)) for ch in set(a).intersection(b).difference(PUNCT))
    return 2 * common / (total or 1)


_QUOTES = set("“”‘’\"《》「」")


def _positional3(a: str, b: str, c: str) -> float:
    """Share of positions (from the start, over the shortest) where three strings agree on a non-punctuation character."""
    n = min(len(a), len(b), len(c))
    return sum(1 for x, y, z in zip(a, b, c) if x == y == z and x not in PUNCT) / n if n else 0.0


def _positional(a: str, b: str) -> float:
    """Share of positions (from the start, over the shorter string) where the two strings agree."""
    n = min(len(a), len(b))
    return sum(map(operator.eq, a, b)) / n if n else 0.0


def _token_start_of(toks: _Tokens, span: tuple[int, int], ch: str) -> int:
    """Offset within ``span`` of the first one-character token ``ch`` after its start (-1: none)."""
    for w, s, _ in toks.slice(*span)[1:]:
        if w == ch:
            return s - span[0]
    return -1


def _similarity(text: str, a: tuple[int, int], b: tuple[int, int], gap: int, level: int,
                toks: _Tokens, p: Params, gap_b: int = -1, around: Sequence[tuple[int, int]] = ()) -> float:
    """Probability-like score that two adjacent units are branches of one parallelism."""
    f = _features(text, a, b, gap, level, toks, p, gap_b, around)
    return _logistic(p.weights, f) if f is not None else 0.0


def _logistic(weights: Sequence[float], f: Sequence[float]) -> float:
    return _sigmoid(sum(map(operator.mul, weights, f)))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


# --------------------------------------------------------------------------- templates

def _template(text: str, branches: list[tuple[int, int]], seg: Segmenter) -> tuple[str, list[list[str]], str]:
    """Shared anchor tokens kept, the rest slotted: returns template, fillers, family."""
    toks = [[w for w, _, _ in seg.tokens(text[s:e])] for s, e in branches]
    anchors = _shared_words(toks)
    # Build a template with slots where any branch has a filler between anchors.
    # Slot positions: before anchor 0, between anchors, after last anchor.
    gaps = [set() for _ in range(len(anchors) + 1)]
    per_branch = [_fillers(t, anchors) for t in toks]
    for row in per_branch:
        for g, x in enumerate(row):
            if x:
                gaps[g].add(x)
    pieces: list[str] = []
    slot_gaps = [g for g in range(len(anchors) + 1) if gaps[g]]
    letters = {g: SLOT_NAMES[i % len(SLOT_NAMES)] for i, g in enumerate(slot_gaps)}
    fillers = [[] for _ in per_branch]
    for g in range(len(anchors) + 1):
        if g in letters:
            # characters every filler shares at its edges belong to the frame (规范化/科学化 -> 〈〉化)
            col = [row[g] for row in per_branch]
            head = _shared_edge(col, prefix=True)
            tail = _shared_edge([c[len(head):] for c in col], prefix=False)
            pieces.append(f"{head}〈{letters[g]}〉{tail}")
            for i, c in enumerate(col):
                fillers[i].append(c[len(head):len(c) - len(tail)])
        if g < len(anchors):
            pieces.append(anchors[g])
    template = "".join(pieces)
    family = _family(template)
    return template, fillers, family


def _shared_words(words: list[list[str]]) -> list[str]:
    """The words every list holds, in order (the weighted LCS folded over the lists)."""
    shared = words[0]
    for w in words[1:]:
        shared = [shared[i] for i, _ in _lcs(shared, w)[1]]
    return shared


def _fillers(words: list[str], anchors: list[str]) -> list[str]:
    """What ``words`` hold before, between and after the ``anchors`` (matched greedily in order)."""
    out = [""] * (len(anchors) + 1)
    k = 0
    for w in words:
        if k < len(anchors) and w == anchors[k]:
            k += 1
        else:
            out[k] += w
    return out


def _shared_edge(col: list[str], *, prefix: bool) -> str:
    """Longest prefix (or suffix) all strings share while leaving each at least one character."""
    if not col or any(not c for c in col):
        return ""
    edge = (_common_prefix if prefix else _common_suffix)
    n = min(len(c) for c in col) - 1
    for c in col[1:]:
        n = min(n, edge(col[0], c))
    if n <= 0:
        return ""
    return col[0][:n] if prefix else col[0][len(col[0]) - n:]


_PUNCT_NORM = str.maketrans({"；": "，", ";": "，", ",": "，", "：": "，", ":": "，", "。": "，",
                             "！": "，", "？": "，", "!": "，", "?": "，"})


def _family(template: str) -> str:
    fam = re.sub(r"〈[A-Z]〉", "〈〉", template).translate(_PUNCT_NORM)
    fam = re.sub(r"(〈〉)+", "〈〉", fam)
    fam = re.sub(r"[\s\u3000]+", "", fam)
    return fam


# --------------------------------------------------------------------------- detectors

def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _first_sentence(text: str, start: int, end: int, stops: str = "。！？!?") -> int:
    for i in range(start, end):
        if text[i] in stops:
            return i
    return end


_HEADING_STYLES = ("cn-comma", "cn-paren", "num-dot", "num-paren", "circled")


def _headings(text: str, paras: list[tuple[int, int]]) -> list[Parallelism]:
    """Heading frameworks: numbered paragraphs of one style counting up 1, 2, 3 …"""
    open_groups: dict[str, list] = {}
    level_of: dict[str, int] = {}
    done: list[list[tuple[int, int]]] = []

    def close(style: str) -> None:
        g = open_groups.pop(style, None)
        if g and len(g[1]) >= 2:
            done.append(g[1])

    for ps, pe in paras:
        body = text[ps:pe]
        if not body.strip():
            continue
        en = match_enumerator(body)
        if en is None or en.style not in _HEADING_STYLES:
            continue
        s = ps + en.length
        e = _first_sentence(text, s, pe)
        s, e = trim_span(text, s, e)
        if e <= s:
            continue
        # a deeper heading style restarts whenever a shallower one appears
        for style in list(open_groups):
            if level_of[style] > en.level:
                close(style)
        level_of[en.style] = en.level
        g = open_groups.get(en.style)
        if g is not None and en.value == g[0] + 1:
            g[0] = en.value
            g[1].append((s, e))
        else:
            close(en.style)
            if en.value == 1:
                open_groups[en.style] = [1, [(s, e)]]
    for style in list(open_groups):
        close(style)
    return [Parallelism("heading", b) for b in done]


def _lead_at(text: str, i: int, end: int):
    en = match_enumerator(text[i:i + 8])
    if en is not None and en.is_lead:
        return en
    return None


def _enumerations(text: str, paras: list[tuple[int, int]], units_by_para: list[list[tuple[int, int, int]]]) -> list[Parallelism]:
    """一是/二是, 第一/第二, 首先/其次/最后 leads, at the start of a paragraph, sentence or segment."""
    leads = []   # (start, value, style)
    for (ps, pe), units in zip(paras, units_by_para):
        prev_strength = 3
        for us, ue, st in units:
            if prev_strength >= 2:
                en = _lead_at(text, us, ue)
                if en is not None:
                    leads.append((us, en.value, en.style, ps))
            prev_strength = st
    out: list[Parallelism] = []
    groups: list[list] = []
    cur: list = []
    for lead in leads:
        start, value, style, ps = lead
        if cur and cur[-1][2] == style and (value == cur[-1][1] + 1 or (style == "sequence" and value > cur[-1][1])):
            cur.append(lead)
            continue
        if len(cur) >= 2:
            groups.append(cur)
        cur = [lead] if value == 1 else []
    if len(cur) >= 2:
        groups.append(cur)
    for g in groups:
        branches = []
        for start, _, _, ps in g:
            pe = next(e for s, e in paras if s == ps)
            e = _first_sentence(text, start, pe, "。！？!?；;")
            branches.append(trim_span(text, start, e))
        out.append(Parallelism("enumeration", branches))
    return out


def _around(units: list[tuple[int, int, int]], k: int) -> list[tuple[int, int]]:
    """The units next to the pair ``units[k], units[k + 1]`` on either side, when the boundary allows."""
    out = []
    if k > 0 and units[k - 1][2] >= 0 and units[k - 1][2] == units[k][2]:
        out.append(units[k - 1][:2])
    if k + 2 < len(units) and units[k + 1][2] >= 0 and units[k + 1][2] == units[k][2]:
        out.append(units[k + 2][:2])
    return out


def _unit_sequences(pieces: list[_Piece], compound: bool = True) -> list[tuple[str, int, list[tuple[int, int, int]]]]:
    """Sequences of adjacent candidate branches: ``(kind, level, units)``.

    Clauses (split at ，：and stronger) and segments (split at ；。！？) give one
    sequence each. Compound units of two or three clauses (既是机遇，更是挑战；
    既是责任，更是使命) give one sequence per phase: units i, i+k,
    i+2k … so that each unit is compared with the next unit of the same size.
    A compound unit never holds a boundary stronger than the one that ends it.
    """
    out = []
    clauses = _group(pieces, 1)
    out.append(("clause", 1, clauses))
    out.append(("segment", 2, _group(pieces, 2)))
    if compound:
        for k, level in ((2, 4), (3, 5)):
            if len(clauses) < 2 * k:
                continue
            for r in range(k):
                seq = []
                for i in range(r, len(clauses) - k + 1, k):
                    inner = max(c[2] for c in clauses[i:i + k - 1])
                    last = clauses[i + k - 1]
                    # a unit stronger inside than at its end is no branch: mark it with strength -1
                    seq.append((clauses[i][0], last[1], last[2] if inner <= last[2] else -1))
                if len(seq) >= 2:
                    out.append(("compound", level, seq))
    return out


def _aligned(text: str, pieces: list[_Piece], toks: _Tokens, p: Params,
             sequences: list[tuple[str, int, list[tuple[int, int, int]]]],
             bounds: list[Sequence[float]]) -> list[Parallelism]:
    """Runs of similar adjacent units at clause, segment and compound granularity (lists: :func:`_lists`).

    ``sequences`` are the paragraph's :func:`_unit_sequences`; ``bounds`` hold, for each, an upper
    bound of every adjacent pair's logit (:func:`_pair_bounds`).
    """
    cands: list[Parallelism] = []
    cands.extend(_lists(text, pieces, toks, p))
    # runs start at pair scores of min_sim (or the lowest of run_thresholds): a pair provably under
    # that floor skips the LCS and keeps a score of 0, unless it borders a run and so is read
    floor = _floor(p)
    cut = _logit(floor)
    if p.rules:
        cands.extend(_framed_segments(text, pieces, p))
        cands.extend(_correlatives(text, pieces, p))
    for (name, strength, units), bound in zip(sequences, bounds):
        sims = []
        feats: list[Optional[list[float]]] = []
        below = []       # pairs whose score stays under the floor: left at 0 unless a run comes next to them
        for k in range(len(units) - 1):
            a, b = units[k], units[k + 1]
            if a[2] < 0 or b[2] < 0:
                sims.append(0.0)
                feats.append(None)
                continue
            f = BELOW if bound[k] < cut else _features(text, a[:2], b[:2], a[2], strength, toks, p, b[2],
                                                       _around(units, k), floor)
            if f is BELOW:
                below.append(k)
                f = None
            feats.append(f)
            sim = _logistic(p.weights, f) if f is not None else 0.0
            if strength <= 1 and p.rules and _anchored_pair(text, a, b, toks):
                sim = max(sim, p.rule_score)
            if strength >= 4 and p.rules and _clausewise_openings(text, a, b, pieces):
                sim = max(sim, p.rule_score)
            sims.append(sim)
        if strength <= 1:
            # any register: three or more clauses of one shape opening with the same word (以…为…，以…为…)
            twins = [_twin(text, units[k], units[k + 1], toks)
                     and (p.rules or _same_first_word(units[k], units[k + 1], toks))
                     for k in range(len(units) - 1)]
            k = 0
            while k < len(twins):
                j = k
                while j < len(twins) and twins[j]:
                    j += 1
                if j - k >= 2:            # three or more alike short clauses
                    for x in range(k, j):
                        sims[x] = max(sims[x], p.rule_score)
                k = max(j, k + 1)
        _score_next_to_runs(text, units, strength, toks, p, below, sims, feats, floor)
        if p.rules or not p.run_weights:
            cands.extend(_runs(text, name, strength, units, sims, p))
        else:
            seen = set()
            for t in p.run_thresholds:
                for c in _runs(text, name, strength, units, sims, replace(p, min_sim=t), final=False, feats=feats,
                               toks=toks):
                    key = tuple(c.branches)
                    if key not in seen:
                        seen.add(key)
                        cands.append(c)
    return cands


# --------------------------------------------------------------------------- pair bounds

# Upper bounds of every adjacent pair's logit, for a whole document at once in numpy: most pairs are
# plainly not parallel, and a pair whose bound stays under the run floor needs no exact features.
# Each feature is either computed as :func:`_features` does or, where it needs the words, bounded by
# its largest value. A feature this does not know switches the bounds off (every pair scored exactly).

_BLOCK = 8192      # pairs bounded at once (a few MB of character matrices)


def _pair_bounds(text: str, work: list, p: Params) -> list[list[list[float]]]:
    """For each paragraph of ``work`` (``(pieces, toks, sequences)``) and each of its sequences, an
    upper bound of the logit of every adjacent pair (``inf`` where no bound is known)."""
    rows: list[tuple[int, ...]] = []
    where: list[list[list[int]]] = []
    for _, toks, sequences in work:
        para = []
        for _, strength, units in sequences:
            seq = []
            for k in range(len(units) - 1):
                a, b = units[k], units[k + 1]
                pair = _aligned_pair(text, a[:2], b[:2], toks, p) if a[2] >= 0 and b[2] >= 0 else None
                if pair is None:
                    seq.append(-1)       # not compared, or compared exactly (which says None)
                    continue
                (a0, a1), near = pair[0], _around(units, k) + [(-1, -1), (-1, -1)]
                seq.append(len(rows))
                rows.append((a0, a1, b[0], b[1], a[2], strength, b[2], a0 == toks.start, pair[4],
                             *near[0], *near[1]))
            para.append(seq)
        where.append(para)
    table = np.array(rows, dtype=np.int64).reshape(-1, 13)
    codes = _code_points(text) if rows else None
    # a block of rows at a time: the character matrices stay small however long the document
    z = np.concatenate([_logit_bounds(codes, table[i:i + _BLOCK], p.weights)
                        for i in range(0, len(table), _BLOCK)] or [np.zeros(0)])
    inf = float("inf")
    return [[[z[r] if r >= 0 else inf for r in seq] for seq in para] for para in where]


def _code_points(text: str) -> np.ndarray:
    """The text's characters as integers (code points stay under 2**21)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int32)


def _logit_bounds(codes: np.ndarray, rows: np.ndarray, weights: Sequence[float]) -> np.ndarray:
    """Upper bounds of the pair logits for ``rows`` of (a start, a end, b start, b end, gap, level,
    gap after b, para lead, realigned, then start and end of up to two neighbouring units or -1),
    offsets into the text whose :func:`_code_points` are ``codes``."""
    a0, a1, b0, b1, gap, level, gap_b, lead, realigned = rows[:, :9].T
    la, lb = a1 - a0, b1 - b0
    short, long_ = np.minimum(la, lb), np.maximum(la, lb)
    width = int(long_.max())
    A, Ar = _windows(codes, a0, la, width, -1)
    B, Br = _windows(codes, b0, lb, width, -2)
    eq, eqr = A == B, Ar == Br
    cp, cs = _leading_true(eq), _leading_true(eqr)
    punct_a = np.isin(A, _PUNCT_CODES)
    chars_a = (~punct_a & (A >= 0)).sum(1)
    punct_b = np.isin(B, _PUNCT_CODES)
    chars_b = (~punct_b & (B >= 0)).sum(1)
    tri_len, tri_pos = _triple_bounds(codes, rows, A, Ar, B, Br, eq, eqr, punct_a, la, lb)
    same_len = la == lb
    exact = {
        "bias": np.ones(len(rows)), "prefix": np.where(cp < short, np.minimum(cp, 4) / 4, 0.0),
        "suffix": np.where(cs < short, np.minimum(cs, 4) / 4, 0.0), "len_ratio": short / long_,
        "log_len": np.log(long_) / 4, "same_shape": _count_in(A, _STRENGTH_CODES) == _count_in(B, _STRENGTH_CODES),
        "char_dice": 2 * _common_chars(A, B, ~punct_a & (A >= 0), ~punct_b & (B >= 0)) / np.maximum(chars_a + chars_b, 1),
        "is_phrase": level == 0, "is_segment": level == 2, "gap_sentence": gap == 3, "gap_semicolon": gap == 2,
        "realigned": realigned, "no_edge": (cp == 0) & (cs == 0), "identical": same_len & (cp == la),
        "short": long_ <= 4, "same_length": same_len, "is_compound": level >= 4,
        "pos_start": eq.sum(1) / short, "pos_end": eqr.sum(1) / short, "same_gap": gap_b == gap,
        "quoted": np.isin(A, _QUOTE_CODES).any(1) | np.isin(B, _QUOTE_CODES).any(1), "min_short": short <= 6,
        "para_lead": lead, "tri_len": tri_len, "tri_pos": tri_pos, "tri_both": tri_len * tri_pos}
    # features of the words, bounded by their largest value (all features are 0 or more)
    largest = {"lcs_dice": 1.0, "lcs_min": 1.0, "first_token": 1.0, "anchors": 1.0, "token_pattern": 1.0,
               "short_twin": same_len & (la <= 8)}
    z = np.full(len(rows), _SLACK)
    for name, w in zip(FEATURES, weights):
        if name in exact:
            z += w * exact[name]
        elif name in largest:
            z += max(w, 0.0) * np.asarray(largest[name], dtype=float)
        else:
            return np.full(len(rows), np.inf)
    return z


_PUNCT_CODES = np.array(sorted(map(ord, PUNCT)))
_STRENGTH_CODES = np.array(sorted(map(ord, _STRENGTH_IN)))
_QUOTE_CODES = np.array(sorted(map(ord, _QUOTES)))


def _windows(codes: np.ndarray, start: np.ndarray, length: np.ndarray, width: int, pad: int):
    """Each unit's characters as a row, from its start and from its end (``pad`` past its length)."""
    col = np.arange(width)
    inside = col < length[:, None]
    last = len(codes) - 1
    forward = np.where(inside, codes[np.minimum(start[:, None] + col, last)], pad)
    backward = np.where(inside, codes[np.clip(start[:, None] + length[:, None] - 1 - col, 0, last)], pad)
    return forward, backward


def _leading_true(eq: np.ndarray) -> np.ndarray:
    """How many True values each row starts with."""
    return np.where(eq.all(1), eq.shape[1], np.argmin(eq, axis=1))


def _count_in(rows: np.ndarray, codes: np.ndarray) -> np.ndarray:
    return np.isin(rows, codes).sum(1)


def _common_chars(A: np.ndarray, B: np.ndarray, keep_a: np.ndarray, keep_b: np.ndarray) -> np.ndarray:
    """Characters two rows share, counted with repeats, over the kept positions only."""
    def counted(M, keep):
        keys = (np.nonzero(keep)[0].astype(np.int64) << 21) | M[keep]     # code points stay under 2**21
        return np.unique(keys, return_counts=True)
    ka, ca = counted(A, keep_a)
    kb, cb = counted(B, keep_b)
    _, ia, ib = np.intersect1d(ka, kb, assume_unique=True, return_indices=True)
    return np.bincount(ka[ia] >> 21, weights=np.minimum(ca[ia], cb[ib]), minlength=len(A))


def _triple_bounds(codes, rows, A, Ar, B, Br, eq, eqr, punct_a, la, lb):
    """``tri_len`` and ``tri_pos`` of every pair, as :func:`_features` computes them from the
    neighbouring units (the best of up to two)."""
    width = min(A.shape[1], 30)
    A, Ar, B, Br = A[:, :width], Ar[:, :width], B[:, :width], Br[:, :width]
    base = eq[:, :width] & ~punct_a[:, :width]
    base_r = eqr[:, :width] & ~np.isin(Ar, _PUNCT_CODES)
    tri_len = np.zeros(len(rows))
    tri_pos = np.zeros(len(rows))
    a0, b1 = rows[:, 0], rows[:, 3]
    for c0, c1 in ((rows[:, 9], rows[:, 10]), (rows[:, 11], rows[:, 12])):
        lc = c1 - c0
        lens = np.stack([la, lb, lc])
        ok = (c0 >= 0) & ((c1 <= a0) | (c0 >= b1)) & (lens.max(0) <= 30)
        if not ok.any():
            continue
        C, Cr = _windows(codes, np.maximum(c0, 0), np.where(ok, lc, 0), width, -3)
        n3 = np.maximum(lens.min(0), 1)
        pos = ((base & (A == C)).sum(1) + 0.0) / n3 + (base_r & (Ar == Cr)).sum(1) / n3
        tri_len = np.maximum(tri_len, np.where(ok, lens.max(0) - lens.min(0) <= 1, 0.0))
        tri_pos = np.maximum(tri_pos, np.where(ok, np.minimum(pos, 1.0), 0.0))
    return tri_len, tri_pos


def _score_next_to_runs(text: str, units: list[tuple[int, int, int]], strength: int, toks: _Tokens, p: Params,
                        below: list[int], sims: list[float], feats: list, floor: float) -> None:
    """Score exactly the pairs left under ``floor`` that a run will read: those lifted by a rule to
    ``floor`` or more, and those next to such a pair (a run's left and right scores). In place."""
    for k in below:
        if sims[k] >= floor or (k > 0 and sims[k - 1] >= floor) or (k + 1 < len(sims) and sims[k + 1] >= floor):
            a, b = units[k], units[k + 1]
            f = feats[k] = _features(text, a[:2], b[:2], a[2], strength, toks, p, b[2], _around(units, k))
            sims[k] = max(_logistic(p.weights, f), sims[k])


def _runs(text: str, name: str, strength: int, units: list[tuple[int, int, int]], sims: list[float],
          p: Params, final: bool = True, feats: Sequence[Optional[list[float]]] = (),
          toks: Optional[_Tokens] = None) -> list[Parallelism]:
    """Maximal runs of units whose adjacent pairs all score ``p.min_sim`` or more.

    ``final``: apply the hand-set filters (two-unit runs need ``min_sim_pair``,
    compound runs yield by ``compound_factor``); otherwise keep every run and
    remember how it was built (``_run``, with the branches' words from ``toks``)
    for the candidate scorer.
    """
    out = []
    k = 0
    while k < len(sims):
        if sims[k] < p.min_sim:
            k += 1
            continue
        j = k
        while j < len(sims) and sims[j] >= p.min_sim:
            j += 1
        # units k..j form a run; gaps are the boundary strengths of units k..j-1
        for lo, hi in _split_mixed(units, k, j) if name != "compound" else [(k, j)]:
            run = [u[:2] for u in units[lo:hi + 1]]
            gaps = [units[x][2] for x in range(lo, hi)]
            first = run[0]
            run = _realign_first(text, run)
            realigned = run[0] != first
            n = len(run)
            if lo > 0 and units[lo - 1][2] == (gaps[0] if gaps else 1) and name != "compound":
                run = _extend_back(text, units[lo - 1][:2], run)
            kind = name
            if name in ("segment", "compound"):
                kind = "sentence" if all(g == 3 for g in gaps) else "clause"
            score = sum(sims[lo:hi]) / (hi - lo)
            if final:
                if len(run) == 2 and score < p.min_sim_pair:
                    continue          # two branches make a weaker case than three
                if name == "compound":
                    score *= p.compound_factor
            c = Parallelism(kind, run, score=score)
            if not final:
                c._run = {"source": strength, "sims": sims[lo:hi], "gaps": gaps,
                          "left": sims[lo - 1] if lo > 0 else 0.0, "right": sims[hi] if hi < len(sims) else 0.0,
                          "realigned": realigned, "extended": len(run) > n,
                          "para_start": lo == 0, "para_end": hi == len(units) - 1, "pairs": feats[lo:hi],
                          "words": _branch_words(toks, run)}
            out.append(c)
        k = j
    return out


def _clauses_in(span: tuple[int, int], pieces: list[_Piece]) -> list[tuple[int, int]]:
    """Clauses (pieces joined up to ，：；。 boundaries) lying inside ``span``."""
    # pieces follow one another without overlap, so those inside the span are one stretch of the list
    i = bisect.bisect_left(pieces, span[0], key=_piece_start)
    j = i
    while j < len(pieces) and pieces[j].end <= span[1]:
        j += 1
    return [(s, e) for s, e, _ in _group(pieces[i:j], 1)]


def _piece_start(x: _Piece) -> int:
    return x.start


def _clausewise_openings(text: str, a: tuple[int, int, int], b: tuple[int, int, int], pieces: list[_Piece]) -> bool:
    """Two compound units whose clauses open alike one by one (是一种…，更是一种…；是一份…，更是一份…).

    Each clause of ``b`` shares an opening of two or more characters with the
    clause of ``a`` in the same place; the first clause of ``a`` may carry
    lead-in words (特别是要抓紧…，做到…，要抓紧…，做到…).
    """
    y2 = text[b[0]:b[0] + 2]
    if len(y2) == 2 and y2[1] not in PUNCT and not 0 <= text.find(y2, a[0], a[1]) - a[0] <= 4:
        return False          # the first clauses cannot share an opening (see below): no need to find them
    ca, cb = _clauses_in(a[:2], pieces), _clauses_in(b[:2], pieces)
    if len(ca) != len(cb) or len(ca) < 2:
        return False
    for i, ((s1, e1), (s2, e2)) in enumerate(zip(ca, cb)):
        x, y = text[s1:e1], text[s2:e2]
        if i == 0 and len(y) >= 2 and not x.startswith(y[:2]):
            j = x.find(y[:2])
            if 0 < j <= 4:
                x = x[j:]
        if _common_prefix(x, y) < 2 or x == y:
            return False
    return True


def _framed_segments(text: str, pieces: list[_Piece], p: Params) -> list[Parallelism]:
    """Segments joined by ；, each opening with a short clause ending alike (园区规划上，…；人才培养上，…).

    Official prose lays out a list of fields as ``X上，…；Y上，…；Z上，…`` (or
    ``在X方面，…``): three or more segments whose first clause is short and
    ends with the same characters. The first segment may carry lead-in
    clauses before its framing clause; the branch starts at the frame.
    """
    segs = _group(pieces, 2)
    out = []

    def opening(seg, like: Optional[str] = None):
        """The framing clause of a segment: its first clause, or (``like`` given) the short
        clause sharing the longest ending with ``like`` (the first segment may have a lead-in)."""
        cl = _clauses_in(seg[:2], pieces)
        if len(cl) < 2:
            return None
        if like is None:
            s, e = cl[0]
            return (s, e) if 2 <= e - s <= 8 else None
        best, n = None, 0
        for s, e in cl[:3]:
            c = _common_suffix(text[s:e], like)
            if 2 <= e - s <= 8 and c > n and text[s:e] != like:
                best, n = (s, e), c
        return best

    k = 0
    while k < len(segs) - 2:
        nxt = opening(segs[k + 1])
        first = opening(segs[k], text[nxt[0]:nxt[1]]) if nxt and segs[k][2] == 2 else None
        if first is None:
            k += 1
            continue
        run = [first]
        j = k + 1
        while j < len(segs) and segs[j - 1][2] == 2:      # the frames follow one another across ；
            op = opening(segs[j])
            if op is None:
                break
            cur, prev = text[op[0]:op[1]], text[run[-1][0]:run[-1][1]]
            if _common_suffix(cur, prev) < 1 or _common_suffix(cur, text[first[0]:first[1]]) < 1 or cur == prev:
                break
            run.append(op)
            j += 1
        if len(run) >= 3:
            branches = [trim_span(text, op[0], segs[k + i][1]) for i, op in enumerate(run)]
            out.append(Parallelism("clause", branches, score=p.frame_score))
            k = j
        else:
            k += 1
    return out


# Correlative openings that pair two clauses into one parallel statement (一方面…，另一方面…).
_CORRELATIVES = (("一方面", ("另一方面",)), ("不但", ("还", "而且", "更", "也")), ("不仅", ("还", "而且", "更", "也")),
                 ("既", ("又", "也")))


def _correlatives(text: str, pieces: list[_Piece], p: Params) -> list[Parallelism]:
    """Two adjacent clauses opened by a correlative pair: 一方面…，另一方面…; 不但…，还要….

    Official prose uses these pairs to set two tasks side by side; both
    clauses become branches, the markers included.
    """
    clauses = _group(pieces, 1)
    out = []
    for (s1, e1, st), (s2, e2, _) in zip(clauses, clauses[1:]):
        if st > 2:
            continue
        x, y = text[s1:e1], text[s2:e2]
        for first, seconds in _CORRELATIVES:
            if x.startswith(first) and any(y.startswith(w) for w in seconds):
                if min(len(x), len(y)) >= 4 and min(len(x), len(y)) / max(len(x), len(y)) >= 0.4:
                    out.append(Parallelism("clause", [(s1, e1), (s2, e2)], score=p.rule_score))
                break
    return out


def _lists(text: str, pieces: list[_Piece], toks: _Tokens, p: Params) -> list[Parallelism]:
    """Items joined by 、: word lists (kind "phrase"), or clause lists when the items are alike clauses."""
    out = []
    k = 0
    while k < len(pieces):
        j = k
        while j < len(pieces) - 1 and pieces[j].strength == 0:
            j += 1
        if j > k:
            items = [(x.start, x.end) for x in pieces[k:j + 1]]
            items[0] = _trim_lead_in(items, toks)
            lens = [e - s for s, e in items]
            if max(lens) <= p.phrase_max and min(lens) / max(lens) >= 0.5:
                if min(lens) < 5:
                    out.append(Parallelism("phrase", items))      # word lists: too short to read as clauses
                else:
                    out.extend(_clause_lists(text, items, pieces, k, j, toks, p))
        k = j + 1
    return out


def _clause_lists(text: str, items: list[tuple[int, int]], pieces: list[_Piece], k: int, j: int,
                  toks: _Tokens, p: Params) -> list[Parallelism]:
    """The readings of a 、-list of items of five characters or more (``pieces[k..j]``): a clause
    list when its items are alike (in essays: a candidate for the run scorer), else a phrase list."""
    out = []
    feats = [_features(text, items[x], items[x + 1], 0, 0, toks, p, pieces[k + x + 1].strength)
             for x in range(len(items) - 1)]
    sims = [_logistic(p.weights, f) if f is not None else 0.0 for f in feats]
    if not p.rules and p.run_weights:
        c = Parallelism("clause", items, score=sum(sims) / len(sims))
        c._run = {"source": 0, "sims": sims, "gaps": [0] * len(sims), "left": 0.0, "right": 0.0,
                  "realigned": False, "extended": items[0] != (pieces[k].start, pieces[k].end),
                  "para_start": k == 0, "para_end": j == len(pieces) - 1, "pairs": feats,
                  "words": _branch_words(toks, items)}
        out.append(c)
    clause_like = min(sims) >= p.min_sim or (p.rules and len(items) >= 3 and _shared_word(items, toks))
    if clause_like and not p.rules and p.run_weights:
        clause_like = False      # the clause reading is the scored candidate above
    out.append(Parallelism("clause" if clause_like else "phrase", items,
                           score=sum(sims) / len(sims) if clause_like else 0.0))
    return out


def _shared_word(items: list[tuple[int, int]], toks: _Tokens) -> bool:
    """Every item contains one same content word (道路得到修缮、河道得到疏通…)."""
    sets = [{w for w in toks.words_in(s, e) if len(w) >= 2 and w not in _WEAK} for s, e in items]
    return bool(set.intersection(*sets))


def _trim_lead_in(items: list[tuple[int, int]], toks: _Tokens) -> tuple[int, int]:
    """Cut lead-in words off the first list item so it is about as long as the others (要坚持抓基层 -> 抓基层)."""
    s, e = items[0]
    others = [b - a for a, b in items[1:]]
    if e - s < 2 * max(others):
        return s, e
    target = sorted(others)[len(others) // 2]
    best = (s, e)
    for _, ts, _ in toks.slice(s, e)[1:]:
        if abs((e - ts) - target) < abs((best[1] - best[0]) - target):
            best = (ts, e)
    return best


def _anchored_pair(text: str, a: tuple[int, int, int], b: tuple[int, int, int], toks: _Tokens) -> bool:
    """Two clauses opening or closing with the same content word, alike in length (尽快…，尽快…)."""
    la, lb = a[1] - a[0], b[1] - b[0]
    if a[2] > 2 or min(la, lb) < 4 or max(la, lb) > 16 or min(la, lb) / max(la, lb) < 0.6:
        return False
    wa, wb = toks.words_in(a[0], a[1]), toks.words_in(b[0], b[1])
    if len(wa) < 2 or len(wb) < 2:
        return False
    head = wb[0] in wa[:3] and len(wb[0]) >= 2 and wb[0] not in _WEAK
    tail = wa[-1] == wb[-1] and wa[-2] == wb[-2] and wa[-1] not in _WEAK
    return head or tail


def _same_first_word(a: tuple[int, int, int], b: tuple[int, int, int], toks: _Tokens) -> bool:
    wa, wb = toks.words_in(a[0], a[1]), toks.words_in(b[0], b[1])
    return bool(wa and wb) and wa[0] == wb[0]


def _twin(text: str, a: tuple[int, int, int], b: tuple[int, int, int], toks: _Tokens) -> bool:
    """Short clauses of one length built from words of the same lengths (瞄准目标，鼓足干劲)."""
    if a[2] > 1:
        return False
    la, lb = a[1] - a[0], b[1] - b[0]
    if la != lb or la > 8 or la < 4:
        return False
    if la == 4:          # four-character phrases read as one shape whatever jieba makes of them
        return True
    pa = list(map(len, toks.words_in(a[0], a[1])))
    pb = list(map(len, toks.words_in(b[0], b[1])))
    return pa == pb and len(pa) >= 2


def _split_mixed(units: list[tuple[int, int, int]], k: int, j: int) -> list[tuple[int, int]]:
    """Cut a run of units k..j at its strongest boundaries when boundaries are mixed.

    排比 branches share one separator (；；； or ，，，); a run crossing a full
    stop between two such stretches is two parallelisms, or an intro sentence
    stuck onto one.
    """
    gaps = [units[x][2] for x in range(k, j)]
    if len(set(gaps)) <= 1:
        return [(k, j)]
    top = max(gaps)
    out = []
    lo = k
    for x in range(k, j):
        if units[x][2] == top:
            if x > lo:
                out.append((lo, x))
            lo = x + 1
    if j > lo:
        out.append((lo, j))
    return out


def _extend_back(text: str, prev: tuple[int, int], run: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Add the unit before a run when it ends with the run's shared opening (需要多一份理解，多一份体贴…)."""
    pre = text[run[0][0]:run[0][1]]
    for s, e in run[1:]:
        pre = pre[:_common_prefix(pre, text[s:e])]
    if len(pre) < 2:
        return run
    s, e = prev
    i = text.find(pre, s + 1, e)
    if i == -1:
        return run
    lens = [b - a for a, b in run]
    if not (min(lens) * 0.6 <= e - i <= max(lens) / 0.6):
        return run
    return [(i, e)] + run


def _realign_first(text: str, run: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Start the first branch where the frame starts, when the other branches share an opening.

    In ……对邻里多一份耐心，多一份善意，多一份体谅 the first unit carries lead-in
    words before the shared opening 多一份.
    """
    rest = [text[s:e] for s, e in run[1:]]
    pre = rest[0][:2]
    for r in rest[1:]:
        pre = pre[:_common_prefix(pre, r)]
    if len(pre) < 1 or (len(pre) == 1 and not all(t.startswith(pre) and len(t) > 1 for t in rest)):
        return run
    s, e = run[0]
    first = text[s:e]
    if first.startswith(pre):
        return run
    i = first.find(pre, 1)
    if i <= 0 or len(first) - i < 2:
        return run
    return [(s + i, e)] + run[1:]


def _select(cands: list[Parallelism], nest: bool = True) -> list[Parallelism]:
    """Keep the best candidates; drop duplicates and crossing ones, nest the contained.

    ``nest=False``: only phrase lists may nest inside a branch of another parallelism.
    """
    seen = set()
    uniq = []
    for c in cands:
        key = tuple(c.branches)
        if key in seen:
            continue
        seen.add(key)
        uniq.append(c)
    prio = {"heading": 3, "enumeration": 2}
    uniq.sort(key=lambda c: (-prio.get(c.kind, 0), -c.score, -(c.end - c.start)))
    kept: list[Parallelism] = []      # ordered by start, so only those near a candidate are compared with it
    starts: list[int] = []
    longest = 0
    for c in uniq:
        lo = bisect.bisect_left(starts, c.start - longest)
        hi = bisect.bisect_left(starts, c.end)
        if not any(k.end > c.start and _clash(c, k, nest) for k in kept[lo:hi]):
            i = bisect.bisect_right(starts, c.start)
            starts.insert(i, c.start)
            kept.insert(i, c)
            longest = max(longest, c.end - c.start)
    kept.sort(key=lambda c: (c.start, -c.end))
    _set_levels(kept)
    return kept


def _clash(c: Parallelism, k: Parallelism, nest: bool) -> bool:
    """Whether two overlapping candidates cannot both be kept: their branches overlap and neither
    lies inside a branch of the other (with ``nest=False``, only phrase lists may lie inside)."""
    if (_inside_branch(c, k) or _inside_branch(k, c)) and (nest or "phrase" in (c.kind, k.kind)):
        return False
    return _branches_overlap(c, k)


def _set_levels(kept: list[Parallelism]) -> None:
    """Set each parallelism's ``level``: how many others hold it inside one of their branches.

    ``kept`` is ordered by start; only those still open where a parallelism starts can hold it.
    """
    open_: list[Parallelism] = []
    for i, c in enumerate(kept):
        if i == 0 or kept[i - 1].start != c.start:
            open_ = [k for k in open_ if k.end > c.start]
            j = i
            while j < len(kept) and kept[j].start == c.start:
                open_.append(kept[j])
                j += 1
        c.level = sum(1 for k in open_ if k is not c and c.end <= k.end and _inside_branch(c, k))


def _branches_overlap(a: Parallelism, b: Parallelism) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a.branches for s2, e2 in b.branches)


def _inside_branch(inner: Parallelism, outer: Parallelism) -> bool:
    return any(s <= inner.start and inner.end <= e for s, e in outer.branches)


def _candidates(text: str, paragraphs: Optional[list[tuple[int, int]]], seg: Segmenter,
                p: Params) -> tuple[list[Parallelism], Params]:
    """Every candidate parallelism before selection (frames, runs of aligned units, rule matches),
    and the parameters with the register-dependent switches (``rules``, ``compound``) set."""
    paras = [tuple(x) for x in paragraphs] if paragraphs is not None else _paragraph_spans(text)
    pieces_by_para = [_pieces(text, ps, pe) for ps, pe in paras]
    units_by_para = [[(x.start, x.end, x.strength) for x in pieces] for pieces in pieces_by_para]
    frames = _headings(text, paras) + _enumerations(text, paras, units_by_para)
    if p.rules is None:
        # official register: a text built on 一、/一是 frameworks also packs its clauses into terse
        # four-character runs and anchored pairs that essays use far less
        p = replace(p, rules=bool(frames))
    if p.compound is None:
        p = replace(p, compound=bool(p.rules))
    cands: list[Parallelism] = list(frames)
    work = _paragraph_work(text, paras, pieces_by_para, seg, p.compound)
    bounds = _pair_bounds(text, work, p)        # one pass over the whole document's pairs
    for (pieces, toks, sequences), bound in zip(work, bounds):
        cands.extend(_aligned(text, pieces, toks, p, sequences, bound))
    return cands, p


def _paragraph_work(text: str, paras: list[tuple[int, int]], pieces_by_para: list[list[_Piece]],
                    seg: Segmenter, compound: bool) -> list[tuple[list[_Piece], _Tokens, list]]:
    """``(pieces, tokens, unit sequences of two or more units)`` of every paragraph of two or more pieces."""
    work = []
    for (ps, pe), pieces in zip(paras, pieces_by_para):
        if len(pieces) >= 2:
            sequences = [s for s in _unit_sequences(pieces, compound) if len(s[2]) >= 2]
            work.append((pieces, _Tokens(seg, text, ps, pe), sequences))
    return work


def _floor(p: Params) -> float:
    """The lowest pair score a run can start from: ``min_sim``, or in essays the lowest of ``run_thresholds``."""
    return p.min_sim if p.rules or not p.run_weights else min(p.run_thresholds)


def _score_runs(text: str, cands: list[Parallelism], p: Params) -> list[Parallelism]:
    """Score the runs of the candidate generator as whole parallelisms; drop those under ``p.keep``."""
    out = []
    for c in cands:
        info = getattr(c, "_run", None)
        if info is None:
            out.append(c)
            continue
        c.score = _run_score(p, _run_features(text, c.branches, info))
        if _anaphora_floor(text, c):
            c.score = max(c.score, p.keep)
        if c.score >= p.keep:
            out.append(c)
    return out


def _run_score(p: Params, feats: Sequence[float]) -> float:
    """The run scorer: the logistic regression (``run_weights``), averaged with the boosted trees
    (``run_trees``) when there are any."""
    lr = _logistic(p.run_weights, feats)
    if not p.run_trees:
        return lr
    t = p.run_trees
    z = t[0]
    size = 3 * 2 ** TREE_DEPTH - 2
    for k in range(1, len(t), size):
        z += _tree_logit(t[k:k + size], feats, TREE_DEPTH)
    return 0.5 * lr + 0.5 * _sigmoid(z)


TREE_DEPTH = 3


def _tree_logit(tree: Sequence[float], feats: Sequence[float], depth: int) -> float:
    """The leaf value one boosted tree gives ``feats`` (layout: :func:`analysis.evaluate.fit_trees`).

    Inference only: the trees are fitted by scikit-learn at ``fit`` time and
    stored as numbers, so the detector needs no scikit-learn to run.
    """
    inner = 2 ** depth - 1
    node = 0
    while node < inner:
        node = 2 * node + (1 if feats[int(tree[node])] <= tree[inner + node] else 2)
    return tree[inner + node]        # leaves follow the thresholds, so leaf node n sits at inner + n too


def _anaphora_floor(text: str, c: Parallelism) -> bool:
    """Whether a run is kept whatever the run scorer says: three or more clauses opening alike.

    Three clauses (or list items) opening alike are 排比 by definition, even
    where the essay annotators passed some over. Runs of whole sentences or
    ；-segments get no such floor: sentences opening with one subject (我们…。
    我们…。) are mostly plain narration, and cross-validation on the training
    essays puts the floor's precision there near zero.
    """
    info = getattr(c, "_run", None)
    return (info is not None and info["source"] <= 1 and len(c.branches) >= 3
            and _shared_opening(text, c.branches) >= 2)


def _shared_opening(text: str, branches: list[tuple[int, int]]) -> int:
    """Characters all branches share at their start (0 when that is a whole branch)."""
    strs = [text[s:e] for s, e in branches]
    pre = strs[0]
    for x in strs[1:]:
        pre = pre[:_common_prefix(pre, x)]
    return len(pre) if len(pre) < min(len(x) for x in strs) else 0


RUN_FEATURES = ("bias", "two", "three", "log_n", "mean_sim", "min_sim", "max_sim", "left", "right",
                "src_list", "src_segment", "src_compound", "gap_sentence", "gap_semicolon", "log_len",
                "len_spread", "prefix", "suffix", "positional", "realigned", "extended", "para_start",
                "para_end", "quoted", "no_pairs", "asked") + tuple("pair_" + f for f in FEATURES[1:]) + (
                "anchor_share", "content_share", "content_anchors", "slots", "slots_equal", "slot_spread",
                "head_word", "head_pronoun", "head_weak", "head_long", "pronoun_share", "head_share")


def _run_features(text: str, branches: list[tuple[int, int]], info: dict) -> list[float]:
    """Features of one candidate run as a whole (see :data:`RUN_FEATURES`)."""
    sims = info["sims"]
    n = len(branches)
    strs = [text[s:e] for s, e in branches]
    lens = [len(x) for x in strs]
    pre, suf = strs[0], strs[0]
    for x in strs[1:]:
        pre = pre[:_common_prefix(pre, x)]
        suf = suf[len(suf) - _common_suffix(suf, x):]
    m = min(lens)
    pos = sum(1 for i in range(m) if all(x[i] == strs[0][i] for x in strs) and strs[0][i] not in PUNCT) / m
    gaps = info["gaps"]
    src = info["source"]
    pairs = [f for f in info.get("pairs", ()) if f is not None]
    mean_pair = [sum(col) / len(pairs) for col in zip(*pairs)][1:] if pairs else [0.0] * (len(FEATURES) - 1)
    return [1.0, float(n == 2), float(n == 3), math.log(n), sum(sims) / len(sims), min(sims), max(sims),
            info["left"], info["right"], float(src == 0), float(src == 2), float(src >= 4),
            float(all(g == 3 for g in gaps)), float(any(g == 2 for g in gaps)),
            math.log(sum(lens) / n) / 4, (max(lens) - m) / max(lens), min(len(pre), 4) / 4,
            min(len(suf), 4) / 4, pos, float(info["realigned"]), float(info["extended"]),
            float(info["para_start"]), float(info["para_end"]), float(any(ch in _QUOTES for ch in "".join(strs))),
            float(not pairs), _asked(text, branches)] + mean_pair + _slot_features(info["words"], lens) + _head_features(
            info["words"])


_PRONOUNS = set("我 你 他 她 它 我们 你们 他们 她们 它们 咱们 大家 自己 这 那 这些 那些".split())


def _head_features(words: list[list[str]]) -> list[float]:
    """The words the branches open with.

    When all open with one word: that there is one, that it is a pronoun
    (我们…，我们… is mostly narration, not 排比), a function word, a word of
    two or more characters (zeros otherwise); then, whatever they open with,
    the share of branches opening with a pronoun and the share opening with
    the most common first word.
    """
    firsts = [w[0] if w else "" for w in words]
    share = [sum(f in _PRONOUNS for f in firsts) / len(firsts), max(map(firsts.count, firsts)) / len(firsts)]
    heads = set(firsts)
    if len(heads) != 1 or "" in heads:
        return [0.0, 0.0, 0.0, 0.0] + share
    (h,) = heads
    return [1.0, float(h in _PRONOUNS), float(h in _WEAK), float(len(h) >= 2)] + share


def _branch_words(toks: _Tokens, branches: list[tuple[int, int]]) -> list[list[str]]:
    """The words lying wholly inside each branch."""
    return [list(toks.words_in(s, e)) for s, e in branches]


def _slot_features(words: list[list[str]], lens: list[int]) -> list[float]:
    """How the branches fill one template: the words all share (in order) and what lies between them.

    Returns the share of the mean branch length the shared words take (all,
    and content words only), the content words shared (up to 3, over 3), the
    slots between them (up to 4, over 4), the share of slots every branch
    fills with as many characters, and the largest relative spread of one
    slot's filler lengths. 排比 fills one frame with fillers of one size
    (多一份细心，多一份体贴，多一份谦让); clauses that merely share a word do not.
    """
    anchors = _shared_words(words)
    content = [a for a in anchors if a not in _WEAK and a not in PUNCT]
    fill = [[len(x) for x in _fillers(w, anchors)] for w in words]
    slots = [col for col in zip(*fill) if any(col)]
    mean_len = sum(lens) / len(lens)
    return [sum(map(len, anchors)) / mean_len, sum(map(len, content)) / mean_len, min(len(content), 3) / 3,
            min(len(slots), 4) / 4, sum(len(set(col)) == 1 for col in slots) / len(slots) if slots else 1.0,
            max((max(col) - min(col)) / max(col) for col in slots) if slots else 0.0]



def _asked(text: str, branches: list[tuple[int, int]]) -> float:
    """Share of branches closed by a question or exclamation mark (rhetorical series: 难道…？难道…？)."""
    n = 0
    for _, e in branches:
        while e < len(text) and text[e] in "”’」』":
            e += 1
        n += e < len(text) and text[e] in "？！?!"
    return n / len(branches)


def find_parallelisms(text: str, *, paragraphs: Optional[list[tuple[int, int]]] = None,
                      segmenter: Optional[Segmenter] = None, params: Optional[Params] = None) -> list[Parallelism]:
    """Return the parallel structures in ``text``, outermost first within each stretch.

    ``paragraphs`` are ``(start, end)`` offsets of paragraphs in ``text``
    (``None``: split on newlines). Branch offsets index ``text`` and carry no
    leading or trailing punctuation.
    """
    seg = segmenter or get_segmenter()
    p = params or PARAMS
    cands, p = _candidates(text, paragraphs, seg, p)
    scored = not p.rules and bool(p.run_weights)
    # the essay gold never nests one parallelism inside another's branch: the run scorer's picks do not either
    result = _select(_score_runs(text, cands, p) if scored else cands, nest=not scored)
    for c in result:
        c.template, c.fillers, c.family = _template(text, c.branches, seg)
    return result
