"""Tables: the contract between the analysis and the site.

Each table is written twice, as ``DIR/tables/NAME.parquet`` (typed, for
programs, the exact text) and ``NAME.csv`` (UTF-8 with BOM, so Excel opens
Chinese text correctly; a text cell that a spreadsheet would run as a
formula gets an apostrophe in front, see :func:`csv_safe`). Pages and charts
read only these files. Each table's columns, their types and meanings are
defined in :mod:`analysis.schema`.

An analysis run writes all of them into a staging folder that replaces the
tables folder only when complete (:mod:`analysis.staging`); a table written
on its own (:func:`write_table`) replaces its two files one by one, each whole.
"""
from __future__ import annotations

import bisect
import json
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv
import pyarrow.parquet

from analysis.document import AnalyzedDocument
from analysis.schema import DICTIONARY_INTRO, data_dictionary, table
from analysis.staging import replaced_whole

TABLES_DIR = "tables"


def tables_dir(build_dir: Path) -> Path:
    return Path(build_dir) / TABLES_DIR


# zstd: about half the bytes of the default snappy at the same speed; the site offers the files for
# download as they are
PARQUET_OPTIONS = {"compression": "zstd", "compression_level": 3}


def write_table(df: pd.DataFrame, build_dir: Path, name: str) -> Path:
    """Write ``df`` as Parquet and CSV under ``BUILD/tables/``; return the Parquet path."""
    out = tables_dir(build_dir)
    out.mkdir(parents=True, exist_ok=True)
    # one Arrow table for both files: Arrow's CSV writer is about ten times faster than pandas'
    table = pa.Table.from_pandas(df.reset_index(drop=True), preserve_index=False)
    path, csv = out / f"{name}.parquet", out / f"{name}.csv"
    # each file is written aside and renamed into place: a reader never sees half a file
    with replaced_whole(path) as parquet_file, replaced_whole(csv) as csv_file:
        pyarrow.parquet.write_table(table, parquet_file, **PARQUET_OPTIONS)
        with open(csv_file, "wb") as f:
            _write_csv(table, f)
    return path


def csv_bytes(table: pa.Table) -> bytes:
    """``table`` as the bytes of a CSV file written by :func:`write_table` (BOM, formula-safe cells)."""
    out = pa.BufferOutputStream()
    _write_csv(table, out)
    return out.getvalue().to_pybytes()


def _write_csv(table: pa.Table, sink) -> None:
    """Write ``table`` to ``sink`` as the tables' CSV: the UTF-8 BOM first (Excel then reads it as UTF-8),
    then the cells made safe for spreadsheets (:func:`csv_safe`)."""
    sink.write(BOM)
    pyarrow.csv.write_csv(csv_safe(table), sink)


# The UTF-8 byte order mark every CSV file of the tables opens with (Excel then reads it as UTF-8).
BOM = "\ufeff".encode("utf-8")


# What a spreadsheet program takes for the start of a formula (OWASP's list for CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_START = "^([" + re.escape("".join(FORMULA_PREFIXES)) + "])"


def csv_safe(table: pa.Table) -> pa.Table:
    """``table`` for a CSV download: each text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return gets an apostrophe in front, so that Excel or LibreOffice show it as text instead of
    running it as a formula; a list cell is written as a JSON array. The Parquet files keep the exact text."""
    columns, fields = [], []
    for field, column in zip(table.schema, table.columns):
        if pa.types.is_list(field.type) or pa.types.is_large_list(field.type):
            # a list cell becomes a JSON array (["a","b"]): it splits back exactly, whatever its items hold
            column = pa.array([None if v is None else json.dumps(v, ensure_ascii=False)
                               for v in column.to_pylist()], type=pa.string())
            field = pa.field(field.name, pa.string())
        if (pa.types.is_string(field.type) or pa.types.is_large_string(field.type)) and _starts_a_formula(column):
            column = pc.replace_substring_regex(column, pattern=_FORMULA_START, replacement="'\\1",
                                                max_replacements=1)
        columns.append(column)
        fields.append(field)
    return pa.Table.from_arrays(columns, schema=pa.schema(fields))


def _starts_a_formula(column) -> bool:
    """True if some cell of the text ``column`` begins with one of :data:`FORMULA_PREFIXES`. Looking at
    the first characters alone is much cheaper than the regex over whole cells (a document's text)."""
    first = pc.utf8_slice_codeunits(column, 0, 1)
    return pc.any(pc.is_in(first, value_set=pa.array(FORMULA_PREFIXES, type=first.type))).as_py() is True


def write_readme(build_dir: Path) -> Path:
    """Write ``BUILD/tables/README.md``, the data dictionary of the tables beside it; return its path."""
    path = tables_dir(build_dir) / "README.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"# 数据字典\n\n{DICTIONARY_INTRO}\n\n{data_dictionary(files='')}", encoding="utf-8")
    return path


def _open_csv(path: Path):
    """``path`` opened for writing CSV bytes, the :data:`BOM` already written."""
    f = open(path, "wb")
    f.write(BOM)
    return f


def read_table(build_dir: Path, name: str) -> pd.DataFrame:
    """Read a table written by :func:`write_table`; an absent table reads as empty."""
    path = tables_dir(build_dir) / f"{name}.parquet"
    if not path.exists():
        return pd.DataFrame()
    return pd.read_parquet(path)


# Column kinds of streamed tables: Arrow type, and a pandas sample giving the dtype readers get back.
_KINDS = {"str": (pa.string(), lambda: pd.Series(["x"])),
          "int": (pa.int64(), lambda: pd.Series([0], dtype="int64")),
          "Int64": (pa.int64(), lambda: pd.Series([0], dtype="Int64"))}


def arrow_schema(columns: dict[str, str]) -> pa.Schema:
    """The Arrow schema of a streamed table whose ``columns`` map to "str", "int" or "Int64" (an integer
    column that may be empty), with the pandas metadata under which readers get those dtypes back."""
    sample = pd.DataFrame({c: _KINDS[k][1]() for c, k in columns.items()})
    return pa.schema([(c, _KINDS[k][0]) for c, k in columns.items()],
                     metadata=pa.Schema.from_pandas(sample, preserve_index=False).metadata)


class TableWriter:
    """Writes one table piece by piece, as :func:`write_table` would write it whole.

    For the per-document tables (texts, units, sentences): rows are added a
    document at a time and flushed every ``batch`` rows, so the table is
    never whole in memory and is mostly written while later documents are
    still being analysed (not all at the end). ``columns`` maps each column to "str", "int" or
    "Int64" (see :func:`arrow_schema`). Use as a context manager.
    """

    def __init__(self, build_dir: Path, name: str, columns: dict[str, str], batch: int = 5_000):
        out = tables_dir(build_dir)
        out.mkdir(parents=True, exist_ok=True)
        self.columns = list(columns)
        self.schema = arrow_schema(columns)
        self.path = out / f"{name}.parquet"
        self._parquet = pyarrow.parquet.ParquetWriter(self.path, self.schema, **PARQUET_OPTIONS)
        self._csv_file = _open_csv(out / f"{name}.csv")
        self._csv = pyarrow.csv.CSVWriter(self._csv_file, self.schema)
        self._pieces: list[pa.Table] = []
        self._rows = 0
        self.batch = batch

    def add(self, rows: dict[str, list]) -> None:
        """Append rows given column by column (every column of the table, lists of one length)."""
        self.add_table(pa.Table.from_pydict({c: rows[c] for c in self.columns}, schema=self.schema))

    def add_table(self, table: pa.Table) -> None:
        """Append the rows of ``table``, which has this writer's schema (see :func:`arrow_schema`)."""
        self._pieces.append(table)
        self._rows += table.num_rows
        if self._rows >= self.batch:
            self.flush()

    def flush(self) -> None:
        # one row group per flush, whatever the pieces: the files do not depend on how rows were added
        table = pa.concat_tables(self._pieces).combine_chunks() if self._pieces else None
        if table is not None and table.num_rows:
            self._parquet.write_table(table)
            self._csv.write_table(csv_safe(table))
        self._pieces, self._rows = [], 0

    def close(self) -> None:
        """Write what is left; an empty table still gets its header and schema."""
        self.flush()
        self._parquet.close()
        self._csv.close()
        self._csv_file.close()

    def __enter__(self) -> "TableWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# ----------------------------------------------------------------------------- per-document tables

# The tables with one row per span of a document, and their columns.
SPAN_TABLES = {name: table(name).kinds() for name in ("units", "sentences", "removed")}
_SPAN_SCHEMAS = {name: arrow_schema(cols) for name, cols in SPAN_TABLES.items()}


def span_tables(a: AnalyzedDocument) -> dict[str, pa.Table]:
    """One document's rows of the units, sentences and removed tables, as Arrow tables.

    Made by the per-document stage, so that they are cached with the rest of
    its result and built in the workers; the writers only append them.
    """
    return {name: span_table(a, name) for name in SPAN_TABLES}


def span_table(a: AnalyzedDocument, name: str) -> pa.Table:
    """One document's rows of span table ``name`` (units, sentences or removed), as an Arrow table."""
    return pa.Table.from_pydict(span_rows(a, name, with_clean=name == "units"), schema=_SPAN_SCHEMAS[name])


def span_rows(a: AnalyzedDocument, attr: str, with_clean: bool = False) -> dict[str, list]:
    """The rows of one document's spans ``attr`` (units, sentences, removed), column by column.

    ``with_clean`` adds each span's cleaned text (``clean_text``).
    """
    if attr == "sentences":  # many, and kept as offsets: read them without making Span objects
        flat, raw = a.sentence_spans, a.doc.raw
        starts, ends = list(flat[0::2]), list(flat[1::2])
        n = len(starts)
        return {"doc_id": [a.doc_id] * n, "index": list(range(n)), "kind": ["sentence"] * n, "level": [None] * n,
                "start": starts, "end": ends, "text": [raw[s:e] for s, e in zip(starts, ends)], "label": [""] * n}
    spans = getattr(a, attr)
    cols: dict[str, list] = {"doc_id": [a.doc_id] * len(spans), "index": list(range(len(spans)))}
    for name in ("kind", "level", "start", "end", "text", "label"):
        cols[name] = [getattr(s, name) for s in spans]
    if with_clean:
        text = a.clean.text
        cols["clean_text"] = [text[cs:ce] for cs, ce in (_clean_range(a, s.start, s.end) for s in spans)]
    return cols


def _clean_range(a: AnalyzedDocument, start: int, end: int) -> tuple[int, int]:
    """Clean offsets of the characters whose raw offsets fall in ``[start, end)``."""
    origin = a.clean.origin
    return bisect.bisect_left(origin, start), bisect.bisect_left(origin, end)
