"""Nesting: a form mostly used inside a longer slogan becomes its variant; an enumeration written
without 、 is its variant too."""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Optional

import numpy as np
import pandas as pd

from analysis.slogans.candidates import Candidate
from analysis.slogans.occurrences import Occurrences, find_all
from analysis.slogans.settings import DEFAULT_SETTINGS, SloganSettings


def resolve_nesting(cands: dict[str, Candidate], occ: Occurrences, texts: list[str], memo: Optional[dict] = None,
                    *, settings: SloganSettings = DEFAULT_SETTINGS) -> dict[str, Candidate]:
    """Fold a form into a longer slogan when ``nest_share`` of its occurrences lie inside it.

    Returns the candidates left, the folded forms added to the longer one's
    variants. ``occ`` must hold every candidate form; ``memo`` is passed to
    :func:`_free_extensions`.
    """
    sel = np.flatnonzero(occ.ids(cands)[occ.fid])
    total_arr = np.bincount(occ.fid[sel], minlength=len(occ.forms))
    total = Counter({occ.forms[i]: int(n) for i, n in enumerate(total_arr) if n})
    inside = _inside_counts(occ, sel)
    out = {f: c for f, c in cands.items() if _keeps_signals(c, total[f], settings.quoted_share)}
    for f in _free_extensions(out, total, inside, texts, memo, share=settings.phrase_rest_share):
        del out[f]
    for short in sorted(out, key=len):
        if short not in out or not inside[short]:
            continue
        longer, n = inside[short].most_common(1)[0]
        if longer in out and n >= settings.nest_share * total[short] and "lexicon" not in cands[short].signals:
            out[longer].variants.add(short)
            out[longer].variants |= cands[short].variants
            del out[short]
    return out


def _inside_counts(occ: Occurrences, sel: np.ndarray) -> dict[str, Counter]:
    """``inside[short][longer]``: how often an occurrence of ``short`` lies inside one of ``longer``.

    Each Counter is filled in the order a scan of the corpus meets the pairs
    (by the longer occurrence's end, longest first, then the shorter's
    start), so that a tie in ``most_common`` goes to the pair met first.
    """
    inside: dict[str, Counter] = defaultdict(Counter)
    if not len(sel):
        return inside
    order = sel[np.lexsort((-occ.gend[sel], occ.gstart[sel]))]  # by start, the longer first
    s, e = occ.gstart[order], occ.gend[order]
    outer, inner = [], []
    a, lag = np.arange(len(order)), 0
    while len(a):   # pair each occurrence with the ones starting 1, 2, … places later, while inside its span
        lag += 1
        a = a[a + lag < len(order)]
        a = a[s[a + lag] < e[a]]
        hit = a[e[a + lag] <= e[a]]
        outer.append(order[hit])
        inner.append(order[hit + lag])
    if not outer:
        return inside
    outer, inner = np.concatenate(outer), np.concatenate(inner)
    met = np.lexsort((occ.gend[inner], occ.gstart[inner], -occ.length[occ.fid[outer]], occ.gend[outer]))
    pairs = pd.DataFrame({"short": occ.fid[inner[met]], "long": occ.fid[outer[met]]})
    counts = pairs.groupby(["short", "long"], sort=False).size()
    for (short, long), n in counts.items():
        inside[occ.forms[short]][occ.forms[long]] = int(n)
    return inside


def _free_extensions(cands: dict[str, Candidate], total: Counter, inside: dict, texts: list[str],
                     memo: Optional[dict], *, share: float) -> set[str]:
    """Cohesive forms that are another candidate plus a free word (实现 + 四个…): phrases, not terms.

    ``memo``: as for :func:`find_all`, which counts the free words in ``texts``.

    A longer form ``L = rest + S`` (or ``S + rest``) is a phrase when ``S``
    is used with it in less than ``share`` of its uses and so is ``rest`` (中国特色 + 社会主义 stays:
    中国特色 is mostly followed by 社会主义).
    """
    pairs = []
    for short, longers in inside.items():
        for longer in longers:
            if short in cands and longer in cands and cands[longer].signals == {"cohesive"}:
                if total[longer] < share * total[short]:
                    rest = (longer[len(short):] if longer.startswith(short)
                            else longer[:-len(short)] if longer.endswith(short) else "")
                    if rest:
                        pairs.append((longer, rest))
    if not pairs:
        return set()
    rests = sorted({rest for _, rest in pairs})
    flats = find_all(rests, texts, memo)
    rest_total = np.bincount(np.concatenate([f[1::2] for f in flats] or [np.zeros(0, np.int64)]),
                             minlength=len(rests))
    rest_total = dict(zip(rests, rest_total.tolist()))
    return {longer for longer, rest in pairs if total[longer] < share * rest_total[rest]}


def _keeps_signals(c: Candidate, occurrences: int, quoted_share: float) -> bool:
    """Drop the quoted signal where quotes are rare (scare quotes on a common word); return whether any
    signal is left."""
    if "quoted" in c.signals and c.quoted < quoted_share * occurrences:
        c.signals.discard("quoted")
        if c.signals == {"enumeration"} and not c.enumerated:
            c.signals.discard("enumeration")
    return bool(c.signals)


def joined_forms(cands: dict[str, Candidate]) -> dict[str, Candidate]:
    """The 、-less spelling of every enumeration (不忘…牢记… written without 、), to the candidate it spells."""
    return {c.form.replace("、", "").replace("，", ""): c for c in cands.values() if c.members}


def joined_variants(wanted: dict[str, Candidate], occ: Occurrences) -> None:
    """Add the joined spellings the text has (counted leftmost-longest among themselves) as variants."""
    if not wanted:
        return
    for i in set(occ.fid[occ.longest(occ.ids(wanted))].tolist()):
        wanted[occ.forms[i]].variants.add(occ.forms[i])

