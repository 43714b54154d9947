"""Candidates: the documents' evidence merged into one candidate per form, with the lexicon's entries."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional

from analysis.slogans.cohesion import Cohesion, cohesive_terms
from analysis.slogans.evidence import DocumentEvidence
from analysis.slogans.settings import DEFAULT_SETTINGS, SloganSettings
from analysis.slogans.shapes import is_numbered, is_numeric_noise, members

# The order signals are listed in a slogan's row.
KIND_ORDER = ("lexicon", "enumeration", "numbered", "quoted", "cohesive")
# The kind shown for a slogan: its most specific signal, in this order.
_KIND_PRIORITY = ("enumeration", "numbered", "quoted", "cohesive", "lexicon")


@dataclass
class Candidate:
    """One slogan form and the evidence gathered for it."""

    form: str
    signals: set[str] = field(default_factory=set)     # the kinds of evidence that found it (KIND_ORDER)
    members: list[str] = field(default_factory=list)   # an enumeration's members
    variants: set[str] = field(default_factory=set)    # other spellings counted as this slogan
    attached: set[str] = field(default_factory=set)    # the form with a leading verb or trailing head (shown)
    category: str = ""                                 # from the lexicon
    note: str = ""                                     # from the lexicon
    quoted: int = 0                                    # times it stands in quotation marks
    enumerated: bool = False                           # found as an enumeration in running text
    cohesion: Optional[Cohesion] = None                # its statistics, if found as a cohesive expression


def main_kind(signals: Iterable[str]) -> str:
    """The kind shown for a slogan: the most specific signal among those that found it."""
    sig = set(signals)
    return next((kind for kind in _KIND_PRIORITY if kind in sig), "cohesive")


def gather_candidates(evidence: list[DocumentEvidence], *,
                      settings: SloganSettings = DEFAULT_SETTINGS) -> dict[str, Candidate]:
    """Merge the documents' evidence into candidates; return them by form, in the order first seen."""
    cands: dict[str, Candidate] = {}

    def add(form: str, signal: str) -> Candidate:
        c = cands.get(form) or cands.setdefault(form, Candidate(form))
        c.signals.add(signal)
        return c

    counted: dict[str, list] = {}
    for ev in evidence:
        for term, n in ev.quoted.items():
            c = add(term, "enumeration" if "、" in term else "quoted")
            c.signals.add("quoted")
            c.quoted += n
            if "、" in term:
                c.members = term.split("、")
        for form in ev.numbered:
            add(form, "numbered")
        for phrase, (head, n) in ev.counted.items():
            counted.setdefault(phrase, [head, 0])[1] += n
    _add_counted(counted, add, settings)
    _add_enumerations([ev.enum_sites for ev in evidence], add, settings)
    for form, cohesion in cohesive_terms(evidence, settings=settings).items():
        add(form, "cohesive").cohesion = cohesion
    for form, c in cands.items():
        if is_numbered(form, settings=settings):
            c.signals.add("numbered")
    return cands


def _add_counted(counted: dict[str, list], add: Callable, settings: SloganSettings) -> None:
    """Keep numeral + 个/大 + head phrases that recur and whose head is not a counting noun.

    ``counted`` maps a phrase to ``[head, count]``. A head seen after
    ``counting_noun_numerals`` different numerals (两个方面, 三个方面, 四个方面)
    counts things; a formulation binds its head to one number.
    """
    numerals = defaultdict(set)
    for phrase, (head, _) in counted.items():
        numerals[head].add(phrase[:-len(head)])
    for phrase, (head, n) in counted.items():
        if (n >= settings.min_count and len(numerals[head]) < settings.counting_noun_numerals
                and not is_numeric_noise(phrase, settings=settings)):
            add(phrase, "numbered")


def _add_enumerations(sites: list[tuple], add: Callable, settings: SloganSettings) -> None:
    """Keep, per site, the enumeration length the corpus repeats most; add those that recur.

    ``sites`` holds, per document, one tuple of fitting forms per site.
    """
    freq = Counter(form for doc_sites in sites for forms in doc_sites for form in forms)
    docs = Counter(form for doc_sites in sites for form in {f for forms in doc_sites for f in forms})
    for doc_sites in sites:
        for forms in doc_sites:
            best = max(forms, key=lambda f: (freq[f], len(f)))
            if freq[best] >= settings.min_count and (docs[best] >= settings.enumeration_min_docs
                                                     or _parallel_shape(best)):
                c = add(best, "enumeration")
                c.members, c.enumerated = members(best), True


def _parallel_shape(form: str) -> bool:
    """True if the members share a character at the same position (大众创业、万众创新)."""
    parts = members(form)
    return any(len({m[k] for m in parts}) == 1 for k in range(len(parts[0])))


def add_lexicon(cands: dict[str, Candidate], lexicon) -> None:
    """Merge curated entries: canonical forms become candidates, variants are attached."""
    for entry in lexicon or []:
        c = cands.get(entry.canonical) or cands.setdefault(entry.canonical, Candidate(entry.canonical))
        c.signals.add("lexicon")
        c.variants.update(v for v in entry.variants if v != entry.canonical)
        c.category, c.note = entry.category, entry.note
        if "、" in entry.canonical:
            c.members = entry.canonical.split("、")
        for v in entry.variants:
            if v in cands and v != entry.canonical:
                c.signals |= cands.pop(v).signals - {"lexicon"}
