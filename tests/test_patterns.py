"""Parallel-structure tables: raw offsets, templates, families and honest yearly gaps."""
from __future__ import annotations

import pytest

from analysis.patterns import pattern_tables
from analysis.pipeline import documents_table
from analysis.schema import table


@pytest.fixture(scope="module")
def gwr_tables(gwr_docs):
    docs, _ = gwr_docs
    return docs, pattern_tables(docs, documents_table(docs))


def test_sample_speech_heading_framework_and_enumerations_in_raw_offsets(sample_doc):
    raw = sample_doc.doc.raw
    kinds = [p.kind for p in sample_doc.parallelisms]
    assert "heading" in kinds and kinds.count("enumeration") >= 3
    heading = next(p for p in sample_doc.parallelisms if p.kind == "heading")
    assert len(heading.branches) == 3
    for p in sample_doc.parallelisms:
        for s, e in p.branches:
            text = raw[s:e]
            assert text and text[0] not in "，。；、：" and text[-1] not in "，。；、：", text
    enumerations = [p for p in sample_doc.parallelisms if p.kind == "enumeration"]
    firsts = sorted(raw[p.branches[0][0]:p.branches[0][1]][:2] for p in enumerations)
    assert firsts[:3] == ["一是", "一是", "一是"]


def test_branch_table_text_is_the_raw_text(gwr_tables):
    docs, tables = gwr_tables
    raw = {a.doc_id: a.doc.raw for a in docs}
    branches = tables["branches"]
    assert len(branches) > 1000
    assert all(raw[r.doc_id][r.start:r.end] == r.text for r in branches.itertuples())


def test_templates_count_every_parallelism_once(gwr_tables):
    _, tables = gwr_tables
    assert tables["templates"]["count"].sum() == len(tables["parallelisms"])
    assert tables["templates"]["family"].is_unique
    assert set(tables["parallelisms"]["kind"]) >= {"heading", "enumeration", "clause"}


def test_template_years_leave_years_without_documents_as_gaps(gwr_tables):
    docs, tables = gwr_tables
    years = tables["template_years"]
    dated = {a.doc.year for a in docs if a.doc.year}
    assert set(years["year"]) == dated
    assert 2020 not in set(years["year"]) and 1970 not in set(years["year"])
    row = years.iloc[0]
    assert row["rate_per_10k"] == pytest.approx(row["count"] / row["characters"] * 10_000, abs=1e-3)


def test_tables_are_empty_but_well_formed_without_documents():
    tables = pattern_tables([], documents_table([]))
    assert {name: (len(t), list(t.columns)) for name, t in tables.items()} == \
           {name: (0, table(name).names) for name in ("parallelisms", "branches", "templates", "template_years")}


def test_pattern_tables_follow_the_schema(gwr_tables):
    _, tables = gwr_tables
    assert {name: table(name).mismatches(t) for name, t in tables.items()} == {name: [] for name in tables}
