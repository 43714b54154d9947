"""Any term, not only the extracted slogans: the query, its hits, KWIC lines and yearly trend.

The explore page (``explore.html``) and the command line (``python -m analysis kwic`` /
``trend``) answer the same questions from the same data: the raw text of every document
(the ``texts`` table) and the ``documents`` table. This module holds the rules both follow,
so a count printed here is the count the page shows:

- a query is one or more terms separated by spaces or commas; a term is one or more
  alternatives joined by ``|`` (``小康|现代化`` counts either, as one line);
- a hit is a match in the raw text, leftmost first, the longest alternative winning at a
  position, matches not overlapping (as ``str.count`` and the page's RegExp count);
- rates are hits per 10,000 characters of that year's documents (the ``characters``
  column, the denominator of every rate on the site).

The page's JavaScript (``docs/javascripts/explore.js``) repeats these few rules over the
data :mod:`analysis.explore_data` writes from :func:`document_records`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator

import pandas as pd

CONTEXT = 20          # characters of context either side of a KWIC hit
_SEPARATORS = re.compile(r"[\s,，、;；]+")
# word-length and gap alphabets of the compact token stream (see encode_tokens): no quote or backslash
WORD_LENGTHS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
GAP_LENGTHS = "0123456789"
_HIDDEN = "\n\r\u3000\u200b\u200c\u200d\u2060\ufeff"


class QueryError(ValueError):
    """A query with no term in it."""


@dataclass(frozen=True)
class Term:
    """One term of a query: its alternatives, longest first (the longest wins where two start together)."""

    label: str
    alternatives: tuple[str, ...]

    @property
    def pattern(self) -> re.Pattern:
        return re.compile("|".join(re.escape(a) for a in self.alternatives))


def parse_query(text: str) -> list[Term]:
    """The terms of a query, in the order typed, each once; raise :class:`QueryError` if there is none."""
    terms: list[Term] = []
    for part in _SEPARATORS.split(text or ""):
        alternatives = [a for a in dict.fromkeys(p.strip() for p in part.split("|")) if a]
        if not alternatives:
            continue
        term = Term("|".join(alternatives), tuple(sorted(alternatives, key=lambda a: (-len(a), a))))
        if term.label not in {t.label for t in terms}:
            terms.append(term)
    if not terms:
        raise QueryError(f"no term in the query {text!r}: give one or more words, alternatives joined by |")
    return terms


def hits(raw: str, term: Term) -> list[tuple[int, int]]:
    """``(start, end)`` of every hit of ``term`` in ``raw``: leftmost first, not overlapping."""
    return [m.span() for m in term.pattern.finditer(raw)]


@dataclass(frozen=True)
class Document:
    """What the page and the command line know of a document: metadata and raw text."""

    doc_id: str
    title: str
    year: int | None
    characters: int
    raw: str


def read_documents(documents: pd.DataFrame, texts: pd.DataFrame) -> list[Document]:
    """The documents in reading order (by year, undated last, then id), each with its raw text.

    A document without a text row is an error naming it: its counts would silently be zero.
    """
    raw = dict(zip(texts["doc_id"], texts["raw"])) if len(texts) else {}
    out = []
    for row in documents.sort_values(["year", "doc_id"], na_position="last").itertuples(index=False):
        if row.doc_id not in raw:
            raise ValueError(f"document {row.doc_id!r} has no row in the texts table: rebuild the tables")
        year = None if pd.isna(row.year) else int(row.year)
        out.append(Document(row.doc_id, str(row.title), year, int(row.characters), raw[row.doc_id]))
    return out


def year_characters(docs: Iterable[Document]) -> dict[int, int]:
    """Characters of the dated documents per year: the denominator of a yearly rate."""
    out: dict[int, int] = {}
    for d in docs:
        if d.year is not None:
            out[d.year] = out.get(d.year, 0) + d.characters
    return dict(sorted(out.items()))


def trend(docs: list[Document], terms: list[Term]) -> pd.DataFrame:
    """One row per term and year with documents: ``term, year, count, documents, characters, rate_per_10k``.

    Years without documents are absent (a gap, not a zero); undated documents count in no year.
    """
    chars = year_characters(docs)
    rows = []
    for term in terms:
        counts = {y: [0, 0] for y in chars}
        for d in docs:
            n = len(hits(d.raw, term)) if d.year is not None else 0
            if n:
                counts[d.year][0] += n
                counts[d.year][1] += 1
        rows += [{"term": term.label, "year": y, "count": c, "documents": k, "characters": chars[y],
                  "rate_per_10k": round(c / chars[y] * 10000, 4) if chars[y] else 0.0}
                 for y, (c, k) in counts.items()]
    return pd.DataFrame(rows, columns=["term", "year", "count", "documents", "characters", "rate_per_10k"])


def visible(text: str) -> str:
    """``text`` as a reader sees it on the page: line breaks and hidden spaces dropped."""
    return "".join(ch for ch in text if ch not in _HIDDEN)


def kwic(docs: list[Document], terms: list[Term], *, context: int = CONTEXT) -> Iterator[dict]:
    """KWIC lines: ``term, doc_id, title, year, start, end, left, hit, right`` in reading order.

    ``start``/``end`` are raw offsets (the page links to ``documents/ID.html#at=START``); the
    context is the ``context`` raw characters either side, shown without line breaks.
    """
    for d in docs:
        for term in terms:
            for start, end in hits(d.raw, term):
                yield {"term": term.label, "doc_id": d.doc_id, "title": d.title, "year": d.year,
                       "start": start, "end": end, "left": visible(d.raw[max(0, start - context):start]),
                       "hit": d.raw[start:end], "right": visible(d.raw[end:end + context])}


_WORD = re.compile(r"[^\W_]")    # a letter or digit of any script


@lru_cache(maxsize=200_000)
def is_word(token: str) -> bool:
    """Whether a token is a word (holds a letter or digit of any script), not punctuation or space."""
    # cached: the explore data asks it of every token of the corpus, mostly the same few thousand words
    return _WORD.search(token) is not None


def encode_tokens(tokens: Iterable[tuple[str, int, int]], length: int) -> str:
    """The words of a segmented text as a compact string the page decodes back into offsets.

    Each word (:func:`is_word`) is one letter of :data:`WORD_LENGTHS` (its length; longer words in
    pieces), each run of characters that is not a word (punctuation, spaces) digits of
    :data:`GAP_LENGTHS` (1–10 characters each).
    """
    out, at = [], 0
    letters, gaps = WORD_LENGTHS, GAP_LENGTHS
    for word, start, end in tokens:
        if not is_word(word):
            continue
        if start > at:
            out.append(gaps[start - at - 1] if start - at <= len(gaps) else _gap(start - at))
        n = end - start
        while n > len(letters):   # never met in practice; kept whole it would need a wider alphabet
            out.append(letters[-1])
            n -= len(letters)
        out.append(letters[n - 1])
        at = end
    out.append(_gap(length - at))
    return "".join(out)


def _gap(n: int) -> str:
    full, rest = divmod(n, len(GAP_LENGTHS))
    return GAP_LENGTHS[-1] * full + (GAP_LENGTHS[rest - 1] if rest else "")


def decode_tokens(code: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every word :func:`encode_tokens` wrote (the page does the same in JS); a word
    longer than the alphabet comes back in pieces."""
    out, at = [], 0
    for ch in code:
        if ch in GAP_LENGTHS:
            at += GAP_LENGTHS.index(ch) + 1
        else:
            n = WORD_LENGTHS.index(ch) + 1
            out.append((at, at + n))
            at += n
    return out


def load_documents(build_dir) -> list[Document]:
    """The documents and texts of the tables in ``build_dir``, as :func:`read_documents` gives them;
    a :class:`analysis.errors.UsageError` if there are no tables yet."""
    from analysis.errors import UsageError
    from analysis.tables import read_table, tables_dir
    if not (tables_dir(build_dir) / "texts.parquet").exists():
        raise UsageError(f"no tables in {tables_dir(build_dir)}; run `python -m analysis analyze` first")
    return read_documents(read_table(build_dir, "documents"), read_table(build_dir, "texts"))


def kwic_table(docs: list[Document], terms: list[Term], *, context: int = CONTEXT) -> pd.DataFrame:
    """:func:`kwic` as a table, in reading order."""
    columns = ["term", "year", "doc_id", "title", "start", "end", "left", "hit", "right"]
    frame = pd.DataFrame(list(kwic(docs, terms, context=context)), columns=columns)
    return frame.astype({"year": "Int64"})


def print_table(frame: pd.DataFrame, *, csv: bool, out=None) -> None:
    """Print ``frame`` as aligned text, or as CSV (UTF-8, a header row) with ``csv``."""
    import sys
    out = out or sys.stdout
    if csv:
        frame.to_csv(out, index=False)
    elif len(frame):
        with pd.option_context("display.unicode.east_asian_width", True, "display.max_colwidth", 60):
            print(frame.to_string(index=False), file=out)
    else:
        print("（没有找到）", file=out)


def collocates(texts: Iterable[tuple[str, list[tuple[int, int]]]], term: Term, frequencies: dict[str, int],
               total: int, *, window: int = 5, min_count: int = 3) -> list[dict]:
    """Words within ``window`` words of a hit of ``term``, drawn towards it: ``word, count, frequency, g2``.

    ``texts`` gives each document's raw text and its words as ``(start, end)`` (the page decodes them
    from the shards); ``frequencies`` and ``total`` are the corpus's word counts. The words of a hit
    itself are not counted. A collocate occurs at least ``min_count`` times near the term and more often
    than chance would have it; they are ranked by log-likelihood G² (Dunning), as on the explore page.
    """
    import bisect
    import math
    counts: dict[str, int] = {}
    near = 0
    for raw, words in texts:
        ends = [e for _, e in words]
        for start, end in hits(raw, term):
            first, last = bisect.bisect_right(ends, start), bisect.bisect_right(ends, end - 1)
            for k in range(max(0, first - window), min(len(words), last + 1 + window)):
                if first <= k <= last:
                    continue
                w = raw[words[k][0]:words[k][1]]
                counts[w] = counts.get(w, 0) + 1
                near += 1

    def g2(o11: int, f: int) -> float:
        cells = [(o11, near * f / total), (near - o11, near * (total - f) / total),
                 (f - o11, (total - near) * f / total), (total - near - f + o11, (total - near) * (total - f) / total)]
        return 2 * sum(o * math.log(o / e) for o, e in cells if o > 0 and e > 0)

    rows = [{"word": w, "count": o, "frequency": frequencies.get(w, o), "g2": g2(o, frequencies.get(w, o))}
            for w, o in counts.items() if o >= min_count and o > near * frequencies.get(w, o) / total]
    return sorted(rows, key=lambda r: (-r["g2"], r["word"]))
