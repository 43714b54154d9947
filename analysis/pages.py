"""Pages: generated Markdown, written from the tables only.

Every value from the corpus goes through :func:`analysis.escape.md_escape`
(the Jinja ``finalize`` hook), so no template can forget to escape. Output
goes to git-ignored places under ``docs/``; hand-written pages stay as they are.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from analysis.charts import characters_by_document, characters_by_year, embed, top_bars, yearly_lines
from analysis.corpus import make_id
from analysis.escape import link, md_escape, page_title, slug
from analysis.reading import Mark, raw_end_of_visible, render
from analysis.tables import read_table

GENERATED = ("index.md", "report.md", "documents", "patterns", "downloads.md", "downloads")
KIND_NAMES = {"phrase": "词语排列", "clause": "分句排比", "sentence": "句子排比", "enumeration": "一是…二是…",
              "heading": "标题框架"}


def _env() -> Environment:
    env = Environment(loader=PackageLoader("analysis", "templates"), finalize=md_escape,
                      undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=True)
    env.filters["slug"] = slug
    env.filters["link"] = link
    env.filters["page_title"] = page_title
    return env


def write_pages(build_dir: Path, docs_dir: Path) -> list[Path]:
    """Write the generated pages for the tables in ``build_dir``; return the paths written."""
    docs_dir = Path(docs_dir)
    for name in GENERATED:
        target = docs_dir / name
        if target.is_dir():
            shutil.rmtree(target)
    env = _env()
    documents = read_table(build_dir, "documents")
    units = read_table(build_dir, "units")
    removed = read_table(build_dir, "removed")
    skipped = read_table(build_dir, "skipped")
    written = [
        _write(docs_dir / "index.md", env.get_template("index.md.j2").render(**home_context(documents, skipped))),
        _write(docs_dir / "report.md", env.get_template("report.md.j2").render(
            **report_context(documents, removed, skipped))),
        _write(docs_dir / "documents" / "index.md", env.get_template("documents_index.md.j2").render(
            rows=_records(documents.sort_values(["year", "doc_id"], na_position="last")))),
    ]
    written += write_pattern_pages(env, build_dir, docs_dir, documents)
    written.append(write_downloads(env, build_dir, docs_dir))
    template = env.get_template("document.md.j2")
    texts = dict(zip(*[read_table(build_dir, "texts").get(c, []) for c in ("doc_id", "raw")]))
    by_doc = {name: _by_doc(read_table(build_dir, name)) if name not in ("units", "removed") else None
              for name in ("parallelisms", "branches", "slogan_hits")}
    units_by_doc, removed_by_doc = _by_doc(units), _by_doc(removed)
    slugs = slogan_slugs(read_table(build_dir, "slogans"))
    for doc in _records(documents):
        d = doc["doc_id"]
        marks = document_marks(by_doc["parallelisms"].get(d), by_doc["branches"].get(d),
                               by_doc["slogan_hits"].get(d), slugs)
        page = template.render(**document_context(doc, units_by_doc.get(d), removed_by_doc.get(d),
                                                  raw=texts.get(d, ""), marks=marks))
        written.append(_write(docs_dir / "documents" / f"{d}.md", page))
    return written


def _by_doc(df: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return dict(tuple(df.groupby("doc_id", sort=False))) if len(df) and "doc_id" in df else {}


def slogan_slugs(slogans: pd.DataFrame) -> dict[str, str]:
    """A file-safe, stable id for every slogan."""
    if not len(slogans) or "slogan" not in slogans:
        return {}
    return unique_slugs(slogans["slogan"].dropna().unique())


def unique_slugs(names, *, fallback: str = "item") -> dict[str, str]:
    """A file-safe, stable id per name: pinyin slug, then -2, -3 … on collisions in sorted order.

    A name with nothing to transliterate (a template that is all slots) gets
    ``fallback`` and a short hash of the name.
    """
    import hashlib
    out: dict[str, str] = {}
    used: set[str] = set()
    for name in sorted(set(names)):
        base = make_id(name)
        if base.startswith("doc-"):
            base = f"{fallback}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:8]}"
        slug_, n = base, 2
        while slug_ in used:
            slug_, n = f"{base}-{n}", n + 1
        used.add(slug_)
        out[name] = slug_
    return out


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _records(df: pd.DataFrame | None) -> list[dict]:
    if df is None or not len(df):
        return []
    return [{k: (None if _missing(v) else v) for k, v in row.items()} for row in df.to_dict("records")]


def _missing(v) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def home_context(documents: pd.DataFrame, skipped: pd.DataFrame) -> dict:
    """Figures for the home page: counts, year span with its gaps, genres, the chart."""
    years = sorted({int(y) for y in documents["year"].dropna()}) if len(documents) else []
    missing = [y for y in range(years[0], years[-1] + 1) if y not in set(years)] if years else []
    return {
        "n_docs": len(documents),
        "characters": f"{int(documents['characters'].sum()):,}" if len(documents) else "0",
        "year_span": f"{years[0]}–{years[-1]}" if years else "—",
        "n_years": len(years),
        "missing_years": format_years(missing),
        "undated": int(documents["year"].isna().sum()) if len(documents) else 0,
        "n_skipped": len(skipped),
        "genres": _value_counts(documents, "genre", "未标注"),
        "speakers": _value_counts(documents, "speaker", None),
        "chart": _home_chart(documents, years),
    }


def _home_chart(documents: pd.DataFrame, years: list[int]) -> Markup:
    if years:
        return embed(characters_by_year(documents))
    if len(documents):
        return embed(characters_by_document(documents))
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


def report_context(documents: pd.DataFrame, removed: pd.DataFrame, skipped: pd.DataFrame) -> dict:
    """The build report: skipped inputs with reasons, removed boilerplate per document."""
    rows = []
    if len(removed):
        titles = dict(zip(documents["doc_id"], documents["title"]))
        removed = removed.assign(chars=removed["text"].str.len())
        for (doc_id, label), g in removed.groupby(["doc_id", "label"], sort=True):
            rows.append({"doc_id": doc_id, "title": titles.get(doc_id, doc_id), "label": label,
                         "spans": len(g), "chars": int(g["chars"].sum())})
    return {"n_docs": len(documents), "skipped": _records(skipped), "removed": rows}


def document_context(doc: dict, units: pd.DataFrame | None, removed: pd.DataFrame | None, *, raw: str = "",
                     marks: list[Mark] | None = None) -> dict:
    """A document page: metadata, outline of headings, annotated reading view, removed text."""
    items = []
    outline = []
    marks = marks or []
    for u in _records(units):
        u = dict(u)
        if u["kind"] == "heading":
            level = int(u["level"] or 1)
            u["hashes"] = Markup("#" * min(level + 1, 6))
            # Headings stay plain Markdown (they feed the table of contents), so the anchors of
            # marks that start inside one are placed just before it.
            u["anchors"] = [m.anchor for m in marks if m.anchor and u["start"] <= m.start < u["end"]]
            outline.append({"indent": Markup("    " * (min(level, 4) - 1)), "text": u["clean_text"],
                            "index": u["index"]})
        else:
            extra = []
            if u["kind"] == "lead" and u["label"] and (u["clean_text"] or "").startswith(u["label"]):
                end = raw_end_of_visible(raw, u["start"], u["end"], len(u["label"]))
                extra.append(Mark(u["start"], end, "lead"))
            u["html"] = Markup(render(raw, u["start"], u["end"], marks + extra))
        items.append(u)
    _fix_outline_indent(outline)
    return {"doc": doc, "units": items, "outline": outline, "removed": _records(removed),
            "n_parallelisms": len({m.anchor for m in marks if m.anchor and m.anchor.startswith("par")}),
            "n_hits": sum(1 for m in marks if m.href)}


def document_marks(parallelisms: pd.DataFrame | None, branches: pd.DataFrame | None,
                   hits: pd.DataFrame | None, slogan_slugs: dict[str, str]) -> list[Mark]:
    """Marks for one document: every branch (a colour per parallelism) and every slogan hit."""
    marks: list[Mark] = []
    if parallelisms is not None and branches is not None and len(branches):
        info = {r["id"]: r for r in _records(parallelisms)}
        for b in _records(branches):
            p = info.get(b["parallelism"])
            n = int(str(b["parallelism"]).rsplit("#", 1)[1])
            title = f"{KIND_NAMES.get(p['kind'], p['kind'])}：{p['template']}" if p else None
            marks.append(Mark(int(b["start"]), int(b["end"]), f"branch pc{n % 8}", title=title,
                              anchor=f"par{n}" if b["index"] == 0 else None))
    if hits is not None and len(hits):
        for h in _records(hits):
            slug_ = slogan_slugs.get(h["slogan"])
            marks.append(Mark(int(h["start"]), int(h["end"]), "slogan",
                              href=f"../slogans/{slug_}.html" if slug_ else None, anchor=f"s{int(h['start'])}"))
    return marks


def _fix_outline_indent(outline: list[dict]) -> None:
    """Never indent deeper than one step below the previous item (Markdown needs that)."""
    prev = -1
    for item in outline:
        depth = len(str(item["indent"])) // 4
        depth = min(depth, prev + 1)
        item["indent"] = Markup("    " * depth)
        prev = depth


def _years_text(first, last) -> str:
    if first is None or _missing(first):
        return "不详"
    return str(int(first)) if first == last else f"{int(first)}–{int(last)}"


def write_pattern_pages(env: Environment, build_dir: Path, docs_dir: Path, documents: pd.DataFrame) -> list[Path]:
    """The pattern index and one page per template family used more than once; return paths written."""
    parallelisms = read_table(build_dir, "parallelisms")
    branches = read_table(build_dir, "branches")
    templates = read_table(build_dir, "templates")
    years_table = read_table(build_dir, "template_years")
    if not len(templates):
        templates = pd.DataFrame(columns=["family", "template", "kind", "anchors", "example", "count", "documents",
                                          "first_year", "last_year"])
    # Frames with shared anchor words first, bare lists (anchors == 0) after; commonest first in each.
    recurring = (templates[templates["count"] >= 2]
                 .assign(bare=lambda d: d["anchors"] == 0)
                 .sort_values(["bare", "count", "family"], ascending=[True, False, True]))
    slugs = unique_slugs(recurring["family"], fallback="pattern")
    corpus_years = sorted({int(y) for y in documents["year"].dropna()}) if len(documents) else []
    families = []
    for f in _records(recurring):
        f.update(slug=slugs[f["family"]], kind_name=KIND_NAMES.get(f["kind"], f["kind"]),
                 years=_years_text(f["first_year"], f["last_year"]))
        families.append(f)
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
    written = [_write(docs_dir / "patterns" / "index.md", index)]
    titles = dict(zip(documents["doc_id"], documents["title"]))
    years_of = dict(zip(documents["doc_id"], documents["year"]))
    p_by_family = dict(tuple(parallelisms.groupby("family", sort=False))) if len(parallelisms) else {}
    b_by_p = dict(tuple(branches.groupby("parallelism", sort=False))) if len(branches) else {}
    template = env.get_template("pattern.md.j2")
    for f in families:
        ps = p_by_family.get(f["family"], pd.DataFrame())
        page = template.render(**family_context(f, ps, b_by_p, titles, years_of, years_table, corpus_years))
        written.append(_write(docs_dir / "patterns" / f"{f['slug']}.md", page))
    return written


def family_context(f: dict, ps: pd.DataFrame, b_by_p: dict, titles: dict, years_of: dict,
                   years_table: pd.DataFrame, corpus_years: list[int]) -> dict:
    """One family page: examples with links to the passage, slot fillers, timeline, documents."""
    examples, fillers = [], []
    for p in _records(ps):
        bs = b_by_p.get(p["id"])
        texts = " ／ ".join(bs["text"].str.replace(r"\s+", "", regex=True)) if bs is not None else ""
        if len(examples) < 30:
            examples.append({"doc_id": p["doc_id"], "title": titles.get(p["doc_id"], p["doc_id"]),
                             "year": _years_text(years_of.get(p["doc_id"]), years_of.get(p["doc_id"])),
                             "n": p["id"].rsplit("#", 1)[1], "branches": texts})
        if bs is not None and len(fillers) < 200:
            for b in _records(bs):
                fillers.append({"title": titles.get(p["doc_id"], p["doc_id"]), "index": b["index"] + 1,
                                "fillers": b["fillers"] or "—"})
    docs = (ps.groupby("doc_id").size().rename("count").reset_index() if len(ps)
            else pd.DataFrame(columns=["doc_id", "count"]))
    docs = [{"doc_id": d["doc_id"], "title": titles.get(d["doc_id"], d["doc_id"]),
             "year": _years_text(years_of.get(d["doc_id"]), years_of.get(d["doc_id"])), "count": d["count"]}
            for d in _records(docs.sort_values(["count", "doc_id"], ascending=[False, True]))]
    rows = years_table[years_table["family"] == f["family"]] if len(years_table) else years_table
    timeline = (embed(yearly_lines(rows.assign(family=f["template"]), series="family", value="rate_per_10k",
                                   years=corpus_years, title="每年使用频率（每万字；无文档的年份留空）",
                                   y_title="每万字处数"), height=320)
                if len(rows) and corpus_years else "")
    return {"f": f, "examples": examples, "fillers": fillers, "documents": docs, "timeline": timeline}


TABLE_DESCRIPTIONS = {
    "documents": "每篇文档一行：编号、标题、年份、文体、发言人、字数、段落数、来源文件",
    "skipped": "被跳过的输入及原因",
    "texts": "每篇文档的原始文本（所有偏移量都指向它）",
    "units": "标题、称呼、各级标题、引导段与普通段落，带级别与偏移量",
    "sentences": "句子及偏移量",
    "removed": "清洗时去除的非正文内容及原因",
    "slogans": "提法：规范形式、类型、变体、次数、文档数、每万字频率、首末年份",
    "slogan_hits": "提法的每一处出现：文档、偏移量、上下文",
    "slogan_years": "提法逐年次数与每万字频率（只含有文档的年份）",
    "slogan_docs": "提法在各文档中的次数",
    "cooccurrence": "同段共现的提法对",
    "keyness": "两个时期或组别之间的提法关键度（对数似然比）",
    "parallelisms": "平行结构：类型、层级、模板、家族、分支数",
    "branches": "平行结构的每个分支：偏移量、文字、槽位填充",
    "templates": "模板家族：模板、例子、次数、文档数、首末年份",
    "template_years": "模板家族逐年次数与每万字频率（只含有文档的年份）",
}


def write_downloads(env: Environment, build_dir: Path, docs_dir: Path) -> Path:
    """Copy every table into the site and write the downloads page; return its path."""
    from analysis.tables import tables_dir
    target = docs_dir / "downloads"
    target.mkdir(parents=True, exist_ok=True)
    tables = []
    for parquet in sorted(tables_dir(build_dir).glob("*.parquet")):
        name = parquet.stem
        csv = parquet.with_suffix(".csv")
        shutil.copyfile(parquet, target / parquet.name)
        shutil.copyfile(csv, target / csv.name)
        tables.append({"name": name, "description": TABLE_DESCRIPTIONS.get(name, ""),
                       "rows": len(pd.read_parquet(parquet, columns=[])),
                       "csv_size": _size(csv), "parquet_size": _size(parquet)})
    order = list(TABLE_DESCRIPTIONS)
    tables.sort(key=lambda t: (order.index(t["name"]) if t["name"] in order else len(order), t["name"]))
    return _write(docs_dir / "downloads.md", env.get_template("downloads.md.j2").render(tables=tables))


def _size(path: Path) -> str:
    n = path.stat().st_size
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{max(1, round(n / 1024))} KB"
