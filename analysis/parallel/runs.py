"""Runs: adjacent units whose pairs all score at least a floor become candidate parallelisms.

For each paragraph and each of its unit sequences, :func:`aligned` scores
every adjacent pair (pairs whose bound stays under the floor skip the exact
features), lets the official-prose rules lift pairs they match, and forms the
maximal runs: in official prose at one floor with hand filters, in essay
prose at several floors, each run a :class:`Candidate` for the run scorer
(the paragraph's register, :mod:`analysis.parallel.register`, says which).
"""
from __future__ import annotations

from typing import Optional, Sequence

from analysis.parallel.bounds import known_features, unaligned
from analysis.parallel.clause_rules import (contrasts, drop_lead_words, inner_anchor_pairs, opening_series,
                                            shape_series, spread_correlatives, three_character_series)
from analysis.parallel.matching import shared_prefix
from analysis.parallel.pair_features import BELOW, logit, pair_features
from analysis.parallel.rules import (anchored_pair, clausewise_openings, correlatives, framed_segments, lists, short_predicates,
                                     same_first_word, twin)
from analysis.parallel.run_features import Candidate, Run, run_scorer_judges
from analysis.parallel.types import Parallelism
from analysis.parallel.units import (BOUNDARY, CLAUSE, CLAUSES, SENTENCE, TWO_CLAUSES, Piece, Tokens, Unit, UnitSequence,
                                     group, neighbours)

def run_start_floor(settings, model) -> float:
    """The lowest pair score a run can start from: ``run_floor``, or in essays the lowest of ``essay_run_floors``."""
    return min(settings.essay_run_floors) if run_scorer_judges(settings, model) else settings.run_floor


def aligned(text: str, pieces: list[Piece], toks: Tokens, sequences: list[UnitSequence],
            bounds: list[Sequence[float]], settings, model) -> list[Parallelism]:
    """Candidates of one paragraph: 、-lists, the official-prose rules' matches and the runs of similar
    adjacent units of each of ``sequences``; ``bounds`` hold, for each, an upper bound of every
    adjacent pair's logit (:func:`analysis.parallel.bounds.pair_bounds`)."""
    cands: list[Parallelism] = list(lists(text, pieces, toks, settings, model))
    found = framed_segments(text, pieces, settings) + correlatives(text, pieces, settings)
    if settings.short_predicates:
        found.extend(short_predicates(text, pieces, toks, settings))
    if settings.shape_series:
        found.extend(shape_series(text, pieces, toks, settings))
    if settings.contrasts:
        found.extend(contrasts(text, pieces, settings))
    if settings.three_character_clauses and not run_scorer_judges(settings, model):
        # official prose only: in the training essays they cost 0.001 EPM F1
        found.extend(three_character_series(text, pieces, toks, settings))
    if settings.opening_clauses and not run_scorer_judges(settings, model):
        found.extend(opening_series(text, pieces, toks, settings))
        found.extend(spread_correlatives(text, pieces, settings))
    if settings.inner_anchors and not run_scorer_judges(settings, model):
        found.extend(inner_anchor_pairs(text, pieces, toks, settings))
    if run_scorer_judges(settings, model):
        # the run scorer weighs anchored pairs as candidates of their own, not as lifted pair scores
        clauses = group(pieces, CLAUSE)
        found += [Parallelism("clause", [a.span, b.span], score=settings.rule_score)
                  for a, b in zip(clauses, clauses[1:]) if anchored_pair(a, b, toks, settings)]
        found += [Parallelism("clause", [c.span for c in clauses[k:j + 1]], score=settings.rule_score)
                  for k, j in twin_runs(clauses, toks, settings)]
        found = [judged(text, p, toks, settings, model) for p in found]
    cands.extend(found)
    floor = run_start_floor(settings, model)
    for seq, bound in zip(sequences, bounds):
        sims, feats = _score_pairs(text, pieces, toks, seq, bound, floor, settings, model)
        if run_scorer_judges(settings, model):
            cands.extend(_essay_runs(text, seq, sims, feats, toks, settings))
        else:
            cands.extend(runs(text, seq, sims, settings.run_floor, settings, toks=toks))
    return cands


def _score_pairs(text: str, pieces: list[Piece], toks: Tokens, seq: UnitSequence, bound: Sequence[float],
                 floor: float, settings, model) -> tuple[list[float], list[Optional[dict]]]:
    """The score and features of every adjacent pair of ``seq`` (0 and None where not compared, or
    where the score stays under ``floor`` and no run comes next to the pair)."""
    units, granularity = seq.units, seq.granularity
    cut = logit(floor)
    sims: list[float] = []
    feats: list[Optional[dict]] = []
    below = []
    for k in range(len(units) - 1):
        a, b = units[k], units[k + 1]
        f = None
        if a.whole and b.whole:
            # (a pair its lengths rule out has no bound: asked about only when it is not below)
            f = BELOW if bound[k] < cut else None if unaligned(bound, k) else pair_features(
                text, a, b, granularity, toks, model, settings, neighbours(units, k),
                floor if settings.prune_pairs else None, known_features(bound, k))
            if f is BELOW:
                below.append(k)
                f = None
        feats.append(f)
        sims.append(model.pair_score(f) if f is not None else 0.0)
        if a.whole and b.whole and (
                (granularity <= CLAUSES and not run_scorer_judges(settings, model) and anchored_pair(a, b, toks, settings))
                or (granularity >= TWO_CLAUSES and clausewise_openings(text, a, b, pieces, settings.lead_in))):
            sims[k] = max(sims[k], settings.rule_score)
    if granularity <= CLAUSES:
        _lift_twins(units, toks, sims, settings, model)
    _score_next_to_runs(text, seq, toks, below, sims, feats, floor, settings, model, bound)
    return sims, feats


def _lift_twins(units: list[Unit], toks: Tokens, sims: list[float], settings, model) -> None:
    """Three or more clauses of one shape (:func:`twin_runs`) score at least ``rule_score``; where the
    run scorer judges, only those opening with the same word (以…为…，以…为…): it weighs the others as
    candidates of their own (:func:`aligned`). In place."""
    for k, j in twin_runs(units, toks, settings, same_opening=run_scorer_judges(settings, model)):
        for x in range(k, j):
            sims[x] = max(sims[x], settings.rule_score)


def twin_runs(units: list[Unit], toks: Tokens, settings, same_opening: bool = False) -> list[tuple[int, int]]:
    """``(k, j)``: units k..j are three or more adjacent short clauses of one shape (:func:`twin`),
    with ``same_opening`` all opening with the same word."""
    twins = [twin(a, b, toks, settings) and (not same_opening or same_first_word(a, b, toks))
             for a, b in zip(units, units[1:])]
    out = []
    k = 0
    while k < len(twins):
        j = k
        while j < len(twins) and twins[j]:
            j += 1
        if j - k >= 2:            # three or more alike short clauses
            out.append((k, j))
        k = max(j, k + 1)
    return out


def _score_next_to_runs(text: str, seq: UnitSequence, toks: Tokens, below: list[int], sims: list[float],
                        feats: list, floor: float, settings, model, bound: Sequence[float] = ()) -> None:
    """Score exactly the pairs left under ``floor`` that a run will read: those lifted by a rule to
    ``floor`` or more, and those next to such a pair (a run's left and right scores). In place.
    (``bound``: the pairs' bounds, which may carry the features known from the characters.)"""
    units = seq.units
    for k in below:
        if sims[k] >= floor or (k > 0 and sims[k - 1] >= floor) or (k + 1 < len(sims) and sims[k + 1] >= floor):
            f = feats[k] = pair_features(text, units[k], units[k + 1], seq.granularity, toks, model, settings,
                                         neighbours(units, k), known=known_features(bound, k))
            sims[k] = max(model.pair_score(f), sims[k])


def _essay_runs(text: str, seq: UnitSequence, sims: list[float], feats: list, toks: Tokens,
                settings) -> list[Candidate]:
    """The runs at each of ``essay_run_floors``, each extent once, carrying how they were built."""
    seen = set()
    out = []
    for floor in settings.essay_run_floors:
        for c in runs(text, seq, sims, floor, settings, feats=feats, toks=toks):
            key = tuple(c.branches)
            if key not in seen:
                seen.add(key)
                out.append(c)
    return out


def runs(text: str, seq: UnitSequence, sims: list[float], floor: float, settings,
         feats: Optional[Sequence[Optional[dict]]] = None, toks: Optional[Tokens] = None) -> list[Parallelism]:
    """Maximal runs of units whose adjacent pairs all score ``floor`` or more.

    Without ``feats``: the hand filters apply (two-unit runs need
    ``two_branch_floor``, compound runs yield by ``compound_factor``). With
    ``feats`` (essays): every run is kept as a :class:`Candidate` carrying its
    :class:`Run`, the branches' words taken from ``toks``.
    """
    out: list[Parallelism] = []
    k = 0
    while k < len(sims):
        if sims[k] < floor:
            k += 1
            continue
        j = k
        while j < len(sims) and sims[j] >= floor:
            j += 1
        # units k..j form a run
        for lo, hi in split_mixed(seq.units, k, j) if seq.name != "compound" else [(k, j)]:
            c = _run(text, seq, sims, lo, hi, settings, feats, toks)
            if c is not None:
                out.append(c)
        k = j
    return out


def _run(text: str, seq: UnitSequence, sims: list[float], lo: int, hi: int, settings,
         feats: Optional[Sequence[Optional[dict]]], toks: Optional[Tokens]) -> Optional[Parallelism]:
    """The run of units ``lo..hi`` (None: filtered out by the hand filters)."""
    units, name = seq.units, seq.name
    run = [u.span for u in units[lo:hi + 1]]
    gaps = [units[x].boundary for x in range(lo, hi)]
    first = run[0]
    run = realign_first(text, run)
    realigned = run[0] != first
    n = len(run)
    if lo > 0 and units[lo - 1].boundary == (gaps[0] if gaps else CLAUSES) and name != "compound":
        run = extend_back(text, units[lo - 1].span, run, settings.extend_ratio)
    if feats is None and toks is not None and not realigned and len(run) == n:
        run = drop_lead_words(run, toks)
    kind = name
    if name in ("segment", "compound"):
        kind = "sentence" if all(g == SENTENCE for g in gaps) else "clause"
    score = sum(sims[lo:hi]) / (hi - lo)
    if feats is None:
        if len(run) == 2 and score < settings.two_branch_floor:
            return None          # two branches make a weaker case than three
        if name == "compound":
            score *= settings.compound_factor
        return Parallelism(kind, run, score=score)
    built = Run(seq.granularity, sims[lo:hi], gaps, left=sims[lo - 1] if lo > 0 else 0.0,
                right=sims[hi] if hi < len(sims) else 0.0, realigned=realigned, extended=len(run) > n,
                para_start=lo == 0, para_end=hi == len(units) - 1, pairs=list(feats[lo:hi]),
                words=[list(toks.words_in(s, e)) for s, e in run])
    return Candidate(kind, run, score=score, run=built)


def split_mixed(units: list[Unit], k: int, j: int) -> list[tuple[int, int]]:
    """Cut a run of units k..j at its strongest boundaries when boundaries are mixed.

    排比 branches share one separator (；；； or ，，，); a run crossing a full
    stop between two such stretches is two parallelisms, or an intro sentence
    stuck onto one.
    """
    gaps = [units[x].boundary for x in range(k, j)]
    if len(set(gaps)) <= 1:
        return [(k, j)]
    top = max(gaps)
    out = []
    lo = k
    for x in range(k, j):
        if units[x].boundary == top:
            if x > lo:
                out.append((lo, x))
            lo = x + 1
    if j > lo:
        out.append((lo, j))
    return out


def extend_back(text: str, prev: tuple[int, int], run: list[tuple[int, int]], ratio: float) -> list[tuple[int, int]]:
    """Add the unit before a run when it ends with the run's shared opening (需要多一份理解，多一份体贴…)."""
    pre = shared_prefix([text[s:e] for s, e in run])
    if len(pre) < 2:
        return run
    s, e = prev
    i = text.find(pre, s + 1, e)
    if i == -1:
        return run
    lens = [b - a for a, b in run]
    if not (min(lens) * ratio <= e - i <= max(lens) / ratio):
        return run
    return [(i, e)] + run


def realign_first(text: str, run: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Start the first branch where the frame starts, when the other branches share an opening.

    In ……对邻里多一份耐心，多一份善意，多一份体谅 the first unit carries lead-in
    words before the shared opening 多一份.
    """
    rest = [text[s:e] for s, e in run[1:]]
    pre = shared_prefix(rest)[:2]
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


def judged(text: str, p: Parallelism, toks: Tokens, settings, model) -> Candidate:
    """A hand rule's match as a candidate for the run scorer, built like a run of clauses, so that where
    the run scorer judges (essay prose) it weighs the match as it weighs any other run."""
    units = [Unit(s, e, BOUNDARY.get(text[e:e + 1], SENTENCE)) for s, e in p.branches]
    feats = [pair_features(text, a, b, CLAUSES, toks, model, settings) for a, b in zip(units, units[1:])]
    sims = [model.pair_score(f) if f is not None else 0.0 for f in feats]
    run = Run(CLAUSES, sims, [u.boundary for u in units[:-1]], left=0.0, right=0.0, realigned=False,
              extended=False, para_start=False, para_end=False, pairs=feats,
              words=[list(toks.words_in(s, e)) for s, e in p.branches])
    return Candidate(p.kind, p.branches, score=p.score, run=run, ruled=True)
