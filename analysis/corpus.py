"""Reading sources: a corpus folder or a JSONL/CSV file becomes :class:`Document` objects.

Nothing is dropped silently: every input that cannot be used becomes a
:class:`Problem` naming the file (and line or record) with the reason and what
to do, and the caller lists them in the build report.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional

import yaml
from charset_normalizer import from_bytes

from analysis.document import Document
from analysis.names import make_id

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
DOCX_SUFFIXES = {".docx"}
TABLE_SUFFIXES = {".jsonl", ".csv"}
TEXT_COLUMNS = ("content", "text")
METADATA_NAMES = ("metadata.csv", "metadata.yaml", "metadata.yml", "metadata.jsonl")
METADATA_FIELDS = ("title", "year", "date", "genre", "speaker", "source")

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_YEAR_IN_TITLE = re.compile(r"(?<![0-9])(1[89][0-9]{2}|20[0-9]{2})年")


@dataclass(frozen=True)
class Problem:
    """An input that was skipped or only partly used, with the reason and a remedy."""

    input: str   # file, with ":line" or "#record"
    reason: str


class CorpusError(Exception):
    """The corpus as a whole cannot be read (missing path, unknown kind of file)."""


def read_corpus(path: Path, problems: list[Problem]) -> Iterator[Document]:
    """Yield the documents of a corpus folder or table file, one at a time.

    Unusable inputs are appended to ``problems`` and skipped; the rest are
    yielded in a stable order (sorted file names, then record order), so the
    same corpus always gives the same documents and ids.
    """
    path = Path(path)
    if not path.exists():
        raise CorpusError(f"{path}: no such file or folder; pass --corpus with a folder or a .jsonl/.csv file")
    if path.is_dir():
        docs = _read_folder(path, problems)
    elif path.suffix.lower() in TABLE_SUFFIXES:
        docs = _read_table(path, problems)
    else:
        raise CorpusError(f"{path}: a corpus file must be .jsonl or .csv; for single texts pass their folder")
    yield from _unique(docs, problems)


# ---------------------------------------------------------------- decoding

def decode_bytes(data: bytes, name: str) -> str:
    """Return the text of ``data``, detecting UTF-8 (±BOM), UTF-16 and GB18030/GBK.

    Raises ``ValueError`` with a message for the build report when the bytes
    are empty, binary or in no encoding the detector recognises.
    """
    if not data.strip():
        raise ValueError("empty file; add text or remove the file")
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return _strip_bom(data.decode(codec, errors="strict"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    encoding = _detect_encoding(data)
    if encoding is None:
        if b"\x00" in data:
            raise ValueError("binary file (contains NUL bytes, not UTF-16 text); convert it to UTF-8 text or remove it")
        raise ValueError("cannot decode: the encoding could not be detected; save the file as UTF-8 text")
    text = data.decode(encoding, errors="strict")
    if not text.strip():
        raise ValueError("empty after decoding; add text or remove the file")
    return _strip_bom(text)


def _detect_encoding(data: bytes) -> Optional[str]:
    """Pick the encoding whose decoding reads most like Chinese text.

    charset-normalizer proposes candidates; on short texts it can prefer a
    Korean or Japanese code page for GB18030 bytes, so each candidate (and
    GB18030 and Big5 themselves) is judged by the share of characters that
    are CJK ideographs, Chinese punctuation or ASCII.
    """
    candidates = [m.encoding for m in from_bytes(data)] + ["gb18030", "big5"]
    if b"\x00" in data:  # only UTF-16 text has NUL bytes; anything else with them is binary
        candidates = [c for c in candidates if c.startswith("utf_16")] + ["utf-16-le", "utf-16-be"]
    best, best_score = None, 0.0
    for encoding in dict.fromkeys(candidates):
        # GB2312 and GBK are subsets of GB18030: decode with the superset so rare characters survive.
        if encoding in ("gb2312", "gbk", "hz", "cp936"):
            encoding = "gb18030"
        try:
            text = data.decode(encoding, errors="strict")
        except (UnicodeDecodeError, LookupError):
            continue
        score = _chinese_share(text)
        if score > best_score + 1e-9:
            best, best_score = encoding, score
    return best if best_score >= 0.6 else None


def _chinese_share(text: str) -> float:
    ok = sum(1 for ch in text if ch.isascii() or "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
             or "\uff00" <= ch <= "\uffef" or ch in "“”‘’…—·")
    return ok / max(1, len(text))


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


# ---------------------------------------------------------------- folders

def _read_folder(root: Path, problems: list[Problem]) -> Iterator[Document]:
    metadata = _read_metadata_table(root, problems)
    files = sorted(p for p in root.rglob("*") if p.is_file() and not _hidden(p, root))
    for file in files:
        rel = file.relative_to(root).as_posix()
        suffix = file.suffix.lower()
        if file.name in METADATA_NAMES and file.parent == root:
            continue
        if file.name.lower() in ("readme.md", "source.md"):
            continue
        if suffix in TEXT_SUFFIXES:
            doc = _read_text_file(file, rel, problems)
        elif suffix in DOCX_SUFFIXES:
            doc = _read_docx(file, rel, problems)
        elif suffix in TABLE_SUFFIXES:
            yield from _read_table(file, problems)
            continue
        else:
            problems.append(Problem(str(file), f"unsupported file type '{suffix or file.name}'; "
                                               "use .txt, .md, .docx, .jsonl or .csv"))
            continue
        if doc is None:
            continue
        meta = metadata.get(rel) or metadata.get(file.name) or {}
        _apply_metadata(doc, meta, str(file), problems)
        doc.meta["file_stem"] = file.stem  # title of last resort, when the text shows none
        if doc.year is None:
            doc.year = _year_from_title(doc.title)
        doc.doc_id = make_id(meta.get("id") or file.stem)
        yield doc


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith((".", "_")) for part in path.relative_to(root).parts)


def _read_text_file(file: Path, rel: str, problems: list[Problem]) -> Optional[Document]:
    try:
        text = decode_bytes(file.read_bytes(), rel)
    except (OSError, ValueError) as err:
        problems.append(Problem(str(file), str(err)))
        return None
    meta: dict = {}
    m = _FRONT_MATTER.match(text)
    if m:
        try:
            loaded = yaml.safe_load(m.group(1)) or {}
        except yaml.YAMLError as err:
            problems.append(Problem(str(file), f"front matter is not valid YAML ({err}); "
                                               "the text was read without it"))
            loaded = {}
        if isinstance(loaded, dict):
            meta = loaded
        text = text[m.end():]
    if not text.strip():
        problems.append(Problem(str(file), "no text after the front matter; add the document's text"))
        return None
    doc = Document(doc_id="", raw=text, source=str(file))
    _apply_metadata(doc, meta, str(file), problems)
    return doc


def _read_docx(file: Path, rel: str, problems: list[Problem]) -> Optional[Document]:
    import docx  # python-docx; imported here so plain-text corpora never pay for it
    try:
        d = docx.Document(str(file))
    except Exception as err:  # python-docx raises several unrelated types for broken files
        problems.append(Problem(str(file), f"not a readable Word .docx file ({type(err).__name__}); "
                                           "re-save it from Word or convert it to .txt"))
        return None
    text = "\n".join(p.text for p in d.paragraphs)
    if not text.strip():
        problems.append(Problem(str(file), "the Word file has no text paragraphs"))
        return None
    props = d.core_properties
    doc = Document(doc_id="", raw=text, source=str(file), title=(props.title or "").strip(),
                   speaker=(props.author or "").strip())
    return doc


def _read_metadata_table(root: Path, problems: list[Problem]) -> dict[str, dict]:
    """Return metadata rows keyed by file name (relative path or bare name)."""
    for name in METADATA_NAMES:
        path = root / name
        if not path.exists():
            continue
        rows: list[dict] = []
        try:
            text = decode_bytes(path.read_bytes(), name)
            if name.endswith(".csv"):
                rows = list(csv.DictReader(io.StringIO(text)))
            elif name.endswith(".jsonl"):
                rows = [json.loads(line) for line in text.splitlines() if line.strip()]
            else:
                loaded = yaml.safe_load(text) or []
                rows = [dict(v, file=k) for k, v in loaded.items()] if isinstance(loaded, dict) else loaded
        except (ValueError, yaml.YAMLError) as err:
            problems.append(Problem(str(path), f"metadata table unreadable ({err}); documents keep "
                                               "the metadata found in the files themselves"))
            return {}
        table = {}
        for n, row in enumerate(rows, 1):
            key = str((row or {}).get("file") or "").strip()
            if not key:
                problems.append(Problem(f"{path}#{n}", "metadata row has no 'file' column value; row ignored"))
                continue
            table[key] = row
        return table
    return {}


# ---------------------------------------------------------------- tables

def _read_table(path: Path, problems: list[Problem]) -> Iterator[Document]:
    try:
        text = decode_bytes(path.read_bytes(), path.name)
    except (OSError, ValueError) as err:
        problems.append(Problem(str(path), str(err)))
        return
    if path.suffix.lower() == ".jsonl":
        records = _jsonl_records(path, text, problems)
    else:
        records = ((f"{path}:{n + 1}", row) for n, row in enumerate(csv.DictReader(io.StringIO(text)), 1))
    for where, rec in records:
        doc = _record_to_document(rec, where, problems)
        if doc is not None:
            yield doc


def _jsonl_records(path: Path, text: str, problems: list[Problem]) -> Iterator[tuple[str, dict]]:
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as err:
            problems.append(Problem(where, f"invalid JSON ({err.msg} at column {err.colno}); "
                                           "fix or remove the line"))
            continue
        if not isinstance(rec, dict):
            problems.append(Problem(where, f"expected a JSON object, got {type(rec).__name__}"))
            continue
        yield where, rec


def _record_to_document(rec: dict, where: str, problems: list[Problem]) -> Optional[Document]:
    column = next((c for c in TEXT_COLUMNS if c in rec), None)
    text = rec.get(column) if column else None
    if not isinstance(text, str) or not text.strip():
        what = f"column '{column}' is empty" if column else "no 'content' or 'text' column"
        problems.append(Problem(where, f"record without text ({what}); give it text or remove it"))
        return None
    doc = Document(doc_id="", raw=text.replace("\r\n", "\n"), source=where)
    _apply_metadata(doc, rec, where, problems)
    if doc.year is None:
        doc.year = _year_from_title(doc.title)
    doc.doc_id = make_id(rec.get("id") or doc.title or _first_line(text) or where)
    return doc


# ---------------------------------------------------------------- metadata and ids

def _apply_metadata(doc: Document, meta: dict, where: str, problems: list[Problem]) -> None:
    for key in ("title", "date", "genre", "speaker"):
        value = meta.get(key)
        if value not in (None, ""):
            setattr(doc, key, str(value).strip())
    if meta.get("organ") and not doc.speaker:
        doc.speaker = str(meta["organ"]).strip()
    if meta.get("source") or meta.get("url"):
        doc.meta["source"] = str(meta.get("source") or meta.get("url"))
    year = meta.get("year")
    if year in (None, "") and doc.date:
        year = str(doc.date)[:4]
    if year not in (None, ""):
        try:
            doc.year = int(str(year).strip()[:4])
        except ValueError:
            problems.append(Problem(where, f"year '{year}' is not a number; the year was left unknown"))
    if not doc.genre and doc.title:
        doc.genre = genre_from_title(doc.title)


def genre_from_title(title: str) -> str:
    """Guess a genre from a title's last word (决议, 报告, 讲话 ...); '' when unclear."""
    for suffix, genre in (("决议", "决议"), ("工作报告", "工作报告"), ("报告", "报告"), ("讲话", "讲话"),
                          ("致辞", "讲话"), ("意见", "意见"), ("通知", "通知"), ("决定", "决定"), ("公报", "公报")):
        if re.search(suffix + r"[）)（(摘要\s]*$", title):
            return genre
    return ""


def _year_from_title(title: str) -> Optional[int]:
    m = _YEAR_IN_TITLE.search(title or "")
    return int(m.group(1)) if m else None


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip(" \u3000\t\u200b")
        if line:
            return line[:80]
    return ""


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
