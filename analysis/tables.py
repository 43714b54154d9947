"""Tables: the contract between the analysis and the site.

Each table is written twice, as ``DIR/tables/NAME.parquet`` (typed, for
programs) and ``NAME.csv`` (UTF-8 with BOM, so Excel opens Chinese text
correctly). Pages and charts read only these files.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

TABLES_DIR = "tables"


def tables_dir(build_dir: Path) -> Path:
    return Path(build_dir) / TABLES_DIR


def write_table(df: pd.DataFrame, build_dir: Path, name: str) -> Path:
    """Write ``df`` as Parquet and CSV under ``BUILD/tables/``; return the Parquet path."""
    out = tables_dir(build_dir)
    out.mkdir(parents=True, exist_ok=True)
    df = df.reset_index(drop=True)
    path = out / f"{name}.parquet"
    df.to_parquet(path, index=False)
    df.to_csv(out / f"{name}.csv", index=False, encoding="utf-8-sig")
    return path


def read_table(build_dir: Path, name: str) -> pd.DataFrame:
    """Read a table written by :func:`write_table`; an absent table reads as empty."""
    path = tables_dir(build_dir) / f"{name}.parquet"
    if not path.exists():
        return pd.DataFrame()
    return pd.read_parquet(path)
