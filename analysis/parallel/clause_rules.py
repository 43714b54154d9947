"""Clause series of official prose that share a grammatical shape rather than an opening word.

Work reports list what was done as clauses of one shape: a verb with the
perfective 了 (开展了甲，粉碎了乙，增进了丙), figures after one same verb
(钢增长一倍，煤增长百分之九十), and contrasting pairs (不是…，而是…;
要…，不要…; 既…，也…). The cue is each clause's own shape, so the rules
fire wherever the shape occurs; a branch is the whole clause.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from functools import lru_cache
from itertools import compress
from typing import Callable, Optional

from analysis.lexicon import jieba_tags
from analysis.parallel.rules import marker_pairs
from analysis.parallel.types import Parallelism
from analysis.parallel.units import CLAUSE, SEGMENT, WEAK, Piece, Tokens, Unit, group

# A figure: digits, a percentage, or a Chinese numeral followed by a unit or a multiple.
FIGURE = re.compile(r"[0-9０-９]|百分之|[一二三四五六七八九十两][一二三四五六七八九十百千万亿点零两]*"
                    r"[倍万亿吨元个人户套项所家公里度斤台辆件]")
# Openings of a clause that elaborates the figure before it rather than giving another.
ELABORATIONS = ("其中", "比", "是", "占", "相当于", "为", "较", "超过", "包括")
# Pairs of clause openings that set two units against each other (antithesis and correlatives the
# shared list in rules.py leaves out): the first clause opens with one of the first, the second
# with one of the seconds. (是…，更是… climbs from one to a stronger second: no equal pair.)
CONTRASTS = (("不是", ("而是",)), ("并不是", ("而是",)), ("并非", ("而是",)), ("不应", ("而应",)),
             ("不应当", ("而应当",)), ("不僅", ("而且", "還", "也")), ("既", ("又", "也")),
             ("不论", ("还是",)), ("无论", ("还是",)), ("要", ("不要",)),
             ("是", ("不是", "也是", "又是")))

_SECOND_OPENINGS = frozenset(w[0] for _, seconds in CONTRASTS for w in seconds)


# Parts of speech (jieba's dictionary tags) of words that open a first branch only to set the scene for the
# whole run: pronouns (我国, 这些), conjunctions (但, 而且) and words of time (去年).
SCENE_TAGS = ("r", "c", "t")


def drop_lead_words(run: list[tuple[int, int]], toks: Tokens) -> list[tuple[int, int]]:
    """Start the first branch after the pronouns, conjunctions and words of time it opens with when no
    other branch opens with them (我国粮食由甲增加到乙，棉花由丙增加到丁 -> 粮食…): they set the scene
    for the whole run. Not when another branch opens with a word of the same part of speech (不但甲，而且乙).
    The rest of the branch must stay at least half as long as the shortest other."""
    s, e = run[0]
    tags = jieba_tags()
    first = toks.words_in(s, e)[:1]
    if not first or (tags.get(first[0]) or "")[:1] not in SCENE_TAGS:
        return run              # the first word decides: most runs need no more (the detector makes many)
    words = toks.slice(s, e)
    kinds = {(tags.get(w[0]) or "")[:1] for w in (toks.words_in(a, b)[:1] for a, b in run[1:]) if w}
    room = max(4, min(b - a for a, b in run[1:]) // 2)
    i = 0
    while (i + 1 < len(words) and (tags.get(words[i][0]) or "")[:1] in SCENE_TAGS
           and (tags.get(words[i][0]) or "")[:1] not in kinds and e - words[i + 1][1] >= room):
        i += 1      # (kinds: another branch opening with a conjunction makes a correlative: 不但…，而且…)
    return [(words[i][1], e)] + run[1:] if i else run


def perfective(text: str, c: Unit, toks: Tokens, settings) -> Optional[int]:
    """Where the verb starts in a clause whose predicate is a verb with 了 near its start
    (全省粉碎了敌人的进攻 -> the offset of 粉碎); None: not such a clause."""
    shortest, longest = settings.shape_clause_length
    if not shortest <= c.end - c.start <= longest or "了" not in text[c.start + 2:c.start + settings.perfective_reach + 1]:
        return None             # the length and the 了 first: words cost more
    words = toks.slice(*c.span)[:4]
    for x, (w, ws, _) in enumerate(words):
        if x > 0 and w == "了" and 2 <= ws - c.start <= settings.perfective_reach and words[x - 1][0] not in WEAK:
            return words[x - 1][1]
    return None


def shape_series(text: str, pieces: list[Piece], toks: Tokens, settings) -> list[Parallelism]:
    """Runs of adjacent clauses of one shape (see :func:`perfective`, :func:`figure_pair`): kind "clause"."""
    clauses = [c for c in group(pieces, CLAUSE) if c.end > c.start]
    out = []
    for run in _runs(clauses, lambda c: perfective(text, c, toks, settings) is not None, settings.shortest_shape_run):
        branches = [c.span for c in run]
        # the subject before the first verb governs the whole series when the others open with their verb
        # (unless the clause before opens the series: then the words before this verb are its own, 开始找到了)
        if all(perfective(text, c, toks, settings) == c.start for c in run[1:]):
            at = _late_perfective(text, clauses, run, toks, settings)
            if at is not None:
                branches.insert(0, at)
            else:
                branches[0] = (perfective(text, run[0], toks, settings), run[0].end)
        out.append(Parallelism("clause", branches, score=settings.rule_score))
    for run in _pair_runs(clauses, lambda a, b: settings.figure_series and figure_pair(text, a, b, toks, settings)):
        out.append(Parallelism("clause", drop_lead_words([c.span for c in run], toks), score=settings.rule_score))
    return out


def _late_perfective(text: str, clauses: list[Unit], run: list[Unit], toks: Tokens,
                     settings) -> Optional[tuple[int, int]]:
    """The first branch of a perfective series of two or more clauses in the clause before it, whose verb
    with 了 comes after words governing the series (我们在春季总结了甲，找到了乙，制定了丙 -> 总结了甲):
    from that verb to the clause's end; None if the clause before has no such verb."""
    k = clauses.index(run[0])
    if k == 0 or len(run) < 2 or clauses[k - 1].boundary > SEGMENT:
        return None
    before = clauses[k - 1]
    shortest, longest = settings.shape_clause_length
    words = toks.slice(before.start, before.end)
    for (w, ws, _), (after, _, _) in zip(words, words[1:]):
        if after == "了" and w not in WEAK and len(w) >= 2 and shortest <= before.end - ws <= longest:
            return ws, before.end
    return None


def figure_pair(text: str, a: Unit, b: Unit, toks: Tokens, settings) -> bool:
    """Two clauses each giving a figure after one same content word (增长百分之五，增长三倍)."""
    shortest, longest = settings.shape_clause_length
    if not (shortest <= a.end - a.start <= longest and shortest <= b.end - b.start <= longest):
        return False
    if not (FIGURE.search(text, a.start, a.end) and FIGURE.search(text, b.start, b.end)):
        return False
    if text.startswith(ELABORATIONS, b.start):
        return False            # 其中…, 比上年… break a figure down or compare it: no second item
    wa = {w for w in toks.words_in(*a.span) if len(w) >= 2 and w not in WEAK and not FIGURE.match(w)}
    return any(w in wa for w in toks.words_in(*b.span))


def contrasts(text: str, pieces: list[Piece], settings) -> list[Parallelism]:
    """Two adjacent clauses opened by a contrasting pair (不是…，而是…; 要团结，不要分裂): kind "clause"."""
    return marker_pairs(text, pieces, settings, CONTRASTS, lead_in=settings.lead_in,
                        shortest=lambda first: len(first) + 2, openings=_SECOND_OPENINGS)


# Words a clause may open with that say nothing of its frame: particles and bare numbers.
NO_FRAME = frozenset("的了着地得之一")


def opening_series(text: str, pieces: list[Piece], toks: Tokens, settings) -> list[Parallelism]:
    """Runs of two or more adjacent clauses of one sentence opening with one same word, function words
    included (对甲实行民主，对乙实行专政; 有的企业扭亏，有的企业增盈; 没有甲，没有乙，没有丙): kind
    "clause". Official prose sets its series up this way; the shared word is inside every branch. Words
    before it in the first clause govern the series and stay outside (全县各乡没有甲，没有乙，没有丙):
    any number before a series of three, ``lead_in`` characters before a pair (就是要甲，要乙)."""
    shortest, ratio = settings.opening_clause_length, settings.opening_clause_ratio
    clauses = [c for c in group(pieces, CLAUSE) if c.end - c.start >= shortest]

    def alike(a: Unit, b: Unit) -> bool:
        la, lb = a.end - a.start, b.end - b.start
        return b.start - a.end <= 2 and a.boundary <= SEGMENT and min(la, lb) / max(la, lb) >= ratio
    out = []
    for m, j in _split_at_strongest(clauses, _same_openings(text, clauses, toks, alike, settings.lead_in)):
        branches = [c.span for c in clauses[m:j + 1]]
        before = clauses[m - 1] if m > 0 and alike(clauses[m - 1], clauses[m]) else None
        word = _frame_word(clauses[m], toks) if before is not None else ""
        if word and text.find(word[0], before.start + 1, before.end) >= 0:
            reach = before.end - shortest if j > m else before.start + settings.lead_in
            at = [ws for w, ws, _ in toks.slice(before.start + 1, before.end) if w == word and ws <= reach]
            if at:
                branches.insert(0, (at[0], before.end))
        if len(branches) >= 2:
            out.append(Parallelism("clause", branches, score=settings.rule_score))
    return out


def _split_at_strongest(clauses: list[Unit], runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The runs ``(m, j)`` cut at their strongest boundaries where boundaries are mixed: 一手抓甲，一手抓乙；
    一手抓丙，一手抓丁 is pairs inside a series of segments, not one series of four."""
    out = []
    for m, j in runs:
        gaps = [clauses[x].boundary for x in range(m, j)]
        top = max(gaps, default=0)
        lo = m
        for x in range(m, j + 1):
            if x == j or (len(set(gaps)) > 1 and clauses[x].boundary == top):
                out.append((lo, x))
                lo = x + 1
    return out


def _same_openings(text: str, clauses: list[Unit], toks: Tokens, alike, lead_in: int) -> list[tuple[int, int]]:
    """``(m, j)``: the maximal runs of clauses m..j that open with one same word (not :data:`NO_FRAME`, nor
    a whole clause) and are pairwise ``alike``: runs of two or more, and single clauses whose first character
    stands within ``lead_in`` characters of the start of the clause before (就是要甲，要乙)."""
    def opens(a: Unit, b: Unit) -> bool:
        if text[a.start] != text[b.start]:
            # not the same first character: no words needed, unless the second adds itself (…，也高于…)
            if text[b.start] not in _ADDITIVE_FIRSTS:
                return False
            wa = toks.words_in(*a.span)
            return len(wa) > 1 and wa[0] not in NO_FRAME and wa[0] == _frame_word(b, toks)
        wa, wb = toks.words_in(*a.span), toks.words_in(*b.span)
        return len(wa) > 1 and len(wb) > 1 and wa[0] == wb[0] and wa[0] not in NO_FRAME

    def leads_in(m: int) -> bool:
        first = text[clauses[m].start]
        if first in _ADDITIVE_FIRSTS:
            first = (_frame_word(clauses[m], toks) or first)[0]
        return text.find(first, clauses[m - 1].start + 1, clauses[m - 1].start + lead_in + 1) >= 0
    out = []
    m = 0
    while m < len(clauses):
        j = m
        while j + 1 < len(clauses) and opens(clauses[j], clauses[j + 1]) and alike(clauses[j], clauses[j + 1]):
            j += 1
        if j > m or (m > 0 and leads_in(m)):
            out.append((m, j))
        m = j + 1
    return out


# Connectives a clause may open with before the word it repeats from the clause before (高于甲，也高于乙;
# 是甲，也是乙): the guideline keeps them inside the branch. jieba writes some as one word with a verb
# after them (也是, 还要): those verbs are split off.
ADDITIVES = frozenset(("而且", "并且", "也", "又", "更", "还"))
_ADDITIVE_FIRSTS = frozenset(a[0] for a in ADDITIVES)
_AFTER_ADDITIVE = frozenset("是要有在能会")


def _frame_word(c: Unit, toks: Tokens) -> str:
    """The word clause ``c`` opens its frame with: its first word, or the word after an additive
    connective it opens with (也高于… gives 高于, 也是… gives 是); "" for a clause of one word."""
    words = toks.words_in(*c.span)
    if len(words) < 2:
        return ""
    if words[0] in ADDITIVES:
        return words[1]
    if len(words[0]) == 2 and words[0][0] in _ADDITIVE_FIRSTS and words[0][1] in _AFTER_ADDITIVE:
        return words[0][1]
    return words[0]


# Correlative pairs whose first branch may run over several clauses (既要甲，尊重乙，又要丙): the first
# marker, and the markers that open the second branch.
SPREAD_CORRELATIVES = (("既", ("又", "也")), ("不但", ("而且", "还", "也")), ("不仅", ("而且", "还", "也")),
                       ("一方面", ("另一方面",)))
_SPREAD_FIRSTS = re.compile("|".join(first for first, _ in SPREAD_CORRELATIVES))


def spread_correlatives(text: str, pieces: list[Piece], settings) -> list[Parallelism]:
    """A correlative pair over more than two clauses of one segment (既要甲，尊重乙，又要丙，讲求丁): the
    first branch from the first marker to the clause before the second marker, the second from that
    marker to the segment's end; kind "clause". (Adjacent clauses are :func:`analysis.parallel.rules.correlatives`.)"""
    if not pieces or _SPREAD_FIRSTS.search(text, pieces[0].start, pieces[-1].end) is None:
        return []               # most paragraphs hold no first marker: no clauses needed
    out = []
    clauses = group(pieces, CLAUSE)
    for i, c in enumerate(clauses):
        for first, seconds in SPREAD_CORRELATIVES:
            at = text.find(first, c.start, min(c.end, c.start + settings.correlative_lead_in + len(first)))
            if at < 0:
                continue
            k = i + 1
            while k < len(clauses) and clauses[k - 1].boundary <= CLAUSE and not text.startswith(seconds, clauses[k].start):
                k += 1
            if k - i < 2 or k >= len(clauses) or clauses[k - 1].boundary > CLAUSE:
                break                       # adjacent, or no second marker in the segment
            end = k
            while end < len(clauses) - 1 and clauses[end].boundary <= CLAUSE:
                end += 1
            a, b = (at, clauses[k - 1].end), (clauses[k].start, clauses[end].end)
            if min(a[1] - a[0], b[1] - b[0]) / max(a[1] - a[0], b[1] - b[0]) >= settings.spread_correlative_ratio:
                out.append(Parallelism("clause", [a, b], score=settings.rule_score))
            break
    return out


def three_character_series(text: str, pieces: list[Piece], toks: Tokens, settings) -> list[Parallelism]:
    """Runs of two or more adjacent three-character clauses built from words of the same lengths (抓甲事，
    抓乙线; 稳增长，控物价): kind "phrase". Clauses this short standing side by side are set up as a series.
    (From the earlier attempt on branch issue12-prose2.)"""
    if not any(p.end - p.start <= 3 for p in pieces):
        return []               # a clause of three characters is made of pieces of three or fewer
    clauses = [c for c in group(pieces, CLAUSE) if c.end - c.start == 3]     # the length first: words cost more

    def alike(a: Unit, b: Unit) -> bool:
        if b.start - a.end > 1:
            return False                # not adjacent: a longer clause stood between them
        pa, pb = [len(w) for w in toks.words_in(*a.span)], [len(w) for w in toks.words_in(*b.span)]
        return pa == pb and len(pa) == 2
    return [Parallelism("phrase", [c.span for c in run], score=settings.rule_score)
            for run in _pair_runs(clauses, alike)]


def _runs(clauses: list[Unit], fits: Callable[[Unit], bool], shortest: int) -> list[list[Unit]]:
    """Maximal runs of ``shortest`` or more adjacent clauses of one sentence that all fit."""
    out, run = [], []
    for c in clauses:
        ok = fits(c)
        if not ok or (run and run[-1].boundary > SEGMENT):
            if len(run) >= shortest:
                out.append(run)
            run = []
        if ok:
            run.append(c)
    if len(run) >= shortest:
        out.append(run)
    return out


def _pair_runs(clauses: list[Unit], pair: Callable[[Unit, Unit], bool]) -> list[list[Unit]]:
    """Maximal runs of two or more adjacent clauses of one sentence whose adjacent pairs all match."""
    out, run = [], []
    for a, b in zip(clauses, clauses[1:] + [None]):
        if b is not None and a.boundary <= SEGMENT and pair(a, b):
            run = run or [a]
            run.append(b)
        else:
            if len(run) >= 2:
                out.append(run)
            run = []
    return out


class _AnchorWords(dict):
    """word -> whether it can anchor an inner pair: two characters or more, of one of the parts of speech
    ``tags`` (jieba's dictionary tags; a word not listed counts as "n"), not a function word (:data:`WEAK`).
    Each word is judged the first time it is asked about."""

    def __init__(self, tags: str):
        super().__init__()
        self.tags = tags

    def __missing__(self, word: str) -> bool:
        ok = self[word] = len(word) >= 2 and (jieba_tags().get(word) or "n")[0] in self.tags and word not in WEAK
        return ok


@lru_cache(maxsize=8)
def _anchor_words(tags: str) -> _AnchorWords:
    """The judged words for ``tags`` (one table per process)."""
    return _AnchorWords(tags)


def inner_anchor_pairs(text: str, pieces: list[Piece], toks: Tokens, settings) -> list[Parallelism]:
    """Two adjacent clauses of one sentence, alike in length, holding one same word of two characters or
    more of the parts of speech ``inner_anchor_tags`` (adverbs) at about the same place (群众的收入始终稳步
    增长，乡村的面貌始终不断改善): kind "clause". The shared word anchors a frame the openings do not show."""
    if not pieces:
        return []
    # the paragraph's anchor words, found in one pass: most paragraphs hold too few to pair, and then no
    # clause needs looking at; each word judged once per process (the test per word was 2.6% of the analysis)
    i, j = toks.span_range(pieces[0].start, pieces[-1].end)
    words = toks.words[i:j]
    anchors = list(compress(zip(toks.starts[i:j], words), map(_anchor_words(settings.inner_anchor_tags).__getitem__,
                                                              words)))
    # a word found once cannot stand in two clauses: only repeated words are looked up by the clauses
    times = Counter(w for _, w in anchors)
    anchors = [(ws, w) for ws, w in anchors if times[w] > 1]
    if not anchors:
        return []
    starts = [ws for ws, _ in anchors]
    shortest, longest = settings.inner_anchor_length
    out = []
    clauses = group(pieces, CLAUSE)
    for a, b in zip(clauses, clauses[1:]):
        la, lb = a.end - a.start, b.end - b.start
        if a.boundary > SEGMENT or min(la, lb) < shortest or max(la, lb) > longest or \
                min(la, lb) / max(la, lb) < settings.inner_anchor_ratio:
            continue
        places = {w: (ws - a.start) / la for ws, w in reversed(anchors[bisect_left(starts, a.start):
                                                                        bisect_left(starts, a.end)])}
        if places and any(w in places and abs((ws - b.start) / lb - places[w]) <= settings.inner_anchor_place
                          for ws, w in anchors[bisect_left(starts, b.start):bisect_left(starts, b.end)]):
            out.append(Parallelism("clause", [a.span, b.span], score=settings.rule_score))
    return out
