"""Clause series of one shape (verb with 了, figures after one verb) and contrasting pairs.

Every sentence here is invented in the style of a work report.
"""
from __future__ import annotations

from analysis.parallel.clause_rules import contrasts, shape_series
from analysis.parallel.settings import DEFAULT_SETTINGS
from analysis.parallel.units import Tokens, pieces
from analysis.segment import get_segmenter


def _found(rule, text: str) -> list[list[str]]:
    ps = pieces(text, 0, len(text), 40)
    if rule is contrasts:
        found = rule(text, ps, DEFAULT_SETTINGS)
    else:
        found = rule(text, ps, Tokens(get_segmenter(), text, 0, len(text)), DEFAULT_SETTINGS)
    return [[text[s:e] for s, e in p.branches] for p in found]


def test_clauses_with_a_perfective_verb_make_a_series():
    text = "过去一年，全省修建了一批乡村公路，改造了老旧供水管网，新办了十所寄宿学校。"
    assert ["修建了一批乡村公路", "改造了老旧供水管网", "新办了十所寄宿学校"] in _found(shape_series, text)


def test_a_perfective_clause_beside_plain_clauses_is_no_series():
    text = "去年我们修建了一批乡村公路，这项工作还要继续，各地也要抓紧规划。"
    assert _found(shape_series, text) == []


def test_figures_after_one_verb_make_a_series():
    text = "小麦产量增长百分之六，油料产量增长两倍，蔬菜产量增长百分之十一。"
    assert ["小麦产量增长百分之六", "油料产量增长两倍", "蔬菜产量增长百分之十一"] in _found(shape_series, text)


def test_figures_with_different_verbs_are_no_series():
    text = "小麦产量达到三千万吨，油料价格回落百分之六。"
    assert _found(shape_series, text) == []


def test_contrasting_pair_of_clauses():
    text = "我们不是简单地关停工厂，而是引导企业转型升级。"
    assert ["不是简单地关停工厂", "而是引导企业转型升级"] in _found(contrasts, text)


def test_short_antithesis_with_yao_and_bu_yao():
    text = "大家要讲真话，不要说空话。"
    assert ["要讲真话", "不要说空话"] in _found(contrasts, text)


def test_contrast_across_a_full_stop_is_not_paired():
    text = "这不是偶然的。而是长期努力的结果。"
    assert _found(contrasts, text) == []


def test_two_short_predicates_make_a_pair():
    from analysis.parallel.rules import short_predicates

    text = "为稳住经济大盘，扩大公共投资，设立引导基金。"
    assert ["扩大公共投资", "设立引导基金"] in _found(short_predicates, text)


def test_the_same_branches_found_twice_keep_the_higher_score():
    from analysis.parallel import Parallelism
    from analysis.parallel.selection import select

    low, high = Parallelism("phrase", [(0, 4), (5, 9)], score=0.3), Parallelism("clause", [(0, 4), (5, 9)], score=0.5)
    assert [p.kind for p in select([low, high])] == ["clause"]


def test_the_hand_rules_apply_in_a_text_without_an_outline():
    """No 一、/一是 framework and a narrator's voice: the rules' matches are still candidates (the run
    scorer weighs them, since the paragraph reads as an essay)."""
    from analysis.parallel.detector import candidates
    from analysis.parallel.model import load_model

    text = "这些年，我不是简单地关停工厂，而是引导他们转型升级！"
    cands, essay = candidates(text, None, get_segmenter(), DEFAULT_SETTINGS, load_model())
    assert essay.spans == [(0, len(text))]
    assert ["不是简单地关停工厂", "而是引导他们转型升级"] in [[text[s:e] for s, e in c.branches] for c in cands]


def test_the_rules_matches_stand_where_floors_weigh_the_runs():
    from dataclasses import replace

    from analysis.parallel import find_parallelisms

    text = "过去一年，全省修建了一批乡村公路，改造了老旧供水管网，新办了十所寄宿学校。"
    found = find_parallelisms(text, settings=replace(DEFAULT_SETTINGS, run_scorer=False))
    assert ["修建了一批乡村公路", "改造了老旧供水管网", "新办了十所寄宿学校"] in [
        [text[s:e] for s, e in p.branches] for p in found]


def test_a_figure_broken_down_is_no_second_item():
    text = "全年新建校舍三千所，其中农村校舍两千所。"
    assert _found(shape_series, text) == []


def test_a_list_branch_never_starts_with_a_particle():
    from analysis.parallel import find_parallelisms

    text = "我们已经能够自己制造大型的采矿设备、洗煤设备、炼焦设备、轧钢设备和机车车辆制造出来。"
    found = [[text[s:e] for s, e in p.branches] for p in find_parallelisms(text)]
    assert found and found[0][0] == "采矿设备"


def test_two_clauses_naming_one_thing_twice():
    text = "节约用水是一项长期任务，也是一项紧迫工作。"
    assert ["是一项长期任务", "也是一项紧迫工作"] in _found(contrasts, text)


def test_correlative_pair_keeps_its_lead_in_outside():
    from analysis.parallel.rules import correlatives

    text = "这一速度不仅高于往年水平，而且高于同期预期。"
    found = [[text[s:e] for s, e in p.branches] for p in correlatives(text, pieces(text, 0, len(text), 40), DEFAULT_SETTINGS)]
    assert ["不仅高于往年水平", "而且高于同期预期"] in found
