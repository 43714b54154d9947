"""What every corpus reader shares: problems, size limits, and metadata checked before it is used.

Metadata comes from users' files (front matter, metadata tables, JSONL and CSV
columns), so each value is checked: a year must be a plausible year, and no
text may hold a lone surrogate (JSON's ``"\\ud800"`` escape), which no file
or page can encode.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from analysis.document import Document

# Years a document of the corpus can carry; outside them a year is a typo (20201, 1e10, -5) and would
# mislead every timeline, so it is reported and left unknown.
YEAR_MIN, YEAR_MAX = 1000, 2100
# 35 times the longest work report (57,590 characters); one document this long took 1.1 GB and 109 s
DEFAULT_MAX_DOCUMENT_CHARS = 2_000_000
DEFAULT_MAX_DOCX_BYTES = 50_000_000       # uncompressed; reading one takes some 35 bytes of memory a byte

_YEAR = re.compile(r"\s*(\d{4})(?:[-/.年]|\s|$)")   # 2020, 2020年, 2020-05-01, 2020.0
_COMPACT_DATE = re.compile(r"\d{8}")                   # 20200501
_YEAR_IN_TITLE = re.compile(r"(?<![0-9])(1[89][0-9]{2}|20[0-9]{2})年")
_SURROGATE = re.compile("[\ud800-\udfff]")
# A title's last word and the genre it names; "工作报告" before "报告", the first that matches wins.
_GENRE_ENDINGS = tuple((re.compile(suffix + r"[）)（(摘要\s]*$"), genre) for suffix, genre in (
    ("决议", "决议"), ("工作报告", "工作报告"), ("报告", "报告"), ("讲话", "讲话"), ("致辞", "讲话"),
    ("意见", "意见"), ("通知", "通知"), ("决定", "决定"), ("公报", "公报")))


@dataclass(frozen=True)
class Problem:
    """An input that was skipped or only partly used, with the reason and a remedy."""

    input: str   # file, with ":line" or "#record"
    reason: str


@dataclass(frozen=True)
class Limits:
    """Sizes past which an input is skipped (and reported) rather than read: a guard on memory and time."""

    max_document_chars: int = DEFAULT_MAX_DOCUMENT_CHARS
    max_docx_bytes: int = DEFAULT_MAX_DOCX_BYTES

    def too_long(self, text: str) -> Optional[str]:
        """The report's reason when ``text`` is over the character limit, else None."""
        if len(text) <= self.max_document_chars:
            return None
        return (f"document too long: {len(text):,} characters, over the limit of {self.max_document_chars:,}; "
                "split it, or raise --max-document-chars")


def lone_surrogate(value: str) -> Optional[int]:
    """Index of the first lone surrogate in ``value`` (not encodable text), or None."""
    m = _SURROGATE.search(value)
    return m.start() if m else None


def ignored_surrogate(where: str, key: str, at: Optional[int] = None) -> Problem:
    """The problem of a metadata value ignored for a lone surrogate (at character ``at`` when known)."""
    shown = f" at character {at}" if at is not None else ""
    return Problem(where, f"'{key}' holds a lone surrogate (not valid Unicode){shown}; "
                          "the value was ignored: fix the \\u escape")


def apply_metadata(doc: Document, meta: dict, where: str, problems: list[Problem]) -> None:
    """Set ``doc``'s title, date, genre, speaker, source and year from ``meta``; report unusable values."""
    for key in ("title", "date", "genre", "speaker"):
        value = _text(meta, key, where, problems)
        if value:
            setattr(doc, key, value)
    organ = _text(meta, "organ", where, problems)
    if organ and not doc.speaker:
        doc.speaker = organ
    source = _text(meta, "source", where, problems) or _text(meta, "url", where, problems)
    if source:
        doc.meta["source"] = source
    year = meta.get("year")
    if year in (None, "") and doc.date:
        year = doc.date[:4] if _COMPACT_DATE.fullmatch(doc.date) else doc.date
    if year not in (None, ""):
        doc.year = parse_year(year, where, problems)
    if not doc.genre and doc.title:
        doc.genre = genre_from_title(doc.title)


def _text(meta: dict, key: str, where: str, problems: list[Problem]) -> str:
    value = meta.get(key)
    if value in (None, ""):
        return ""
    value = str(value).strip()
    at = lone_surrogate(value)
    if at is not None:
        problems.append(ignored_surrogate(where, key, at))
        return ""
    return value


def parse_year(value, where: str, problems: list[Problem]) -> Optional[int]:
    """The year of a metadata value (2020, "2020", "2020年", "2020-05-01"), or None (reported)."""
    m = _YEAR.match(str(value)) if not isinstance(value, bool) else None
    if m and YEAR_MIN <= int(m.group(1)) <= YEAR_MAX:
        return int(m.group(1))
    shown = str(value) if len(str(value)) <= 40 else str(value)[:40] + "…"
    what = "is not a year" if not m else f"is outside {YEAR_MIN}–{YEAR_MAX}"
    problems.append(Problem(where, f"year '{shown}' {what}; the year was left unknown "
                                   "(the document was analysed): give a four-digit year"))
    return None


def year_from_title(title: str) -> Optional[int]:
    """A year written in the title (2019年政府工作报告), or None."""
    m = _YEAR_IN_TITLE.search(title or "")
    return int(m.group(1)) if m else None


def genre_from_title(title: str) -> str:
    """Guess a genre from a title's last word (决议, 报告, 讲话 ...); '' when unclear."""
    for ending, genre in _GENRE_ENDINGS:
        if ending.search(title):
            return genre
    return ""
