"""Keyness of slogans between two groups of documents (periods, genres, speakers).

For each slogan, the counts in group A and group B are compared against the
groups' sizes in characters with Dunning's log-likelihood G² (significance)
and the log ratio of relative frequencies (effect size, Hardie's "Log Ratio",
with 0.5 added to zero counts).
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

import pandas as pd

from analysis.errors import GroupError
from analysis.names import Group, parse_group
from analysis.schema import table
from analysis.tables import read_table, write_table

def log_likelihood(a: float, b: float, size_a: float, size_b: float) -> float:
    """Dunning's G² for a count ``a`` in a corpus of ``size_a`` against ``b`` in ``size_b``."""
    total = size_a + size_b
    if total <= 0:
        return 0.0
    exp_a = size_a * (a + b) / total
    exp_b = size_b * (a + b) / total
    g2 = 0.0
    if a > 0:
        g2 += a * math.log(a / exp_a)
    if b > 0:
        g2 += b * math.log(b / exp_b)
    return 2.0 * g2


def log_ratio(a: float, b: float, size_a: float, size_b: float) -> float:
    """Binary log of the ratio of relative frequencies, A over B (zero counts taken as 0.5)."""
    return math.log2(((a or 0.5) / size_a) / ((b or 0.5) / size_b))


MIN_DOCS = 3     # a slogan must occur in at least this many of the compared documents to be tested
FDR = 0.05       # "significant": Benjamini–Hochberg q-value below this


def p_value(g2: float) -> float:
    """The p-value of G² under the chi-squared distribution with one degree of freedom."""
    return math.erfc(math.sqrt(max(g2, 0.0) / 2.0))


def q_values(p: list[float]) -> list[float]:
    """Benjamini–Hochberg q-values for the p-values ``p`` (same order): the false discovery rate at which
    each test would be called significant when all of them are made at once."""
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    q = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):            # from the largest p down, keeping the running minimum
        i = order[rank - 1]
        running = min(running, p[i] * m / rank)
        q[i] = running
    return q


def keyness_table(counts_a: dict[str, int], counts_b: dict[str, int], size_a: int, size_b: int,
                  meta: pd.DataFrame | None = None, *, docs_a: dict[str, int] | None = None,
                  docs_b: dict[str, int] | None = None, min_docs: int = 1) -> pd.DataFrame:
    """One row per slogan found in at least ``min_docs`` documents of A and B together: counts, documents,
    rates per 10,000 characters, G², p, Benjamini–Hochberg q, log ratio, the group it is key for.

    ``docs_a``/``docs_b`` give the documents each slogan occurs in (without them a slogan counts as found
    in one document per group that has it). Sorted by G² (descending), then slogan. ``meta`` (slogans
    table) adds kind and first/last year.
    """
    rows = []
    for s in sorted(set(counts_a) | set(counts_b)):
        a, b = int(counts_a.get(s, 0)), int(counts_b.get(s, 0))
        da = int(docs_a.get(s, 0)) if docs_a is not None else int(a > 0)
        db = int(docs_b.get(s, 0)) if docs_b is not None else int(b > 0)
        if a + b == 0 or da + db < min_docs:
            continue
        g2 = log_likelihood(a, b, size_a, size_b)
        lr = log_ratio(a, b, size_a, size_b)
        rows.append({"slogan": s, "count_a": a, "count_b": b, "docs_a": da, "docs_b": db,
                     "rate_a": a / size_a * 10000, "rate_b": b / size_b * 10000,
                     "g2": g2, "p_value": p_value(g2), "log_ratio": lr, "key_for": "A" if lr > 0 else "B"})
    for row, q in zip(rows, q_values([r["p_value"] for r in rows])):
        row["q_value"] = q
        row["significant"] = q < FDR
    # the schema's columns from "slogan" on: compare_groups puts "by", the groups and min_docs in front
    schema = table("keyness")
    df = pd.DataFrame(rows, columns=schema.names[schema.names.index("slogan"):])
    if meta is not None and not meta.empty and not df.empty:
        # the schema's optional columns are the ones taken from the slogans table, when it has them
        keep = ["slogan"] + [c.name for c in schema.columns if c.optional and c.name in meta.columns]
        df = df.merge(meta[keep], on="slogan", how="left")
    return df.sort_values(["g2", "slogan"], ascending=[False, True]).reset_index(drop=True)


def compare_groups(documents: pd.DataFrame, slogan_docs: pd.DataFrame, slogans: pd.DataFrame,
                   ga: Group, gb: Group, *, min_docs: int = MIN_DOCS) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Keyness table for groups A and B, with the documents of each; raises GroupError."""
    if min_docs < 1:
        raise GroupError(f"the minimum number of documents must be at least 1, not {min_docs}")
    docs_a, docs_b = _select(documents, ga), _select(documents, gb)
    (counts_a, in_a), (counts_b, in_b) = _counts(slogan_docs, docs_a), _counts(slogan_docs, docs_b)
    table = keyness_table(counts_a, counts_b, int(docs_a["characters"].sum()), int(docs_b["characters"].sum()),
                          slogans, docs_a=in_a, docs_b=in_b, min_docs=min_docs)
    table.insert(0, "min_docs", min_docs)
    table.insert(0, "group_b", gb.spec)
    table.insert(0, "group_a", ga.spec)
    table.insert(0, "by", ga.column)
    return table, docs_a, docs_b


def default_groups(documents: pd.DataFrame) -> tuple[Group, Group] | None:
    """The earlier and the later half of the dated documents, as two year ranges; None if too few."""
    # Only years a group spec can name (four digits): the page reads the groups back from their specs,
    # and a year such as -5 from tables written by another reader would make an unreadable spec.
    years = sorted(int(y) for y in documents["year"].dropna() if 1000 <= y <= 9999)
    distinct = sorted(set(years))
    if len(distinct) < 2:
        return None
    middle = years[(len(years) - 1) // 2]
    if middle == distinct[-1]:
        middle = distinct[-2]
    later = next(y for y in distinct if y > middle)
    return (Group(f"{distinct[0]}-{middle}", "year", distinct[0], middle),
            Group(f"{later}-{distinct[-1]}", "year", later, distinct[-1]))


def run_compare(build_dir: Path, *, by: str, a: str, b: str, top: int = 30, min_docs: int = MIN_DOCS) -> int:
    """Compare slogan use between groups A and B; print the top rows, write table ``keyness``.

    Returns 0, or 2 (with a message on stderr) for missing tables or bad groups.
    """
    documents = read_table(build_dir, "documents")
    slogan_docs = read_table(build_dir, "slogan_docs")
    if documents.empty or "slogan" not in slogan_docs.columns:
        print(f"error: no analysed tables in {Path(build_dir) / 'tables'}; "
              f"run `python -m analysis analyze --build-dir {build_dir}` first", file=sys.stderr)
        return 2
    if by not in documents.columns:
        print(f"error: --by {by!r} is not a document column; use one of "
              f"{', '.join(c for c in ('year', 'genre', 'speaker', 'title') if c in documents.columns)}",
              file=sys.stderr)
        return 2
    try:
        ga, gb = parse_group(a, by), parse_group(b, by)
        table, docs_a, docs_b = compare_groups(documents, slogan_docs, read_table(build_dir, "slogans"), ga, gb,
                                               min_docs=min_docs)
    except GroupError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    write_table(table, build_dir, "keyness")
    print(compare_report(table, ga, gb, docs_a, docs_b, top))
    return 0


def _select(documents: pd.DataFrame, group: Group) -> pd.DataFrame:
    docs = documents[group.mask(documents)]
    if docs.empty:
        values = sorted({str(v) for v in documents[group.column].dropna()})[:12]
        raise GroupError(f"group {group.spec!r} selects no documents by {group.column}"
                         f" (values include: {', '.join(values)})")
    if int(docs["characters"].sum()) <= 0:
        raise GroupError(f"group {group.spec!r} has no text")
    return docs


def _counts(slogan_docs: pd.DataFrame, docs: pd.DataFrame) -> tuple[dict[str, int], dict[str, int]]:
    """Occurrences of each slogan in ``docs``, and the number of those documents it occurs in."""
    sub = slogan_docs[slogan_docs["doc_id"].isin(set(docs["doc_id"])) & (slogan_docs["count"] > 0)]
    grouped = sub.groupby("slogan")
    return grouped["count"].sum().astype(int).to_dict(), grouped["doc_id"].nunique().astype(int).to_dict()


def compare_report(table: pd.DataFrame, ga: Group, gb: Group, docs_a: pd.DataFrame,
                   docs_b: pd.DataFrame, top: int) -> str:
    """Plain-text keyness report: group sizes, the tests made, then the top rows key for A and for B."""
    min_docs = int(table["min_docs"].iloc[0]) if len(table) else MIN_DOCS
    lines = [f"A = {ga.spec}: {len(docs_a)} 篇，{int(docs_a['characters'].sum()):,} 字；"
             f"B = {gb.spec}: {len(docs_b)} 篇，{int(docs_b['characters'].sum()):,} 字",
             f"检验 {len(table)} 个提法（两组合计至少见于 {min_docs} 篇文档）；"
             f"显著：Benjamini–Hochberg q < {FDR}（{int(table['significant'].sum())} 个）",
             "G² = 对数似然比；q = 校正后的 p；logR = log2(A 频率 / B 频率)；篇 = 含该提法的文档数"]
    for side in ("A", "B"):
        part = table[(table["key_for"] == side) & table["significant"]].head(top)
        lines.append(f"\n{side} 组的关键提法（显示 {len(part)} 个）：")
        lines.append(_pad("提法", 18) + "".join(_right(h, w) for h, w in _HEADS))
        for r in part.itertuples():
            lines.append(f"{_pad(r.slogan, 18)}{r.count_a:>6}{r.count_b:>6}{r.docs_a:>5}{r.docs_b:>5}"
                         f"{r.rate_a:>9.2f}{r.rate_b:>9.2f}{r.g2:>9.2f}{r.q_value:>10.2g}{r.log_ratio:>7.2f}")
    return "\n".join(lines)


_HEADS = (("A次", 6), ("B次", 6), ("A篇", 5), ("B篇", 5), ("A/万字", 9), ("B/万字", 9), ("G2", 9), ("q", 10),
          ("logR", 7))


def _width(s: str) -> int:
    """Columns ``s`` takes in a terminal (CJK characters take two)."""
    return sum(2 if ord(ch) > 0x2e80 else 1 for ch in s)


def _pad(s: str, width: int) -> str:
    return s + " " * max(1, width - _width(s))


def _right(s: str, width: int) -> str:
    return " " * max(1, width - _width(s)) + s
