"""Series of sentences and of paragraph leads that open alike, and dash-led series.

Official prose lays out its tasks as sentences of one paragraph opening with
the same words (要…。要…。要…。), as consecutive paragraphs opening with the
same frame (我们必须…。 …  我们必须…。), or as a dash-led list (——必须…。——必须…。).
The cue is local: the shared opening (or the dash) of the adjacent units
themselves, whatever else the document holds. A sentence branch is the whole
sentence; a paragraph-lead branch is the lead up to its first full stop,
without the dash.
"""
from __future__ import annotations

from typing import Optional

from analysis.parallel.matching import common_prefix
from analysis.parallel.types import Parallelism
from analysis.parallel.units import SENTENCE, WEAK, Piece, first_sentence_end, group, trim_span

DASHES = "—－-"
# characters that never make a shared opening on their own (digits open figures, not frames)
_NOT_FRAME = set("0123456789０１２３４５６７８９.%％")


def shared_opening(a: str, b: str, shortest: int) -> int:
    """Length of the opening two units share if it can carry a frame: ``shortest`` characters or more,
    one more when it is a bare function word (我们…, 一个…), never figures; else 0."""
    n = common_prefix(a, b)
    if n < shortest or any(c in _NOT_FRAME for c in a[:n]):
        return 0
    if a[:n] in WEAK or (n == shortest and a[:n] in {w[:n] for w in WEAK if len(w) > n}):
        return n if n > shortest else 0
    return n


def sentence_series(text: str, para_pieces: list[Piece], settings, official: bool = False) -> list[Parallelism]:
    """Runs of two or more sentences of one paragraph that open with the same words (kind "sentence");
    in an ``official`` paragraph a pair needs a shorter opening (``official_pair_opening``)."""
    spans = [s for s in (trim_span(text, u.start, u.end) for u in group(para_pieces, SENTENCE)) if s[1] > s[0]]
    pair = settings.official_pair_opening if official else settings.pair_opening
    runs = _alike_runs(text, spans, settings, pair)
    if official and settings.named_frames:
        taken = {span for run in runs for span in run}
        runs += [run for run in _named_frame_runs(text, spans, settings) if not taken.intersection(run)]
    return [Parallelism("sentence", run, score=settings.series_score) for run in runs]


def _named_frame_runs(text: str, spans: list[tuple[int, int]], settings) -> list[list[tuple[int, int]]]:
    """Runs of three or more spans that each name their topic in a short first clause and go on with one
    same opening (稳增长，就是要甲。控物价，就是要乙。调结构，就是要丙。): the frame is the second clause's."""
    shortest, longest = settings.named_frame_lead
    rests = []
    for s, e in spans:
        comma = text.find("，", s + shortest, min(e, s + longest + 1))
        rests.append(text[comma + 1:e] if comma >= 0 else "")
    runs, i = [], 0
    while i < len(spans) - 2:
        j = i + 1
        n = shared_opening(rests[i], rests[j], settings.shortest_opening) if rests[i] else 0
        while n and j < len(spans) and common_prefix(rests[i], rests[j]) >= n:
            j += 1
        if n and j - i >= 3:
            runs.append(spans[i:j])
            i = j
        else:
            i += 1
    return runs


def lead_series(text: str, paras: list[tuple[int, int]], settings,
                official: Optional[list[bool]] = None) -> list[Parallelism]:
    """Consecutive paragraphs whose leads open with the same frame, and dash-led paragraphs or sentences
    (kind "enumeration"); a branch is the lead up to its first full stop, without the dash. ``official``:
    which paragraphs read as official prose (default: none), where a paragraph of one sentence is a lead."""
    out = []
    leads = []
    for k, (ps, pe) in enumerate(paras):
        s, e = trim_span(text, ps, pe)
        lead = trim_span(text, s, first_sentence_end(text, s, pe))
        # a lead opens a paragraph that goes on after it; a paragraph of one sentence is a lead only in
        # official prose (我们必须…。 as a paragraph of its own); essays set their one-line paragraphs apart
        # for other reasons (it cost the training essays 0.012 EPM F1 and 0.022 MWO F1)
        goes_on = lead[1] < e and (e - s) >= settings.lead_share * (lead[1] - lead[0])
        alone = lead[1] >= e and settings.sentence_paragraphs and official is not None and official[k]
        leads.append(lead if s < e and (goes_on or alone) else (ps, ps))
    for run in _alike_runs(text, leads, settings):
        out.append(Parallelism("enumeration", run, score=settings.series_score))
    out.extend(_dash_runs(text, paras))
    return out


def _alike_runs(text: str, spans: list[tuple[int, int]], settings,
                pair_opening: Optional[int] = None) -> list[list[tuple[int, int]]]:
    """Maximal runs of adjacent spans that all share one opening (see :func:`shared_opening`), or, three
    or more, one frame character (:attr:`ParallelSettings.frame_characters`: 要…。要…。要…。); a run of
    two needs an opening of ``pair_opening`` characters (default: the settings')."""
    pair_opening = settings.pair_opening if pair_opening is None else pair_opening
    runs = []
    i = 0
    while i < len(spans) - 1:
        first = text[spans[i][0]:spans[i][1]]
        second = text[spans[i + 1][0]:spans[i + 1][1]]
        n = shared_opening(first, second, settings.shortest_opening) or _frame_character(first, second, settings)
        j = i + 1
        while n and j < len(spans) and spans[j][1] > spans[j][0] and \
                common_prefix(first, text[spans[j][0]:spans[j][1]]) >= n and \
                spans[j][1] - spans[j][0] > n:
            j += 1
        shortest = settings.shortest_opening if j - i >= 3 else pair_opening
        # a frame character is in every text: no topic, only the run of three says it frames a series
        if (n >= shortest or (n == 1 and j - i >= 3)) and j - i >= 2 and spans[i][1] - spans[i][0] > n \
                and (n == 1 or not _topic(text, first[:n], j - i, settings)):
            runs.append(spans[i:j])
            i = j
        else:
            i += 1
    return runs


def _frame_character(a: str, b: str, settings) -> int:
    """1 when ``a`` and ``b`` open with the same frame character (要 …), else 0."""
    return int(bool(a) and bool(b) and a[0] == b[0] and a[0] in settings.frame_characters)


def _topic(text: str, opening: str, branches: int, settings) -> bool:
    """Whether ``opening`` recurs all over the text (more than
    ``series_topic_density`` times per thousand characters, and not only in the series): then it is the topic the text keeps
    naming (an essay on 感恩 opening sentence after sentence with 感恩), not a frame set up for a series."""
    count = text.count(opening)
    return count > branches and count * 1000 > settings.series_topic_density * len(text)


def _dash_runs(text: str, paras: list[tuple[int, int]]) -> list[Parallelism]:
    """Two or more consecutive units (paragraphs, or sentences of one paragraph) opened by a dash."""
    out = []
    run: list[tuple[int, int]] = []
    for ps, pe in paras:
        leads = _dash_leads(text, ps, pe)
        if not leads and len(run) >= 2:
            out.append(Parallelism("enumeration", run))
        run = run + leads if leads else []
    if len(run) >= 2:
        out.append(Parallelism("enumeration", run))
    return out


def _dash_leads(text: str, ps: int, pe: int) -> list[tuple[int, int]]:
    """The dash-led sentences of one paragraph that opens with a dash (none if it does not)."""
    out = []
    i = ps
    while i < pe and text[i].isspace():
        i += 1
    while i < pe and text[i] in DASHES:
        end = first_sentence_end(text, i, pe)
        span = trim_span(text, i, end)
        if span[1] > span[0]:
            out.append(span)
        i = end + 1
        while i < pe and (text[i].isspace() or text[i] in "”’"):
            i += 1
    return out
