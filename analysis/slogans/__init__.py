"""Slogans (提法): candidates from several signals, merged into one counted table.

Signals, each found by shape and statistics alone (no expected term is listed):

* quoted terms (“三会一课”), numbered formulations (两学一做, 四个意识) and
  enumerations (不忘初心、牢记使命) — :mod:`~analysis.slogans.detectors`;
* cohesive expressions: recurring, strongly associated n-grams with free
  boundaries — :mod:`~analysis.slogans.cohesion`;
* entries of the lexicon the user curates.

The work is split in two. :func:`document_evidence` runs every detector over
one document and returns a compact :class:`DocumentEvidence`; it runs in the
per-document stage, so it is cached and parallel. :func:`slogan_tables`
merges the evidence, folds a form mostly used inside a longer slogan into its
variants, counts every slogan once per place (leftmost-longest) and returns
the tables the pipeline writes. Every threshold is a field of
:class:`SloganSettings`.
"""
from analysis.slogans.detectors import Match, compact_numbered, counted_phrases, enumerations, quoted_terms
from analysis.slogans.evidence import EVIDENCE_VERSION, DocumentEvidence, document_evidence
from analysis.slogans.extract import slogan_tables
from analysis.slogans.occurrences import Occurrences, find_all
from analysis.slogans.report import slogan_report
from analysis.slogans.settings import SloganSettings
from analysis.slogans.shapes import is_numeric_noise, pos_tags, term_like

__all__ = [
    "EVIDENCE_VERSION", "DocumentEvidence", "Match", "Occurrences", "SloganSettings",
    "compact_numbered", "counted_phrases", "document_evidence", "enumerations", "find_all", "is_numeric_noise",
    "pos_tags", "quoted_terms", "slogan_report", "slogan_tables", "term_like",
]
