"""Slogan pages: the index (charts, heatmap, a sortable and filterable table), a page per common slogan and
shared pages of the rarer ones (every slogan has a place; see :func:`analysis.page_kit.slogan_places`)."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from jinja2 import Environment

from analysis.charts import embed, slogan_heatmap, top_bars, yearly_counts
from analysis.escape import script_json
from analysis.page_kit import (MAX_PAGES, columns_of, RANKED_PAGES, in_rank_order, records, slogan_href, slogan_places,
                               write_page, years_text)
from analysis.tables import read_table

# Passages shown on a slogan's page and on a shared page of rarer ones; every occurrence is one click away
# on the explore page (explore.html#q=…), which reads the texts only when asked, so the pages stay light.
KWIC_LINES = 20
# a rarer slogan's row shows its first passage with this many characters either side
RARE_CONTEXT = 12
SLOGAN_KINDS = {
    "quoted": ("引号术语", "在文中多次加引号使用的短语"),
    "numbered": ("数字概括", "“四个意识”“六稳”式的数字加概括"),
    "enumeration": ("并列短语", "以顿号或逗号连在一起反复出现的一组短语"),
    "cohesive": ("固定搭配", "跨文档反复出现、内部结合紧密、边界多样的多词表达"),
    "lexicon": ("词表", "项目词表 lexicon/slogans.yaml 中的条目"),
}


def kind_name(kind: str) -> str:
    return SLOGAN_KINDS.get(kind, (kind, ""))[0]


def write_slogan_pages(env: Environment, build_dir: Path, docs_dir: Path, documents: pd.DataFrame) -> list[Path]:
    """Write the slogan index, its table data, a page per common slogan and the shared pages of the
    rarer ones (every slogan has a place: :func:`analysis.page_kit.slogan_places`); return the paths."""
    slogans = read_table(build_dir, "slogans")
    if not len(slogans):
        return [write_page(docs_dir / "slogans" / "index.md",
                           "# 提法\n\n这个语料中没有找到反复出现的提法。文档越多，统计越可靠。\n")]
    hits = read_table(build_dir, "slogan_hits")
    years_table = read_table(build_dir, "slogan_years")
    corpus_years = sorted({int(y) for y in documents["year"].dropna()}) if len(documents) else []
    places = slogan_places(slogans)
    own = {name for name, (_, anchor) in places.items() if not anchor}
    rare_pages = sorted({page for page, anchor in places.values() if anchor},
                        key=lambda p: (p.rsplit("-", 1)[1][0], int(p.rsplit("-", 1)[1][1:])))
    out = docs_dir / "slogans"
    written = [write_page(out / "index.md", env.get_template("slogans_index.md.j2").render(
        **index_context(slogans, hits, years_table, corpus_years, len(documents)), max_pages=MAX_PAGES,
        ranked_pages=RANKED_PAGES, n_own=len(own),
        rare_pages=[_rare_link(p) for p in rare_pages]))]
    written.append(write_page(out / "table-data.js", table_data(slogans, places)))
    passages = Passages(hits, documents, full=own)
    years_by = (dict(tuple(years_table[years_table["slogan"].isin(own)].groupby("slogan", sort=False)))
                if len(years_table) else {})
    near = neighbour_table(read_table(build_dir, "cooccurrence"), only=own)
    links = link_groups(read_table(build_dir, "slogan_links"))
    template = env.get_template("slogan.md.j2")
    rows = records(slogans)
    for s in (s for s in rows if s["slogan"] in own):
        ctx = slogan_context(s, passages, years_by.get(s["slogan"]), near, corpus_years, places, links=links)
        written.append(write_page(out / f"{places[s['slogan']][0]}.md", template.render(**ctx)))
    written += write_rare_pages(env, out, [s for s in rows if s["slogan"] not in own], passages, places, rare_pages)
    return written


class Passages:
    """Every slogan's first hits in reading order (year, document, offset) as KWIC lines, and its uses per
    document, grouped once for all pages: per slogan, pandas would cost more than the pages themselves.
    Only the lines a page shows are kept as Python objects (a corpus ten times larger has ten times the
    hits, not ten times the lines on a page): ``keep`` for the slogans in ``full`` (all if None), one
    for the others."""

    def __init__(self, hits: pd.DataFrame, documents: pd.DataFrame, *, keep: int = KWIC_LINES,
                 full: set[str] | None = None):
        titles = dict(zip(documents["doc_id"], documents["title"]))
        self.years_of = dict(zip(documents["doc_id"], documents["year"]))
        self.titles = titles
        self.by_slogan: dict[str, list[dict]] = {}
        self.total: dict[str, int] = {}
        self.per_document: dict[str, list[tuple[str, int]]] = {}
        if not len(hits):
            return
        # the reading order is worked out on the key columns alone: sorting the whole table would copy
        # its context strings (hundreds of MB for a corpus of 700 reports)
        key = hits[["slogan", "doc_id", "year", "start"]].sort_values(["year", "doc_id", "start"],
                                                                      na_position="last", kind="mergesort")
        rank = key.groupby("slogan", sort=False).cumcount()
        # ``full``: the slogans with a page of their own; the others' rows show their first passage only
        shown = keep if full is None else key["slogan"].isin(full).map({True: keep, False: 1})
        first = key.index[rank < shown]
        for h in records(hits.loc[first, ["slogan", "doc_id", "year", "start", "end", "left", "hit", "right"]]):
            self.by_slogan.setdefault(h["slogan"], []).append(
                {"doc_id": h["doc_id"], "title": titles.get(h["doc_id"], h["doc_id"]),
                 "year": years_text(h["year"], h["year"]), "start": int(h["start"]), "end": int(h["end"]),
                 "left": h["left"], "hit": h["hit"], "right": h["right"]})
        self.total = key["slogan"].value_counts().to_dict()
        uses = key.groupby(["slogan", "doc_id"], sort=False).size().reset_index(name="n")
        uses = uses.sort_values(["slogan", "n", "doc_id"], ascending=[True, False, True], kind="mergesort")
        for slogan, doc_id, n in columns_of(uses, "slogan", "doc_id", "n"):
            self.per_document.setdefault(slogan, []).append((doc_id, int(n)))

    def of(self, slogan: str) -> list[dict]:
        """The first :data:`KWIC_LINES` hits of ``slogan`` (or ``keep``), in reading order."""
        return self.by_slogan.get(slogan, [])

    def more_than_shown(self, slogan: str) -> bool:
        return self.total.get(slogan, 0) > len(self.of(slogan))

    def documents(self, slogan: str) -> list[dict]:
        """The documents using ``slogan``, most uses first: ``{"doc_id", "title", "year", "count"}``."""
        return [{"doc_id": d, "title": self.titles.get(d, d), "year": years_text(self.years_of.get(d),
                                                                               self.years_of.get(d)), "count": n}
                for d, n in self.per_document.get(slogan, [])]


def write_rare_pages(env: Environment, out: Path, rows: list[dict], passages: Passages,
                     places: dict[str, tuple[str, str]], pages: list[str]) -> list[Path]:
    """The shared pages of the rarer slogans, one per first letter of their ids; return the paths."""
    by_page: dict[str, list[dict]] = {}
    for s in sorted(rows, key=lambda r: places[r["slogan"]][1]):
        page, anchor = places[s["slogan"]]
        hits = passages.of(s["slogan"])
        first = (dict(hits[0], left=hits[0]["left"][-RARE_CONTEXT:], right=hits[0]["right"][:RARE_CONTEXT])
                 if hits else None)
        by_page.setdefault(page, []).append(dict(_facts(s), anchor=anchor, first=first))
    template = env.get_template("slogans_rare.md.j2")
    links = [_rare_link(p) for p in pages]
    return [write_page(out / f"{page}.md", template.render(letter=_rare_link(page)["letter"], entries=entries,
                                                           pages=links))
            for page, entries in by_page.items()]


def _rare_link(page: str) -> dict:
    """A shared page's link label: ``rare-z2`` → ``Z2``, ``rare-z1`` → ``Z1``."""
    return {"page": page, "letter": page.rsplit("-", 1)[1].upper()}


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


def table_data(slogans: pd.DataFrame, places: dict[str, tuple[str, str]]) -> str:
    """The index table's rows, in rank order, as a script setting ``window.TIFA_TABLES.slogans``; every
    slogan links its place."""
    rows = []
    ranked = "sloganhood" in slogans
    for s in records(in_rank_order(slogans)):
        rows.append([s["slogan"], kind_name(s["kind"]), int(s["count"]), int(s["documents"]),
                     round(float(s["rate_per_10k"]), 3), _int(s["first_year"]), _int(s["last_year"]),
                     *([round(float(s["sloganhood"]), 2)] if ranked else []),
                     slogan_href(places.get(s["slogan"]), ".html") or ""])
    columns = ["提法", "类型", "次数", "文档数", "每万字", "首次", "最近"] + (["提法度"] if ranked else [])
    # the default order is the ranking's: its column, highest first
    data = {"columns": columns, "sort": len(columns) - 1 if ranked else 2,
            "kinds": sorted({kind_name(k) for k in slogans["kind"]}), "rows": rows}
    body = script_json(data)
    return f"window.TIFA_TABLES = window.TIFA_TABLES || {{}};\nwindow.TIFA_TABLES.slogans = {body};\n"


def _int(v):
    return None if v is None else int(v)


def _facts(s: dict) -> dict:
    """A slogan's row with its kind, rate and first / last year as the pages show them."""
    return dict(s, kind_name=kind_name(s["kind"]), rate=f"{float(s['rate_per_10k']):.2f}",
                variants="、".join(s.get("variants") if s.get("variants") is not None else []),
                years=f"{years_text(s['first_year'], s['first_year'])} / {years_text(s['last_year'], s['last_year'])}",
                # the signals are internal keys joined by 、 (or a list): each shown by its Chinese name
                signals="、".join(kind_name(k) for k in re.split(r"[、,;\s\[\]\"']+", str(s.get("signals") or ""))
                                 if k and k != s["kind"]))


def slogan_context(s: dict, passages: Passages, years: pd.DataFrame | None, near: dict[str, list[dict]],
                   corpus_years: list[int], places: dict[str, tuple[str, str]], *,
                   links: dict[str, dict] | None = None) -> dict:
    """One slogan's page: facts, yearly chart with gaps, KWIC lines linking to the passage, documents, neighbours,
    and (from :func:`link_groups`) the members it stands for and the abbreviations it is a member of.

    The KWIC lines are the first of the slogan's hits in reading order (year, document, offset).
    """
    hits = passages.of(s["slogan"])
    chart = (embed(yearly_counts(years, years=corpus_years, title="逐年使用（空白为没有文档的年份）"), height=320)
             if years is not None and len(years) and corpus_years else "")
    linked = (links or {}).get(s["slogan"], {})
    return {"s": _facts(s), "kwic": hits, "kwic_more": passages.more_than_shown(s["slogan"]),
            "documents": passages.documents(s["slogan"]), "chart": chart,
            "cooccurring": [dict(n, href=slogan_href(places.get(n["slogan"]), ".html"))
                            for n in near.get(s["slogan"], [])],
            # a member that is no slogan of this corpus has no place: shown as text (with its counts)
            "members": [dict(m, href=slogan_href(places.get(m["member"]))) for m in linked.get("members", [])],
            "members_source": linked.get("source", ""),
            "part_of": [{"slogan": a, "href": slogan_href(places.get(a), ".html")} for a in linked.get("part_of", [])]}


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
                            for m, p, n, d in columns_of(g, "member", "position", "count", "documents")]
    for abbreviation, member in columns_of(links[["abbreviation", "member"]].drop_duplicates(), "abbreviation", "member"):
        part_of = out.setdefault(member, {}).setdefault("part_of", [])
        if abbreviation not in part_of:
            part_of.append(abbreviation)
    return out


def neighbour_table(co: pd.DataFrame, top: int = 15, only: set[str] | None = None) -> dict[str, list[dict]]:
    """For every slogan (of ``only``, if given), the ``top`` slogans most often in the same paragraph (most
    paragraphs, then PMI).

    Returns ``{slogan: [{"slogan", "paragraphs", "pmi"}, ...]}`` from the ``cooccurrence`` table,
    which holds each pair once: both directions are read.
    """
    if not len(co):
        return {}
    pairs = pd.concat([co.rename(columns={"slogan_a": "slogan", "slogan_b": "other"}),
                       co.rename(columns={"slogan_b": "slogan", "slogan_a": "other"})], ignore_index=True)
    if only is not None:
        pairs = pairs[pairs["slogan"].isin(only)]
    pairs = (pairs.sort_values(["slogan", "paragraphs", "pmi"], ascending=[True, False, False], kind="mergesort")
             .groupby("slogan", sort=False).head(top))
    out: dict[str, list[dict]] = {}
    for slogan, other, paragraphs, pmi in columns_of(pairs, "slogan", "other", "paragraphs", "pmi"):
        out.setdefault(slogan, []).append({"slogan": other, "paragraphs": int(paragraphs), "pmi": f"{float(pmi):.2f}"})
    return out
