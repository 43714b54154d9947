"""Abbreviations linked to what they stand for: the ``slogan_links`` table.

Two sources. The lexicon's entries with members (四个意识 → 政治意识、大局意识、
核心意识、看齐意识; 双创 → 大众创业、万众创新). And the texts themselves, where a
numbered formulation is spelled out at once: “六稳”（稳就业、稳金融、…）,
四个现代化，即农业、工业、国防和科学技术的现代化. A spelled-out list counts only
when it has as many items as the number says, and only for a formulation the
slogan stage kept, so 两个方面：… or a stray numeral never makes a link.

Every member is counted in the clean texts (all its occurrences, also inside
longer formulations), so the abbreviation's page can list its members with
their counts whether or not a member is a slogan of its own.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

import ahocorasick  # pyahocorasick: every form's occurrences in one pass over each text
import pandas as pd

from analysis import schema

# The numerals a numbered formulation starts with, and what they count.
NUMERALS = {"两": 2, "二": 2, "双": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
LEXICON, TEXT = "lexicon", "text"
# A member spelled out in a text: no longer than this (a longer "item" is a clause, not a member).
MAX_MEMBER_CHARS = 16

# numeral (+ 个/项/大 …) + a short head, in quotes or not, an optional 工作/战略 …, then 即 / ： / （ / —— and
# the items up to the next clause break.
_SPELLED_OUT = re.compile(
    r"(?<![第一二三四五六七八九十百千万两0-9])[“\"]?"
    r"(?P<abbr>[两二双三四五六七八九十](?:个|项|大|条|种)?[\u4e00-\u9fff]{1,6}?)[”\"]?"
    r"(?:工作|要求|方针|战略|原则|任务)?(?:[，,]?即|[：:]|[（(](?:即|指)?|——)"
    r"(?P<items>[^，,。；;：:！？!?\n（）()“”\"]{3,200})")
_LAST_JOIN = re.compile(r"(?:以及|和|与|及)")


def link_rows(entries: Iterable, texts: list[str], doc_ids: list[str], slogans: Optional[set[str]] = None
              ) -> pd.DataFrame:
    """The ``slogan_links`` table: lexicon links, then links spelled out in ``texts`` (clean texts, one a
    document, ids in ``doc_ids``) for abbreviations in ``slogans``. A group is kept where the corpus shows
    its abbreviation or every one of its members; each member carries its count and number of documents."""
    groups = lexicon_groups(entries) + text_groups(texts, doc_ids, slogans or set())
    found = occurrence_counts([form for a, members, _, _ in groups for form in (a, *members)], texts)
    rows, seen = [], set()
    for abbreviation, members, source, where in groups:
        counts = [(m, *found.get(m, (0, 0))) for m in members]
        # kept where the corpus shows the abbreviation, or every one of its members
        if (abbreviation, source) in seen or not (found.get(abbreviation, (0, 0))[0]
                                                  or all(n for _, n, _ in counts)):
            continue
        seen.add((abbreviation, source))
        doc_id, start = where
        for position, (member, n, docs) in enumerate(counts, 1):
            rows.append({"abbreviation": abbreviation, "member": member, "position": position, "source": source,
                         "count": n, "documents": docs, "doc_id": doc_id, "start": start})
    table = pd.DataFrame(rows, columns=schema.table("slogan_links").names)
    return table.astype({"position": "int64", "count": "int64", "documents": "int64", "start": "Int64"})


def lexicon_groups(entries: Iterable) -> list[tuple]:
    """``(abbreviation, members, "lexicon", ("", None))`` for every entry with members or an abbreviation,
    in lexicon order.

    An entry with an abbreviation links it to its full form first, then to the members (双创 →
    大众创业、万众创新, 大众创业, 万众创新), so that the full form's page links back to the abbreviation too."""
    out = []
    for e in entries:
        full = [e.canonical] if e.abbreviation else []
        if e.members or e.abbreviation:
            out.append((e.head, full + list(e.members), LEXICON, ("", None)))
    return out


def text_groups(texts: list[str], doc_ids: list[str], slogans: set[str]) -> list[tuple]:
    """``(abbreviation, members, "text", (doc_id, start))`` for the first place each slogan in ``slogans``
    is spelled out in ``texts`` with as many items as its number says."""
    found: dict[str, tuple] = {}
    for text, doc_id in zip(texts, doc_ids):
        for m in _SPELLED_OUT.finditer(text):
            abbreviation = m.group("abbr")
            # one number only: 三自一包 or 三去一降一补 count several things, and their items cannot be checked
            if abbreviation in found or abbreviation not in slogans or _numbers(abbreviation) != 1:
                continue
            members = spelled_out(m.group("items"), NUMERALS[abbreviation[0]])
            if members:
                found[abbreviation] = (abbreviation, members, TEXT, (doc_id, m.start("abbr")))
    return list(found.values())


def spelled_out(items: str, n: int) -> list[str]:
    """The ``n`` members of an enumeration (a、b、c和d), or ``[]`` when it does not hold exactly ``n``."""
    parts = [p.strip() for p in items.split("、")]
    if len(parts) >= 2 and len(parts) < n:   # the last two joined by 和/与/及 (农业、工业、国防和科学技术)
        tail = _LAST_JOIN.split(parts[-1], maxsplit=1)
        parts = parts[:-1] + [t.strip() for t in tail]
    if len(parts) != n or not all(2 <= len(p) <= MAX_MEMBER_CHARS for p in parts) or len(set(parts)) < n:
        return []
    return parts


def _numbers(form: str) -> int:
    """How many numerals ``form`` holds (三自一包: 2)."""
    return sum(1 for ch in form if ch in NUMERALS or ch == "一")


def occurrence_counts(forms: Iterable[str], texts: list[str]) -> dict[str, tuple[int, int]]:
    """``(occurrences, documents)`` of each of ``forms`` (the empty form left out) in ``texts``: every
    place, also inside longer words, counted as ``str.count`` counts (leftmost first, one occurrence
    never overlapping the last one counted). One Aho–Corasick pass over each text for all forms, where
    a ``count`` per form and text read the whole corpus once for every form."""
    forms = sorted({f for f in forms if f})
    if not forms:
        return {}
    automaton = ahocorasick.Automaton()
    for i, form in enumerate(forms):
        automaton.add_word(form, i)
    automaton.make_automaton()
    lengths = [len(f) for f in forms]
    total, documents = [0] * len(forms), [0] * len(forms)
    for text in texts:
        free: dict[int, int] = {}   # per form: where its next occurrence may start (after the last counted)
        for last, i in automaton.iter(text):       # by end, so by start for any one form
            start = last - lengths[i] + 1
            if start >= free.get(i, 0):
                free[i] = last + 1
                total[i] += 1
        for i in free:
            documents[i] += 1
    return {form: (total[i], documents[i]) for i, form in enumerate(forms)}
