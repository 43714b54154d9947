"""HTML blocks set aside from the generated Markdown while mkdocs builds, and put back after it
(analysis/fragments.py): the built pages must be the same as when mkdocs parses the blocks itself."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import analysis.page_kit
from analysis.fragments import MARKER, fragment_file, put_back, read_fragments, set_aside, write_fragments
from analysis.site import build_site

ROOT = Path(__file__).resolve().parents[1]


def test_top_level_html_blocks_are_set_aside_in_order():
    text = ('# 标题\n\n<div class="a"><div>内</div>\n<p>x</p></div>\n\n段落 *强调*\n\n'
            '<table>\n<tr><td>1</td></tr>\n</table>\n')
    markdown, blocks = set_aside(text)
    assert blocks == ['<div class="a"><div>内</div>\n<p>x</p></div>', '<table>\n<tr><td>1</td></tr>\n</table>']
    assert markdown == f"# 标题\n\n{MARKER.format(0)}\n\n段落 *强调*\n\n{MARKER.format(1)}\n"


def test_blocks_with_only_blank_lines_between_are_one():
    markdown, blocks = set_aside("## 一\n\n<p>甲</p>\n\n<p>乙</p>\n\n\n<p>丙</p>\n\n## 二\n\n<p>丁</p>\n")
    assert blocks == ["<p>甲</p>\n\n<p>乙</p>\n\n\n<p>丙</p>", "<p>丁</p>"]
    assert markdown == f"## 一\n\n{MARKER.format(0)}\n\n## 二\n\n{MARKER.format(1)}\n"


@pytest.mark.parametrize("text", [
    "段落\n<div>紧跟段落的块</div>\n",          # no blank line before: Markdown reads it as part of the paragraph
    "<div>块</div> 之后还有文字\n",              # text after the closing tag on its line
    "<div>块</div>\n紧跟的一行\n",              # a line right after it, no blank line
    "<div>没有闭合\n\n下一段\n",                # never closed
    "`<div>代码</div>`\n",                       # not at the start of a paragraph
    "<span>行内元素</span>\n",                   # not a block-level tag
])
def test_what_markdown_would_not_pass_through_whole_stays(text):
    assert set_aside(text) == (text, [])


def test_fragments_round_trip_into_the_built_page(tmp_path):
    docs, site = tmp_path / "docs", tmp_path / "site"
    (docs / "slogans").mkdir(parents=True)
    (site / "slogans").mkdir(parents=True)
    markdown, blocks = set_aside("<p>一</p>\n\n中间\n\n<ul><li>二</li></ul>\n")
    write_fragments(docs / "slogans" / "x.md", blocks)
    assert fragment_file(docs / "slogans" / "x.md").name == ".x.fragments.html"
    assert read_fragments(fragment_file(docs / "slogans" / "x.md")) == blocks
    (site / "slogans" / "x.html").write_text(f"<main>{MARKER.format(0)}\n<p>中间</p>\n{MARKER.format(1)}</main>")
    assert put_back(docs, site) == 1
    assert (site / "slogans" / "x.html").read_text() == "<main><p>一</p>\n<p>中间</p>\n<ul><li>二</li></ul></main>"


def test_a_page_that_lost_a_marker_is_an_error_naming_it(tmp_path):
    docs, site = tmp_path / "docs", tmp_path / "site"
    docs.mkdir()
    site.mkdir()
    write_fragments(docs / "p.md", ["<p>一</p>", "<p>二</p>"])
    (site / "p.html").write_text(f"<main>{MARKER.format(0)}</main>")
    with pytest.raises(ValueError, match=r"p\.html.*blocks \[1\]"):
        put_back(docs, site)


def test_no_blocks_removes_a_stale_fragment_file(tmp_path):
    write_fragments(tmp_path / "p.md", ["<p>旧</p>"])
    write_fragments(tmp_path / "p.md", [])
    assert not fragment_file(tmp_path / "p.md").exists()


def _site_without_fragments(build: Path, tmp: Path, monkeypatch) -> Path:
    """The site of ``build`` built with every HTML block left in the Markdown for mkdocs to parse."""
    monkeypatch.setattr(analysis.page_kit, "set_aside", lambda text: (text, []))
    docs = tmp / "docs"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("documents", "index.md", "report.md",
                                                                       "plotly.min.js", "plotly-template.js"))
    assert build_site(build, docs_dir=docs, site_dir=tmp / "site", config_file=ROOT / "mkdocs.yml",
                      progress=False) == 0
    assert not list(docs.rglob(".*.fragments.html"))
    return tmp / "site"


def _assert_same_pages(site: Path, reference: Path) -> None:
    pages = sorted(p.relative_to(reference) for p in reference.rglob("*.html"))
    assert pages and pages == sorted(p.relative_to(site) for p in site.rglob("*.html"))
    # Python-Markdown expands tabs in the blocks it parses (to 4 spaces); put back, they keep the corpus's tabs
    different = [str(p) for p in pages
                 if (site / p).read_text().replace("\t", "    ") != (reference / p).read_text()]
    assert different == []


def test_the_sample_site_is_the_same_built_either_way(sample_build, tmp_path, monkeypatch):
    assert list((sample_build / "docs").rglob(".*.fragments.html")), "the sample's pages set no block aside"
    _assert_same_pages(sample_build / "site", _site_without_fragments(sample_build / "build", tmp_path, monkeypatch))


@pytest.mark.slow
def test_the_work_report_site_is_the_same_built_either_way(gwr_build, tmp_path, monkeypatch):
    _assert_same_pages(gwr_build / "site", _site_without_fragments(gwr_build / "build", tmp_path, monkeypatch))


def test_squeeze_drops_indentation_but_not_inside_pre():
    from analysis.fragments import squeeze
    html = '<div>\n    <p>甲</p>\n\n    <pre><code>def f():\n    return 1\n</code></pre>\n  <span>乙</span></div>'
    assert squeeze(html) == '<div>\n<p>甲</p>\n<pre><code>def f():\n    return 1\n</code></pre>\n<span>乙</span></div>'


def test_the_built_site_has_no_search_index_code_or_source_maps(sample_site):
    assets = sample_site / "assets"
    assert not list(assets.rglob("*.map")) and not (assets / "javascripts" / "lunr").exists()
    assert not (assets / "javascripts" / "workers").exists()
    assert list(assets.rglob("bundle.*.min.js"))     # the theme's own script stays
