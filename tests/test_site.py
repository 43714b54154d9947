"""The built site: pages exist, the chart is there, corpus text is escaped, and it renders in chromium."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from analysis.pipeline import analyze_corpus
from analysis.site import build_site
from analysis.fragments import page_text
from conftest import ROOT
from site_kit import ARTIFACTS, build


def test_failed_site_build_says_why(sample_build, tmp_path, capsys):
    # a docs folder without the hand-written pages: strict mkdocs fails, and the warnings name what is missing
    code = build_site(sample_build / "build", docs_dir=tmp_path / "docs", site_dir=tmp_path / "site",
                      config_file=ROOT / "mkdocs.yml", progress=False)
    err = capsys.readouterr().err
    assert code == 3
    assert "method.md" in err and "mkdocs build failed" in err


def test_sample_site_has_home_chart_document_page_and_report(sample_site):
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    assert 'class="tifa-chart"' in home and '"type":"bar"' in home
    # one undated document: its slogans' counts are charted, not a lone bar of its length or empty year cards
    assert "主要提法（按提法度排序；条长为次数）" in home and "各文档字数" not in home and "年份范围" not in home
    page = sample_site / "documents" / "jiguan-dangyuan-dahui-jianghua.html"
    html = page.read_text(encoding="utf-8")
    assert "在机关党员大会上的讲话" in html and "不忘初心、牢记使命" in html
    assert "已去除的非正文内容" in html and "仅供学习" in html      # removed header shown, collapsed
    assert 'id="u4"' in html                                            # anchors for every paragraph
    assert (sample_site / "report.html").exists()


def test_data_dictionary_page_describes_every_table_and_the_downloads_link_to_it(sample_site):
    from analysis.pages import LOCAL_ONLY
    from analysis.schema import TABLES
    html = (sample_site / "data-dictionary.html").read_text(encoding="utf-8")
    assert "<title>数据字典" in html
    for t in TABLES.values():
        assert f'<h2 id="{t.name}">' in html and t.meaning in html, t.name
        if t.name in LOCAL_ONLY:             # named, with where to find it
            assert f"<code>{t.name}.csv</code>（本地构建的 build/tables/ 中）" in html, t.name
        else:
            assert f'href="downloads/{t.name}.csv"' in html and (sample_site / "downloads" / f"{t.name}.csv").exists()
        assert all(f"<code>{c.name}</code>" in html for c in t.columns), t.name
    downloads = (sample_site / "downloads.html").read_text(encoding="utf-8")
    assert 'href="data-dictionary.html#slogan_hits"' in downloads and 'href="data-dictionary.html"' in downloads
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    assert 'href="data-dictionary.html"' in home               # in the navigation


def test_site_is_self_contained(sample_site):
    """No Google Fonts, no CDN scripts: the site loads in China and offline."""
    assert (sample_site / "assets" / "javascripts" / "plotly.min.js").stat().st_size > 1_000_000
    for html in sample_site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, html
        for src in re.findall(r'<script[^>]+src="([^"]+)"', text):
            assert not src.startswith(("http:", "https:", "//")), (html, src)


def test_corpus_text_is_escaped_everywhere(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "evil.txt").write_text(
        "<script>alert(1)</script> 标题\n同志们：\n正文里有 **粗体**、[链接](http://example.com) 和 <b>标签</b>。\n"
        "# 不是标题\n| 不是 | 表格 |\n", encoding="utf-8")
    (corpus / "metadata.csv").write_text('file,title,speaker\nevil.txt,"<img src=x onerror=alert(2)>",**某人**\n',
                                         encoding="utf-8")
    site = build(tmp_path, corpus)
    pages = [p for p in site.rglob("*.html")]
    text = "\n".join(p.read_text(encoding="utf-8") for p in pages)
    assert "<script>alert(1)</script>" not in text
    assert "<img src=x" not in text and "<b>标签</b>" not in text
    assert "<strong>粗体</strong>" not in text and "<strong>某人</strong>" not in text
    assert 'href="http://example.com"' not in text
    doc_page = next(p for p in pages if p.parent.name == "documents" and p.name != "index.html")
    html = doc_page.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" in _visible(html)   # shown as text ...
    assert "**粗体**" in _visible(html)
    assert "<script>alert" not in html                      # ... never as markup


def _visible(html: str) -> str:
    import html as h
    return h.unescape(re.sub(r"<[^>]+>", "", html))


# ------------------------------------------------------------------ browser

@pytest.mark.browser
def test_home_chart_renders_in_chromium_without_outside_requests(browser, served_sample):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(served_sample) else None)
    page.goto(f"{served_sample}/index.html")
    page.wait_for_selector("div.tifa-chart .main-svg", timeout=15000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)
    assert page.locator("div.tifa-chart[data-drawn] .main-svg").count() >= 1
    assert outside == []
    page.goto(f"{served_sample}/documents/jiguan-dangyuan-dahui-jianghua.html")
    assert page.locator("#u4").inner_text().startswith("一、")
    page.screenshot(path=str(ARTIFACTS / "document.png"), full_page=False)
    page.close()


def _slug_of(build_dir: Path, slogan: str) -> str:
    from analysis.page_kit import slogan_slugs
    from analysis.tables import read_table
    return slogan_slugs(read_table(build_dir, "slogans"))[slogan]


@pytest.mark.browser
def test_kwic_link_lands_on_the_highlighted_passage(browser, served_sample, sample_build):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{served_sample}/slogans/{_slug_of(sample_build / 'build', '三会一课')}.html")
    rows = page.locator("table.kwic tbody tr")
    assert rows.count() >= 1
    link = rows.first.locator("a")
    assert link.inner_text() == "三会一课"
    link.click()
    page.wait_for_load_state()
    anchor = page.url.rsplit("#", 1)[1]
    assert anchor.startswith("s") and "jiguan-dangyuan-dahui-jianghua" in page.url
    target = page.locator(f"[id='{anchor}']")      # the highlighted link itself carries the id
    assert target.inner_text() == "三会一课"
    background = target.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background == "rgb(255, 224, 102)"       # the :target highlight
    start = int(anchor[1:])
    raw = (ROOT / "corpus" / "jiguan-dangyuan-dahui-jianghua.txt").read_text(encoding="utf-8")
    assert raw[start:start + 4] == "三会一课"            # the anchor is the raw offset of the hit
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "kwic-target.png"))
    page.close()


@pytest.mark.browser
def test_document_page_marks_parallel_branches(browser, served_sample):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{served_sample}/documents/jiguan-dangyuan-dahui-jianghua.html#u6")
    branches = page.locator(".doc-text .branch")
    assert branches.count() >= 6
    titles = {branches.nth(i).get_attribute("title") for i in range(branches.count())}
    assert any("〈A〉" in (t or "") for t in titles)
    colour = branches.first.evaluate("e => getComputedStyle(e).borderBottomStyle")
    assert colour == "solid"
    page.screenshot(path=str(ARTIFACTS / "document-branches.png"))
    page.close()


# ------------------------------------------------------------------ the work-report site

@pytest.mark.slow
def test_work_report_site_pages_stay_small(gwr_build):
    """Every page but the document pages stays under 300 KB of HTML, however many slogans there are."""
    site = gwr_build / "site"
    pages = list(site.rglob("*.html"))
    assert len(pages) > 500
    big = [(p.relative_to(site), p.stat().st_size) for p in pages
           if p.parent.name != "documents" and p.stat().st_size > 300_000]
    assert big == []
    nav = (site / "index.html").read_text(encoding="utf-8")
    assert nav.count('class="md-tabs__link"') <= 10          # navigation lists index pages only


# what users must not see on pattern pages: family keys (empty slots, the ordinal marker) and English kind names
INTERNAL_KEYS = re.compile(r"〈〉|〔一〕|\b(?:phrase|clause|sentence|enumeration|heading|numbered|quoted|framed)\b")


def article_text(html: str) -> str:
    """The visible text of a page's article: scripts and tags taken out."""
    body = html.split("<article", 1)[1].split("</article>", 1)[0]
    body = re.sub(r"<script.*?</script>|<style.*?</style>", "", body, flags=re.S)
    return re.sub(r"<[^>]+>", "", body)


def test_sample_pattern_index_shows_named_families_examples_and_fillers(sample_site):
    html = (sample_site / "patterns" / "index.html").read_text(encoding="utf-8")
    text = article_text(html)
    assert "一是〈A〉" in text and "以〈A〉为〈B〉" in text            # names generated from the frames
    assert "并列短语（无共同框架）" in text and "槽位常见填充" in text and "〈A〉：" in text
    assert re.search(r'href="\.\./documents/[a-z0-9-]+\.html#par\d+"', html)   # examples link to their passage
    assert not INTERNAL_KEYS.search(text), INTERNAL_KEYS.search(text)
    listed = article_text((sample_site / "patterns" / "all.html").read_text(encoding="utf-8"))
    assert not INTERNAL_KEYS.search(listed)
    data = (sample_site / "patterns" / "table-data.js").read_text(encoding="utf-8")
    assert "一是〈A〉" in data and not INTERNAL_KEYS.search(data.split("\n", 1)[1])


def test_work_report_pattern_pages_name_families_and_hide_keys(tmp_path, gwr_path):
    """Pattern pages of six work reports: each family row has its name, count, two linked examples and fillers."""
    import itertools

    from analysis.page_kit import template_env
    from analysis.pattern_pages import write_pattern_pages
    from analysis.tables import read_table
    with open(gwr_path, encoding="utf-8") as f:
        (tmp_path / "six.jsonl").write_text("".join(itertools.islice(f, 6)), encoding="utf-8")
    analyze_corpus(tmp_path / "six.jsonl", tmp_path / "build", progress=False, use_cache=False)
    written = write_pattern_pages(template_env(), tmp_path / "build", tmp_path / "docs",
                                  read_table(tmp_path / "build", "documents"))
    index = page_text(tmp_path / "docs" / "patterns" / "index.md")
    # the families' table is HTML (a row per family, a cell per column): linked names first
    rows = [re.findall(r"<td>(.*?)</td>", r) for r in index.splitlines() if r.startswith("<tr><td><a href=")]
    rows = [cells for cells in rows if "〈A〉" in cells[0]]
    assert len(rows) >= 5
    for cells in rows:
        assert cells[1] in {"词语排列", "分句排比", "句子排比", "一是…二是…", "标题框架"}, cells
        assert int(cells[2]) >= 2 and cells[5].count("#par") == 2 and cells[6].startswith("〈A〉："), cells
    for page in written:
        if page.suffix == ".md":
            text = page_text(page).split("\n---\n", 1)[-1]
            assert not INTERNAL_KEYS.search(text), (page.name, INTERNAL_KEYS.search(text))


@pytest.mark.slow
def test_work_report_site_has_the_pages_a_reader_expects(gwr_build):
    site = gwr_build / "site"
    from analysis.page_kit import slogan_slugs
    from analysis.tables import read_table
    slugs = slogan_slugs(read_table(gwr_build / "build", "slogans"))
    page = site / "slogans" / f"{slugs['供给侧结构性改革']}.html"
    html = page.read_text(encoding="utf-8")
    assert "2016" in html and "table" in html and "#s" in html
    compare = (site / "compare.html").read_text(encoding="utf-8")
    assert "G²" in compare and "tifa-chart" in compare
    assert (site / "downloads" / "slogan_hits.csv.zip").exists()       # large CSVs are offered zipped
    assert len(list((site / "patterns").glob("*.html"))) > 20
    patterns = article_text((site / "patterns" / "index.html").read_text(encoding="utf-8"))
    assert "一是〈A〉" in patterns and "坚持〈A〉" in patterns and "并列短语（无共同框架）" in patterns
    assert not INTERNAL_KEYS.search(patterns)


def test_chart_json_is_plain_safe_and_keeps_chinese():
    """A figure's JSON keeps Chinese as it is on every machine (plotly.io's would escape it unless
    orjson is installed), writes NaN and NA as null, and leaves no < > & that could end the script."""
    import json

    import numpy as np
    import pandas as pd

    from analysis.charts import figure_json
    fig = {"data": [{"type": "bar", "x": [np.int64(1), 2.5, float("nan"), pd.NA],
                     "y": ["提法", "</script><b>&amp;", "甲", "乙"]}], "layout": {"title": {"text": "每万字"}}}
    text = figure_json(fig)
    assert "提法" in text and "每万字" in text
    assert not set("<>&") & set(text)
    back = json.loads(text)
    assert back["data"][0]["x"] == [1, 2.5, None, None]
    assert back["data"][0]["y"][1] == "</script><b>&amp;"


def test_the_site_build_shows_progress_of_each_stage(sample_build, tmp_path, capfd):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("documents", "index.md", "report.md"))
    assert build_site(sample_build / "build", docs_dir=docs, site_dir=tmp_path / "site",
                      config_file=ROOT / "mkdocs.yml", progress=True) == 0
    err = capfd.readouterr().err
    # writing the pages, then mkdocs converting and writing them: a bar each
    for stage in ("站点：生成页面", "站点：转换页面", "站点：写出页面"):
        assert stage in err, stage


def test_downloads_offer_csv_of_every_table_but_the_local_ones(sample_site):
    from analysis.pages import LOCAL_ONLY
    from analysis.schema import TABLES
    downloads = sample_site / "downloads"
    for name in TABLES:
        offered = (downloads / f"{name}.csv").exists() or (downloads / f"{name}.csv.zip").exists()
        assert offered == (name not in LOCAL_ONLY), name
        assert not (downloads / f"{name}.parquet").exists(), name
    page = (sample_site / "downloads.html").read_text(encoding="utf-8")
    assert "build/tables/" in page and all(name in page for name in LOCAL_ONLY)


def test_year_charts_give_x_as_first_year_and_step():
    import pandas as pd

    from analysis.charts import yearly_counts, yearly_lines
    rows = pd.DataFrame({"year": [2001, 2003], "count": [2, 1], "rate_per_10k": [1.234567, 0.5],
                         "family": ["甲", "甲"]})
    bars, line = yearly_counts(rows, years=[2001, 2003, 2004], title="t")["data"]
    for trace in (bars, line):
        assert trace["x0"] == 2001 and trace["dx"] == 1 and "x" not in trace
        assert len(trace["y"]) == 4                                  # 2001 … 2004
    assert bars["y"] == [2, None, 1, 0]                              # no document in 2002: a gap, not a zero
    assert line["y"][0] == 1.2346                                    # rates to four decimals
    (lines,) = yearly_lines(rows, series="family", value="rate_per_10k", years=[2001, 2003], title="t",
                            y_title="y")["data"]
    assert lines["x0"] == 2001 and lines["y"] == [1.2346, None, 0.5]


def test_the_site_serves_the_cartesian_plotly_bundle_of_the_packages_version(tmp_path, monkeypatch, capsys):
    import analysis.site as site
    full = Path(site.plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert site.plotly_version(site.CARTESIAN_BUNDLE) and site.plotly_version(full)
    monkeypatch.setattr(site, "plotly_version", lambda bundle: "4.1.1")             # the same version
    assert site.copy_plotly(tmp_path).read_bytes() == site.CARTESIAN_BUNDLE.read_bytes()
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(site, "plotly_version", lambda bundle: "9.9" if bundle == full else "4.1.1")
    assert site.copy_plotly(tmp_path).read_bytes() == full.read_bytes()              # a newer plotly: the full one
    assert "analysis/vendor/README.md" in capsys.readouterr().err
