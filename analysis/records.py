"""Table files: a JSONL or CSV corpus (one document a record) and a folder's metadata table.

Each record is used or reported on its own: a record that is not an object,
nested too deeply to parse, without text, too long or not valid Unicode is
listed with its line, and the records around it are still read.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Iterator, Optional

import yaml

from analysis.decoding import decode_bytes
from analysis.document import Document
from analysis.dating import date_document
from analysis.inputs import Limits, Problem, apply_metadata, ignored_surrogate, lone_surrogate
from analysis.names import make_id

TEXT_COLUMNS = ("content", "text")
# A CSV cell may hold a whole document: the csv module's default cap (131,072 characters) would stop
# the file with an error, so the cap is lifted here and a document's length checked against Limits.
_CSV_FIELD_LIMIT = 2**31 - 1


def read_table(path: Path, problems: list[Problem], limits: Limits) -> Iterator[Document]:
    """Yield the documents of a .jsonl or .csv corpus file, reporting unusable records."""
    try:
        text = decode_bytes(path.read_bytes())
    except (OSError, ValueError) as err:
        problems.append(Problem(str(path), _os_reason(err)))
        return
    records = jsonl_records(path, text, problems) if path.suffix.lower() == ".jsonl" \
        else csv_records(path, text, problems)
    for where, rec in records:
        doc = record_to_document(rec, where, problems, limits)
        if doc is not None:
            yield doc


def jsonl_records(path: Path, text: str, problems: list[Problem]) -> Iterator[tuple[str, dict]]:
    """``(file:line, object)`` for every JSON object line; other lines are reported."""
    # JSON Lines are separated by "\n" alone: str.splitlines() would also cut at U+2028, U+0085 and
    # the like, which a JSON string may hold unescaped, and so break valid records.
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as err:
            problems.append(Problem(where, f"invalid JSON ({err.msg} at column {err.colno}); fix or remove the line"))
            continue
        except RecursionError:
            problems.append(Problem(where, "JSON nested too deeply to read; fix or remove the line"))
            continue
        if not isinstance(rec, dict):
            problems.append(Problem(where, f"expected a JSON object, got {_kind(rec)}; fix or remove the line"))
            continue
        yield where, rec


def csv_records(path: Path, text: str, problems: list[Problem]) -> Iterator[tuple[str, dict]]:
    """``(file:line, row)`` for every CSV row, ``line`` being the line where the row starts."""
    csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_LIMIT))
    # newline="": quoted cells keep their line breaks and CR-only files split into lines
    reader = csv.DictReader(io.StringIO(text, newline=""))
    while True:
        start = reader.line_num + 1 if reader.line_num else 2   # the header is line 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            problems.append(Problem(f"{path}:{start}", f"malformed CSV ({err}); this row and the rest of the "
                                                       "file were not read: fix the quoting"))
            return
        yield f"{path}:{start}", row


def record_to_document(rec: dict, where: str, problems: list[Problem], limits: Limits) -> Optional[Document]:
    """The document of one JSONL/CSV record, or None (reported) when it has no usable text."""
    column = next((c for c in TEXT_COLUMNS if c in rec), None)
    text = rec.get(column) if column else None
    reason = _text_problem(column, text, limits)
    if reason:
        problems.append(Problem(where, reason))
        return None
    rec = _without_surrogates(rec, where, problems)
    doc = Document(doc_id="", raw=text.replace("\r\n", "\n"), source=where)
    apply_metadata(doc, rec, where, problems)
    date_document(doc)
    doc.doc_id = make_id(rec.get("id") or doc.title or _first_line(text) or where)
    return doc


def _text_problem(column: Optional[str], text, limits: Limits) -> Optional[str]:
    if column is None:
        return "record without text (no 'content' or 'text' column); give it text or remove it"
    if text is None:
        return f"record without text (column '{column}' is missing or null); give it text or remove it"
    if not isinstance(text, str):
        return f"column '{column}' holds {_kind(text)}, not text; give it the document's text as a string"
    if not text.strip():
        return f"record without text (column '{column}' is empty or only whitespace); give it text or remove it"
    at = lone_surrogate(text)
    if at is not None:
        return (f"column '{column}' holds a lone surrogate (\\u{ord(text[at]):04x} at character {at}), "
                "which is not valid Unicode text; fix the \\u escape in the record")
    return limits.too_long(text)


def _without_surrogates(rec: dict, where: str, problems: list[Problem]) -> dict:
    """``rec`` without the metadata values that are not valid Unicode (each reported)."""
    bad = [k for k, v in rec.items() if isinstance(v, str) and lone_surrogate(v) is not None]
    for key in bad:
        problems.append(ignored_surrogate(where, key))
    return {k: v for k, v in rec.items() if k not in bad}


def _kind(value) -> str:
    """A JSON value's type in the user's words."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    return {dict: "an object", list: "a list", str: "a string", type(None): "null"}.get(type(value), "a value")


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip(" \u3000\t\u200b")
        if line:
            return line[:80]
    return ""


def _os_reason(err: Exception) -> str:
    if isinstance(err, PermissionError):
        return "cannot read the file (permission denied); make it readable or remove it"
    if isinstance(err, OSError):
        return f"cannot read the file ({err.strerror or err}); check it or remove it"
    return str(err)


# ---------------------------------------------------------------- a folder's metadata table

METADATA_NAMES = ("metadata.csv", "metadata.yaml", "metadata.yml", "metadata.jsonl")


def read_metadata_table(root: Path, problems: list[Problem]) -> dict[str, dict]:
    """Return the folder's metadata rows keyed by file name (relative path or bare name)."""
    for name in METADATA_NAMES:
        path = root / name
        if not path.is_file():
            continue
        try:
            rows = _metadata_rows(path, decode_bytes(path.read_bytes()), problems)
        except (OSError, ValueError, yaml.YAMLError, RecursionError) as err:
            reason = "nested too deeply" if isinstance(err, RecursionError) else _os_reason(err)
            problems.append(Problem(str(path), f"metadata table unreadable ({reason}); documents keep "
                                               "the metadata found in the files themselves"))
            return {}
        table = {}
        for where, row in rows:
            key = str(row.get("file") or "").strip()
            if not key:
                problems.append(Problem(where, "metadata row has no 'file' column value; row ignored"))
                continue
            table[key] = row
        return table
    return {}


def _metadata_rows(path: Path, text: str, problems: list[Problem]) -> list[tuple[str, dict]]:
    """``(where, row)`` for every metadata row that is a mapping; other rows are reported."""
    if path.suffix == ".csv":
        return list(csv_records(path, text, problems))
    if path.suffix == ".jsonl":
        return list(jsonl_records(path, text, problems))
    loaded = yaml.safe_load(text) or []
    if isinstance(loaded, dict):
        items = [(f"{path}#{k}", dict(v, file=k) if isinstance(v, dict) else v) for k, v in loaded.items()]
    elif isinstance(loaded, list):
        items = [(f"{path}#{n}", row) for n, row in enumerate(loaded, 1)]
    else:
        raise ValueError(f"expected a mapping from file name to fields, or a list of rows, got {_kind(loaded)}")
    rows = []
    for where, row in items:
        if isinstance(row, dict):
            rows.append((where, row))
        else:
            problems.append(Problem(where, f"metadata row is {_kind(row)}, not a mapping of fields; row ignored"))
    return rows
