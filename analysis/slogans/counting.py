"""Counting: every slogan counted once per place (leftmost-longest), and slogans too rare or too common dropped."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from analysis.document import AnalyzedDocument
from analysis.slogans.candidates import Candidate
from analysis.slogans.occurrences import Occurrences
from analysis.slogans.settings import DEFAULT_SETTINGS, SloganSettings

# A slogan found by one of these needs only one hit.
_ONE_HIT_SIGNALS = {"quoted", "lexicon", "enumeration"}


class Hits(NamedTuple):
    """The counted occurrences of the slogans, in corpus order."""

    occ: np.ndarray          # indices into the Occurrences they were counted from
    doc: np.ndarray          # document number of each
    slogan: np.ndarray       # the slogan each counts for (object array of forms)


def count_slogans(cands: dict[str, Candidate], occ: Occurrences, analyzed: list[AnalyzedDocument], *,
                  settings: SloganSettings = DEFAULT_SETTINGS) -> Hits:
    """Count the candidates, drop those that fail (:func:`prune`, which changes ``cands``) and recount;
    return the hits of the last count."""
    for _ in range(settings.max_recounts):  # dropping a slogan frees its places for others
        hits = count_hits(cands, occ)
        if not prune(hits, cands, analyzed, settings=settings):
            break
    return hits


def count_hits(cands: dict[str, Candidate], occ: Occurrences) -> Hits:
    """The counted occurrences of the candidates and their variants, leftmost-longest among them all."""
    owner = {}
    for c in cands.values():
        for v in c.variants:
            owner.setdefault(v, c.form)
    for c in cands.values():
        owner[c.form] = c.form
    kept = occ.longest(occ.ids(owner))
    names = np.array([owner.get(f, "") for f in occ.forms] + [""], dtype=object)
    return Hits(kept, occ.doc[kept], names[occ.fid[kept]])


def prune(hits: Hits, cands: dict[str, Candidate], analyzed: list[AnalyzedDocument], *,
          settings: SloganSettings = DEFAULT_SETTINGS) -> int:
    """Drop slogans with too few hits or, if only cohesive, used across the whole period; return how many.

    Quoted, enumerated and lexicon terms need one hit, others ``min_count``.
    A cohesive expression whose first and last years span more than
    ``life_span`` of the corpus's years is ordinary vocabulary, not a
    formulation with a life cycle (checked only for corpora of
    ``life_span_min_years`` years or more).
    """
    doc_year = np.array([np.nan if a.doc.year is None else float(a.doc.year) for a in analyzed] + [np.nan])
    years = sorted({int(a.doc.year) for a in analyzed if a.doc.year is not None})
    codes, names = pd.factorize(hits.slogan)
    counts = dict(zip(names.tolist(), np.bincount(codes, minlength=len(names)).tolist()))
    span = _year_spans(codes, names, doc_year[hits.doc])
    whole = (years[-1] - years[0]) if len(years) >= settings.life_span_min_years else 0
    drop = []
    for f, c in cands.items():
        n = counts.get(f, 0)
        if n < (1 if c.signals & _ONE_HIT_SIGNALS else settings.min_count):
            drop.append(f)
        elif whole and c.signals == {"cohesive"} and f in span:
            if span[f] > settings.life_span * whole:
                drop.append(f)
    for f in drop:
        del cands[f]
    return len(drop)


def _year_spans(codes: np.ndarray, names: np.ndarray, year: np.ndarray) -> dict[str, float]:
    """Last minus first year of each name's hits (``codes`` index ``names``; undated hits, NaN, left out);
    names without a dated hit are absent."""
    dated = ~np.isnan(year)
    first, last = np.full(len(names), np.inf), np.full(len(names), -np.inf)
    np.minimum.at(first, codes[dated], year[dated])
    np.maximum.at(last, codes[dated], year[dated])
    has = np.isfinite(first)
    return dict(zip(np.asarray(names, dtype=object)[has].tolist(), (last - first)[has].tolist()))
