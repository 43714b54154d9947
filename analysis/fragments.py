"""HTML the page stage writes itself, set aside from the Markdown and put back into the built pages.

Python-Markdown passes a block of raw HTML through unchanged, but only after
reading every tag of it with Python's HTML parser, and MkDocs reads it once
more looking for anchors. On the work reports that was most of `mkdocs build`:
document pages hold a span per branch and a link per slogan, slogan pages
their KWIC tables. So each top-level HTML block of a generated page is written
to a fragment file beside the page (``.NAME.fragments.html``: MkDocs skips
dot files) and replaced in the Markdown by a marker comment, which Markdown
passes through at no cost; after the build, :func:`put_back` replaces each
marker in the built page by its block. The built pages are the same either
way (``tests/test_fragments.py`` builds the sample site both ways and
compares them), and the Markdown keeps everything the builder works on:
headings, the table of contents, links between pages.
"""
from __future__ import annotations

import re
from pathlib import Path

SUFFIX = ".fragments.html"
MARKER = "<!-- tifa-fragment {} -->"
MARKER_RE = re.compile(r"<!-- tifa-fragment (\d+) -->")
# the block-level tags the generated pages open an HTML block with (Python-Markdown passes these through)
BLOCK_TAGS = ("div", "table", "p", "ul", "ol", "dl", "details", "section", "figure", "blockquote")
_BLOCK_START = re.compile(r"(?:\A|(?<=\n\n))<(%s)[\s>]" % "|".join(BLOCK_TAGS))


def fragment_file(page: Path) -> Path:
    """Where the fragments of the Markdown page ``page`` are kept: ``.NAME.fragments.html`` beside it."""
    page = Path(page)
    return page.with_name(f".{page.stem}{SUFFIX}")


def set_aside(markdown: str) -> tuple[str, list[str]]:
    """``markdown`` with each top-level HTML block replaced by a marker, and the blocks in marker order.

    A block is set aside only where Markdown would pass it through whole: it
    starts a paragraph (after a blank line) with a block-level tag, and a blank
    line or the end follows its closing tag. Anything else stays as it was.
    """
    out: list[str] = []
    blocks: list[str] = []
    at = 0
    for start in _BLOCK_START.finditer(markdown):
        if start.start() < at:
            continue
        end = _block_end(markdown, start.start(), start.group(1))
        if end is None:
            continue
        between = markdown[at:start.start()]
        if blocks and between.strip() == "":
            # blocks with only blank lines between them are kept as one (a report's paragraphs: one marker
            # per section instead of one per paragraph); the blank lines stay in the block
            blocks[-1] += between + markdown[start.start():end]
        else:
            out.append(between)
            out.append(MARKER.format(len(blocks)))
            blocks.append(markdown[start.start():end])
        at = end
    out.append(markdown[at:])
    return "".join(out), blocks


def _block_end(text: str, start: int, tag: str) -> int | None:
    """The end of the element opened at ``start``, if a blank line (or the text's end) follows it; else None."""
    opening = re.compile(r"<(/?)%s[\s>]" % tag)
    depth = 0
    for m in opening.finditer(text, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            end = text.find(">", m.end() - 1) + 1
            following = text[end:end + 2]
            if following in ("", "\n", "\n\n") and (following != "\n" or end + 1 == len(text)):
                return end
            return None
    return None


def write_fragments(page: Path, blocks: list[str]) -> Path | None:
    """Write the blocks set aside from ``page`` to its fragment file (removing a stale one if there are none);
    return the file written, or None."""
    target = fragment_file(page)
    if not blocks:
        target.unlink(missing_ok=True)
        return None
    target.write_text("".join(MARKER.format(i) + "\n" + block for i, block in enumerate(blocks)), encoding="utf-8")
    return target


def read_fragments(path: Path) -> list[str]:
    """The blocks of a fragment file, in marker order."""
    parts = MARKER_RE.split(Path(path).read_text(encoding="utf-8"))
    # split gives ["", "0", "\nBLOCK", "1", "\nBLOCK" …]
    return [block[1:] for block in parts[2::2]]


def put_back(docs_dir: Path, site_dir: Path) -> int:
    """Complete the built pages of ``site_dir``: replace their markers by the blocks kept beside the pages
    in ``docs_dir``, and drop the indentation of the theme's markup (:func:`squeeze`); return the number
    of pages written.

    Raises ValueError naming the page if a built page lacks a marker or has one
    with no block: the builder changed the Markdown's markers, and the page
    would miss part of its content.
    """
    docs_dir, site_dir = Path(docs_dir), Path(site_dir)
    kept = {site_dir / f.relative_to(docs_dir).parent / (f.name[1:-len(SUFFIX)] + ".html"): f
            for f in docs_dir.rglob(f".*{SUFFIX}")}
    pages = sorted(set(site_dir.rglob("*.html")) | set(kept))
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if page in kept:
            html = _with_blocks(html, page, kept[page])
        page.write_text(squeeze(html), encoding="utf-8")
    return len(pages)


def _with_blocks(html: str, page: Path, kept: Path) -> str:
    blocks = read_fragments(kept)
    found: set[int] = set()

    def block(m: re.Match) -> str:
        n = int(m.group(1))
        if n >= len(blocks):
            raise ValueError(f"{page}: marker {n} has no block in {kept}; rebuild the pages")
        found.add(n)
        return blocks[n]

    html = MARKER_RE.sub(block, html)
    if len(found) != len(blocks):
        missing = sorted(set(range(len(blocks))) - found)
        raise ValueError(f"{page}: the build lost the markers of blocks {missing[:5]} kept in {kept}; "
                         f"rebuild the pages, and build the site with `python -m analysis site`")
    return html


# whitespace is kept as it is inside these; elsewhere a line break and the indentation after it read the same
# to a browser as the line break alone
_KEEP_WHITESPACE = re.compile(r"(<pre[\s>].*?</pre>|<textarea[\s>].*?</textarea>)", re.S)
_INDENT = re.compile(r"\n\s+")


def squeeze(html: str) -> str:
    """``html`` without the indentation and blank lines between its tags (outside ``<pre>`` and
    ``<textarea>``): a tenth of a themed page is the template's indentation."""
    parts = _KEEP_WHITESPACE.split(html)
    parts[::2] = [_INDENT.sub("\n", part) for part in parts[::2]]
    return "".join(parts)


def page_text(page: Path) -> str:
    """The Markdown page ``page`` with its blocks back in place of the markers: the page as it would be
    without setting them aside (what tests and readers of ``docs/`` want to see)."""
    text = Path(page).read_text(encoding="utf-8")
    kept = fragment_file(page)
    if not kept.exists():
        return text
    blocks = read_fragments(kept)
    return MARKER_RE.sub(lambda m: blocks[int(m.group(1))], text)
