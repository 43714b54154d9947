"""Dates: a document without a year in its metadata gets one from its title, a date line or an NPC session
number, the documents table says how (year_source), and the build report lists the documents left undated."""
from __future__ import annotations

import html
import json

import pytest

from analysis.corpus import read_corpus
from analysis.dating import chinese_number, date_line_year, infer_year, session_year
from analysis.pages import write_pages
from analysis.pipeline import analyze_corpus
from analysis.tables import read_table
from analysis.fragments import page_text

BODY = "各位代表：\n\n" + "我们要坚定不移推进改革，努力完成全年目标任务。" * 8 + "\n"


def test_year_from_the_title():
    assert infer_year("2019年政府工作报告", BODY) == (2019, "标题")


@pytest.mark.parametrize("line, year", [
    ("一九八八年四月十三日", 1988),                                  # Chinese numerals
    ("（一九五六年九月二十七日中国共产党第八次全国代表大会通过）", 1956),
    ("二〇一七年十二月三十一日", 2017),
    ("2017年3月15日", 2017),                                         # Arabic numerals
    ("——2024年3月5日在第十四届全国人民代表大会第二次会议上", 2024),
    ("２００１年３月５日", 2001),                                     # full-width digits
])
def test_year_from_a_date_line(line, year):
    assert date_line_year(line) == year
    assert infer_year("关于某项工作的报告", f"关于某项工作的报告\n\n{line}\n\n{BODY}") == (year, "日期行")
    assert infer_year("", f"{BODY}\n{line}\n") == (year, "日期行")      # a date line at the end


@pytest.mark.parametrize("text", ["2017年3月", "一九八八年", "2017年13月40日", "二〇一七年十三月一日"])
def test_an_incomplete_or_impossible_date_is_no_date_line(text):
    assert date_line_year(text) is None


def test_a_date_inside_a_paragraph_is_not_a_date_line():
    paragraph = "2008年5月12日，四川汶川发生特大地震，" + "全国人民众志成城、抗震救灾，" * 5
    assert infer_year("抗震救灾情况的报告", f"{paragraph}\n{BODY}") == (None, "")


@pytest.mark.parametrize("title, year", [
    ("第十二届全国人民代表大会第五次会议关于政府工作报告的决议", 2017),
    ("第十四届全国人民代表大会第一次会议关于政府工作报告的决议", 2023),
    ("第一届全国人民代表大会第二次会议关于第一个五年计划的决议", 1955),
    ("第二届全国人民代表大会第三次会议关于政府工作报告的决议", 1962),   # the 2nd NPC skipped 1961
    ("第五届全国人民代表大会第五次会议关于政府工作报告的决议", 1982),
])
def test_year_from_the_session_number(title, year):
    assert infer_year(title, BODY) == (year, "届次")


def test_a_session_that_never_met_gives_no_year():
    assert session_year("第三届全国人民代表大会第二次会议") is None     # the 3rd NPC met once
    assert session_year("第十五届全国人民代表大会第九次会议") is None


def test_the_date_line_is_read_before_the_session_number():
    raw = "某决议\n\n（2020年5月28日第十三届全国人民代表大会第三次会议通过）\n\n" + BODY
    assert infer_year("某决议", raw) == (2020, "日期行")


@pytest.mark.parametrize("text, value", [("三", 3), ("十", 10), ("十二", 12), ("二十三", 23), ("三十", 30),
                                         ("十二三", 0), ("", 0)])
def test_chinese_numbers(text, value):
    assert chinese_number(text) == value


def test_the_work_report_resolutions_all_get_a_year(gwr_path):
    docs = list(read_corpus(gwr_path, []))
    inferred = {d.title: (d.year, d.meta["year_source"]) for d in docs if d.meta["year_source"] != "元数据"}
    assert len(inferred) == 20 and all(year for year, _ in inferred.values())
    assert inferred["第十三届全国人民代表大会第三次会议关于政府工作报告的决议"] == (2020, "日期行")
    assert inferred["第十二届全国人民代表大会第五次会议关于政府工作报告的决议"] == (2017, "届次")
    assert inferred["第二届全国人民代表大会第三次会议关于政府工作报告的决议"] == (1962, "届次")


@pytest.fixture(scope="module")
def dated_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dates")
    corpus = folder / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(f"关于农业工作的报告\n\n一九八八年四月十三日\n\n{BODY}", encoding="utf-8")
    (corpus / "b.txt").write_text(f"在全市干部大会上的讲话\n\n{BODY}\n2017年3月15日\n", encoding="utf-8")
    (corpus / "e.txt").write_text(f"2015年全市工作总结\n\n{BODY.replace('改革', '总结')}", encoding="utf-8")
    (corpus / "c.txt").write_text(f"关于加强基层建设的意见\n\n{BODY.replace('改革', '基层建设')}", encoding="utf-8")
    (corpus / "d.jsonl").write_text(json.dumps({"title": "2019年政府工作报告", "content": BODY + "补充。"},
                                               ensure_ascii=False) + "\n" +
                                    json.dumps({"title": "某报告", "year": 2021, "content": BODY + "其他。"},
                                               ensure_ascii=False) + "\n", encoding="utf-8")
    analyze_corpus(corpus, folder / "build", lexicon="none", progress=False, use_cache=False)
    write_pages(folder / "build", folder / "docs")
    return folder


def test_the_documents_table_says_where_each_year_came_from(dated_build):
    documents = read_table(dated_build / "build", "documents").set_index("title")
    assert list(documents.columns[:3]) == ["doc_id", "year", "year_source"]
    got = {t: (None if r["year"] is None or str(r["year"]) == "<NA>" else int(r["year"]), r["year_source"])
           for t, r in documents.iterrows()}
    assert got["关于农业工作的报告"] == (1988, "日期行")
    assert got["在全市干部大会上的讲话"] == (2017, "日期行")
    assert got["2019年政府工作报告"] == (2019, "标题")
    assert got["某报告"] == (2021, "元数据")
    assert got["2015年全市工作总结"] == (2015, "标题")             # the first line of a plain text
    assert got["关于加强基层建设的意见"] == (None, "")


def test_the_build_report_lists_the_undated_document(dated_build):
    report = page_text(dated_build / "docs" / "report.md")
    section = html.unescape(report.split("## 年份不详的文档（1）", 1)[1].split("## ", 1)[0])
    assert "关于加强基层建设的意见" in section and "c.txt" in section
    assert "关于农业工作的报告" not in section and "2019年政府工作报告" not in section
