"""What the site tests share: building a corpus's site, serving it, and driving chromium.

The session fixtures built on these (``sample_build``, ``gwr_build``, ``browser`` …) live in
conftest.py, so every test file can use the same built sites without building them twice.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

from analysis.pipeline import analyze_corpus
from analysis.site import build_site

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"


def build(tmp: Path, corpus: Path) -> Path:
    """Analyse ``corpus`` and build its site from a private copy of docs/; return the site folder."""
    docs = tmp / "docs"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("documents", "index.md", "report.md",
                                                                       "plotly.min.js", "plotly-template.js"))
    analyze_corpus(corpus, tmp / "build", progress=False)
    code = build_site(tmp / "build", docs_dir=docs, site_dir=tmp / "site", config_file=ROOT / "mkdocs.yml",
                      progress=False)
    assert code == 0
    return tmp / "site"


def _chromium() -> str | None:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None and os.environ.get("TIFA_REQUIRE_BROWSER"):
        pytest.fail("chromium is not installed but TIFA_REQUIRE_BROWSER is set (apt-get install chromium)")
    return path


@contextlib.contextmanager
def chromium_browser():
    """Yield a headless Debian chromium driven by Playwright; skip (or fail under TIFA_REQUIRE_BROWSER)
    when chromium is missing."""
    exe = _chromium()
    if exe is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        try:
            yield b
        finally:
            b.close()


@contextlib.contextmanager
def serve(folder: Path):
    """Serve ``folder`` on 127.0.0.1 (a free port); yield its base URL."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def search(page, base: str, query: str, screenshot: str | None = None) -> list[str]:
    """Type ``query`` key by key into the search box in the site's header; return the result links in order
    (pages first, then passages; the link to the explore page left out)."""
    page.goto(f"{base}/index.html")
    page.locator(".tifa-search-input").click()
    page.keyboard.type(query)
    page.wait_for_function("q => document.querySelector('.tifa-search')?.getAttribute('data-done') === q", arg=query,
                           timeout=30000)
    if screenshot:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / screenshot))
    links = page.locator(".tifa-search-list a")
    return [links.nth(i).get_attribute("href") for i in range(links.count())]


def body_size(response) -> int:
    """Bytes of a response's body as chromium received it (0 for a failed or unreadable one)."""
    try:
        return len(response.body()) if response.ok else 0
    except Exception:   # a body chromium did not keep (a redirect, a file:// read): counted as nothing
        return 0
