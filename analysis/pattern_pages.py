"""Pattern pages: the index of template families, the full sortable list, and one page per recurring family.

Users see a family by its generated Chinese name (坚持〈A〉, 一是〈A〉) and its
kind in Chinese; the family key and English kind names stay in the tables.
Plain lists (no shared meaningful frame) are counted in per-kind list groups
and shown apart from the templates.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pandas as pd
from jinja2 import Environment
from markupsafe import Markup

from analysis.charts import embed, top_bars, yearly_lines
from analysis.escape import script_json, slug
from analysis.names import make_id
from analysis.page_kit import KIND_NAMES, records, rows_by, unique_slugs, write_page, years_text
from analysis.schema import table
from analysis.tables import read_table

INDEX_ROWS = 100        # families in the index's table; the rest are on all.md
# A family used this often, and among the FAMILY_PAGES commonest, gets a page of its own; any other one used
# more than once a row on a shared page of its kind (few-fen-ju-pai-bi.md …, at most SHARED_ROWS a page)
# with its first occurrences: hundreds of thin pages would each cost the static build its fixed price and
# the site its ~14 KB of navigation, and a corpus ten times larger would have ten times as many.
FAMILY_PAGE_MIN = 5
FAMILY_PAGES = 150
SHARED_ROWS = 300
SHARED_OCCURRENCES = 5
EXAMPLE_CHARS = 40      # an example in a table cell is cut here; the family page shows it whole


def kind_name(kind) -> str:
    return KIND_NAMES.get(kind, "其他")


def family_rows(templates: pd.DataFrame) -> list[dict]:
    """Every family and list group, framed ones first, commonest first; with slugs, ``paged`` for those used
    more than once (they have a place on the site), ``page`` and ``anchor`` (``""`` for a page of its own)
    and ``href`` / ``href_html``, the link to that place from the patterns folder."""
    if not len(templates):
        templates = table("templates").empty()
    rows = (templates.assign(bare=lambda d: ~d["framed"].astype(bool))
            .sort_values(["bare", "count", "family"], ascending=[True, False, True]))
    slugs = unique_slugs(rows["family"], fallback="pattern")
    out = []
    shared: dict[str, int] = {}     # rows so far on each kind's shared pages
    paged_families = 0
    for f in records(rows):
        examples = [_example(f[f"{col}_id"], f[col]) for col in ("example", "example_2") if f[f"{col}_id"]]
        row = dict(f, slug=slugs[f["family"]], kind_name=kind_name(f["kind"]), examples=examples,
                   paged=f["count"] >= 2, years=years_text(f["first_year"], f["last_year"]))
        own = not f["framed"] or (f["count"] >= FAMILY_PAGE_MIN and paged_families < FAMILY_PAGES)
        paged_families += bool(own and f["framed"])
        n = shared.get(row["kind_name"], 0)
        if not own and row["paged"]:
            shared[row["kind_name"]] = n + 1
        out.append(dict(row, **_place(row, own, n // SHARED_ROWS)))
    return out


def _place(f: dict, own: bool, chunk: int) -> dict:
    """Where a family is shown: its own page, or its row (anchor) on the ``chunk``-th shared page of its kind."""
    # the shared page is named after the kind's Chinese name (few-fen-ju-pai-bi), not its internal key
    shared = f"few-{make_id(f['kind_name'])}" + (f"-{chunk + 1}" if chunk else "")
    page, anchor = (f["slug"], "") if own else (shared, f["slug"])
    tail = f"#{slug(anchor)}" if anchor else ""
    return {"page": page, "anchor": anchor, "href": Markup(f"{slug(page)}.md{tail}"),
            "href_html": Markup(f"{slug(page)}.html{tail}")}


def recurring_families(templates: pd.DataFrame) -> list[dict]:
    """The families and list groups used more than once: those with a page."""
    return [f for f in family_rows(templates) if f["paged"]]


def _example(pid: str, text: str) -> dict:
    """An example as the index shows it: where it is (document page anchor) and its text, cut short."""
    doc_id, n = pid.rsplit("#", 1)
    return {"doc_id": doc_id, "n": n, "text": _cut(text)}


def _cut(text: str) -> str:
    # a table cell stays a few lines high even on a phone; the family page shows the whole text
    return text if len(text) <= EXAMPLE_CHARS else text[:EXAMPLE_CHARS] + "…"


def write_pattern_pages(env: Environment, build_dir: Path, docs_dir: Path, documents: pd.DataFrame) -> list[Path]:
    """The pattern index, the full family list and a page per family used more than once; return paths written."""
    parallelisms = read_table(build_dir, "parallelisms")
    branches = read_table(build_dir, "branches")
    years_table = read_table(build_dir, "template_years")
    slot_table = read_table(build_dir, "template_slots")
    families = family_rows(read_table(build_dir, "templates"))
    corpus_years = sorted({int(y) for y in documents["year"].dropna()}) if len(documents) else []
    out = docs_dir / "patterns"
    ctx = index_context(parallelisms, families, years_table, corpus_years)
    index = env.get_template("patterns_index.md.j2").render(**ctx, n_docs=len(documents), page_min=FAMILY_PAGE_MIN,
                                                             max_pages=FAMILY_PAGES)
    written = [write_page(out / "index.md", index),
               write_page(out / "all.md", env.get_template("patterns_all.md.j2").render(
                   n=ctx["n_families"], paged=ctx["n_recurring"])),
               write_page(out / "table-data.js", table_data(families))]
    titles = dict(zip(documents["doc_id"], documents["title"]))
    years_of = dict(zip(documents["doc_id"], documents["year"]))
    # grouped for the families shown only: a frame per family costs more than its page
    paged = {f["family"] for f in families if f["paged"]}
    own = {f["family"] for f in families if f["paged"] and not f["anchor"]}
    p_by_family = rows_by(parallelisms, "family", ["family", "id", "doc_id", "template"], only=paged)
    texts: dict[str, list[str]] = {}
    for pid, text in zip(branches["parallelism"].tolist(), branches["text"].tolist()) if len(branches) else ():
        texts.setdefault(pid, []).append(text)
    slots_by = rows_by(slot_table, "family", ["family", "slot", "filler", "count"], only=own)
    years_by = dict(tuple(years_table[years_table["family"].isin(own)].groupby("family", sort=False))) \
        if len(years_table) else {}
    template = env.get_template("pattern.md.j2")
    few: dict[str, list[dict]] = {}
    for f in (f for f in families if f["paged"]):
        ps = p_by_family.get(f["family"], [])
        if f["anchor"]:
            few.setdefault(f["page"], []).append(
                dict(f, occurrences=occurrences(ps[:SHARED_OCCURRENCES], texts, titles, years_of)))
            continue
        page = template.render(**family_context(f, ps, texts, slots_by.get(f["family"]), titles, years_of,
                                                years_by.get(f["family"], years_table.head(0)), corpus_years))
        written.append(write_page(out / f"{f['slug']}.md", page))
    shared = env.get_template("patterns_few.md.j2")
    for page, entries in few.items():
        written.append(write_page(out / f"{page}.md", shared.render(kind_name=entries[0]["kind_name"],
                                                                    entries=entries, page_min=FAMILY_PAGE_MIN,
                                                                    max_pages=FAMILY_PAGES)))
    return written


def index_context(parallelisms: pd.DataFrame, families: list[dict],
                  years_table: pd.DataFrame, corpus_years: list[int]) -> dict:
    """The index: counts per kind with the share under a template, list groups, charts, the top families."""
    framed = [f for f in families if f["framed"]]
    kinds, total, under_total = [], 0, 0
    if len(parallelisms):
        under = parallelisms["family"].isin({f["family"] for f in framed})
        for k, ps in parallelisms.assign(under=under).groupby("kind", sort=False):
            kinds.append({"name": kind_name(k), "count": len(ps), "branches": int(ps["branches"].sum()),
                          "share": _share(ps.loc[ps["under"], "branches"].sum(), ps["branches"].sum())})
        kinds.sort(key=lambda k: -k["count"])
        total = int(parallelisms["branches"].sum())
        under_total = int(parallelisms.loc[under, "branches"].sum())
    top = framed[:20]
    names = {f["family"]: f["name"] for f in families}
    shown = [f["family"] for f in top[:6]]
    timeline = ""
    if shown and len(years_table) and corpus_years:
        rows = years_table[years_table["family"].isin(shown)].assign(family=lambda d: d["family"].map(names))
        timeline = embed(yearly_lines(rows, series="family", value="rate_per_10k", years=corpus_years,
                                      title="常见模板家族的使用频率（每万字）", y_title="每万字处数"))
    return {"n_parallelisms": len(parallelisms), "n_branches": total,
            "n_families": len(framed),
            "n_recurring": sum(f["paged"] for f in framed), "share": _share(under_total, total), "kinds": kinds,
            "lists": [f for f in families if not f["framed"]], "families": framed[:INDEX_ROWS],
            "more": max(0, len(framed) - INDEX_ROWS), "timeline": timeline,
            "top_chart": embed(top_bars([f["name"] for f in top], [f["count"] for f in top],
                                        title="最常见的模板家族", x_title="处数"),
                               height=120 + 24 * len(top)) if top else ""}


def _share(part, whole) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "—"


def table_data(families: list[dict]) -> str:
    """Every family as rows of the sortable table on all.md (``window.TIFA_TABLES.patterns``)."""
    rows = [[f["name"], f["kind_name"], int(f["count"]), int(f["branches"]), int(f["documents"]),
             f["years"], _cut(f["slots"]), str(f["href_html"]) if f["paged"] else ""] for f in families if f["framed"]]
    data = {"columns": ["模板家族", "类型", "处数", "分支", "文档", "年份", "槽位常见填充"], "sort": 2,
            "placeholder": "筛选：输入模板中的字词", "kinds": sorted({r[1] for r in rows}), "rows": rows}
    body = script_json(data)
    return f"window.TIFA_TABLES = window.TIFA_TABLES || {{}};\nwindow.TIFA_TABLES.patterns = {body};\n"


def occurrences(ps: list[dict], texts: dict[str, list[str]], titles: dict, years_of: dict) -> list[dict]:
    """The parallelisms ``ps`` as examples: document, title, year, number on its page, branches joined by ／."""
    return [{"doc_id": p["doc_id"], "title": titles.get(p["doc_id"], p["doc_id"]),
             "year": years_text(years_of.get(p["doc_id"]), years_of.get(p["doc_id"])),
             "n": p["id"].rsplit("#", 1)[1],
             "branches": " ／ ".join(re.sub(r"\s+", "", t) for t in texts.get(p["id"], []))}
            for p in ps]


def family_context(f: dict, ps: list[dict], texts: dict[str, list[str]], fillers: list[dict] | None,
                   titles: dict, years_of: dict, years_table: pd.DataFrame, corpus_years: list[int]) -> dict:
    """One family page: its usual templates, what each slot holds, timeline, examples, documents.

    ``ps`` and ``fillers`` are the family's rows of the ``parallelisms`` and ``template_slots`` tables,
    ``years_table`` its rows of the ``template_years`` table.
    """
    examples = occurrences(ps[:30], texts, titles, years_of)
    by_slot: dict[str, list[dict]] = {}
    for r in fillers or []:
        by_slot.setdefault(r["slot"], []).append(r)
    slots = [{"letter": f"〈{letter}〉",
              "fillers": "、".join(f"{r['filler']}（{r['count']}）" if r["count"] > 1 else r["filler"]
                                  for r in by_slot[letter])}
             for letter in sorted(by_slot)]
    # the commonest forms first; equal counts in the order the forms first occur
    forms = sorted(Counter(p["template"] for p in ps).items(), key=lambda tn: -tn[1])[:5]
    per_doc = Counter(p["doc_id"] for p in ps)
    docs = [{"doc_id": d, "title": titles.get(d, d), "year": years_text(years_of.get(d), years_of.get(d)),
             "count": n}
            for d, n in sorted(per_doc.items(), key=lambda dn: (-dn[1], dn[0]))]
    rows = years_table    # this family's rows
    timeline = (embed(yearly_lines(rows.assign(family=f["name"]), series="family", value="rate_per_10k",
                                   years=corpus_years, title="每年使用频率（每万字；无文档的年份留空）",
                                   y_title="每万字处数"), height=320)
                if len(rows) and corpus_years else "")
    return {"f": f, "examples": examples, "slots": slots, "documents": docs, "timeline": timeline,
            "forms": [{"template": t, "count": int(n)} for t, n in forms]}