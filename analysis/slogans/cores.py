"""Core forms: a candidate written with a leading verb of administration (构建新发展格局) or a trailing
head noun (一带一路建设) is counted as its core (新发展格局, 一带一路); the attached form is kept to show
as a variant."""
from __future__ import annotations

from analysis.slogans.candidates import Candidate
from analysis.slogans.shapes import pos_tags, strip_leading_verb, trailing_head

# Signals that rest on the exact wording (quoted, numbered, an enumeration's members): such a form is
# kept as written, never cut.
_EXACT = {"quoted", "enumeration", "lexicon"}


def fold_cores(cands: dict[str, Candidate]) -> dict[str, Candidate]:
    """Return the candidates with verb-led forms replaced by their cores and head-trailed forms folded
    into a core that is a candidate too; each folded form joins its core's ``attached`` forms.

    A core that is not yet a candidate becomes one with the folded form's signals. Order: first seen first.
    """
    out: dict[str, Candidate] = {}
    for form, c in cands.items():
        core = form if c.signals & _EXACT else strip_leading_verb(form)
        if core == form:
            out.setdefault(form, c)
            if out[form] is not c:      # a core made earlier from a verb-led form: merge the found one in
                _merge(out[form], c)
            continue
        target = out.get(core) or cands.get(core)
        if target is None:
            target = Candidate(core, signals=set(c.signals), cohesion=c.cohesion)
        out.setdefault(core, target)
        _merge(out[core], c)
        out[core].attached.add(form)
    for form in sorted(out, key=len, reverse=True):    # longest first: 科教兴国战略建设 → … → 科教兴国
        c = out.get(form)
        if c is None or c.signals & _EXACT:
            continue
        core = _attached_core(form, out)
        if core:
            _merge(out[core], c)
            out[core].attached.add(form)
            del out[form]
    return out


def _attached_core(form: str, cands: dict) -> str:
    """The candidate ``form`` is made of plus a trailing head (一带一路建设) or a leading verb or adverb
    word (发展 + 新质生产力, by jieba's POS); "" if none."""
    head = trailing_head(form)
    if head and form[:-len(head)] in cands:
        return form[:-len(head)]
    tags = pos_tags()
    for k in (2, 1):
        if len(form) - k >= 3 and form[k:] in cands and (tags.get(form[:k]) or "").startswith(("v", "d")):
            return form[k:]
    return ""


def _merge(into: Candidate, other: Candidate) -> None:
    """Give ``into`` the signals, variants and attached forms of ``other`` (a spelling of the same slogan)."""
    if into is other:
        return
    into.signals |= other.signals
    into.variants |= other.variants
    into.attached |= other.attached
    into.quoted += other.quoted
    if into.cohesion is None:
        into.cohesion = other.cohesion
