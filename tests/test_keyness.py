"""Keyness: log-likelihood on hand examples, group parsing, and the compare command on tiny tables."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.errors import GroupError
from analysis.keyness import compare_groups, keyness_table, log_likelihood, log_ratio, p_value, q_values, run_compare
from analysis.names import parse_group
from analysis.schema import table
from analysis.tables import read_table, write_table


def test_log_likelihood_hand_example():
    # a=10 in 1000, b=2 in 1000: expected 6 and 6.
    # G2 = 2 * (10 ln(10/6) + 2 ln(2/6)) = 2 * (5.1083 - 2.1972) = 5.8221
    g2 = log_likelihood(10, 2, 1000, 1000)
    assert g2 == pytest.approx(2 * (10 * math.log(10 / 6) + 2 * math.log(2 / 6)))
    assert g2 == pytest.approx(5.8221, abs=1e-4)


def test_log_likelihood_zero_and_equal():
    assert log_likelihood(5, 5, 100, 100) == pytest.approx(0.0)
    # a=0: only the b term: 2 * 4 ln(4 / (300*4/400)) = 8 ln(4/3)
    assert log_likelihood(0, 4, 100, 300) == pytest.approx(8 * math.log(4 / 3))


def test_log_ratio_sign_and_zero_correction():
    assert log_ratio(8, 2, 1000, 1000) == pytest.approx(2.0)
    assert log_ratio(2, 8, 1000, 1000) == pytest.approx(-2.0)
    assert log_ratio(4, 0, 100, 100) == pytest.approx(math.log2(4 / 0.5))


def test_p_value_is_chi_squared_with_one_degree_of_freedom():
    assert p_value(3.841459) == pytest.approx(0.05, abs=1e-6)
    assert p_value(10.827566) == pytest.approx(0.001, abs=1e-7)
    assert p_value(0.0) == 1.0


def test_benjamini_hochberg_by_hand():
    # sorted p 0.01, 0.02, 0.03, 0.5 with m=4: p*m/rank = 0.04, 0.04, 0.04, 0.5; running minimum from the top
    assert q_values([0.03, 0.5, 0.01, 0.02]) == pytest.approx([0.04, 0.5, 0.04, 0.04])
    # a small p ranked after a larger one takes the smaller q of the larger rank
    assert q_values([0.04, 0.041]) == pytest.approx([0.041, 0.041])
    assert q_values([]) == []


def test_one_document_is_not_significant():
    # 5 against 0, all five in one document: below the minimum document frequency, not even tested
    df = keyness_table({"x": 5, "y": 30}, {"y": 30}, 1000, 1000, docs_a={"x": 1, "y": 3}, docs_b={"y": 4},
                       min_docs=3)
    assert list(df["slogan"]) == ["y"]
    # tested, 5 against 0 alone has G² 6.9 (p 0.009), but among 200 equal slogans its q is far above 0.05
    many = {f"s{i}": 10 for i in range(200)}
    df = keyness_table({"x": 5, **many}, many, 1000, 1000).set_index("slogan")
    assert df.loc["x", "p_value"] < 0.01 and df.loc["x", "q_value"] > 0.5 and not df.loc["x", "significant"]


def test_keyness_table_ranks_by_g2():
    df = keyness_table({"x": 10, "y": 5}, {"x": 2, "y": 5, "z": 9}, 1000, 1000)
    assert list(df["slogan"])[0] in {"x", "z"}
    row = df.set_index("slogan").loc["x"]
    assert row["key_for"] == "A" and row["significant"]
    assert df.set_index("slogan").loc["y", "g2"] == pytest.approx(0.0)


@pytest.mark.parametrize("spec,low,high", [("2013-2017", 2013, 2017), ("2013–2017", 2013, 2017),
                                           ("2015", 2015, 2015), (" 1978 - 1980 ", 1978, 1980)])
def test_parse_year_groups(spec, low, high):
    g = parse_group(spec, "year")
    assert (g.low, g.high) == (low, high)


@pytest.mark.parametrize("spec", ["", "2017-2013", "20a3", "2013-", "last year"])
def test_parse_bad_year_groups(spec):
    with pytest.raises(GroupError):
        parse_group(spec, "year")


def test_parse_value_group():
    g = parse_group("speech", "genre")
    docs = pd.DataFrame({"genre": ["speech", "report", "speech"]})
    assert list(g.mask(docs)) == [True, False, True]


def test_year_mask_skips_null_years():
    docs = pd.DataFrame({"year": pd.array([2013, None, 2016, 2019], dtype="Int64")})
    assert list(parse_group("2013-2017").mask(docs)) == [True, False, True, False]


@pytest.fixture
def tiny_build(tmp_path):
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "title": ["A", "B", "C"],
                         "year": pd.array([2014, 2019, None], dtype="Int64"),
                         "genre": ["report", "report", "resolution"], "speaker": ["", "", ""],
                         "characters": [1000, 1000, 100]})
    write_table(docs, tmp_path, "documents")
    write_table(pd.DataFrame({"slogan": ["x", "x", "z"], "doc_id": ["a", "b", "b"], "count": [10, 2, 9]}),
                tmp_path, "slogan_docs")
    return tmp_path


def test_run_compare_writes_table(tiny_build, capsys):
    assert run_compare(tiny_build, by="year", a="2013-2017", b="2018-2022", top=5, min_docs=1) == 0
    written = read_table(tiny_build, "keyness")
    assert table("keyness").mismatches(written) == []
    assert list(written.columns) == table("keyness").names      # no slogans table: no kind or years
    keyness = written.set_index("slogan")
    assert keyness.loc["x", "count_a"] == 10 and keyness.loc["x", "count_b"] == 2
    assert keyness.loc["x", "g2"] == pytest.approx(log_likelihood(10, 2, 1000, 1000))
    assert (keyness.loc["x", "docs_a"], keyness.loc["x", "docs_b"], keyness.loc["x", "min_docs"]) == (1, 1, 1)
    assert (keyness.loc["z", "key_for"], keyness.loc["z", "group_b"]) == ("B", "2018-2022")
    assert "x" in capsys.readouterr().out


def test_run_compare_errors(tiny_build, tmp_path_factory, capsys):
    assert run_compare(tiny_build, by="year", a="2013-20x", b="2018", top=5) == 2
    assert run_compare(tiny_build, by="year", a="1990-1995", b="2018", top=5) == 2
    assert run_compare(tiny_build, by="colour", a="x", b="y", top=5) == 2
    empty = tmp_path_factory.mktemp("empty")
    assert run_compare(empty, by="year", a="2013", b="2018", top=5) == 2
    assert "analyze" in capsys.readouterr().err


def test_min_docs_counts_documents_of_both_groups(tiny_build, capsys):
    # x is in a (group A) and b (group B): two documents; z only in b
    assert run_compare(tiny_build, by="year", a="2013-2017", b="2018-2022", top=5, min_docs=2) == 0
    assert list(read_table(tiny_build, "keyness")["slogan"]) == ["x"]
    out = capsys.readouterr().out
    assert "A = 2013-2017: 1 篇" in out and "B = 2018-2022: 1 篇" in out and "至少见于 2 篇" in out
    assert run_compare(tiny_build, by="year", a="2013-2017", b="2018-2022", top=5, min_docs=0) == 2


def test_compare_groups_by_genre(tiny_build):
    docs, slogan_docs = read_table(tiny_build, "documents"), read_table(tiny_build, "slogan_docs")
    keyness, docs_a, docs_b = compare_groups(docs, slogan_docs, None, parse_group("report", "genre"),
                                             parse_group("resolution", "genre"), min_docs=1)
    assert (len(docs_a), len(docs_b)) == (2, 1)
    assert keyness.set_index("slogan").loc["x", "docs_a"] == 2
