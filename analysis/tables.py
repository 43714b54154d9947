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
    with open(out / f"{name}.csv", "wb") as f:
        f.write("\ufeff".encode("utf-8"))  # the BOM: Excel then reads the file as UTF-8
        pyarrow.csv.write_csv(table, f)
    return path


def read_table(build_dir: Path, name: str) -> pd.DataFrame:
    """Read a table written by :func:`write_table`; an absent table reads as empty."""
    path = tables_dir(build_dir) / f"{name}.parquet"
    if not path.exists():
        return pd.DataFrame()
    return pd.read_parquet(path)
