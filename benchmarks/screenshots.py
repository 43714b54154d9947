"""Take the README's screenshots from a built site (the work reports') in chromium.

    python benchmarks/screenshots.py SITE_DIR      # writes docs/assets/screenshots/home.png and document.png

The home page from the top; a work report's reading view (the 2016 report,
scrolled to its third part) with slogans highlighted and branches underlined.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "assets" / "screenshots"
DOCUMENT = "documents/2016nian-zhong-hua-ren-min-gong-he-guo-guo-wu-yuan-zheng-fu.html"


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT / "tests"))
    from site_kit import chromium_browser, serve
    site = Path(argv[0]) if argv else ROOT / "site"
    OUT.mkdir(parents=True, exist_ok=True)
    with serve(site) as base, chromium_browser() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/index.html", wait_until="networkidle")
        page.wait_for_selector("div.tifa-chart[data-drawn] .main-svg", state="attached", timeout=60000)
        page.wait_for_timeout(500)
        page.screenshot(path=str(OUT / "home.png"))
        page.goto(f"{base}/{DOCUMENT}", wait_until="networkidle")
        # the third part of the report, where slogans and parallel structures are dense
        # one scroll down from the top: scrolling up would bring out the theme's back-to-top button
        page.locator("h2.doc-heading").nth(2).evaluate(
            "e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 64)")
        page.wait_for_timeout(300)
        page.screenshot(path=str(OUT / "document.png"))
        page.close()
    print(f"wrote {OUT / 'home.png'} and {OUT / 'document.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
