"""Frames: heading frameworks (一、二、三、; （一）（二）) and enumerations (一是/二是, 第一/第二, 首先/其次)."""
from __future__ import annotations

from typing import NamedTuple, Optional

from analysis.numbering import match_enumerator
from analysis.parallel.types import Parallelism
from analysis.parallel.units import CLAUSE, PUNCT, SEGMENT, SENTENCE, Unit, first_sentence_end, trim_span

HEADING_STYLES = ("cn-comma", "cn-paren", "num-dot", "num-paren", "circled")
# the characters a paragraph lead (一是, 第一, 首先 …) can open with: a unit opening otherwise is not matched
_LEAD_FIRST = frozenset("一二三四五六七八九十第首其再然此最")


class _Open(NamedTuple):
    value: int                          # the last number seen
    branches: list[tuple[int, int]]


def headings(text: str, paras: list[tuple[int, int]]) -> list[Parallelism]:
    """Heading frameworks: numbered paragraphs of one style counting up 1, 2, 3 …

    A branch is the heading's first sentence, enumerator dropped.
    """
    open_groups: dict[str, _Open] = {}
    level_of: dict[str, int] = {}
    done: list[list[tuple[int, int]]] = []

    def close(style: str) -> None:
        g = open_groups.pop(style, None)
        if g and len(g.branches) >= 2:
            done.append(g.branches)

    for ps, pe in paras:
        en = match_enumerator(text[ps:pe]) if text[ps:pe].strip() else None
        if en is None or en.style not in HEADING_STYLES:
            continue
        s, e = trim_span(text, ps + en.length, first_sentence_end(text, ps + en.length, pe))
        if e <= s:
            continue
        # a deeper heading style restarts whenever a shallower one appears
        for style in list(open_groups):
            if level_of[style] > en.level:
                close(style)
        level_of[en.style] = en.level
        g = open_groups.get(en.style)
        if g is not None and en.value == g.value + 1:
            g.branches.append((s, e))
            open_groups[en.style] = _Open(en.value, g.branches)
        else:
            close(en.style)
            if en.value == 1:
                open_groups[en.style] = _Open(1, [(s, e)])
    for style in list(open_groups):
        close(style)
    return [Parallelism("heading", b) for b in done]


def unnumbered_headings(text: str, paras: list[tuple[int, int]], official: list[bool], settings) -> list[Parallelism]:
    """Headings without numbers: three or more adjacent paragraphs of official prose, each opening with
    one short sentence set apart from its body (积极发展各类市场。要以建立健全市场法规……). A branch is
    that sentence.

    The sentence holds no other punctuation (a lead that goes on after a comma is a paragraph's
    opening, not a heading) and the body after it is at least ``unnumbered_heading_body`` characters.
    """
    out = []
    run: list[tuple[int, int]] = []
    for k, (ps, pe) in enumerate(paras):
        heading = _run_in_heading(text, ps, pe, settings) if official[k] else None
        if heading is not None:
            run.append(heading)
            continue
        if len(run) >= 3:
            out.append(Parallelism("heading", run))
        run = []
    if len(run) >= 3:
        out.append(Parallelism("heading", run))
    return out


def _run_in_heading(text: str, ps: int, pe: int, settings) -> Optional[tuple[int, int]]:
    """The paragraph's first sentence when it reads as a heading: ``unnumbered_heading_length`` long,
    closed by 。 or the line's end, no other punctuation, not numbered, a body after it (None: no heading)."""
    s, e = trim_span(text, ps, pe)
    shortest, longest = settings.unnumbered_heading_length
    end = first_sentence_end(text, s, min(pe, s + longest + 1))      # no further: a longer one is no heading
    if not shortest <= end - s <= longest or (end < pe and text[end] != "。"):
        return None
    if pe - end - 1 < settings.unnumbered_heading_body or any(c in PUNCT for c in text[s:end]):
        return None
    return None if match_enumerator(text[s:s + 8]) is not None else (s, end)


# The score of a numbered enumeration in selection: above any series of alike openings (series_score).
NUMBERED_SCORE = 1.0


class _Lead(NamedTuple):
    start: int
    value: int
    style: str
    para_end: int
    marker: int         # characters of a marker set off by punctuation (第一，), which stays outside the branch


def enumerations(text: str, paras: list[tuple[int, int]], units_by_para: list[list[Unit]]) -> list[Parallelism]:
    """一是/二是, 第一/第二, 首先/其次/最后 leads, at the start of a paragraph, sentence, segment or clause
    (…的基本任务，一是…；二是…; 必须抓好三项工作：一要…。二要…).

    A branch runs from the enumerator to the next 。！？；; or to the next lead of its series, whichever
    comes first (一是甲，二是乙，三是丙). A marker set off by punctuation (第一，, 首先，) stays outside
    it, as the guideline asks; a word marker (一是, 一要) is inside.
    """
    out = []
    for group in _lead_groups(_leads(text, paras, units_by_para)):
        ends = [lead.start for lead in group[1:]] + [group[-1].para_end]
        branches = [_lead_branch(text, lead, end) for lead, end in zip(group, ends)]
        # counted leads outrank the enumerations read from alike openings (lead series) they cross
        out.append(Parallelism("enumeration", branches, score=NUMBERED_SCORE))
    return out


def _lead_branch(text: str, lead: _Lead, stop: int) -> tuple[int, int]:
    """The lead up to its first full stop or semicolon (or ``stop``), without a marker set off by
    punctuation (with it, when the marker stands alone in its paragraph)."""
    end = first_sentence_end(text, lead.start, min(lead.para_end, stop), "。！？!?；;")
    s, e = trim_span(text, lead.start + lead.marker, end)
    return (s, e) if e > s else trim_span(text, lead.start, end)


def _leads(text: str, paras: list[tuple[int, int]], units_by_para: list[list[Unit]]) -> list[_Lead]:
    """Every enumerator opening a unit that follows a boundary stronger than 、 (a series of leads
    counting up from one is rare by chance, wherever it stands). After a comma only numbered ones, and
    not 一方面: 首先…，然后… is a plain sequence of steps, 一方面…另一方面… a correlative pair (the rules
    read those)."""
    leads = []
    for k, ((_, pe), units) in enumerate(zip(paras, units_by_para)):
        before = SENTENCE
        for unit in units:
            head = text[unit.start:unit.start + 8]
            if before >= CLAUSE and head.lstrip(" \u3000\t")[:1] in _LEAD_FIRST:
                en = match_enumerator(head)
                if en is not None and en.is_lead and (before >= SEGMENT or (
                        en.style != "sequence" and not _aspect(text, unit.start, en))):
                    marker = en.length if text[unit.start + en.length - 1] in PUNCT else 0
                    # a marker alone on its line (一要⏎积极引入…。: a web page's bold marker copied as a line of
                    # its own) leads the line after it
                    end = paras[k + 1][1] if k + 1 < len(paras) and _alone(text, unit.start + en.length, pe) else pe
                    leads.append(_Lead(unit.start, en.value, en.style, end, marker))
            before = unit.boundary
    return leads


def _alone(text: str, start: int, end: int) -> bool:
    """Whether nothing but punctuation and spaces follows ``start`` up to ``end``."""
    s, e = trim_span(text, start, end)
    return e <= s


def _aspect(text: str, start: int, en) -> bool:
    """Whether the enumerator at ``start`` is 一方面 (and the like: 第一方面)."""
    return text.startswith("方面", start + en.length - 2)


def _lead_groups(leads: list[_Lead]) -> list[list[_Lead]]:
    """Leads of one style counting up from 1 (a ``sequence`` style, 首先/其次/最后, only rising)."""
    groups: list[list[_Lead]] = []
    cur: list[_Lead] = []
    for lead in leads:
        if cur and cur[-1].style == lead.style and (
                lead.value == cur[-1].value + 1 or (lead.style == "sequence" and lead.value > cur[-1].value)):
            cur.append(lead)
            continue
        if len(cur) >= 2:
            groups.append(cur)
        cur = [lead] if lead.value == 1 else []
    if len(cur) >= 2:
        groups.append(cur)
    return groups
