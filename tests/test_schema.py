"""The schema: every table an analysis writes has exactly the schema's columns and dtypes, and the data
dictionary written with the tables describes every one of them."""
from __future__ import annotations

import itertools

import pandas as pd
import pytest

from analysis.pipeline import analyze_corpus
from analysis.schema import DTYPES, TABLES, Column, Table, data_dictionary, table
from analysis.tables import read_table, tables_dir
from conftest import ROOT


@pytest.fixture(scope="module")
def speech_build(tmp_path_factory):
    build = tmp_path_factory.mktemp("speech")
    analyze_corpus(ROOT / "corpus", build, progress=False, use_cache=False)
    return build


@pytest.fixture(scope="module")
def gwr_build(tmp_path_factory, gwr_path):
    """The first six work reports: dated, over several years, so keyness and the yearly tables have rows."""
    folder = tmp_path_factory.mktemp("gwr")
    with open(gwr_path, encoding="utf-8") as f:
        (folder / "six.jsonl").write_text("".join(itertools.islice(f, 6)), encoding="utf-8")
    analyze_corpus(folder / "six.jsonl", folder / "build", progress=False, use_cache=False)
    return folder / "build"


@pytest.mark.parametrize("corpus", ["speech_build", "gwr_build"])
def test_every_written_table_has_the_schema_columns_and_dtypes(corpus, request):
    build = request.getfixturevalue(corpus)
    written = sorted(p.stem for p in tables_dir(build).glob("*.parquet"))
    assert written == sorted(TABLES)
    problems = [m for name in written for m in table(name).mismatches(read_table(build, name))]
    assert problems == []


def test_the_work_reports_fill_every_table_and_keyness_carries_the_slogan_columns(gwr_build):
    # with rows, "no values, no type" cannot hide a dtype: every column is checked against the schema
    assert {name: len(read_table(gwr_build, name)) > 0 for name in TABLES if name != "skipped"} == \
           {name: True for name in TABLES if name != "skipped"}
    keyness = read_table(gwr_build, "keyness")
    assert list(keyness.columns[-3:]) == ["kind", "first_year", "last_year"]


def test_readme_beside_the_tables_is_the_data_dictionary(speech_build):
    readme = (tables_dir(speech_build) / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# 数据字典\n")
    assert readme.endswith(data_dictionary(files=""))
    for t in TABLES.values():
        assert f"## {t.name}\n\n{t.meaning}" in readme
        assert f"[{t.name}.csv]({t.name}.csv)" in readme
        for c in t.columns:
            assert f"| `{c.name}` | {DTYPES[c.dtype]} `{c.dtype}` | {c.meaning}" in readme


def test_mismatches_name_the_wrong_column_order_and_dtype():
    slogan_docs = table("slogan_docs")
    good = pd.DataFrame({"slogan": ["四个意识"], "doc_id": ["a"], "count": [3]})
    assert slogan_docs.mismatches(good) == []
    assert slogan_docs.mismatches(good[["doc_id", "slogan", "count"]]) == [
        "slogan_docs: columns ['doc_id', 'slogan', 'count'], schema says ['slogan', 'doc_id', 'count']"]
    assert slogan_docs.mismatches(good.astype({"count": "float64"})) == [
        "slogan_docs.count: dtype float64, schema says int64"]
    assert slogan_docs.mismatches(slogan_docs.empty()) == []      # no rows: untyped columns are fine


def test_optional_columns_may_be_absent_but_not_out_of_place():
    keyness = table("keyness")
    assert "kind" not in keyness.names and keyness.column("kind").optional
    assert list(keyness.empty().columns) == keyness.names
    reordered = keyness.empty().assign(first_year=[], kind=[])
    assert keyness.mismatches(reordered)[0].startswith("keyness: columns")


def test_streamed_kinds_and_lookup_errors():
    assert table("texts").kinds() == {"doc_id": "str", "raw": "str"}
    assert table("units").kinds()["level"] == "Int64" and table("units").kinds()["start"] == "int"
    with pytest.raises(KeyError, match="tables: documents, skipped"):
        table("nope")
    with pytest.raises(KeyError, match="no column 'nope'"):
        table("units").column("nope")


@pytest.mark.parametrize("meaning", ["a | b", "<b>x</b>", "two\nlines", "`code`", ""])
def test_a_meaning_that_would_break_the_dictionary_table_is_refused(meaning):
    with pytest.raises(ValueError, match="one line"):
        Column("x", "str", meaning)
    with pytest.raises(ValueError, match="one line"):
        Table("x", meaning, "x", ())


def test_unknown_dtypes_and_optional_columns_before_required_ones_are_refused():
    with pytest.raises(ValueError, match="unknown dtype"):
        Column("x", "object", "某列")
    with pytest.raises(ValueError, match="optional columns come after"):
        Table("x", "某表", "x", (Column("a", "str", "甲", optional=True), Column("b", "str", "乙")))
