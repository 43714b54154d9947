"""Slogan (提法) and parallel-structure analysis of Chinese official texts.

Stages, one module each, data flowing one way:

    corpus → clean → structure → segment ─┬─ slogans ──┐
                                          └─ parallel ─┴─ tables → pages + charts → mkdocs build

Every span the package reports is ``(doc_id, start, end)`` in characters of the
document's decoded raw text, end exclusive.
"""

# Bump when a change alters per-document results: it keys the analysis cache.
ANALYZER_VERSION = "0.1.0"
