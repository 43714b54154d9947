"""The corpus-wide slogan stage: merge the documents' evidence, resolve nesting, count, make the tables."""
from __future__ import annotations

from typing import Optional

import pandas as pd

from analysis.document import AnalyzedDocument
from analysis.segment import simplified
from analysis.slogans.candidates import add_lexicon, gather_candidates
from analysis.slogans.cores import fold_cores
from analysis.slogans.counting import count_slogans
from analysis.slogans.evidence import corpus_evidence
from analysis.slogans.genres import genre_formulae
from analysis.slogans.nesting import joined_forms, joined_variants, resolve_nesting
from analysis.slogans.occurrences import Occurrences
from analysis.slogans.settings import DEFAULT_SETTINGS, SloganSettings
from analysis.slogans.tables import build_tables, hits_table


def slogan_tables(analyzed: list[AnalyzedDocument], *, lexicon=None, progress: bool = True,
                  memo: Optional[dict] = None,
                  settings: SloganSettings = DEFAULT_SETTINGS) -> dict[str, pd.DataFrame]:
    """Extract slogans from analysed documents; return the tables by name.

    ``slogans``, ``slogan_hits``, ``slogan_years``, ``slogan_docs`` and
    ``cooccurrence`` (columns in :mod:`analysis.slogans.tables`), and the
    ``genre_formulae`` kept out of them (:mod:`analysis.slogans.genres`). Each
    document's evidence is taken from ``a.slogan_evidence`` (computed by the
    per-document stage) or computed here where missing or made under other
    settings. ``memo`` (a dict, updated in place; see
    :func:`analysis.slogans.occurrences.find_all`) carries the text scans
    over to the next run, which then scans only what changed.
    """
    memo = {} if memo is None else memo
    evidence = corpus_evidence(analyzed, lexicon, settings=settings, progress=progress)
    texts = [simplified(a.clean.text) for a in analyzed]   # 手工業 is counted as 手工业; offsets unchanged
    cands = gather_candidates(evidence, settings=settings)
    add_lexicon(cands, lexicon)
    cands = fold_cores(cands)
    joined = joined_forms(cands)
    # every form counted from here on is a candidate, a variant or a joined spelling: one scan finds them all
    occ = Occurrences(set(cands) | set(joined) | {v for c in cands.values() for v in c.variants}, texts,
                      memo.setdefault("forms", {}))
    joined_variants(joined, occ)
    cands = resolve_nesting(cands, occ, texts, memo.setdefault("free words", {}), settings=settings)
    hits = count_slogans(cands, occ, analyzed, settings=settings)
    formulae = genre_formulae(hits, occ, analyzed, settings=settings)
    if len(formulae):   # the genre's furniture leaves the list, and its places are free for others
        for form in set(formulae["formula"]):
            del cands[form]
        hits = count_slogans(cands, occ, analyzed, settings=settings)
    tables = build_tables(cands, hits_table(hits, occ, analyzed, settings=settings), analyzed, evidence,
                          raw_counts=occ.counts(), settings=settings)
    return {**tables, "genre_formulae": formulae}
