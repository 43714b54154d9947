"""The data the explore page and the site search read: JavaScript files loaded on demand.

A page opened from disk (``file://``) may not ``fetch`` a local file in chromium, but it may
run a ``<script>``: so every data file is JavaScript that hands its value to one global
function, ``tifaData(name, value)`` (defined by ``docs/javascripts/tifa-data.js``), and a
page inserts the ``<script>`` elements it needs only when the reader queries.

Written into ``docs/explore-data/``:

- ``docs.js``: the documents (id, title, year, characters, shard) and the characters per
  year — the denominators of every rate;
- ``t0.js`` … : the shards, the documents in reading order (by year) in blocks of about
  :data:`SHARD_CHARS` characters, each document with its raw text, its words (the compact
  stream of :func:`analysis.explore.encode_tokens`) and where its displayed units start;
- ``i0.js`` … : which shards can hold a query — every character and character pair of the
  texts, with the shards holding it (``*`` for all), split over files by a hash of the key so
  a query loads only the files of its own pairs;
- ``words.js``: each word's frequency in the corpus (words seen twice or more), the reference
  of the collocates' log-likelihood;
- ``titles.js``: the title and address of every slogan, pattern and document page and the
  hand-written pages, for the search box.

Offsets in these files are UTF-16 code units, as JavaScript strings count; they equal the raw
character offsets of the tables unless a text holds characters outside the BMP, and the page
converts back (see ``explore.js``) before it links to ``#at=OFFSET``.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path

import numpy as np

from analysis.explore import Document, encode_tokens, is_word, read_documents, year_characters
from analysis.fragments import fragment_file
from analysis.page_kit import in_rank_order, slogan_href, slogan_places
from analysis.lexicon import lexicon_terms, load_lexicon
from analysis.segment import get_segmenter
from analysis.tables import read_table

DATA_DIR = "explore-data"
PAGE = "explore.md"
GENERATED = (PAGE, fragment_file(Path(PAGE)).name, DATA_DIR)  # what this module writes into the docs folder (git-ignored)
SHARD_CHARS = 120_000        # a shard is about 360 KB of UTF-8: a rare term loads one or two
INDEX_FILE_BYTES = 100_000   # an index file is about this size: a query loads one per character pair
COLLOCATE_WINDOW = 5         # words either side of a hit (the page's WINDOW)
MIN_WORD_FREQUENCY = 2       # the page asks a collocate to occur at least twice near the term: rarer words never count
_TITLE = re.compile(r'^title:\s*(.+)$', re.M)
_HEADING = re.compile(r'^#\s+(.+)$', re.M)
_PAIR = 0x110000          # codes of character pairs start above every code point
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def write_explore_data(build_dir: Path, docs_dir: Path, *, hand_written: Path | None = None,
                       lexicon: Path | None = None) -> list[Path]:
    """Write the explore page and the explore and search data for the tables in ``build_dir`` into
    ``docs_dir``, where the generated pages already are; return the files written.

    The search lists the titles of the generated pages in ``docs_dir`` and of the hand-written
    pages at the top of ``hand_written`` (the MkDocs docs folder, when pages are staged apart).
    The words of the collocates are the analysis's segmentation with ``lexicon`` (default: the
    project's lexicon, which the analysis uses unless told otherwise).
    """
    out = Path(docs_dir) / DATA_DIR
    out.mkdir(parents=True, exist_ok=True)
    docs = read_documents(read_table(build_dir, "documents"), read_table(build_dir, "texts"))
    shards = shard_documents(docs)
    units = _unit_starts(read_table(build_dir, "units"))
    segmenter = get_segmenter(tuple(lexicon_terms(load_lexicon(lexicon) if lexicon else load_lexicon())))
    frequencies: Counter = Counter()
    written = []
    for n, shard in enumerate(shards):
        rows = []
        for i, d in shard:
            words = [t for t in segmenter.tokens(d.raw) if is_word(t[0])]
            frequencies.update(w for w, _, _ in words)
            to_js = js_offsets(d.raw)
            if to_js is not _same_offset:        # a character outside the BMP: JavaScript's offsets differ from here on
                words = [(w, to_js(s), to_js(e)) for w, s, e in words]
            rows.append([i, d.raw, encode_tokens(words, to_js(len(d.raw))),
                         [x for index, start in units.get(d.doc_id, []) for x in (index, to_js(start))]])
        written.append(_write(out / f"t{n}.js", f"t{n}", rows))
    index_files = write_index(out, character_index(shards))
    written.append(_write(out / "docs.js", "docs", manifest(docs, shards, index_files=len(index_files))))
    written += index_files
    written.append(_write(out / "words.js", "words", word_frequencies(frequencies)))
    written.append(_write(out / "titles.js", "titles", page_titles(Path(docs_dir), Path(hand_written or docs_dir),
                                                                   slogan_addresses(read_table(build_dir, "slogans")))))
    written.append(write_explore_page(Path(docs_dir), n_docs=len(docs)))
    return written


def write_explore_page(docs_dir: Path, *, n_docs: int) -> Path:
    """The explore page (``explore.md``): a form and empty boxes that ``explore.js`` fills."""
    from analysis.page_kit import template_env, write_page
    text = template_env().get_template("explore.md.j2").render(n_docs=n_docs, window=COLLOCATE_WINDOW)
    return write_page(Path(docs_dir) / PAGE, text)


def shard_documents(docs: list[Document]) -> list[list[tuple[int, Document]]]:
    """The documents, numbered in reading order, in blocks of about :data:`SHARD_CHARS` raw characters
    (a document is never split; a longer one is a shard of its own)."""
    shards: list[list[tuple[int, Document]]] = [[]]
    size = 0
    for i, d in enumerate(docs):
        if shards[-1] and size + len(d.raw) > SHARD_CHARS:
            shards.append([])
            size = 0
        shards[-1].append((i, d))
        size += len(d.raw)
    return [shard for shard in shards if shard]


def manifest(docs: list[Document], shards: list[list[tuple[int, Document]]], *, index_files: int) -> dict:
    """The documents (``[id, title, year, characters, shard]`` in reading order), characters per year,
    the number of shards and of index files."""
    shard_of = {i: n for n, shard in enumerate(shards) for i, _ in shard}
    return {"docs": [[d.doc_id, d.title, d.year, d.characters, shard_of[i]] for i, d in enumerate(docs)],
            "years": {str(y): c for y, c in year_characters(docs).items()}, "shards": len(shards),
            "index_files": index_files}


def character_index(shards: list[list[tuple[int, Document]]]) -> dict[str, int]:
    """Every character and pair of adjacent characters of the texts → a bit mask of the shards holding it."""
    by_code: dict[int, int] = {}
    for n, shard in enumerate(shards):
        codes = []
        for _, d in shard:
            if not d.raw:
                continue
            # characters as code points; a pair as (first << 21 | second) + 1, above any single code point
            chars = np.frombuffer(d.raw.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
            codes += [chars, ((chars[:-1] << 21) | chars[1:]) + _PAIR]
        bit = 1 << n
        for code in (np.unique(np.concatenate(codes)).tolist() if codes else []):
            by_code[code] = by_code.get(code, 0) | bit
    return {(chr(c) if c < _PAIR else chr((c - _PAIR) >> 21) + chr((c - _PAIR) & 0x1FFFFF)): mask
            for c, mask in by_code.items()}


def index_file(key: str, files: int) -> int:
    """Which index file holds ``key`` (the page computes the same from the query's characters)."""
    h = 0
    for ch in key:
        h = (h * 31 + ord(ch)) % 1_000_003
    return h % files


def write_index(out: Path, index: dict[str, int]) -> list[Path]:
    """Write the character index over as many files as keep each near :data:`INDEX_FILE_BYTES`;
    the manifest (``docs.js``) gives their number, which the page needs to find a key's file."""
    every = max(index.values(), default=0)
    width = max(1, math.ceil(every.bit_length() / 4))
    entries = {k: "*" if v == every else format(v, "x").zfill(width) for k, v in index.items()}
    size = sum(len(k.encode("utf-8")) + len(v) + 6 for k, v in entries.items())
    files = max(1, math.ceil(size / INDEX_FILE_BYTES))
    parts: list[dict[str, str]] = [{} for _ in range(files)]
    for key in sorted(entries):
        parts[index_file(key, files)][key] = entries[key]
    return [_write(out / f"i{k}.js", f"i{k}", part) for k, part in enumerate(parts)]


def word_frequencies(frequencies: Counter) -> dict:
    """``{"total": words in the corpus, "words": {word: frequency}}`` for words seen at least twice."""
    kept = {w: n for w, n in sorted(frequencies.items()) if n >= MIN_WORD_FREQUENCY}
    return {"total": sum(frequencies.values()), "words": kept}


def slogan_addresses(slogans) -> dict[str, str]:
    """``{slogan: address}`` of every slogan's place, its own page or its section on a shared page of rarer
    slogans (:func:`analysis.page_kit.slogan_places`), in rank order."""
    places = slogan_places(slogans)
    names = in_rank_order(slogans)["slogan"] if len(slogans) else []
    return {name: f"slogans/{slogan_href(places[name], '.html')}" for name in names if name in places}


def page_titles(pages_dir: Path, hand_written: Path, slogans: dict[str, str] | None = None) -> list[list[str]]:
    """``[title, address, kind]`` of every page the search lists: slogans, patterns, documents (generated,
    in ``pages_dir``) and the pages at the top of ``pages_dir`` and ``hand_written``. The address is
    relative to the site root, as the built site has it (``use_directory_urls: false``). ``slogans``
    (:func:`slogan_addresses`) lists every slogan under its own name, also those shown on a shared page."""
    out, seen = [], set()
    for name, address in (slogans or {}).items():
        seen.add(address)
        out.append([name, address, "slogan"])
    for kind, folder in (("slogan", "slogans"), ("pattern", "patterns"), ("document", "documents"), ("page", "")):
        for base in dict.fromkeys((pages_dir, hand_written)):
            for md in sorted((base / folder).glob("*.md")):
                address = md.relative_to(base).with_suffix(".html").as_posix()
                title = _page_title(md)
                if title and address not in seen:
                    seen.add(address)
                    out.append([title, address, "page" if md.name == "index.md" else kind])
    return out


def _page_title(md: Path) -> str:
    text = md.read_text(encoding="utf-8")[:2000]
    found = _TITLE.search(text) if text.startswith("---") else None
    if found:
        value = found.group(1).strip()
        try:
            return str(json.loads(value))
        except json.JSONDecodeError:
            return value.strip("'\"")
    heading = _HEADING.search(text)
    return heading.group(1).strip() if heading else ""


def _unit_starts(units) -> dict[str, list[tuple[int, int]]]:
    """Per document, ``(index, raw start)`` of the units a document page shows (its title is not)."""
    out: dict[str, list[tuple[int, int]]] = {}
    if not len(units):
        return out
    shown = units[units["kind"] != "title"]
    for doc_id, index, start in zip(shown["doc_id"], shown["index"], shown["start"]):
        out.setdefault(doc_id, []).append((int(index), int(start)))
    return out


def js_offsets(raw: str):
    """A function from a raw character offset to the UTF-16 offset JavaScript counts (the same offset unless
    a character outside the BMP comes before it)."""
    if not _ASTRAL.search(raw):
        return _same_offset
    return lambda offset: offset + len(_ASTRAL.findall(raw, 0, offset))


def _same_offset(offset: int) -> int:
    return offset


def _write(path: Path, name: str, value) -> Path:
    """Write ``tifaData(name, value);`` — JSON is valid JavaScript, and the text stays data."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    path.write_text(f"tifaData({json.dumps(name)},{text});\n", encoding="utf-8")
    return path
