"""Pages: generated Markdown, written from the tables only.

This module writes the home page, the build report, the document pages and
the downloads, and calls the pattern and slogan page writers. Output goes to
git-ignored places under ``docs/``; hand-written pages stay as they are.
"""
from __future__ import annotations

import bisect
import html
import shutil
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet
from jinja2 import Environment
from markupsafe import Markup

from analysis.charts import characters_by_document, characters_by_year, embed
from analysis.compare_page import DATA_FILE as COMPARE_DATA, write_compare
from analysis.names import reading_order
from analysis.page_kit import (KIND_NAMES, in_rank_order, records, rows_by, slogan_href, slogan_places, template_env,
                               write_page, years_text)
from analysis.fragments import fragment_file
from analysis.pattern_pages import write_pattern_pages
from analysis.slogan_pages import write_slogan_pages
from analysis.reading import Mark, raw_end_of_visible, render
from analysis.schema import DICTIONARY_INTRO, TABLES, data_dictionary
from analysis.tables import csv_bytes, read_table, tables_dir

TOP_PAGES = ("index.md", "report.md", "compare.md", "downloads.md", "data-dictionary.md")
# what this module writes into the docs folder (git-ignored): pages, their fragment files (see
# analysis.fragments; those of the folders' pages are inside the folders), data files and folders
GENERATED = (*TOP_PAGES, *(fragment_file(Path(p)).name for p in TOP_PAGES), COMPARE_DATA, "documents", "patterns",
             "slogans", "downloads")


def write_pages(build_dir: Path, docs_dir: Path) -> list[Path]:
    """Write the generated pages for the tables in ``build_dir`` into ``docs_dir``; return the paths written.

    Writes in place: :func:`analysis.site.build_site` gives it a staging folder, moved into ``docs/``
    when complete, so that the site never sees pages of two runs.
    """
    docs_dir = Path(docs_dir)
    for name in GENERATED:
        target = docs_dir / name
        if target.is_dir():
            shutil.rmtree(target)
    env = template_env()
    # the tables are copied and zipped (zlib lets other threads run) while the pages are written
    with ThreadPoolExecutor(max_workers=1) as pool:
        offered = pool.submit(copy_downloads, build_dir, docs_dir)
        written = _write_pages(env, build_dir, docs_dir)
        written.append(write_downloads(env, offered.result(), docs_dir))
        written.append(write_data_dictionary(env, offered.result(), docs_dir))
    return written


def _write_pages(env: Environment, build_dir: Path, docs_dir: Path) -> list[Path]:
    """Every generated page but the downloads and the data dictionary; return the paths written."""
    documents = read_table(build_dir, "documents")
    units = read_table(build_dir, "units")
    removed = read_table(build_dir, "removed")
    skipped = read_table(build_dir, "skipped")
    written = [
        write_page(docs_dir / "index.md", env.get_template("index.md.j2").render(
            **home_context(documents, skipped), **home_highlights(build_dir, documents))),
        write_page(docs_dir / "report.md", env.get_template("report.md.j2").render(
            **report_context(documents, removed, skipped, formulae=read_table(build_dir, "genre_formulae")))),
        write_page(docs_dir / "documents" / "index.md", env.get_template("documents_index.md.j2").render(
            rows=records(reading_order(documents)))),
    ]
    written += write_pattern_pages(env, build_dir, docs_dir, documents)
    written += write_slogan_pages(env, build_dir, docs_dir, documents)
    written += write_compare(env, build_dir, docs_dir, documents)
    template = env.get_template("document.md.j2")
    texts = dict(zip(*[read_table(build_dir, "texts").get(c, []) for c in ("doc_id", "raw")]))
    by_doc = {name: rows_by(read_table(build_dir, name), "doc_id", columns)
              for name, columns in (("parallelisms", ["doc_id", "id", "kind", "template"]),
                                    ("branches", ["doc_id", "parallelism", "index", "start", "end"]),
                                    ("slogan_hits", ["doc_id", "slogan", "start", "end"]))}
    units_by_doc, removed_by_doc = rows_by(units, "doc_id"), rows_by(removed, "doc_id")
    places = slogan_places(read_table(build_dir, "slogans"))
    for doc in records(documents):
        d = doc["doc_id"]
        marks = document_marks(by_doc["parallelisms"].get(d), by_doc["branches"].get(d),
                               by_doc["slogan_hits"].get(d), places)
        page = template.render(**document_context(doc, units_by_doc.get(d), removed_by_doc.get(d),
                                                  raw=texts.get(d, ""), marks=marks))
        written.append(write_page(docs_dir / "documents" / f"{d}.md", page))
    return written


def home_context(documents: pd.DataFrame, skipped: pd.DataFrame) -> dict:
    """Figures for the home page: counts, year span with its gaps, genres, the chart."""
    years = sorted({int(y) for y in documents["year"].dropna()}) if len(documents) else []
    gaps = [y for y in range(years[0], years[-1] + 1) if y not in set(years)] if years else []
    return {
        "n_docs": len(documents),
        "characters": f"{int(documents['characters'].sum()):,}" if len(documents) else "0",
        "year_span": f"{years[0]}–{years[-1]}" if years else "—",
        "n_years": len(years),
        "missing_years": format_years(gaps),
        "undated": int(documents["year"].isna().sum()) if len(documents) else 0,
        "n_skipped": len(skipped),
        "genres": _value_counts(documents, "genre", "未标注"),
        "speakers": _value_counts(documents, "speaker", None),
        "chart": _home_chart(documents, years),
    }


def home_highlights(build_dir: Path, documents: pd.DataFrame) -> dict:
    """Top slogans with a timeline, and the commonest anchored template families, for the home page."""
    from analysis.charts import top_bars, yearly_lines
    from analysis.pattern_pages import recurring_families
    slogans = read_table(build_dir, "slogans")
    years = sorted({int(y) for y in documents["year"].dropna()}) if len(documents) else []
    out: dict = {"top_slogans": [], "slogan_timeline": "", "top_families": []}
    if len(slogans):
        places = slogan_places(slogans)
        top = in_rank_order(slogans).head(12)
        out["top_slogans"] = [{"slogan": r["slogan"], "href": slogan_href(places.get(r["slogan"]), folder="slogans/"),
                               "count": r["count"], "years": years_text(r["first_year"], r["last_year"])}
                              for r in records(top)]
        slogan_years = read_table(build_dir, "slogan_years")
        # a line needs points: the top of the ranking among the slogans used in three documents or more
        six = in_rank_order(slogans[slogans["documents"] >= 3])["slogan"].head(6).tolist()
        if years and len(slogan_years):
            out["slogan_timeline"] = embed(yearly_lines(
                slogan_years[slogan_years["slogan"].isin(six)], series="slogan", value="rate_per_10k",
                years=years, title="主要提法的逐年频率（每万字；无文档的年份断开）", y_title="每万字次数"))
        elif not years:  # no timeline without years: the counts themselves, as bars
            out["slogan_timeline"] = embed(top_bars(top["slogan"].tolist(), top["count"].tolist(),
                                                    title="主要提法（按提法度排序；条长为次数）", x_title="次数"),
                                           height=160 + 22 * len(top))
    out["top_families"] = [f for f in recurring_families(read_table(build_dir, "templates")) if f["anchors"] > 0][:10]
    return out


def _home_chart(documents: pd.DataFrame, years: list[int]) -> Markup:
    if years:
        return embed(characters_by_year(documents))
    if len(documents) > 1:
        return embed(characters_by_document(documents))
    if len(documents):
        return Markup("")   # one bar would say no more than the figures above
    return Markup("<p>语料中没有文档。</p>")


def _value_counts(df: pd.DataFrame, column: str, blank: str | None) -> list[tuple[str, int]]:
    if not len(df):
        return []
    values = df[column].fillna("").replace("", blank) if blank else df[column].replace("", None).dropna()
    return [(k, int(v)) for k, v in values.value_counts().items()]


def format_years(years: list[int]) -> str:
    """Compress years into ranges: [1961, 1962, 1963, 1965] → '1961–1963、1965'."""
    parts, run = [], []
    for y in years:
        if run and y != run[-1] + 1:
            parts.append(_run(run))
            run = []
        run.append(y)
    if run:
        parts.append(_run(run))
    return "、".join(parts)


def _run(run: list[int]) -> str:
    return str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}"


def report_context(documents: pd.DataFrame, removed: pd.DataFrame, skipped: pd.DataFrame, *,
                   formulae: pd.DataFrame | None = None) -> dict:
    """The build report: skipped inputs with reasons, removed boilerplate per document, undated documents,
    genre formulae."""
    rows = []
    if len(removed):
        titles = dict(zip(documents["doc_id"], documents["title"]))
        removed = removed.assign(chars=removed["text"].str.len())
        for (doc_id, label), g in removed.groupby(["doc_id", "label"], sort=True):
            rows.append({"doc_id": doc_id, "title": titles.get(doc_id, doc_id), "label": label,
                         "spans": len(g), "chars": int(g["chars"].sum())})
    # documents whose year neither the metadata nor the title, a date line or a session number gave
    undated = documents[documents["year"].isna()] if len(documents) else documents
    return {"n_docs": len(documents), "skipped": records(skipped), "removed": rows,
            "undated": records(undated[["doc_id", "title", "source"]]) if len(undated) else [],
            "formulae": records(formulae) if formulae is not None and len(formulae) else []}


def document_context(doc: dict, units: list[dict] | None, removed: list[dict] | None, *, raw: str = "",
                     marks: list[Mark] | None = None) -> dict:
    """A document page: metadata, outline of headings, annotated reading view (its branches' tooltips
    listed once in ``tips``, see :func:`analysis.reading.render`), removed text."""
    items = []
    outline = []
    marks = marks or []
    near = _MarksNear(marks)
    tips: dict[str, int] = {}
    title_anchors = []
    for u in units or []:
        u = dict(u)
        if u["kind"] == "title":
            # the title is the page's heading, not a paragraph: the anchors of marks in it go to the top
            title_anchors += [m.anchor for m in near(u["start"], u["end"]) if m.anchor and u["start"] <= m.start]
        elif u["kind"] == "heading":
            level = int(u["level"] or 1)
            u["hashes"] = Markup("#" * min(level + 1, 6))
            # the anchors of marks that start inside a heading are placed just before it
            u["anchors"] = [m.anchor for m in near(u["start"], u["end"]) if m.anchor and u["start"] <= m.start]
            outline.append({"indent": Markup("    " * (min(level, 4) - 1)), "text": u["clean_text"],
                            "index": u["index"]})
        else:
            extra = []
            if u["kind"] == "lead" and u["label"] and (u["clean_text"] or "").startswith(u["label"]):
                end = raw_end_of_visible(raw, u["start"], u["end"], len(u["label"]))
                extra.append(Mark(u["start"], end, "lead"))
            u["html"] = Markup(render(raw, u["start"], u["end"], near(u["start"], u["end"]) + extra, tips))
        items.append(u)
    _fix_outline_indent(outline)
    return {"doc": doc, "units": items, "outline": outline, "removed": removed or [],
            "title_anchors": title_anchors, "tips": list(tips),
            "n_parallelisms": len({m.anchor for m in marks if m.anchor and m.anchor.startswith("par")}),
            "n_hits": sum(1 for m in marks if m.href)}


class _MarksNear:
    """The marks that overlap a span, found by bisection (a long report has a thousand marks and
    hundreds of paragraphs; filtering them all for each paragraph cost more than the rendering)."""

    def __init__(self, marks: list[Mark]):
        self.marks = sorted(marks, key=lambda m: m.start)
        self.starts = [m.start for m in self.marks]
        self.longest = max((m.end - m.start for m in marks), default=0)

    def __call__(self, start: int, end: int) -> list[Mark]:
        lo = bisect.bisect_left(self.starts, start - self.longest)
        hi = bisect.bisect_left(self.starts, end)
        return [m for m in self.marks[lo:hi] if m.end > start]


def document_marks(parallelisms: list[dict] | None, branches: list[dict] | None,
                   hits: list[dict] | None, places: dict[str, tuple[str, str]]) -> list[Mark]:
    """Marks for one document: every branch (a colour per parallelism) and every hit of a slogan with a page
    of its own (the most used and the ranking's top). The rarer slogans are not highlighted: the reading view
    would drown in them, and their shared pages link to the passage by offset (``#at=``) instead."""
    marks: list[Mark] = []
    if parallelisms and branches:
        info = {r["id"]: r for r in parallelisms}
        for b in branches:
            p = info.get(b["parallelism"])
            n = int(str(b["parallelism"]).rsplit("#", 1)[1])
            title = f"{KIND_NAMES.get(p['kind'], p['kind'])}：{p['template']}" if p else None
            marks.append(Mark(int(b["start"]), int(b["end"]), f"branch pc{n % 8}", title=title,
                              anchor=f"par{n}" if b["index"] == 0 else None))
    for h in hits or []:
        if h["slogan"] in places and not places[h["slogan"]][1]:
            marks.append(Mark(int(h["start"]), int(h["end"]), "slogan", anchor=f"s{int(h['start'])}",
                              href=str(slogan_href(places.get(h["slogan"]), ".html", "../slogans/"))))
    return marks


def _fix_outline_indent(outline: list[dict]) -> None:
    """Never indent deeper than one step below the previous item (Markdown needs that)."""
    prev = -1
    for item in outline:
        depth = len(str(item["indent"])) // 4
        depth = min(depth, prev + 1)
        item["indent"] = Markup("    " * depth)
        prev = depth


# A CSV larger than this is offered zipped (tables compress four to ten times, and every system opens a zip).
ZIP_CSV_OVER = 100_000
# The site offers every table as CSV, which every spreadsheet and pandas reads (pd.read_csv("slogans.csv.zip")),
# but for these two: the corpus's text cut into paragraphs and sentences, 3 MB zipped, which the document
# pages show and texts.csv holds. They, and the Parquet of every table (exact types, about the size of the
# zipped CSV), are in build/tables/ of a local build and in the tables artifact of the site workflow:
# offering both formats of everything was a third of the work-report site's size.
LOCAL_ONLY = ("units", "sentences")
# Tables whose CSV on the site leaves out rows that say nothing, with what the downloads page says of it:
# slogan_years holds a row for every slogan and year, nine in ten of them zero (1.5 of 1.7 MB zipped).
SITE_ROWS = {"slogan_years": ("count > 0", "网站上的 CSV 只列次数大于 0 的行，其余年份为 0；各年字数见 documents")}


def copy_downloads(build_dir: Path, docs_dir: Path) -> list[dict]:
    """Copy the tables the site offers into its downloads folder as CSV (zipped when large; see
    :data:`LOCAL_ONLY` and :data:`SITE_ROWS`); return what the downloads page lists of each table: name,
    meaning, note, CSV file name (None if not offered), rows of that file and its size."""
    target = docs_dir / "downloads"
    target.mkdir(parents=True, exist_ok=True)
    tables = []
    for parquet in sorted(tables_dir(build_dir).glob("*.parquet")):
        name = parquet.stem
        kept, note = SITE_ROWS.get(name, (None, ""))
        if name in LOCAL_ONLY:
            offered, rows = None, pyarrow.parquet.ParquetFile(parquet).metadata.num_rows
        else:
            data, rows = _site_csv(parquet, kept)
            offered = _offer(data, parquet.with_suffix(".csv").name, target)
        tables.append({"name": name, "description": TABLES[name].meaning if name in TABLES else "",
                       "described": name in TABLES, "note": note, "rows": rows,
                       "csv": offered and Markup(html.escape(offered.name)), "csv_size": offered and _size(offered)})
    order = list(TABLES)
    tables.sort(key=lambda t: (order.index(t["name"]) if t["name"] in order else len(order), t["name"]))
    return tables


def write_downloads(env: Environment, tables: list[dict], docs_dir: Path) -> Path:
    """The downloads page listing ``tables`` (:func:`copy_downloads`); return its path."""
    page = env.get_template("downloads.md.j2").render(tables=tables, local_only=LOCAL_ONLY)
    return write_page(docs_dir / "downloads.md", page)


def _site_csv(parquet: Path, kept: str | None) -> tuple[bytes, int]:
    """The CSV beside ``parquet`` as the site offers it, only the rows matching the pandas query ``kept``
    if given; return its bytes and rows."""
    if kept is None:
        return parquet.with_suffix(".csv").read_bytes(), pyarrow.parquet.ParquetFile(parquet).metadata.num_rows
    df = pd.read_parquet(parquet).query(kept)
    return csv_bytes(pa.Table.from_pandas(df, preserve_index=False)), len(df)


def _offer(data: bytes, name: str, target: Path) -> Path:
    """Write ``data`` as the file ``name`` into ``target``, zipped (``name``.zip) if larger than
    :data:`ZIP_CSV_OVER`; return the file written."""
    if len(data) <= ZIP_CSV_OVER:
        (target / name).write_bytes(data)
        return target / name
    out = target / f"{name}.zip"
    # a fixed date inside the archive: the same tables give the same file
    info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(info, data)
    return out


def write_data_dictionary(env: Environment, tables: list[dict], docs_dir: Path) -> Path:
    """The data dictionary page, from the schema, linking the files the downloads page offers
    (``tables``, from :func:`copy_downloads`: a zipped CSV by its .csv.zip name); return its path."""
    offered = {t["name"]: {"csv": t["csv"] and str(t["csv"]), "parquet": None} for t in tables}
    text = data_dictionary(files="downloads/", offered=offered, elsewhere="（本地构建的 build/tables/ 中）")
    return write_page(docs_dir / "data-dictionary.md", env.get_template("data_dictionary.md.j2").render(
        intro=Markup(DICTIONARY_INTRO), tables=Markup(text)))


def _size(path: Path) -> str:
    n = path.stat().st_size
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{max(1, round(n / 1024))} KB"
