"""Patterns: parallel structures of each document in raw offsets, and the tables built from them.

:func:`find_document_parallelisms` runs the detector (``analysis.parallel``)
on a document's cleaned text and maps every branch back to the raw text.
:func:`pattern_tables` turns all documents' results into the tables the site
reads: ``parallelisms``, ``branches``, ``templates`` and ``template_years``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

import pandas as pd

from analysis.document import AnalyzedDocument
from analysis.parallel import find_parallelisms
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
        kind=p.kind, level=int(p.level), family=p.family, template=p.template,
        branches=tuple(a.clean.to_raw(s, e) for s, e in p.branches),
        fillers=tuple(tuple(f) for f in p.fillers)) for p in found]


def pattern_tables(analyzed: Iterable[AnalyzedDocument], documents: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Return the ``parallelisms``, ``branches``, ``templates`` and ``template_years`` tables."""
    analyzed = list(analyzed)
    p_rows, b_rows = [], []
    for a in analyzed:
        for n, p in enumerate(a.parallelisms):
            pid = f"{a.doc_id}#{n}"
            p_rows.append({"id": pid, "doc_id": a.doc_id, "year": a.doc.year, "kind": p.kind, "level": p.level,
                           "family": p.family, "template": p.template, "branches": len(p.branches),
                           "start": p.branches[0][0], "end": p.branches[-1][1]})
            for i, (s, e) in enumerate(p.branches):
                fillers = p.fillers[i] if i < len(p.fillers) else ()
                b_rows.append({"parallelism": pid, "index": i, "doc_id": a.doc_id, "start": s, "end": e,
                               "text": a.doc.raw[s:e], "fillers": " | ".join(fillers)})
    parallelisms = pd.DataFrame(p_rows, columns=["id", "doc_id", "year", "kind", "level", "family", "template",
                                                 "branches", "start", "end"])
    parallelisms["year"] = parallelisms["year"].astype("Int64")
    branches = pd.DataFrame(b_rows, columns=["parallelism", "index", "doc_id", "start", "end", "text", "fillers"])
    return {"parallelisms": parallelisms, "branches": branches,
            "templates": templates_table(parallelisms, branches),
            "template_years": template_years_table(parallelisms, documents)}


def templates_table(parallelisms: pd.DataFrame, branches: pd.DataFrame) -> pd.DataFrame:
    """One row per template family: its commonest template, an example, counts, first and last year."""
    cols = ["family", "template", "kind", "anchors", "example", "count", "documents", "first_year", "last_year"]
    if not len(parallelisms):
        return pd.DataFrame(columns=cols)
    by_family = parallelisms.groupby("family", sort=True)
    df = pd.DataFrame({
        "template": _commonest(parallelisms, "template"), "kind": _commonest(parallelisms, "kind"),
        "first_id": by_family["id"].first(), "count": by_family.size(),
        "documents": by_family["doc_id"].nunique(),
        "first_year": by_family["year"].min(), "last_year": by_family["year"].max()})
    df.index.name = "family"
    df = df.reset_index()
    # Characters the branches share outside the slots: 0 means a bare list with no common frame.
    df["anchors"] = df["family"].str.replace(r"〈[^〉]*〉|[^\w]", "", regex=True).str.len()
    # the example: the branches of the family's first parallelism, joined
    wanted = branches[branches["parallelism"].isin(set(df["first_id"]))]
    examples = wanted.groupby("parallelism", sort=False)["text"].agg(" ／ ".join)
    df["example"] = df["first_id"].map(examples).fillna("")
    df = df[cols].sort_values(["count", "family"], ascending=[False, True])
    for c in ("first_year", "last_year"):
        df[c] = df[c].astype("Int64")
    return df.reset_index(drop=True)


def _commonest(parallelisms: pd.DataFrame, column: str) -> pd.Series:
    """Per family, the commonest value of ``column`` (ties: the one that appears first)."""
    counts = (parallelisms.assign(order=range(len(parallelisms)))
              .groupby(["family", column], sort=False).agg(n=("order", "size"), first=("order", "min"))
              .reset_index().sort_values(["family", "n", "first"], ascending=[True, False, True]))
    return counts.drop_duplicates("family").set_index("family")[column]


def template_years_table(parallelisms: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Per family and year: count and rate per 10,000 characters.

    Only years that have documents appear; a year with documents but no use
    of the family has count 0, a year without documents has no row (a gap).
    """
    cols = ["family", "year", "count", "characters", "rate_per_10k"]
    dated = documents.dropna(subset=["year"])
    if not len(parallelisms) or not len(dated):
        return pd.DataFrame(columns=cols)
    chars = dated.groupby("year")["characters"].sum()
    counts = parallelisms.dropna(subset=["year"]).groupby(["family", "year"]).size()
    # A timeline only says something for a frame used in more than one document.
    spread = parallelisms.groupby("family")["doc_id"].nunique()
    families = sorted(spread[spread >= 2].index)
    if not families:
        return pd.DataFrame(columns=cols)
    counts = counts[counts.index.get_level_values("family").isin(families)]
    index = pd.MultiIndex.from_product([families, chars.index], names=["family", "year"])
    df = counts.reindex(index, fill_value=0).rename("count").reset_index()
    df["characters"] = df["year"].map(chars).astype(int)
    df["rate_per_10k"] = (df["count"] / df["characters"] * 10_000).round(4)
    df["year"] = df["year"].astype("Int64")
    return df[cols]
