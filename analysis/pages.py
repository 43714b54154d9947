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

from analysis.charts import characters_by_document, characters_by_year, embed
from analysis.corpus import make_id
from analysis.escape import link, md_escape, page_title, slug
from analysis.reading import Mark, raw_end_of_visible, render
from analysis.tables import read_table

GENERATED = ("index.md", "report.md", "documents")
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
    """A file-safe, stable id for every slogan (pinyin slug; -2, -3 … on collisions, in table order)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    if not len(slogans) or "slogan" not in slogans:
        return out
    for name in sorted(slogans["slogan"].dropna().unique()):
        base = make_id(name)
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
