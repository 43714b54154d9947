"""The objects every stage reads and extends.

A :class:`Document` is what the corpus reader produced: raw text plus metadata.
An :class:`AnalyzedDocument` adds the cleaned text with its offset map, the
removed boilerplate and the structural units. Every span is in characters of
``Document.raw``, end exclusive.
"""
from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field, replace
from typing import Optional, Sequence


@dataclass
class Document:
    """One input document as read from the corpus, before any cleaning."""

    doc_id: str
    raw: str
    title: str = ""
    year: Optional[int] = None
    date: str = ""
    genre: str = ""
    speaker: str = ""
    source: str = ""  # input file, with ":line" or "#record" where it came from a table
    meta: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)  # slots: half the memory, and the cache loads faster
class Span:
    """A stretch of the raw text: ``raw[start:end]`` is ``text``."""

    start: int
    end: int
    kind: str
    text: str = ""
    level: Optional[int] = None
    label: str = ""  # e.g. the reason a span was removed, or a heading's enumerator


def count_characters(text: str) -> int:
    """Characters of ``text`` that are not whitespace: the unit of every rate per 10,000 characters."""
    return len(text) - len(_SPACE.findall(text))


_SPACE = re.compile(r"\s")   # the characters str.isspace accepts, found about six times faster


@dataclass
class CleanText:
    """Normalised text plus, for every character, the raw index it came from.

    ``origin[i]`` is the raw offset of ``text[i]``; spans map back with
    :meth:`to_raw`, so a clean span always lands on the raw characters it
    was made from.
    """

    text: str
    origin: Sequence[int]  # an array('i') in practice: one raw offset per clean character

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Return the raw ``(start, end)`` covering clean ``text[start:end]``."""
        if end <= start:
            raw = self.origin[start] if start < len(self.origin) else (self.origin[-1] + 1 if self.origin else 0)
            return raw, raw
        return self.origin[start], self.origin[end - 1] + 1


@dataclass
class AnalyzedDocument:
    """A document after cleaning and structure: what the analysers read."""

    doc: Document
    clean: CleanText
    removed: list[Span] = field(default_factory=list)   # boilerplate, kind="removed"
    units: list[Span] = field(default_factory=list)     # title, salutation, heading, lead, paragraph
    # Sentences and clauses are many: kept as flattened raw offsets (start0, end0, start1, ...), which
    # cache, load and ship between processes far faster than Span objects; read them as Spans below.
    sentence_spans: Sequence[int] = field(default_factory=lambda: array("i"))
    clause_spans: Sequence[int] = field(default_factory=lambda: array("i"))
    paragraphs: list[tuple[int, int]] = field(default_factory=list)  # CLEAN offsets, one per unit
    parallelisms: list = field(default_factory=list)  # analysis.patterns.FoundParallelism, raw offsets
    # Word boundaries in the CLEAN text, flattened (start0, end0, start1, end1, ...): compact enough to
    # cache and ship between processes; words are clean.text[start:end].
    token_spans: Sequence[int] = field(default_factory=list)
    # What the slogan stage needs from this document alone (analysis.slogans.document_evidence), computed
    # with the per-document work so that it is cached and runs in the workers; the corpus stage merges it.
    slogan_evidence: object = None
    # The document's rows of the per-document span tables (analysis.tables.span_tables), Arrow tables by
    # name: made with the per-document work, so they are cached and built in the workers.
    span_tables: dict = field(default_factory=dict)

    @property
    def doc_id(self) -> str:
        return self.doc.doc_id

    @property
    def sentences(self) -> list[Span]:
        """The sentences as :class:`Span` objects (kind "sentence", raw offsets)."""
        return self._spans(self.sentence_spans, "sentence")

    @property
    def clauses(self) -> list[Span]:
        """The clauses (split at ，；： inside sentences) as :class:`Span` objects (kind "clause")."""
        return self._spans(self.clause_spans, "clause")

    def lightened(self) -> "AnalyzedDocument":
        """A copy without what only the per-document tables read (units, removed spans, sentences,
        clauses, and the words once the slogan evidence holds what the corpus stage needs of them).

        The corpus-wide stages keep one of these per document instead of the whole analysis.
        """
        words = self.token_spans if self.slogan_evidence is None else array("i")
        return replace(self, units=[], removed=[], sentence_spans=array("i"), clause_spans=array("i"),
                       token_spans=words, span_tables={})

    def _spans(self, flat: Sequence[int], kind: str) -> list[Span]:
        raw = self.doc.raw
        it = iter(flat)
        return [Span(s, e, kind, raw[s:e]) for s, e in zip(it, it)]
