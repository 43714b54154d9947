"""Selection: keep the best candidates, drop duplicates and crossing ones, nest the contained."""
from __future__ import annotations

import bisect
from typing import Callable, Optional, TypeVar

from analysis.parallel.types import Parallelism

P = TypeVar("P", bound=Parallelism)

# Frames outrank any run, whatever its score.
_PRIORITY = {"heading": 3, "enumeration": 2}


def select(cands: list[P], flat: Optional[Callable[[P], bool]] = None) -> list[P]:
    """The kept candidates, ordered by start (outermost first), each with its nesting ``level`` set.

    Where ``flat`` holds for either of two candidates, only a phrase list may nest inside a branch of
    the other (default: any may nest).
    """
    best: dict[tuple, P] = {}          # the same branches found twice: the higher rank (then the first) stays
    for c in cands:
        key = tuple(c.branches)
        if key not in best or _rank(c) > _rank(best[key]):
            best[key] = c
    uniq = list(best.values())
    uniq.sort(key=lambda c: (-_PRIORITY.get(c.kind, 0), -c.score, -(c.end - c.start)))
    kept: list[P] = []      # ordered by start, so only those near a candidate are compared with it
    starts: list[int] = []
    ends: list[int] = []    # the ends of ``kept``, read without a property call per comparison
    longest = 0
    for c in uniq:
        start, end = c.start, c.end
        lo = bisect.bisect_left(starts, start - longest)
        hi = bisect.bisect_left(starts, end)
        if not any(e > start and _clash(c, k, flat) for e, k in zip(ends[lo:hi], kept[lo:hi])):
            i = bisect.bisect_right(starts, start)
            starts.insert(i, start)
            ends.insert(i, end)
            kept.insert(i, c)
            longest = max(longest, end - start)
    kept.sort(key=lambda c: (c.start, -c.end))
    _set_levels(kept)
    return kept


def _rank(c: Parallelism) -> tuple[int, float]:
    return _PRIORITY.get(c.kind, 0), c.score


def _clash(c: Parallelism, k: Parallelism, flat) -> bool:
    """Whether two overlapping candidates cannot both be kept: their branches overlap and neither
    lies inside a branch of the other (where ``flat`` holds for either, only phrase lists may lie inside)."""
    if (_inside_branch(c, k) or _inside_branch(k, c)) and (
            "phrase" in (c.kind, k.kind) or flat is None or not (flat(c) or flat(k))):
        return False
    return _branches_overlap(c, k)


def _set_levels(kept: list[Parallelism]) -> None:
    """Set each parallelism's ``level``: how many others hold it inside one of their branches.

    ``kept`` is ordered by start; only those still open where a parallelism starts can hold it.
    """
    open_: list[Parallelism] = []
    for i, c in enumerate(kept):
        if i == 0 or kept[i - 1].start != c.start:
            open_ = [k for k in open_ if k.end > c.start]
            j = i
            while j < len(kept) and kept[j].start == c.start:
                open_.append(kept[j])
                j += 1
        c.level = sum(1 for k in open_ if k is not c and c.end <= k.end and _inside_branch(c, k))


def _branches_overlap(a: Parallelism, b: Parallelism) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a.branches for s2, e2 in b.branches)


def _inside_branch(inner: Parallelism, outer: Parallelism) -> bool:
    return any(s <= inner.start and inner.end <= e for s, e in outer.branches)
