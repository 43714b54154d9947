"""The site search: a box in the header that loads nothing until the reader types, then lists the slogan,
document and other pages whose title matches, and passages holding the words with the hit marked.
Typed key by key in chromium, on the sample speech and on the work reports, served and from disk."""
from __future__ import annotations

import json
import time

import pytest

from site_kit import ARTIFACTS, body_size, search

from analysis.explore_data import page_titles


def _slug_page(build_dir, site, slogan: str) -> str | None:
    """The address of the slogan's place (its own page, or its section on a shared page), if it is a slogan."""
    from analysis.explore_data import slogan_addresses
    from analysis.tables import read_table
    return slogan_addresses(read_table(build_dir, "slogans")).get(slogan)


def test_titles_come_from_the_pages_front_matter_and_headings(tmp_path):
    (tmp_path / "gen" / "slogans").mkdir(parents=True)
    (tmp_path / "gen" / "slogans" / "a.md").write_text('---\ntitle: "三会一课＜b＞"\n---\n# x\n', encoding="utf-8")
    (tmp_path / "gen" / "slogans" / "index.md").write_text("# 提法\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "method.md").write_text("# 方法\n\n正文\n", encoding="utf-8")
    titles = page_titles(tmp_path / "gen", tmp_path / "docs")
    assert ["三会一课＜b＞", "slogans/a.html", "slogan"] in titles
    assert ["提法", "slogans/index.html", "page"] in titles and ["方法", "method.html", "page"] in titles


@pytest.mark.browser
def test_search_finds_the_speech_for_a_formulation(browser, served_sample):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    hrefs = search(page, served_sample, "三会一课", "search.png")
    assert any("jiguan-dangyuan-dahui-jianghua" in h for h in hrefs), hrefs
    page.close()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("slogan", ["新质生产力", "改革开放", "三严三实", "供给侧结构性改革"])
def test_a_slogan_finds_its_own_page_first(browser, served_gwr, gwr_build, slogan):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    hrefs = search(page, served_gwr, slogan, f"search-{len(slogan)}.png")
    own = _slug_page(gwr_build / "build", gwr_build / "site", slogan)
    if own:
        assert hrefs[0].endswith(own), hrefs[:5]
    # whether or not it has a page, passages holding it follow, with the hit marked
    marks = page.locator(".tifa-search-passage mark")
    assert marks.count() >= 1 and {marks.nth(i).inner_text() for i in range(marks.count())} == {slogan}
    page.close()


@pytest.mark.browser
@pytest.mark.slow
def test_a_document_title_finds_the_document(browser, served_gwr, gwr_build):
    import pandas as pd
    documents = pd.read_parquet(gwr_build / "build" / "tables" / "documents.parquet")
    doc = documents[documents["year"] == 2016].iloc[0]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    hrefs = search(page, served_gwr, doc["title"])
    assert hrefs[0].endswith(f"documents/{doc['doc_id']}.html"), hrefs[:3]
    page.close()


@pytest.mark.browser
@pytest.mark.slow
def test_another_word_finds_passages_holding_it(browser, served_gwr, gwr_build):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    hrefs = search(page, served_gwr, "脱贫攻坚战")
    passages = page.locator(".tifa-search-passage")
    assert passages.count() >= 3
    snippet = passages.first.locator(".tifa-search-snippet").inner_text()
    assert "脱贫攻坚战" in snippet and passages.first.locator("mark").inner_text() == "脱贫攻坚战"
    assert any("#at=" in h for h in hrefs)
    passages.first.locator("a").click()
    page.locator("mark.tifa-at").wait_for(timeout=30000)
    assert page.locator("mark.tifa-at").inner_text() == "脱贫攻坚战"
    page.close()


@pytest.mark.browser
@pytest.mark.slow
def test_nothing_is_downloaded_for_search_before_typing(browser, served_gwr):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    page.goto(f"{served_gwr}/index.html")
    page.wait_for_load_state("networkidle")
    page.locator(".tifa-search-input").click()
    page.wait_for_timeout(300)
    assert [u for u in urls if "explore-data" in u] == []
    page.keyboard.type("小康")
    page.wait_for_function("() => document.querySelector('.tifa-search')?.getAttribute('data-done') === '小康'")
    assert any(u.endswith("explore-data/titles.js") for u in urls)
    page.close()


@pytest.mark.browser
@pytest.mark.slow
def test_markup_typed_into_search_stays_text(browser, served_gwr):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    search(page, served_gwr, "<img src=x onerror=alert(1)>")
    panel = page.locator(".tifa-search-results")
    assert "<img src=x onerror=alert(1)>" in panel.inner_text()
    assert panel.locator("img").count() == 0 and dialogs == []
    page.close()


@pytest.mark.browser
@pytest.mark.slow
def test_search_works_from_disk_and_prints_what_it_loads(browser, gwr_build):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    loads: list[tuple[str, int]] = []
    page.on("response", lambda r: loads.append((r.url, body_size(r))))
    base = (gwr_build / "site").as_uri()
    for query in ("改革开放", "2024年中华人民共和国国务院政府工作报告", "脱贫攻坚战"):
        mark = len(loads)
        started = time.perf_counter()
        hrefs = search(page, base, query)
        data = [n for u, n in loads[mark:] if "explore-data" in u]
        print(f"\nsearch {query!r} from disk: {time.perf_counter() - started:.2f} s, {len(hrefs)} results, "
              f"{len(data)} data files {sum(data) / 1e6:.2f} MB")
        assert hrefs
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-file.png"))
    page.close()


def test_titles_file_lists_pages_not_their_text(gwr_build):
    text = (gwr_build / "site" / "explore-data" / "titles.js").read_text(encoding="utf-8")
    titles = json.loads(text[len('tifaData("titles",'):-3])
    # a slogan on a shared page of rarer ones is listed with its anchor there (slogans/rare-j1.html#…)
    assert all(len(t) == 3 and t[1].split("#")[0].endswith(".html") for t in titles)
    assert any(t[2] == "document" for t in titles) and any(t[2] == "slogan" for t in titles)
    assert len(text.encode("utf-8")) < 1_000_000
