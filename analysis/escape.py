"""Escaping corpus text for generated Markdown.

Corpus text is data: every character that Markdown or HTML could read as
syntax becomes a numeric character reference, which both render as the
literal character. So a document containing ``<script>`` or ``**bold**``
shows exactly that text, in Markdown paragraphs, tables, headings and raw
HTML blocks alike.
"""
from __future__ import annotations

import json
import re

from markupsafe import Markup

_SPECIAL = "&<>\"'`*_[](){}#|\\!~+-=.:$^"
_TABLE = {ord(c): f"&#{ord(c)};" for c in _SPECIAL}
_TABLE[ord("\n")] = " "
_TABLE[ord("\r")] = " "


def md_escape(value) -> str:
    """Return ``value`` as text that Markdown and HTML show literally (``Markup`` passes through)."""
    # the common cases first, without pandas: this runs for every value of every generated page
    cls = type(value)
    if cls is str or cls is int:
        return str(value).translate(_TABLE)
    if value is None:
        return ""
    if isinstance(value, Markup):
        return str(value)
    if cls is float and value != value:
        return ""
    try:
        import pandas as pd
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value).translate(_TABLE)


_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*")


def slug(value) -> Markup:
    """Pass a document or slogan id into a link target unescaped, after checking it is a slug.

    Ids come from :func:`analysis.names.make_id`; anything else here is a bug,
    and failing loudly beats writing a link a title could have shaped.
    """
    text = str(value)
    if not _SLUG.fullmatch(text):
        raise ValueError(f"not a slug, refusing to put it in a URL: {text!r}")
    return Markup(text)


def link(url, text: str = "") -> Markup:
    """A Markdown link to an http(s) URL from the corpus, or the escaped text if it is not one.

    Brackets, quotes and spaces are percent-encoded so the URL cannot end the
    link early or open an attribute; the visible text is escaped as usual.
    """
    checked = _web_address(url, text)
    if checked is None:
        return Markup(md_escape(str(url or "").strip()))
    safe, shown = checked
    return Markup(f"[{md_escape(shown)}]({safe})")


def html_link(url, text: str = "") -> Markup:
    """:func:`link` written as an HTML ``<a>``, for the pages' HTML blocks."""
    checked = _web_address(url, text)
    if checked is None:
        return Markup(md_escape(str(url or "").strip()))
    safe, shown = checked
    # & stays in the URL (it separates query parameters) but is written as an entity inside an attribute
    return Markup(f'<a href="{safe.replace("&", "&amp;")}">{md_escape(shown)}</a>')


def _web_address(url, text: str) -> tuple[str, str] | None:
    """``(percent-encoded URL, text to show)`` for an http(s) URL, else None."""
    from urllib.parse import quote, unquote, urlsplit
    raw = str(url or "").strip()
    if urlsplit(raw).scheme not in ("http", "https"):
        return None
    return quote(raw, safe=":/?#@!$&*+,;=%-._~"), text or unquote(raw)


_TITLE_SAFE = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇", "`": "｀", "\n": " "})


def page_title(value) -> Markup:
    """A YAML-quoted page title for front matter, with HTML-significant characters made full-width.

    MkDocs puts the page title unescaped into ``<title>``, navigation and the
    search index; full-width forms read the same to people and mean nothing to
    a browser.
    """
    return Markup(json.dumps(str(value or "").translate(_TITLE_SAFE), ensure_ascii=False))


def script_json(value) -> str:
    """Compact JSON of ``value`` for a ``<script>`` block or a data file: Chinese kept as it is, and
    < > & escaped (\\u003c …) so that corpus text in it can neither end the script nor open markup."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
