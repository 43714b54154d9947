"""Names the analysis and the site share: ids of documents and pages, and groups of documents.

Both sides need them (the corpus reader names documents, the pages name
their files; the ``compare`` command and the compare page read a group
spec), so they live here rather than in either.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
from slugify import slugify

from analysis.errors import GroupError

ID_MAX = 60   # at most this many characters in an id, which names a file and a URL


@lru_cache(maxsize=65_536)
def make_id(name: str) -> str:
    """Return a URL- and file-safe slug (a-z, 0-9, '-') for any title or file name.

    Chinese is transliterated to pinyin syllables; nothing in the result can
    climb out of a folder ('..', '/', '\\' never survive).
    """
    # the transliteration named, not "auto": auto tries to import unidecode on every call (a failed import
    # each time, most of the page stage's slug time), and would give other ids where unidecode is installed
    slug = slugify(str(name), max_length=ID_MAX, word_boundary=True, save_order=True, backend="text-unidecode")
    if not slug:
        slug = "doc-" + hashlib.sha1(str(name).encode("utf-8")).hexdigest()[:8]
    return slug


_RANGE = re.compile(r"^\s*(\d{4})\s*[-–—~～至到]\s*(\d{4})\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*$")


@dataclass(frozen=True)
class Group:
    """A selection of documents: a year range (inclusive) or a value of a column."""

    spec: str
    column: str
    low: int | None = None
    high: int | None = None
    value: str | None = None

    def mask(self, documents: pd.DataFrame) -> pd.Series:
        """Boolean mask over ``documents`` rows that belong to the group."""
        col = documents[self.column]
        if self.low is not None:
            years = pd.to_numeric(col, errors="coerce")
            return years.between(self.low, self.high).fillna(False).astype(bool)
        return col.astype(str).str.strip() == self.value


def parse_group(spec: str, by: str = "year") -> Group:
    """Parse ``2013-2017``, ``2015`` or (for a non-year column) any value into a :class:`Group`."""
    spec = (spec or "").strip()
    if not spec:
        raise GroupError("empty group: give a year range such as 2013-2017, a year, or a value of --by")
    if by == "year":
        m = _RANGE.match(spec)
        if m:
            low, high = int(m.group(1)), int(m.group(2))
            if low > high:
                raise GroupError(f"{spec!r}: the range runs backwards; write it as {high}-{low}")
            return Group(spec, by, low, high)
        m = _YEAR.match(spec)
        if m:
            return Group(spec, by, int(m.group(1)), int(m.group(1)))
        raise GroupError(f"{spec!r} is not a year or a year range like 2013-2017")
    return Group(spec, by, value=spec)


_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMBER = re.compile(r"\d+|[〇零一二两三四五六七八九十百千]+")


def chinese_number(text: str) -> int:
    """The value of a Chinese numeral: 十二 → 12, 二十三 → 23, 一百零五 → 105, 一九五四 → 1954 (digit by digit)."""
    if not any(ch in _CN_UNITS for ch in text):
        value = 0
        for ch in text:          # 一九五四: read as digits
            value = value * 10 + _CN_DIGITS[ch]
        return value
    total, digit = 0, None
    for ch in text:
        if ch in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]   # 十二: a unit with no digit before is one
            digit = None
        else:
            digit = _CN_DIGITS[ch]
    return total + (digit or 0)


def natural_key(text: str) -> str:
    """A key that sorts titles as a reader counts: numbers, in Arabic or Chinese numerals, by their value.

    So 第十届 comes before 第十二届 (code-point order puts 第十二届 first, 二 < 届).
    """
    def padded(m: re.Match) -> str:
        s = m.group(0)
        return f"{int(s) if s.isdigit() else chinese_number(s):012d}"
    return _NUMBER.sub(padded, str(text or ""))


def reading_order(documents: pd.DataFrame) -> pd.DataFrame:
    """``documents`` in the order a reader expects: by year (undated last), then title in natural order, then id."""
    if documents.empty or "title" not in documents.columns:
        return documents
    keyed = documents.assign(_natural=documents["title"].map(natural_key))
    by = [c for c in ("year", "_natural", "doc_id") if c in keyed.columns]
    return keyed.sort_values(by, na_position="last", kind="stable").drop(columns="_natural")
