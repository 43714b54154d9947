"""Parallel-structure tables: raw offsets, templates, families and honest yearly gaps."""
from __future__ import annotations

import re

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
    assert 1970 not in set(years["year"])      # no document that year: a gap, not a zero
    row = years.iloc[0]
    assert row["rate_per_10k"] == pytest.approx(row["count"] / row["characters"] * 10_000, abs=1e-3)


def test_tables_are_empty_but_well_formed_without_documents():
    tables = pattern_tables([], documents_table([]))
    assert {name: (len(t), list(t.columns)) for name, t in tables.items()} == \
           {name: (0, table(name).names) for name in ("parallelisms", "branches", "templates", "template_years", "template_slots")}


def test_pattern_tables_follow_the_schema(gwr_tables):
    _, tables = gwr_tables
    assert {name: table(name).mismatches(t) for name, t in tables.items()} == {name: [] for name in tables}


def _template_of(branches: list[str]):
    """The template, fillers and family of invented branches joined by ，."""
    from analysis.parallel.templates import template
    from analysis.segment import get_segmenter
    text, spans, pos = "，".join(branches), [], 0
    for b in branches:
        spans.append((pos, pos + len(b)))
        pos += len(b) + 1
    return template(text, spans, get_segmenter())


@pytest.mark.parametrize("branches", [
    ["人民的幸福", "国家的富强", "民族的复兴"],        # only 的 shared
    ["我们是工人", "他们是农民"],                     # only 们是 shared
    ["钢铁和煤炭", "石油和化肥"],                     # only 和 shared
    ["2024年工作回顾", "2025年发展任务"],             # digits and 年
])
def test_a_frame_of_function_words_alone_makes_no_family(branches):
    frame, _, family = _template_of(branches)
    assert family == "", (frame, family)


def test_a_series_of_plain_nouns_is_a_list():
    from analysis.parallel.templates import list_group
    _, _, family = _template_of(["钢铁", "煤炭", "石油", "化肥"])
    assert family == ""
    assert list_group("phrase") == "并列短语（无共同框架）" and "无共同框架" in list_group("clause")


@pytest.mark.parametrize("branches, name, slot_a", [
    (["坚持改革开放", "坚持依法治国", "坚持科学发展"], "坚持〈A〉", "改革开放"),
    (["加强党的建设", "加强法治建设", "加强生态文明建设"], "加强〈A〉建设", "党的"),
    (["以人民为中心", "以发展为主题", "以改革为动力"], "以〈A〉为〈B〉", "人民"),
    (["民营经济", "国有经济", "集体经济"], "〈A〉经济", "民营"),
    (["一是稳增长", "二是促改革", "三是调结构"], "一是〈A〉", "稳增长"),
    (["第一，发展经济", "第二，改善民生"], "第一，〈A〉", "发展经济"),
    (["人民的利益", "国家的利益"], "〈A〉利益", "人民的"),      # 的 beside a slot belongs to the slot
])
def test_meaningful_frames_make_named_families_with_their_fillers(branches, name, slot_a):
    from analysis.parallel.templates import family_fillers, family_name
    _, _, family = _template_of(branches)
    assert family_name(family) == name
    assert family_fillers(family, branches[0])[0] == slot_a


def test_families_are_anchored_by_meaning_and_lists_are_counted_apart(gwr_tables):
    from analysis.parallel.templates import FUNCTION_WORDS, LIST_GROUPS, MARKER
    _, tables = gwr_tables
    t, p = tables["templates"], tables["parallelisms"]
    framed = t[t["framed"]]
    for key in framed["family"]:
        rest = [w for w in re.split(r"〈〉|\W+", key.replace(MARKER, "")) if w]
        assert MARKER in key or any(w not in FUNCTION_WORDS for w in rest), key
    assert not (set(framed["family"]) & {"〈〉", "〈〉的〈〉", "〈〉和〈〉", "〈〉是〈〉"})
    assert set(t.loc[~t["framed"], "family"]) <= set(LIST_GROUPS.values())
    assert set(framed["name"]) >= {"一是〈A〉", "坚持〈A〉"}
    # every parallelism counts once, lists included; the largest group is the phrase lists
    assert t["count"].sum() == len(p) and t["branches"].sum() == p["branches"].sum()
    assert t.iloc[0]["name"] == "并列短语（无共同框架）"
    share = framed["branches"].sum() / t["branches"].sum()
    assert 0.2 < share < 0.8, share


def test_family_rows_carry_two_real_examples_and_slot_fillers(gwr_tables):
    _, tables = gwr_tables
    t, b = tables["templates"], tables["branches"]
    joined = b.groupby("parallelism")["text"].agg(lambda s: " ／ ".join(re.sub(r"\s+", "", x) for x in s))
    top = t[t["framed"] & (t["count"] >= 2)].head(20)
    for r in top.itertuples():
        assert r.example_2_id and r.example_id != r.example_2_id
        assert joined[r.example_id] == r.example
        assert r.slots.startswith("〈A〉：") and "〈A〉：—" not in r.slots, (r.name, r.slots)
    row = t.set_index("name").loc["坚持〈A〉"]
    assert row["documents"] >= 5 and row["first_year"] < row["last_year"]


def test_slot_table_holds_each_familys_commonest_fillers(gwr_tables):
    _, tables = gwr_tables
    slots = tables["template_slots"]
    firm = slots[slots["family"] == "坚持〈〉"].sort_values("count", ascending=False)
    assert set(firm["slot"]) == {"A"} and firm["count"].iloc[0] >= 3
    assert set(slots["family"]) <= set(tables["templates"]["family"])
    assert slots.groupby(["family", "slot"]).size().max() <= 12


def test_ordinal_leads_are_markers_but_figures_are_not():
    from analysis.parallel.templates import MARKER, ordinal_marker
    assert ordinal_marker(["一是稳增长", "二是促改革"]) == (f"{MARKER}是", [2, 2])
    assert ordinal_marker(["（一）总体要求", "（二）主要任务"]) == (f"（{MARKER}）", [3, 3])
    assert ordinal_marker(["5.5%左右", "6.2%左右"]) is None            # a figure, not a count
    assert ordinal_marker(["一方面要发展", "一方面要稳定"]) is None      # the same numeral twice


def test_family_pages_are_bounded_whatever_the_corpus_size():
    """The commonest families get pages of their own, at most FAMILY_PAGES; the others used more than once
    are rows on shared pages of their kind, at most SHARED_ROWS a page, so ten times the corpus does not
    make ten times the pages."""
    import pandas as pd

    from analysis.pattern_pages import FAMILY_PAGES, SHARED_ROWS, family_rows
    n = FAMILY_PAGES + SHARED_ROWS + 10
    templates = pd.DataFrame({
        "family": [f"坚持〈A〉{i}" for i in range(n)], "name": [f"坚持〈A〉{i}" for i in range(n)],
        "framed": True, "template": "坚持〈A〉", "kind": "clause", "anchors": 1,
        "count": [1000 - i for i in range(n)], "branches": 3, "documents": 2, "first_year": 2000,
        "last_year": 2001, "example": "坚持改革 ／ 坚持开放", "example_id": "d#1", "example_2": None,
        "example_2_id": None, "slots": "〈A〉：改革、开放"})
    rows = family_rows(templates)
    own = [f for f in rows if not f["anchor"]]
    assert len(own) == FAMILY_PAGES and all(f["count"] > g["count"] for f in own for g in rows if g["anchor"])
    pages = {f["page"] for f in rows if f["anchor"]}
    assert pages == {"few-fen-ju-pai-bi", "few-fen-ju-pai-bi-2"}
    assert sum(f["page"] == "few-fen-ju-pai-bi" for f in rows) == SHARED_ROWS
    assert all(str(f["href_html"]) == f"{f['page']}.html#{f['slug']}" for f in rows if f["anchor"])
