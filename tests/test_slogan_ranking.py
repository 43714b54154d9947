"""The sloganhood ranking, core forms, recall without a lexicon, traditional characters and the variants
column, on small texts and on the 72 work reports (empty lexicon)."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from analysis.schema import table
from analysis.segment import simplified
from analysis.slogans import slogan_tables
from analysis.slogans.shapes import strip_leading_verb, term_like, trailing_head
from analysis.tables import csv_safe

ROOT = Path(__file__).resolve().parents[1]
FORMULATIONS = [line.strip() for line in (ROOT / "tests" / "data" / "formulations.txt").read_text(
    encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
# Ordinary vocabulary, verbs of administration and a fragment: never near the top of the ranking.
NOT_FORMULATIONS = ["国内生产总值", "经济社会发展", "义务教育", "深入推进", "切实加强", "取得新进展", "预期目标", "可持续"]


@pytest.fixture(scope="module")
def gwr_slogans(gwr_docs):
    return slogan_tables(gwr_docs[0], lexicon=[], progress=False)


def test_leading_verbs_and_trailing_heads_are_grammar():
    assert strip_leading_verb("构建新发展格局") == "新发展格局"
    assert strip_leading_verb("全面贯彻新发展理念") == "全面贯彻新发展理念"[4:]
    assert strip_leading_verb("实施科教兴国战略") == "科教兴国战略"
    assert strip_leading_verb("坚持党") == "坚持党"                    # too little would be left
    assert strip_leading_verb("发展中国家") == "发展中国家"            # 发展 is not cut
    assert trailing_head("一带一路建设") == "建设" and trailing_head("一带一路") == ""


def test_terms_may_hold_a_plus_and_digits_and_sixteen_characters():
    assert term_like("互联网+", 16) and term_like("三个1亿人", 16) and term_like("大众创业、万众创新", 16)
    assert not term_like("5G", 16)                                    # a term starts with an ideograph
    assert not term_like("中" * 17, 16)
    assert term_like("有中国特色社会主义现代化强国", 16)               # longer than the old 12 characters


def test_traditional_characters_read_as_simplified_with_the_same_length():
    text = "手工業和國民經濟的社會主義改造"
    out = simplified(text)
    assert out == "手工业和国民经济的社会主义改造" and len(out) == len(text)
    assert simplified("abc") == "abc"


def test_traditional_text_counts_as_the_simplified_slogan(gwr_docs):
    from analysis.corpus import read_corpus
    from analysis.engine import analyze_document
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        lines = ["“一國兩制”方針，堅持“一國兩制”。" * 2, "实行“一国两制”，落实“一国两制”。"]
        path = Path(d) / "two.jsonl"
        path.write_text("\n".join(json.dumps({"title": f"t{i}", "content": c, "year": 2000 + i})
                                  for i, c in enumerate(lines)), encoding="utf-8")
        docs = [analyze_document(doc) for doc in read_corpus(path, [])]
    tabs = slogan_tables(docs, lexicon=[], progress=False)
    hits = tabs["slogan_hits"]
    assert set(hits["slogan"]) >= {"一国两制"}
    assert set(hits.loc[hits["slogan"] == "一国两制", "hit"]) == {"一國兩制", "一国两制"}
    raw = {a.doc_id: a.doc.raw for a in docs}
    assert all(raw[r.doc_id][r.start:r.end] == r.hit for r in hits.itertuples())


def test_variants_are_a_list_in_parquet_and_json_in_csv():
    df = pd.DataFrame({"slogan": ["不忘初心、牢记使命"], "variants": [["不忘初心牢记使命", "甲、乙"]]})
    t = pa.Table.from_pandas(df, preserve_index=False)
    assert pa.types.is_list(t.schema.field("variants").type)
    cell = csv_safe(t).column("variants").to_pylist()[0]
    assert json.loads(cell) == ["不忘初心牢记使命", "甲、乙"]    # 、 inside a variant splits back exactly
    assert table("slogans").column("variants").dtype == "list"


def test_table_is_in_rank_order_with_own_and_raw_counts(gwr_slogans):
    s = gwr_slogans["slogans"]
    assert list(s["rank"]) == list(range(1, len(s) + 1))
    assert s["sloganhood"].is_monotonic_decreasing
    assert (s["occurrences"] >= s["count"]).all()
    assert table("slogans").mismatches(s) == []
    # a form mostly written inside a longer slogan has more raw occurrences than counted ones
    assert (s["occurrences"] > s["count"]).any()


def test_top_of_the_ranking_is_formulations_not_vocabulary(gwr_slogans):
    s = gwr_slogans["slogans"].set_index("slogan")
    top = set(s.index[:50])
    assert not top & set(NOT_FORMULATIONS)
    for word in NOT_FORMULATIONS:
        if word in s.index:
            assert s.loc[word, "rank"] > 150, word
    # numbered formulations of every era sit near the top, ordinary vocabulary far below them
    for form in ["一带一路", "三个代表", "三农", "四个意识", "六稳"]:
        assert s.loc[form, "rank"] <= 50, form


def test_verb_led_forms_are_kept_as_variants_of_their_core(gwr_slogans):
    s = gwr_slogans["slogans"].set_index("slogan")
    assert "新发展格局" in s.index and "构建新发展格局" not in s.index
    assert "构建新发展格局" in list(s.loc["新发展格局", "variants"])


def test_recall_of_well_known_formulations_without_a_lexicon(gwr_slogans):
    """With no lexicon, most well-known formulations of the period are found as slogans or their variants."""
    s = gwr_slogans["slogans"]
    found = set(s["slogan"]) | {v for vs in s["variants"] for v in vs}
    assert len(FORMULATIONS) >= 60
    hit = [f for f in FORMULATIONS if f in found]
    assert len(hit) / len(FORMULATIONS) >= 0.85, sorted(set(FORMULATIONS) - found)


def _corpus(tmp_path: Path, records: list[dict]):
    """Analyse a small JSONL corpus written from ``records``; return the analysed documents."""
    from analysis.corpus import read_corpus
    from analysis.engine import analyze_document
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    return [analyze_document(doc) for doc in read_corpus(path, [])]


def test_a_coinage_of_one_document_is_found_the_year_it_appears(tmp_path):
    """A term one report introduces and repeats is a slogan from that report on, though no other uses it."""
    filler = "今年经济运行总体平稳，就业基本稳定，物价保持合理水平。各项社会事业全面进步，人民生活持续改善。" * 8
    new = ("要大力培育绿色算力新动能，绿色算力新动能是发展的关键，各地加快布局绿色算力新动能，形成绿色算力新动能集群，"
           "让绿色算力新动能惠及千家万户。")
    docs = _corpus(tmp_path, [{"title": f"报告{y}", "year": y, "content": filler * 3} for y in (2020, 2021)]
                   + [{"title": "报告2022", "year": 2022, "content": filler + new + filler}])
    s = slogan_tables(docs, lexicon=[], progress=False)["slogans"].set_index("slogan")
    coined = [f for f in s.index if "绿色算力" in f]
    assert coined, list(s.index)
    assert all(s.loc[f, "first_year"] == 2022 and s.loc[f, "documents"] == 1 for f in coined)


def test_genre_formulae_leave_the_slogans_for_their_own_table(gwr_slogans):
    formulae = gwr_slogans["genre_formulae"]
    assert table("genre_formulae").mismatches(formulae) == []
    by_genre = formulae.groupby("genre")["formula"].apply(set).to_dict()
    assert {"会议号召", "决定批准这个报告"} <= by_genre["决议"]     # the resolutions' approval and closing call
    assert not set(formulae["formula"]) & set(gwr_slogans["slogans"]["slogan"])
    assert (formulae["documents"] >= formulae["genre_documents"] / 2).all()
    # real formulations the resolutions repeat are used in the reports too: never formulae
    assert not set(formulae["formula"]) & {"一带一路", "三农", "供给侧结构性改革", "科学发展观"}


def test_build_report_lists_genre_formulae():
    from analysis.page_kit import template_env
    from analysis.pages import report_context
    empty = pd.DataFrame(columns=["doc_id", "title"])
    formulae = pd.DataFrame([{"formula": "会议号召", "genre": "决议", "documents": 20, "genre_documents": 20,
                              "count": 20, "place": "结尾"}])
    page = template_env().get_template("report.md.j2").render(
        **report_context(empty, pd.DataFrame(), pd.DataFrame(), formulae=formulae))
    assert "## 文体套语" in page and "| 会议号召 | 决议 | 20 / 20 | 结尾 | 20 |" in page
