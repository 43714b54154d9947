"""Shape tests on forms and words: could this string be a term at all?

No expected term is listed anywhere: all filtering is by shape, function
words, numerals and (for words) jieba's dictionary part of speech.
"""
from __future__ import annotations

import re

from analysis.lexicon import jieba_tags
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
# Verbs of administration that lead a formulation in running text (实施科教兴国战略, 构建新发展格局):
# grammar, not part of the name. A neighbour among them leaves a term's boundary free, and a form
# starting with one is cut to its core.
LEADING_VERBS = ("深入贯彻落实", "贯彻落实", "全面贯彻", "深入贯彻", "深入实施", "全面推进", "全面实施", "加快推进",
                 "大力推进", "积极推进", "扎实推进", "深入推进", "加快构建", "加快建设", "坚定不移", "进一步",
                 "实施", "坚持", "构建", "贯彻", "推进", "加快", "推动", "落实", "深化", "实现", "促进", "加强",
                 "完善", "建立", "健全", "着力", "努力", "切实", "继续", "坚定", "扎实", "统筹", "提高", "扩大",
                 "保持", "巩固", "发挥", "弘扬", "践行", "树立", "遵循", "深入", "积极", "大力", "认真", "开展",
                 "打好", "打赢", "坚决", "推行", "执行", "增强", "提升")
# (全面, 建设 and 发展 are left out: 全面深化改革, 发展中国家 begin with them.)
# Head nouns that follow a formulation in running text (一带一路建设, 科教兴国战略): cut off when the
# core is a slogan of its own.
TRAILING_HEADS = ("建设", "战略", "工作", "政策", "方针", "精神", "行动", "要求", "部署", "理念", "目标", "任务",
                  "工程", "体系", "道路", "事业", "方向", "问题", "水平", "进程", "重要思想", "思想", "理论")
# Characters a term may hold besides CJK ideographs: a trailing plus (互联网+) and digits (5G).
_TERM_EXTRA = "+＋0-9０-９"
# Members of an enumeration are joined by these.
MEMBER_SPLIT = re.compile("[、，]")

_CJK = re.compile(r"^[\u4e00-\u9fff]+$")
_TERM_PART = re.compile(rf"^[\u4e00-\u9fff][\u4e00-\u9fff{_TERM_EXTRA}]*$")
# compiled once: these run on every candidate n-gram
_NUMERAL_MEASURE = re.compile(rf"[{NUMERALS}]+[{''.join(sorted(MEASURE_CHARS))}]")
_REPEATED = re.compile(r"(.+)又\1")
_NUMERAL_GE = re.compile(rf"^[{NUMERALS}]+个")


def is_cjk(s: str) -> bool:
    """True if ``s`` is made only of CJK ideographs."""
    return bool(_CJK.match(s))


def is_numeric_noise(form: str, *, settings: SloganSettings = DEFAULT_SETTINGS) -> bool:
    """True for numeral + measure/unit strings and repetitions (二个百分点, 一个又一个, 十五); an
    enumeration only if every member is (一个中心、两个基本点 is a formulation)."""
    if "、" in form:
        return all(is_numeric_noise(m, settings=settings) for m in form.split("、") if m)
    core = form
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


def strip_leading_verb(form: str) -> str:
    """``form`` without the administrative verbs leading it (构建新发展格局 → 新发展格局), repeatedly
    (全面贯彻新发展理念 → 新发展理念); ``form`` itself when none leads or too little would be left."""
    core = form
    while True:
        verb = next((v for v in LEADING_VERBS if core.startswith(v) and len(core) - len(v) >= 3), None)
        if verb is None or "、" in core:
            return core
        core = core[len(verb):]


def trailing_head(form: str) -> str:
    """The head noun ending ``form`` (一带一路建设 → 建设), if one of :data:`TRAILING_HEADS` with at least
    three characters before it; else ""."""
    return next((h for h in TRAILING_HEADS if form.endswith(h) and len(form) - len(h) >= 3), "")


def term_like(form: str, max_chars: int = DEFAULT_SETTINGS.term_max_chars, *,
              settings: SloganSettings = DEFAULT_SETTINGS) -> bool:
    """True if ``form`` could be a term: CJK starting each member (which may hold digits and a plus,
    互联网+; members joined by 、), ``term_min_chars`` to ``max_chars``
    long, clean edges, not numeric noise."""
    parts = form.split("、")
    if not form or len(form) > max_chars or not all(p and _TERM_PART.match(p) for p in parts):
        return False
    if any(has_function_edge(p) for p in parts) or is_numeric_noise(form, settings=settings):
        return False
    return len(form) >= settings.term_min_chars


def members(form: str) -> list[str]:
    """The members of an enumerated form (split at 、 and ，)."""
    return MEMBER_SPLIT.split(form)


def pos_tags() -> dict:
    """jieba's dictionary POS of every word (read once per process, on first use, from the dictionary file
    jieba.posseg reads, without loading jieba.posseg)."""
    return jieba_tags()


def bad_edge(word: str, tags: dict) -> bool:
    """True if ``word`` cannot stand at the edge of a term (by its POS ``tags[word]``, or a function word)."""
    tag = tags.get(word) or ""
    return tag.startswith(EDGE_BAD_POS) or (len(word) == 1 and word in FUNCTION_CHARS)


def function_token(word: str, tags: dict) -> bool:
    """True if ``word`` is a function word (particle, preposition, conjunction), which no term holds inside."""
    return (len(word) == 1 and word in FUNCTION_CHARS) or (tags.get(word) or "").startswith(("u", "p", "c"))
