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
slots between the words they all share …), averaged with boosted
trees over the same features
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
        toks = seg.tokens(text[start:end])
        self.words = [w for w, _, _ in toks]
        self.starts = [s + start for _, s, _ in toks]
        self.ends = [e + start for _, _, e in toks]
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
    run_weights: tuple = (-5.50, -0.98, 0.13, 1.84, -0.27, -0.70, 1.32, -0.18, -0.20, 0.10, 0.15, 0.00, 0.56, 0.95, -0.89, 0.34, 1.06, -1.09, -0.20, -0.98, -1.50, 0.33, -0.02, -1.83, -0.01, 0.40, -0.88, 1.56, -0.21, 0.65, 2.50, -0.60, 0.39, 0.15, 0.29, 0.11, 0.15, 0.56, 0.95, -1.69, -0.12, -1.05, 0.36, -0.74, -0.22, -0.74, -1.38, 0.00, -0.21, -0.00, -0.46, 2.09, 0.47, 0.35, 0.33, 1.27, -0.46, 3.37, -3.96, 1.22, 0.09, 1.10, -1.17)
    run_trees: tuple = (   # essay prose: boosted trees averaged with run_weights (empty: logistic alone)
        0.008866,            # base logit; then per tree: 7 split features, 7 thresholds, 8 leaf values
        6, 6, 3, 28, 31, 15, 39, 0.637, 0.295, 0.9, 0.65, 0.90905, 0.2174, 0.3,
            -0.14324, -0.07717, -0.001244, -0.108457, 0.069023, -0.063821, 0.157948, 0.034558,
        6, 4, 6, 2, 14, 34, 50, 0.637, 0.251813, 0.84, 0.5, 0.895, 0.225431, 0.78,
            -0.132344, -0.069501, -0.005898, -0.109428, -0.106702, 0.069792, 0.147189, 0.070419,
        6, 4, 1, 14, 14, 39, 53, 0.637, 0.251813, 0.5, 0.89, 0.895, 0.3, 0.1,
            -0.098725, -0.156306, -0.005317, -0.099765, 0.133696, 0.022258, -0.023111, 0.075596,
        6, 6, 6, 61, 26, 34, 50, 0.637, 0.295, 0.84, 0.27, 0.206, 0.225431, 0.78,
            -0.116857, -0.061034, -0.059121, 0.022731, -0.102802, 0.056551, 0.126602, 0.056415,
        6, 6, 1, 27, 14, 39, 4, 0.637, 0.199, 0.5, 0.207, 0.895, 0.3, 0.891,
            -0.128484, -0.07273, -0.00953, -0.099363, 0.11655, 0.012675, -0.011714, 0.083309,
        6, 6, 6, 28, 14, 34, 14, 0.637, 0.199, 0.84, 0.8, 0.895, 0.225431, 0.594,
            -0.107704, -0.020101, -0.008593, -0.091726, -0.097391, 0.047016, -0.011024, 0.104854,
        6, 6, 1, 14, 26, 39, 53, 0.637, 0.31, 0.5, 0.89, 0.206, 0.3, 0.1,
            -0.065512, -0.126807, -0.048116, 0.027875, 0.103488, 0.004985, -0.032555, 0.054907,
        6, 27, 6, 62, 14, 40, 50, 0.4113, 0.207, 0.84, 0.6, 0.704, 0.6, 0.78,
            -0.042317, -0.123115, -0.076337, 0.017426, -0.010551, 0.089336, 0.099847, 0.031446,
        6, 6, 1, 57, 14, 5, 61, 0.637, 0.199, 0.5, 0.2581, 0.895, 0.418, 0.2,
            -0.101617, -0.046759, -0.0024, -0.078056, 0.014724, 0.096869, -0.048911, 0.038839,
        6, 57, 1, 62, 34, 5, 10, 0.4113, 0.19672131147540983, 0.5, 0.544, 0.2111111111111111, 0.3833, 0.5,
            -0.03983, -0.114366, 0.081756, -0.046118, 0.012175, 0.088384, -0.070242, 0.013251,
        6, 1, 14, 7, 57, 53, 15, 0.84, 0.5, 0.594, 0.0087, 0.26, 0.4, 0.2174,
            0.042931, -0.041371, -0.080133, -0.009544, -0.073303, 0.065843, 0.096026, 0.043626,
        6, 1, 50, 57, 61, 13, 53, 0.84, 0.5, 0.78, 0.143, 0.3, 0.5, 0.8,
            -0.03563, 0.03989, -0.071768, -0.004797, -0.071482, 0.086246, 0.040771, -0.081212,
        6, 28, 31, 61, 14, 53, 62, 0.4113, 0.6, 0.618, 0.27, 0.624, 0.2, 0.72,
            -0.07759, -0.019671, -0.075272, 0.028096, -0.073785, 0.036388, 0.071472, 0.009209,
        1, 5, 57, 7, 14, 61, 14, 0.5, 0.3522, 0.26, 0.0087, 0.586, 0.37, 0.806,
            0.020626, -0.055894, -0.032559, 0.082759, -0.084257, 0.011529, -0.042877, 0.096229,
        6, 57, 50, 62, 53, 13, 53, 0.84, 0.143, 0.78, 0.544, 0.1, 0.5, 0.8,
            -0.017544, -0.099207, -0.025938, 0.051498, -0.065602, 0.075682, 0.033394, -0.074402,
        1, 15, 57, 53, 58, 8, 53, 0.5, 0.29, 0.19672131147540983, 0.1, 0.0492, 0.054, 0.1,
            0.031677, 0.117364, -0.073559, 0.028902, -0.083796, -0.011756, -0.035149, 0.044141,
        1, 5, 18, 31, 39, 61, 14, 0.5, 0.3522, 0.065, 0.94003, 0.3, 0.27, 0.6,
            0.011141, -0.092018, 0.074409, -0.027208, -0.088668, -0.001249, -0.077803, 0.016603,
        6, 14, 53, 14, 4, 14, 57, 0.295, 0.89, 0.2, 0.835, 0.113, 0.61, 0.225,
            -0.047142, 0.066309, 0.03428, -0.108027, -0.063407, 0.009996, -0.017442, 0.085667,
        1, 15, 61, 53, 58, 57, 14, 0.5, 0.29, 0.3, 0.3, 0.0492, 0.26, 0.6,
            0.028157, 0.111294, -0.066835, 0.022683, -0.073359, -0.004611, -0.073765, 0.034513,
        4, 30, 53, 15, 31, 14, 57, 0.2502, 0.681, 0.2, 0.48, 0.6351, 0.61, 0.32,
            -0.115143, -0.001471, -0.066408, -0.011119, -0.057233, 0.007831, 0.006209, 0.091446,
        1, 15, 18, 53, 32, 61, 14, 0.5, 0.29, 0.065, 0.3, 0.45, 0.27, 0.6,
            0.02668, 0.105727, 0.071405, -0.020993, -0.078197, -0.002704, -0.060534, 0.013037,
        1, 15, 57, 53, 58, 62, 53, 0.5, 0.29, 0.19672131147540983, 0.3, 0.0492, 0.5, 0.1,
            0.024235, 0.101794, -0.059295, 0.020252, -0.020882, -0.0771, -0.024239, 0.036127,
        14, 15, 62, 13, 0, 39, 57, 0.61, 0.5, 0.72, 0.5, 1000000000.0, 0.8, 0.26,
            -0.06116, 0.013845, 0.089967, 0.0, 0.042967, -0.089797, -0.043232, 0.021729,
        6, 61, 39, 8, 14, 8, 55, 0.199, 0.55, 0.3, 0.0475, 0.612, 0.0083, 0.12,
            -0.063477, 0.066244, -0.043027, 0.090653, 0.033014, -0.015279, -0.079704, -0.002564,
        57, 31, 14, 22, 0, 58, 62, 0.142, 0.927, 0.61, 0.5, 1000000000.0, 0.182, 0.87,
            -0.043208, 0.02272, -0.111801, 0.0, 0.004948, -0.059442, 0.03934, -0.013844,
        1, 20, 18, 15, 5, 14, 57, 0.5, 0.5, 0.052, 0.27, 0.107002401, 0.883, 0.54,
            0.052531, 0.004207, 0.041284, -0.105979, -0.026539, -0.091671, 0.00728, -0.078279,
        4, 57, 8, 31, 53, 10, 8, 0.897, 0.142, 0.00977, 0.927, 0.1, 0.5, 0.01214,
            -0.0221, -0.107958, -0.011632, 0.033632, -0.004083, 0.084727, -0.125629, 0.012654,
        1, 7, 61, 15, 22, 57, 10, 0.5, 0.009813, 0.37, 0.30435, 0.5, 0.26, 0.5,
            0.058762, 0.006649, -0.04575, 0.033941, -0.055378, -0.00191, -0.032511, 0.052641,
        14, 15, 61, 13, 0, 55, 8, 0.61, 0.5, 0.3, 0.5, 1000000000.0, 0.12, 0.216,
            -0.052427, 0.015179, 0.086184, 0.0, -0.021013, 0.031739, 0.05015, -0.052758,
        6, 7, 12, 49, 7, 50, 57, 0.2553, 0.00167, 0.5, 0.067, 0.01161, 0.9, 0.325301205,
            -0.079608, -0.017577, 0.034468, -0.052678, 0.014975, -0.040405, 0.017071, 0.10995,
        4, 57, 8, 57, 21, 10, 30, 0.897, 0.524, 0.00977, 0.142, 0.5, 0.5, 0.9362,
            -0.035598, 0.007014, -0.088957, 0.014224, -0.005793, 0.078743, -0.069872, 0.035896,
        39, 6, 30, 28, 14, 55, 30, 0.3, 0.199, 0.8142, 0.8, 0.61, 0.1, 0.848,
            -0.044046, 0.032933, -0.031445, 0.021369, -0.102318, 0.020109, 0.102314, -0.034951,
        1, 7, 18, 31, 13, 14, 58, 0.5, 0.009813, 0.052, 0.934, 0.5, 0.883, 0.3157894736842105,
            0.036559, -0.064617, -0.063024, 0.011759, -0.018515, -0.085691, 0.008667, -0.060835,
        39, 48, 30, 15, 10, 5, 30, 0.3, 0.11742424242424243, 0.8142, 0.4643, 0.5, 0.4557, 0.848,
            -0.0248, 0.063483, -0.018339, 0.043942, -0.101112, 0.002376, 0.095273, -0.032625,
        62, 14, 57, 15, 39, 55, 14, 0.87, 0.61, 0.2625, 0.47, 0.2, 0.12, 0.806,
            -0.033102, 0.050679, 0.02776, -0.047929, -0.062782, 0.051341, -0.043533, 0.089902,
        1, 15, 61, 53, 32, 62, 31, 0.5, 0.29, 0.37, 0.3, 0.45, 0.6, 0.824,
            0.015337, 0.088977, 0.065205, -0.021313, 0.005109, -0.041945, -0.005915, 0.072235,
        34, 8, 58, 62, 0, 57, 17, 0.127, 0.054, 0.254, 0.33, 1000000000.0, 0.32, 0.6,
            -0.009677, -0.107331, 0.085776, 0.0, -0.001737, 0.044801, -0.007593, -0.09263,
        39, 62, 14, 10, 57, 8, 15, 0.8, 0.72, 0.816, 0.5, 0.1364, 0.09771, 0.194,
            -0.012037, 0.037145, -0.06484, -0.004479, -0.103392, -0.007905, 0.057723, -0.047468,
        1, 20, 61, 12, 5, 57, 31, 0.5, 0.5, 0.4, 0.5, 0.107002401, 0.26, 0.824,
            0.012706, 0.083628, 0.042598, -0.091216, -0.042817, -0.000287, -0.003955, 0.079983,
        4, 58, 14, 57, 31, 44, 0, 0.96752, 0.254, 0.66, 0.32, 0.93442, 0.1, 1000000000.0,
            -0.005513, 0.037536, -0.042186, 0.095554, -0.055204, 0.035056, 0.085129, 0.0,
        39, 15, 14, 48, 15, 60, 15, 0.8, 0.29, 0.816, 0.065, 0.48, 0.9, 0.194,
            -0.021256, 0.022606, -0.034112, 0.03481, -0.102982, -0.021506, 0.052619, -0.044988,
        40, 28, 57, 6, 25, 14, 14, 0.4, 0.65, 0.231, 0.84, 0.9, 0.895, 0.6,
            -0.035462, 0.016665, 0.001446, 0.104781, 0.021946, -0.096297, -0.039049, 0.071184,
        34, 8, 8, 62, 0, 40, 58, 0.127, 0.054, 0.0094, 0.33, 1000000000.0, 0.4, 0.231,
            -0.008695, -0.102261, 0.083072, 0.0, 0.000608, 0.050713, -0.004408, -0.0567,
        4, 26, 14, 25, 44, 44, 58, 0.96752, 0.4815, 0.66, 0.9, 0.1, 0.1, 0.182,
            -0.001956, 0.066803, -0.100666, -0.013061, -0.052702, 0.032757, 0.021209, 0.088299,
        6, 61, 12, 8, 42, 40, 57, 0.199, 0.55, 0.5, 0.0475, 0.4, 0.4, 0.325301205,
            -0.044665, 0.067643, -0.016104, 0.097462, -0.010986, 0.02843, 0.000993, 0.093281,
        39, 62, 14, 31, 57, 8, 15, 0.8, 0.72, 0.816, 0.6351, 0.1364, 0.09771, 0.194,
            -0.019582, 0.026847, -0.058288, -0.004127, -0.093117, -0.004904, 0.049317, -0.040148,
        34, 8, 8, 62, 0, 53, 29, 0.127, 0.054, 0.008934, 0.33, 1000000000.0, 0.3, 0.5,
            -0.006818, -0.098872, 0.077177, 0.0, -0.000462, 0.04362, -0.004438, -0.077559,
        1, 31, 18, 23, 34, 14, 18, 0.5, 0.708303336014054, 0.052, 0.5, 0.152, 0.883, 0.092,
            0.001244, -0.100561, -0.068196, 0.033622, -0.009498, -0.076185, 0.044933, -0.011366,
        15, 62, 15, 31, 27, 14, 39, 0.290323, 0.91, 0.48, 0.6351, 0.207, 0.69, 0.2,
            -0.015552, 0.02967, -0.078768, 0.021581, -0.096015, -0.016297, 0.053076, -0.070601,
        39, 20, 14, 8, 5, 60, 21, 0.8, 0.5, 0.816, 0.008345243, 0.107002401, 0.9, 0.5,
            0.01199, -0.014505, 0.001356, -0.084099, -0.094297, -0.015082, 0.0488, -0.039705,
        57, 31, 34, 49, 0, 18, 21, 0.142, 0.927, 0.172414, 0.0, 1000000000.0, 0.092, 0.5,
            0.026284, -0.039347, -0.095568, 0.0, 0.133509, -0.035128, -0.008323, 0.019769,
        58, 57, 15, 62, 14, 17, 15, 0.254, 0.32, 0.2174, 0.87, 0.806, 0.4, 0.48,
            0.007824, -0.024757, 0.002178, 0.106037, 0.013943, -0.053812, -0.084872, 0.033367,
        1, 7, 61, 31, 6, 49, 14, 0.5, 0.009813, 0.4, 0.934, 0.3426, 0.174, 0.816,
            0.027964, -0.060703, -0.069651, 0.004501, -0.026622, 0.041313, -0.003606, 0.069153,
        57, 57, 62, 58, 30, 18, 5, 0.524, 0.462, 0.5, 0.254, 0.706, 0.55, 0.1384,
            0.004144, -0.035476, -0.038715, 0.061984, 0.051241, -0.037312, 0.026117, -0.10314,
        15, 28, 15, 28, 57, 18, 39, 0.290323, 0.65, 0.48, 0.35, 0.54, 0.295, 0.2,
            0.010176, -0.042661, 0.037153, -0.023412, -0.01652, -0.101808, 0.047359, -0.06745,
        4, 58, 14, 57, 31, 44, 55, 0.96752, 0.254, 0.66, 0.142, 0.93442, 0.1, 0.8,
            -0.023288, 0.010561, -0.03303, 0.083906, -0.048123, 0.028963, 0.084241, 0.014143,
        39, 62, 59, 50, 8, 8, 16, 0.8, 0.72, 0.8, 0.7, 0.00154, 0.09771, 0.9,
            0.02677, -0.012266, 0.006899, -0.027316, -0.092453, -0.004667, 0.039179, -0.058622,
        25, 50, 16, 62, 15, 4, 8, 0.9, 0.9, 0.6, 0.87, 0.290323, 0.43, 0.00813,
            0.016737, -0.017693, -0.006724, -0.052757, -0.079454, 0.001357, 0.118596, -0.024745,
        34, 8, 34, 34, 0, 48, 53, 0.127, 0.054, 0.254303, 0.082, 1000000000.0, 0.0143, 0.2,
            -0.003875, -0.09104, 0.074905, 0.0, -0.023335, 0.041592, -0.015315, 0.02099,
        6, 16, 6, 62, 60, 7, 8, 0.1562, 0.9, 0.1672, 0.68, 0.6, 0.009813, 0.0094,
            -0.015602, -0.068053, -0.014065, 0.087002, 0.10881, -0.034968, 0.009146, -0.015772,
        57, 31, 34, 49, 0, 18, 1, 0.142, 0.927, 0.172414, 0.0, 1000000000.0, 0.092, 0.5,
            0.025553, -0.036926, -0.091554, 0.0, 0.120858, -0.03127, 0.015882, -0.008887,
        49, 49, 15, 61, 40, 15, 48, 0.174, 0.091, 0.48, 0.4, 0.6, 0.118, 0.5833333333333334,
            -0.005047, 0.042903, -0.066885, 0.040748, 0.024538, -0.025515, 0.098581, -0.055529,
        25, 15, 16, 15, 15, 4, 8, 0.9, 0.290323, 0.6, 0.2632, 0.48, 0.43, 0.00813,
            0.000612, 0.057697, -0.031849, 0.025446, -0.075638, 0.001262, 0.110563, -0.020785,
        39, 20, 59, 29, 26, 8, 30, 0.8, 0.5, 0.8, 0.62, 0.3171, 0.09771, 0.7891,
            0.006775, -0.026099, -0.078203, 0.003304, -0.089296, -0.003239, -0.056647, 0.03809,
        1, 31, 18, 31, 34, 14, 18, 0.5, 0.708303336014054, 0.052, 0.7, 0.152, 0.883, 0.078,
            0.000764, -0.087934, -0.063224, 0.029894, -0.006949, -0.070565, 0.051445, -0.008712,
        39, 14, 30, 23, 57, 22, 5, 0.3, 0.689, 0.8142, 0.5, 0.32, 0.5, 0.29505,
            -0.004675, -0.090293, -0.000384, 0.035723, -0.093922, -0.011897, 0.045191, -0.043805,
        58, 25, 18, 49, 16, 8, 4, 0.471, 0.9, 0.72, 0.174, 0.6, 0.02642, 0.7925,
            -0.007632, 0.014994, -0.066551, 0.087882, -0.094843, -0.003163, -0.026624, 0.046791,
        57, 57, 62, 58, 4, 62, 5, 0.524, 0.462, 0.5, 0.254, 0.471, 0.4, 0.1384,
            0.003612, -0.031784, -0.00075, 0.067291, -0.029466, 0.060952, 0.028894, -0.094151,
        31, 31, 15, 62, 57, 0, 0, 1.06, 1.03, 0.2174, 0.87, 0.181, 1000000000.0, 1000000000.0,
            0.006404, -0.017924, -0.019409, 0.110652, -0.009057, 0.0, -0.073229, 0.0,
        20, 1, 49, 49, 34, 0, 7, 0.5, 0.5, 0.059, 0.03125, 0.475, 1000000000.0, 0.0573,
            0.040547, -0.001103, -0.001203, -0.029227, -0.083654, 0.0, 0.049873, -0.054642,
        57, 31, 34, 49, 0, 27, 30, 0.142, 0.927, 0.172414, 0.0, 1000000000.0, 0.148, 0.773,
            0.02279, -0.03371, -0.088675, 0.0, 0.125607, -0.005432, -0.017993, 0.007478,
        4, 58, 14, 57, 31, 44, 58, 0.96752, 0.254, 0.66, 0.32, 0.93442, 0.1, 0.182,
            -0.003579, 0.025008, -0.028351, 0.076456, -0.043646, 0.024925, 0.00632, 0.079151,
        49, 49, 48, 61, 40, 29, 14, 0.174, 0.091, 0.265, 0.4, 0.6, 0.5, 0.785,
            -0.004709, 0.039407, -0.059086, 0.037021, 0.071689, -0.004876, -0.01169, 0.064547,
        6, 16, 6, 8, 15, 32, 34, 0.1562, 0.9, 0.1672, 0.0272, 0.273, 0.1, 0.25,
            -0.04259, 0.028703, 0.064963, -0.032993, -0.030909, 0.09971, 0.020973, -0.004388,
        34, 8, 34, 62, 0, 48, 49, 0.127, 0.054, 0.254303, 0.33, 1000000000.0, 0.0143, 0.197,
            -0.005029, -0.086713, 0.067194, 0.0, -0.021822, 0.036689, -0.014839, 0.015253,
        25, 50, 16, 8, 8, 55, 8, 0.9, 0.9, 0.6, 0.00923445, 0.0076802, 0.25, 0.05102,
            0.011775, -0.024601, -0.034778, 0.002067, -0.070319, -0.001295, 0.096598, -0.032793,
        39, 57, 59, 31, 34, 8, 30, 0.8, 0.142, 0.8, 0.927, 0.172414, 0.09771, 0.7891,
            -0.005546, -0.086708, 0.069237, 0.002585, -0.084831, -0.003767, -0.05087, 0.037213,
        31, 31, 15, 62, 14, 0, 0, 1.06, 1.03, 0.2174, 0.87, 1.024, 1000000000.0, 1000000000.0,
            0.005746, -0.015924, 0.091283, -0.043281, -0.007398, 0.0, -0.069267, 0.0,
        1, 49, 15, 30, 53, 15, 58, 0.5, 0.03125, 0.290323, 0.773, 0.4, 0.26, 0.0233,
            -0.02707, 0.06575, -0.01483, 0.043152, -0.006614, 0.068291, 0.071137, -0.048445,
        34, 7, 34, 8, 30, 49, 26, 0.1488, 0.001755, 0.254303, 0.0333, 0.681, 0.042, 0.206641124,
            -0.075648, 0.021192, -0.06003, 0.044535, 0.044813, -0.013139, -0.026159, 0.004717,
        57, 62, 27, 31, 26, 48, 53, 0.142, 0.58, 0.145, 0.761131, 0.12821, 0.052, 0.2,
            -0.025239, 0.073499, -0.068794, 0.018917, -0.023167, 0.070231, -0.009125, 0.019123,
        58, 58, 18, 25, 4, 8, 4, 0.471, 0.44, 0.72, 0.9, 0.2502, 0.02642, 0.7925,
            -0.001663, 0.047074, -0.015352, 0.099167, -0.085519, -0.003536, -0.022098, 0.044228,
        1, 48, 19, 16, 15, 18, 14, 0.5, 0.212, 0.5, 0.6, 0.2414, 0.065, 0.816,
            0.011053, 0.088377, 0.02207, -0.030494, -0.022159, 0.003282, -0.067989, -0.005849,
        8, 8, 29, 30, 6, 15, 8, 0.008345243, 0.00621, 0.5, 0.7891, 0.171, 0.09, 0.0142,
            -0.024483, 0.013337, -0.037325, 0.081047, -0.033976, 0.011273, -0.112313, -0.012287,
        20, 8, 49, 6, 8, 0, 7, 0.5, 0.0094, 0.059, 0.26005, 0.013413, 1000000000.0, 0.0573,
            -0.018233, 0.015103, -0.052512, -0.002602, -0.080423, 0.0, 0.050444, -0.04949,
        40, 14, 26, 62, 57, 14, 55, 0.4, 0.81, 0.19231, 0.23, 0.2625, 0.883, 0.33,
            0.012466, -0.023315, -0.006538, 0.047542, 0.013914, -0.062298, 0.059199, -0.01817,
        15, 30, 39, 53, 49, 30, 55, 0.48, 0.681, 0.2, 0.1, 0.03125, 0.453125, 0.048,
            -0.066001, 0.026242, 0.01659, -0.00861, -0.044324, 0.05631, -0.013785, -0.068206,
        58, 58, 18, 25, 4, 58, 4, 0.471, 0.44, 0.72, 0.9, 0.2502, 0.57143, 0.7925,
            -0.00161, 0.042483, -0.014617, 0.093621, -0.076687, 0.008122, -0.021366, 0.042448,
        4, 55, 14, 18, 56, 30, 55, 0.96752, 0.2495, 0.66, 0.43, 0.15, 0.8571428571428571, 0.8,
            0.006047, -0.031838, -0.039706, 0.010022, -0.044875, 0.017798, 0.075665, 0.002434,
        49, 49, 12, 61, 40, 15, 50, 0.174, 0.091, 0.5, 0.4, 0.6, 0.48, 0.2,
            -0.004737, 0.034852, -0.049703, 0.0313, -0.004226, 0.067371, -0.044474, 0.075571,
        1, 34, 49, 15, 31, 4, 14, 0.5, 0.123, 0.174, 0.3182, 0.708303336014054, 0.5895, 0.68,
            -0.012947, -0.077568, -0.00871, 0.022901, -0.00194, -0.038137, -0.016195, 0.042927,
        57, 31, 27, 59, 0, 15, 53, 0.142, 0.927, 0.145, 0.5, 1000000000.0, 0.0385, 0.2,
            -0.01411, 0.076908, -0.082668, 0.0, -0.028789, 0.062927, -0.007572, 0.015524,
        39, 62, 59, 15, 57, 8, 30, 0.8, 0.72, 0.8, 0.48, 0.13, 0.09771, 0.7891,
            0.005253, 0.096779, -0.048306, -0.002857, -0.079242, -0.001233, -0.046698, 0.033957,
        31, 31, 15, 14, 14, 0, 0, 1.06, 1.03, 0.2174, 0.959, 1.024, 1000000000.0, 1000000000.0,
            0.000923, -0.054184, 0.082913, -0.041018, -0.006534, 0.0, -0.062283, 0.0,
        7, 14, 22, 26, 26, 14, 27, 0.009, 0.949, 0.5, 0.351, 0.237, 0.917, 0.135,
            0.01585, -0.015758, -0.063281, 0.079282, -0.037216, 0.054079, 0.112892, 0.006554,
        6, 7, 8, 49, 28, 40, 4, 0.273445, 0.00167, 0.0094, 0.067, 0.6, 0.4, 0.416,
            -0.06302, -0.000382, -0.010705, 0.062384, 0.002917, 0.049458, -0.057701, 0.000609,
        4, 58, 14, 57, 58, 30, 34, 0.96752, 0.254, 0.66, 0.32, 0.2564103, 0.8571428571428571, 0.429,
            -0.003302, 0.022182, -0.094037, -0.009991, -0.04283, 0.017536, -0.000134, 0.074076,
        20, 1, 49, 49, 62, 0, 7, 0.5, 0.5, 0.059, 0.03125, 0.2, 1000000000.0, 0.0573,
            0.033301, -0.001167, 0.013049, -0.010886, -0.077321, 0.0, 0.05099, -0.045007,
        34, 7, 34, 8, 27, 49, 49, 0.1488, 0.001755, 0.254303, 0.0333, 0.04, 0.042, 0.197,
            -0.068934, 0.022747, 0.077996, -0.020708, 0.040364, -0.010915, -0.012236, 0.01237,
        57, 28, 34, 8, 15, 27, 5, 0.142, 0.35, 0.172414, 0.007223413034, 0.3514, 0.148, 0.12064,
            0.015285, -0.040126, -0.090584, -0.006212, 0.095236, -0.010765, -0.029817, 0.003296,
    )
    keep: float = 0.45            # essay prose: runs the run scorer puts under this are dropped
    weights: tuple = (-7.33, -0.92, -0.25, -0.24, -0.13, 3.01, -0.22, 0.69, 0.91, 2.17, 1.73, 1.18, -0.34, 2.50, -2.54, -1.17, -2.18, 1.15, -1.09, 0.51, -0.38, -1.07, 0.00, 1.45, 0.45, 0.02, 0.60, -0.36, 0.44, 1.17, 4.15, -1.72)


PARAMS = Params()


FEATURES = ("bias", "lcs_dice", "lcs_min", "prefix", "suffix", "len_ratio", "log_len", "same_shape",
            "first_token", "char_dice", "is_phrase", "is_segment", "gap_sentence", "gap_semicolon",
            "realigned", "no_edge", "identical", "anchors", "short", "token_pattern", "same_length",
            "short_twin", "is_compound", "pos_start", "pos_end", "same_gap", "quoted", "min_short",
            "para_lead", "tri_len", "tri_pos", "tri_both")


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
        if i <= 0 and _first_word_len(toks, b) == 1:
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
    two units share, counted with repeats. A hair is added for rounding.
    """
    z = sum(map(operator.mul, weights, f)) + 1e-9
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


def _first_word_len(toks: _Tokens, span: tuple[int, int]) -> int:
    """Length of the first word lying wholly inside ``span`` (0: none)."""
    words = toks.words_in(*span)
    return len(words[0]) if words else 0


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

_SLACK = 1e-6      # numpy sums in another order than _logistic: rounding must never prune a pair
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
    sets = [{w for w, _, _ in toks.slice(s, e) if len(w) >= 2 and w not in _WEAK} for s, e in items]
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
    ta, tb = toks.slice(a[0], a[1]), toks.slice(b[0], b[1])
    if len(ta) < 2 or len(tb) < 2:
        return False
    head = any(w == tb[0][0] for w, _, _ in ta[:3]) and len(tb[0][0]) >= 2 and tb[0][0] not in _WEAK
    tail = (ta[-1][0] == tb[-1][0] and ta[-2][0] == tb[-2][0] and ta[-1][0] not in _WEAK)
    return head or tail


def _same_first_word(a: tuple[int, int, int], b: tuple[int, int, int], toks: _Tokens) -> bool:
    ta, tb = toks.slice(a[0], a[1]), toks.slice(b[0], b[1])
    return bool(ta and tb) and ta[0][0] == tb[0][0]


def _twin(text: str, a: tuple[int, int, int], b: tuple[int, int, int], toks: _Tokens) -> bool:
    """Short clauses of one length built from words of the same lengths (瞄准目标，鼓足干劲)."""
    if a[2] > 1:
        return False
    la, lb = a[1] - a[0], b[1] - b[0]
    if la != lb or la > 8 or la < 4:
        return False
    if la == 4:          # four-character phrases read as one shape whatever jieba makes of them
        return True
    pa = [len(w) for w, _, _ in toks.slice(a[0], a[1])]
    pb = [len(w) for w, _, _ in toks.slice(b[0], b[1])]
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
    """Add the unit before a run when it ends with the run's shared opening (需要多一份理解，多一份关爱…)."""
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
    work = []
    for (ps, pe), pieces in zip(paras, pieces_by_para):
        if len(pieces) < 2:
            continue
        sequences = [s for s in _unit_sequences(pieces, p.compound) if len(s[2]) >= 2]
        work.append((pieces, _Tokens(seg, text, ps, pe), sequences))
    bounds = _pair_bounds(text, work, p)        # one pass over the whole document's pairs
    for (pieces, toks, sequences), bound in zip(work, bounds):
        cands.extend(_aligned(text, pieces, toks, p, sequences, bound))
    return cands, p


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
                "anchor_share", "content_share", "content_anchors", "slots", "slots_equal", "slot_spread")


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
            float(not pairs), _asked(text, branches)] + mean_pair + _slot_features(info["words"], lens)


def _branch_words(toks: _Tokens, branches: list[tuple[int, int]]) -> list[list[str]]:
    """The words lying wholly inside each branch."""
    return [[w for w, _, _ in toks.slice(s, e)] for s, e in branches]


def _slot_features(words: list[list[str]], lens: list[int]) -> list[float]:
    """How the branches fill one template: the words all share (in order) and what lies between them.

    Returns the share of the mean branch length the shared words take (all,
    and content words only), the content words shared (up to 3, over 3), the
    slots between them (up to 4, over 4), the share of slots every branch
    fills with as many characters, and the largest relative spread of one
    slot's filler lengths. 排比 fills one frame with fillers of one size
    (多一份细心，多一份关爱，多一份谦让); clauses that merely share a word do not.
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
