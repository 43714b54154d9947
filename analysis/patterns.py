"""Patterns: parallel structures of each document in raw offsets, and the tables built from them.

:func:`find_document_parallelisms` runs the detector (``analysis.parallel``)
on a document's cleaned text and maps every branch back to the raw text.
:func:`pattern_tables` turns all documents' results into the tables the site
reads: ``parallelisms``, ``branches``, ``templates``, ``template_years`` and ``template_slots``.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Optional

import numpy as np
import pandas as pd

from analysis.document import AnalyzedDocument
from analysis.parallel import find_parallelisms
from analysis.parallel.templates import MARKER, SLOT_NAMES, family_fillers, family_name, is_list_group, list_group
from analysis.schema import table
from analysis.segment import Segmenter


@dataclass(frozen=True)
class FoundParallelism:
    """One parallelism of a document: branches as raw ``(start, end)``, with its frame."""

    kind: str
    level: int
    family: str
    template: str
    branches: tuple[tuple[int, int], ...]
    fillers: tuple[tuple[str, ...], ...]


def find_document_parallelisms(a: AnalyzedDocument, segmenter: Optional[Segmenter] = None) -> list[FoundParallelism]:
    """Detect the parallelisms of one analysed document; return them with raw offsets."""
    found = find_parallelisms(a.clean.text, paragraphs=a.paragraphs, segmenter=segmenter)
    return [FoundParallelism(
        # no family: a plain list, counted in its kind's list group
        kind=p.kind, level=int(p.level), family=p.family or list_group(p.kind), template=p.template,
        branches=tuple(a.clean.to_raw(s, e) for s, e in p.branches),
        fillers=tuple(tuple(f) for f in p.fillers)) for p in found]


def pattern_tables(analyzed: Iterable[AnalyzedDocument], documents: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Return the ``parallelisms``, ``branches``, ``templates``, ``template_years`` and ``template_slots`` tables."""
    p_names, b_names = table("parallelisms").names, table("branches").names
    p_cols: dict[str, list] = {c: [] for c in p_names}
    b_cols: dict[str, list] = {c: [] for c in b_names}
    for a in analyzed:
        _add_rows(a, p_cols, b_cols)
    # built column by column (no dict per row); an empty table keeps the object columns it always had
    parallelisms = pd.DataFrame(p_cols if p_cols["id"] else [], columns=p_names)
    parallelisms["year"] = parallelisms["year"].astype("Int64")
    branches = pd.DataFrame(b_cols if b_cols["parallelism"] else [], columns=b_names)
    # each parallelism's branch texts, read once for both the slot fillers and the examples
    texts = branch_texts(branches)
    slots = family_slots(parallelisms, texts)
    return {"parallelisms": parallelisms, "branches": branches,
            "templates": templates_table(parallelisms, texts, slots),
            "template_years": template_years_table(parallelisms, documents),
            "template_slots": template_slots_table(slots)}


def _add_rows(a: AnalyzedDocument, p_cols: dict[str, list], b_cols: dict[str, list]) -> None:
    """Append one document's rows to the parallelisms' and the branches' columns."""
    doc_id, year, raw = a.doc_id, a.doc.year, a.doc.raw
    for n, p in enumerate(a.parallelisms):
        pid, k = f"{doc_id}#{n}", len(p.branches)
        row = {"id": pid, "doc_id": doc_id, "year": year, "kind": p.kind, "level": p.level, "family": p.family,
               "template": p.template, "branches": k, "start": p.branches[0][0], "end": p.branches[-1][1]}
        for c, values in p_cols.items():
            values.append(row[c])
        rows = {"parallelism": [pid] * k, "index": range(k), "doc_id": [doc_id] * k,
                "start": [s for s, _ in p.branches], "end": [e for _, e in p.branches],
                "text": [raw[s:e] for s, e in p.branches],
                "fillers": [" | ".join(p.fillers[i]) if i < len(p.fillers) else "" for i in range(k)]}
        for c, values in b_cols.items():
            values.extend(rows[c])


def family_slots(parallelisms: pd.DataFrame, texts: dict[str, list[str]]) -> dict[str, list[Counter]]:
    """Per family or list group, how often each filler fills each of its slots (``texts``: see
    :func:`branch_texts`)."""
    if not len(parallelisms):
        return {}
    return {f: slot_counts(f, not is_list_group(f), [texts.get(i, []) for i in ids])
            for f, ids in by_family(parallelisms, "id").items()}


def by_family(parallelisms: pd.DataFrame, column: str) -> dict[str, list]:
    """Per family (sorted), the values of ``column`` in row order: a groupby's ``agg(list)``, as a plain
    pass over the rows (pandas calls a Python function per group, ten times slower)."""
    out: dict[str, list] = {}
    for family, value in zip(parallelisms["family"].tolist(), parallelisms[column].tolist()):
        out.setdefault(family, []).append(value)
    return {f: out[f] for f in sorted(out)}


def template_slots_table(slots: dict[str, list[Counter]], *, top: int = 12) -> pd.DataFrame:
    """The commonest fillers of every slot of every family: one row per (family, slot, filler)."""
    rows = [(f, SLOT_NAMES[i], w, n) for f, counts in slots.items() for i, c in enumerate(counts)
            for w, n in c.most_common(top)]
    schema = table("template_slots")
    if not rows:
        return schema.empty()
    return pd.DataFrame(rows, columns=schema.names).astype({"count": "int64"})


def templates_table(parallelisms: pd.DataFrame, texts: dict[str, list[str]],
                    slots: dict[str, list[Counter]]) -> pd.DataFrame:
    """One row per template family or list group: its name, counts, years, two examples and slot fillers
    (``texts`` from :func:`branch_texts`, ``slots`` from :func:`family_slots`)."""
    schema = table("templates")
    if not len(parallelisms):
        return schema.empty()
    grouped = parallelisms.groupby("family", sort=True)
    df = pd.DataFrame({
        "template": _commonest(parallelisms, "template"), "kind": _commonest(parallelisms, "kind"),
        "count": grouped.size(), "branches": grouped["branches"].sum(),
        "documents": grouped["doc_id"].nunique(),
        "first_year": grouped["year"].min(), "last_year": grouped["year"].max()})
    df.index.name = "family"
    df = df.reset_index()
    df["framed"] = [not is_list_group(f) for f in df["family"]]
    df["name"] = [family_name(f) if framed else f for f, framed in zip(df["family"], df["framed"])]
    # meaningful characters of the frame (the ordinal marker aside): 0 for a list group
    df["anchors"] = [len(re.findall(r"[\u3400-\u9fff]", f.replace(MARKER, ""))) if framed else 0
                     for f, framed in zip(df["family"], df["framed"])]
    ids_by, docs_by = by_family(parallelisms, "id"), by_family(parallelisms, "doc_id")
    picks = {f: _example_ids(ids_by[f], docs_by[f], texts) for f in ids_by}
    for n, col in ((0, "example"), (1, "example_2")):
        df[f"{col}_id"] = [picks[f][n] for f in df["family"]]
        df[col] = [" ／ ".join(texts.get(i, [])) for i in df[f"{col}_id"]]
    df["slots"] = [slot_summary(slots.get(f, [])) for f in df["family"]]
    df = df[schema.names].sort_values(["count", "family"], ascending=[False, True])
    for c in ("first_year", "last_year"):
        df[c] = df[c].astype("Int64")
    return df.reset_index(drop=True)


def _example_ids(ids: list[str], docs: list[str], texts: dict[str, list[str]]) -> tuple[str, str]:
    """Two examples: the family's first parallelism and the first from another document that reads
    differently (reports repeat whole passages year after year); else any other."""
    first = texts.get(ids[0])
    other = next((i for i, d in zip(ids, docs) if d != docs[0] and texts.get(i) != first),
                 next((i for i in ids[1:] if texts.get(i) != first), ids[1] if len(ids) > 1 else ""))
    return ids[0], other


def branch_texts(branches: pd.DataFrame) -> dict[str, list[str]]:
    """Each parallelism's branch texts in order, white space taken out (a plain pass over the rows:
    a groupby with a Python join per group costs several times more)."""
    texts: dict[str, list[str]] = {}
    for pid, text in zip(branches["parallelism"].tolist(), branches["text"].tolist()):
        texts.setdefault(pid, []).append(re.sub(r"\s+", "", text))
    return texts


def slot_counts(family: str, framed: bool, parallelisms: list[list[str]]) -> list[Counter]:
    """How often each filler fills each slot of ``family``, over the branch texts of its parallelisms;
    a list group has one slot, the whole branch."""
    counts: list[Counter] = []
    for texts in parallelisms:
        for text in texts:
            slots = family_fillers(family, text) if framed else [text]
            for i, filler in enumerate(slots or []):
                if len(counts) <= i:
                    counts.append(Counter())
                if filler:
                    counts[i][filler] += 1
    return counts


def slot_summary(counts: list[Counter], *, top: int = 4) -> str:
    """The commonest fillers of each slot, e.g. "〈A〉：改革×3、发展×2；〈B〉：…"."""
    parts = []
    for letter, c in zip(SLOT_NAMES, counts):
        common = "、".join(f"{w}×{n}" if n > 1 else w for w, n in c.most_common(top))
        parts.append(f"〈{letter}〉：{common or '—'}")
    return "；".join(parts)


def _commonest(parallelisms: pd.DataFrame, column: str) -> pd.Series:
    """Per family (the index, sorted), the commonest value of ``column`` (ties: the one that appears first)."""
    fam, families = pd.factorize(parallelisms["family"], sort=True)
    val, _ = pd.factorize(parallelisms[column])
    width = int(val.max()) + 1
    # one code per (family, value): its uses and first row, without a two-key groupby
    pair, first, uses = np.unique(fam.astype(np.int64) * width + val, return_index=True, return_counts=True)
    owner = pair // width
    order = np.lexsort((first, -uses, owner))           # per family: most uses, then first seen
    best = order[np.r_[True, owner[order][1:] != owner[order][:-1]]]
    out = parallelisms[column].iloc[first[best]]
    out.index = pd.Index(families[owner[best]], name="family")
    return out


def template_years_table(parallelisms: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Per family and year: count and rate per 10,000 characters.

    Only years that have documents appear; a year with documents but no use
    of the family has count 0, a year without documents has no row (a gap).
    """
    schema = table("template_years")
    dated = documents.dropna(subset=["year"])
    if not len(parallelisms) or not len(dated):
        return schema.empty()
    chars = dated.groupby("year")["characters"].sum()
    counts = parallelisms.dropna(subset=["year"]).groupby(["family", "year"]).size()
    # A timeline only says something for a frame used in more than one document.
    spread = parallelisms.groupby("family")["doc_id"].nunique()
    families = sorted(spread[spread >= 2].index)
    if not families:
        return schema.empty()
    counts = counts[counts.index.get_level_values("family").isin(families)]
    index = pd.MultiIndex.from_product([families, chars.index], names=["family", "year"])
    df = counts.reindex(index, fill_value=0).rename("count").reset_index()
    df["characters"] = df["year"].map(chars).astype(int)
    df["rate_per_10k"] = (df["count"] / df["characters"] * 10_000).round(4)
    df["year"] = df["year"].astype("Int64")
    return df[schema.names]
