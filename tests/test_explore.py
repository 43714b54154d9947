"""The explore page and the kwic/trend commands: any term's hits, trend, KWIC lines, collocates and dispersion,
from the sharded data the page loads on demand (analysis/explore.py, analysis/explore_data.py, explore.js)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import pytest

from conftest import ROOT
from site_kit import ARTIFACTS, body_size

from analysis.explore import (Document, Term, decode_tokens, encode_tokens, hits, kwic_table, parse_query, trend,
                              QueryError)
from analysis.explore_data import character_index, index_file, shard_documents, write_explore_data


# ------------------------------------------------------------------ the query and its hits

def test_a_query_is_terms_split_by_spaces_or_commas_with_alternatives():
    terms = parse_query(" 小康|全面小康，现代化 工业化,现代化 ")
    assert [t.label for t in terms] == ["小康|全面小康", "现代化", "工业化"]
    assert terms[0].alternatives == ("全面小康", "小康")          # the longest first
    with pytest.raises(QueryError):
        parse_query(" ,| ")


def test_hits_are_leftmost_longest_and_do_not_overlap():
    term = parse_query("小康|全面小康")[0]
    assert hits("建成全面小康，小康社会", term) == [(2, 6), (7, 9)]
    assert hits("aaaa", Term("aa", ("aa",))) == [(0, 2), (2, 4)]    # as str.count counts
    assert hits("a.b*c", parse_query("a.b*c")[0]) == [(0, 5)]       # no pattern syntax in a term
    assert hits("axb", parse_query("a.b")[0]) == []


def _docs(*texts, year=2000):
    return [Document(f"d{i}", f"文档{i}", year + i if year else None, len(t), t) for i, t in enumerate(texts)]


def test_trend_leaves_years_without_documents_out_and_counts_documents():
    docs = _docs("小康小康", "没有", "小康") + [Document("x", "无年份", None, 10, "小康")]
    table = trend(docs, parse_query("小康"))
    assert table["year"].tolist() == [2000, 2001, 2002]
    assert table["count"].tolist() == [2, 0, 1] and table["documents"].tolist() == [1, 0, 1]
    assert table["rate_per_10k"].tolist()[0] == 5000.0


def test_kwic_gives_raw_offsets_and_visible_context():
    raw = "第一段\n发展新质生产力，\u3000加快建设"
    lines = kwic_table(_docs(raw), parse_query("新质生产力"), context=5)
    row = lines.iloc[0]
    assert raw[row["start"]:row["end"]] == "新质生产力"
    assert row["left"] == "一段发展" and row["right"] == "，加快建"     # line break and full-width space dropped


def test_token_stream_round_trips_words_and_skips_punctuation():
    text = "坚持稳中求进，推动高质量发展。"
    tokens = [("坚持", 0, 2), ("稳中求进", 2, 6), ("，", 6, 7), ("推动", 7, 9), ("高质量", 9, 12), ("发展", 12, 14),
              ("。", 14, 15)]
    code = encode_tokens(tokens, len(text))
    assert decode_tokens(code) == [(0, 2), (2, 6), (7, 9), (9, 12), (12, 14)]
    assert code.isascii() and '"' not in code and "\\" not in code
    assert decode_tokens(encode_tokens([("x" * 60, 20, 80)], 100)) == [(20, 72), (72, 80)]   # a long gap, a long word


def test_shards_keep_reading_order_and_the_index_finds_every_shard_of_a_string():
    texts = ["甲乙丙" * 30_000, "丁戊" * 10, "乙丙丁" * 30_000, "戊己" * 5]
    docs = _docs(*texts)
    shards = shard_documents(docs)
    assert [i for shard in shards for i, _ in shard] == [0, 1, 2, 3]
    assert len(shards) == 2
    assert shard_documents([]) == [] and len(shard_documents(_docs("", "", "甲"))) == 1   # empty texts are fine
    index = character_index(shards)
    assert index["甲乙"] == 0b01 and index["乙丙"] == 0b11 and index["戊己"] == 0b10
    assert "己甲" not in index
    assert 0 <= index_file("乙丙", 7) < 7


def test_offsets_in_the_data_count_as_javascript_does():
    from analysis.explore_data import js_offsets as offsets
    raw = "\U00020000新质生产力"          # a character outside the BMP is two UTF-16 units in a JS string
    to_js = offsets(raw)
    assert to_js(1) == 2 and to_js(len(raw)) == len(raw.encode("utf-16-le")) // 2
    assert offsets("新质生产力")(3) == 3


# ------------------------------------------------------------------ the data files and the command line

def test_data_files_are_scripts_that_register_their_value(sample_build):
    out = sample_build / "docs"
    names = {p.name for p in (out / "explore-data").glob("*.js")}
    assert {"docs.js", "t0.js", "i0.js", "words.js", "titles.js"} <= names
    text = (out / "explore-data" / "docs.js").read_text(encoding="utf-8")
    assert text.startswith('tifaData("docs",')
    manifest = json.loads(text[len('tifaData("docs",'):-3])
    assert manifest["shards"] >= 1 and manifest["docs"][0][0] == "jiguan-dangyuan-dahui-jianghua"
    assert (out / "explore.md").exists()


def test_the_data_files_are_the_same_every_time(sample_build, tmp_path):
    for n in (1, 2):
        write_explore_data(sample_build / "build", tmp_path / str(n))
    files = sorted(p.name for p in (tmp_path / "1" / "explore-data").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "2" / "explore-data").iterdir())
    for name in files:
        assert (tmp_path / "1" / "explore-data" / name).read_bytes() == (tmp_path / "2" / "explore-data" / name).read_bytes()


def test_markup_in_a_text_stays_data_in_the_shards(tmp_path):
    from analysis.pipeline import analyze_corpus
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "evil.txt").write_text("标题\n正文里有</script><script>alert(1)</script>和“引号”。\n", encoding="utf-8")
    analyze_corpus(corpus, tmp_path / "build", progress=False)
    write_explore_data(tmp_path / "build", tmp_path / "docs")
    shard = (tmp_path / "docs" / "explore-data" / "t0.js").read_text(encoding="utf-8")
    value = json.loads(shard[len('tifaData("t0",'):-3])
    assert "</script><script>alert(1)</script>" in value[0][1]       # a JSON string in a .js file: never HTML


def _cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, cwd=ROOT,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_kwic_and_trend_commands_print_tables_and_csv(sample_build):
    build = str(sample_build / "build")
    raw = (ROOT / "corpus" / "jiguan-dangyuan-dahui-jianghua.txt").read_text(encoding="utf-8")
    out = _cli("kwic", "三会一课", "--build-dir", build, "--csv")
    assert out.returncode == 0, out.stderr
    rows = pd.read_csv(__import__("io").StringIO(out.stdout))
    assert len(rows) == raw.count("三会一课") > 0
    assert all(raw[s:e] == "三会一课" for s, e in zip(rows["start"], rows["end"]))
    out = _cli("trend", "三会一课", "--build-dir", build)
    assert out.returncode == 0 and "has a year" in out.stderr        # the speech is undated: said, not an empty table
    out = _cli("kwic", ",", "--build-dir", build)
    assert out.returncode == 2 and "no term" in out.stderr
    out = _cli("trend", "x", "--build-dir", str(sample_build / "nothing"))
    assert out.returncode == 2 and "no tables" in out.stderr


# ------------------------------------------------------------------ the page, in chromium, on the work reports

def _raw_count(gwr_path: Path, term: str) -> tuple[int, set]:
    """Hits of ``term`` in the JSONL's texts, counted in Python, and the titles that hold it."""
    n, titles = 0, set()
    for line in gwr_path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        k = record["content"].count(term)
        n += k
        if k:
            titles.add(record["title"])
    return n, titles


def explore(page, base: str, query: str) -> dict:
    """Type ``query`` into the explore page and wait for the result; return the chart's lines and the KWIC rows."""
    page.goto(f"{base}/explore.html")
    page.locator("#tifa-explore input[type=search]").click()
    page.keyboard.type(query)
    page.keyboard.press("Enter")
    return _result(page)


def _result(page) -> dict:
    page.wait_for_selector("#tifa-explore[data-done]", timeout=60000)
    # plotly.js is loaded with the first chart (charts.js), so the chart may come just after the result
    page.wait_for_function("() => document.querySelector('.tifa-explore-chart')?.data", timeout=60000)
    lines = page.evaluate("() => document.querySelector('.tifa-explore-chart').data.map("
                          "t => ({name: t.name, x: t.x, y: t.y}))")
    rows = page.locator(".tifa-kwic tbody tr")
    return {"lines": lines, "rows": rows.count(), "status": page.locator(".tifa-status").inner_text(),
            "ms": int(page.locator("#tifa-explore").get_attribute("data-ms")),
            "kwic": [rows.nth(i).inner_text() for i in range(min(rows.count(), 20))]}


@pytest.mark.browser
@pytest.mark.slow
def test_a_new_term_gives_its_years_and_every_passage(browser, served_gwr, gwr_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    got = explore(page, served_gwr, "新质生产力")
    expected, _ = _raw_count(gwr_path, "新质生产力")
    assert got["rows"] == expected > 0
    line, = got["lines"]
    years = [x for x, y in zip(line["x"], line["y"]) if y]
    assert years == [2024, 2025]
    assert "q=" + quote("新质生产力") in page.url
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "explore.png"), full_page=True)
    # the chart switches to raw counts
    page.locator("input[name=tifa-mode][value=count]").check()
    counts = page.evaluate("() => document.querySelector('.tifa-explore-chart').data[0].y")
    assert sum(c or 0 for c in counts) == sum(1 for r in got["kwic"] if "不详" not in r)
    page.close()


@pytest.mark.browser
@pytest.mark.slow
def test_the_page_counts_what_the_trend_command_counts(browser, served_gwr, gwr_build):
    from analysis.explore import load_documents
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    got = explore(page, served_gwr, "小康|全面小康 工业化")
    assert [line["name"] for line in got["lines"]] == ["小康|全面小康", "工业化"]     # two terms, two lines
    table = trend(load_documents(gwr_build / "build"), parse_query("小康|全面小康 工业化"))
    printed = _cli("trend", "小康|全面小康", "工业化", "--build-dir", str(gwr_build / "build"), "--csv")
    assert printed.returncode == 0
    assert pd.read_csv(__import__("io").StringIO(printed.stdout)).equals(table)   # the command prints the same
    for line in got["lines"]:
        mine = table[table["term"] == line["name"]]
        page_years = {x: y for x, y in zip(line["x"], line["y"]) if y is not None}
        assert set(page_years) == set(mine["year"])                             # gaps where no documents
        for year, rate in zip(mine["year"], mine["rate_per_10k"]):
            assert page_years[year] == pytest.approx(rate, abs=1e-3), (line["name"], year)
    # a gap: a year inside the span without documents has no value
    assert any(y is None for y in got["lines"][0]["y"])
    _same_collocates(page, gwr_build / "site", parse_query("小康|全面小康")[0])
    assert page.locator(".tifa-strip").count() == page.locator(".tifa-docs tbody tr").count()
    page.close()


def _data(site: Path, name: str):
    text = (site / "explore-data" / f"{name}.js").read_text(encoding="utf-8")
    return json.loads(text[len(f'tifaData("{name}",'):-3])


def _same_collocates(page, site: Path, term) -> None:
    """The page's collocates are those :func:`analysis.explore.collocates` finds in the same shards."""
    from analysis.explore import collocates
    texts = [(row[1], decode_tokens(row[2])) for n in range(_data(site, "docs")["shards"]) for row in _data(site, f"t{n}")]
    words = _data(site, "words")
    expected = collocates(texts, term, words["words"], words["total"])[:50]
    page.locator(".tifa-colloc tbody tr").first.wait_for()
    rows = page.locator(".tifa-colloc tbody tr")
    shown = [rows.nth(i).inner_text().split("\t") for i in range(rows.count())]
    assert len(shown) == len(expected) > 3
    assert [(w, int(c), int(f)) for w, c, f, _ in shown[:10]] == [(r["word"], r["count"], r["frequency"])
                                                                  for r in expected[:10]]
    assert [float(g) for *_, g in shown] == pytest.approx([round(r["g2"], 1) for r in expected], abs=0.051)


@pytest.mark.browser
@pytest.mark.slow
def test_a_query_link_reopened_shows_the_same_result(browser, served_gwr):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    first = explore(page, served_gwr, "现代化，工业化")
    url = page.url
    page.close()
    again = browser.new_page(viewport={"width": 1280, "height": 900})
    again.goto(url)
    second = _result(again)
    assert second["lines"] == first["lines"] and second["rows"] == first["rows"] and second["kwic"] == first["kwic"]
    assert again.locator("#tifa-explore input[type=search]").input_value() == "现代化，工业化"
    again.close()


@pytest.mark.browser
@pytest.mark.slow
def test_markup_in_a_query_is_shown_as_text(browser, served_gwr):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    got = explore(page, served_gwr, "<script>alert(1)</script> 发展")
    assert "「<script>alert(1)</script>」0 处" in got["status"]
    assert page.locator("#tifa-explore script").count() == 0 and dialogs == []
    assert [line["name"] for line in got["lines"]] == ["<script>alert(1)</script>", "发展"]
    page.close()


@pytest.mark.browser
@pytest.mark.slow
def test_a_kwic_line_links_to_the_exact_place_in_the_document(browser, served_gwr, gwr_build):
    from analysis.explore import load_documents
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    explore(page, served_gwr, "因地制宜")
    link = page.locator(".tifa-kwic tbody tr").last.locator("a")
    href = link.get_attribute("href")
    doc_id, start, end = re.search(r"documents/([^/]+)\.html#at=(\d+)-(\d+)$", href).groups()
    raw = {d.doc_id: d.raw for d in load_documents(gwr_build / "build")}[doc_id]
    assert raw[int(start):int(end)] == "因地制宜"              # the link holds raw offsets, as the tables do
    link.click()
    mark = page.locator("mark.tifa-at")
    mark.wait_for(timeout=30000)
    assert mark.inner_text() == "因地制宜"
    unit = mark.evaluate("m => m.closest('[id^=u]').id")
    units = pd.read_parquet(gwr_build / "build" / "tables" / "units.parquet")
    row = units[(units["doc_id"] == doc_id) & (units["index"] == int(unit[1:]))].iloc[0]
    assert row["start"] <= int(start) < row["end"]            # the highlighted hit is the one linked
    assert mark.evaluate("m => { const r = m.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }")
    page.screenshot(path=str(ARTIFACTS / "explore-target.png"))
    page.close()


@pytest.mark.browser
@pytest.mark.slow
def test_explore_works_from_disk(browser, gwr_build, gwr_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((gwr_build / "site" / "explore.html").as_uri() + "#q=" + quote("新质生产力"))
    got = _result(page)
    assert got["rows"] == _raw_count(gwr_path, "新质生产力")[0]
    page.locator(".tifa-kwic tbody a").first.click()          # and the link lands, from disk too
    page.locator("mark.tifa-at").wait_for(timeout=30000)
    assert page.locator("mark.tifa-at").inner_text() == "新质生产力" and page.url.startswith("file://")
    page.close()


@pytest.mark.browser
@pytest.mark.slow
def test_explore_timings_on_the_work_reports(browser, served_gwr, gwr_build):
    """Prints what the page loads first and how long queries take (figures for the report; nothing asserted on time)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    loads: list[tuple[str, int]] = []
    page.on("response", lambda r: loads.append((r.url, body_size(r))))
    page.goto(f"{served_gwr}/explore.html")
    page.wait_for_load_state("networkidle")
    print(f"\nexplore.html first load: {sum(n for _, n in loads) / 1e6:.2f} MB in {len(loads)} files "
          f"(plotly.js {sum(n for u, n in loads if 'plotly.min' in u) / 1e6:.2f} MB), "
          f"data files {sum(1 for u, _ in loads if 'explore-data' in u)}")
    for query in ("新质生产力", "小康|全面小康 工业化", "发展", "改革 开放 创新"):
        mark = len(loads)
        started = time.perf_counter()
        got = explore(page, served_gwr, query)
        data = [n for u, n in loads[mark:] if "explore-data" in u]
        print(f"query {query!r}: page {got['ms']} ms, wall {time.perf_counter() - started:.2f} s, "
              f"{got['rows']} KWIC rows shown, {len(data)} data files {sum(data) / 1e6:.2f} MB")
    page.close()


@pytest.mark.browser
def test_explore_on_an_undated_corpus_lists_passages_without_a_chart(browser, served_sample):
    raw = (ROOT / "corpus" / "jiguan-dangyuan-dahui-jianghua.txt").read_text(encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{served_sample}/explore.html#q=" + quote("三会一课"))
    page.wait_for_selector("#tifa-explore[data-done]", timeout=60000)
    assert page.locator(".tifa-kwic tbody tr").count() == raw.count("三会一课") > 0
    assert "没有年份" in page.locator(".tifa-chart-box").inner_text()
    assert page.locator(".tifa-strip .tifa-tick").count() == raw.count("三会一课")
    page.close()


@pytest.mark.browser
@pytest.mark.slow
def test_explore_and_search_fit_a_phone(browser, served_gwr):
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(f"{served_gwr}/explore.html#q=" + quote("小康 工业化"))
    page.wait_for_selector("#tifa-explore[data-done]", timeout=60000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390     # wide tables scroll in their own box
    page.locator(".tifa-search-input").click()
    page.keyboard.type("脱贫")
    page.wait_for_function("() => document.querySelector('.tifa-search')?.getAttribute('data-done') === '脱贫'")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "search-phone.png"))
    page.close()
