"""Reading sources: a corpus folder or a JSONL/CSV file becomes :class:`Document` objects.

Nothing is dropped silently: every input that cannot be used becomes a
:class:`Problem` naming the file (and line or record) with the reason and what
to do, and the caller lists them in the build report. Decoding is in
:mod:`analysis.decoding`, table files in :mod:`analysis.records`.
"""
from __future__ import annotations

import hashlib
import os
import re
import zipfile
from pathlib import Path
from typing import Iterable, Iterator, Optional

import yaml

from analysis.decoding import decode_bytes
from analysis.document import Document
from analysis.dating import date_document
from analysis.inputs import Limits, Problem, apply_metadata, lone_surrogate
from analysis.names import make_id
from analysis.records import METADATA_NAMES, read_metadata_table, read_table

__all__ = ["CorpusError", "Limits", "Problem", "decode_bytes", "read_corpus"]

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
DOCX_SUFFIXES = {".docx"}
TABLE_SUFFIXES = {".jsonl", ".csv"}
METADATA_FIELDS = ("title", "year", "date", "genre", "speaker", "source")

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
# Keys that make a leading "---" block front matter rather than text between two rules.
_FRONT_MATTER_KEYS = frozenset((*METADATA_FIELDS, "id", "url", "organ"))


class CorpusError(Exception):
    """The corpus as a whole cannot be read (missing path, unknown kind of file)."""


def read_corpus(path: Path, problems: list[Problem], limits: Limits = Limits()) -> Iterator[Document]:
    """Yield the documents of a corpus folder or table file, one at a time.

    Unusable inputs are appended to ``problems`` and skipped; the rest are
    yielded in a stable order (sorted file names, then record order), so the
    same corpus always gives the same documents and ids. Inputs over
    ``limits`` are reported and not read.
    """
    path = Path(path)
    if not path.exists():
        raise CorpusError(f"{path}: no such file or folder; pass --corpus with a folder or a .jsonl/.csv file")
    if path.is_dir():
        docs = _read_folder(path, problems, limits)
    elif path.suffix.lower() in TABLE_SUFFIXES:
        docs = read_table(path, problems, limits)
    else:
        raise CorpusError(f"{path}: a corpus file must be .jsonl or .csv; for single texts pass their folder")
    yield from _unique(docs, problems)


# ---------------------------------------------------------------- folders

def _read_folder(root: Path, problems: list[Problem], limits: Limits) -> Iterator[Document]:
    metadata = read_metadata_table(root, problems)
    for file in corpus_files(root, problems):
        rel = file.relative_to(root).as_posix()
        suffix = file.suffix.lower()
        if file.name in METADATA_NAMES and file.parent == root:
            continue
        if file.name.lower() in ("readme.md", "source.md"):
            continue
        if suffix in TEXT_SUFFIXES:
            doc = _read_text_file(file, problems, limits)
        elif suffix in DOCX_SUFFIXES:
            doc = _read_docx(file, problems, limits)
        elif suffix in TABLE_SUFFIXES:
            yield from read_table(file, problems, limits)
            continue
        else:
            problems.append(Problem(str(file), f"unsupported file type '{suffix or file.name}'; "
                                               "use .txt, .md, .docx, .jsonl or .csv"))
            continue
        if doc is None:
            continue
        meta = metadata.get(rel) or metadata.get(file.name) or {}
        apply_metadata(doc, meta, str(file), problems)
        doc.meta["file_stem"] = file.stem  # title of last resort, when the text shows none
        date_document(doc)
        doc.doc_id = make_id(_usable_id(meta.get("id")) or file.stem)
        yield doc


def corpus_files(root: Path, problems: list[Problem]) -> list[Path]:
    """The files of the corpus folder, sorted; whatever is passed over is reported.

    Hidden names (starting with '.' or '_') are passed over, as are links
    that lead outside the folder (a link to a system file must never be read
    and published), broken links and folders that cannot be listed.
    """
    real_root = root.resolve()
    files: list[Path] = []
    seen: set[Path] = {real_root}
    stack: list[Path] = [root]   # paths as the user gave them: they name the documents in the tables
    links: list[Path] = []       # followed after every real folder, so a link is what counts as the copy
    while stack or links:
        folder = stack.pop() if stack else None
        entries = _entries(folder, problems) if folder else [links.pop(0)]
        for path in entries:
            if folder and path.is_symlink():
                links.append(path)
                continue
            kind = _entry_kind(path, real_root, seen, problems)
            if kind == "dir":
                stack.append(path)
            elif kind == "file":
                files.append(path)
    return sorted(files)


def _entries(folder: Path, problems: list[Problem]) -> list[Path]:
    try:
        return [folder / e.name for e in sorted(os.scandir(folder), key=lambda e: e.name)]
    except OSError as err:
        problems.append(Problem(str(folder), f"cannot list the folder ({err.strerror or err}); "
                                             "its files were not read: make it readable"))
        return []


def _entry_kind(path: Path, root: Path, seen: set[Path], problems: list[Problem]) -> Optional[str]:
    """'dir' or 'file' for an entry to read; None (reported when it matters) for one passed over."""
    if lone_surrogate(path.name) is not None:   # bytes that are not UTF-8, as Python reads file names
        shown = str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        problems.append(Problem(shown, "file name is not valid UTF-8: not read; rename it"))
        return None
    if path.name.startswith((".", "_")):
        if path.name not in (".git", ".DS_Store"):  # version control and Finder files are no one's documents
            problems.append(Problem(str(path), "hidden name (starts with '.' or '_'): not read; rename it "
                                               "if it belongs to the corpus"))
        return None
    target = path.resolve()
    if path.is_symlink():
        if not target.exists():
            problems.append(Problem(str(path), "broken link: its target does not exist; fix or remove the link"))
            return None
        if not target.is_relative_to(root):
            problems.append(Problem(str(path), "link to a file or folder outside the corpus folder: not read; "
                                               "copy what it points to into the corpus to include it"))
            return None
    if target.is_dir():
        if target in seen:
            problems.append(Problem(str(path), "link to a folder already read (a loop or a second path); "
                                               "not read again"))
            return None
        seen.add(target)
        return "dir"
    if target.is_file():
        return "file"
    problems.append(Problem(str(path), "not a regular file (a device, pipe or socket): not read"))
    return None


def _usable_id(value) -> str:
    if value in (None, "") or lone_surrogate(str(value)) is not None:
        return ""
    return str(value)


def _read_text_file(file: Path, problems: list[Problem], limits: Limits) -> Optional[Document]:
    try:
        size = file.stat().st_size
        if size > 4 * limits.max_document_chars:  # no encoding needs more than 4 bytes a character
            problems.append(Problem(str(file), f"file too large: {size:,} bytes, over 4 bytes a character for "
                                               f"the limit of {limits.max_document_chars:,} characters; "
                                               "split it, or raise --max-document-chars"))
            return None
        text = decode_bytes(file.read_bytes())
    except PermissionError:
        problems.append(Problem(str(file), "cannot read the file (permission denied); make it readable or remove it"))
        return None
    except (OSError, ValueError) as err:
        problems.append(Problem(str(file), str(err)))
        return None
    meta, text, had_front_matter = _front_matter(text, str(file), problems)
    if not text.strip():
        problems.append(Problem(str(file), "no text after the front matter; add the document's text"
                                if had_front_matter else "the file holds only whitespace; add text or remove it"))
        return None
    reason = limits.too_long(text)
    if reason:
        problems.append(Problem(str(file), reason))
        return None
    doc = Document(doc_id="", raw=text, source=str(file))
    apply_metadata(doc, meta, str(file), problems)
    return doc


def _front_matter(text: str, where: str, problems: list[Problem]) -> tuple[dict, str, bool]:
    """``(metadata, text after it, whether there was front matter)``.

    A leading block between two '---' lines is front matter only when it is
    YAML naming document fields; otherwise (two rules around text, say) the
    block is part of the text and nothing is cut.
    """
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text, False
    try:
        loaded = yaml.safe_load(m.group(1))
    except (yaml.YAMLError, RecursionError):
        problems.append(Problem(where, "starts with a '---' block that is not valid YAML front matter; "
                                       "it was read as part of the text"))
        return {}, text, False
    if not isinstance(loaded, dict) or not _FRONT_MATTER_KEYS & {str(k) for k in loaded}:
        return {}, text, False
    return loaded, text[m.end():], True


def _read_docx(file: Path, problems: list[Problem], limits: Limits) -> Optional[Document]:
    import docx  # python-docx; imported here so plain-text corpora never pay for it
    reason = _docx_too_large(file, limits)
    if reason:
        problems.append(Problem(str(file), reason))
        return None
    try:
        d = docx.Document(str(file))
    except Exception as err:  # python-docx raises several unrelated types for broken files
        detail = str(err).strip().splitlines()[0][:160] if str(err).strip() else type(err).__name__
        problems.append(Problem(str(file), f"not a readable Word .docx file ({type(err).__name__}: {detail}); "
                                           "re-save it from Word as .docx, or convert it to .txt"))
        return None
    text = "\n".join(p.text for p in d.paragraphs)
    if not text.strip():
        problems.append(Problem(str(file), "the Word file has no text paragraphs"))
        return None
    reason = limits.too_long(text)
    if reason:
        problems.append(Problem(str(file), reason))
        return None
    props = d.core_properties
    return Document(doc_id="", raw=text, source=str(file), title=(props.title or "").strip(),
                    speaker=(props.author or "").strip())


def _docx_too_large(file: Path, limits: Limits) -> Optional[str]:
    """The reason to skip a .docx that is no zip archive or whose parts expand past the limit, read from
    the zip directory alone.

    python-docx loads every part into memory, and parsing their XML takes
    some 35 bytes a byte: a small compressed file can hold gigabytes.
    """
    try:
        with zipfile.ZipFile(file) as z:
            size = sum(info.file_size for info in z.infolist())
    except zipfile.BadZipFile:
        return ("not a Word .docx file: not a zip archive (an old .doc renamed, or a damaged copy?); "
                "re-save it from Word as .docx, or convert it to .txt")
    except OSError:
        return None  # python-docx reports the file it cannot open in its own words
    if size <= limits.max_docx_bytes:
        return None
    return (f"Word file expands to {size:,} bytes uncompressed, over the limit of {limits.max_docx_bytes:,}; "
            "save it as .txt, or raise --max-docx-bytes")


def _unique(docs: Iterable[Document], problems: list[Problem]) -> Iterator[Document]:
    """Skip exact duplicate texts (reported) and make ids unique with -2, -3 ..."""
    seen_text: dict[str, str] = {}
    seen_ids: set[str] = set()
    for doc in docs:
        digest = hashlib.sha256(doc.raw.strip().encode("utf-8")).hexdigest()
        if digest in seen_text:
            problems.append(Problem(doc.source, f"duplicate document: same text as '{seen_text[digest]}'; "
                                                "skipped (remove one copy)"))
            continue
        seen_text[digest] = doc.source
        base, n = doc.doc_id, 2
        while doc.doc_id in seen_ids:
            doc.doc_id = f"{base}-{n}"
            n += 1
        seen_ids.add(doc.doc_id)
        yield doc
