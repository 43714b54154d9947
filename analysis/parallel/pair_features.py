"""Features of two adjacent units, by name: how alike they are in words, characters, length and shape.

The pair scorer (:meth:`analysis.parallel.model.Model.pair_logit`) weighs
them by name. The weighted LCS of the two units' words is the costliest
feature, so it comes last: with a floor, :func:`pair_features` first bounds
the score from above and skips the LCS when even the best LCS could not lift
the pair to the floor.
"""
from __future__ import annotations

import math
import operator
from typing import NamedTuple, Optional, Sequence

from analysis.parallel.matching import char_dice, common_prefix, common_suffix, lcs, positional, positional3
from analysis.parallel.units import (PHRASES, PUNCT, QUOTES, SEGMENT, SEGMENTS, SENTENCE, TWO_CLAUSES, WEAK,
                                     Tokens, Unit)

PAIR_FEATURES = (
    "bias", "lcs_dice", "lcs_min", "prefix", "suffix", "len_ratio", "log_len", "same_shape", "first_token",
    "char_dice", "is_phrase", "is_segment", "gap_sentence", "gap_semicolon", "realigned", "no_edge", "identical",
    "anchors", "short", "token_pattern", "same_length", "short_twin", "is_compound", "pos_start", "pos_end",
    "same_gap", "quoted", "min_short", "para_lead", "tri_len", "tri_pos", "tri_both")

# The features that need the weighted LCS of the two units' words; every other one is known before it.
LCS_FEATURES = ("lcs_dice", "lcs_min", "anchors")
# The features that need the units' words (the others follow from their characters alone).
WORD_FEATURES = LCS_FEATURES + ("first_token", "token_pattern", "short_twin")

# Added to every upper bound of a pair's logit: the bounds sum in another order than the scorer,
# and rounding must never prune a pair.
SLACK = 1e-6

# A third unit longer than this (characters) is not read for the three-alike features.
LONGEST_THIRD = 30


class AlignedPair(NamedTuple):
    """Two units as they are compared; ``a`` starts later than the unit when it carried lead-in words."""

    a: tuple[int, int]
    text_a: str
    text_b: str
    prefix: int          # characters the two share at their start
    realigned: bool


class Below:
    """What :func:`pair_features` returns when a pair's score provably stays under the floor it was given."""

    def __repr__(self) -> str:
        return "BELOW"


BELOW = Below()


def aligned_pair(text: str, a: tuple[int, int], b: tuple[int, int], toks: Tokens, longest: int,
                 length_ratio: float) -> Optional[AlignedPair]:
    """The two units as they are compared; None when one is longer than ``longest`` or the shorter is
    under ``length_ratio`` of the longer."""
    sa, sb = text[a[0]:a[1]], text[b[0]:b[1]]
    la, lb = len(sa), len(sb)
    if la == 0 or lb == 0 or la > longest or lb > longest:
        return None
    realigned = False
    cp = common_prefix(sa, sb)
    if cp < 2 and lb >= 3:
        # the first unit may carry lead-in words before the shared opening
        # (two characters, or one that is a word of its own in both units)
        i = sa.find(sb[:2], 1)
        if i <= 0 and toks.first_word_len(*b) == 1:
            i = toks.word_offset(a, sb[0]) or 0
        if i > 0 and la - i >= 2:
            a = (a[0] + i, a[1])
            sa = sa[i:]
            la = len(sa)
            cp = common_prefix(sa, sb)
            realigned = True
    if min(la, lb) / max(la, lb) < length_ratio:
        return None
    return AlignedPair(a, sa, sb, cp, realigned)


def pair_features(text: str, a: Unit, b: Unit, granularity: int, toks: Tokens, model, settings,
                  around: Sequence[tuple[int, int]] = (), floor: Optional[float] = None,
                  known: Optional[dict[str, float]] = None):
    """Features of two adjacent units as ``{name: value}`` (None when they cannot be branches of one
    parallelism).

    ``around`` holds the units just before ``a`` and just after ``b`` (when
    there are any): a third unit of the same shape makes a 排比 far likelier.
    With ``floor``, returns :data:`BELOW` instead when even the best LCS could
    not lift the pair's score to ``floor``; the features returned are the same
    either way. ``known``: the features the characters fix, computed for many pairs at once
    (:meth:`analysis.parallel.bounds.SequenceBounds.known`); the rest are computed here.
    """
    pair = aligned_pair(text, a.span, b.span, toks, settings.longest_unit, settings.length_ratio)
    if pair is None:
        return None
    if known is None:
        f = _features_before_lcs(text, pair, b.span, a.boundary, b.boundary, granularity, toks, around)
    else:
        f = _with_word_features(known, pair, b.span, toks)
    wa, wb = toks.words_in(*pair.a), toks.words_in(*b.span)
    if floor is not None and lcs_bound(model, f, wa, wb) < logit(floor):
        return BELOW
    la, lb = len(pair.text_a), len(pair.text_b)
    weight, pairs = lcs(wa, wb)
    f["lcs_dice"] = 2 * weight / (la + lb)
    f["lcs_min"] = weight / min(la, lb)
    f["anchors"] = min(sum(1 for i, _ in pairs if wa[i] not in WEAK and wa[i] not in PUNCT), 3) / 3
    return f


def _features_before_lcs(text: str, pair: AlignedPair, b: tuple[int, int], gap: int, gap_b: int,
                         granularity: int, toks: Tokens, around: Sequence[tuple[int, int]]) -> dict[str, float]:
    """Every pair feature but the LCS ones (those are 0 here), in :data:`PAIR_FEATURES` order.

    ``gap`` and ``gap_b``: strengths of the boundaries closing the two units.
    """
    a, sa, sb, cp = pair.a, pair.text_a, pair.text_b, pair.prefix
    la, lb = len(sa), len(sb)
    tri_len, tri_pos = _three_alike(text, sa, sb, a, b, around)
    wa, wb = toks.words_in(*a), toks.words_in(*b)
    cs = common_suffix(sa, sb)
    pattern = float(len(wa) == len(wb) and list(map(len, wa)) == list(map(len, wb)))
    (shape_a, chars_a), (shape_b, chars_b) = toks.marks(*a, sa), toks.marks(*b, sb)
    return {
        "bias": 1.0, "lcs_dice": 0.0, "lcs_min": 0.0,
        "prefix": min(cp, 4) / 4 if cp < min(la, lb) else 0.0,
        "suffix": min(cs, 4) / 4 if cs < min(la, lb) else 0.0,
        "len_ratio": min(la, lb) / max(la, lb), "log_len": math.log(max(la, lb)) / 4,
        "same_shape": float(shape_a == shape_b), "first_token": float(bool(wa) and bool(wb) and wa[0] == wb[0]),
        "char_dice": char_dice(sa, sb, chars_a + chars_b),
        "is_phrase": float(granularity == PHRASES), "is_segment": float(granularity == SEGMENTS),
        "gap_sentence": float(gap == SENTENCE), "gap_semicolon": float(gap == SEGMENT),
        "realigned": float(pair.realigned), "no_edge": float(cp == 0 and cs == 0), "identical": float(sa == sb),
        "anchors": 0.0, "short": float(max(la, lb) <= 4), "token_pattern": pattern, "same_length": float(la == lb),
        "short_twin": pattern * float(la == lb) * float(la <= 8), "is_compound": float(granularity >= TWO_CLAUSES),
        "pos_start": positional(sa, sb), "pos_end": positional(sa[::-1], sb[::-1]), "same_gap": float(gap_b == gap),
        "quoted": float(not (QUOTES.isdisjoint(sa) and QUOTES.isdisjoint(sb))), "min_short": float(min(la, lb) <= 6),
        "para_lead": float(a[0] == toks.start), "tri_len": tri_len, "tri_pos": tri_pos, "tri_both": tri_len * tri_pos}


def _with_word_features(known: dict[str, float], pair: AlignedPair, b: tuple[int, int],
                        toks: Tokens) -> dict[str, float]:
    """Every pair feature but the LCS ones (0 here): ``known`` and those of :data:`WORD_FEATURES`, in
    :data:`PAIR_FEATURES` order, as :func:`_features_before_lcs` gives them."""
    wa, wb = toks.words_in(*pair.a), toks.words_in(*b)
    la, lb = len(pair.text_a), len(pair.text_b)
    pattern = float(len(wa) == len(wb) and list(map(len, wa)) == list(map(len, wb)))
    words = {"lcs_dice": 0.0, "lcs_min": 0.0, "anchors": 0.0,
             "first_token": float(bool(wa) and bool(wb) and wa[0] == wb[0]), "token_pattern": pattern,
             "short_twin": pattern * float(la == lb) * float(la <= 8)}
    return {name: known[name] if name in known else words[name] for name in PAIR_FEATURES}


def _three_alike(text: str, sa: str, sb: str, a: tuple[int, int], b: tuple[int, int],
                 around: Sequence[tuple[int, int]]) -> tuple[float, float]:
    """``tri_len`` (a neighbouring unit within a character of both in length) and ``tri_pos`` (the
    share of positions, from either end, where all three agree), the best over ``around``."""
    tri_len = tri_pos = 0.0
    for c in around:
        sc = text[c[0]:c[1]] if c[1] <= a[0] or c[0] >= b[1] else ""
        lens = (len(sa), len(sb), len(sc))
        if max(lens) > LONGEST_THIRD or not sc:
            continue
        tl = float(max(lens) - min(lens) <= 1)
        tp = min(1.0, positional3(sa, sb, sc) + positional3(sa[::-1], sb[::-1], sc[::-1]))
        tri_len, tri_pos = max(tri_len, tl), max(tri_pos, tp)
    return tri_len, tri_pos


def lcs_bound(model, f: dict[str, float], wa: Sequence[str], wb: Sequence[str]) -> float:
    """An upper bound of the pair's logit, given every feature but the LCS ones (zeros in ``f``).

    Both LCS shares lie in [0, 1] (the LCS weighs at most as many characters as
    the shorter unit holds); the anchors cannot outnumber the content words the
    two units share, counted with repeats. :data:`SLACK` is added for rounding.
    """
    z = model.pair_logit(f) + SLACK
    for name in LCS_FEATURES[:2]:
        z += max(model.pair_weight(name), 0.0)
    w = model.pair_weight("anchors")
    if w > 0:
        shared = set(wa).intersection(wb).difference(WEAK).difference(PUNCT)
        z += w * min(sum(min(wa.count(x), wb.count(x)) for x in shared), 3) / 3 if shared else 0.0
    return z


def logit(x: float) -> float:
    """The log-odds of a probability."""
    return math.log(x / (1.0 - x))


def sigmoid(z: float) -> float:
    """The probability of a logit (clipped to ±30 so that it never overflows)."""
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def logistic(weights: Sequence[float], values: Sequence[float]) -> float:
    """The logistic regression's probability: weights and values in one order."""
    return sigmoid(sum(map(operator.mul, weights, values)))
