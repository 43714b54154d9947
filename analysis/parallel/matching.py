"""How alike two strings or word lists are: the weighted LCS of words, shared edges and positions."""
from __future__ import annotations

import operator
from typing import Sequence

from analysis.parallel.units import PUNCT, WEAK


def word_weight(w: str) -> float:
    """Weight of a shared word in the LCS: its length, halved for function words and punctuation."""
    if w in PUNCT:
        return 0.5
    if w in WEAK or (len(w) == 1 and not w.isalnum()):
        return 0.5 * len(w)
    return float(len(w))


def lcs(a: Sequence[str], b: Sequence[str]) -> tuple[float, list[tuple[int, int]]]:
    """Weighted longest common subsequence of two word lists: its weight and the matched index pairs."""
    n, m = len(a), len(b)
    if n == 0 or m == 0:
        return 0.0, []
    common = set(a).intersection(b)
    if not common:
        return 0.0, []
    if len(common) * 2 < n + m:
        # words absent from the other list never match: align only the shared ones (same weight, far smaller table)
        ia = [i for i, w in enumerate(a) if w in common]
        ib = [j for j, w in enumerate(b) if w in common]
        if len(ia) < n or len(ib) < m:
            weight, pairs = lcs([a[i] for i in ia], [b[j] for j in ib])
            return weight, [(ia[i], ib[j]) for i, j in pairs]
    dp = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, nxt = dp[i], dp[i + 1]
        ai = a[i]
        for j in range(m - 1, -1, -1):
            if ai == b[j]:
                row[j] = nxt[j + 1] + word_weight(ai)
            else:
                row[j] = nxt[j] if nxt[j] >= row[j + 1] else row[j + 1]
    return dp[0][0], _matched_pairs(a, b, dp)


def _matched_pairs(a: Sequence[str], b: Sequence[str], dp: list[list[float]]) -> list[tuple[int, int]]:
    """Walk the LCS table ``dp`` from the start: the index pairs it matches."""
    pairs = []
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j] and dp[i][j] == dp[i + 1][j + 1] + word_weight(a[i]):
            pairs.append((i, j))
            i += 1
            j += 1
        elif dp[i + 1][j] >= dp[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def common_prefix(a: str, b: str) -> int:
    """How many characters ``a`` and ``b`` share at their start."""
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def common_suffix(a: str, b: str) -> int:
    """How many characters ``a`` and ``b`` share at their end."""
    n = min(len(a), len(b))
    i = 0
    while i < n and a[-1 - i] == b[-1 - i]:
        i += 1
    return i


def shared_prefix(strings: Sequence[str]) -> str:
    """The longest start all ``strings`` share."""
    pre = strings[0]
    for x in strings[1:]:
        pre = pre[:common_prefix(pre, x)]
    return pre


def shared_suffix(strings: Sequence[str]) -> str:
    """The longest end all ``strings`` share."""
    suf = strings[0]
    for x in strings[1:]:
        suf = suf[len(suf) - common_suffix(suf, x):]
    return suf


def char_dice(a: str, b: str, total: int) -> float:
    """Dice overlap of the two strings' characters, counted with repeats, punctuation left out
    (``total``: how many characters of the two are not punctuation)."""
    common = sum(min(a.count(ch), b.count(ch)) for ch in set(a).intersection(b).difference(PUNCT))
    return 2 * common / (total or 1)


def positional3(a: str, b: str, c: str) -> float:
    """Share of positions (from the start, over the shortest) where three strings agree on a non-punctuation character."""
    n = min(len(a), len(b), len(c))
    return sum(1 for x, y, z in zip(a, b, c) if x == y == z and x not in PUNCT) / n if n else 0.0


def positional(a: str, b: str) -> float:
    """Share of positions (from the start, over the shorter string) where the two strings agree."""
    n = min(len(a), len(b))
    return sum(map(operator.eq, a, b)) / n if n else 0.0


def shared_words(words: list[list[str]]) -> list[str]:
    """The words every list holds, in order (the weighted LCS folded over the lists)."""
    shared = words[0]
    for w in words[1:]:
        shared = [shared[i] for i, _ in lcs(shared, w)[1]]
    return shared


def fillers(words: Sequence[str], anchors: list[str]) -> list[str]:
    """What ``words`` hold before, between and after the ``anchors`` (matched greedily in order)."""
    out = [""] * (len(anchors) + 1)
    k = 0
    for w in words:
        if k < len(anchors) and w == anchors[k]:
            k += 1
        else:
            out[k] += w
    return out
