"""Upper bounds of every adjacent pair's logit, for a whole document at once in numpy.

Most pairs are plainly not parallel, and a pair whose bound stays under the
run floor needs no exact features. Each pair feature is either computed as
:func:`analysis.parallel.pair_features.pair_features` does or, where it needs
the words, bounded by its largest value; the model's weights are read by
feature name. A feature this module does not know switches the bounds off
(every pair is then scored exactly).
"""
from __future__ import annotations

import numpy as np

from analysis.parallel.pair_features import LONGEST_THIRD, SLACK, aligned_pair
from analysis.parallel.units import BOUNDARY_MARKS, PHRASES, PUNCT, QUOTES, SEGMENT, SEGMENTS, SENTENCE, TWO_CLAUSES
from analysis.parallel.units import neighbours

BLOCK = 8192      # pairs bounded at once (a few MB of character matrices)

# One row per compared pair; a missing neighbouring unit is (-1, -1) (numpy rows have one width).
COLUMNS = ("a_start", "a_end", "b_start", "b_end", "gap", "granularity", "gap_b", "para_lead", "realigned",
           "c_start", "c_end", "d_start", "d_end")
_COL = {name: i for i, name in enumerate(COLUMNS)}

_PUNCT_CODES = np.array(sorted(map(ord, PUNCT)))
_BOUNDARY_CODES = np.array(sorted(map(ord, BOUNDARY_MARKS)))
_QUOTE_CODES = np.array(sorted(map(ord, QUOTES)))


def pair_bounds(text: str, work: list, settings, model) -> list[list[list[float]]]:
    """For each paragraph of ``work`` (:class:`analysis.parallel.detector.ParagraphWork`) and each of
    its sequences, an upper bound of the logit of every adjacent pair (``inf`` where none is known)."""
    rows: list[tuple[int, ...]] = []
    where: list[list[list[int]]] = []
    for para in work:
        where.append([_pair_rows(text, para.tokens, seq, rows, settings) for seq in para.sequences])
    table = np.array(rows, dtype=np.int64).reshape(-1, len(COLUMNS))
    codes = code_points(text) if rows else None
    # a block of rows at a time: the character matrices stay small however long the document
    z = np.concatenate([logit_bounds(codes, table[i:i + BLOCK], model)
                        for i in range(0, len(table), BLOCK)] or [np.zeros(0)])
    inf = float("inf")
    return [[[z[r] if r >= 0 else inf for r in seq] for seq in para] for para in where]


def _pair_rows(text: str, toks, seq, rows: list, settings) -> list[int]:
    """Append a row for each adjacent pair of ``seq`` that is compared; return each pair's row (-1: none)."""
    out = []
    units = seq.units
    for k in range(len(units) - 1):
        a, b = units[k], units[k + 1]
        pair = (aligned_pair(text, a.span, b.span, toks, settings.longest_unit, settings.length_ratio)
                if a.whole and b.whole else None)
        if pair is None:
            out.append(-1)       # not compared, or compared exactly (which says None)
            continue
        (a0, a1), near = pair.a, neighbours(units, k) + [(-1, -1), (-1, -1)]
        out.append(len(rows))
        rows.append((a0, a1, b.start, b.end, a.boundary, seq.granularity, b.boundary, a0 == toks.start,
                     pair.realigned, *near[0], *near[1]))
    return out


def code_points(text: str) -> np.ndarray:
    """The text's characters as integers (code points stay under 2**21)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int32)


def logit_bounds(codes: np.ndarray, rows: np.ndarray, model) -> np.ndarray:
    """Upper bounds of the pair logits for ``rows`` (:data:`COLUMNS`), offsets into the text whose
    :func:`code_points` are ``codes``."""
    exact, largest = _bounded_features(codes, rows)
    z = np.full(len(rows), SLACK)
    for name, w in zip(model.pair_features, model.pair_weights):
        if name in exact:
            z += w * exact[name]
        elif name in largest:
            z += max(w, 0.0) * np.asarray(largest[name], dtype=float)
        else:
            return np.full(len(rows), np.inf)
    return z


def _bounded_features(codes: np.ndarray, rows: np.ndarray) -> tuple[dict, dict]:
    """The pair features known exactly from the characters, and the largest values of those that
    need the words (all features are 0 or more), each a column over ``rows``."""
    col = {name: rows[:, i] for name, i in _COL.items()}
    a0, b0, gap, granularity = col["a_start"], col["b_start"], col["gap"], col["granularity"]
    la, lb = col["a_end"] - a0, col["b_end"] - b0
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
    tri_len, tri_pos = _three_alike_bounds(codes, rows, A, Ar, B, Br, eq, eqr, punct_a, la, lb)
    same_len = la == lb
    exact = {
        "bias": np.ones(len(rows)), "prefix": np.where(cp < short, np.minimum(cp, 4) / 4, 0.0),
        "suffix": np.where(cs < short, np.minimum(cs, 4) / 4, 0.0), "len_ratio": short / long_,
        "log_len": np.log(long_) / 4, "same_shape": _count_in(A, _BOUNDARY_CODES) == _count_in(B, _BOUNDARY_CODES),
        "char_dice": 2 * _common_chars(A, B, ~punct_a & (A >= 0), ~punct_b & (B >= 0)) / np.maximum(chars_a + chars_b, 1),
        "is_phrase": granularity == PHRASES, "is_segment": granularity == SEGMENTS,
        "gap_sentence": gap == SENTENCE, "gap_semicolon": gap == SEGMENT,
        "realigned": col["realigned"], "no_edge": (cp == 0) & (cs == 0), "identical": same_len & (cp == la),
        "short": long_ <= 4, "same_length": same_len, "is_compound": granularity >= TWO_CLAUSES,
        "pos_start": eq.sum(1) / short, "pos_end": eqr.sum(1) / short, "same_gap": col["gap_b"] == gap,
        "quoted": np.isin(A, _QUOTE_CODES).any(1) | np.isin(B, _QUOTE_CODES).any(1), "min_short": short <= 6,
        "para_lead": col["para_lead"], "tri_len": tri_len, "tri_pos": tri_pos, "tri_both": tri_len * tri_pos}
    largest = {"lcs_dice": 1.0, "lcs_min": 1.0, "first_token": 1.0, "anchors": 1.0, "token_pattern": 1.0,
               "short_twin": same_len & (la <= 8)}
    return exact, largest


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


def _three_alike_bounds(codes, rows, A, Ar, B, Br, eq, eqr, punct_a, la, lb):
    """``tri_len`` and ``tri_pos`` of every pair, as the pair features compute them from the
    neighbouring units (the best of up to two)."""
    width = min(A.shape[1], LONGEST_THIRD)
    A, Ar, B, Br = A[:, :width], Ar[:, :width], B[:, :width], Br[:, :width]
    base = eq[:, :width] & ~punct_a[:, :width]
    base_r = eqr[:, :width] & ~np.isin(Ar, _PUNCT_CODES)
    tri_len = np.zeros(len(rows))
    tri_pos = np.zeros(len(rows))
    a0, b1 = rows[:, _COL["a_start"]], rows[:, _COL["b_end"]]
    for c0, c1 in ((rows[:, _COL["c_start"]], rows[:, _COL["c_end"]]), (rows[:, _COL["d_start"]], rows[:, _COL["d_end"]])):
        lc = c1 - c0
        lens = np.stack([la, lb, lc])
        ok = (c0 >= 0) & ((c1 <= a0) | (c0 >= b1)) & (lens.max(0) <= LONGEST_THIRD)
        if not ok.any():
            continue
        C, Cr = _windows(codes, np.maximum(c0, 0), np.where(ok, lc, 0), width, -3)
        n3 = np.maximum(lens.min(0), 1)
        pos = ((base & (A == C)).sum(1) + 0.0) / n3 + (base_r & (Ar == Cr)).sum(1) / n3
        tri_len = np.maximum(tri_len, np.where(ok, lens.max(0) - lens.min(0) <= 1, 0.0))
        tri_pos = np.maximum(tri_pos, np.where(ok, np.minimum(pos, 1.0), 0.0))
    return tri_len, tri_pos
