"""Where a 、-list's branches start and end: governing words before it and modifiers after it stay outside.

A 、 chain is cut from the clause around it, so its first item carries the
words that govern the whole list (深入开展 in 深入开展甲、乙的运动) and its last
item the words the whole list modifies (的运动), or a last item joined by 和
(甲、乙和丙). The guideline keeps all of these out of the branches. The cues
are general: the prefix or suffix the inner items share, their length, word
boundaries, a 的 or a conjunction standing as a word of its own.
"""
from __future__ import annotations

from analysis.parallel.matching import shared_prefix, shared_suffix
from analysis.parallel.units import Tokens

# Conjunctions that join the last item of a list to the others (甲、乙和丙): the guideline keeps them outside.
LIST_CONJUNCTIONS = frozenset(("和", "及", "以及", "与", "或", "或者", "并"))
# Particles that close the words before a list: a branch never starts with one.
PARTICLES = "的地得"
# A last item longer than this share of the longest other item is read as carrying words after the list.
LONG_EDGE = 1.5


def list_branches(text: str, items: list[tuple[int, int]], toks: Tokens) -> list[tuple[int, int]]:
    """The branches of the 、 chain ``items``: the last item split at a conjunction, the first and
    last trimmed of words outside the list."""
    items = _split_last(items, toks)
    if len(items) < 2:
        return items
    items[-1] = _trim_last(text, items, toks)      # first: the 的 that ends a list does not need the first item
    items[0] = _trim_first(text, items, toks)
    s, e = items[0]
    if e - s > 2 and text[s] in PARTICLES:
        items[0] = (s + 1, e)      # 的/地 ends the words before the list (制造出来的甲设备、乙设备): never a branch's start
    return items


def _split_last(items: list[tuple[int, int]], toks: Tokens) -> list[tuple[int, int]]:
    """Split the last item at a conjunction standing as a word (甲、乙和丙 -> 甲, 乙, 丙) when the
    part before it is about as long as the other items."""
    s, e = items[-1]
    others = [b - a for a, b in (items[1:-1] if len(items) >= 3 else items[:-1])]
    for word, ws, we in toks.slice(s, e)[1:]:
        if word in LIST_CONJUNCTIONS and 2 <= ws - s <= 2 * max(others) and e - we >= 2:
            return items[:-1] + [(s, ws), (we, e)]
    return list(items)


def _trim_first(text: str, items: list[tuple[int, int]], toks: Tokens) -> tuple[int, int]:
    """Start the first item where the others' shared opening starts (全世界被压迫人民 -> 被压迫人民),
    or, when it is longer than they are, at the word that makes it about their length."""
    s, e = items[0]
    rest = [text[a:b] for a, b in items[1:]]
    starts = [ws for _, ws, _ in toks.slice(s, e)]
    head = _shared(rest, prefix=True)
    at = [x for x in starts if head and text.startswith(head, x) and e - x >= len(head) + 1]
    if at:
        return at[-1], e
    longest = max(map(len, rest))
    # with a shared ending the items are one shape, so any excess is lead-in; without, allow some slack
    slack = 0 if _shared(rest, prefix=False) and len(rest) > 1 else 2
    if e - s <= longest + slack:
        return s, e
    target = sum(map(len, rest)) / len(rest)
    fits = [(x, e) for x in starts if e - x <= longest]
    return min(fits, key=lambda span: (abs(span[1] - span[0] - target), -span[0])) if fits else (s, e)


def _trim_last(text: str, items: list[tuple[int, int]], toks: Tokens) -> tuple[int, int]:
    """End the last item where the others' shared ending ends (甲设备、乙设备和丙设备的制造 -> 丙设备),
    or before a 的 that starts what the whole list modifies (甲、乙的方针 -> 乙)."""
    s, e = items[-1]
    # the first item may still carry lead-in words: the inner items, if any, say what an item looks like
    rest = [text[a:b] for a, b in (items[1:-1] if len(items) >= 3 else items[:-1])]
    words = toks.slice(s, e)
    tail = _shared(rest, prefix=False)
    ends = [we for _, _, we in words if tail and text.endswith(tail, s, we) and we - s > len(tail)]
    if ends:
        return s, ends[0]
    longest = max(map(len, rest))
    if e - s <= longest or any("的" in x for x in rest):
        return s, e
    for word, ws, _ in words[1:]:
        if word == "的" and ws - s >= min(map(len, rest)) / 2:
            return s, ws
    head = _shared(rest, prefix=True)
    if head and text.startswith(head, s) and e - s > LONG_EDGE * longest:
        target = sum(map(len, rest)) / len(rest)
        return min(((s, we) for _, _, we in words), key=lambda span: abs(span[1] - span[0] - target))
    return s, e


def _shared(texts: list[str], *, prefix: bool) -> str:
    """The opening (``prefix``) or ending all ``texts`` share; of a single text, its first or last
    two characters ('' if none, or if it would be a whole text)."""
    if len(texts) == 1:
        t = texts[0]
        return "" if len(t) <= 2 else (t[:2] if prefix else t[-2:])
    edge = shared_prefix(texts) if prefix else shared_suffix(texts)
    return "" if len(edge) == min(map(len, texts)) else edge
