"""The detector: frames, runs and rule matches of a text, scored, selected and given templates."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, replace
from typing import Optional

from analysis.parallel.bounds import pair_bounds
from analysis.parallel.frames import enumerations, headings, unnumbered_headings
from analysis.parallel.model import Model, load_model
from analysis.parallel.register import official_paragraphs
from analysis.parallel.run_features import Candidate, opens_alike, run_features, run_scorer_judges
from analysis.parallel.runs import aligned
from analysis.parallel.selection import select
from analysis.parallel.series import lead_series, sentence_series
from analysis.parallel.settings import DEFAULT_SETTINGS, ParallelSettings
from analysis.parallel.templates import template
from analysis.parallel.types import Parallelism
from analysis.parallel.units import (Piece, Tokens, Unit, UnitSequence, paragraph_spans, pieces, quoted_passages,
                                     unit_sequences)
from analysis.segment import Segmenter, get_segmenter


@dataclass
class ParagraphWork:
    """What the detector compares in one paragraph of two or more pieces."""

    index: int                         # of the paragraph in the text
    pieces: list[Piece]
    tokens: Tokens
    sequences: list[UnitSequence]      # those of two or more units


def find_parallelisms(text: str, *, paragraphs: Optional[list[tuple[int, int]]] = None,
                      segmenter: Optional[Segmenter] = None, settings: Optional[ParallelSettings] = None,
                      model: Optional[Model] = None) -> list[Parallelism]:
    """Return the parallel structures in ``text``, outermost first within each stretch.

    ``paragraphs`` are ``(start, end)`` offsets of paragraphs in ``text``
    (``None``: split on newlines). Branch offsets index ``text`` and carry no
    leading or trailing punctuation. ``settings`` and ``model`` default to
    :data:`DEFAULT_SETTINGS` and the model shipped with the package.
    """
    seg = segmenter or get_segmenter()
    model = model or load_model()
    settings = settings or DEFAULT_SETTINGS
    cands, essay = candidates(text, paragraphs, seg, settings, model)
    # the essay gold never nests one parallelism inside another's branch: in essay paragraphs, where the run
    # scorer picks, no parallelism nests inside another either
    scored = score_runs(text, cands, settings.keep, model)
    kept = select(longest_reading(scored, essay) if settings.longest_reading else scored, flat=essay.holds)
    out = []
    for c in kept:
        frame, fillers, family = template(text, c.branches, seg)
        out.append(Parallelism(c.kind, c.branches, frame, fillers, family, c.level, c.score))
    return out


@dataclass
class EssayParagraphs:
    """The paragraphs read as essay prose (:mod:`analysis.parallel.register`), where the run scorer judges."""

    spans: list[tuple[int, int]]      # in text order

    def holds(self, p: Parallelism) -> bool:
        """Whether ``p`` starts in one of these paragraphs."""
        i = bisect.bisect_right(self.spans, (p.start, float("inf"))) - 1
        return i >= 0 and p.start <= self.spans[i][1]


def candidates(text: str, paragraphs: Optional[list[tuple[int, int]]], seg: Segmenter, settings: ParallelSettings,
               model: Model) -> tuple[list[Parallelism], EssayParagraphs]:
    """Every candidate parallelism before selection (frames, runs of aligned units, rule matches), and
    the paragraphs read as essay prose.

    Each paragraph is read by its own register (:func:`official_paragraphs`, from it and its
    neighbours): in official prose the floors weigh the runs and compound units are compared, in essay
    prose the run scorer judges. ``settings.run_scorer`` / ``compound_units`` other than None impose one
    way on every paragraph.
    """
    paras = [tuple(x) for x in paragraphs] if paragraphs is not None else paragraph_spans(text)
    pieces_by_para = [pieces(text, ps, pe, settings.longest_quote) for ps, pe in paras]
    units_by_para = [[Unit(x.start, x.end, x.boundary) for x in ps] for ps in pieces_by_para]
    cands: list[Parallelism] = headings(text, paras) + enumerations(text, paras, units_by_para)
    ways = paragraph_settings(text, paras, settings, model)
    official = [not run_scorer_judges(w, model) for w in ways]
    if settings.unnumbered_headings:
        cands.extend(unnumbered_headings(text, paras, official, settings))
    if settings.series:
        cands.extend(lead_series(text, paras, settings, official))
        for para_pieces, is_official in zip(pieces_by_para, official):
            cands.extend(sentence_series(text, para_pieces, settings, is_official))
    # in official prose the insides of quotations kept whole are read as passages of their own (the essay
    # gold leaves the quoted lines of its essays alone: reading them cost the training essays 0.005 EPM F1)
    inside = [(q, i) for i, (ps, pe) in enumerate(paras) if settings.read_quotations
              and not run_scorer_judges(ways[i], model) for q in quoted_passages(text, ps, pe, settings.longest_quote)]
    paras = paras + [q for q, _ in inside]
    pieces_by_para += [pieces(text, qs, qe, settings.longest_quote) for (qs, qe), _ in inside]
    ways = ways + [ways[i] for _, i in inside]
    owners = list(range(len(paras) - len(inside))) + [i for _, i in inside]
    work = paragraph_work(text, paras, pieces_by_para, seg, [w.compound_units for w in ways], owners)
    if settings.prune_pairs:
        bounds = pair_bounds(text, work, settings, model)        # one pass over the whole document's pairs
    else:
        bounds = [[[float("inf")] * len(seq.units) for seq in para.sequences] for para in work]
    for para, bound in zip(work, bounds):
        cands.extend(aligned(text, para.pieces, para.tokens, para.sequences, bound, ways[para.index], model))
    # (a quotation's inside lies in its paragraph, read the same way: the paragraphs alone say it)
    n = len(paras) - len(inside)
    essay = [span for span, way in zip(paras[:n], ways[:n]) if run_scorer_judges(way, model)]
    return cands, EssayParagraphs(essay)


def paragraph_settings(text: str, paras: list[tuple[int, int]], settings: ParallelSettings,
                       model: Model) -> list[ParallelSettings]:
    """For each paragraph, ``settings`` with ``run_scorer`` and ``compound_units`` set by its register
    (where they are None)."""
    official = official_paragraphs(text, paras, model) if settings.run_scorer is None else None
    ways = {}
    for way in (True, False):
        run_scorer = (not way) if settings.run_scorer is None else settings.run_scorer
        compound = (not run_scorer) if settings.compound_units is None else settings.compound_units
        ways[way] = replace(settings, run_scorer=run_scorer, compound_units=compound)
    return [ways[official[i] if official is not None else True] for i in range(len(paras))]


def paragraph_work(text: str, paras: list[tuple[int, int]], pieces_by_para: list[list[Piece]],
                   seg: Segmenter, compound, owners: Optional[list[int]] = None) -> list[ParagraphWork]:
    """The work of every paragraph of two or more pieces; ``compound``: whether to compare units of two
    and three clauses too, for all paragraphs (a bool) or for each (a list); ``owners``: for each, the
    paragraph whose words it reads (a quotation's inside reads its paragraph's: segmented once)."""
    work = []
    tokens: dict[int, Tokens] = {}
    for i, ((ps, pe), para_pieces) in enumerate(zip(paras, pieces_by_para)):
        if len(para_pieces) >= 2:
            both = compound[i] if isinstance(compound, list) else compound
            sequences = [s for s in unit_sequences(para_pieces, both) if len(s.units) >= 2]
            owner = owners[i] if owners is not None else i
            if owner not in tokens:
                tokens[owner] = Tokens(seg, text, *paras[owner])
            work.append(ParagraphWork(i, para_pieces, tokens[owner], sequences))
    return work


def longest_reading(cands: list[Parallelism], essay: EssayParagraphs) -> list[Parallelism]:
    """``cands``, where one series is found twice, once with more branches (a rule's figure series of five
    clauses, a run of four of them), the longer scoring at least as the shorter: it is the same series
    read to its end. Not in essay paragraphs, where the run scorer weighs every extent. In place."""
    by_first: dict[tuple[int, int], list[Parallelism]] = {}
    for c in cands:
        if c.kind not in ("heading", "enumeration") and not essay.holds(c):
            by_first.setdefault(c.branches[0], []).append(c)
    for group in by_first.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda c: len(c.branches))
        for i, short in enumerate(group):
            n = len(short.branches)
            for longer in group[i + 1:]:
                if len(longer.branches) > n and longer.branches[:n] == short.branches:
                    longer.score = max(longer.score, short.score)
    return cands


def score_runs(text: str, cands: list[Parallelism], keep: float, model: Model) -> list[Parallelism]:
    """Score the candidate runs as whole parallelisms; drop those under ``keep`` (three or more
    clauses opening alike are kept whatever their score)."""
    out = []
    for c in cands:
        if not isinstance(c, Candidate) or c.run is None:
            out.append(c)
            continue
        c.score = model.run_score(run_features(text, c.branches, c.run))
        if opens_alike(text, c):
            c.score = max(c.score, keep)
        if c.score >= keep:
            out.append(c)
    return out
