"""The site stage: generated pages, plotly.js, the search dictionary, then ``mkdocs build``."""
from __future__ import annotations

import logging
import shutil
import sys
import time
from pathlib import Path

import plotly

from analysis.pages import write_pages
from analysis.segment import DEFAULT_LEXICON, lexicon_terms, load_lexicon, write_user_dict
from analysis.tables import read_table

PLOTLY_ASSET = Path("assets") / "javascripts" / "plotly.min.js"


def copy_plotly(docs_dir: Path) -> Path:
    """Copy the plotly.js that ships with the plotly package into the site's assets; return its path."""
    source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    target = Path(docs_dir) / PLOTLY_ASSET
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.stat().st_size != source.stat().st_size:
        shutil.copyfile(source, target)
    return target


def search_terms(build_dir: Path) -> list[str]:
    """Terms search must keep whole: the project lexicon plus every slogan the analysis found."""
    terms = set(lexicon_terms(load_lexicon(DEFAULT_LEXICON)))
    slogans = read_table(build_dir, "slogans")
    if len(slogans) and "slogan" in slogans:
        for s in slogans["slogan"].dropna():
            terms.update(p for p in str(s).replace("，", "、").split("、") if len(p) >= 2)
    return sorted(terms)


def build_site(build_dir: Path, *, docs_dir: Path = Path("docs"), site_dir: Path = Path("site"),
               config_file: Path = Path("mkdocs.yml"), progress: bool = True) -> int:
    """Write pages from the tables and build the site strictly; return 0, or 3 if mkdocs failed."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    started = time.perf_counter()
    pages = write_pages(build_dir, docs_dir)
    copy_plotly(docs_dir)
    user_dict = write_user_dict(search_terms(build_dir), Path(build_dir) / "search-dict.txt")
    if progress:
        print(f"已生成 {len(pages)} 个页面，正在构建站点 …", file=sys.stderr)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        config = load_config(config_file=str(config_file), docs_dir=str(Path(docs_dir).resolve()),
                             site_dir=str(Path(site_dir).resolve()), strict=True)
        _set_search_dictionary(config, user_dict)
        build(config)
    except MkDocsException as err:
        print(f"error: mkdocs build failed: {err}", file=sys.stderr)
        return 3
    print(f"站点已写入 {site_dir}（{time.perf_counter() - started:.1f} 秒）", file=sys.stderr)
    return 0


def _set_search_dictionary(config, user_dict: Path) -> None:
    """Point Material's search plugin at our jieba user dictionary (read in its on_config)."""
    for plugin in config.plugins.values():
        if type(plugin).__module__.startswith("material.plugins.search"):
            plugin.config.jieba_dict_user = str(user_dict.resolve())
