"""A document's year when its metadata gives none: from the title, a date line, or an NPC session number.

Tried in this order, and the first that answers wins:

* 标题 — a year written in the title (2019年政府工作报告);
* 日期行 — a full date on a line of its own near the top or the end of the
  text, in Arabic or Chinese numerals (——2017年3月15日在…上, 一九八八年四月十三日);
* 届次 — the session of the National People's Congress named in the title or
  in such a header line (第十二届全国人民代表大会第五次会议 → 2017).

The session years are historical facts written down below. Where a session's
year is not known here (a term with fewer sessions), no year is guessed.
"""
from __future__ import annotations

import re
from typing import Optional

from analysis.document import Document
from analysis.inputs import YEAR_MAX, YEAR_MIN, year_from_title

# What the documents table's year_source column says (the meaning is in analysis.schema).
FROM_METADATA, FROM_TITLE, FROM_DATE_LINE, FROM_SESSION = "元数据", "标题", "日期行", "届次"

# The year each National People's Congress opened its first session; later sessions follow one a year,
# except where SESSION_YEARS says otherwise.
NPC_FIRST_YEARS = {1: 1954, 2: 1959, 3: 1964, 4: 1975, 5: 1978, 6: 1983, 7: 1988, 8: 1993, 9: 1998,
                   10: 2003, 11: 2008, 12: 2013, 13: 2018, 14: 2023}
# How many sessions each congress held (the 3rd and 4th only one each); a later session is not guessed.
NPC_SESSIONS = {1: 5, 2: 4, 3: 1, 4: 1, **{term: 5 for term in range(5, 15)}}
# The 2nd NPC skipped 1961: its 3rd session met in 1962, its 4th in 1963.
SESSION_YEARS = {(2, 3): 1962, (2, 4): 1963}

# Lines read for a date line: the first and last few lines that hold text, each no longer than a date
# line is (a paragraph that mentions a date is not one).
HEAD_LINES, TAIL_LINES, DATE_LINE_CHARS = 12, 6, 60

_DIGIT = "0-9０-９"
_CN_DIGITS = "〇○零一二三四五六七八九"
_ARABIC_DATE = re.compile(rf"(?<![{_DIGIT}])([{_DIGIT}]{{4}})\s*年\s*([{_DIGIT}]{{1,2}})\s*月\s*([{_DIGIT}]{{1,2}})\s*日")
_CHINESE_DATE = re.compile(rf"([{_CN_DIGITS}]{{4}})年([一二三四五六七八九十]{{1,3}})月([一二三四五六七八九十]{{1,3}})日")
_SESSION = re.compile(r"第([一二三四五六七八九十]{1,3})届全国人民代表大会第([一二三四五六七八九十]{1,2})次会议")


def infer_year(title: str, raw: str) -> tuple[Optional[int], str]:
    """``(year, how)`` for a document without a year in its metadata; ``(None, "")`` when none is found.

    ``how`` is one of 标题, 日期行, 届次.
    """
    year = year_from_title(title)
    if year is not None:
        return year, FROM_TITLE
    lines = header_lines(raw)
    for line in lines:
        year = date_line_year(line)
        if year is not None:
            return year, FROM_DATE_LINE
    for text in (title, *lines):
        year = session_year(text or "")
        if year is not None:
            return year, FROM_SESSION
    return None, ""


def header_lines(raw: str) -> list[str]:
    """The short lines that hold text at the top and the end of ``raw`` (where date lines stand)."""
    lines = [line.strip(" \t\u3000\u200b\u200d\ufeff") for line in raw.splitlines()]
    lines = [line for line in lines if line]
    picked = lines[:HEAD_LINES] + lines[max(HEAD_LINES, len(lines) - TAIL_LINES):]
    return [line for line in picked if len(line) <= DATE_LINE_CHARS]


def date_line_year(line: str) -> Optional[int]:
    """The year of the first full date (year, month and day) in ``line``, or None."""
    found = []
    m = _ARABIC_DATE.search(line)
    if m:
        found.append((m.start(), _arabic(m.group(1)), _arabic(m.group(2)), _arabic(m.group(3))))
    m = _CHINESE_DATE.search(line)
    if m:
        found.append((m.start(), _digits_year(m.group(1)), chinese_number(m.group(2)), chinese_number(m.group(3))))
    for _, year, month, day in sorted(found):
        if YEAR_MIN <= year <= YEAR_MAX and 1 <= month <= 12 and 1 <= day <= 31:
            return year
    return None


def session_year(text: str) -> Optional[int]:
    """The year of the first NPC session named in ``text`` (第十二届全国人民代表大会第五次会议 → 2017), or None."""
    m = _SESSION.search(text)
    if not m:
        return None
    term, session = chinese_number(m.group(1)), chinese_number(m.group(2))
    if term not in NPC_FIRST_YEARS or not 1 <= session <= NPC_SESSIONS[term]:
        return None
    return SESSION_YEARS.get((term, session), NPC_FIRST_YEARS[term] + session - 1)


def chinese_number(text: str) -> int:
    """The value of a Chinese numeral from 1 to 99 (三, 十二, 二十三, 三十); 0 if it is not one."""
    values = {c: n for n, c in enumerate("零一二三四五六七八九")}
    if not text or any(c not in values and c != "十" for c in text) or text.count("十") > 1:
        return 0
    if "十" not in text:
        return values[text] if len(text) == 1 else 0
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return 0
    return (values[tens] if tens else 1) * 10 + (values[ones] if ones else 0)


def _digits_year(text: str) -> int:
    """一九八八 → 1988 (digit by digit, 〇 ○ 零 for zero)."""
    return int("".join(str("〇一二三四五六七八九".index(c)) if c in "〇一二三四五六七八九" else "0" for c in text))


def _arabic(text: str) -> int:
    return int(text.translate(str.maketrans("０１２３４５６７８９", "0123456789")))


def date_document(doc: Document) -> None:
    """Give ``doc`` a year if its metadata had none, and say in ``doc.meta["year_source"]`` where it came from.

    Without a title in the metadata, the text's first line (where a plain-text document shows its title)
    stands in for it, then the file name (``meta["file_stem"]``). Nothing is set when no year is found:
    the build report lists such documents.
    """
    if doc.year is not None:
        doc.meta["year_source"] = FROM_METADATA
        return
    title = doc.title
    if not title:
        first_line = header_lines(doc.raw)[:1]
        title = next((t for t in (*first_line, doc.meta.get("file_stem", "")) if year_from_title(t)), "")
    year, how = infer_year(title, doc.raw)
    if year is not None:
        doc.year = year
        doc.meta["year_source"] = how
