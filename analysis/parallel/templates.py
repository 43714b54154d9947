"""Templates: the words every branch shares kept, the rest turned into slots 〈A〉〈B〉…; and families.

The family is the template with the slot letters unified and punctuation
normalised, so one frame counts as one family across documents.
"""
from __future__ import annotations

import re

from analysis.parallel.matching import common_prefix, common_suffix, fillers, shared_words
from analysis.segment import Segmenter

SLOT_NAMES = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

_PUNCT_NORM = str.maketrans({"；": "，", ";": "，", ",": "，", "：": "，", ":": "，", "。": "，",
                             "！": "，", "？": "，", "!": "，", "?": "，"})


def template(text: str, branches: list[tuple[int, int]], seg: Segmenter) -> tuple[str, list[list[str]], str]:
    """The branches' template, what fills its slots in each branch, and its family."""
    words = [[w for w, _, _ in seg.tokens(text[s:e])] for s, e in branches]
    anchors = shared_words(words)
    per_branch = [fillers(w, anchors) for w in words]
    # a slot stands before, between or after the anchors wherever any branch fills that gap
    slot_gaps = [g for g in range(len(anchors) + 1) if any(row[g] for row in per_branch)]
    letters = {g: SLOT_NAMES[i % len(SLOT_NAMES)] for i, g in enumerate(slot_gaps)}
    pieces: list[str] = []
    filled: list[list[str]] = [[] for _ in per_branch]
    for g in range(len(anchors) + 1):
        if g in letters:
            # characters every filler shares at its edges belong to the frame (规范化/科学化 -> 〈〉化)
            col = [row[g] for row in per_branch]
            head = shared_edge(col, prefix=True)
            tail = shared_edge([c[len(head):] for c in col], prefix=False)
            pieces.append(f"{head}〈{letters[g]}〉{tail}")
            for i, c in enumerate(col):
                filled[i].append(c[len(head):len(c) - len(tail)])
        if g < len(anchors):
            pieces.append(anchors[g])
    frame = "".join(pieces)
    return frame, filled, family(frame)


def shared_edge(col: list[str], *, prefix: bool) -> str:
    """Longest prefix (or suffix) all strings share while leaving each at least one character."""
    if not col or any(not c for c in col):
        return ""
    edge = common_prefix if prefix else common_suffix
    n = min(len(c) for c in col) - 1
    for c in col[1:]:
        n = min(n, edge(col[0], c))
    if n <= 0:
        return ""
    return col[0][:n] if prefix else col[0][len(col[0]) - n:]


def family(template: str) -> str:
    """The template with slot letters unified, adjacent slots merged and punctuation normalised."""
    fam = re.sub(r"〈[A-Z]〉", "〈〉", template).translate(_PUNCT_NORM)
    fam = re.sub(r"(〈〉)+", "〈〉", fam)
    fam = re.sub(r"[\s\u3000]+", "", fam)
    return fam
