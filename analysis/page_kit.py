"""Shared pieces of the page stage: the template environment, writing, slugs, small formatters.

Every value from the corpus goes through :func:`analysis.escape.md_escape`
(the Jinja ``finalize`` hook), so no template can forget to escape.
"""
from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Callable

import pandas as pd
from markupsafe import Markup
from jinja2 import Environment, PackageLoader, StrictUndefined

from analysis.names import make_id
from analysis.escape import html_link, link, md_escape, page_title, script_json, slug
from analysis.fragments import set_aside, write_fragments

KIND_NAMES = {"phrase": "词语排列", "clause": "分句排比", "sentence": "句子排比", "enumeration": "一是…二是…",
              "heading": "标题框架"}


class _PageEnvironment(Environment):
    """Jinja's environment, reading ``row.name`` from a dict by key first.

    Jinja tries the attribute first and the key after a caught AttributeError; the pages read a
    few hundred thousand fields of row dicts, and the exceptions cost more than the rest of the lookup.
    The rows' keys are column names, none of them the name of a dict method.
    """

    def getattr(self, obj, attribute):
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def template_env() -> Environment:
    env = _PageEnvironment(loader=PackageLoader("analysis", "templates"), finalize=md_escape,
                           undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=True)
    env.filters["slug"] = slug
    env.filters["link"] = link
    env.filters["html_link"] = html_link
    env.filters["page_title"] = page_title
    env.filters["script_json"] = lambda value: Markup(script_json(value))
    return env


# Called with each page written, while :func:`counting_pages` is active (the site stage's progress bar).
_page_written: list[Callable[[Path], None]] = []


@contextmanager
def counting_pages(callback: Callable[[Path], None]):
    """While active, ``callback(path)`` is called for every page :func:`write_page` writes."""
    _page_written.append(callback)
    try:
        yield
    finally:
        _page_written.remove(callback)


def write_page(path: Path, text: str) -> Path:
    """Write ``text`` to ``path``; return ``path``. A Markdown page's HTML blocks go to a fragment file
    beside it, which the site stage puts back after the build (:mod:`analysis.fragments`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".md":
        text, blocks = set_aside(text)
        write_fragments(path, blocks)
    path.write_text(text, encoding="utf-8")
    for callback in _page_written:
        callback(path)
    return path


def records(df: pd.DataFrame | None) -> list[dict]:
    """The rows of ``df`` as dicts of plain Python values, missing values as ``None``."""
    if df is None or not len(df):
        return []
    # column by column (tolist gives Python scalars) is several times faster than to_dict("records"),
    # and only a column with a missing value is looked at cell by cell
    columns = {}
    for c in df.columns:
        values = df[c].tolist()
        if len(values) < 100:       # pandas' own test costs more than asking each cell of a short column
            columns[c] = [None if missing(v) else v for v in values]
            continue
        gaps = df[c].isna()
        if gaps.any():
            values = [None if gap else v for v, gap in zip(values, gaps.tolist())]
        columns[c] = values
    return [dict(zip(columns, row)) for row in zip(*columns.values())]


def rows_by(df: pd.DataFrame, key: str, columns: list[str] | None = None,
            only: set | None = None) -> dict[str, list[dict]]:
    """The rows of ``df`` (its ``columns``, default all; those whose ``key`` is in ``only``, if given) as
    dicts, grouped by ``key``, in table order."""
    out: dict[str, list[dict]] = {}
    if not len(df) or key not in df:
        return out
    # the whole table at once: a pandas frame per group costs more than the rows themselves
    if only is not None:
        df = df[df[key].isin(only)]
    for row in records(df[columns] if columns else df):
        out.setdefault(row[key], []).append(row)
    return out


def columns_of(df: pd.DataFrame, *columns: str):
    """The rows of ``df``'s ``columns`` as tuples of plain values (missing values as pandas gives them).

    ``itertuples`` walks string columns value by value through pandas; ``tolist`` converts each
    column at once, several times faster on the long tables (hits, co-occurrences).
    """
    return zip(*(df[c].tolist() for c in columns))


def missing(v) -> bool:
    """Whether ``v`` is a missing value (None, NaN, pandas' NA or NaT)."""
    # the common cases first, without pd.isna: this runs for every cell of every page's rows
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, (str, int, bool)):
        return False
    if isinstance(v, float):
        return v != v
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
    return dict(_unique_slugs(tuple(sorted(set(names))), fallback))


@lru_cache(maxsize=8)
def _unique_slugs(names: tuple[str, ...], fallback: str) -> tuple[tuple[str, str], ...]:
    # several pages need the same slugs (every slogan link on every document page): transliterate once
    import hashlib
    out: list[tuple[str, str]] = []
    used: set[str] = set()
    for name in names:
        base = make_id(name)
        if base.startswith("doc-"):
            base = f"{fallback}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:8]}"
        slug_, n = base, 2
        while slug_ in used:
            slug_, n = f"{base}-{n}", n + 1
        used.add(slug_)
        out.append((name, slug_))
    return tuple(out)


def slogan_slugs(slogans: pd.DataFrame) -> dict[str, str]:
    """A file-safe, stable id for every slogan."""
    if not len(slogans) or "slogan" not in slogans:
        return {}
    return unique_slugs(slogans["slogan"].dropna().unique())


# The most used slogans get a page of their own; every other one a section on a shared page of
# rarer slogans (by first letter of its id, at most RARE_PER_PAGE a page), so every slogan the site
# names can be linked without thousands of thin pages, each costing the static build its fixed price
# and the site its ~14 KB of navigation.
# 200 and 150 give the work reports 327 pages of their own (slogans used 44 times or more, and the ranking's
# top): each page costs the build about 10 ms and the site 25 KB, and every slogan's full KWIC and yearly
# rate are one click away on the explore page.
MAX_PAGES = 200
RARE_PER_PAGE = 300
# The top of the ranking always gets pages of their own, however rare (the lists shown first link to them).
RANKED_PAGES = 150


def in_rank_order(slogans: pd.DataFrame) -> pd.DataFrame:
    """The slogans in the order every list shows them: by ``rank`` (sloganhood, see
    :mod:`analysis.slogans.ranking`), or by count for a table written before the ranking existed."""
    if "rank" in slogans:
        return slogans.sort_values("rank", kind="mergesort")
    return slogans.sort_values(["count", "slogan"], ascending=[False, True])


def slogan_places(slogans: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """Where each slogan is shown: ``{slogan: (page, anchor)}``: a page of its own for the ``MAX_PAGES``
    most used and the ``RANKED_PAGES`` first of the ranking, page a file name without extension
    in ``slogans/``, anchor "" for a page of its own or the slogan's id on a shared page
    (``rare-z1``, ``rare-z2`` …: the rare slogans whose ids start with z, in id order)."""
    if not len(slogans) or "slogan" not in slogans:
        return {}
    # five page writers ask for the same places: worked out once per slogan table
    ranks = tuple(slogans["rank"].tolist()) if "rank" in slogans else None
    return dict(_places(tuple(slogans["slogan"].tolist()), tuple(slogans["count"].tolist()), ranks))


@lru_cache(maxsize=4)
def _places(names: tuple, counts: tuple, ranks: tuple | None) -> tuple[tuple[str, tuple[str, str]], ...]:
    slogans = pd.DataFrame({"slogan": names, "count": counts, **({"rank": ranks} if ranks else {})})
    slugs = slogan_slugs(slogans)
    if not slugs:
        return ()
    own = set(slogans.sort_values(["count", "slogan"], ascending=[False, True]).head(MAX_PAGES)["slogan"])
    own |= set(in_rank_order(slogans).head(RANKED_PAGES)["slogan"])
    places = {name: (slug_, "") for name, slug_ in slugs.items() if name in own}
    by_letter: dict[str, list[tuple[str, str]]] = {}
    for name, slug_ in sorted(((n, s) for n, s in slugs.items() if n not in own), key=lambda ns: ns[1]):
        by_letter.setdefault(slug_[0], []).append((name, slug_))
    for letter, names_ in by_letter.items():
        for i, (name, slug_) in enumerate(names_):
            places[name] = (f"rare-{letter}{i // RARE_PER_PAGE + 1}", slug_)
    return tuple(places.items())


def slogan_href(place: tuple[str, str] | None, ext: str = ".md", folder: str = "") -> Markup | None:
    """A link to a slogan's place (``slogan_places``): ``folder`` + page + ``ext`` + #anchor; None if none.

    Page and anchor are checked slugs, so the link goes into a page as it is (``Markup``).
    """
    if place is None:
        return None
    page, anchor = place
    return Markup(f"{folder}{slug(page)}{ext}" + (f"#{slug(anchor)}" if anchor else ""))
