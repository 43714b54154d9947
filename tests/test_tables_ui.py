"""Tables and charts a reader uses: sortable documents index, filtered and sorted template families, natural
order (第十届 before 第十二届), zero against no-document years in the heatmap, whole-number count ticks, and no
internal English keys on the pages. Browser tests run on the work-report site, over http and from file://."""
from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from analysis.charts import count_axis, slogan_heatmap, top_bars, yearly_counts
from analysis.names import chinese_number, natural_key, reading_order
from analysis.page_kit import KIND_NAMES
from analysis.slogan_pages import SLOGAN_KINDS


@pytest.mark.parametrize("text,value", [("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("一百零五", 105),
                                        ("一九五四", 1954), ("两千", 2000), ("〇", 0)])
def test_chinese_numbers(text, value):
    assert chinese_number(text) == value


def test_natural_order_of_sessions():
    titles = ["第十二届全国人民代表大会第五次会议决议", "第十届全国人民代表大会第三次会议决议",
              "第九届全国人民代表大会第二次会议决议", "第十届全国人民代表大会第一次会议决议"]
    assert sorted(titles) != sorted(titles, key=natural_key)      # code points put 第十二届 before 第十届
    assert sorted(titles, key=natural_key) == [titles[2], titles[3], titles[1], titles[0]]
    assert natural_key("2015年报告") < natural_key("2016年报告") < natural_key("10000年")


def test_reading_order_is_year_then_natural_title():
    docs = pd.DataFrame({"doc_id": ["r12", "r10", "y2", "y1"], "year": pd.array([None, None, 2001, 1999], dtype="Int64"),
                         "title": ["第十二届会议决议", "第十届会议决议", "报告", "报告"]})
    assert list(reading_order(docs)["doc_id"]) == ["y1", "y2", "r10", "r12"]


def test_heatmap_zero_is_white_and_no_document_years_grey():
    rows = pd.DataFrame({"slogan": ["甲", "甲"], "year": [2001, 2003], "rate_per_10k": [1.5, 0.5]})
    fig = slogan_heatmap(rows, order=["甲", "乙"], years=[2001, 2003])
    trace = fig["data"][0]
    assert trace["z"] == [[1.5, None, 0.5], [0.0, None, 0.0]]     # 2002 has no document: a gap, not a zero
    assert trace["colorscale"][0] == [0.0, "#ffffff"] and trace["zmin"] == 0
    grey = fig["layout"]["plot_bgcolor"]
    assert grey.lower() not in {c.lower() for _, c in trace["colorscale"]}
    # far from white: each channel at least 80 below 255
    assert all(int(grey[i:i + 2], 16) < 175 for i in (1, 3, 5))


def test_count_axes_have_whole_number_ticks():
    rows = pd.DataFrame({"year": [2001, 2002, 2003], "count": [1, 3, 2], "rate_per_10k": [0.33, 1.01, 0.67]})
    fig = yearly_counts(rows, years=[2001, 2002, 2003], title="t")
    assert fig["layout"]["yaxis"]["dtick"] == 1 and fig["layout"]["yaxis"]["tickformat"] == ",d"
    assert fig["layout"]["yaxis2"]["tickmode"] == "auto"         # its ticks are not pulled onto the count grid
    assert count_axis(120) == {"rangemode": "tozero", "tickformat": ",d"}
    assert top_bars(["a", "b"], [3, 1], title="t", x_title="次数")["layout"]["xaxis"]["dtick"] == 1
    assert "dtick" not in top_bars(["a"], [1.25], title="t", x_title="每万字")["layout"]["xaxis"]


INTERNAL = sorted(set(SLOGAN_KINDS) | set(KIND_NAMES))


def _visible_text(markdown: str) -> str:
    """What a reader sees of a generated page: no front matter, scripts, tags, attribute lists, link targets,
    file names or code."""
    text = re.sub(r"\A---\n.*?\n---\n", "", html.unescape(markdown), flags=re.S)
    text = re.sub(r"\{[^{}\n]*\}", "", text)
    text = re.sub(r"[\w/.-]+\.(?:ya?ml|csv|parquet|jsonl?)\b", "", text)
    text = re.sub(r"<script.*?</script>", "", text, flags=re.S)
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    text = re.sub(r"`[^`]*`", "", text)
    text = re.sub(r"<[^>]*>", "", text)
    return re.sub(r"\]\([^)]*\)", "]", text)


@pytest.mark.slow
def test_no_internal_kind_keys_on_the_work_report_pages(gwr_build):
    found = {}
    for page in sorted((gwr_build / "docs").rglob("*.md")):
        if page.name == "data-dictionary.md":    # it names the values stored in the tables, each with its meaning
            continue
        words = set(re.findall(r"[A-Za-z]+", _visible_text(page.read_text(encoding="utf-8"))))
        if words & set(INTERNAL):
            found[page.relative_to(gwr_build / "docs").as_posix()] = sorted(words & set(INTERNAL))
    assert found == {}


# ---- in chromium ----

def _column(page, table: str, index: int) -> list[str]:
    return page.eval_on_selector_all(f"{table} tbody tr", f"""rows => rows.filter(r => r.style.display !== 'none')
        .map(r => r.cells[{index}].textContent.trim())""")


def _click_header(page, table: str, name: str) -> None:
    page.locator(f"{table} thead th", has_text=name).first.click()


def _numbers(texts: list[str]) -> list[float]:
    return [float(t.replace(",", "")) for t in texts]


DOCS = "div.tifa-sortable table"


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("how", ["http", "file"])
def test_documents_index_sorts_by_clicked_column(browser, served_gwr, gwr_build, how):
    page = browser.new_page()
    page.goto(f"{served_gwr}/documents/index.html" if how == "http"
              else (gwr_build / "site" / "documents" / "index.html").as_uri())
    page.wait_for_selector(f"{DOCS} th .tifa-sort-mark", state="attached")
    years = _column(page, DOCS, 1)
    dated = [int(y) for y in years if y]
    assert dated == sorted(dated) and years[len(dated):] == [""] * (len(years) - len(dated))   # undated last
    _click_header(page, DOCS, "字数")
    chars = _numbers(_column(page, DOCS, 3))
    assert chars == sorted(chars, reverse=True) and chars != _numbers(sorted(_column(page, DOCS, 3)))
    assert page.get_attribute(f"{DOCS} thead th:nth-child(4)", "aria-sort") == "descending"
    _click_header(page, DOCS, "字数")
    assert _numbers(_column(page, DOCS, 3)) == sorted(chars)
    _click_header(page, DOCS, "标题")
    titles = _column(page, DOCS, 0)
    assert titles == sorted(titles, key=natural_key)
    sessions = [t for t in titles if re.match(r"第十二?届", t)]
    assert sessions and sessions.index(next(t for t in sessions if t.startswith("第十届"))) < \
        sessions.index(next(t for t in sessions if t.startswith("第十二届")))
    page.select_option("div.tifa-sortable .tifa-table-bar select", "决议")
    genres = _column(page, DOCS, 2)
    assert genres and set(genres) == {"决议"} and len(genres) < len(titles)
    page.close()


FAMILIES = "div.tifa-sortable:first-of-type table"


@pytest.mark.browser
@pytest.mark.slow
def test_template_families_filter_and_sort(browser, served_gwr):
    page = browser.new_page()
    page.goto(f"{served_gwr}/patterns/index.html")
    root = page.locator("div.tifa-sortable").first
    table = root.locator("table")
    page.wait_for_selector("div.tifa-sortable .tifa-table-bar")
    def column(i):
        return [r.strip() for r in table.locator("tbody tr:visible").evaluate_all(
            f"rows => rows.map(r => r.cells[{i}].textContent)")]
    counts = _numbers(column(2))
    assert counts == sorted(counts, reverse=True)             # the page's own order: by count
    table.locator("thead th", has_text="文档").click()
    docs = _numbers(column(3))
    assert docs == sorted(docs, reverse=True)
    table.locator("thead th", has_text="文档").click()
    assert _numbers(column(3)) == sorted(docs)
    kinds = column(1)
    kind = sorted(set(kinds))[0]
    root.locator(".tifa-table-bar select").select_option(kind)
    assert set(column(1)) == {kind} and len(column(1)) == kinds.count(kind)
    root.locator(".tifa-table-bar select").select_option("")
    word = column(0)[0][:2]
    root.locator(".tifa-table-bar input").fill(word)
    shown = table.locator("tbody tr:visible").evaluate_all("rows => rows.map(r => r.textContent)")
    assert shown and all(word in t for t in shown)
    page.close()


@pytest.mark.browser
@pytest.mark.slow
def test_slogan_chart_ticks_are_whole_counts_and_round_rates(browser, served_gwr, gwr_build):
    from analysis.page_kit import slogan_slugs
    from analysis.tables import read_table
    slogans = read_table(gwr_build / "build", "slogans")
    slugs = slogan_slugs(slogans)
    few = next(s for s in slogans[(slogans["count"] <= 6) & (slogans["documents"] >= 2)].sort_values("slogan")["slogan"]
               if (gwr_build / "site" / "slogans" / f"{slugs[s]}.html").exists())     # a few uses: small counts
    page = browser.new_page()
    page.goto(f"{served_gwr}/slogans/{slugs[few]}.html")
    page.wait_for_selector(".tifa-chart .y2tick", state="attached")
    counts = page.eval_on_selector_all(".tifa-chart .ytick text", "ts => ts.map(t => t.textContent)")
    rates = page.eval_on_selector_all(".tifa-chart .y2tick text", "ts => ts.map(t => +t.textContent)")
    assert counts and all(re.fullmatch(r"\d+", t) for t in counts)
    steps = {round(b - a, 9) for a, b in zip(rates, rates[1:])}
    assert len(steps) == 1
    mantissa = f"{steps.pop():e}".split("e")[0]
    assert float(mantissa) in (1.0, 2.0, 2.5, 5.0)               # a round step, not 0.59 or 1.01
    page.close()
