"""The site stage: generated pages, plotly.js, then ``mkdocs build``.

Search and the explore page read data of their own, written beside the pages by
:mod:`analysis.explore_data`: the texts in shards of documents, a small character-pair
index naming the shards that can hold a query, and the page titles, all as JavaScript
files a page loads only when the reader types (Material's search plugin downloaded its
whole index on every page; it is not used).
"""
from __future__ import annotations

import logging
import re
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import plotly
from tqdm import tqdm

from analysis.charts import template_script
from analysis.fragments import put_back
from analysis.explore_data import GENERATED as EXPLORE_GENERATED, write_explore_data
from analysis.lock import hold
from analysis.page_kit import counting_pages
from analysis.pages import GENERATED, write_pages
from analysis.staging import Staging, recover, replaced_whole
from analysis.tables import TABLES_DIR

PLOTLY_ASSET = Path("assets") / "javascripts" / "plotly.min.js"
TEMPLATE_ASSET = Path("assets") / "javascripts" / "plotly-template.js"


# plotly.js's cartesian bundle (bar, scatter, heatmap … every chart of the site), 1.5 MB where the plotly
# package's full bundle is 4.8 MB: kept in the package, as published on npm (plotly.js-cartesian-dist-min,
# MIT; analysis/vendor/README.md says how to renew it), and used while it is the plotly.js version the plotly
# package ships, so that the charts' template and the figures are read by the plotly.js they were made for.
CARTESIAN_BUNDLE = Path(__file__).parent / "vendor" / "plotly-cartesian.min.js"
_VERSION = re.compile(rb"plotly\.js[^\n]*? v(\d+\.\d+\.\d+)")


def plotly_version(bundle: Path) -> str | None:
    """The plotly.js version a bundle's header names (``"4.1.1"``), or None."""
    with open(bundle, "rb") as f:
        found = _VERSION.search(f.read(1000))
    return found.group(1).decode() if found else None


def plotly_source() -> Path:
    """The plotly.js the site serves: the cartesian bundle if it is the plotly package's version, else
    the package's full bundle (with a note on stderr saying the cartesian one needs renewing)."""
    full = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    version = plotly_version(full)
    if CARTESIAN_BUNDLE.exists() and plotly_version(CARTESIAN_BUNDLE) == version:
        return CARTESIAN_BUNDLE
    print(f"note: {CARTESIAN_BUNDLE.name} is not plotly.js {version}, the version of the installed "
          f"plotly package: the site serves the full bundle (3 MB more; see analysis/vendor/README.md)",
          file=sys.stderr)
    return full


def copy_plotly(docs_dir: Path) -> Path:
    """Copy plotly.js (:func:`plotly_source`) into the site's assets, with the charts' template beside it;
    return plotly.js's path. Each file is written aside and renamed into place."""
    source = plotly_source()
    target = Path(docs_dir) / PLOTLY_ASSET
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.read_bytes() != source.read_bytes():
        with replaced_whole(target) as private:
            shutil.copyfile(source, private)
    with replaced_whole(Path(docs_dir) / TEMPLATE_ASSET) as private:
        private.write_text(template_script(), encoding="utf-8")
    return target


def build_site(build_dir: Path, *, docs_dir: Path = Path("docs"), site_dir: Path = Path("site"),
               config_file: Path = Path("mkdocs.yml"), progress: bool = True) -> int:
    """Write pages from the tables and build the site strictly; return 0, or 3 if mkdocs failed.

    Holds the locks of the build and docs folders (:mod:`analysis.lock`), so
    that no analysis swaps the tables while they are read and no other build
    writes the same pages. The generated pages and the site are each built in
    a staging folder beside them and moved into place when complete
    (:mod:`analysis.staging`): an interrupted or failed build leaves the
    previous ones whole, and the hand-written pages in ``docs_dir`` untouched.
    """
    started = time.perf_counter()
    docs_dir, site_dir = Path(docs_dir), Path(site_dir).resolve()
    with hold(build_dir, docs_dir):
        recover(Path(build_dir), TABLES_DIR)   # finish moving in tables that a killed analysis left ready
        with Staging(docs_dir, "generated", names=GENERATED + EXPLORE_GENERATED) as staging, \
                _writing_progress(progress):
            pages = write_pages(build_dir, staging.path)
            pages += write_explore_data(build_dir, staging.path, hand_written=docs_dir)
            staging.commit()
        copy_plotly(docs_dir)
        if progress:
            print(f"已生成 {len(pages)} 个页面，正在构建站点 …", file=sys.stderr)
        with Staging(site_dir.parent, site_dir.name, names=(site_dir.name,)) as staging:
            if not run_mkdocs(config_file, docs_dir, staging.path / site_dir.name, progress=progress):
                return 3
            staging.commit()
    print(f"站点已写入 {site_dir}（{time.perf_counter() - started:.1f} 秒）", file=sys.stderr)
    return 0


def run_mkdocs(config_file: Path, docs_dir: Path, site_dir: Path, *, progress: bool = False) -> bool:
    """Run ``mkdocs build --strict`` of ``docs_dir`` into ``site_dir`` and put the pages' HTML blocks back
    (:mod:`analysis.fragments`); return whether it succeeded (if not, its warnings and the reason are on
    stderr). With ``progress``, bars count the pages read and written."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException
    try:
        with _mkdocs_warnings_on_stderr(), _page_progress(docs_dir, progress):
            build(load_config(config_file=str(config_file), docs_dir=str(Path(docs_dir).resolve()),
                              site_dir=str(Path(site_dir).resolve()), strict=True))
    except MkDocsException as err:
        print(f"error: mkdocs build failed: {err} (the warnings above name the pages and links; the "
              f"hand-written pages and assets must be in {docs_dir} beside the generated ones)", file=sys.stderr)
        return False
    try:
        put_back(docs_dir, site_dir)
    except (OSError, ValueError) as err:
        print(f"error: the built pages could not be completed: {err}", file=sys.stderr)
        return False
    drop_unused_theme_files(site_dir)
    return True


# What the theme copies into every site that this one never loads: the search plugin's index code (lunr and
# its web worker; the site has its own search, and no page starts the worker without the plugin) and the
# source maps of the theme's minified files (read only by a browser's developer tools). 2.3 MB.
UNUSED_THEME_FILES = ("assets/javascripts/lunr", "assets/javascripts/workers", "assets/**/*.map")


def drop_unused_theme_files(site_dir: Path) -> None:
    """Remove :data:`UNUSED_THEME_FILES` from a built site."""
    for pattern in UNUSED_THEME_FILES:
        for path in sorted(Path(site_dir).glob(pattern)):
            shutil.rmtree(path) if path.is_dir() else path.unlink()


@contextmanager
def _mkdocs_warnings_on_stderr():
    """While the build runs, print mkdocs' warnings on stderr, where strict mode makes each one fatal.

    mkdocs' own command line installs a handler for them; called as a library
    it has none, and a failed build would not say why.
    """
    log = logging.getLogger("mkdocs")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("mkdocs %(levelname)s: %(message)s"))
    handler.setLevel(logging.WARNING)   # the page counter below asks the build logger for its debug messages
    log.setLevel(logging.WARNING)
    log.addHandler(handler)
    try:
        yield
    finally:
        log.removeHandler(handler)


@contextmanager
def _writing_progress(shown: bool):
    """While the pages are written, a progress bar counting them (their number is known only at the end)."""
    if not shown:
        yield
        return
    with tqdm(desc="站点：生成页面", unit="页", file=sys.stderr) as bar, counting_pages(lambda _: bar.update()):
        yield


@contextmanager
def _page_progress(docs_dir: Path, shown: bool):
    """While the build runs, progress bars of the pages mkdocs converts and then writes.

    mkdocs says nothing per page except in its debug messages ("Reading: …",
    "Building page …"), so a handler on its build logger counts them; no
    plugin is involved and the same mkdocs.yml builds the same site.
    """
    if not shown:
        yield
        return
    total = sum(1 for _ in Path(docs_dir).rglob("*.md"))
    bars: dict[str, tqdm] = {}

    class Count(logging.Handler):
        def emit(self, record):
            message = record.getMessage()
            phase = ("转换页面" if message.startswith("Reading: ") else
                     "写出页面" if message.startswith("Building page ") else None)
            if phase is None:
                return
            if phase not in bars:
                for bar in bars.values():
                    bar.close()
                bars[phase] = tqdm(total=total, desc=f"站点：{phase}", unit="页", file=sys.stderr)
            bars[phase].update()

    log = logging.getLogger("mkdocs.commands.build")
    handler, level = Count(logging.DEBUG), log.level
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        log.removeHandler(handler)
        log.setLevel(level)
        for bar in bars.values():
            bar.close()
