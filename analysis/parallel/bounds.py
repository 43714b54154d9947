"""Upper bounds of every adjacent pair's logit, for a whole document at once in numpy.

Most pairs are plainly not parallel, and a pair whose bound stays under the
run floor needs no exact features. Each pair feature is either computed as
:func:`analysis.parallel.pair_features.pair_features` does or, where it needs
the words, bounded by its largest value; the model's weights are read by
feature name. A feature this module does not know switches the bounds off
(every pair is then scored exactly).
"""
from __future__ import annotations

import math
from itertools import chain
from typing import NamedTuple, Optional

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from analysis.parallel.pair_features import LONGEST_THIRD, PAIR_FEATURES, SLACK, WORD_FEATURES
from analysis.parallel.units import BOUNDARY_MARKS, PHRASES, PUNCT, QUOTES, SEGMENT, SEGMENTS, SENTENCE, TWO_CLAUSES

BLOCK = 8192      # pairs bounded at once (a few MB of character matrices)

# One row per compared pair; a missing neighbouring unit is (-1, -1) (numpy rows have one width).
COLUMNS = ("a_start", "a_end", "b_start", "b_end", "gap", "granularity", "gap_b", "para_lead", "realigned",
           "c_start", "c_end", "d_start", "d_end")
_COL = {name: i for i, name in enumerate(COLUMNS)}

# What each code point is, looked up by indexing (a sorted search per character, as np.isin does, cost
# five times more); the pads of the character matrices (-1, -2, -3) index the table's last entries, never set.
_PUNCT, _BOUNDARY, _QUOTE = 1, 2, 4
_KIND = np.zeros(0x110000, dtype=np.uint8)
for _flag, _chars in ((_PUNCT, PUNCT), (_BOUNDARY, BOUNDARY_MARKS), (_QUOTE, QUOTES)):
    _KIND[[ord(c) for c in _chars]] |= _flag


UNALIGNED = -2     # the row of a pair of whole units whose features are None


class KnownFeatures(NamedTuple):
    """The pair features known exactly from the characters, one row per compared pair of a document."""

    names: tuple[str, ...]
    values: np.ndarray       # (pairs, names)

    def of(self, row: int) -> dict[str, float]:
        return dict(zip(self.names, self.values[row].tolist()))


class SequenceBounds(list):
    """The bounds of a sequence's adjacent pairs (a list of floats, ``inf`` where none is known), and
    the features of each compared pair that the characters alone fix (:meth:`known`)."""

    def __init__(self, bounds: list[float], rows: list[int], known: Optional[KnownFeatures]):
        super().__init__(bounds)
        self.rows, self.features = rows, known

    def unaligned(self, k: int) -> bool:
        """Whether pair ``k`` (of whole units) cannot be branches of one parallelism: its features are None."""
        return self.rows[k] == UNALIGNED

    def known(self, k: int) -> Optional[dict[str, float]]:
        """The features of pair ``k`` known from its characters, by name (None: none known); as
        :func:`analysis.parallel.pair_features.pair_features` computes them, to the last bit."""
        row = self.rows[k]
        return None if row < 0 or self.features is None else self.features.of(row)


def unaligned(bound, k: int) -> bool:
    """Whether ``bound`` knows pair ``k``'s features to be None (its units too unlike in length)."""
    return isinstance(bound, SequenceBounds) and bound.unaligned(k)


def known_features(bound, k: int) -> Optional[dict[str, float]]:
    """The features of pair ``k`` known from its characters, where ``bound`` carries them (else None)."""
    return bound.known(k) if isinstance(bound, SequenceBounds) else None


def pair_bounds(text: str, work: list, settings, model) -> list[list[SequenceBounds]]:
    """For each paragraph of ``work`` (:class:`analysis.parallel.detector.ParagraphWork`) and each of
    its sequences, an upper bound of the logit of every adjacent pair (``inf`` where none is known),
    with the pair features the characters fix."""
    codes = code_points(text)
    table, row_of_pair = pair_rows(codes, work, settings)
    # a block of rows at a time: the character matrices stay small however long the document
    parts = _blocks_by_width(table)
    blocks = [_bounds_and_features(codes, table[part], model) for part in parts]
    order = np.concatenate(parts or [np.zeros(0, dtype=np.int64)])
    z = _in_row_order(order, [b[0] for b in blocks] or [np.zeros(0)])
    known = None
    if blocks and set(PAIR_FEATURES) <= set(blocks[0][1]) | set(WORD_FEATURES):
        names = tuple(n for n in PAIR_FEATURES if n in blocks[0][1])
        known = KnownFeatures(names, _in_row_order(order, [np.column_stack([b[1][n] for n in names]) for b in blocks]))
    flat = np.where(row_of_pair >= 0, z[np.maximum(row_of_pair, 0)] if len(z) else np.inf, np.inf).tolist()
    rows = row_of_pair.tolist()
    out, at = [], 0
    for para in work:
        per_seq = []
        for seq in para.sequences:
            n = len(seq.units) - 1
            per_seq.append(SequenceBounds(flat[at:at + n], rows[at:at + n], known))
            at += n
        out.append(per_seq)
    return out


# Widths (characters of a row's longer unit) at which the rows are cut into blocks of like width: a
# block's character matrices are as wide as its longest unit, and blocks in text order padded the rows
# to about three times their length (the bounds took 0.57 s over the work reports, by width 0.45 s).
WIDTHS = np.array([16, 32, 64])


def _blocks_by_width(table: np.ndarray) -> list[np.ndarray]:
    """The indices of ``table``'s rows in blocks of at most :data:`BLOCK` rows, each of rows whose longer
    unit falls between the same two :data:`WIDTHS` (every row's features are its own: any blocks give the
    same values)."""
    longer = np.maximum(table[:, 1] - table[:, 0], table[:, 3] - table[:, 2])
    order = np.argsort(longer, kind="stable")
    width_class = np.searchsorted(WIDTHS, longer[order])
    cuts = set((np.flatnonzero(width_class[1:] != width_class[:-1]) + 1).tolist()) | set(range(BLOCK, len(order), BLOCK))
    return [part for part in np.split(order, sorted(cuts)) if len(part)]


def _in_row_order(order: np.ndarray, values: list[np.ndarray]) -> np.ndarray:
    """The blocks' ``values`` (rows ``order`` of the table, concatenated) put back in the table's order."""
    joined = np.concatenate(values)
    out = np.empty_like(joined)
    out[order] = joined
    return out


def pair_rows(codes: np.ndarray, work: list, settings) -> tuple[np.ndarray, np.ndarray]:
    """A row (:data:`COLUMNS`) for every adjacent pair of ``work`` that is compared, the pairs of all
    paragraphs and sequences in order; and for each pair its row (-1: not compared, both units not
    whole; :data:`UNALIGNED`: compared, and :func:`~analysis.parallel.pair_features.aligned_pair` says None).

    The same pairs, aligned the same way, as :func:`analysis.parallel.pair_features.aligned_pair`
    gives one by one (``codes``: the text's :func:`code_points`), but in numpy over the whole document:
    a Python step per pair took 0.8 s over the work reports, this 0.3 s."""
    units, gran, para_of, seq_of = _all_units(work)
    if len(units) < 2:
        return np.zeros((0, len(COLUMNS)), dtype=np.int64), np.full(max(len(units) - 1, 0), -1)
    start, end, gap, whole = units.T
    g = np.flatnonzero(seq_of[:-1] == seq_of[1:])          # the first unit of every pair
    a0, a1, b0, b1 = start[g], end[g], start[g + 1], end[g + 1]
    la, lb = a1 - a0, b1 - b0
    longest = settings.longest_unit
    ok = (whole[g] == 1) & (whole[g + 1] == 1) & (la > 0) & (lb > 0) & (la <= longest) & (lb <= longest)
    shift = np.zeros(len(g), dtype=np.int64)
    idx = np.flatnonzero(ok)
    shift[idx] = _lead_in(codes, a0[idx], a1[idx], b0[idx], b1[idx], _Words(work))
    realigned = ok & (shift > 0) & (la - shift >= 2)
    a0 = np.where(realigned, a0 + shift, a0)
    la = a1 - a0
    ok &= np.minimum(la, lb) / np.maximum(la, lb) >= settings.length_ratio
    keep = np.flatnonzero(ok)
    row_of_pair = np.where((whole[g] == 1) & (whole[g + 1] == 1), UNALIGNED, -1)
    row_of_pair[keep] = np.arange(len(keep))
    g = g[keep]
    lead = np.array([para.tokens.start for para in work], dtype=np.int64)[para_of[seq_of[g]]]
    near = _neighbour_columns(units, seq_of, g)
    table = np.column_stack([a0[keep], a1[keep], b0[keep], b1[keep], gap[g], gran[seq_of[g]], gap[g + 1],
                             a0[keep] == lead, realigned[keep], *near]).astype(np.int64)
    return table.reshape(-1, len(COLUMNS)), row_of_pair


def _all_units(work: list) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every unit of every sequence of ``work`` as rows (start, end, boundary, whole), in order; each
    sequence's granularity and paragraph (index into ``work``); each unit's sequence."""
    units, sizes, gran, para_of = [], [], [], []
    for p, para in enumerate(work):
        for seq in para.sequences:
            units.extend(seq.units)
            sizes.append(len(seq.units))
            gran.append(seq.granularity)
            para_of.append(p)
    # tuples flattened in C (an array made from the tuples themselves reads each as a sequence: 0.2 s)
    table = np.fromiter(chain.from_iterable(units), dtype=np.int64, count=4 * len(units)).reshape(-1, 4)
    seq_of = np.repeat(np.arange(len(sizes)), sizes)
    return table, np.array(gran, dtype=np.int64), np.array(para_of, dtype=np.int64), seq_of


def _lead_in(codes: np.ndarray, a0: np.ndarray, a1: np.ndarray, b0: np.ndarray, b1: np.ndarray,
             words: "_Words") -> np.ndarray:
    """How many lead-in characters :func:`~analysis.parallel.pair_features.aligned_pair` would cut off
    the first unit of each pair (0: none found; whether to cut them is decided by the caller)."""
    found = _shared_opening_after_start(codes, a0, a1, b0, b1)
    # no two-character opening of the second unit inside the first: a one-character first word of the
    # second may still stand as a word of its own in the first
    rest = np.flatnonzero(found < 0)
    found[rest] = 0
    one = rest[words.first_is_one_character(b0[rest], b1[rest])]
    for i in range(0, len(one), BLOCK):
        r = one[i:i + BLOCK]
        found[r] = words.offset_after_first(a0[r], a1[r], codes[b0[r]])
    return found


def _shared_opening_after_start(codes: np.ndarray, a0: np.ndarray, a1: np.ndarray, b0: np.ndarray,
                                b1: np.ndarray) -> np.ndarray:
    """Per pair whose units share under two opening characters and whose second unit has three or more:
    where the second's first two characters first occur in the first unit after its start (-1: nowhere);
    0 for the other pairs."""
    out = np.zeros(len(a0), dtype=np.int64)
    if not len(a0):
        return out
    n = len(codes)
    la, lb = a1 - a0, b1 - b0
    # each position's two characters as one number (code points stay under 2**21; the last has a stand-in)
    pair = (codes.astype(np.int64) << 21) | np.append(codes[1:], (1 << 21) - 1)
    opens_alike = (la >= 2) & (lb >= 2) & (pair[a0] == pair[np.minimum(b0, n - 1)])
    look = np.flatnonzero(~opens_alike & (lb >= 3))
    # where each two characters occur, in text order: the first at or after a position is one search away
    _, pair_id = np.unique(pair, return_inverse=True)
    key = pair_id.astype(np.int64) * (n + 1) + np.arange(n)
    order = np.sort(key)
    want = pair_id[b0[look]].astype(np.int64) * (n + 1)
    found = np.searchsorted(order, want + a0[look] + 1)
    at = np.minimum(found, n - 1)
    hit = (found < n) & (order[at] // (n + 1) * (n + 1) == want) & (order[at] % (n + 1) <= a1[look] - 2)
    out[look] = np.where(hit, order[at] % (n + 1) - a0[look], -1)
    return out


class _Words:
    """The words of a document's paragraphs (those ``work`` reads) as arrays in text order, to look up
    as :class:`analysis.parallel.units.Tokens` does, for many ranges at once."""

    def __init__(self, work: list):
        seen = {id(p.tokens): p.tokens for p in work}
        toks = sorted(seen.values(), key=lambda t: t.start)
        words = list(chain.from_iterable(t.words for t in toks))      # joined in C, not a step per word
        n = len(words)
        self.starts = np.fromiter(chain.from_iterable(t.starts for t in toks), dtype=np.int64, count=n)
        self.ends = np.fromiter(chain.from_iterable(t.ends for t in toks), dtype=np.int64, count=n)
        length = np.fromiter(map(len, words), dtype=np.int64, count=n)
        # a one-character word's character (as the segmenter gave it), -1 for longer words
        joined = np.append(code_points("".join(words)), -1)
        first = np.cumsum(length) - length
        self.single = np.where(length == 1, joined[first], -1)

    def first_is_one_character(self, s: np.ndarray, e: np.ndarray) -> np.ndarray:
        """Whether the first word lying wholly inside each ``[s, e)`` has one character."""
        n = len(self.starts)
        if not n:
            return np.zeros(len(s), dtype=bool)
        i = np.searchsorted(self.starts, s)
        k = np.minimum(i, n - 1)
        return (i < n) & (self.ends[k] <= e) & (self.ends[k] - self.starts[k] == 1)

    def offset_after_first(self, s: np.ndarray, e: np.ndarray, char: np.ndarray) -> np.ndarray:
        """Per range ``[s, e)``: the offset of the first one-character word ``char`` after the range's
        first word, among the words lying wholly inside it (0: none), as ``Tokens.word_offset`` finds it."""
        n = len(self.starts)
        i = np.searchsorted(self.starts, s)
        j = np.maximum(i, np.searchsorted(self.ends, e, side="right"))
        width = int((j - i - 1).max()) if len(s) else 0
        if n == 0 or width <= 0:
            return np.zeros(len(s), dtype=np.int64)
        k = i[:, None] + 1 + np.arange(width)
        at = np.minimum(k, n - 1)
        hit = (k < j[:, None]) & (self.single[at] == char[:, None])
        first = at[np.arange(len(s)), hit.argmax(1)]
        return np.where(hit.any(1), self.starts[first] - s, 0)


def _neighbour_columns(units: np.ndarray, seq_of: np.ndarray, g: np.ndarray) -> list[np.ndarray]:
    """``c_start, c_end, d_start, d_end`` of the pairs whose first unit is ``g``: the neighbouring
    units :func:`analysis.parallel.units.neighbours` lists, in its order, (-1, -1) where it lists fewer."""
    n = len(units)
    start, end, gap, whole = units.T
    before, after = np.maximum(g - 1, 0), np.minimum(g + 2, n - 1)
    c = (g > 0) & (seq_of[before] == seq_of[g]) & (whole[before] == 1) & (gap[before] == gap[g])
    d = (g + 2 < n) & (seq_of[after] == seq_of[g]) & (whole[g + 1] == 1) & (gap[g + 1] == gap[g])
    first_start = np.where(c, start[before], np.where(d, start[after], -1))
    first_end = np.where(c, end[before], np.where(d, end[after], -1))
    return [first_start, first_end, np.where(c & d, start[after], -1), np.where(c & d, end[after], -1)]


def code_points(text: str) -> np.ndarray:
    """The text's characters as integers (code points stay under 2**21)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int32)


def logit_bounds(codes: np.ndarray, rows: np.ndarray, model) -> np.ndarray:
    """Upper bounds of the pair logits for ``rows`` (:data:`COLUMNS`), offsets into the text whose
    :func:`code_points` are ``codes``."""
    return _bounds_and_features(codes, rows, model)[0]


def _bounds_and_features(codes: np.ndarray, rows: np.ndarray, model) -> tuple[np.ndarray, dict]:
    """:func:`logit_bounds`, and the pair features known exactly for the rows (by name, as floats)."""
    exact, largest = _bounded_features(codes, rows)
    z = np.full(len(rows), SLACK)
    for name, w in zip(model.pair_features, model.pair_weights):
        if name in exact:
            z += w * exact[name]
        elif name in largest:
            z += max(w, 0.0) * np.asarray(largest[name], dtype=float)
        else:
            z = np.full(len(rows), np.inf)
            break
    # the logarithm as Python's math.log takes it (numpy's may differ in the last bit): the exact
    # features must equal pair_features' own
    exact["log_len"] = _log_quarter(exact["log_len_of"])
    return z, {name: np.asarray(v, dtype=float) for name, v in exact.items() if name != "log_len_of"}


def _log_quarter(n: np.ndarray) -> np.ndarray:
    """``math.log(n) / 4`` of each (positive) integer of ``n``."""
    table = np.array([0.0] + [math.log(k) / 4 for k in range(1, int(n.max(initial=0)) + 1)])
    return table[n]


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
    kind_a, kind_b = _KIND[A], _KIND[B]
    punct_a, punct_b = (kind_a & _PUNCT) > 0, (kind_b & _PUNCT) > 0
    chars_a = (~punct_a & (A >= 0)).sum(1)
    chars_b = (~punct_b & (B >= 0)).sum(1)
    tri_len, tri_pos = _three_alike_bounds(codes, rows, A, Ar, B, Br, eq, eqr, punct_a, la, lb)
    same_len = la == lb
    exact = {
        "bias": np.ones(len(rows)), "prefix": np.where(cp < short, np.minimum(cp, 4) / 4, 0.0),
        "suffix": np.where(cs < short, np.minimum(cs, 4) / 4, 0.0), "len_ratio": short / long_,
        "log_len": np.log(long_) / 4, "log_len_of": long_, "same_shape": _count(kind_a, _BOUNDARY) == _count(kind_b, _BOUNDARY),
        "char_dice": 2 * _common_chars(A, B, ~punct_a & (A >= 0), ~punct_b & (B >= 0)) / np.maximum(chars_a + chars_b, 1),
        "is_phrase": granularity == PHRASES, "is_segment": granularity == SEGMENTS,
        "gap_sentence": gap == SENTENCE, "gap_semicolon": gap == SEGMENT,
        "realigned": col["realigned"], "no_edge": (cp == 0) & (cs == 0), "identical": same_len & (cp == la),
        "short": long_ <= 4, "same_length": same_len, "is_compound": granularity >= TWO_CLAUSES,
        "pos_start": eq.sum(1) / short, "pos_end": eqr.sum(1) / short, "same_gap": col["gap_b"] == gap,
        "quoted": ((kind_a & _QUOTE) > 0).any(1) | ((kind_b & _QUOTE) > 0).any(1), "min_short": short <= 6,
        "para_lead": col["para_lead"], "tri_len": tri_len, "tri_pos": tri_pos, "tri_both": tri_len * tri_pos}
    largest = {"lcs_dice": 1.0, "lcs_min": 1.0, "first_token": 1.0, "anchors": 1.0, "token_pattern": 1.0,
               "short_twin": same_len & (la <= 8)}
    return exact, largest


def _windows(codes: np.ndarray, start: np.ndarray, length: np.ndarray, width: int, pad: int):
    """Each unit's characters as a row, from its start and from its end (``pad`` past its length)."""
    inside = np.arange(width) < length[:, None]
    # rows of ``width`` characters cut from the text padded on both sides, copied whole (no index per cell)
    fill = np.zeros(width, dtype=codes.dtype)
    rows = sliding_window_view(np.concatenate([fill, codes, fill]), width)
    forward = np.where(inside, rows[start + width], pad)
    backward = np.where(inside, rows[start + length][:, ::-1], pad)
    return forward, backward


def _leading_true(eq: np.ndarray) -> np.ndarray:
    """How many True values each row starts with."""
    return np.where(eq.all(1), eq.shape[1], np.argmin(eq, axis=1))


def _count(kinds: np.ndarray, flag: int) -> np.ndarray:
    """Per row, how many of its characters are of the kind ``flag`` (:data:`_KIND`)."""
    return ((kinds & flag) > 0).sum(1)


def _common_chars(A: np.ndarray, B: np.ndarray, keep_a: np.ndarray, keep_b: np.ndarray) -> np.ndarray:
    """Characters two rows share, counted with repeats, over the kept positions only.

    Each kept character becomes the key (row, character, how many of it came before in the row): the
    keys two rows share are exactly their common characters with repeats, found by one search (two
    sorts, where counting each row's characters and intersecting the counts took three)."""
    bits = int(A.shape[1]).bit_length()       # room for the repeat count
    ka, kb = _numbered(A, keep_a, bits), _numbered(B, keep_b, bits)
    if not len(ka) or not len(kb):
        return np.zeros(len(A))
    at = np.minimum(np.searchsorted(ka, kb), len(ka) - 1)
    shared = kb[ka[at] == kb]
    return np.bincount(shared >> (21 + bits), minlength=len(A)).astype(float)


def _numbered(M: np.ndarray, keep: np.ndarray, bits: int) -> np.ndarray:
    """The sorted keys ``(row, code point, repeat)`` of the kept cells of ``M``, packed in one integer
    (code points stay under 2**21, repeats under 2**bits)."""
    keys = np.sort((np.nonzero(keep)[0].astype(np.int64) << 21) | M[keep])
    at = np.arange(len(keys))
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    repeat = at - np.maximum.accumulate(np.where(first, at, 0))
    return (keys << bits) | repeat


def _three_alike_bounds(codes, rows, A, Ar, B, Br, eq, eqr, punct_a, la, lb):
    """``tri_len`` and ``tri_pos`` of every pair, as the pair features compute them from the
    neighbouring units (the best of up to two)."""
    width = min(A.shape[1], LONGEST_THIRD)
    A, Ar, B, Br = A[:, :width], Ar[:, :width], B[:, :width], Br[:, :width]
    base = eq[:, :width] & ~punct_a[:, :width]
    base_r = eqr[:, :width] & ~((_KIND[Ar] & _PUNCT) > 0)
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
