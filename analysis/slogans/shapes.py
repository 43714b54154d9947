"""Shape tests on forms and words: could this string be a term at all?

No expected term is listed anywhere: all filtering is by shape, function
words, numerals and (for words) jieba's dictionary part of speech.
"""
from __future__ import annotations

import re
from functools import lru_cache

from analysis.slogans.settings import DEFAULT_SETTINGS, SloganSettings

NUMERALS = "一二三四五六七八九十两百千万零〇"
NUMERAL_SET = set(NUMERALS)
# Characters that never begin or end a term: particles, conjunctions, prepositions, pronouns.
FUNCTION_CHARS = set("的了和在是与及或等也都就而把被对从向以为之其这那此该各每着过吗呢吧啊将于并且但又再很更最所")
# Measure words and units after a numeral: 二个百分点, 三年, 五次 are counts, not formulations.
MEASURE_CHARS = set("个年月日天次号点时分秒岁倍成项条件名位份批届期种类元角斤吨亩里米层")
# Units and counting nouns after numeral + 个 (二个百分点, 三个方面): bookkeeping, not naming.
UNIT_WORDS = ("百分点", "百分比", "方面", "部分", "阶段", "时期", "问题", "环节", "层次", "小时", "月", "星期",
              "单位", "国家", "地区", "省份", "城市", "项目")
# POS tags (jieba) that cannot stand at either edge of a term.
EDGE_BAD_POS = ("u", "p", "c", "r", "y", "e", "o", "m", "q", "f", "d", "x", "w", "zg", "uj", "ul", "ad")
# Members of an enumeration are joined by these.
MEMBER_SPLIT = re.compile("[、，]")

_CJK = re.compile(r"^[\u4e00-\u9fff]+$")
# compiled once: these run on every candidate n-gram
_NUMERAL_MEASURE = re.compile(rf"[{NUMERALS}]+[{''.join(sorted(MEASURE_CHARS))}]")
_REPEATED = re.compile(r"(.+)又\1")
_NUMERAL_GE = re.compile(rf"^[{NUMERALS}]+个")


def is_cjk(s: str) -> bool:
    """True if ``s`` is made only of CJK ideographs."""
    return bool(_CJK.match(s))


def is_numeric_noise(form: str, *, settings: SloganSettings = DEFAULT_SETTINGS) -> bool:
    """True for numeral + measure/unit strings and repetitions (二个百分点, 一个又一个, 十五)."""
    core = form.replace("、", "")
    if all(ch in NUMERAL_SET for ch in core):
        return True
    if _NUMERAL_MEASURE.fullmatch(core):
        return True
    if _REPEATED.search(core):
        return True
    m = _NUMERAL_GE.match(core)
    if m and (core.startswith("一个") or len(core) - m.end() < settings.counted_head_min_chars
              or core[m.end():] in UNIT_WORDS):
        return True
    return False


def is_numbered(form: str, *, settings: SloganSettings = DEFAULT_SETTINGS) -> bool:
    """True if the form is a numeral formulation (四个意识, 两学一做, 六稳)."""
    return bool(form) and form[0] in NUMERAL_SET and not is_numeric_noise(form, settings=settings)


def has_function_edge(form: str) -> bool:
    """True if ``form`` starts or ends with a function word (的, 了, 和, 在, 是 …)."""
    return not form or form[0] in FUNCTION_CHARS or form[-1] in FUNCTION_CHARS


def term_like(form: str, max_chars: int = DEFAULT_SETTINGS.term_max_chars, *,
              settings: SloganSettings = DEFAULT_SETTINGS) -> bool:
    """True if ``form`` could be a term: CJK (members joined by 、), ``term_min_chars`` to ``max_chars``
    long, clean edges, not numeric noise."""
    parts = form.split("、")
    if not form or len(form) > max_chars or not all(p and is_cjk(p) for p in parts):
        return False
    if any(has_function_edge(p) for p in parts) or is_numeric_noise(form, settings=settings):
        return False
    return len(form) >= settings.term_min_chars


def members(form: str) -> list[str]:
    """The members of an enumerated form (split at 、 and ，)."""
    return MEMBER_SPLIT.split(form)


@lru_cache(maxsize=1)
def pos_tags() -> dict:
    """jieba's dictionary POS of every word (loaded once per process, on first use)."""
    import jieba.posseg
    return jieba.posseg.dt.word_tag_tab


def bad_edge(word: str, tags: dict) -> bool:
    """True if ``word`` cannot stand at the edge of a term (by its POS ``tags[word]``, or a function word)."""
    tag = tags.get(word) or ""
    return tag.startswith(EDGE_BAD_POS) or (len(word) == 1 and word in FUNCTION_CHARS)


def function_token(word: str, tags: dict) -> bool:
    """True if ``word`` is a function word (particle, preposition, conjunction), which no term holds inside."""
    return (len(word) == 1 and word in FUNCTION_CHARS) or (tags.get(word) or "").startswith(("u", "p", "c"))
