"""Tables: the contract between the analysis and the site.

Each table is written twice, as ``DIR/tables/NAME.parquet`` (typed, for
programs) and ``NAME.csv`` (UTF-8 with BOM, so Excel opens Chinese text
correctly). Pages and charts read only these files.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv
import pyarrow.parquet

TABLES_DIR = "tables"


def tables_dir(build_dir: Path) -> Path:
    return Path(build_dir) / TABLES_DIR


def write_table(df: pd.DataFrame, build_dir: Path, name: str) -> Path:
    """Write ``df`` as Parquet and CSV under ``BUILD/tables/``; return the Parquet path."""
    out = tables_dir(build_dir)
    out.mkdir(parents=True, exist_ok=True)
    # one Arrow table for both files: Arrow's CSV writer is about ten times faster than pandas'
    table = pa.Table.from_pandas(df.reset_index(drop=True), preserve_index=False)
    path = out / f"{name}.parquet"
    pyarrow.parquet.write_table(table, path)
    with _open_csv(out / f"{name}.csv") as f:
        pyarrow.csv.write_csv(table, f)
    return path


def _open_csv(path: Path):
    """``path`` opened for writing CSV bytes, the UTF-8 BOM already written (Excel then reads it as UTF-8)."""
    f = open(path, "wb")
    f.write("\ufeff".encode("utf-8"))
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


class TableWriter:
    """Writes one table piece by piece, as :func:`write_table` would write it whole.

    For the per-document tables (texts, units, sentences): rows are added a
    document at a time and flushed every ``batch`` rows, so the table is
    never whole in memory and is mostly written while later documents are
    still being analysed (not all at the end). ``columns`` maps each column to "str", "int" or
    "Int64" (an integer column that may be empty). Use as a context manager.
    """

    def __init__(self, build_dir: Path, name: str, columns: dict[str, str], batch: int = 5_000):
        out = tables_dir(build_dir)
        out.mkdir(parents=True, exist_ok=True)
        self.columns = list(columns)
        sample = pd.DataFrame({c: _KINDS[k][1]() for c, k in columns.items()})
        self.schema = pa.schema([(c, _KINDS[k][0]) for c, k in columns.items()],
                                metadata=pa.Schema.from_pandas(sample, preserve_index=False).metadata)
        self.path = out / f"{name}.parquet"
        self._parquet = pyarrow.parquet.ParquetWriter(self.path, self.schema)
        self._csv_file = _open_csv(out / f"{name}.csv")
        self._csv = pyarrow.csv.CSVWriter(self._csv_file, self.schema)
        self._rows: dict[str, list] = {c: [] for c in self.columns}
        self.batch = batch

    def add(self, rows: dict[str, list]) -> None:
        """Append rows given column by column (every column of the table, lists of one length)."""
        for c in self.columns:
            self._rows[c].extend(rows[c])
        if len(self._rows[self.columns[0]]) >= self.batch:
            self.flush()

    def flush(self) -> None:
        table = pa.Table.from_pydict(self._rows, schema=self.schema)
        if table.num_rows:
            self._parquet.write_table(table)
            self._csv.write_table(table)
        self._rows = {c: [] for c in self.columns}

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
