"""Hand rules: 、-lists, framed segments, correlative pairs, anchored pairs, twins and short predicates.

The rules are general shapes of 公文 (X上，…；Y上，…; 一方面…，另一方面…;
尽快…，尽快…; 瞄准目标，鼓足干劲) and apply in every text; where the run
scorer judges (:attr:`ParallelSettings.run_scorer`), it weighs their matches
like any other run.
"""
from __future__ import annotations

import bisect
from typing import Optional

from analysis.parallel.list_edges import list_branches
from analysis.parallel.matching import common_prefix, common_suffix
from analysis.parallel.pair_features import pair_features
from analysis.parallel.run_features import Candidate, Run, run_scorer_judges
from analysis.parallel.types import Parallelism
from analysis.parallel.units import CLAUSE, LIST, PHRASES, PUNCT, SEGMENT, WEAK, Piece, Tokens, Unit, group, trim_span

# Correlative openings that pair two clauses into one parallel statement (一方面…，另一方面…).
CORRELATIVES = (("一方面", ("另一方面",)), ("不但", ("还", "而且", "更", "也")), ("不仅", ("还", "而且", "更", "也")),
                ("既", ("又", "也")))


def clauses_in(span: tuple[int, int], pieces: list[Piece]) -> list[Unit]:
    """Clauses (pieces joined up to ，：；。 boundaries) lying inside ``span``."""
    # pieces follow one another without overlap, so those inside the span are one stretch of the list
    i = bisect.bisect_left(pieces, span[0], key=lambda x: x.start)
    j = i
    while j < len(pieces) and pieces[j].end <= span[1]:
        j += 1
    return group(pieces[i:j], CLAUSE)


def clausewise_openings(text: str, a: Unit, b: Unit, pieces: list[Piece], lead_in: int) -> bool:
    """Two compound units whose clauses open alike one by one (是一种…，更是一种…；是一份…，更是一份…).

    Each clause of ``b`` shares an opening of two or more characters with the
    clause of ``a`` in the same place; the first clause of ``a`` may carry
    lead-in words (特别是要抓紧…，做到…，要抓紧…，做到…).
    """
    y2 = text[b.start:b.start + 2]
    if len(y2) == 2 and y2[1] not in PUNCT and not 0 <= text.find(y2, a.start, a.end) - a.start <= lead_in:
        return False          # the first clauses cannot share an opening (see below): no need to find them
    ca, cb = clauses_in(a.span, pieces), clauses_in(b.span, pieces)
    if len(ca) != len(cb) or len(ca) < 2:
        return False
    for i, (c1, c2) in enumerate(zip(ca, cb)):
        x, y = text[c1.start:c1.end], text[c2.start:c2.end]
        if i == 0 and len(y) >= 2 and not x.startswith(y[:2]):
            j = x.find(y[:2])
            if 0 < j <= lead_in:
                x = x[j:]
        if common_prefix(x, y) < 2 or x == y:
            return False
    return True


def _framing_clause(text: str, seg: Unit, pieces: list[Piece], length: tuple[int, int],
                    like: Optional[str] = None):
    """The framing clause of a segment: its first clause, or (``like`` given) the short clause
    sharing the longest ending with ``like`` (the first segment may have a lead-in); None: none."""
    cl = clauses_in(seg.span, pieces)
    shortest, longest = length
    if len(cl) < 2:
        return None
    if like is None:
        s, e = cl[0].span
        return (s, e) if shortest <= e - s <= longest else None
    best, n = None, 0
    for c in cl[:3]:
        s, e = c.span
        shared = common_suffix(text[s:e], like)
        if shortest <= e - s <= longest and shared > n and text[s:e] != like:
            best, n = (s, e), shared
    return best


def framed_segments(text: str, pieces: list[Piece], settings) -> list[Parallelism]:
    """Segments joined by ；, each opening with a short clause ending alike (园区规划上，…；人才培养上，…).

    Official prose lays out a list of fields as ``X上，…；Y上，…；Z上，…`` (or
    ``在X方面，…``): three or more segments whose first clause is short and
    ends with the same characters. The first segment may carry lead-in
    clauses before its framing clause; the branch starts at the frame.
    """
    segs = group(pieces, SEGMENT)
    length = settings.frame_clause_length
    out = []
    k = 0
    while k < len(segs) - 2:
        nxt = _framing_clause(text, segs[k + 1], pieces, length)
        first = (_framing_clause(text, segs[k], pieces, length, text[nxt[0]:nxt[1]])
                 if nxt and segs[k].boundary == SEGMENT else None)
        run = [first] if first else []
        j = k + 1
        while first and j < len(segs) and segs[j - 1].boundary == SEGMENT:   # the frames follow one another across ；
            op = _framing_clause(text, segs[j], pieces, length)
            if op is None:
                break
            cur, prev = text[op[0]:op[1]], text[run[-1][0]:run[-1][1]]
            if common_suffix(cur, prev) < 1 or common_suffix(cur, text[first[0]:first[1]]) < 1 or cur == prev:
                break
            run.append(op)
            j += 1
        if len(run) >= 3:
            branches = [trim_span(text, op[0], segs[k + i].end) for i, op in enumerate(run)]
            out.append(Parallelism("clause", branches, score=settings.frame_score))
            k = j
        else:
            k += 1
    return out


def correlatives(text: str, pieces: list[Piece], settings) -> list[Parallelism]:
    """Two adjacent clauses opened by a correlative pair: 一方面…，另一方面…; 不但…，还要….

    Official prose uses these pairs to set two tasks side by side; both
    clauses become branches, the markers included.
    """
    return marker_pairs(text, pieces, settings, CORRELATIVES, lead_in=settings.correlative_lead_in,
                        shortest=lambda first: settings.shortest_correlative)


def marker_pairs(text: str, pieces: list[Piece], settings, pairs, *, lead_in: int, shortest,
                 openings: Optional[frozenset[str]] = None) -> list[Parallelism]:
    """Two adjacent clauses of one segment, the first holding a first marker of ``pairs`` within
    ``lead_in`` characters of its start, the second opening with one of its second markers, of similar
    length (``settings.correlative_ratio``) and each at least ``shortest(first marker)`` long; kind "clause".

    Words before the first marker (这一速度不仅…, 我们的办法不是…) govern both clauses: they stay outside.
    ``openings``, when given, are the characters a second clause can open with (a cheap check first).
    """
    clauses = group(pieces, CLAUSE)
    out = []
    for c1, c2 in zip(clauses, clauses[1:]):
        if c1.boundary > SEGMENT or (openings is not None and text[c2.start:c2.start + 1] not in openings):
            continue
        x, y = text[c1.start:c1.end], text[c2.start:c2.end]
        for first, seconds in pairs:
            at = x.find(first, 0, lead_in + len(first))
            if at >= 0 and any(y.startswith(w) for w in seconds):
                short, long_ = min(len(x) - at, len(y)), max(len(x) - at, len(y))
                if short >= shortest(first) and short / long_ >= settings.correlative_ratio:
                    out.append(Parallelism("clause", [(c1.start + at, c1.end), c2.span], score=settings.rule_score))
                break
    return out


def short_predicates(text: str, pieces: list[Piece], toks: Tokens, settings) -> list[Parallelism]:
    """Adjacent short ，-clauses of two to four words each opening with a two-character word, alike in
    length (调整甲结构，加强乙管理，改善丙服务): a series of bare predicates. Three or more make a series;
    two (``shortest_predicate_run``) yield to any other candidate they cross (``pair_predicate_score``)."""
    shortest, longest = settings.predicate_length
    out = []
    run: list[tuple[int, int]] = []
    for c in group(pieces, CLAUSE) + [None]:
        fits = c is not None and shortest <= c.end - c.start <= longest     # the length first: words cost more
        if fits:
            words = toks.words_in(*c.span)
            fits = 2 <= len(words) <= 4 and len(words[0]) == 2 and words[0] not in WEAK
        if fits and run and c.end - c.start > 0:
            lens = [e - s for s, e in run] + [c.end - c.start]
            fits = min(lens) / max(lens) >= settings.predicate_ratio
        if fits:
            run.append(c.span)
        if not fits or c.boundary > CLAUSE:
            if len(run) >= settings.shortest_predicate_run:
                score = settings.rule_score if len(run) >= 3 else settings.pair_predicate_score
                out.append(Parallelism("phrase", run, score=score))
            run = [c.span] if fits and c.boundary <= CLAUSE else []
    return out


def lists(text: str, pieces: list[Piece], toks: Tokens, settings, model) -> list[Parallelism]:
    """Items joined by 、: word lists (kind "phrase"), or clause lists when the items are alike clauses."""
    out = []
    essay = run_scorer_judges(settings, model)
    k = 0
    while k < len(pieces):
        j = k
        while j < len(pieces) - 1 and pieces[j].boundary == LIST:
            j += 1
        if j > k:
            items = [(x.start, x.end) for x in pieces[k:j + 1]]
            if essay:
                out.extend(_run_candidate(text, items, pieces, k, j, toks, settings, model))
            branches = list_branches(text, items, toks)
            if _list_shaped(branches, settings):
                if min(e - s for s, e in branches) < settings.shortest_list_clause:
                    # word lists: too short to read as clauses; plain words with no shared frame are no parallelism
                    if not (settings.frameless_words_apart and plain_words(text, branches, toks)):
                        out.append(Parallelism("phrase", branches))
                else:
                    out.append(_clause_list(text, branches, pieces[j].boundary, toks, settings, model, essay))
        k = j + 1
    return out


def _run_candidate(text: str, items: list[tuple[int, int]], pieces: list[Piece], k: int, j: int,
                   toks: Tokens, settings, model) -> list[Parallelism]:
    """The 、-list ``pieces[k..j]`` as a candidate for the essay run scorer, cut as the scorer was fitted
    on (only the first item's lead-in trimmed), when its items are ``shortest_list_clause`` long or more."""
    items = list(items)
    items[0] = _trim_lead_in(items, toks)
    if not _list_shaped(items, settings) or min(e - s for s, e in items) < settings.shortest_list_clause:
        return []
    feats, sims = _list_pairs(text, items, pieces[j].boundary, toks, settings, model)
    run = Run(PHRASES, sims, [LIST] * len(sims), left=0.0, right=0.0, realigned=False,
              extended=items[0] != (pieces[k].start, pieces[k].end), para_start=k == 0,
              para_end=j == len(pieces) - 1, pairs=feats, words=[list(toks.words_in(s, e)) for s, e in items])
    return [Candidate("clause", items, score=sum(sims) / len(sims), run=run)]


def _list_shaped(items: list[tuple[int, int]], settings) -> bool:
    """Whether 、-list items are short enough for a list (``longest_list_item``) and alike in length."""
    lens = [e - s for s, e in items]
    return max(lens) <= settings.longest_list_item and min(lens) / max(lens) >= settings.list_item_ratio


def _list_pairs(text: str, items: list[tuple[int, int]], last: int, toks: Tokens, settings, model):
    """Pair features and pair scores of the adjacent items of a 、-list (``last``: the boundary after it)."""
    units = [Unit(s, e, LIST if x < len(items) - 1 else last) for x, (s, e) in enumerate(items)]
    feats = [pair_features(text, units[x], units[x + 1], PHRASES, toks, model, settings)
             for x in range(len(items) - 1)]
    return feats, [model.pair_score(f) if f is not None else 0.0 for f in feats]


def _clause_list(text: str, items: list[tuple[int, int]], last: int, toks: Tokens, settings, model,
                 essay: bool) -> Parallelism:
    """A 、-list of items of ``shortest_list_clause`` characters or more: a clause list when its items
    are alike (outside essays, where the run scorer judges them), else a phrase list."""
    if essay:           # the run scorer judges essay lists (_run_candidate): pair scores here would go unread
        return Parallelism("phrase", items)
    _, sims = _list_pairs(text, items, last, toks, settings, model)
    clause_like = min(sims) >= settings.run_floor or (
        len(items) >= 3 and _shared_word(items, toks))
    return Parallelism("clause" if clause_like else "phrase", items,
                       score=sum(sims) / len(sims) if clause_like else 0.0)


def plain_words(text: str, items: list[tuple[int, int]], toks: Tokens) -> bool:
    """Items that are single words sharing no first and no last character (原料、材料 share one;
    政治、经济、文化 do not): a list of names, not a series built on one frame."""
    if any(e - s > 2 and len(toks.words_in(s, e)) > 1 for s, e in items):
        return False
    firsts, lasts = {text[s] for s, _ in items}, {text[e - 1] for _, e in items}
    return len(firsts) > 1 and len(lasts) > 1


def _shared_word(items: list[tuple[int, int]], toks: Tokens) -> bool:
    """Every item contains one same content word (道路得到修缮、河道得到疏通…)."""
    sets = [{w for w in toks.words_in(s, e) if len(w) >= 2 and w not in WEAK} for s, e in items]
    return bool(set.intersection(*sets))


def _trim_lead_in(items: list[tuple[int, int]], toks: Tokens) -> tuple[int, int]:
    """Cut lead-in words off the first list item so it is about as long as the others (要坚持抓基层 -> 抓基层)."""
    s, e = items[0]
    others = [b - a for a, b in items[1:]]
    if e - s < 2 * max(others):
        return s, e
    target = sorted(others)[len(others) // 2]
    best = (s, e)
    for _, ts, _ in toks.slice(s, e)[1:]:
        if abs((e - ts) - target) < abs((best[1] - best[0]) - target):
            best = (ts, e)
    return best


def anchored_pair(a: Unit, b: Unit, toks: Tokens, settings) -> bool:
    """Two clauses opening or closing with the same content word, alike in length (尽快…，尽快…)."""
    la, lb = a.end - a.start, b.end - b.start
    shortest, longest = settings.anchored_pair_length
    if (a.boundary > SEGMENT or min(la, lb) < shortest or max(la, lb) > longest
            or min(la, lb) / max(la, lb) < settings.anchored_pair_ratio):
        return False
    wa, wb = toks.words_in(*a.span), toks.words_in(*b.span)
    if len(wa) < 2 or len(wb) < 2:
        return False
    head = wb[0] in wa[:3] and len(wb[0]) >= 2 and wb[0] not in WEAK
    tail = wa[-1] == wb[-1] and wa[-2] == wb[-2] and wa[-1] not in WEAK
    return head or tail


def same_first_word(a: Unit, b: Unit, toks: Tokens) -> bool:
    """Whether the two units open with the same word."""
    wa, wb = toks.words_in(*a.span), toks.words_in(*b.span)
    return bool(wa and wb) and wa[0] == wb[0]


def twin(a: Unit, b: Unit, toks: Tokens, settings) -> bool:
    """Short clauses of one length built from words of the same lengths (瞄准目标，鼓足干劲)."""
    if a.boundary > CLAUSE:
        return False
    la, lb = a.end - a.start, b.end - b.start
    shortest, longest = settings.twin_length
    if la != lb or la > longest or la < shortest:
        return False
    if la == shortest:          # four-character phrases read as one shape whatever jieba makes of them
        return True
    pa = list(map(len, toks.words_in(*a.span)))
    pb = list(map(len, toks.words_in(*b.span)))
    return pa == pb and len(pa) >= 2
