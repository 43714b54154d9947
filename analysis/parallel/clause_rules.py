"""Clause series of official prose that share a grammatical shape rather than an opening word.

Work reports list what was done as clauses of one shape: a verb with the
perfective 了 (开展了甲，粉碎了乙，增进了丙), figures after one same verb
(钢增长一倍，煤增长百分之九十), and contrasting pairs (不是…，而是…;
要…，不要…; 既…，也…). The cue is each clause's own shape, so the rules
fire wherever the shape occurs; a branch is the whole clause.
"""
from __future__ import annotations

import re
from typing import Callable, Optional

from analysis.parallel.rules import marker_pairs
from analysis.parallel.types import Parallelism
from analysis.parallel.units import CLAUSE, SEGMENT, WEAK, Piece, Tokens, Unit, group

# A figure: digits, a percentage, or a Chinese numeral followed by a unit or a multiple.
FIGURE = re.compile(r"[0-9０-９]|百分之|[一二三四五六七八九十两][一二三四五六七八九十百千万亿点零两]*"
                    r"[倍万亿吨元个人户套项所家公里度斤台辆件]")
# Openings of a clause that elaborates the figure before it rather than giving another.
ELABORATIONS = ("其中", "比", "是", "占", "相当于", "为", "较", "超过", "包括")
# Pairs of clause openings that set two units against each other (antithesis and correlatives the
# shared list in rules.py leaves out): the first clause opens with one of the first, the second
# with one of the seconds. (是…，更是… climbs from one to a stronger second: no equal pair.)
CONTRASTS = (("不是", ("而是",)), ("并不是", ("而是",)), ("并非", ("而是",)), ("不应", ("而应",)),
             ("不应当", ("而应当",)), ("不僅", ("而且", "還", "也")), ("既", ("又", "也")),
             ("不论", ("还是",)), ("无论", ("还是",)), ("要", ("不要",)),
             ("是", ("不是", "也是", "又是")))

_SECOND_OPENINGS = frozenset(w[0] for _, seconds in CONTRASTS for w in seconds)


def perfective(text: str, c: Unit, toks: Tokens, settings) -> Optional[int]:
    """Where the verb starts in a clause whose predicate is a verb with 了 near its start
    (全省粉碎了敌人的进攻 -> the offset of 粉碎); None: not such a clause."""
    shortest, longest = settings.shape_clause_length
    if not shortest <= c.end - c.start <= longest or "了" not in text[c.start + 2:c.start + settings.perfective_reach + 1]:
        return None             # the length and the 了 first: words cost more
    words = toks.slice(*c.span)[:4]
    for x, (w, ws, _) in enumerate(words):
        if x > 0 and w == "了" and 2 <= ws - c.start <= settings.perfective_reach and words[x - 1][0] not in WEAK:
            return words[x - 1][1]
    return None


def shape_series(text: str, pieces: list[Piece], toks: Tokens, settings) -> list[Parallelism]:
    """Runs of adjacent clauses of one shape (see :func:`perfective`, :func:`figure_pair`): kind "clause"."""
    clauses = [c for c in group(pieces, CLAUSE) if c.end > c.start]
    out = []
    for run in _runs(clauses, lambda c: perfective(text, c, toks, settings) is not None, settings.shortest_shape_run):
        branches = [c.span for c in run]
        # the subject before the first verb governs the whole series when the others open with their verb
        if all(perfective(text, c, toks, settings) == c.start for c in run[1:]):
            branches[0] = (perfective(text, run[0], toks, settings), run[0].end)
        out.append(Parallelism("clause", branches, score=settings.rule_score))
    for run in _pair_runs(clauses, lambda a, b: settings.figure_series and figure_pair(text, a, b, toks, settings)):
        out.append(Parallelism("clause", [c.span for c in run], score=settings.rule_score))
    return out


def figure_pair(text: str, a: Unit, b: Unit, toks: Tokens, settings) -> bool:
    """Two clauses each giving a figure after one same content word (增长百分之五，增长三倍)."""
    shortest, longest = settings.shape_clause_length
    if not (shortest <= a.end - a.start <= longest and shortest <= b.end - b.start <= longest):
        return False
    if not (FIGURE.search(text, a.start, a.end) and FIGURE.search(text, b.start, b.end)):
        return False
    if text.startswith(ELABORATIONS, b.start):
        return False            # 其中…, 比上年… break a figure down or compare it: no second item
    wa = {w for w in toks.words_in(*a.span) if len(w) >= 2 and w not in WEAK and not FIGURE.match(w)}
    return any(w in wa for w in toks.words_in(*b.span))


def contrasts(text: str, pieces: list[Piece], settings) -> list[Parallelism]:
    """Two adjacent clauses opened by a contrasting pair (不是…，而是…; 要团结，不要分裂): kind "clause"."""
    return marker_pairs(text, pieces, settings, CONTRASTS, lead_in=settings.lead_in,
                        shortest=lambda first: len(first) + 2, openings=_SECOND_OPENINGS)


def three_character_series(text: str, pieces: list[Piece], toks: Tokens, settings) -> list[Parallelism]:
    """Runs of two or more adjacent three-character clauses built from words of the same lengths (抓甲事，
    抓乙线; 稳增长，控物价): kind "phrase". Clauses this short standing side by side are set up as a series.
    (From the earlier attempt on branch issue12-prose2.)"""
    if not any(p.end - p.start <= 3 for p in pieces):
        return []               # a clause of three characters is made of pieces of three or fewer
    clauses = [c for c in group(pieces, CLAUSE) if c.end - c.start == 3]     # the length first: words cost more

    def alike(a: Unit, b: Unit) -> bool:
        if b.start - a.end > 1:
            return False                # not adjacent: a longer clause stood between them
        pa, pb = [len(w) for w in toks.words_in(*a.span)], [len(w) for w in toks.words_in(*b.span)]
        return pa == pb and len(pa) == 2
    return [Parallelism("phrase", [c.span for c in run], score=settings.rule_score)
            for run in _pair_runs(clauses, alike)]


def _runs(clauses: list[Unit], fits: Callable[[Unit], bool], shortest: int) -> list[list[Unit]]:
    """Maximal runs of ``shortest`` or more adjacent clauses of one sentence that all fit."""
    out, run = [], []
    for c in clauses:
        ok = fits(c)
        if not ok or (run and run[-1].boundary > SEGMENT):
            if len(run) >= shortest:
                out.append(run)
            run = []
        if ok:
            run.append(c)
    if len(run) >= shortest:
        out.append(run)
    return out


def _pair_runs(clauses: list[Unit], pair: Callable[[Unit, Unit], bool]) -> list[list[Unit]]:
    """Maximal runs of two or more adjacent clauses of one sentence whose adjacent pairs all match."""
    out, run = [], []
    for a, b in zip(clauses, clauses[1:] + [None]):
        if b is not None and a.boundary <= SEGMENT and pair(a, b):
            run = run or [a]
            run.append(b)
        else:
            if len(run) >= 2:
                out.append(run)
            run = []
    return out
