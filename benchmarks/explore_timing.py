"""What the explore page and the search box load and how long they take, measured in chromium.

    python benchmarks/explore_timing.py SITE                  # a built site (python -m analysis build)
    python benchmarks/explore_timing.py SITE --data-from BUILD --work DIR
        # the same pages with the explore data of another build (e.g. the 10x corpus of bench.py),
        # written into a copy of SITE in DIR, so a large corpus needs no full site build

Prints the data files' sizes, the bytes of the explore page's first load (with and without plotly.js),
and for each query, in a fresh browser context (nothing cached): the time the page reports, the wall
time from opening the query link to the drawn result, and the data files and bytes it loaded.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from site_kit import chromium_browser, serve   # noqa: E402  (the tests' own helpers)

QUERIES = ("新质生产力", "小康|全面小康 工业化", "脱贫攻坚", "发展", "改革 开放 创新")
SEARCHES = ("改革开放", "脱贫攻坚战", "2016年中华人民共和国国务院政府工作报告")


def data_sizes(site: Path) -> str:
    files = sorted((site / "explore-data").glob("*.js"))
    shards = [p.stat().st_size for p in files if p.name.startswith("t")]
    index = [p.stat().st_size for p in files if p.name.startswith("i")]
    other = {p.name: p.stat().st_size for p in files if p.name[0] not in "ti"}
    return (f"shards {len(shards)} files, {sum(shards) / 1e6:.1f} MB (median {statistics.median(shards) / 1e3:.0f} KB, "
            f"largest {max(shards) / 1e3:.0f} KB); index {len(index)} files, {sum(index) / 1e6:.2f} MB "
            f"(largest {max(index) / 1e3:.0f} KB); " + ", ".join(f"{k} {v / 1e3:.0f} KB" for k, v in other.items()))


RESOURCES = """() => performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource"))
                     .map(e => [e.name, e.encodedBodySize])"""


def loaded(page, *, since: int = 0) -> list[tuple[str, int]]:
    """``(address, bytes)`` of what the page has loaded (the page's own resource timing: nothing missed)."""
    return [tuple(e) for e in page.evaluate(RESOURCES)][since:]


def timed(browser, url: str, ready: str) -> tuple[float, object, object]:
    """Open ``url`` in a fresh context (nothing cached); return the seconds until ``ready`` holds, the context
    and the page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_function(ready, timeout=120000)
    return time.perf_counter() - started, context, page


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--data-from", type=Path, help="a build folder whose explore data replaces the site's")
    ap.add_argument("--work", type=Path, help="where the copy of the site goes (with --data-from)")
    args = ap.parse_args(argv)
    site = args.site
    if args.data_from:
        from analysis.explore_data import DATA_DIR, write_explore_data
        site = args.work / "site"
        if site.exists():
            shutil.rmtree(site)
        shutil.copytree(args.site, site)
        shutil.rmtree(site / DATA_DIR)
        started = time.perf_counter()
        write_explore_data(args.data_from, site)
        print(f"explore data written in {time.perf_counter() - started:.1f} s")
        # the pages are SITE's, so are the titles the search lists
        shutil.copyfile(args.site / DATA_DIR / "titles.js", site / DATA_DIR / "titles.js")
    print(data_sizes(site))
    with chromium_browser() as browser, serve(site) as base:
        seconds, context, page = timed(browser, f"{base}/explore.html",
                                       "() => document.querySelector('#tifa-explore[data-ready]')")
        page.wait_for_load_state("networkidle")
        loads = loaded(page)
        total = sum(n for _, n in loads)
        plotly = sum(n for u, n in loads if "plotly.min" in u)
        print(f"explore.html first load: ready in {seconds:.2f} s, {total / 1e6:.2f} MB in {len(loads)} files, "
              f"of which plotly.js {plotly / 1e6:.2f} MB; without plotly {(total - plotly) / 1e6:.2f} MB; "
              f"data files {sum(1 for u, _ in loads if 'explore-data' in u)}")
        context.close()
        for query in QUERIES:
            seconds, context, page = timed(browser, f"{base}/explore.html#q={quote(query)}",
                                           "() => document.querySelector('#tifa-explore[data-done]')")
            data = [n for u, n in loaded(page) if "explore-data" in u]
            ms = int(page.locator("#tifa-explore").get_attribute("data-ms"))
            print(f"query {query!r}: {page.locator('.tifa-status').inner_text()} | page {ms} ms, "
                  f"link to result {seconds:.2f} s, {len(data)} data files {sum(data) / 1e6:.2f} MB")
            context.close()
        for query in SEARCHES:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(f"{base}/index.html")
            page.wait_for_load_state("networkidle")
            mark = len(loaded(page))
            page.locator(".tifa-search-input").click()
            started = time.perf_counter()
            page.keyboard.type(query)
            page.wait_for_function("q => document.querySelector('.tifa-search')?.getAttribute('data-done') === q",
                                   arg=query, timeout=120000)
            page.wait_for_timeout(300)   # scripts a superseded keystroke started may still arrive: count them
            data = [n for u, n in loaded(page, since=mark) if "explore-data" in u]
            print(f"search {query!r}: {page.locator('.tifa-search-list a').count()} results in "
                  f"{time.perf_counter() - started:.2f} s after the first key, {len(data)} data files "
                  f"{sum(data) / 1e6:.2f} MB")
            context.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
