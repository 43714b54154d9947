"""Every link in the built work-report site leads somewhere: the page exists and so does its #anchor.

``mkdocs build --strict`` checks only links written in Markdown; the document
pages' slogan links and the KWIC tables are HTML. This crawls the built site
instead: every ``<a href>`` of every page, whichever way it was written.
"""
from __future__ import annotations

import html
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

OUTSIDE = ("http:", "https:", "mailto:", "javascript:", "data:", "tel:")


# Pages are mkdocs' own output, attributes always double-quoted: regular expressions read them
# several times faster than an HTML parser (the work-report site has over a thousand pages).
_ID = re.compile(r'\s(?:id|name)="([^"]*)"')
_HREF = re.compile(r'<a\s[^>]*?href="([^"]*)"')


@lru_cache(maxsize=None)
def _read(path: Path) -> tuple[frozenset[str], list[str]]:
    """The ids a page defines (``id=``, ``name=``) and the hrefs of its links, entities decoded."""
    text = path.read_text(encoding="utf-8")
    return (frozenset(html.unescape(i) for i in _ID.findall(text)),
            [html.unescape(h) for h in _HREF.findall(text)])


def broken_links(site: Path) -> list[tuple[str, str, str]]:
    """Every link of the site's pages that leads nowhere, as ``(page, href, reason)``.

    A link leads nowhere when the file it names is not in the site, or its
    ``#anchor`` is not an id of that page (``#q=…`` and other name=value fragments are parameters
    for the page's script, not anchors). Links out of the site are left alone.
    """
    site = Path(site).resolve()
    broken = []
    for page in sorted(site.rglob("*.html")):
        for href in _read(page)[1]:
            if href.startswith(OUTSIDE):
                continue
            parts = urlsplit(href)
            # a path from the root ("/index.html", the 404 page's links) is read from the site's root
            base = site if parts.path.startswith("/") else page.parent
            target = page if not parts.path else (base / unquote(parts.path.lstrip("/"))).resolve()
            if target.is_dir():
                target = target / "index.html"
            where = str(page.relative_to(site))
            if not target.is_file():
                broken.append((where, href, "no such page"))
            # a fragment name=value is no anchor but what a page's script reads (explore.html#q=小康,
            # documents/….html#at=10-15); tests/test_explore.py follows those links in chromium
            elif (parts.fragment and "=" not in parts.fragment and target.suffix == ".html"
                  and unquote(parts.fragment) not in _read(target)[0]):
                broken.append((where, href, "no such anchor"))
    return broken


def summary(broken: list[tuple[str, str, str]], shown: int = 15) -> str:
    """The broken links counted by reason, and the first few of them."""
    counts = Counter(reason for _, _, reason in broken)
    lines = [f"{len(broken)} broken links ({dict(counts)})"] + [f"  {p} → {h} ({r})" for p, h, r in broken[:shown]]
    return "\n".join(lines)


@pytest.mark.slow
def test_every_link_of_the_work_report_site_resolves(gwr_build):
    site = gwr_build / "site"
    assert len(list(site.rglob("*.html"))) > 500
    broken = broken_links(site)
    assert broken == [], summary(broken)


def test_the_crawler_finds_missing_pages_and_anchors(tmp_path):
    """The checker itself: a good link passes, a missing page and a missing anchor are reported."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "index.html").write_text('<h1 id="top">x</h1><a name="old"></a>', encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<a href="sub/index.html#top">ok</a><a href="sub/#old">ok</a><a href="#here" id="here">ok</a>'
        '<a href="https://example.com/x.html">out</a><a href="gone.html">x</a><a href="sub/index.html#nope">x</a>',
        encoding="utf-8")
    assert broken_links(tmp_path) == [("index.html", "gone.html", "no such page"),
                                      ("index.html", "sub/index.html#nope", "no such anchor")]


if __name__ == "__main__":   # python tests/test_links.py SITE: count a built site's broken links
    import sys
    print(summary(broken_links(Path(sys.argv[1]))))
