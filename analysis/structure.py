"""Structure: title, salutation, headings with levels, paragraph leads, sentences, clauses.

Works on the cleaned text and its paragraphs, and reports every unit as a
:class:`~analysis.document.Span` in raw offsets (``text`` is the raw slice,
``label`` a heading's or lead's own words, a title's text).
"""
from __future__ import annotations

import re
from array import array
from itertools import chain
from typing import Iterator

import numpy as np

from analysis.clean import SALUTATION
from analysis.document import AnalyzedDocument, CleanText, Document, Span
from analysis.numbering import match_enumerator

HEADING_MAX = 50       # a paragraph longer than this is body text, numbered or not
TITLE_MAX = 40
_FINAL = "。；;！!？?…"
_SENTENCE = re.compile(r"[^。！？!?…]*(?:[。！？!?]+|…+|$)[”’」』）)]*")
_OPEN, _CLOSE = "“‘《（(「『〔【", "”’》）)」』〕】"
_CLAUSE_MARKS = "，；：,;:"
_CLAUSE_SCAN = re.compile("[" + re.escape(_OPEN + _CLOSE + _CLAUSE_MARKS) + "]")


def analyze_structure(doc: Document, clean: CleanText, paragraphs: list[tuple[int, int]],
                      removed: list[Span]) -> AnalyzedDocument:
    """Return the document with its units, sentences and clauses filled in (raw offsets)."""
    out = AnalyzedDocument(doc=doc, clean=clean, removed=removed, paragraphs=list(paragraphs))
    kinds = classify_paragraphs([clean.text[s:e] for s, e in paragraphs], title=doc.title)
    sentences: list[tuple[int, int]] = []
    clauses: list[tuple[int, int]] = []
    for (s, e), (kind, level, label) in zip(paragraphs, kinds):
        # a plain paragraph has no label of its own (its words are the units' clean_text already);
        # a title's label is its text, the document's title when the corpus gives none
        label = label or (clean.text[s:e] if kind == "title" else "")
        out.units.append(_span(doc.raw, clean, s, e, kind, level, label))
        for ss, se in split_sentences(clean.text, s, e):
            sentences.append((ss, se))
            clauses.extend(split_clauses(clean.text, ss, se))
    out.sentence_spans, out.clause_spans = raw_spans(clean, sentences), raw_spans(clean, clauses)
    if not doc.title:
        titles = [u for u in out.units if u.kind == "title"]
        doc.title = titles[0].label if titles else (doc.meta.get("file_stem") or doc.doc_id)
    return out


def raw_spans(clean: CleanText, spans: list[tuple[int, int]]) -> array:
    """The raw ``start, end, start, end …`` of non-empty clean ``spans``, as :meth:`CleanText.to_raw`
    maps each (mapped all at once in numpy: a call per clause cost a tenth of a second over the work reports)."""
    flat = np.fromiter(chain.from_iterable(spans), dtype=np.int64, count=2 * len(spans))
    origin = np.asarray(clean.origin, dtype=np.int32)       # an array('i') is read in place
    raw = np.empty(len(flat), dtype=np.int32)
    raw[0::2], raw[1::2] = origin[flat[0::2]], origin[flat[1::2] - 1] + 1
    out = array("i")
    out.frombytes(raw.tobytes())
    return out


def _span(raw: str, clean: CleanText, s: int, e: int, kind: str, level=None, label: str = "") -> Span:
    rs, re_ = clean.to_raw(s, e)
    return Span(rs, re_, kind, raw[rs:re_], level=level, label=label)


def classify_paragraphs(texts: list[str], *, title: str = "") -> list[tuple[str, int | None, str]]:
    """Classify each paragraph; return ``(kind, level, label)`` per paragraph.

    kind is title, salutation, heading, lead (a body paragraph opened by 一是,
    第一, 首先 or a number) or paragraph. ``label`` is the heading's or
    lead's own words ('' for plain paragraphs).
    """
    out: list[tuple[str, int | None, str]] = []
    last_numbered_level = 0
    for i, text in enumerate(texts):
        t = text.strip()
        enum = match_enumerator(t)
        short = len(t) <= HEADING_MAX and not t.endswith(tuple(_FINAL))
        # A numbered heading may close with one full stop (一、要不负重托，……新作为。).
        one_sentence = len(t) <= HEADING_MAX and not any(ch in _FINAL for ch in t[:-1])
        if i == 0 and _is_title(t, title, enum):
            out.append(("title", 0, t))
        elif SALUTATION.match(t) and len(t) <= 12:
            out.append(("salutation", None, t))
        elif enum and not enum.is_lead and one_sentence:
            out.append(("heading", enum.level, t))
            last_numbered_level = enum.level
        elif enum:
            out.append(("lead", 5, _lead_words(t)))
        elif short and len(t) <= 30 and not enum and i + 1 < len(texts) and not t.endswith(("：", ":")):
            out.append(("heading", min(last_numbered_level + 1, 4) if last_numbered_level else 1, t))
        else:
            out.append(("paragraph", None, ""))
    return out


def _is_title(t: str, title: str, enum) -> bool:
    if title and t == title.strip():
        return True
    return (not title and enum is None and len(t) <= TITLE_MAX and not t.endswith(tuple(_FINAL + "：:"))
            and not SALUTATION.match(t))


def _lead_words(t: str) -> str:
    """A lead's own words: up to the first full stop (or colon), if that is short."""
    m = re.match(r"[^。：:！？]{1,80}[。：:！？]?", t)
    return (m.group(0) if m else t[:80]).rstrip("。：:")


def split_sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Yield sentence spans of ``text[start:end]`` (clean offsets), closing quotes kept."""
    for m in _SENTENCE.finditer(text, start, end):
        s, e = m.start(), m.end()
        while s < e and text[s] in " \u3000":
            s += 1
        if e > s:
            yield s, e


def split_clauses(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Yield clause spans of a sentence: split at ，；： outside quotes and brackets, marks excluded."""
    depth, s = 0, start
    for m in _CLAUSE_SCAN.finditer(text, start, end):    # only brackets and clause marks matter
        i = m.start()
        ch = text[i]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in _CLAUSE_MARKS and depth == 0:
            if i > s:
                yield s, i
            s = i + 1
    e = end
    while e > s and text[e - 1] in "。！？!?…”’」』）)":
        e -= 1
    if e > s:
        yield s, e
