"""Chinese enumerators: 一、 （一） 1. （1） and paragraph leads 一是 / 第一 / 首先.

Shared by the structure stage (headings and their levels) and the parallel
stage (enumerations and heading frameworks), so both read numbering alike.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

CN_DIGITS = "零〇一二三四五六七八九十百"
_CN_VALUE = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}

# Order matters: the first pattern that matches names the enumerator's style.
# (style, level, regex) -- level is the usual depth in official documents.
_STYLES: list[tuple[str, int, re.Pattern]] = [
    ("cn-paren", 2, re.compile(r"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]")),
    ("cn-comma", 1, re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、.．]")),
    ("num-paren", 4, re.compile(r"^[（(]\s*([0-9０-９]{1,2})\s*[）)]")),
    ("num-dot", 3, re.compile(r"^([0-9０-９]{1,2})\s*(?:[、．]|\.(?![0-9０-９]))")),
    ("circled", 4, re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩])")),
    # 第一步，…；第二步，… (steps of a plan) too: the 步 and its comma are the marker
    ("di", 5, re.compile(r"^第([一二三四五六七八九十]{1,3})(?:[，,、：:]|是|要|条|部分|章|节|步[，,：:]?)")),
    ("shi", 5, re.compile(r"^([一二三四五六七八九十]{1,3})(?:是|要|要求|方面|则|来|个方面)(?=[^，。；]*)")),
    ("sequence", 5, re.compile(r"^(首先|其次|再次|再者|然后|此外|最后)[，,：:]?")),
]

_SEQUENCE_ORDER = {"首先": 1, "其次": 2, "再次": 3, "再者": 3, "然后": 3, "此外": 4, "最后": 9}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


@dataclass(frozen=True)
class Enumerator:
    """An enumerator at the start of a string: its style, value, level and length."""

    style: str       # cn-comma (一、), cn-paren (（一）), num-dot (1.), num-paren, circled, di (第一), shi (一是/一要), sequence (首先)
    value: int       # 1 for 一/1/首先 ...; order for 其次 etc.
    level: int       # conventional heading depth: 1 for 一、, 2 for （一）, ... 5 for paragraph leads
    length: int      # characters the enumerator takes, trailing mark included

    @property
    def is_lead(self) -> bool:
        """True for paragraph leads (一是, 第一, 首先) rather than heading numbers."""
        return self.style in ("di", "shi", "sequence")


def chinese_number(s: str) -> Optional[int]:
    """Value of a small Chinese numeral (一 … 九十九) or ASCII/full-width digits; ``None`` otherwise."""
    s = s.strip()
    if not s:
        return None
    if s.isdigit():
        return int(s.translate(_FULLWIDTH_DIGITS))
    if any(ch not in _CN_VALUE and ch != "十" for ch in s):
        return None
    if "十" in s:
        tens, _, ones = s.partition("十")
        t = _CN_VALUE.get(tens, 1) if tens else 1
        o = _CN_VALUE.get(ones, 0) if ones else 0
        return t * 10 + o
    if len(s) == 1:
        return _CN_VALUE[s]
    return None


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def match_enumerator(text: str) -> Optional[Enumerator]:
    """Return the enumerator that opens ``text`` (leading spaces allowed), or ``None``."""
    stripped = text.lstrip(" \u3000\t")
    offset = len(text) - len(stripped)
    for style, level, pattern in _STYLES:
        m = pattern.match(stripped)
        if not m:
            continue
        token = m.group(1)
        if style == "sequence":
            value = _SEQUENCE_ORDER[token]
        elif style == "circled":
            value = _CIRCLED.index(token) + 1
        else:
            value = chinese_number(token)
        if value is None:
            continue
        length = m.end() if style not in ("shi",) else m.end(1) + _shi_suffix_len(stripped, m.end(1))
        return Enumerator(style, value, level, offset + length)
    return None


def _shi_suffix_len(s: str, i: int) -> int:
    for suffix in ("个方面", "要求", "方面", "是", "要", "则", "来"):
        if s.startswith(suffix, i):
            return len(suffix)
    return 0
