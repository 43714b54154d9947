"""Units: the stretches of text the detector compares, cut at punctuation.

A paragraph is split into :class:`Piece` objects at every boundary mark
outside short quotes; pieces are grouped into :class:`Unit` objects at one
granularity (clauses, segments, compound units of two or three clauses).
:class:`Tokens` looks up a paragraph's words by character range.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple, Optional

from analysis.segment import Segmenter

# Characters trimmed from both ends of a branch (the scorer trims the same set).
PUNCT = set("，。；：、！？…—“”‘’（）《》〈〉「」『』,.;:!?()[]\"' \u3000\n\t·-")

SENTENCE_END = set("。！？!?…\n")
SEGMENT_END = set("；;")
CLAUSE_END = set("，,：:")
LIST_SEP = set("、")
OPEN_CLOSE = {"“": "”", "《": "》", "（": "）", "(": ")", "「": "」", "『": "』", "‘": "’"}
CLOSING_QUOTES = "”’」』"
QUOTES = set("“”‘’\"《》「」")
_QUOTE_PATTERN = re.compile("[“「『‘]")      # quotations, not titles or brackets

# Strength of a boundary: 0 list (、), 1 clause (，：), 2 segment (；), 3 sentence (。！？ and paragraph end).
LIST, CLAUSE, SEGMENT, SENTENCE = 0, 1, 2, 3
BOUNDARY = {**{c: LIST for c in LIST_SEP}, **{c: CLAUSE for c in CLAUSE_END},
            **{c: SEGMENT for c in SEGMENT_END}, **{c: SENTENCE for c in SENTENCE_END}}
BOUNDARY_MARKS = frozenset(BOUNDARY)
_MARK_PATTERN = re.compile("[" + re.escape("".join(OPEN_CLOSE) + "".join(BOUNDARY)) + "]")

# Granularity of a unit sequence: what its units are (a pair feature and a run feature read it).
PHRASES, CLAUSES, SEGMENTS, TWO_CLAUSES, THREE_CLAUSES = 0, 1, 2, 4, 5

# Function words: shared, they say little about a common frame.
WEAK = set("的 了 着 地 得 和 与 及 或 在 是 有 也 都 就 还 又 而 并 把 被 让 使 对 从 为 以 等 中 上 下 这 那 "
           "我 你 他 她 它 我们 你们 他们 要 不 没有 一个 一种".split())


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``(start, end)`` past leading and trailing punctuation and spaces."""
    while start < end and text[start] in PUNCT:
        start += 1
    while end > start and text[end - 1] in PUNCT:
        end -= 1
    return start, end


@dataclass
class Piece:
    """Text between two boundary marks; ``boundary``: strength of the mark that ends it."""

    start: int
    end: int
    boundary: int


class Unit(NamedTuple):
    """A candidate branch: ``[start, end)`` and the strength of the boundary that closes it.

    ``whole`` is False for a compound unit holding a stronger boundary inside
    than the one that ends it: such a unit is never a branch.
    """

    start: int
    end: int
    boundary: int
    whole: bool = True

    # (start, end): the first two fields, sliced in C (the detector asks for spans about a million times)
    span = property(itemgetter(slice(0, 2)), doc="``(start, end)`` of the unit.")


class UnitSequence(NamedTuple):
    """Adjacent units of one granularity in one paragraph; ``name`` is the kind of run they make."""

    name: str
    granularity: int
    units: list[Unit]


def quoted_passages(text: str, start: int, end: int, longest_quote: int) -> list[tuple[int, int]]:
    """The insides of the quotations in ``text[start:end]`` that :func:`pieces` keeps whole (closing within
    ``longest_quote``) and that hold a boundary mark: a quoted series (“修好路，架好桥”) is read on its
    own, its branches inside the quotation."""
    out = []
    i = start
    while True:
        i = _QUOTE_PATTERN.search(text, i, end)
        if i is None:
            return out
        i = i.start()
        j = text.find(OPEN_CLOSE[text[i]], i + 1, min(end, i + 1 + longest_quote))
        if j == -1:
            i += 1
            continue
        if _MARK_PATTERN.search(text, i + 1, j) is not None and not any(
                text[x] in OPEN_CLOSE for x in range(i + 1, j)):
            out.append((i + 1, j))
        i = j + 1


class Pieces(list):
    """The pieces of one paragraph (a list of :class:`Piece`), remembering their groupings: the unit
    sequences and several rules ask :func:`group` for the same ones (about 70,000 calls over the work
    reports, most of them repeats)."""

    def __init__(self, items=()):
        super().__init__(items)
        self.groups: dict[int, list[Unit]] = {}


def pieces(text: str, start: int, end: int, longest_quote: int) -> Pieces:
    """Split ``text[start:end]`` at every boundary mark outside quotes closing within ``longest_quote``."""
    out: list[Piece] = []
    i = cur = start
    while i < end:
        m = _MARK_PATTERN.search(text, i, end)      # skip straight to the next quote or boundary mark
        if m is None:
            break
        i = m.start()
        close = OPEN_CLOSE.get(text[i])
        if close is not None:
            j = text.find(close, i + 1, min(end, i + 1 + longest_quote))
            if j != -1:
                i = j + 1
                continue
        strength = BOUNDARY.get(text[i])
        if strength is None:
            i += 1
            continue
        j = i + 1
        while j < end and text[j] in BOUNDARY:   # runs such as …… or ？！ or 。”
            strength = max(strength, BOUNDARY[text[j]])
            j += 1
        if j < end and text[j] in CLOSING_QUOTES:
            j += 1
        _close_piece(out, text, cur, i, strength)
        cur = i = j
    _close_piece(out, text, cur, end, SENTENCE)
    return Pieces(out)


def _close_piece(out: list[Piece], text: str, start: int, end: int, strength: int) -> None:
    """Append the trimmed piece ``[start, end)``; an empty one strengthens the boundary before it."""
    s, e = trim_span(text, start, end)
    if e > s:
        out.append(Piece(s, e, strength))
    elif out:
        out[-1].boundary = max(out[-1].boundary, strength)


# Units made by tuple.__new__, as NamedTuple's own __new__ would make them, minus its Python-level call:
# the detector makes about a million of them over the work reports.
_new_unit = tuple.__new__


def group(pieces: list[Piece], min_strength: int) -> list[Unit]:
    """Join pieces into units ending at boundaries of at least ``min_strength`` (a new list)."""
    memo = pieces.groups if isinstance(pieces, Pieces) else None
    if memo is None:
        return _group(pieces, min_strength)
    if min_strength not in memo:
        memo[min_strength] = _group(pieces, min_strength)
    return list(memo[min_strength])      # the caller may change its list; the units are tuples


def _group(pieces: list[Piece], min_strength: int) -> list[Unit]:
    units = []
    first = None
    for p in pieces:
        if first is None:
            first = p.start
        if p.boundary >= min_strength:
            units.append(_new_unit(Unit, (first, p.end, p.boundary, True)))
            first = None
    if first is not None:
        units.append(_new_unit(Unit, (first, pieces[-1].end, SENTENCE, True)))
    return units


def unit_sequences(pieces: list[Piece], compound: bool = True) -> list[UnitSequence]:
    """Sequences of adjacent candidate branches.

    Clauses (split at ，：and stronger) and segments (split at ；。！？) give one
    sequence each. Compound units of two or three clauses (既是机遇，更是挑战；
    既是责任，更是使命) give one sequence per phase: units i, i+k,
    i+2k … so that each unit is compared with the next unit of the same size.
    """
    clauses = group(pieces, CLAUSE)
    out = [UnitSequence("clause", CLAUSES, clauses), UnitSequence("segment", SEGMENTS, group(pieces, SEGMENT))]
    if compound:
        for k, granularity in ((2, TWO_CLAUSES), (3, THREE_CLAUSES)):
            if len(clauses) < 2 * k:
                continue
            for r in range(k):
                seq = _compounds(clauses, k, r)
                if len(seq) >= 2:
                    out.append(UnitSequence("compound", granularity, seq))
    return out


def _compounds(clauses: list[Unit], k: int, r: int) -> list[Unit]:
    """The units of ``k`` clauses starting at clause r, r + k, r + 2k … (:func:`_compound` of each);
    two and three clauses read by index, without a slice and a list per unit (125,000 units over the
    work reports)."""
    phase = [clauses[r + j::k] for j in range(k)]
    if k == 2:
        return [_new_unit(Unit, (a[0], b[1], b[2], a[2] <= b[2])) for a, b in zip(*phase)]
    if k == 3:
        return [_new_unit(Unit, (a[0], c[1], c[2], max(a[2], b[2]) <= c[2])) for a, b, c in zip(*phase)]
    return [_compound(list(group)) for group in zip(*phase)]


def _compound(clauses: list[Unit]) -> Unit:
    """One unit of the given clauses; not whole when a boundary inside is stronger than its end."""
    last = clauses[-1]
    inner = max([c.boundary for c in clauses[:-1]])
    return _new_unit(Unit, (clauses[0].start, last.end, last.boundary, inner <= last.boundary))


def neighbours(units: list[Unit], k: int) -> list[tuple[int, int]]:
    """The units next to the pair ``units[k], units[k + 1]`` on either side, when the boundary allows."""
    out = []
    if k > 0 and units[k - 1].whole and units[k - 1].boundary == units[k].boundary:
        out.append(units[k - 1].span)
    if k + 2 < len(units) and units[k + 1].whole and units[k + 1].boundary == units[k].boundary:
        out.append(units[k + 2].span)
    return out


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every line of ``text``."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def first_sentence_end(text: str, start: int, end: int, stops: str = "。！？!?") -> int:
    """Offset of the first of ``stops`` in ``text[start:end]`` (``end`` when there is none)."""
    for i in range(start, end):
        if text[i] in stops:
            return i
    return end


class Tokens:
    """Words of one paragraph, looked up by character range (each unit is looked up by the pair
    before it and the pair after it, at several granularities: the lookups are cached)."""

    def __init__(self, seg: Segmenter, text: str, start: int, end: int):
        self.start = start
        words, starts, ends = list(zip(*seg.tokens(text[start:end]))) or [(), (), ()]
        self.words = list(words)
        self.starts = list(map(start.__add__, starts))      # shifted in C, not a step per word
        self.ends = list(map(start.__add__, ends))
        self._triples: dict[tuple[int, int], list[tuple[str, int, int]]] = {}
        self._words: dict[tuple[int, int], tuple[str, ...]] = {}
        self._marks: dict[tuple[int, int], tuple[int, int]] = {}

    def span_range(self, s: int, e: int) -> tuple[int, int]:
        """``(i, j)``: the words lying wholly inside ``[s, e)`` are ``words[i:j]``."""
        i = bisect.bisect_left(self.starts, s)
        return i, bisect.bisect_right(self.ends, e, lo=i)

    def slice(self, s: int, e: int) -> list[tuple[str, int, int]]:
        """``(word, start, end)`` of the words lying wholly inside ``[s, e)`` (a fresh list)."""
        out = self._triples.get((s, e))
        if out is None:
            i, j = self.span_range(s, e)
            out = self._triples[(s, e)] = list(zip(self.words[i:j], self.starts[i:j], self.ends[i:j]))
        return list(out)

    def marks(self, s: int, e: int, unit: str) -> tuple[int, int]:
        """How many boundary marks (、，；。 …) the unit ``unit`` at ``[s, e)`` holds, and how many
        characters of it are not punctuation."""
        out = self._marks.get((s, e))
        if out is None:
            out = self._marks[(s, e)] = (sum(map(unit.count, BOUNDARY_MARKS.intersection(unit))),
                                         len(unit) - sum(map(unit.count, PUNCT.intersection(unit))))
        return out

    def first_word_len(self, s: int, e: int) -> int:
        """Length of the first word lying wholly inside ``[s, e)`` (0: none); no tuple is built."""
        i = bisect.bisect_left(self.starts, s)
        return len(self.words[i]) if i < len(self.ends) and self.ends[i] <= e else 0

    def words_in(self, s: int, e: int) -> tuple[str, ...]:
        """The words lying wholly inside ``[s, e)``, as a shared tuple."""
        out = self._words.get((s, e))
        if out is None:
            i, j = self.span_range(s, e)
            out = self._words[(s, e)] = tuple(self.words[i:j])
        return out

    def word_offset(self, span: tuple[int, int], word: str) -> Optional[int]:
        """Offset within ``span`` of the first word ``word`` after its first word (None: none)."""
        i, j = self.span_range(*span)
        try:
            k = self.words.index(word, i + 1, j)     # searched in C, no list of the span's words built
        except ValueError:
            return None
        return self.starts[k] - span[0]
