"""What a reader's browser downloads on the first view of a page of a built site, measured in chromium.

    python benchmarks/page_weight.py SITE_DIR          # e.g. site/ after `python -m analysis build`

Each page is opened in a fresh browser context (an empty cache, as on a first
visit), served over HTTP from SITE_DIR, and every response's body is summed,
once in all and once without plotly.js and the theme's own files (Material's
scripts, styles and fonts), which a reader downloads once for the whole site.
Pages measured: the home page, the slogans, patterns and documents indexes,
the largest slogan page, the largest shared page of rarer slogans, the
largest document page and the largest pattern page.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# files every page shares and a browser keeps: plotly.js and the theme (not the site's data)
SHARED_ASSETS = ("assets/javascripts/plotly.min.js", "assets/javascripts/bundle.", "assets/stylesheets/",
                 "assets/javascripts/workers/", "assets/javascripts/lunr/")


def sample_pages(site: Path) -> dict[str, str]:
    """The pages to weigh, by what they are: ``{label: path relative to the site}``."""
    def largest(folder: str, pattern: str = "*.html", skip: tuple[str, ...] = ("index.html",)) -> str | None:
        files = [p for p in (site / folder).glob(pattern) if p.name not in skip]
        return str(max(files, key=lambda p: p.stat().st_size).relative_to(site)) if files else None
    pages = {"home": "index.html", "slogans index": "slogans/index.html", "patterns index": "patterns/index.html",
             "documents index": "documents/index.html",
             "largest slogan page": largest("slogans", skip=("index.html",) + tuple(
                 p.name for p in (site / "slogans").glob("rare-*.html"))),
             "largest rare-slogans page": largest("slogans", "rare-*.html"),
             "largest document page": largest("documents"), "largest pattern page": largest("patterns")}
    return {k: v for k, v in pages.items() if v}


def weigh(browser, base: str, path: str, *, leave_out: tuple[str, ...] = ()) -> dict:
    """Open ``base/path`` in a fresh context; return ``{"total", "own", "requests", "largest"}``: bytes of every
    response, of those that are neither :data:`SHARED_ASSETS` nor in ``leave_out`` (parts of URLs), and the
    largest of those (URL, bytes)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    responses = []
    page.on("response", lambda r: responses.append(r))
    page.goto(f"{base}/{path}", wait_until="networkidle")
    sizes: dict[str, int] = {}
    for response in responses:   # bodies read after the page settled (not inside the event handler)
        try:
            sizes[response.url] = len(response.body())
        except Exception:   # a redirect or a response the page abandoned has no body
            sizes.setdefault(response.url, 0)
    context.close()
    own = {u: n for u, n in sizes.items() if not any(a in u for a in SHARED_ASSETS + leave_out)}
    return {"total": sum(sizes.values()), "own": sum(own.values()), "requests": len(sizes),
            "largest": max(own.items(), key=lambda kv: kv[1]) if own else ("", 0)}


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT / "tests"))
    from site_kit import chromium_browser, serve
    site = Path(argv[0]) if argv else ROOT / "site"
    with serve(site) as base, chromium_browser() as browser:
        print("| page | file | transferred | beyond plotly.js and theme | requests |")
        print("| --- | --- | ---: | ---: | ---: |")
        for label, path in sample_pages(site).items():
            w = weigh(browser, base, path)
            print(f"| {label} | {path} | {w['total'] / 1_048_576:.2f} MB | {w['own'] / 1_048_576:.2f} MB "
                  f"| {w['requests']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
