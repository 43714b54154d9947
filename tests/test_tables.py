"""Tables: written whole or streamed piece by piece, the files read back the same."""
from __future__ import annotations

import pandas as pd

from analysis.schema import table
from analysis.tables import SPAN_TABLES, TableWriter, read_table, span_tables, tables_dir, write_readme, write_table

COLUMNS = {"doc_id": "str", "level": "Int64", "start": "int", "text": "str"}


def frame() -> pd.DataFrame:
    return pd.DataFrame({"doc_id": ["a", "a", "b"], "level": pd.array([1, None, 2], dtype="Int64"),
                         "start": [0, 5, 9], "text": ["一、总的设想", "“某项工作”, 逗号", 'quote " and\nnewline']})


def test_streamed_table_reads_back_as_the_whole_one(tmp_path):
    df = frame()
    write_table(df, tmp_path / "whole", "t")
    with TableWriter(tmp_path / "streamed", "t", COLUMNS, batch=2) as w:   # flushes mid-way
        w.add(df.iloc[:2].to_dict("list"))
        w.add(df.iloc[2:].to_dict("list"))
    whole, streamed = read_table(tmp_path / "whole", "t"), read_table(tmp_path / "streamed", "t")
    pd.testing.assert_frame_equal(whole, streamed)
    assert str(streamed["level"].dtype) == "Int64"
    csv = [pd.read_csv(tables_dir(tmp_path / d) / "t.csv", encoding="utf-8-sig") for d in ("whole", "streamed")]
    pd.testing.assert_frame_equal(*csv)
    assert (tables_dir(tmp_path / "streamed") / "t.csv").read_bytes().startswith("\ufeff".encode())


def test_empty_streamed_table_keeps_its_columns(tmp_path):
    with TableWriter(tmp_path, "empty", COLUMNS):
        pass
    table = read_table(tmp_path, "empty")
    assert list(table.columns) == list(COLUMNS) and len(table) == 0
    assert (tables_dir(tmp_path) / "empty.csv").read_text(encoding="utf-8-sig").strip() == '"doc_id","level","start","text"'


def test_a_documents_span_tables_have_the_schema_columns_and_point_into_its_raw_text(sample_doc):
    raw = sample_doc.doc.raw
    pieces = span_tables(sample_doc)
    assert set(pieces) == set(SPAN_TABLES) == {"units", "sentences", "removed"}
    for name, piece in pieces.items():
        df = piece.to_pandas()
        assert table(name).mismatches(df) == [], name
        assert len(df) > 0 and (df["doc_id"] == sample_doc.doc_id).all()
        assert [raw[s:e] for s, e in zip(df["start"], df["end"])] == df["text"].tolist(), name
    units = pieces["units"].to_pandas()
    assert units.loc[0, "kind"] == "title" and units.loc[0, "clean_text"] == "在机关党员大会上的讲话"


def test_readme_is_written_beside_the_tables(tmp_path):
    path = write_readme(tmp_path)
    assert path == tables_dir(tmp_path) / "README.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 数据字典") and "## slogan_hits" in text and "`clean_text`" in text
