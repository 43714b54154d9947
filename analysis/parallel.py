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
higher mean score (``min_sim_pair``) than longer runs (``min_sim``).

In essay prose (no 一、/一是 framework) a second stage decides instead: runs
are formed at several pair-score thresholds (``run_thresholds``), so one
stretch yields candidates of several extents; each is scored as a whole by a
second logistic regression over :data:`RUN_FEATURES` (branch count, mean, min
and neighbouring pair scores, shared opening and ending, length spread,
branches closed by ？ or ！, mean pair features …), averaged with boosted
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
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Optional, Sequence

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

    def slice(self, s: int, e: int) -> list[tuple[str, int, int]]:
        # each unit is looked up by the pair before it and the pair after it, at several granularities
        key = (s, e)
        out = self._cache.get(key)
        if out is None:
            i = bisect.bisect_left(self.starts, s)
            j = bisect.bisect_right(self.ends, e, lo=i)
            out = self._cache[key] = list(zip(self.words[i:j], self.starts[i:j], self.ends[i:j]))
        return list(out)


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
    run_weights: tuple = (-4.86, -0.92, 0.05, 1.65, -0.97, 0.11, 1.46, 0.22, -0.06, 0.12, 0.16, 0.00, 0.51, 0.95, -0.75, -0.94, 1.27, -0.63, 0.05, -1.08, -1.57, 0.35, 0.00, -2.18, -0.04, 0.45, -1.16, 1.09, -0.52, 0.19, 2.19, -1.06, 0.45, 0.30, 0.23, 0.16, 0.16, 0.51, 0.95, -1.40, 0.05, -2.31, 0.95, -0.70, 0.12, -0.77, -1.66, 0.00, 1.08, 1.63, -0.43, 2.45, 0.04, 0.39, 0.52, 0.93, -0.34)
    run_trees: tuple = (   # essay prose: boosted trees averaged with run_weights (empty: logistic alone)
        0.008866,            # base logit; then per tree: 7 split features, 7 thresholds, 8 leaf values
        6, 6, 3, 28, 31, 15, 39, 0.637, 0.295, 0.9, 0.65, 0.90905, 0.2174, 0.3,
            -0.14324, -0.07717, -0.001244, -0.108457, 0.069023, -0.063821, 0.157948, 0.034558,
        6, 4, 6, 2, 14, 34, 50, 0.637, 0.251813, 0.84, 0.5, 0.895, 0.225431, 0.78,
            -0.132344, -0.069501, -0.005898, -0.109428, -0.106702, 0.069792, 0.147189, 0.070419,
        6, 4, 1, 14, 14, 39, 53, 0.637, 0.251813, 0.5, 0.89, 0.895, 0.3, 0.1,
            -0.098725, -0.156306, -0.005317, -0.099765, 0.133696, 0.022258, -0.023111, 0.075596,
        6, 6, 6, 14, 26, 34, 50, 0.637, 0.295, 0.84, 0.89, 0.206, 0.225431, 0.78,
            -0.0855, -0.146004, -0.059121, 0.022731, -0.102802, 0.056551, 0.126602, 0.056415,
        6, 6, 1, 27, 14, 39, 4, 0.637, 0.199, 0.5, 0.207, 0.895, 0.3, 0.891,
            -0.128491, -0.073029, -0.009782, -0.098722, 0.11655, 0.012675, -0.011714, 0.083309,
        6, 6, 6, 28, 14, 34, 14, 0.637, 0.199, 0.84, 0.8, 0.895, 0.225431, 0.594,
            -0.107768, -0.020592, -0.00882, -0.091157, -0.097391, 0.047016, -0.011024, 0.104854,
        6, 6, 1, 14, 26, 39, 53, 0.637, 0.31, 0.5, 0.89, 0.206, 0.3, 0.1,
            -0.066291, -0.124847, -0.048124, 0.027902, 0.103488, 0.004985, -0.032555, 0.054907,
        6, 27, 6, 14, 14, 40, 50, 0.4113, 0.207, 0.84, 0.89, 0.704, 0.6, 0.78,
            -0.068001, -0.13604, -0.076681, 0.017707, -0.010547, 0.08933, 0.099847, 0.031446,
        6, 6, 1, 27, 14, 5, 15, 0.637, 0.199, 0.5, 0.207, 0.895, 0.418, 0.2174,
            -0.104062, -0.051458, -0.002849, -0.077296, 0.014724, 0.096869, 0.02921, -0.06557,
        6, 27, 1, 2, 53, 5, 10, 0.4113, 0.179, 0.5, 0.5, 0.1, 0.3833, 0.5,
            -0.097881, -0.015065, -0.054911, 0.039781, 0.012186, 0.088389, -0.07025, 0.013216,
        6, 1, 14, 7, 26, 53, 15, 0.84, 0.5, 0.594, 0.0087, 0.1831, 0.4, 0.2174,
            0.041692, -0.042119, -0.078166, -0.017281, -0.073113, 0.065843, 0.095663, 0.0437,
        6, 28, 4, 14, 25, 31, 8, 0.4113, 0.6, 0.897, 0.883, 0.6, 0.618, 0.00977,
            -0.047407, -0.106406, -0.022246, 0.105592, -0.057302, 0.027591, 0.103182, 0.034635,
        1, 5, 18, 7, 14, 49, 14, 0.5, 0.3522, 0.065, 0.0087, 0.586, 0.182, 0.6,
            0.020518, -0.054947, -0.033932, 0.086162, -0.09036, 0.000762, -0.084256, 0.011683,
        6, 4, 50, 30, 53, 13, 53, 0.84, 0.2502, 0.78, 0.681, 0.3, 0.5, 0.8,
            -0.104097, -0.042716, -0.024882, 0.048169, -0.075395, 0.079517, 0.034631, -0.08433,
        1, 5, 18, 31, 39, 49, 14, 0.5, 0.3522, 0.065, 0.94003, 0.3, 0.182, 0.6,
            0.012739, -0.095773, 0.080102, -0.020829, -0.083236, 0.002704, -0.076183, 0.011392,
        1, 15, 26, 53, 32, 48, 14, 0.5, 0.29, 0.1831, 0.1, 0.45, 0.14, 0.806,
            0.030469, 0.116008, 0.074031, -0.020131, -0.076595, -0.004997, -0.034566, 0.060706,
        6, 6, 50, 28, 12, 13, 53, 0.84, 0.199, 0.78, 0.8, 0.5, 0.5, 0.8,
            -0.064729, 0.007388, -0.01613, 0.054488, -0.078455, 0.070505, 0.025673, -0.07447,
        1, 15, 18, 53, 32, 49, 14, 0.5, 0.29, 0.065, 0.3, 0.45, 0.182, 0.6,
            0.02747, 0.112541, 0.068973, -0.019477, -0.073179, 0.007155, -0.066615, 0.011738,
        6, 14, 53, 14, 26, 14, 34, 0.4113, 0.89, 0.3, 0.704, 0.26014, 0.61, 0.28904,
            -0.047122, 0.010787, -0.101226, 0.066806, -0.061618, 0.015029, -0.037818, 0.080066,
        1, 15, 26, 53, 32, 48, 14, 0.5, 0.29, 0.1831, 0.3, 0.45, 0.14, 0.806,
            0.025885, 0.106691, 0.06252, -0.01841, -0.065503, -0.000119, -0.028612, 0.053466,
        4, 30, 53, 15, 14, 14, 26, 0.2502, 0.681, 0.2, 0.48, 0.88, 0.61, 0.1364,
            -0.117032, 0.003284, -0.012957, -0.076131, -0.055963, 0.005723, -0.043407, 0.067031,
        1, 5, 18, 31, 14, 14, 15, 0.5, 0.3522, 0.052, 0.94003, 0.586, 0.883, 0.29,
            0.009458, -0.090864, -0.041232, 0.061306, -0.027644, -0.092228, 0.009509, -0.059123,
        4, 53, 8, 34, 26, 10, 8, 0.897, 0.2, 0.00977, 0.475, 0.143, 0.5, 0.01214,
            -0.009976, -0.060982, -0.058604, 0.053742, -0.004778, 0.086488, -0.124201, 0.020923,
        1, 15, 18, 53, 34, 14, 19, 0.5, 0.29, 0.065, 0.3, 0.203, 0.883, 0.5,
            0.022672, 0.099459, -0.083325, 0.007564, -0.020883, -0.081399, 0.004961, -0.105923,
        14, 15, 48, 56, 0, 27, 39, 0.61, 0.5, 0.143, 0.07, 1000000000.0, 0.207, 0.3,
            -0.065152, -0.010679, 0.09208, 0.0, -0.037218, 0.019585, 0.04366, -0.050995,
        4, 30, 53, 30, 7, 42, 34, 0.2502, 0.681, 0.2, 0.51613, 0.00167, 0.14, 0.16,
            0.005861, -0.110276, -0.042956, 0.006201, 0.064812, -0.011048, -0.085691, 0.050026,
        1, 15, 15, 53, 32, 27, 49, 0.5, 0.29, 0.290323, 0.3, 0.45, 0.205, 0.0323,
            0.020988, 0.094268, 0.056018, -0.018001, -0.036164, 0.014491, -0.086028, 0.002882,
        14, 15, 49, 13, 0, 48, 29, 0.61, 0.5, 0.174, 0.5, 1000000000.0, 0.143, 0.5,
            -0.053895, 0.016, 0.088389, 0.0, -0.024222, 0.018243, 0.072383, -0.007109,
        14, 15, 30, 13, 34, 39, 48, 0.61, 0.47, 0.7891, 0.5, 0.51064, 0.2, 0.098,
            -0.051208, 0.014679, 0.097055, -0.03125, -0.008683, -0.086083, -0.015774, 0.041745,
        1, 20, 27, 39, 5, 26, 31, 0.5, 0.5, 0.474, 0.3, 0.107002401, 0.1831, 0.75,
            0.033605, -0.026421, 0.046246, -0.104658, -0.032484, 0.011587, -0.04508, -0.132708,
        6, 8, 40, 48, 16, 12, 48, 0.199, 0.0475, 0.6, 0.2143, 0.1, 0.5, 0.0345,
            -0.054047, -0.002536, 0.108291, -0.015747, -0.010981, 0.041857, -0.003281, 0.085941,
        4, 26, 14, 25, 44, 44, 0, 0.96752, 0.4815, 0.66, 0.6, 0.1, 0.1, 1000000000.0,
            -0.002512, 0.069167, -0.108767, -0.028394, -0.048986, 0.041391, 0.090411, 0.0,
        39, 14, 14, 19, 48, 14, 0, 0.8, 0.61, 0.85, 0.5, 0.14, 0.816, 1000000000.0,
            -0.036963, 0.061134, -0.010636, 0.02741, -0.10499, -0.026623, 0.03983, 0.0,
        1, 7, 19, 31, 22, 18, 14, 0.5, 0.01016, 0.5, 0.934, 0.5, 0.052, 0.816,
            0.036331, -0.069642, -0.047389, 0.032605, -0.03611, 0.002717, -0.098328, -0.01681,
        15, 31, 15, 10, 48, 14, 39, 0.290323, 0.6351, 0.48, 0.5, 0.098, 0.69, 0.2,
            -0.034933, 0.037583, -0.009817, 0.039081, -0.094006, -0.022049, 0.052554, -0.085179,
        40, 28, 26, 4, 25, 48, 51, 0.4, 0.65, 0.143, 0.386, 0.9, 0.07, 0.6,
            -0.052869, -0.004729, 0.002004, 0.092882, -0.052134, 0.078358, 0.036816, 0.117628,
        1, 15, 19, 53, 32, 15, 14, 0.5, 0.29, 0.5, 0.3, 0.45, 0.290323, 0.816,
            0.015613, 0.086367, 0.051576, -0.018454, 0.000311, -0.03984, -0.094449, -0.017918,
        4, 26, 14, 34, 44, 44, 0, 0.96752, 0.4815, 0.66, 0.127, 0.1, 0.1, 1000000000.0,
            -0.054434, 0.003965, -0.102453, -0.022917, -0.048781, 0.035371, 0.085172, 0.0,
        39, 8, 30, 6, 48, 5, 30, 0.3, 0.008345243, 0.8142, 0.273445, 0.07, 0.4557, 0.848,
            -0.021084, 0.028012, -0.052607, 0.000693, -0.105055, 0.015947, 0.119499, -0.025139,
        40, 28, 26, 55, 25, 48, 15, 0.4, 0.65, 0.143, 0.145, 0.9, 0.07, 0.38,
            -0.0366, 0.009794, 0.001225, 0.086772, -0.046826, 0.070477, 0.065642, -0.032669,
        40, 4, 26, 15, 14, 22, 34, 0.4, 0.96752, 0.143, 0.49, 0.66, 0.5, 0.254303,
            -0.014841, 0.033894, -0.00303, 0.080537, -0.040675, 0.074416, 0.129859, 0.033585,
        15, 31, 15, 10, 27, 48, 39, 0.290323, 0.6351, 0.48, 0.5, 0.2, 0.2775, 0.2,
            -0.030753, 0.031884, -0.007096, 0.034216, -0.013495, -0.076254, 0.048597, -0.074327,
        1, 7, 27, 31, 7, 26, 31, 0.5, 0.01016, 0.474, 0.934, 0.097, 0.1831, 0.75,
            0.031625, -0.063003, -0.036833, 0.045918, -0.021988, 0.008234, -0.029832, -0.117383,
        40, 28, 14, 4, 15, 6, 26, 0.4, 0.65, 0.883, 0.485, 0.211, 0.2052, 0.19231,
            -0.039158, 0.001649, 0.031463, -0.016246, -0.013355, 0.052752, -0.067869, 0.058115,
        39, 20, 25, 8, 5, 14, 18, 0.8, 0.5, 0.1, 0.008345243, 0.107002401, 0.816, 0.262,
            0.012461, -0.01496, 0.011349, -0.089991, -0.096692, -0.029031, 0.07594, -0.038852,
        26, 49, 4, 49, 48, 34, 0, 0.4815, 0.174, 0.97344, 0.091, 0.278, 0.6157, 1000000000.0,
            0.002338, -0.046357, 0.048394, -0.004467, -0.009296, -0.082506, 0.052571, 0.0,
        1, 7, 42, 15, 6, 4, 53, 0.5, 0.01016, 0.1, 0.30435, 0.3426, 0.113, 0.1,
            0.045523, 0.000824, -0.070249, 0.003639, -0.060082, 0.058605, -0.026117, 0.010207,
        39, 14, 30, 15, 49, 5, 30, 0.3, 0.61, 0.8142, 0.47, 0.174, 0.4557, 0.848,
            -0.031701, 0.065844, 0.000199, 0.038929, -0.094491, 0.016075, 0.112421, -0.02109,
        29, 49, 42, 49, 45, 31, 22, 0.62, 0.197, 0.59, 0.091, 0.4, 0.738, 0.5,
            0.002118, -0.039142, 0.092452, 0.001933, -0.019923, 0.053811, -0.089064, 0.027771,
        15, 31, 15, 42, 48, 30, 49, 0.290323, 0.6351, 0.34, 0.4, 0.098, 0.783, 0.0,
            -0.006779, -0.048149, -0.008877, 0.030467, -0.098488, 0.008694, -0.042268, 0.019661,
        14, 8, 16, 53, 29, 0, 0, 1.024, 0.008345243, 0.4, 0.4, 0.5, 1000000000.0, 1000000000.0,
            -0.001872, 0.043504, -0.003208, -0.07375, 0.019968, 0.0, -0.091369, 0.0,
        4, 26, 14, 31, 44, 44, 55, 0.96752, 0.4815, 0.66, 0.957, 0.1, 0.1, 0.8,
            0.004842, -0.026616, -0.085764, -0.010971, -0.047681, 0.027917, 0.083329, 0.010518,
        20, 1, 5, 49, 42, 1, 34, 0.5, 0.5, 0.107002401, 0.03125, 0.1, 0.5, 0.429,
            0.043278, -0.000395, 0.029467, -0.012833, 0.044938, -0.029705, -0.093847, -0.015686,
        34, 34, 50, 34, 8, 53, 12, 0.127, 0.082, 0.7, 0.03, 0.0333, 0.1, 0.5,
            -0.031832, 0.10624, -0.094935, 0.037778, 0.001801, 0.038496, -0.03053, 0.016701,
        15, 31, 15, 28, 48, 14, 39, 0.290323, 0.6351, 0.48, 0.8, 0.098, 0.69, 0.2,
            -0.024567, 0.023246, -0.007564, 0.02733, -0.080695, -0.013854, 0.042984, -0.065381,
        39, 14, 14, 8, 16, 42, 0, 0.8, 1.024, 0.85, 0.008345243, 0.4, 0.7, 1000000000.0,
            0.010151, -0.012242, 0.019346, -0.087414, -0.089312, -0.024051, 0.050482, 0.0,
        40, 30, 31, 8, 30, 6, 26, 0.4, 0.48333333333333334, 0.94030003, 0.015111, 0.791, 0.2052, 0.19231,
            0.106118, -0.042013, -0.028012, 0.001062, -0.014581, 0.039944, -0.085798, 0.040969,
        20, 1, 5, 49, 42, 1, 34, 0.5, 0.5, 0.107002401, 0.03125, 0.1, 0.5, 0.429,
            0.040036, -0.000622, 0.028254, -0.011943, 0.043745, -0.028201, -0.08886, -0.014726,
        34, 8, 34, 34, 0, 14, 26, 0.127, 0.054, 0.25, 0.082, 1000000000.0, 0.895, 0.206641124,
            0.014148, -0.091929, 0.086165, 0.0, 0.042254, -0.032388, -0.030776, 0.006565,
        39, 14, 30, 23, 27, 5, 5, 0.3, 0.689, 0.8142, 0.5, 0.278, 0.4557, 0.29505,
            -0.004993, -0.092758, -0.004148, 0.03598, -0.087316, 0.015574, 0.053543, -0.040978,
        18, 49, 7, 49, 29, 7, 4, 0.55, 0.197, 0.005723, 0.091, 0.62, 0.00234, 0.9914144,
            0.002908, -0.032473, 0.034069, -0.023754, -0.024603, 0.040469, -0.094523, 0.022442,
        15, 31, 15, 42, 27, 30, 49, 0.290323, 0.6351, 0.34, 0.4, 0.2, 0.783, 0.018,
            -0.003845, -0.042273, -0.006499, 0.024848, -0.089593, 0.007534, -0.036071, 0.019793,
        20, 39, 49, 8, 30, 0, 55, 0.5, 0.3, 0.059, 0.008345243, 0.73, 1000000000.0, 0.0,
            0.012028, -0.012633, -0.086989, -0.010634, -0.085922, 0.0, 0.070081, -0.045621,
        14, 31, 16, 14, 30, 0, 0, 1.024, 1.03, 0.4, 0.959, 0.474, 1000000000.0, 1000000000.0,
            0.00171, -0.067617, -0.048959, 0.096317, 0.019655, 0.0, -0.083841, 0.0,
        17, 49, 26, 34, 45, 14, 53, 0.6, 0.197, 0.291, 0.254303, 0.4, 0.843, 0.1,
            0.016692, -0.013477, 0.071138, 0.001924, 0.04907, -0.032111, -0.094339, 0.002977,
        25, 50, 16, 34, 31, 55, 8, 0.9, 0.9, 0.6, 0.123, 0.92222, 0.25, 0.05102,
            -0.050557, 0.008829, -0.00733, -0.058596, -0.076189, 0.001258, 0.097986, -0.039225,
        7, 7, 22, 14, 4, 28, 27, 0.0087, 0.0079041, 0.5, 0.949, 0.206, 0.6, 0.125,
            0.007699, -0.039051, 0.124076, 0.016403, -0.052851, 0.011133, 0.14037, 0.014432,
        31, 23, 48, 50, 5, 27, 6, 0.708303336014054, 0.5, 0.556, 0.7, 0.281384, 0.279, 0.966,
            0.015745, -0.031709, -0.020277, -0.110872, -0.00311, 0.030698, -0.118582, 0.034965,
        39, 6, 14, 18, 6, 8, 21, 0.8, 0.1562, 0.816, 0.197, 0.1672, 0.09771, 0.5,
            -0.040259, 0.017981, 0.07733, 0.002857, -0.083337, -0.000735, 0.071464, -0.04039,
        15, 10, 51, 34, 27, 34, 18, 0.290323, 0.5, 0.6, 0.3974, 0.2, 0.203, 0.092,
            0.022631, -0.031974, -0.011482, 0.033186, -0.087959, -0.015392, 0.048142, -0.063249,
        29, 49, 26, 34, 45, 49, 53, 0.7, 0.197, 0.291, 0.254303, 0.4, 0.1553, 0.1,
            0.017342, -0.012891, 0.064869, 0.0014, -0.024299, 0.043874, -0.08569, 0.000548,
        39, 7, 25, 31, 22, 14, 18, 0.8, 0.0087, 0.1, 0.934, 0.5, 0.816, 0.262,
            0.012499, -0.025113, -0.029825, 0.033442, -0.084091, -0.01687, 0.066757, -0.030225,
        15, 15, 31, 18, 8, 6, 55, 0.290323, 0.2632, 0.761131, 0.068, 0.0, 0.8081414331, 0.126,
            -0.018211, 0.010552, 0.086687, 0.000255, -0.014515, -0.099767, -0.011363, 0.076723,
        40, 42, 5, 50, 34, 50, 8, 0.6, 0.14, 0.2767, 0.7, 0.123, 0.2, 0.0272,
            0.101984, -0.019758, -0.098365, -0.00608, -0.052967, 0.021478, 0.063318, -0.011856,
        31, 23, 48, 13, 5, 27, 6, 0.708303336014054, 0.5, 0.556, 0.5, 0.281384, 0.279, 0.966,
            -0.016647, 0.030642, -0.016979, -0.097742, -0.002677, 0.027669, -0.108075, 0.033224,
        29, 30, 42, 8, 31, 27, 30, 0.62, 0.792, 0.59, 0.00621, 0.824, 0.4524, 0.9473684210526315,
            -0.026578, 0.018787, -0.001408, 0.035798, 0.031484, -0.037216, -0.072266, 0.012482,
        25, 42, 16, 5, 40, 55, 8, 0.9, 0.14, 0.6, 0.113, 0.6, 0.25, 0.00813,
            -0.038088, 0.037188, -0.010452, 0.016835, -0.072752, 0.000533, 0.094672, -0.027347,
        30, 30, 30, 28, 21, 4, 53, 0.48333333333333334, 0.453125, 0.59, 0.3, 0.5, 0.6867, 0.4,
            -0.063376, 0.02784, 0.126267, -0.003692, -0.065396, 0.036395, -0.004359, 0.013588,
        4, 26, 14, 49, 12, 44, 55, 0.96752, 0.351, 0.66, 0.1771, 0.5, 0.1, 0.8,
            -0.003555, 0.025523, -0.033635, 0.055034, -0.044414, 0.022246, 0.075956, 0.001278,
        39, 28, 25, 25, 25, 14, 18, 0.8, 0.65, 0.1, 0.1, 0.1, 0.816, 0.262,
            -0.000566, -0.082112, 0.004911, 0.057051, -0.079992, -0.015298, 0.063472, -0.029458,
        14, 31, 16, 14, 30, 0, 0, 1.024, 1.03, 0.4, 0.959, 0.474, 1000000000.0, 1000000000.0,
            0.001178, -0.056924, -0.03495, 0.088094, 0.0224, 0.0, -0.076447, 0.0,
        20, 1, 49, 49, 19, 0, 7, 0.5, 0.5, 0.059, 0.03125, 0.5, 1000000000.0, 0.0573,
            0.037414, -0.003576, -0.003257, -0.058936, -0.080339, 0.0, 0.05802, -0.046734,
        27, 14, 27, 30, 22, 7, 53, 0.121, 0.857, 0.14103, 0.9473684210526315, 0.5, 0.009, 0.4,
            0.032045, -0.041279, -0.101067, -0.01771, 0.102152, -0.036439, -0.00825, 0.021254,
        4, 55, 19, 55, 29, 40, 0, 0.97344, 0.237, 0.5, 0.2, 0.0, 0.6, 1000000000.0,
            0.000384, 0.068424, -0.032124, 0.012406, 0.068066, -0.009846, -0.025113, 0.0,
        29, 49, 42, 49, 45, 8, 22, 0.62, 0.197, 0.59, 0.091, 0.4, 0.2013, 0.5,
            0.00251, -0.033059, 0.068635, -0.001251, 0.031782, -0.021894, -0.062405, 0.031755,
        30, 30, 30, 28, 21, 4, 28, 0.48333333333333334, 0.453125, 0.59, 0.3, 0.5, 0.6867, 0.65,
            -0.060448, 0.026039, 0.111782, -0.001187, -0.062517, 0.034733, -0.004891, 0.010415,
        14, 31, 16, 14, 30, 0, 0, 1.024, 1.03, 0.4, 0.959, 0.474, 1000000000.0, 1000000000.0,
            0.001108, -0.053492, -0.031476, 0.082869, 0.022397, 0.0, -0.073903, 0.0,
        50, 8, 18, 53, 4, 14, 14, 0.7, 0.00923445, 0.07, 0.4, 0.416, 0.881, 0.71,
            0.002233, 0.04778, -0.072775, 0.011701, -0.005272, -0.093211, -0.026175, 0.027982,
        15, 15, 15, 30, 8, 30, 31, 0.290323, 0.2632, 0.34, 0.7561, 0.0, 0.783, 0.8713,
            -0.053623, 0.004169, 0.079991, -0.001129, -0.080133, 0.004849, -0.017805, 0.032627,
        15, 30, 49, 8, 17, 26, 15, 0.48, 0.6333333333333333, 0.0143, 0.0731, 0.6, 0.065, 0.5333333333333333,
            -0.076643, 0.031268, 0.003275, -0.031761, 0.068946, -0.056298, 0.095012, 0.008031,
        20, 1, 49, 49, 34, 0, 7, 0.5, 0.5, 0.059, 0.03125, 0.082, 1000000000.0, 0.0573,
            0.034081, -0.003163, 0.059194, -0.006736, -0.077164, 0.0, 0.056346, -0.04293,
        27, 14, 14, 31, 22, 26, 18, 0.121, 0.857, 0.806, 0.87, 0.5, 0.186, 0.065,
            -0.001667, 0.096613, -0.098116, -0.016054, 0.022089, -0.013721, -0.012454, 0.040062,
        15, 28, 15, 28, 5, 30, 49, 0.290323, 0.65, 0.34, 0.35, 0.4331201, 0.783, 0.018,
            0.00964, -0.036308, 0.037632, -0.000638, -0.076777, 0.004975, -0.03023, 0.017869,
        5, 26, 40, 27, 44, 34, 0, 0.976, 0.4815, 0.6, 0.417, 0.1, 0.67, 1000000000.0,
            -0.001455, 0.023144, -0.066724, 0.007109, 0.062583, 0.002507, -0.009962, 0.0,
        42, 5, 34, 48, 8, 30, 34, 0.14, 0.113, 0.1488, 0.0625, 0.00148, 0.914, 0.254303,
            -0.06289, 0.006446, -0.012741, 0.052692, -0.088984, 0.053626, 0.022392, -0.005473,
        50, 26, 12, 15, 27, 8, 34, 0.7, 0.351, 0.5, 0.1154, 0.417, 0.043442, 0.348,
            0.034389, 0.000741, -0.063519, 0.003195, -0.042466, 0.007414, -0.035873, 0.046681,
        8, 8, 27, 27, 6, 49, 3, 0.216, 0.151, 0.1875, 0.121, 0.593, 0.021, 1.2,
            -0.019262, 0.003726, 0.077468, -0.004785, 0.055969, -0.024869, -0.044839, 0.018275,
        39, 8, 14, 8, 48, 42, 0, 0.8, 0.008345243, 0.85, 0.0063234, 0.07, 0.7, 1000000000.0,
            0.000952, 0.05978, -0.037131, 0.003047, -0.073049, -0.013173, 0.049126, 0.0,
        4, 5, 14, 26, 15, 8, 55, 0.96752, 0.96, 0.66, 0.351, 0.05, 0.00492, 0.8,
            0.00311, -0.014871, 0.001074, -0.102365, 0.01164, -0.0522, 0.071287, -0.001381,
        6, 14, 34, 2, 0, 7, 34, 0.113, 0.85, 0.082, 0.5, 1000000000.0, 0.022, 0.127,
            -0.067437, 0.023471, 0.082134, 0.0, 0.105773, -0.031345, -0.055552, 0.001744,
    )
    keep: float = 0.4             # essay prose: runs the run scorer puts under this are dropped
    weights: tuple = (-7.33, -0.92, -0.25, -0.24, -0.13, 3.01, -0.22, 0.69, 0.91, 2.17, 1.73, 1.18, -0.34, 2.50, -2.54, -1.17, -2.18, 1.15, -1.09, 0.51, -0.38, -1.07, 0.00, 1.45, 0.45, 0.02, 0.60, -0.36, 0.44, 1.17, 4.15, -1.72)


PARAMS = Params()


FEATURES = ("bias", "lcs_dice", "lcs_min", "prefix", "suffix", "len_ratio", "log_len", "same_shape",
            "first_token", "char_dice", "is_phrase", "is_segment", "gap_sentence", "gap_semicolon",
            "realigned", "no_edge", "identical", "anchors", "short", "token_pattern", "same_length",
            "short_twin", "is_compound", "pos_start", "pos_end", "same_gap", "quoted", "min_short",
            "para_lead", "tri_len", "tri_pos", "tri_both")


def _features(text: str, a: tuple[int, int], b: tuple[int, int], gap: int, level: int,
              toks: _Tokens, p: Params, gap_b: int = -1,
              around: Sequence[tuple[int, int]] = ()) -> Optional[list[float]]:
    """Features of two adjacent units (``None`` when they cannot be branches of one parallelism).

    ``around`` holds the units just before ``a`` and just after ``b`` (when
    there are any): a third unit of the same shape makes a 排比 far likelier.
    """
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
        if i <= 0 and tb_first_len(toks, b) == 1:
            i = _token_start_of(toks, a, sb[0])
        if i > 0 and la - i >= 2:
            a = (a[0] + i, a[1])
            sa = sa[i:]
            la = len(sa)
            cp = _common_prefix(sa, sb)
            realigned = 1.0
    ratio = min(la, lb) / max(la, lb)
    if ratio < p.min_len_ratio:
        return None
    tri_len = tri_pos = 0.0
    for c in around:
        sc = text[c[0]:c[1]] if c[1] <= a[0] or c[0] >= b[1] else ""
        lens = (len(sa), len(sb), len(sc))
        if max(lens) > 30 or not sc:
            continue
        tl = float(max(lens) - min(lens) <= 1)
        tp = min(1.0, _positional3(sa, sb, sc) + _positional3(sa[::-1], sb[::-1], sc[::-1]))
        tri_len, tri_pos = max(tri_len, tl), max(tri_pos, tp)
    ta = toks.slice(*a)
    tb = toks.slice(*b)
    wa = [w for w, _, _ in ta]
    wb = [w for w, _, _ in tb]
    weight, pairs = _lcs(wa, wb)
    cs = _common_suffix(sa, sb)
    pre = min(cp, 4) / 4 if cp < min(la, lb) else 0.0
    suf = min(cs, 4) / 4 if cs < min(la, lb) else 0.0
    shape_a = sum(map(sa.count, _STRENGTH_IN.intersection(sa)))
    shape_b = sum(map(sb.count, _STRENGTH_IN.intersection(sb)))
    ca, cb = _char_counts(sa), _char_counts(sb)
    common = sum((ca & cb).values())
    char_dice = 2 * common / (sum(ca.values()) + sum(cb.values()) or 1)
    anchors = sum(1 for i, _ in pairs if wa[i] not in _WEAK and wa[i] not in PUNCT)
    pattern = float([len(w) for w in wa] == [len(w) for w in wb])
    return [1.0, 2 * weight / (la + lb), weight / min(la, lb), pre, suf, ratio, math.log(max(la, lb)) / 4,
            float(shape_a == shape_b), float(bool(wa) and bool(wb) and wa[0] == wb[0]), char_dice,
            float(level == 0), float(level == 2), float(gap == 3), float(gap == 2), realigned,
            float(cp == 0 and cs == 0), float(sa == sb), min(anchors, 3) / 3, float(max(la, lb) <= 4),
            pattern, float(la == lb), pattern * float(la == lb) * float(la <= 8), float(level >= 4),
            _positional(sa, sb), _positional(sa[::-1], sb[::-1]), float(gap_b == gap),
            float(any(ch in _QUOTES for ch in sa + sb)), float(min(la, lb) <= 6),
            float(a[0] == toks.start), tri_len, tri_pos, tri_len * tri_pos]


_QUOTES = set("“”‘’\"《》「」")


def _positional3(a: str, b: str, c: str) -> float:
    """Share of positions (from the start, over the shortest) where three strings agree on a non-punctuation character."""
    n = min(len(a), len(b), len(c))
    return sum(1 for i in range(n) if a[i] == b[i] == c[i] and a[i] not in PUNCT) / n if n else 0.0


def _positional(a: str, b: str) -> float:
    """Share of positions (from the start, over the shorter string) where the two strings agree."""
    n = min(len(a), len(b))
    return sum(map(operator.eq, a, b)) / n if n else 0.0


def tb_first_len(toks: _Tokens, span: tuple[int, int]) -> int:
    t = toks.slice(*span)
    return len(t[0][0]) if t else 0


def _token_start_of(toks: _Tokens, span: tuple[int, int], ch: str) -> int:
    """Offset within ``span`` of the first one-character token ``ch`` after its start (-1: none)."""
    for w, s, _ in toks.slice(*span)[1:]:
        if w == ch:
            return s - span[0]
    return -1


def _char_counts(s: str) -> dict[str, int]:
    out = Counter(s)
    for ch in PUNCT.intersection(out):
        del out[ch]
    return out


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
    # anchors: tokens common to all branches in order (LCS folded over branches)
    anchors = toks[0]
    for t in toks[1:]:
        _, pairs = _lcs(anchors, t)
        anchors = [anchors[i] for i, _ in pairs]
    # align each branch to the anchors greedily, in order
    fillers: list[list[str]] = []
    shape: Optional[list] = None
    for t in toks:
        parts: list = []      # sequence of ("a", word) / ("s", text)
        k = 0
        buf: list[str] = []
        for w in t:
            if k < len(anchors) and w == anchors[k]:
                if buf:
                    parts.append(("s", "".join(buf)))
                    buf = []
                parts.append(("a", w))
                k += 1
            else:
                buf.append(w)
        if buf:
            parts.append(("s", "".join(buf)))
        fillers.append([x for kind, x in parts if kind == "s"])
        if shape is None:
            shape = parts
    # Build a template with slots where any branch has a filler between anchors.
    # Slot positions: before anchor 0, between anchors, after last anchor.
    gaps = [set() for _ in range(len(anchors) + 1)]
    per_branch: list[list[str]] = []
    for t in toks:
        row = [""] * (len(anchors) + 1)
        k = 0
        for w in t:
            if k < len(anchors) and w == anchors[k]:
                k += 1
            else:
                row[k] += w
        per_branch.append(row)
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


def _aligned(text: str, ps: int, pe: int, pieces: list[_Piece], toks: _Tokens, p: Params) -> list[Parallelism]:
    """Runs of similar adjacent units at clause, segment and compound granularity (lists: :func:`_lists`)."""
    cands: list[Parallelism] = []
    cands.extend(_lists(text, pieces, toks, p))
    if p.rules:
        cands.extend(_framed_segments(text, pieces, p))
        cands.extend(_correlatives(text, pieces, p))
    for name, strength, units in _unit_sequences(pieces, p.compound):
        if len(units) < 2:
            continue
        sims = []
        feats: list[Optional[list[float]]] = []
        for k in range(len(units) - 1):
            a, b = units[k], units[k + 1]
            if a[2] < 0 or b[2] < 0:
                sims.append(0.0)
                feats.append(None)
                continue
            f = _features(text, a[:2], b[:2], a[2], strength, toks, p, b[2], _around(units, k))
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
        if p.rules or not p.run_weights:
            cands.extend(_runs(text, name, strength, units, sims, p))
        else:
            seen = set()
            for t in p.run_thresholds:
                for c in _runs(text, name, strength, units, sims, replace(p, min_sim=t), final=False, feats=feats):
                    key = tuple(c.branches)
                    if key not in seen:
                        seen.add(key)
                        cands.append(c)
    return cands


def _runs(text: str, name: str, strength: int, units: list[tuple[int, int, int]], sims: list[float],
          p: Params, final: bool = True, feats: Sequence[Optional[list[float]]] = ()) -> list[Parallelism]:
    """Maximal runs of units whose adjacent pairs all score ``p.min_sim`` or more.

    ``final``: apply the hand-set filters (two-unit runs need ``min_sim_pair``,
    compound runs yield by ``compound_factor``); otherwise keep every run and
    remember how it was built (``_run``) for the candidate scorer.
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
                          "para_start": lo == 0, "para_end": hi == len(units) - 1, "pairs": feats[lo:hi]}
            out.append(c)
        k = j
    return out


def _clauses_in(span: tuple[int, int], pieces: list[_Piece]) -> list[tuple[int, int]]:
    """Clauses (pieces joined up to ，：；。 boundaries) lying inside ``span``."""
    return [(s, e) for s, e, _ in _group([x for x in pieces if span[0] <= x.start and x.end <= span[1]], 1)]


def _clausewise_openings(text: str, a: tuple[int, int, int], b: tuple[int, int, int], pieces: list[_Piece]) -> bool:
    """Two compound units whose clauses open alike one by one (是一种…，更是一种…；是一份…，更是一份…).

    Each clause of ``b`` shares an opening of two or more characters with the
    clause of ``a`` in the same place; the first clause of ``a`` may carry
    lead-in words (特别是要抓紧…，做到…，要抓紧…，做到…).
    """
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
                feats = [_features(text, items[x], items[x + 1], 0, 0, toks, p, pieces[k + x + 1].strength)
                         for x in range(len(items) - 1)]
                sims = [_logistic(p.weights, f) if f is not None else 0.0 for f in feats]
                if min(lens) >= 5 and not p.rules and p.run_weights:
                    c = Parallelism("clause", items, score=sum(sims) / len(sims))
                    c._run = {"source": 0, "sims": sims, "gaps": [0] * len(sims), "left": 0.0, "right": 0.0,
                              "realigned": False, "extended": items[0] != (pieces[k].start, pieces[k].end),
                              "para_start": k == 0, "para_end": j == len(pieces) - 1, "pairs": feats}
                    out.append(c)
                clause_like = min(lens) >= 5 and (min(sims) >= p.min_sim
                                                  or (p.rules and len(items) >= 3 and _shared_word(items, toks)))
                if clause_like and not p.rules and p.run_weights:
                    clause_like = False      # the clause reading is the scored candidate above
                out.append(Parallelism("clause" if clause_like else "phrase", items,
                                       score=sum(sims) / len(sims) if clause_like else 0.0))
        k = j + 1
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
    kept: list[Parallelism] = []
    for c in uniq:
        ok = True
        for k in kept:
            if c.end <= k.start or k.end <= c.start:
                continue
            if (_inside_branch(c, k) or _inside_branch(k, c)) and (nest or "phrase" in (c.kind, k.kind)):
                continue
            if not _branches_overlap(c, k):
                continue
            ok = False
            break
        if ok:
            kept.append(c)
    kept.sort(key=lambda c: (c.start, -c.end))
    for c in kept:
        c.level = sum(1 for k in kept if k is not c and _inside_branch(c, k))
    return kept


def _branches_overlap(a: Parallelism, b: Parallelism) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a.branches for s2, e2 in b.branches)


def _inside_branch(inner: Parallelism, outer: Parallelism) -> bool:
    return any(s <= inner.start and inner.end <= e for s, e in outer.branches)


def _candidates(text: str, paragraphs: Optional[list[tuple[int, int]]], seg: Segmenter,
                p: Params) -> tuple[list[Parallelism], Params]:
    """Every candidate parallelism before selection (frames, runs of aligned units, rule matches),
    and the parameters with the register-dependent switches (``rules``, ``compound``) set."""
    paras = [tuple(x) for x in paragraphs] if paragraphs is not None else _paragraph_spans(text)
    units_by_para = [[(x.start, x.end, x.strength) for x in _pieces(text, ps, pe)] for ps, pe in paras]
    frames = _headings(text, paras) + _enumerations(text, paras, units_by_para)
    if p.rules is None:
        # official register: a text built on 一、/一是 frameworks also packs its clauses into terse
        # four-character runs and anchored pairs that essays use far less
        p = replace(p, rules=bool(frames))
    if p.compound is None:
        p = replace(p, compound=bool(p.rules))
    cands: list[Parallelism] = list(frames)
    for ps, pe in paras:
        pieces = _pieces(text, ps, pe)
        if len(pieces) < 2:
            continue
        toks = _Tokens(seg, text, ps, pe)
        cands.extend(_aligned(text, ps, pe, pieces, toks, p))
    return cands, p


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
                "para_end", "quoted", "no_pairs", "asked") + tuple("pair_" + f for f in FEATURES[1:])


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
            float(not pairs), _asked(text, branches)] + mean_pair


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
