"""The compare page: the keyness table of the last comparison, and the data to compare any two groups in the browser.

The page shows the ``keyness`` table as it stands (the earlier against the
later half of the dated documents, or the groups of the last
``python -m analysis compare``). Its controls let a reader choose two other
periods or groups; ``docs/javascripts/compare.js`` then computes the same
statistics as :mod:`analysis.keyness` (G², log ratio, Benjamini–Hochberg
q-values, minimum document frequency) from one shared data file,
``compare-data.js``: slogan counts per document and the documents' year,
genre, speaker and size. It is a script, not JSON to fetch, because pages
opened from ``file://`` may not fetch local files; the page loads it once,
when the reader first asks for another comparison.
"""
from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd
from jinja2 import Environment

from analysis.charts import embed, keyness_bars
from analysis.escape import script_json
from analysis.names import parse_group
from analysis.page_kit import missing, records, slogan_href, slogan_places, write_page
from analysis.tables import read_table

DATA_FILE = "compare-data.js"
# the document columns a reader may group by, with their names on the page
GROUP_COLUMNS = {"year": "年份", "genre": "文体", "speaker": "发言人"}
# other columns the command may group by (``--by title``), named for the page
OTHER_COLUMNS = {"title": "标题", "doc_id": "文档编号", "source": "来源"}
TOP = 50          # rows per group in the tables
MIN_DOCS = 3      # the page's default when the keyness table is empty (the same as the command's)


def write_compare(env: Environment, build_dir: Path, docs_dir: Path, documents: pd.DataFrame) -> list[Path]:
    """Write ``compare.md`` and its data file ``compare-data.js``; return both paths."""
    table = read_table(build_dir, "keyness")
    slogans = read_table(build_dir, "slogans")
    places = slogan_places(slogans)     # every slogan has a page or a place on a shared page
    links = {name: str(slogan_href(place, ".html")) for name, place in places.items()}
    data_path = write_page(Path(docs_dir) / DATA_FILE, compare_data(documents, read_table(build_dir, "slogan_docs"),
                                                                    links))
    page = env.get_template("compare.md.j2").render(**compare_context(table, documents, places))
    return [write_page(Path(docs_dir) / "compare.md", page), data_path]


def compare_context(table: pd.DataFrame, documents: pd.DataFrame, places: dict[str, tuple[str, str]]) -> dict:
    """What the template shows: the two groups with their sizes, the chart and the key slogans of each."""
    columns = group_columns(documents)
    ctx: dict = {"table": len(table) > 0, "columns": columns, "data_file": DATA_FILE}
    if not len(table):
        ctx["setup"] = {"by": next(iter(columns), "year"), "a": "", "b": "", "min_docs": MIN_DOCS}
        return ctx
    by, a_spec, b_spec = (str(table.loc[0, c]) for c in ("by", "group_a", "group_b"))
    groups = {}
    for name, spec in (("a", a_spec), ("b", b_spec)):
        docs = documents[parse_group(spec, by).mask(documents)]
        groups[name] = {"spec": spec, "docs": len(docs), "chars": f"{int(docs['characters'].sum()):,}"}
    sig = table[table["significant"]]
    ctx.update(by={**GROUP_COLUMNS, **OTHER_COLUMNS}.get(by, "所选列"), a=groups["a"], b=groups["b"],
               tested=len(table), n_sig=len(sig),
               setup={"by": by, "a": a_spec, "b": b_spec, "min_docs": int(table.loc[0, "min_docs"])},
               chart=embed(keyness_bars(table, label_a=f"A（{a_spec}）", label_b=f"B（{b_spec}）"), height=700),
               key_a=keyness_rows(sig[sig["key_for"] == "A"].head(TOP), places),
               key_b=keyness_rows(sig[sig["key_for"] == "B"].head(TOP), places))
    return ctx


def group_columns(documents: pd.DataFrame) -> dict[str, str]:
    """The document columns worth grouping by (present, with at least two values), with their names."""
    out = {}
    for column, name in GROUP_COLUMNS.items():
        if column in documents.columns:
            values = {str(v).strip() for v in documents[column] if not missing(v)} - {""}
            if len(values) >= 2:
                out[column] = name
    return out


def keyness_rows(df: pd.DataFrame, places: dict[str, tuple[str, str]]) -> list[dict]:
    """Rows of the keyness table formatted as the page (and compare.js) shows them, each slogan linking its place."""
    rows = []
    for r in records(df):
        rows.append({"slogan": r["slogan"], "href": slogan_href(places.get(r["slogan"]), ".html", "slogans/"),
                     "count_a": r["count_a"], "count_b": r["count_b"], "docs_a": r["docs_a"], "docs_b": r["docs_b"],
                     "rate_a": f"{r['rate_a']:.2f}", "rate_b": f"{r['rate_b']:.2f}", "g2": f"{r['g2']:.1f}",
                     "q": format_q(r["q_value"]), "log_ratio": f"{r['log_ratio']:.2f}"})
    return rows


def format_q(q: float) -> str:
    """A q-value in three decimals, or as 2.5e-31 when smaller than 0.001 (compare.js writes the same)."""
    if q >= 0.001:
        return f"{q:.3f}"
    mantissa, exponent = f"{q:.1e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def compare_data(documents: pd.DataFrame, slogan_docs: pd.DataFrame, links: dict[str, str]) -> str:
    """The script ``compare-data.js``: ``window.TIFA_COMPARE`` with the documents and slogan counts per document.

    Documents are columns (year, the group columns, characters) in the documents table's order; each
    slogan has a flat list ``[document index, count, document index, count …]`` and a link to its place
    in ``slogans/`` (``links``: a page of its own or an anchor on a shared page; null for none).
    """
    index = {d: i for i, d in enumerate(documents["doc_id"])}
    docs: dict = {"characters": [int(c) for c in documents["characters"]]}
    for column in GROUP_COLUMNS:
        if column in documents.columns:
            docs[column] = [None if missing(v) else (int(v) if column == "year" else str(v).strip())
                            for v in documents[column]]
    names, counts = [], []
    if len(slogan_docs) and "slogan" in slogan_docs.columns:
        known = slogan_docs[slogan_docs["doc_id"].isin(index) & (slogan_docs["count"] > 0)]
        # one pass over rows sorted by slogan and document (a pandas group per slogan cost seconds)
        known = known.assign(i=known["doc_id"].map(index).astype(int)).sort_values(["slogan", "i"])
        rows = zip(known["slogan"], known["i"].astype(int), known["count"].astype(int))
        for slogan, group in itertools.groupby(rows, key=lambda r: r[0]):
            names.append(slogan)
            counts.append([int(v) for _, i, n in group for v in (i, n)])
    data = {"columns": GROUP_COLUMNS, "documents": docs, "slogans": names,
            "links": [links.get(s) for s in names], "counts": counts}
    # corpus text inside a script: < > & escaped so nothing in it can end the script or open markup
    body = script_json(data)
    return ("// Written by analysis/compare_page.py: the data the compare page's own comparisons read.\n"
            f"window.TIFA_COMPARE = {body};\n")
