"""Shared pieces of the page stage: the template environment, writing, slugs, small formatters.

Every value from the corpus goes through :func:`analysis.escape.md_escape`
(the Jinja ``finalize`` hook), so no template can forget to escape.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined

from analysis.corpus import make_id
from analysis.escape import link, md_escape, page_title, slug

KIND_NAMES = {"phrase": "词语排列", "clause": "分句排比", "sentence": "句子排比", "enumeration": "一是…二是…",
              "heading": "标题框架"}


def template_env() -> Environment:
    env = Environment(loader=PackageLoader("analysis", "templates"), finalize=md_escape,
                      undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=True)
    env.filters["slug"] = slug
    env.filters["link"] = link
    env.filters["page_title"] = page_title
    return env


def write_page(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def records(df: pd.DataFrame | None) -> list[dict]:
    if df is None or not len(df):
        return []
    return [{k: (None if missing(v) else v) for k, v in row.items()} for row in df.to_dict("records")]


def missing(v) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def years_text(first, last) -> str:
    if first is None or missing(first):
        return "不详"
    return str(int(first)) if first == last else f"{int(first)}–{int(last)}"


def unique_slugs(names, *, fallback: str = "item") -> dict[str, str]:
    """A file-safe, stable id per name: pinyin slug, then -2, -3 … on collisions in sorted order.

    A name with nothing to transliterate (a template that is all slots) gets
    ``fallback`` and a short hash of the name.
    """
    import hashlib
    out: dict[str, str] = {}
    used: set[str] = set()
    for name in sorted(set(names)):
        base = make_id(name)
        if base.startswith("doc-"):
            base = f"{fallback}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:8]}"
        slug_, n = base, 2
        while slug_ in used:
            slug_, n = f"{base}-{n}", n + 1
        used.add(slug_)
        out[name] = slug_
    return out


def slogan_slugs(slogans: pd.DataFrame) -> dict[str, str]:
    """A file-safe, stable id for every slogan."""
    if not len(slogans) or "slogan" not in slogans:
        return {}
    return unique_slugs(slogans["slogan"].dropna().unique())
