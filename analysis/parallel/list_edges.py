"""Where a 、-list's branches start and end: governing words before it and modifiers after it stay outside.

A 、 chain is cut from the clause around it, so its first item carries the
words that govern the whole list (深入开展 in 深入开展甲、乙的运动) and its last
item the words the whole list modifies (的运动), or a last item joined by 和
(甲、乙和丙). The guideline keeps all of these out of the branches. The cues
are general: the prefix or suffix the inner items share, their length, word
boundaries, a 的 or a conjunction standing as a word of its own.
"""
from __future__ import annotations

from analysis.lexicon import jieba_tags
from analysis.parallel.matching import shared_prefix, shared_suffix
from analysis.parallel.units import OPEN_CLOSE, Tokens

# Conjunctions that join the last item of a list to the others (甲、乙和丙): the guideline keeps them outside.
LIST_CONJUNCTIONS = frozenset(("和", "及", "以及", "与", "或", "或者", "并"))
# Particles that close the words before a list: a branch never starts with one.
PARTICLES = "的地得"
# A last item longer than this share of the longest other item is read as carrying words after the list.
LONG_EDGE = 1.5
# Particles that end the words before a list when the other items hold none (国家的甲、乙; 走上了甲、乙).
LEAD_PARTICLES = ("的", "了")
# Words that close a list and stand before what it sums up (甲、乙等措施): the list ends before them.
LIST_CLOSERS = frozenset(("等", "等等"))
# Parts of speech (jieba's dictionary tags) of the words that govern a list from before it: prepositions
# and conjunctions (把、对、由于), and verbs or adverbs (推动、继续、切实) before items of another shape.
GOVERNING_TAGS = ("p", "c")
PARTICLE_TAGS = ("u", "y", "e")
VERB_TAGS = ("v", "vd", "vi", "vg", "d", "ad")
# Adverbs after the last item start the predicate the list is the subject of (甲、乙明显增强).
PREDICATE_TAGS = ("d", "ad", "vd")


def list_branches(text: str, items: list[tuple[int, int]], toks: Tokens) -> list[tuple[int, int]]:
    """The branches of the 、 chain ``items``: the last item split at a conjunction, the first and
    last trimmed of words outside the list."""
    items = _split_last(items, toks)
    if len(items) < 2:
        return items
    items[-1] = _trim_last(text, items, toks)      # first: the 的 that ends a list does not need the first item
    first = items[0]
    items[0] = _trim_first(text, items, toks)
    if items[0] == first:
        # the shapes of the other items said nothing: the parts of speech of the first's opening words may
        items[0] = _trim_governing(text, items, toks)
        items[0] = _trim_first(text, items, toks)
    s, e = items[0]
    if e - s > 2 and text[s] in PARTICLES:
        items[0] = (s + 1, e)      # 的/地 ends the words before the list (制造出来的甲设备、乙设备): never a branch's start
    return _within_marks(text, items)


def _within_marks(text: str, items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The items with their quotation marks and brackets balanced, as the guideline's branches never
    cross one: a list inside a mark its first item opens and its last closes gives the items inside it
    (做好“甲、乙”工作, 做好“甲”、“乙”工作 -> 甲, 乙); an item closing a mark opened just before it takes
    the mark in, opened just before it (推进“甲”建设、乙 -> “甲”建设)."""
    items = list(items)
    (s0, e0), (sl, el) = items[0], items[-1]
    for opening, closing in OPEN_CLOSE.items():
        i = text.rfind(opening, s0, e0)
        j = text.find(closing, sl, el)
        if i >= 0 and text.find(closing, i, e0) < 0 and i + 1 < e0 and j > sl and text.rfind(opening, sl, j) < 0:
            items[0], items[-1] = (i + 1, e0), (sl, j)
    for k, (s, e) in enumerate(items):
        for opening, closing in OPEN_CLOSE.items():
            j = text.find(closing, s, e)
            o = text.rfind(opening, max(0, s - MARK_REACH), s)
            if j >= 0 and o >= 0 and text.rfind(opening, s, j) < 0 and not _SEPARATORS.intersection(text[o:s]):
                items[k] = (o, e)
    return items


# How far before an item the mark it closes may have been opened (the trimming of the first item may
# have cut inside a quotation: 推进“数字乡村”建设 -> 乡村”建设), with no separator between.
MARK_REACH = 8
_SEPARATORS = frozenset("、，,；;。！？：:")


def _split_last(items: list[tuple[int, int]], toks: Tokens) -> list[tuple[int, int]]:
    """Split the last item at a conjunction standing as a word (甲、乙和丙 -> 甲, 乙, 丙) when the
    part before it is about as long as the other items."""
    s, e = items[-1]
    others = [b - a for a, b in (items[1:-1] if len(items) >= 3 else items[:-1])]
    for word, ws, we in toks.slice(s, e)[1:]:
        if word in LIST_CONJUNCTIONS and 2 <= ws - s <= 2 * max(others) and e - we >= 2:
            return items[:-1] + [(s, ws), (we, e)]
    return list(items)


# The class of every word looked up so far: lists are many, the words they open with few.
_CLASSES: dict[str, str] = {}


def _word_class(word: str) -> str:
    """"v" for a verb or adverb (by jieba's dictionary tag), "p" for a preposition or conjunction, "u" for
    a particle, else "n"."""
    cls = _CLASSES.get(word)
    if cls is None:
        tag = jieba_tags().get(word) or ""
        cls = _CLASSES[word] = ("p" if tag.startswith(GOVERNING_TAGS) else "u" if tag.startswith(PARTICLE_TAGS)
                              else "v" if tag in VERB_TAGS else "n")
    return cls


def _trim_governing(text: str, items: list[tuple[int, int]], toks: Tokens) -> tuple[int, int]:
    """Start the first item after the words that govern the whole list (各地把甲、乙 -> 甲; 由于甲的胜利、
    乙的成功 -> 甲的胜利; 继续改善甲、完善乙 -> 改善甲): up to a preposition or conjunction when the other
    items hold none, and, when the first item is the longest, past verbs or adverbs followed by a word of
    the shape the other items open with; never past a word the other items open with themselves."""
    s, e = items[0]
    words = toks.slice(s, e)
    if len(words) < 2:
        return s, e
    lengths = [b - a for a, b in items[1:]]
    room = max(2, min(lengths) // 2)        # what must be left of the first item
    if e - s > min(lengths):
        cut = [i + 1 for i, (w, _, we) in enumerate(words[:-1]) if _word_class(w) == "p" and e - we >= room]
        if cut and not any(_word_class(w) == "p" for a, b in items[1:] for w in toks.words_in(a, b)):
            words = words[cut[-1]:]
    if len(words) >= 2 and _word_class(words[0][0]) == "v":
        words = words[_governing_verbs(words, items, toks, room, longer=e - words[0][1] > max(lengths)):]
    return words[0][1], e


def _governing_verbs(words: list[tuple[str, int, int]], items: list[tuple[int, int]], toks: Tokens,
                     room: int, *, longer: bool) -> int:
    """How many verbs or adverbs open ``words`` (a first list item) before a word of a shape the other
    items open with (none the other items open with themselves): when the first item is the ``longer``
    (继续改善甲环境、完善乙政策), or when the other items all open with a verb, as the word after does
    (支持扩大甲、促进乙、加强丙)."""
    opening = {toks.words_in(a, b)[:1] for a, b in items[1:]}
    classes = {_word_class(w[0]) if w else "n" for w in opening}
    e = items[0][1]
    i = 0
    while (i + 1 < len(words) and (words[i][0],) not in opening and e - words[i + 1][1] >= room
           and _word_class(words[i][0]) == "v" and _word_class(words[i + 1][0]) in classes
           and (longer or classes == {"v"} == {_word_class(words[i + 1][0])})):
        i += 1
    return i


def _trim_first(text: str, items: list[tuple[int, int]], toks: Tokens) -> tuple[int, int]:
    """Start the first item where the others' shared opening starts (全世界被压迫人民 -> 被压迫人民),
    or, when it is longer than they are, at the word that makes it about their length."""
    s, e = items[0]
    rest = [text[a:b] for a, b in items[1:]]
    for particle in LEAD_PARTICLES:
        if text.find(particle, s, e - 2) >= 0 and not any(particle in x for x in rest):     # (characters first)
            # 国家的甲实力、乙能力; 走上了甲、乙: the words before the particle govern the whole list
            after = [we for word, _, we in toks.slice(s, e)[:-1] if word == particle and e - we >= 2]
            if after:
                s = after[-1]
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
    """End the last item where the others' shared ending ends (甲设备、乙设备和丙设备的制造 -> 丙设备;
    体制性、结构性矛盾 -> 结构性), before a closing 等 (甲、乙等措施 -> 乙), or before a 的 that starts
    what the whole list modifies (甲、乙的方针 -> 乙)."""
    s, e = items[-1]
    # the first item may still carry lead-in words: the inner items, if any, say what an item looks like
    rest = [text[a:b] for a, b in (items[1:-1] if len(items) >= 3 else items[:-1])]
    words = toks.slice(s, e)
    if text.find("等", s + 2, e) >= 0:         # (the character first: the words cost more)
        for word, ws, _ in words[1:]:
            if word in LIST_CLOSERS and ws - s >= 2:
                return s, ws
    tail = _shared(rest, prefix=False)
    ends = [we for _, _, we in words if tail and text.endswith(tail, s, we) and we - s > len(tail)]
    if ends:
        return s, ends[0]
    ends = _suffix_ends(text, rest, words)
    if ends:
        return s, ends[0]
    longest = max(map(len, rest))
    # two items: the other may itself carry lead-in words, so its length says little
    if any("的" in x for x in rest) or (len(items) > 2 and e - s <= longest):
        return s, e
    for word, ws, _ in words[1:]:
        if (word == "的" and ws - s >= 2) or (jieba_tags().get(word) in PREDICATE_TAGS and ws - s >= 3):
            return s, ws
    head = _shared(rest, prefix=True)
    if head and text.startswith(head, s) and e - s > LONG_EDGE * longest:
        target = sum(map(len, rest)) / len(rest)
        return min(((s, we) for _, _, we in words), key=lambda span: abs(span[1] - span[0] - target))
    return s, e


def _suffix_ends(text: str, rest: list[str], words: list[tuple[str, int, int]]) -> list[int]:
    """Where the last item's words end in the one-character suffix every other item ends in (体制性、
    结构性矛盾: after 结构性), before a word of two characters or more; [] when the others end differently."""
    last = {x[-1] for x in rest}
    if len(last) != 1 or any(len(x) < 2 for x in rest):
        return []
    c = last.pop()
    if c in PARTICLES or not ("\u4e00" <= c <= "\u9fff"):
        return []
    shortest = min(map(len, rest))
    # the word after the cut is a word of its own (倾向性|问题), not the rest of an idiom (宁早|勿|晚)
    return [we for (w, _, we), (after, _, _) in zip(words, words[1:]) if len(w) >= 2 and w.endswith(c)
            and len(after) >= 2]


def _shared(texts: list[str], *, prefix: bool) -> str:
    """The opening (``prefix``) or ending all ``texts`` share; of a single text, its first or last
    two characters ('' if none, or if it would be a whole text)."""
    if len(texts) == 1:
        t = texts[0]
        return "" if len(t) <= 2 else (t[:2] if prefix else t[-2:])
    edge = shared_prefix(texts) if prefix else shared_suffix(texts)
    return "" if len(edge) == min(map(len, texts)) else edge
