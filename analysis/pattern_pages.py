"""Pattern pages: the index of template families and one page per family used more than once."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from jinja2 import Environment

from analysis.charts import embed, top_bars, yearly_lines
from analysis.page_kit import KIND_NAMES, records, unique_slugs, write_page, years_text
from analysis.schema import table
from analysis.tables import read_table


def recurring_families(templates: pd.DataFrame) -> list[dict]:
    """Families used more than once, framed ones (with anchor words) first, commonest first; with slugs."""
    if not len(templates):
        templates = table("templates").empty()
    recurring = (templates[templates["count"] >= 2]
                 .assign(bare=lambda d: d["anchors"] == 0)
                 .sort_values(["bare", "count", "family"], ascending=[True, False, True]))
    slugs = unique_slugs(recurring["family"], fallback="pattern")
    return [dict(f, slug=slugs[f["family"]], kind_name=KIND_NAMES.get(f["kind"], f["kind"]),
                 years=years_text(f["first_year"], f["last_year"])) for f in records(recurring)]


def write_pattern_pages(env: Environment, build_dir: Path, docs_dir: Path, documents: pd.DataFrame) -> list[Path]:
    """The pattern index and one page per template family used more than once; return paths written."""
    parallelisms = read_table(build_dir, "parallelisms")
    branches = read_table(build_dir, "branches")
    templates = read_table(build_dir, "templates")
    if not len(templates):
        templates = table("templates").empty()
    years_table = read_table(build_dir, "template_years")
    families = recurring_families(templates)
    corpus_years = sorted({int(y) for y in documents["year"].dropna()}) if len(documents) else []
    anchored = [f for f in families if f["anchors"] > 0][:20]
    top = [f["family"] for f in anchored[:6]]
    index = env.get_template("patterns_index.md.j2").render(
        n_docs=len(documents), n_parallelisms=len(parallelisms), n_families=len(templates),
        kinds=[(KIND_NAMES.get(k, k), int(n)) for k, n in parallelisms["kind"].value_counts().items()]
        if len(parallelisms) else [],
        top_chart=embed(top_bars([f["template"] for f in anchored], [f["count"] for f in anchored],
                                 title="最常见的有锚定词的模板", x_title="处数"),
                        height=120 + 24 * len(anchored)) if anchored else "",
        timeline=embed(yearly_lines(years_table[years_table["family"].isin(top)].assign(
            family=lambda d: d["family"].map(dict(zip(templates["family"], templates["template"])))),
            series="family", value="rate_per_10k", years=corpus_years, title="常见模板的使用频率（每万字）",
            y_title="每万字处数")) if top and len(years_table) and corpus_years else "",
        families=families, singletons=int((templates["count"] < 2).sum()))
    written = [write_page(docs_dir / "patterns" / "index.md", index)]
    titles = dict(zip(documents["doc_id"], documents["title"]))
    years_of = dict(zip(documents["doc_id"], documents["year"]))
    p_by_family = dict(tuple(parallelisms.groupby("family", sort=False))) if len(parallelisms) else {}
    b_by_p = dict(tuple(branches.groupby("parallelism", sort=False))) if len(branches) else {}
    template = env.get_template("pattern.md.j2")
    for f in families:
        ps = p_by_family.get(f["family"], pd.DataFrame())
        page = template.render(**family_context(f, ps, b_by_p, titles, years_of, years_table, corpus_years))
        written.append(write_page(docs_dir / "patterns" / f"{f['slug']}.md", page))
    return written


def family_context(f: dict, ps: pd.DataFrame, b_by_p: dict, titles: dict, years_of: dict,
                   years_table: pd.DataFrame, corpus_years: list[int]) -> dict:
    """One family page: examples with links to the passage, slot fillers, timeline, documents."""
    examples, fillers = [], []
    for p in records(ps):
        if len(examples) >= 30 and len(fillers) >= 200:
            break            # both lists are full: the family's other uses only count below
        bs = b_by_p.get(p["id"])
        if len(examples) < 30:
            texts = " ／ ".join(bs["text"].str.replace(r"\s+", "", regex=True)) if bs is not None else ""
            examples.append({"doc_id": p["doc_id"], "title": titles.get(p["doc_id"], p["doc_id"]),
                             "year": years_text(years_of.get(p["doc_id"]), years_of.get(p["doc_id"])),
                             "n": p["id"].rsplit("#", 1)[1], "branches": texts})
        if bs is not None and len(fillers) < 200:
            for b in records(bs):
                fillers.append({"title": titles.get(p["doc_id"], p["doc_id"]), "index": b["index"] + 1,
                                "fillers": b["fillers"] or "—"})
    docs = (ps.groupby("doc_id").size().rename("count").reset_index() if len(ps)
            else pd.DataFrame(columns=["doc_id", "count"]))
    docs = [{"doc_id": d["doc_id"], "title": titles.get(d["doc_id"], d["doc_id"]),
             "year": years_text(years_of.get(d["doc_id"]), years_of.get(d["doc_id"])), "count": d["count"]}
            for d in records(docs.sort_values(["count", "doc_id"], ascending=[False, True]))]
    rows = years_table[years_table["family"] == f["family"]] if len(years_table) else years_table
    timeline = (embed(yearly_lines(rows.assign(family=f["template"]), series="family", value="rate_per_10k",
                                   years=corpus_years, title="每年使用频率（每万字；无文档的年份留空）",
                                   y_title="每万字处数"), height=320)
                if len(rows) and corpus_years else "")
    return {"f": f, "examples": examples, "fillers": fillers, "documents": docs, "timeline": timeline}
