"""The per-text slogan detectors: small pure functions over one text (or its words).

In the style of textacy's ``extract`` module, each returns a list of
:class:`Match` — where the form is, the form, and the parts it is made of:

* :func:`quoted_terms` — short quoted strings that read as terms (“三会一课”);
* :func:`compact_numbered` — numeral-alternating forms (两学一做, 三严三实);
* :func:`counted_phrases` — numeral + 个/大 + word (四个意识, 三大攻坚战);
* :func:`enumerations` — equal-length short phrases joined by 、/，.
"""
from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache
from operator import itemgetter
import re
from typing import NamedTuple

from analysis.slogans.settings import DEFAULT_SETTINGS, SloganSettings
from analysis.slogans.shapes import (
    FUNCTION_CHARS, MEASURE_CHARS, NUMERAL_SET, NUMERALS, has_function_edge, is_cjk, members, term_like,
)

_SENT_PUNCT = "。；！？：\n"
_BREAK = set("，。；！？：、“”‘’《》（）()「」『』\n ·—…,.;:!?\"'")
_token_start = itemgetter(1)
_BREAK_PATTERN = re.compile("[" + re.escape("".join(sorted(_BREAK))) + "]")
_COUNTED = re.compile(r"([两二三四五六七八九十]+)(个|大|项)")
# A numeral + 个/大 after these is an ordinal, a count or a demonstrative phrase (第三个, 每两个, 这三大).
_NOT_BEFORE_COUNTED = NUMERAL_SET | {"第", "每", "几", "这", "那", "些"}
# Compact forms made only of these numerals are idioms (一心一意, 千方百计), not formulations.
_IDIOM_NUMERALS = set("一百千万")


class Match(NamedTuple):
    """One form a detector found in a text: ``text[start:end] == form``."""

    start: int
    end: int
    form: str
    parts: tuple[str, ...]   # members of an enumeration; numeral-word pairs; count and head; a quoted term's members


@lru_cache(maxsize=8)
def _quoted_pattern(min_chars: int, max_chars: int) -> re.Pattern:
    return re.compile(rf"[“「『‘\"]([^“”「」『』‘’\"\n]{{{min_chars},{max_chars}}})[”」』’\"]")


@lru_cache(maxsize=8)
def _compact_pattern(min_pairs: int, max_pairs: int) -> re.Pattern:
    return re.compile(rf"(?:[{NUMERALS}][^{NUMERALS}\W\d]){{{min_pairs},{max_pairs}}}")


def quoted_terms(text: str, *, settings: SloganSettings = DEFAULT_SETTINGS) -> list[Match]:
    """Return the quoted strings that read as terms, not quoted speech; parts are their 、-joined members.

    Offsets cover the term without its quotation marks.
    """
    out = []
    for m in _quoted_pattern(settings.term_min_chars, settings.quote_max_chars).finditer(text):
        term = m.group(1)
        if term_like(term, settings.term_max_chars, settings=settings):
            out.append(Match(m.start(1), m.end(1), term, tuple(term.split("、"))))
    return out


def compact_numbered(text: str, *, settings: SloganSettings = DEFAULT_SETTINGS) -> list[Match]:
    """Return numeral-alternating forms such as N X N Y (and N X N Y N Z); parts are the pairs (两学, 一做).

    Rejects forms whose inner characters are measure words (一年一度), whose
    numerals are all 一 (一心一意) or hyperbolic 千/百/万 (千方百计).
    """
    out = []
    for m in _compact_pattern(settings.numbered_min_pairs, settings.numbered_max_pairs).finditer(text):
        form = m.group(0)
        nums, inner = form[0::2], form[1::2]
        if set(nums) <= _IDIOM_NUMERALS or any(ch in MEASURE_CHARS or ch in FUNCTION_CHARS for ch in inner):
            continue
        if m.start() > 0 and text[m.start() - 1] in NUMERAL_SET:
            continue
        out.append(Match(m.start(), m.end(), form, tuple(form[k:k + 2] for k in range(0, len(form), 2))))
    return out


def counted_phrases(tokens: list[tuple[str, int, int]], text: str, *,
                    settings: SloganSettings = DEFAULT_SETTINGS) -> list[Match]:
    """Return numeral + 个/大 + following word (四个意识, 三大攻坚战); parts are the count and the head word.

    ``tokens`` are the ``(word, start, end)`` of ``text`` in text order; the head is the
    next CJK word of ``counted_head_min_chars`` or more. 一个 is never a formulation.
    """
    out = []
    for m in _COUNTED.finditer(text):
        if m.start() > 0 and text[m.start() - 1] in _NOT_BEFORE_COUNTED:
            continue
        # the word starting where the match ends, found by bisection (no index of every token is built)
        k = bisect_left(tokens, m.end(), key=_token_start)
        if k == len(tokens) or tokens[k][1] != m.end():  # the numeral token may swallow the measure word (四个)
            continue
        head, end = tokens[k][0], tokens[k][2]
        if len(head) >= settings.counted_head_min_chars and is_cjk(head) and not has_function_edge(head):
            out.append(Match(m.start(), end, text[m.start():end], (m.group(0), head)))
    return out


def enumerations(text: str, bounds: set[int], *, settings: SloganSettings = DEFAULT_SETTINGS) -> list[Match]:
    """Return runs of equal-length short members; parts are the members.

    Members are joined by 、 (or are whole clauses joined by ，), each
    ``member_min_chars``–``member_max_chars`` characters, with ends on word
    boundaries (``bounds``: offsets where words start or end). Where the
    outer members' length is open (two members inside longer clauses), every
    fitting length is returned; the caller keeps the one the corpus repeats.
    """
    lo, hi = settings.member_min_chars, settings.member_max_chars
    out = []
    pieces = _pieces(text)
    i = 0
    while i < len(pieces) - 1:
        j = i
        while j + 1 < len(pieces) and pieces[j][3] == "、" and pieces[j][3] == pieces[i][3]:
            j += 1
        if j == i:
            j = _comma_chain(pieces, i, lo, hi)
        if j > i:
            out.extend(_chain_forms(text, pieces[i:j + 1], bounds, settings))
            i = j
        else:
            i += 1
    return out


def _pieces(text: str) -> list[tuple[int, int, str, str]]:
    """Split ``text`` at punctuation into ``(start, end, piece, separator-after)``."""
    out, start = [], 0
    for m in _BREAK_PATTERN.finditer(text):    # the regex skips the text between marks in C
        k = m.start()
        out.append((start, k, text[start:k], text[k]))
        start = k + 1
    out.append((start, len(text), text[start:], ""))
    return out


def _comma_chain(pieces, i, lo, hi) -> int:
    """Last index of a chain of whole clauses of one length joined by ，, starting at ``i``."""
    n = len(pieces[i][2])
    if not (lo <= n <= hi) or pieces[i][3] != "，" or (i > 0 and pieces[i - 1][3] not in _SENT_PUNCT + "”"):
        return i
    j = i
    while j + 1 < len(pieces) and len(pieces[j + 1][2]) == n and pieces[j][3] == "，":
        j += 1
    if j > i and pieces[j][3] in _SENT_PUNCT + "，":
        return j
    return i


def _chain_forms(text, chain, bounds, settings: SloganSettings) -> list[Match]:
    """The enumerations a chain of pieces holds: one per member length that fits its outer pieces."""
    lo, hi = settings.member_min_chars, settings.member_max_chars
    inner = chain[1:-1]
    lengths = {len(p[2]) for p in inner}
    if len(lengths) > 1:
        return []
    out = []
    first, last = chain[0], chain[-1]
    for n in sorted(lengths or set(range(lo, hi + 1))):
        if not (lo <= n <= hi) or len(first[2]) < n or len(last[2]) < n:
            continue
        s, e = first[1] - n, last[0] + n
        if s not in bounds or e not in bounds:
            continue
        form = text[s:e]
        parts = members(form)
        if all(term_like(mb, hi, settings=settings) and len(mb) == n for mb in parts):
            out.append(Match(s, e, form, tuple(parts)))
    return out
