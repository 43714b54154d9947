"""The compare page: its data file, and its own comparisons in chromium against ``analysis.keyness``.

The browser tests choose groups on the work-report site's compare page and assert that the page shows
the same rows, in the same order, with the same figures as :func:`analysis.keyness.compare_groups`.
"""
from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.compare_page import compare_data, format_q, group_columns
from analysis.keyness import compare_groups
from analysis.names import parse_group
from analysis.tables import read_table


def _data(script: str) -> dict:
    prefix = "window.TIFA_COMPARE = "
    line = next(l for l in script.splitlines() if l.startswith(prefix))
    return json.loads(line[len(prefix):].rstrip(";"))


def test_data_file_holds_counts_per_document_and_escapes_markup():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "year": pd.array([2001, None, 2003], dtype="Int64"),
                         "genre": ["报告", "决议", "报告"], "speaker": ["", "", ""], "characters": [100, 50, 80]})
    slogan_docs = pd.DataFrame({"slogan": ["<script>x", "y", "y", "y"], "doc_id": ["b", "c", "a", "zz"],
                                "count": [2, 3, 1, 9]})
    script = compare_data(docs, slogan_docs, {"y": "y-page.html"})
    assert "<script>" not in script
    data = _data(script)
    assert data["documents"] == {"characters": [100, 50, 80], "year": [2001, None, 2003],
                                 "genre": ["报告", "决议", "报告"], "speaker": ["", "", ""]}
    assert data["slogans"] == ["<script>x", "y"]
    # pairs of (document index, count) in document order; a document not in the table (zz) is left out
    assert data["counts"] == [[1, 2], [0, 1, 2, 3]]
    assert data["links"] == [None, "y-page.html"]
    assert group_columns(docs) == {"year": "年份", "genre": "文体"}     # speaker has no two values


@pytest.mark.parametrize("q,text", [(0.5, "0.500"), (0.001, "0.001"), (0.000999, "1.0e-3"), (2.46e-31, "2.5e-31"),
                                    (0.0, "0.0e0")])
def test_format_q(q, text):
    assert format_q(q) == text


# ---- in chromium, on the work reports ----

GROUPS = [("year", "1954-1990", "1991-2025", 3), ("genre", "工作报告", "决议", 3), ("year", "2013-2017", "2018-2022", 2),
          ("year", "1978", "2024", 1)]


def _choose(page, by: str, a: str, b: str, min_docs: int) -> None:
    page.click("text=选择其他两组比较…")
    page.wait_for_selector("select[name=by]")
    page.select_option("select[name=by]", by)
    if by == "year":
        for name, spec in (("a", a), ("b", b)):
            low, _, high = spec.partition("-")
            page.select_option(f"select[name={name}_from]", low)
            page.select_option(f"select[name={name}_to]", high or low)
    else:
        page.select_option("select[name=a]", a)
        page.select_option("select[name=b]", b)
    page.fill("input[name=min_docs]", str(min_docs))
    page.click("form.tifa-compare-form button[type=submit]")
    page.wait_for_selector(".tifa-compare-note")


def _page_rows(page, side: str) -> list[dict]:
    return page.eval_on_selector_all(f'table[data-side="{side}"] tbody tr', """rows => rows.map(tr => {
        const row = {slogan: tr.getAttribute('data-slogan'), link: tr.querySelector('a')?.getAttribute('href') || null};
        tr.querySelectorAll('td[data-column]').forEach(td => {
            row[td.getAttribute('data-column')] = +td.getAttribute('data-value');
            row[td.getAttribute('data-column') + '_text'] = td.textContent; });
        return row; })""")


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("by,a,b,min_docs", GROUPS)
def test_page_computes_what_the_command_computes(browser, served_gwr, gwr_build, by, a, b, min_docs):
    build = gwr_build / "build"
    documents = read_table(build, "documents")
    table, docs_a, docs_b = compare_groups(documents, read_table(build, "slogan_docs"), read_table(build, "slogans"),
                                           parse_group(a, by), parse_group(b, by), min_docs=min_docs)
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{served_gwr}/compare.html")
    _choose(page, by, a, b, min_docs)
    groups = page.eval_on_selector_all("table[data-groups] td[data-value]", "tds => tds.map(td => +td.dataset.value)")
    assert groups == [len(docs_a), int(docs_a["characters"].sum()), len(docs_b), int(docs_b["characters"].sum())]
    assert int(page.inner_text(".tifa-compare-note [data-tested]")) == len(table)
    assert int(page.inner_text(".tifa-compare-note [data-significant]")) == int(table["significant"].sum())
    sig = table[table["significant"]]
    for side in ("A", "B"):
        expected = sig[sig["key_for"] == side].head(50)
        shown = _page_rows(page, side)
        assert [r["slogan"] for r in shown] == list(expected["slogan"])
        for r, e in zip(shown, expected.itertuples()):
            assert (r["count_a"], r["count_b"], r["docs_a"], r["docs_b"]) == (e.count_a, e.count_b, e.docs_a, e.docs_b)
            for column in ("rate_a", "rate_b", "g2", "log_ratio"):
                assert r[column] == pytest.approx(getattr(e, column), rel=1e-9, abs=1e-12)
            assert r["q_value"] == pytest.approx(e.q_value, rel=1e-6)
            assert r["q_value_text"] == format_q(e.q_value)
    page.close()
    assert errors == []


@pytest.mark.browser
@pytest.mark.slow
def test_default_view_is_the_keyness_table_and_works_from_file(browser, gwr_build):
    """The page opens on the static table of the build; from file:// the data script still loads."""
    build = gwr_build / "build"
    keyness = read_table(build, "keyness")
    by, a, b = keyness.loc[0, "by"], keyness.loc[0, "group_a"], keyness.loc[0, "group_b"]
    page = browser.new_page()
    page.goto((gwr_build / "site" / "compare.html").as_uri())
    first_a = page.eval_on_selector_all(".tifa-compare-result table", "ts => ts[1].querySelector('tbody td').textContent")
    sig = keyness[keyness["significant"]]
    assert first_a == sig[sig["key_for"] == "A"].iloc[0]["slogan"]
    # nothing loaded yet: the data comes with the first own comparison
    assert page.evaluate("typeof window.TIFA_COMPARE") == "undefined"
    _choose(page, by, a, b, int(keyness.loc[0, "min_docs"]))
    assert page.evaluate("typeof window.TIFA_COMPARE") == "object"
    assert _page_rows(page, "A")[0]["slogan"] == first_a
    assert page.eval_on_selector_all('script[src$="compare-data.js"]', "s => s.length") == 1
    page.close()
