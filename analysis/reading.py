"""The annotated reading view: a paragraph's raw text with its spans marked as HTML.

Spans (slogan hits, parallelism branches) are raw offsets, so the view walks
the raw characters of the paragraph itself: no offset map is needed, and a
highlight always lands on the characters the tables name. Line breaks and
indentation inside the paragraph are skipped for display only.

Overlapping and nested spans are rendered flat: the text is cut at every
span boundary and each piece carries the classes of every span over it, so
the HTML is always well nested.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional


_HIDDEN = "\n\r\u3000\u200b\u200c\u200d\u2060\ufeff"
_DROP_HIDDEN = {ord(c): None for c in _HIDDEN}
# A paragraph is a raw HTML block, which Markdown passes through as it is (and the site stage sets it aside
# while mkdocs builds, see analysis.fragments): only HTML's own characters need escaping in it.
_HTML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


@dataclass(frozen=True)
class Mark:
    """A span to mark: raw ``[start, end)``, CSS classes, optional link, tooltip and anchor id."""

    start: int
    end: int
    classes: str
    href: Optional[str] = None
    title: Optional[str] = None
    anchor: Optional[str] = None   # id placed where the span starts (KWIC links land here)


def render(raw: str, start: int, end: int, marks: Iterable[Mark], tips: Optional[dict[str, int]] = None) -> str:
    """Return HTML for ``raw[start:end]`` with ``marks`` applied (text escaped, hidden characters dropped).

    A piece's tooltip (the titles of the marks over it) is its ``title`` attribute, or with ``tips`` its
    number there (``data-t="3"``, added to ``tips`` if new): the page lists each tooltip once and
    ``javascripts/reading.js`` puts it back. A report repeats a branch's tooltip on every piece of it,
    1.8 of the 9 MB of the work reports' document pages.
    """
    marks = sorted((m for m in marks if m.end > start and m.start < end), key=lambda m: (m.start, -m.end))
    cuts = sorted({start, end, *(max(start, m.start) for m in marks), *(min(end, m.end) for m in marks)})
    out = []
    anchored: dict[int, list[Mark]] = {}
    for m in marks:
        if m.anchor and start <= m.start < end:
            anchored.setdefault(m.start, []).append(m)
    waiting: list[Mark] = []     # marks whose anchor is not placed yet (a piece of hidden characters only)
    for a, b in zip(cuts, cuts[1:]):
        waiting += anchored.get(a, [])
        text = raw[a:b].translate(_DROP_HIDDEN)
        if not text:
            continue
        piece = text.translate(_HTML_ESCAPES)
        over = [m for m in marks if m.start <= a and m.end >= b]
        link = next((m for m in over if m.href), None)
        rest = [m for m in over if m is not link]
        link_id, span_id, spare = _place_anchors(waiting, link, rest)
        out.extend(_empty_anchor(x) for x in spare)
        waiting = []
        if link:
            piece = f'<a{link_id}{_link_attributes(link.href, link.classes)}>{piece}</a>'
        if rest:
            piece = f'<span{span_id}{_span_attributes(rest, tips)}>{piece}</span>'
        out.append(piece)
    out.extend(_empty_anchor(m.anchor) for m in waiting)
    return "".join(out)


@lru_cache(maxsize=4096)
def _link_attributes(href: str, classes: str) -> str:
    # a slogan's link repeats on every use of it: escaped once
    return f' href="{html.escape(href)}" class="{html.escape(classes)}"'


def _span_attributes(marks: list[Mark], tips: Optional[dict[str, int]]) -> str:
    """The class and tooltip attributes of a piece under ``marks``: every class and title once, in order;
    the tooltip as ``title``, or as its number in ``tips`` (see :func:`render`)."""
    classes = " ".join(dict.fromkeys(c for m in marks for c in m.classes.split()))
    titles = " ｜ ".join(dict.fromkeys(m.title for m in marks if m.title))
    if not titles:
        tip = ""
    elif tips is None:
        tip = f' title="{html.escape(titles)}"'
    else:
        tip = f' data-t="{tips.setdefault(titles, len(tips))}"'
    return f' class="{html.escape(classes)}"{tip}'


def _place_anchors(waiting: list[Mark], link: Optional[Mark], rest: list[Mark]) -> tuple[str, str, list[str]]:
    """Where the anchors of marks starting here go: `` id="…"`` for the link, the same for the span around
    the piece, and the anchors left for empty spans before it.

    An anchor is the id of its own mark's element, not an empty span before it: a report has hundreds,
    and every tag costs the static build a parse (and the page its bytes).
    """
    link_id = span_id = ""
    spare = []
    for m in waiting:
        if m is link and not link_id:
            link_id = f' id="{html.escape(m.anchor)}"'
        elif m in rest and not span_id:
            span_id = f' id="{html.escape(m.anchor)}"'
        else:
            spare.append(m.anchor)
    return link_id, span_id, spare


def _empty_anchor(anchor: str) -> str:
    return f'<span id="{html.escape(anchor)}" class="anchor"></span>'


def raw_end_of_visible(raw: str, start: int, end: int, visible: int) -> int:
    """Raw offset after the first ``visible`` displayed characters of ``raw[start:end]``."""
    seen = 0
    for i in range(start, end):
        if seen == visible:
            return i
        if raw[i] not in _HIDDEN:
            seen += 1
    return end
