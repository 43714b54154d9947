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
and neighbouring pair scores, shared opening and ending, length spread, mean
pair features …), averaged with boosted trees over the same features
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
    run_weights: tuple = (-4.70, -0.94, 0.05, 1.62, -0.96, 0.09, 1.45, 0.19, -0.05, 0.12, 0.16, 0.00, 0.58, 0.97, -0.79, -0.96, 1.31, -0.65, 0.12, -1.11, -1.61, 0.34, 0.00, -2.16, -0.04, -1.13, 1.03, -0.54, 0.26, 2.09, -1.14, 0.44, 0.31, 0.31, 0.16, 0.16, 0.58, 0.97, -1.37, 0.08, -2.22, 0.96, -0.69, 0.12, -0.74, -1.64, 0.00, 1.00, 1.56, -0.44, 2.43, 0.03, 0.39, 0.51, 1.02, -0.39)
    run_trees: tuple = (   # essay prose: boosted trees averaged with run_weights (empty: logistic alone)
        0.008866,            # base logit; then per tree: 7 split features, 7 thresholds, 8 leaf values
        6, 6, 3, 27, 30, 15, 38, 0.637, 0.295, 0.9, 0.65, 0.90905, 0.2174, 0.3,
            -0.14324, -0.07717, -0.001244, -0.108457, 0.069023, -0.063821, 0.157948, 0.034558,
        6, 4, 6, 2, 14, 33, 49, 0.637, 0.251813, 0.84, 0.5, 0.895, 0.225431, 0.78,
            -0.132344, -0.069501, -0.005898, -0.109428, -0.106702, 0.069792, 0.147189, 0.070419,
        6, 4, 1, 14, 14, 38, 52, 0.637, 0.251813, 0.5, 0.89, 0.895, 0.3, 0.1,
            -0.098725, -0.156306, -0.005317, -0.099765, 0.133696, 0.022258, -0.023111, 0.075596,
        6, 6, 6, 14, 25, 33, 49, 0.637, 0.295, 0.84, 0.89, 0.206, 0.225431, 0.78,
            -0.0855, -0.146004, -0.059121, 0.022731, -0.102802, 0.056551, 0.126602, 0.056415,
        6, 6, 1, 26, 14, 38, 4, 0.637, 0.199, 0.5, 0.207, 0.895, 0.3, 0.891,
            -0.128491, -0.073029, -0.009782, -0.098722, 0.11655, 0.012675, -0.011714, 0.083309,
        6, 6, 6, 27, 14, 33, 14, 0.637, 0.199, 0.84, 0.8, 0.895, 0.225431, 0.594,
            -0.107768, -0.020592, -0.00882, -0.091157, -0.097391, 0.047016, -0.011024, 0.104854,
        6, 6, 1, 14, 25, 38, 52, 0.637, 0.31, 0.5, 0.89, 0.206, 0.3, 0.1,
            -0.066291, -0.124847, -0.048124, 0.027902, 0.103488, 0.004985, -0.032555, 0.054907,
        6, 26, 6, 14, 14, 39, 49, 0.4113, 0.207, 0.84, 0.89, 0.704, 0.6, 0.78,
            -0.068001, -0.13604, -0.076681, 0.017707, -0.010547, 0.08933, 0.099847, 0.031446,
        6, 6, 1, 26, 14, 5, 15, 0.637, 0.199, 0.5, 0.207, 0.895, 0.418, 0.2174,
            -0.104062, -0.051458, -0.002849, -0.077296, 0.014724, 0.096869, 0.02921, -0.06557,
        6, 26, 1, 2, 52, 5, 10, 0.4113, 0.179, 0.5, 0.5, 0.1, 0.3833, 0.5,
            -0.097881, -0.015065, -0.054911, 0.039781, 0.012186, 0.088389, -0.07025, 0.013216,
        6, 1, 14, 7, 25, 52, 15, 0.84, 0.5, 0.594, 0.0087, 0.1831, 0.4, 0.2174,
            0.041692, -0.042119, -0.078166, -0.017281, -0.073113, 0.065843, 0.095663, 0.0437,
        6, 27, 4, 14, 14, 30, 8, 0.4113, 0.6, 0.897, 0.883, 0.624, 0.618, 0.00977,
            -0.047407, -0.106406, -0.074329, 0.024547, -0.057302, 0.027591, 0.103182, 0.034635,
        1, 5, 18, 7, 14, 48, 14, 0.5, 0.3522, 0.065, 0.0087, 0.586, 0.182, 0.6,
            0.020843, -0.054977, -0.033932, 0.086193, -0.090419, 0.000762, -0.083347, 0.011044,
        1, 5, 18, 30, 14, 48, 14, 0.5, 0.3522, 0.065, 0.94003, 0.586, 0.182, 0.6,
            0.011939, -0.095391, -0.030838, 0.081178, -0.084588, 0.000693, -0.076985, 0.009944,
        6, 4, 49, 29, 52, 13, 52, 0.84, 0.2502, 0.78, 0.681, 0.3, 0.5, 0.8,
            -0.103691, -0.039956, -0.02444, 0.049288, -0.075715, 0.076551, 0.031703, -0.083467,
        1, 15, 25, 52, 31, 47, 14, 0.5, 0.29, 0.1831, 0.1, 0.45, 0.14, 0.806,
            0.030378, 0.116248, 0.073992, -0.020197, -0.076724, -0.00556, -0.034353, 0.060298,
        6, 6, 49, 27, 12, 13, 52, 0.84, 0.199, 0.78, 0.8, 0.5, 0.5, 0.8,
            -0.06485, 0.006903, -0.016114, 0.054279, -0.073013, 0.070247, 0.026492, -0.074374,
        1, 15, 18, 52, 31, 48, 14, 0.5, 0.29, 0.065, 0.3, 0.45, 0.182, 0.6,
            0.027414, 0.112765, 0.06893, -0.019535, -0.073219, 0.007256, -0.065822, 0.011259,
        6, 14, 52, 14, 25, 14, 33, 0.4113, 0.89, 0.3, 0.704, 0.26014, 0.61, 0.28904,
            -0.046543, 0.010093, -0.101476, 0.065193, -0.058741, 0.014435, -0.03763, 0.080277,
        1, 15, 25, 52, 31, 47, 14, 0.5, 0.29, 0.1831, 0.3, 0.45, 0.14, 0.806,
            0.025845, 0.106887, 0.062506, -0.018457, -0.065596, -0.000641, -0.028442, 0.053174,
        4, 29, 52, 15, 14, 4, 25, 0.2502, 0.681, 0.2, 0.48, 0.88, 0.88, 0.1364,
            -0.117611, 0.003234, -0.012894, -0.076283, -0.014279, 0.055544, -0.04332, 0.067138,
        1, 5, 18, 30, 38, 14, 19, 0.5, 0.3522, 0.052, 0.94003, 0.3, 0.883, 0.5,
            0.009942, -0.090946, 0.062911, -0.035124, -0.026933, -0.09187, 0.002274, -0.108009,
        4, 29, 52, 15, 7, 14, 33, 0.2502, 0.681, 0.2, 0.48, 0.00167, 0.61, 0.16,
            -0.112198, 0.004204, -0.045371, 0.002653, -0.054118, 0.005295, -0.092877, 0.05527,
        1, 15, 25, 52, 31, 47, 14, 0.5, 0.29, 0.1831, 0.3, 0.45, 0.14, 0.806,
            0.022032, 0.098958, 0.057057, -0.018453, -0.057373, 0.001747, -0.024721, 0.04848,
        14, 15, 47, 55, 0, 25, 38, 0.61, 0.5, 0.143, 0.38, 1000000000.0, 0.20833333333333334, 0.3,
            -0.060488, -0.003708, 0.09214, 0.0, -0.033935, 0.024976, 0.043673, -0.050444,
        1, 7, 15, 15, 22, 18, 48, 0.5, 0.01016, 0.290323, 0.30435, 0.5, 0.052, 0.0323,
            0.061883, 0.004742, -0.047522, 0.034804, -0.044039, 0.0104, -0.089945, 0.000801,
        14, 15, 48, 13, 0, 54, 28, 0.61, 0.5, 0.174, 0.5, 1000000000.0, 0.12, 0.5,
            -0.053958, 0.01906, 0.087593, 0.0, -0.014118, 0.043822, 0.07329, -0.007102,
        4, 29, 39, 29, 14, 12, 8, 0.2502, 0.681, 0.6, 0.51613, 0.947, 0.5, 0.0272,
            0.006765, -0.106987, -0.008289, -0.090759, -0.009319, 0.051829, 0.088853, -0.033844,
        4, 14, 8, 52, 47, 10, 8, 0.897, 0.895, 0.00977, 0.4, 0.06, 0.5, 0.01214,
            -0.011298, 0.045977, -0.097746, 0.010072, -0.014041, 0.079809, -0.131584, 0.008111,
        14, 15, 29, 13, 33, 38, 47, 0.61, 0.47, 0.7891, 0.5, 0.51064, 0.2, 0.098,
            -0.050392, 0.016128, 0.096653, -0.031144, -0.00953, -0.083634, -0.014989, 0.041047,
        1, 20, 26, 38, 5, 25, 30, 0.5, 0.5, 0.474, 0.3, 0.107002401, 0.1831, 0.75,
            0.032557, -0.025984, 0.046425, -0.103829, -0.032345, 0.012475, -0.043415, -0.135629,
        38, 6, 14, 47, 39, 14, 0, 0.8, 0.199, 0.85, 0.2143, 0.6, 0.816, 1000000000.0,
            -0.046961, 0.010312, 0.000913, 0.041849, -0.104929, -0.02959, 0.038298, 0.0,
        4, 25, 14, 33, 43, 43, 0, 0.96752, 0.4815, 0.66, 0.127, 0.1, 0.1, 1000000000.0,
            -0.061261, 0.004125, -0.108174, -0.029158, -0.049419, 0.040197, 0.089814, 0.0,
        14, 15, 15, 13, 33, 47, 48, 0.61, 0.47, 0.290323, 0.5, 0.51064, 0.098, 0.015,
            -0.045065, 0.015119, 0.090567, -0.029285, -0.012489, 0.038571, -0.055192, 0.003521,
        38, 4, 14, 25, 14, 14, 0, 0.8, 0.96752, 0.85, 0.4815, 0.66, 0.816, 1000000000.0,
            0.003033, -0.061352, -0.003252, 0.086519, -0.100773, -0.029549, 0.03975, 0.0,
        1, 20, 19, 12, 5, 18, 14, 0.5, 0.5, 0.5, 0.5, 0.107002401, 0.065, 0.816,
            0.013342, 0.08555, 0.045214, -0.095857, -0.032425, 0.003837, -0.094394, -0.020167,
        39, 27, 25, 6, 15, 47, 50, 0.4, 0.65, 0.143, 0.84, 0.211, 0.07, 0.6,
            -0.03719, 0.018729, 0.035769, -0.015941, -0.053918, 0.078438, 0.035302, 0.114329,
        38, 14, 29, 15, 48, 5, 29, 0.3, 0.61, 0.8142, 0.47, 0.174, 0.4557, 0.848,
            -0.036035, 0.070243, 0.000221, 0.045726, -0.104244, 0.017194, 0.115855, -0.026616,
        15, 1, 15, 52, 26, 14, 38, 0.290323, 0.5, 0.48, 0.3, 0.205, 0.69, 0.2,
            0.013257, 0.085167, -0.026491, 0.013096, -0.091372, -0.02033, 0.051195, -0.075682,
        1, 7, 26, 30, 22, 25, 30, 0.5, 0.01016, 0.474, 0.934, 0.5, 0.1831, 0.75,
            0.031935, -0.067756, -0.042375, 0.029322, -0.024075, 0.009339, -0.03152, -0.120966,
        39, 27, 25, 4, 12, 47, 33, 0.4, 0.65, 0.143, 0.386, 0.5, 0.07, 0.254303,
            -0.048689, -0.004205, -0.004019, 0.054068, -0.049478, 0.073297, 0.132635, 0.035918,
        15, 30, 15, 10, 47, 47, 38, 0.290323, 0.6351, 0.48, 0.5, 0.098, 0.2775, 0.2,
            -0.029938, 0.036041, -0.008919, 0.033832, -0.01495, -0.073661, 0.046821, -0.070497,
        38, 8, 14, 29, 28, 41, 0, 0.8, 0.008345243, 0.85, 0.786, 0.5, 0.7, 1000000000.0,
            -0.015548, 0.023047, -0.004042, -0.082792, -0.096133, -0.031213, 0.044491, 0.0,
        4, 25, 14, 14, 43, 43, 54, 0.96752, 0.4815, 0.66, 0.895, 0.1, 0.1, 0.8,
            0.006306, -0.024168, -0.094529, -0.017641, -0.047711, 0.031748, 0.08688, 0.017513,
        39, 27, 25, 4, 12, 47, 50, 0.4, 0.65, 0.143, 0.386, 0.5, 0.07, 0.6,
            -0.045017, -0.003431, -0.003491, 0.047522, -0.045545, 0.064258, 0.025741, 0.098601,
        1, 33, 41, 47, 48, 4, 52, 0.5, 0.16, 0.1, 0.11742424242424243, 0.03125, 0.113, 0.1,
            -0.083917, 0.060848, 0.04764, 0.002095, -0.059913, 0.057493, -0.026791, 0.010894,
        4, 25, 14, 48, 33, 43, 54, 0.96752, 0.4815, 0.66, 0.174, 0.6157, 0.1, 0.8,
            -0.005924, 0.018988, -0.004998, -0.082969, -0.046025, 0.030615, 0.084713, 0.016847,
        8, 52, 28, 27, 33, 26, 8, 0.008345243, 0.4, 0.5, 0.35, 0.36364, 0.11, 0.0142,
            0.016784, -0.016928, -0.007516, 0.083029, -0.06025, 0.00582, -0.133911, -0.032338,
        15, 30, 15, 10, 26, 48, 38, 0.290323, 0.6351, 0.48, 0.5, 0.2, 0.107143, 0.2,
            -0.026938, 0.03181, -0.006399, 0.030025, -0.014428, -0.077355, 0.044161, -0.066069,
        1, 20, 19, 48, 5, 15, 22, 0.5, 0.5, 0.5, 0.03125, 0.107002401, 0.290323, 0.5,
            0.04233, 0.002435, 0.041999, -0.084892, 0.000937, -0.033478, -0.089132, -0.023814,
        39, 41, 30, 49, 27, 6, 25, 0.4, 0.14, 0.94030003, 0.7, 0.65, 0.2052, 0.19231,
            0.116591, -0.022313, -0.02499, 0.005953, -0.016183, 0.04182, -0.088605, 0.040412,
        8, 8, 28, 29, 6, 47, 8, 0.008345243, 0.0063234, 0.5, 0.7891, 0.1891, 0.07, 0.0142,
            -0.025628, 0.014983, -0.037276, 0.101611, -0.041107, 0.00962, -0.123881, -0.027207,
        20, 1, 5, 12, 41, 1, 33, 0.5, 0.5, 0.107002401, 0.5, 0.1, 0.5, 0.429,
            0.008658, 0.073441, 0.028288, -0.012973, 0.041049, -0.029512, -0.091153, -0.014118,
        33, 8, 49, 33, 0, 52, 12, 0.127, 0.054, 0.9, 0.082, 1000000000.0, 0.3, 0.5,
            0.015249, -0.09401, 0.095182, 0.0, 0.001067, 0.038843, -0.033902, 0.015044,
        14, 30, 16, 14, 29, 0, 0, 1.024, 1.03, 0.4, 0.959, 0.474, 1000000000.0, 1000000000.0,
            0.002227, -0.071061, -0.053389, 0.100238, 0.020609, 0.0, -0.088212, 0.0,
        48, 48, 25, 14, 39, 45, 17, 0.174, 0.091, 0.35521, 0.949, 0.6, 0.4, 0.6,
            0.00752, -0.035733, -0.065052, 0.054309, 0.045766, -0.060791, 0.000459, -0.06222,
        14, 23, 19, 30, 43, 26, 25, 0.689, 0.5, 0.5, 0.69, 0.1, 0.278, 0.195,
            -0.000234, -0.05691, -0.09706, 0.014847, -0.002716, 0.034132, -0.094522, -0.018963,
        18, 48, 7, 48, 15, 5, 4, 0.55, 0.197, 0.005723, 0.091, 0.48, 0.328, 0.9914144,
            0.002595, -0.032174, 0.009654, 0.088856, 0.037584, -0.025708, -0.095847, 0.023819,
        20, 1, 48, 48, 19, 0, 7, 0.5, 0.5, 0.059, 0.03125, 0.5, 1000000000.0, 0.0573,
            0.037587, 0.000178, -0.004259, -0.068755, -0.08848, 0.0, 0.055157, -0.053814,
        15, 30, 15, 27, 47, 29, 48, 0.290323, 0.6351, 0.34, 0.8, 0.098, 0.783, 0.0,
            -0.026099, 0.021279, -0.006378, 0.026506, -0.096813, 0.008101, -0.041457, 0.020517,
        14, 8, 16, 52, 28, 0, 0, 1.024, 0.008345243, 0.4, 0.4, 0.5, 1000000000.0, 1000000000.0,
            -0.001828, 0.038872, -0.00446, -0.058286, 0.020104, 0.0, -0.084297, 0.0,
        15, 30, 15, 41, 26, 29, 48, 0.290323, 0.6351, 0.34, 0.8, 0.2, 0.783, 0.0143,
            -0.009955, -0.072306, -0.006223, 0.025007, -0.09184, 0.007094, -0.037066, 0.019532,
        39, 33, 48, 25, 29, 47, 5, 0.6, 0.123, 0.0364, 0.051, 0.48333333333333334, 0.0345, 0.224,
            0.028828, -0.103988, 0.0728, -0.004803, -0.027088, 0.028432, 0.010285, 0.071766,
        30, 23, 47, 49, 5, 26, 6, 0.708303336014054, 0.5, 0.556, 0.7, 0.26005, 0.279, 0.966,
            0.015914, -0.031335, -0.016919, -0.108216, -0.003024, 0.029879, -0.120395, 0.036721,
        33, 14, 48, 6, 6, 15, 14, 0.254303, 0.895, 0.197, 0.605, 0.798, 0.0741, 0.785,
            0.048072, -0.028134, -0.072521, 0.08763, -0.061213, -0.006907, 0.001734, 0.08268,
        20, 38, 48, 8, 29, 0, 54, 0.5, 0.3, 0.059, 0.008345243, 0.8142, 1000000000.0, 0.0,
            0.012006, -0.012772, -0.062315, 0.005541, -0.08564, 0.0, 0.066043, -0.041199,
        14, 33, 16, 29, 3, 0, 0, 1.024, 0.475, 0.4, 0.792, 1.2, 1000000000.0, 1000000000.0,
            -0.009368, 0.01475, -0.025358, 0.06938, 0.01847, 0.0, -0.081029, 0.0,
        7, 14, 22, 25, 25, 27, 26, 0.0087, 0.949, 0.5, 0.351, 0.237, 0.6, 0.135,
            0.01903, -0.021118, -0.071918, 0.09711, -0.052578, 0.011868, 0.135236, 0.012688,
        4, 25, 14, 33, 43, 43, 33, 0.96752, 0.4815, 0.66, 0.127, 0.1, 0.1, 0.429,
            -0.035782, 0.002257, -0.074897, -0.001003, -0.042749, 0.025741, 0.005075, 0.078369,
        38, 6, 14, 18, 6, 14, 0, 0.8, 0.1562, 0.85, 0.197, 0.1672, 0.816, 1000000000.0,
            -0.040887, 0.019661, 0.071232, 0.002934, -0.077431, -0.013007, 0.057433, 0.0,
        30, 23, 47, 49, 5, 18, 6, 0.708303336014054, 0.5, 0.556, 0.7, 0.281384, 0.247, 0.966,
            0.014189, -0.028223, -0.019493, -0.103924, 0.001573, 0.040978, -0.105669, 0.034787,
        20, 38, 48, 15, 29, 0, 7, 0.5, 0.3, 0.059, 0.48, 0.73, 1000000000.0, 0.0573,
            0.000519, 0.035383, -0.087602, -0.007685, -0.081851, 0.0, 0.052961, -0.049168,
        15, 29, 50, 8, 1, 23, 18, 0.290323, 0.737, 0.6, 0.0353, 0.5, 0.5, 0.092,
            0.011848, 0.109586, 0.020968, -0.005518, -0.014649, -0.090795, 0.048331, -0.062137,
        7, 14, 22, 25, 25, 27, 26, 0.009, 0.949, 0.5, 0.351, 0.237, 0.6, 0.125,
            0.017259, -0.019898, -0.067255, 0.092844, -0.050089, 0.013756, 0.129881, 0.011234,
        4, 54, 14, 54, 28, 43, 33, 0.96752, 0.237, 0.66, 0.2, 0.0, 0.1, 0.429,
            2.8e-05, 0.071904, -0.035215, 0.015225, -0.04012, 0.024434, 0.002429, 0.075809,
        28, 48, 25, 48, 44, 48, 52, 0.7, 0.197, 0.291, 0.091, 0.4, 0.1553, 0.1,
            0.001921, -0.038542, 0.076411, 0.000892, -0.023163, 0.048136, -0.082794, 0.001677,
        14, 30, 16, 14, 29, 0, 0, 1.024, 1.03, 0.4, 0.959, 0.474, 1000000000.0, 1000000000.0,
            0.001284, -0.054731, -0.041778, 0.083741, 0.01506, 0.0, -0.074547, 0.0,
        20, 38, 48, 8, 14, 0, 7, 0.5, 0.8, 0.059, 0.008345243, 0.85, 1000000000.0, 0.0573,
            0.008018, -0.009793, -0.060769, 0.058955, -0.07896, 0.0, 0.050258, -0.046007,
        15, 29, 15, 29, 29, 29, 30, 0.290323, 0.737, 0.34, 0.7143, 0.7561, 0.783, 0.8713,
            -0.021789, 0.077666, -0.05526, 0.005076, -0.082785, 0.006689, -0.018018, 0.029286,
        26, 14, 26, 29, 22, 7, 52, 0.121, 0.857, 0.14103, 0.9473684210526315, 0.5, 0.009, 0.4,
            0.031974, -0.042262, -0.101464, -0.012804, 0.102763, -0.03406, -0.008591, 0.021694,
        6, 8, 6, 18, 33, 31, 38, 0.1562, 0.0272, 0.1672, 0.197, 0.25, 0.1, 0.8,
            -0.048292, 0.015334, 0.117357, -0.014786, -0.041939, 0.097787, 0.002488, -0.052339,
        14, 30, 16, 14, 29, 0, 0, 1.024, 1.03, 0.4, 0.959, 0.474, 1000000000.0, 1000000000.0,
            0.001205, -0.050967, -0.040873, 0.073877, 0.014019, 0.0, -0.072442, 0.0,
        4, 54, 14, 54, 6, 8, 54, 0.96752, 0.237, 0.66, 0.145, 0.701, 0.00492, 0.8,
            -0.001784, 0.037227, 0.000657, -0.043394, 0.016002, -0.050102, 0.073648, 0.000378,
        30, 23, 47, 13, 15, 47, 6, 0.708303336014054, 0.5, 0.556, 0.5, 0.0625, 0.11742424242424243, 0.966,
            -0.015105, 0.029355, 0.010521, -0.076265, -0.007312, 0.020228, -0.096688, 0.032134,
        15, 29, 25, 7, 29, 33, 25, 0.290323, 0.737, 0.065, 0.0, 0.7561, 0.03, 0.088,
            0.005525, 0.096653, -0.051114, 0.004802, -0.021999, 0.103265, -0.1011, -0.006584,
        33, 25, 48, 47, 26, 15, 14, 0.254303, 0.13904, 0.197, 0.0143, 0.2222222222222222, 0.0741, 0.785,
            -0.062544, 0.015205, 0.067132, -0.04702, -0.054132, -0.005349, 0.001675, 0.07478,
        28, 48, 25, 48, 44, 48, 18, 0.7, 0.197, 0.291, 0.091, 0.4, 0.1553, 0.72,
            0.002286, -0.034023, 0.068637, -0.000559, -0.020462, 0.042483, -0.066647, 0.035546,
        7, 7, 22, 26, 12, 27, 26, 0.009, 0.00614, 0.5, 0.112245, 0.5, 0.6, 0.135,
            -0.033364, 0.006999, 0.071673, -0.065698, -0.044622, 0.011202, 0.112648, 0.007286,
        39, 29, 15, 8, 33, 48, 0, 0.4, 0.48333333333333334, 0.517, 0.015111, 0.127, 0.025, 1000000000.0,
            0.087099, -0.033191, -0.084655, -0.004467, -0.003451, 0.036887, -0.089421, 0.0,
        1, 48, 41, 5, 52, 4, 25, 0.5, 0.03125, 0.1, 0.3522, 0.4, 0.113, 0.1831,
            -0.001987, 0.077825, -0.013403, 0.031871, -0.050464, 0.042073, -0.029617, -0.000367,
        33, 7, 25, 26, 14, 47, 14, 0.254303, 0.00147032, 0.206641124, 0.12, 0.892, 0.182, 0.806,
            -0.046591, 0.020571, 0.049069, -0.023441, -0.046642, 0.015157, -0.010118, 0.0407,
        39, 18, 15, 4, 18, 50, 0, 0.4, 0.068, 0.517, 0.386, 0.092, 0.6, 1000000000.0,
            -0.059754, -0.001149, 0.06135, -0.004817, 0.003148, 0.045014, -0.084809, 0.0,
        15, 1, 25, 21, 15, 33, 5, 0.290323, 0.5, 0.065, 0.5, 0.26, 0.03, 0.12194,
            0.002156, 0.056609, -0.004531, 0.050473, -0.020488, 0.092615, -0.087352, -0.006235,
        8, 8, 26, 33, 6, 15, 3, 0.216, 0.151, 0.1875, 0.127, 0.593, 0.1, 1.2,
            -0.03833, 0.001913, 0.076957, -0.005044, -0.015383, 0.065667, -0.043856, 0.019086,
        15, 30, 15, 27, 30, 29, 48, 0.290323, 0.6351, 0.34, 0.8, 0.65, 0.783, 0.018,
            -0.019414, 0.029252, 0.074683, 0.004887, -0.077043, 0.005335, -0.028845, 0.017281,
        14, 30, 16, 14, 29, 0, 0, 1.024, 1.03, 0.4, 0.959, 0.474, 1000000000.0, 1000000000.0,
            0.0011, -0.045831, -0.033052, 0.065766, 0.013718, 0.0, -0.067429, 0.0,
        28, 48, 41, 48, 44, 14, 22, 0.7, 0.197, 0.59, 0.107143, 0.4, 0.633, 0.5,
            0.001642, -0.03472, 0.0642, -0.000399, -0.026446, 0.038163, -0.061901, 0.02478,
        33, 33, 33, 22, 21, 8, 33, 0.082, 0.03, 0.127, 0.5, 0.5, 0.0333, 0.251,
            -0.035766, 0.023295, 0.126718, -0.018413, -0.077597, 0.034748, 0.016108, -0.003422,
        7, 30, 22, 25, 25, 27, 26, 0.009, 0.934, 0.5, 0.351, 0.19231, 0.6, 0.135,
            0.016263, -0.017542, -0.060497, 0.039303, -0.040149, 0.009816, 0.099522, 0.006062,
        38, 6, 14, 4, 6, 41, 0, 0.8, 0.1562, 0.85, 0.12962, 0.1672, 0.7, 1000000000.0,
            -0.001068, -0.057397, 0.061363, 0.002131, -0.075185, -0.013267, 0.056267, 0.0,
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
                "para_end", "quoted", "no_pairs") + tuple("pair_" + f for f in FEATURES[1:])


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
            float(not pairs)] + mean_pair


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
