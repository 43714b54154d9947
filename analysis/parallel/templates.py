"""Templates: the words every branch shares kept, the rest turned into slots 〈A〉〈B〉…; and families.

The template keeps every shared word. The family keeps only the frame that
carries meaning: anchors made of function words (的 和 是 …), digits or
punctuation melt into the slots around them, adjacent slots merge, and an
ordinal lead (一是/二是, 第一/第二, （一）（二）) makes the family on its own, the
numeral as the marker 〔一〕 and its punctuation kept (第一，〈A〉 and （一）〈A〉 differ).
A parallelism whose frame keeps fewer than two meaningful characters and no
ordinal marker has no family (``""``): it is a plain list, counted under its
kind's list group (:func:`list_group`), never shown as a template.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from analysis.parallel.matching import fillers, shared_prefix, shared_suffix, shared_words
from analysis.segment import Segmenter

SLOT_NAMES = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# Words that shared alone say nothing about a common frame (a short stop list, not evaluation data).
# 以/为 stay out: 以〈A〉为〈B〉 is a frame.
FUNCTION_WORDS = frozenset(
    "的 地 得 之 和 与 及 或 并 而 且 是 一 了 着 过 在 等 也 都 就 还 又 把 被 对 从 向 于 其 各 每 有 要 不 没 "
    "这 那 个 此 我 你 他 她 它 们 我们 你们 他们 中 上 下 里 内 更 很 最 再 已 将 所 使 让 "
    "一个 一种 一些 一切 这些 那些 以及 并且 而且 等等 同时".split())
MIN_MEANINGFUL = 2          # meaningful characters a frame needs to make a family
MARKER = "〔一〕"           # the ordinal in a family key: 一, 二, 三 … alike

NUMERAL = "[一二三四五六七八九十]+|[0-9０-９]+"
# a point after the numeral leads only where no digit follows (1. 发展 …, not 5.5%)
_ORDINAL = re.compile(rf"(第|[（(])?({NUMERAL})((?:[是要、，,）)]|[．.](?![0-9０-９]))?)")
_CJK = re.compile(r"[\u3400-\u9fff]")
_NOT_WORD = re.compile(r"[^\w〔〕]+")
_EDGE_PUNCT = " \t\n\u3000，、；：。！？,;:!?“”‘’"

LIST_GROUPS = {"phrase": "并列短语（无共同框架）", "clause": "并列分句（无共同框架）",
               "sentence": "并列句子（无共同框架）", "enumeration": "序号列举（无共同框架）",
               "heading": "标题序列（无共同框架）"}
_OTHER_LIST = "并列结构（无共同框架）"
_LIST_NAMES = frozenset(LIST_GROUPS.values()) | {_OTHER_LIST}


def template(text: str, branches: list[tuple[int, int]], seg: Segmenter) -> tuple[str, list[list[str]], str]:
    """The branches' template, what fills its slots in each branch, and its family ("" for a plain list)."""
    texts = [text[s:e] for s, e in branches]
    marker = ordinal_marker(texts)
    lead = ""
    if marker:
        lead, cut = marker
        texts = [t[n:] for t, n in zip(texts, cut)]
    pieces, filled = _pieces([[w for w, _, _ in seg.tokens(t)] for t in texts])
    frame = lead.replace(MARKER, first_numeral(text, branches[0])) + "".join(
        f"〈{p}〉" if slot else p for slot, p in pieces)
    return frame, filled, family_key(pieces, lead)


def first_numeral(text: str, first: tuple[int, int]) -> str:
    """The first branch's ordinal (一, 1 …): the template shows it as written."""
    m = _ORDINAL.match(text, first[0], first[1])
    return m.group(2) if m else "一"


def _pieces(words: list[list[str]]) -> tuple[list[tuple[bool, str]], list[list[str]]]:
    """The frame as (is_slot, anchor text or slot letter) pieces, and each branch's slot fillers."""
    anchors = shared_words(words)
    per_branch = [fillers(w, anchors) for w in words]
    # a slot stands before, between or after the anchors wherever any branch fills that gap
    slot_gaps = [g for g in range(len(anchors) + 1) if any(row[g] for row in per_branch)]
    letters = {g: SLOT_NAMES[i % len(SLOT_NAMES)] for i, g in enumerate(slot_gaps)}
    pieces: list[tuple[bool, str]] = []
    filled: list[list[str]] = [[] for _ in per_branch]
    for g in range(len(anchors) + 1):
        if g in letters:
            # characters every filler shares at its edges belong to the frame (规范化/科学化 -> 〈〉化)
            col = [row[g] for row in per_branch]
            head = shared_edge(col, prefix=True)
            tail = shared_edge([c[len(head):] for c in col], prefix=False)
            pieces += [(False, head)] * bool(head) + [(True, letters[g])] + [(False, tail)] * bool(tail)
            for i, c in enumerate(col):
                filled[i].append(c[len(head):len(c) - len(tail)])
        if g < len(anchors):
            pieces.append((False, anchors[g]))
    return pieces, filled


def shared_edge(col: list[str], *, prefix: bool) -> str:
    """Longest prefix (or suffix) all strings share while leaving each at least one character."""
    if not col or any(not c for c in col):
        return ""
    n = min(map(len, col)) - 1
    if prefix:
        return shared_prefix(col)[:n]
    tail = shared_suffix(col)
    return tail[max(len(tail) - n, 0):]


def ordinal_marker(texts: list[str]) -> Optional[tuple[str, list[int]]]:
    """The ordinal lead every branch opens with (一是/二是, 第一/第二, （一）/（二）): its shape with the
    numeral as :data:`MARKER`, and how many characters it takes in each branch; None if there is none."""
    shapes, cut, numerals = set(), [], []
    for t in texts:
        m = _ORDINAL.match(t)
        if not m or not (m.group(1) or m.group(3)) or m.end() >= len(t):
            return None
        shapes.add(((m.group(1) or ""), m.group(3)))
        cut.append(m.end())
        numerals.append(m.group(2))
    # the same numeral twice is no count (一方面 … 一方面), nor a lead of different shapes
    if len(shapes) != 1 or len(set(numerals)) != len(numerals):
        return None
    pre, post = shapes.pop()
    return f"{pre}{MARKER}{post}", cut


def meaningful(anchor: str) -> int:
    """How many characters of an anchor carry meaning: Chinese characters, unless it is a function word."""
    word = _NOT_WORD.sub("", anchor)
    return 0 if word in FUNCTION_WORDS else len(_CJK.findall(word))


def family_key(pieces: list[tuple[bool, str]], lead: str = "") -> str:
    """The family of a frame: meaningful anchors kept, the rest folded into slots 〈〉; "" if too little is left."""
    if lead:
        # the ordinal lead is the frame that recurs (一是…二是…); words its branches happen to share are content
        return f"{lead}〈〉"
    if sum(meaningful(p) for slot, p in pieces if not slot) < MIN_MEANINGFUL:
        return ""
    out = []
    for i, (slot, p) in enumerate(pieces):
        near_slot = any(pieces[j][0] for j in (i - 1, i + 1) if 0 <= j < len(pieces))
        if slot or (not meaningful(p) and near_slot):
            out.append("〈〉")            # a function word beside a slot is part of what fills it
        else:
            out.append(_NOT_WORD.sub("", p))
    return re.sub(r"(〈〉)+", "〈〉", "".join(out))


def family_name(key: str) -> str:
    """The readable name of a family: slots lettered 〈A〉〈B〉…, the ordinal shown as 一 (一是〈A〉)."""
    letters = iter(SLOT_NAMES * 2)
    return re.sub("〈〉", lambda _: f"〈{next(letters)}〉", key).replace(MARKER, "一")


def list_group(kind: str) -> str:
    """The list group a parallelism of ``kind`` without a family is counted in."""
    return LIST_GROUPS.get(kind, _OTHER_LIST)


def is_list_group(family: str) -> bool:
    """Whether ``family`` is a list group (a plain list's family), not a template family."""
    return family in _LIST_NAMES


def family_fillers(key: str, text: str) -> Optional[list[str]]:
    """What fills each slot of family ``key`` in a branch ``text``; None where the branch does not fit."""
    shape, literals = family_shape(key)
    pattern, slots = _shape_pattern(shape)
    # the family's literal characters go first, and the pattern matches them back by reference: one
    # pattern per shape of family (416 over the work reports) is compiled instead of one per family (2,107)
    m = pattern.fullmatch(f"{literals}\0{text}")
    if not m:
        return None
    return [m.group(i).strip(_EDGE_PUNCT) for i in slots]


@lru_cache(maxsize=4096)
def family_shape(key: str) -> tuple[tuple, str]:
    """The shape of a family key (its pieces in order: "slot", "numeral", or a count of literal
    characters) and its literal characters."""
    shape, literals = [], []
    for piece in re.split(r"(〈〉|〔一〕)", key):
        if piece == "〈〉":
            shape.append("slot")
        elif piece == MARKER:
            shape.append("numeral")
        elif piece:
            shape.append(len(piece))
            literals.append(piece)
    return tuple(shape), "".join(literals)


@lru_cache(maxsize=4096)
def _shape_pattern(shape: tuple) -> tuple[re.Pattern, list[int]]:
    """The pattern of every family of ``shape``, read over the family's literal characters, a NUL and
    the branch; and the numbers of its slots' groups.

    As for one family: literal anchors may have punctuation between them in the text (the key drops
    it), a slot may be empty in some branches (为人民服务 / 要坚持为人民服务); each literal character
    is matched by reference to its place before the NUL."""
    n = sum(p for p in shape if isinstance(p, int))
    parts, at = [], 0
    for piece in shape:
        if piece == "slot":
            parts.append("(.*?)")
        elif piece == "numeral":
            parts.append(f"(?:{NUMERAL})")
        else:
            parts.append(r"\W*".join(f"(?P=c{at + j})" for j in range(piece)))
            at += piece
    head = "".join(f"(?P<c{j}>.)" for j in range(n))
    slots = list(range(n + 1, n + 1 + shape.count("slot")))
    return re.compile(head + r"\x00" + r"\W*".join(parts) + r"\W*", re.S), slots
