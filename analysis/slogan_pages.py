"""Slogan pages: the index (charts, heatmap, a sortable and filterable table) and one page per slogan."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
from jinja2 import Environment

from analysis.charts import embed, slogan_heatmap, top_bars, yearly_counts
from analysis.page_kit import records, slogan_slugs, write_page, years_text
from analysis.schema import table
from analysis.tables import read_table

# At most this many slogans get a page of their own (the most used ones); the rest are listed and
# downloadable, so a large corpus does not turn into tens of thousands of thin pages.
MAX_PAGES = 1500
KWIC_LINES = 60
SLOGAN_KINDS = {
    "quoted": ("引号术语", "在文中多次加引号使用的短语"),
    "numbered": ("数字概括", "“四个意识”“六稳”式的数字加概括"),
    "enumeration": ("并列短语", "以顿号或逗号连在一起反复出现的一组短语"),
    "cohesive": ("固定搭配", "跨文档反复出现、内部结合紧密、边界多样的多词表达"),
    "lexicon": ("词表", "项目词表 lexicon/slogans.yaml 中的条目"),
}


# The top of the ranking always gets pages, however rare (the lists shown first link to them).
RANKED_PAGES = 200


def in_rank_order(slogans: pd.DataFrame) -> pd.DataFrame:
    """The slogans in the order every list shows them: by ``rank`` (sloganhood, see
    :mod:`analysis.slogans.ranking`), or by count for a table written before the ranking existed."""
    if "rank" in slogans:
        return slogans.sort_values("rank", kind="mergesort")
    return slogans.sort_values(["count", "slogan"], ascending=[False, True])


def paged_slogans(slogans: pd.DataFrame) -> set[str]:
    """The slogans with a page of their own: the ``MAX_PAGES`` most used, and the top of the ranking."""
    paged = set(slogans.sort_values(["count", "slogan"], ascending=[False, True]).head(MAX_PAGES)["slogan"])
    return paged | set(in_rank_order(slogans).head(RANKED_PAGES)["slogan"])


def kind_name(kind: str) -> str:
    return SLOGAN_KINDS.get(kind, (kind, ""))[0]


def write_slogan_pages(env: Environment, build_dir: Path, docs_dir: Path, documents: pd.DataFrame) -> list[Path]:
    """Write the slogan index, its table data and the slogan pages; return the paths written."""
    slogans = read_table(build_dir, "slogans")
    if not len(slogans):
        return [write_page(docs_dir / "slogans" / "index.md",
                           "# 提法\n\n这个语料中没有找到反复出现的提法。文档越多，统计越可靠。\n")]
    hits = read_table(build_dir, "slogan_hits")
    years_table = read_table(build_dir, "slogan_years")
    corpus_years = sorted({int(y) for y in documents["year"].dropna()}) if len(documents) else []
    slugs = {k: v for k, v in slogan_slugs(slogans).items()}
    paged = paged_slogans(slogans)
    page_min = int(slogans.sort_values("count", ascending=False).head(MAX_PAGES)["count"].min())
    out = docs_dir / "slogans"
    written = [write_page(out / "index.md", env.get_template("slogans_index.md.j2").render(
        **index_context(slogans, hits, years_table, corpus_years, len(documents)), page_min=page_min))]
    written.append(write_page(out / "table-data.js", table_data(slogans, slugs, paged)))
    titles = dict(zip(documents["doc_id"], documents["title"]))
    years_of = dict(zip(documents["doc_id"], documents["year"]))
    # in reading order once, so each slogan's group already is (its page lists hits in this order)
    hits = hits.sort_values(["year", "doc_id", "start"], na_position="last") if len(hits) else hits
    hits_by = dict(tuple(hits.groupby("slogan", sort=False))) if len(hits) else {}
    years_by = dict(tuple(years_table.groupby("slogan", sort=False))) if len(years_table) else {}
    near = neighbour_table(read_table(build_dir, "cooccurrence"))
    links = link_groups(read_table(build_dir, "slogan_links"))
    template = env.get_template("slogan.md.j2")
    for s in records(slogans[slogans["slogan"].isin(paged)]):
        ctx = slogan_context(s, hits_by.get(s["slogan"]), years_by.get(s["slogan"]), near, titles, years_of,
                             corpus_years, {k: slugs[k] for k in paged}, links=links)
        written.append(write_page(out / f"{slugs[s['slogan']]}.md", template.render(**ctx)))
    return written


def index_context(slogans: pd.DataFrame, hits: pd.DataFrame, years_table: pd.DataFrame,
                  corpus_years: list[int], n_docs: int) -> dict:
    """The index: counts per kind, the top slogans of the ranking, and the slogan × year heatmap."""
    top = in_rank_order(slogans).head(30)
    common = slogans.sort_values(["count", "slogan"], ascending=[False, True]).head(30)["slogan"].tolist()
    kinds = [{"name": kind_name(k), "n": int(n), "note": SLOGAN_KINDS.get(k, ("", ""))[1]}
             for k, n in slogans["kind"].value_counts().items()]
    heat = (embed(slogan_heatmap(years_table[years_table["slogan"].isin(common)], order=common, years=corpus_years),
                  height=160 + 22 * len(common)) if corpus_years and len(years_table) else "")
    return {"n_docs": n_docs, "n_slogans": len(slogans), "n_hits": len(hits), "kinds": kinds,
            "heatmap": heat,
            "top_chart": embed(top_bars(top["slogan"].tolist(), top["count"].tolist(),
                                        title="最典型的 30 个提法（按提法度排序；条长为出现次数）", x_title="次数"),
                               height=160 + 22 * len(top))}


def table_data(slogans: pd.DataFrame, slugs: dict[str, str], paged: set[str]) -> str:
    """The index table's rows as a script setting ``window.TIFA_TABLES.slogans``."""
    rows = []
    ranked = "sloganhood" in slogans
    for s in records(in_rank_order(slogans)):
        rows.append([s["slogan"], kind_name(s["kind"]), int(s["count"]), int(s["documents"]),
                     round(float(s["rate_per_10k"]), 3), _int(s["first_year"]), _int(s["last_year"]),
                     *([round(float(s["sloganhood"]), 2)] if ranked else []),
                     f"{slugs[s['slogan']]}.html" if s["slogan"] in paged else ""])
    columns = ["提法", "类型", "次数", "文档数", "每万字", "首次", "最近"] + (["提法度"] if ranked else [])
    # the default order is the ranking's: its column, highest first
    data = {"columns": columns, "sort": len(columns) - 1 if ranked else 2,
            "kinds": sorted({kind_name(k) for k in slogans["kind"]}), "rows": rows}
    # "</" cannot end a script here, but escaping it keeps the file safe to inline later too.
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f"window.TIFA_TABLES = window.TIFA_TABLES || {{}};\nwindow.TIFA_TABLES.slogans = {body};\n"


def _int(v):
    return None if v is None else int(v)


def slogan_context(s: dict, hits: pd.DataFrame | None, years: pd.DataFrame | None, near: dict[str, list[dict]],
                   titles: dict, years_of: dict, corpus_years: list[int], page_slugs: dict[str, str], *,
                   links: dict[str, dict] | None = None) -> dict:
    """One slogan's page: facts, yearly chart with gaps, KWIC lines linking to the passage, documents, neighbours,
    and (from :func:`link_groups`) the members it stands for and the abbreviations it is a member of.

    ``hits`` are the slogan's hits in reading order (year, document, offset): the KWIC lines are the first ones.
    """
    s = dict(s, kind_name=kind_name(s["kind"]), rate=f"{float(s['rate_per_10k']):.2f}",
             variants="、".join(s.get("variants") if s.get("variants") is not None else []),
             years=f"{years_text(s['first_year'], s['first_year'])} / {years_text(s['last_year'], s['last_year'])}",
             # the signals are internal keys joined by 、 (or a list): each shown by its Chinese name
             signals="、".join(kind_name(k) for k in re.split(r"[、,;\s\[\]\"']+", str(s.get("signals") or ""))
                              if k and k != s["kind"]))
    hits = hits if hits is not None else table("slogan_hits").empty()
    kwic = [{"doc_id": h["doc_id"], "title": titles.get(h["doc_id"], h["doc_id"]),
             "year": years_text(h["year"], h["year"]), "start": int(h["start"]),
             "left": h["left"], "hit": h["hit"], "right": h["right"]} for h in records(hits.head(KWIC_LINES))]
    per_doc = hits.groupby("doc_id").size().sort_values(ascending=False) if len(hits) else pd.Series(dtype=int)
    documents = [{"doc_id": d, "title": titles.get(d, d), "year": years_text(years_of.get(d), years_of.get(d)),
                  "count": int(n)} for d, n in per_doc.items()]
    chart = (embed(yearly_counts(years, years=corpus_years, title="逐年使用（空白为没有文档的年份）"), height=320)
             if years is not None and len(years) and corpus_years else "")
    linked = (links or {}).get(s["slogan"], {})
    return {"s": s, "kwic": kwic, "kwic_more": len(hits) > len(kwic), "documents": documents, "chart": chart,
            "cooccurring": [dict(n, slug=page_slugs.get(n["slogan"])) for n in near.get(s["slogan"], [])],
            # only slogans with a page are linked; the others are shown as text (with their counts)
            "members": [dict(m, slug=page_slugs.get(m["member"])) for m in linked.get("members", [])],
            "members_source": linked.get("source", ""),
            "part_of": [{"slogan": a, "slug": page_slugs.get(a)} for a in linked.get("part_of", [])]}


LINK_SOURCES = {"lexicon": "项目词表", "text": "文中紧接着逐项列出"}


def link_groups(links: pd.DataFrame) -> dict[str, dict]:
    """The ``slogan_links`` table by slogan: ``{"members": [...], "source": ..., "part_of": [...]}``.

    An abbreviation's members come from one source, the lexicon's where it has them, else the text's;
    ``part_of`` lists, for a member, the abbreviations it belongs to (in the table's order).
    """
    out: dict[str, dict] = {}
    if not len(links):
        return out
    # the lexicon's rows first (a stable sort), so an abbreviation it knows keeps the lexicon's members
    ordered = links.iloc[(links["source"] != "lexicon").argsort(kind="stable")]
    for (abbreviation, source), g in ordered.groupby(["abbreviation", "source"], sort=False):
        entry = out.setdefault(abbreviation, {})
        if "members" in entry:
            continue
        entry["source"] = LINK_SOURCES.get(source, source)
        entry["members"] = [{"member": m, "position": int(p), "count": int(n), "documents": int(d)}
                            for m, p, n, d in g[["member", "position", "count", "documents"]].itertuples(index=False)]
    for abbreviation, member in links[["abbreviation", "member"]].drop_duplicates().itertuples(index=False):
        part_of = out.setdefault(member, {}).setdefault("part_of", [])
        if abbreviation not in part_of:
            part_of.append(abbreviation)
    return out


def neighbour_table(co: pd.DataFrame, top: int = 15) -> dict[str, list[dict]]:
    """For every slogan, the ``top`` slogans most often in the same paragraph (most paragraphs, then PMI).

    Returns ``{slogan: [{"slogan", "paragraphs", "pmi"}, ...]}`` from the ``cooccurrence`` table,
    which holds each pair once: both directions are read.
    """
    if not len(co):
        return {}
    pairs = pd.concat([co.rename(columns={"slogan_a": "slogan", "slogan_b": "other"}),
                       co.rename(columns={"slogan_b": "slogan", "slogan_a": "other"})], ignore_index=True)
    pairs = (pairs.sort_values(["slogan", "paragraphs", "pmi"], ascending=[True, False, False], kind="mergesort")
             .groupby("slogan", sort=False).head(top))
    out: dict[str, list[dict]] = {}
    for slogan, other, paragraphs, pmi in pairs[["slogan", "other", "paragraphs", "pmi"]].itertuples(index=False):
        out.setdefault(slogan, []).append({"slogan": other, "paragraphs": int(paragraphs), "pmi": f"{float(pmi):.2f}"})
    return out
