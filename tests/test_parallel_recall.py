"""Rules added from the error analysis of the official-prose gold's training folds (issue 12).

Every sentence here is invented in the style of a work report; none is taken from the gold.
"""
from __future__ import annotations

from dataclasses import replace

from analysis.parallel import find_parallelisms
from analysis.parallel.clause_rules import inner_anchor_pairs, opening_series
from analysis.parallel.settings import DEFAULT_SETTINGS
from analysis.parallel.units import Tokens, pieces
from analysis.segment import get_segmenter
from test_parallel_official import all_texts


def official_texts(text: str) -> list[list[str]]:
    """The branches found with every paragraph read as official prose (a sentence alone may read as an essay)."""
    settings = replace(DEFAULT_SETTINGS, run_scorer=False)
    return [[text[s:e] for s, e in p.branches] for p in find_parallelisms(text, settings=settings)]


def rule_texts(rule, text: str) -> list[list[str]]:
    """The branches one clause rule finds in ``text`` (one paragraph), with the default settings."""
    toks = Tokens(get_segmenter(), text, 0, len(text))
    return [[text[s:e] for s, e in p.branches] for p in rule(text, pieces(text, 0, len(text), 40), toks, DEFAULT_SETTINGS)]


# --- where a 、-list starts and ends -------------------------------------------------------------

def test_a_preposition_before_a_list_and_the_words_before_it_stay_outside():
    text = "各地把整修渠道、疏浚河塘、加固堤坝摆上日程。"
    found = all_texts(text)
    assert any(b[:2] == ["整修渠道", "疏浚河塘"] for b in found), found


def test_a_closing_deng_ends_the_list():
    text = "全省扶持了种植大户、养殖大户、家庭农场等经营主体。"
    assert ["种植大户", "养殖大户", "家庭农场"] in all_texts(text)


def test_the_noun_a_list_of_suffixed_words_modifies_stays_outside():
    text = "各级部门要着力化解区域性、行业性矛盾。"
    assert ["区域性", "行业性"] in all_texts(text)


def test_a_perfective_verb_before_a_two_item_list_and_the_noun_after_it_stay_outside():
    text = "这个村子走上了依靠科技、发展产业的道路。"
    assert ["依靠科技", "发展产业"] in all_texts(text)


def test_the_de_phrase_before_a_list_and_the_predicate_after_it_stay_outside():
    text = "全市的工业总产值、农民纯收入、城镇居民存款都有较大增长。"
    assert ["工业总产值", "农民纯收入", "城镇居民存款"] in all_texts(text)


def test_a_verb_governing_verb_object_items_stays_outside():
    text = "今年继续改善出行条件、优化办事流程、提升服务水平。"
    assert ["改善出行条件", "优化办事流程", "提升服务水平"] in all_texts(text)


def test_a_verb_before_verb_object_items_stays_outside_when_the_others_open_with_verbs():
    text = "县里出台措施，鼓励增加种粮面积、提高复种指数、推广良种良法。"
    assert ["增加种粮面积", "提高复种指数", "推广良种良法"] in all_texts(text)


def test_the_other_items_length_decides_before_the_parts_of_speech():
    text = "这次活动使青年思想得到锻炼、能力得到提升、作风得到转变。"
    assert ["思想得到锻炼", "能力得到提升", "作风得到转变"] in all_texts(text)


def test_a_verb_object_pair_of_one_length_keeps_its_verb():
    text = "当地加强水质监测、污染治理。"
    assert ["水质监测", "污染治理"] in all_texts(text)


def test_four_character_set_phrases_are_not_cut_inside():
    text = "各项工作能快则快、宁快勿慢。"
    for branches in all_texts(text):
        assert all(len(b) >= 4 for b in branches), branches


# --- clauses of one sentence opening with one same word ------------------------------------------

def test_two_clauses_opening_with_one_function_word_make_a_pair():
    text = "对守法经营的商户加强服务，对违规经营的商户依法处理。"
    assert ["对守法经营的商户加强服务", "对违规经营的商户依法处理"] in all_texts(text)


def test_the_subject_before_a_series_of_three_clauses_opening_alike_stays_outside():
    text = "有些乡镇的工作人员没有认真核实数据，没有及时上报灾情，没有按时发放补助。"
    assert ["没有认真核实数据", "没有及时上报灾情", "没有按时发放补助"] in all_texts(text)


def test_a_pair_takes_a_short_lead_in_off_its_first_clause():
    text = "做好这项工作的关键，就是要在基层建立台账，要把责任落实到人。"
    assert ["要在基层建立台账", "要把责任落实到人"] in all_texts(text)


def test_the_opening_rule_does_not_join_clauses_of_different_sentences():
    text = "有的企业扭亏为盈，有的企业增产增收。有的企业仍然亏损。"
    found = rule_texts(opening_series, text)
    assert found == [["有的企业扭亏为盈", "有的企业增产增收"]]


def test_a_clause_adding_itself_with_ye_repeats_the_opening_of_the_clause_before():
    text = "这个速度高于前几年的平均水平，也高于同期多数国家的增长速度。"
    found = rule_texts(opening_series, text)
    # the words before 高于 govern both and stay outside; 也 belongs to its branch (the guideline)
    assert found == [["高于前几年的平均水平", "也高于同期多数国家的增长速度"]]


def test_a_clause_opening_with_ye_alone_is_no_pair():
    text = "这个速度高于前几年的平均水平，也超过了年初定下的目标。"
    assert rule_texts(opening_series, text) == []


def test_two_clauses_sharing_an_adverb_at_the_same_place_pair_up():
    text = "这几年全县群众的收入始终稳步增长，各乡村的面貌始终不断改善。"
    found = rule_texts(inner_anchor_pairs, text)
    assert found == [["这几年全县群众的收入始终稳步增长", "各乡村的面貌始终不断改善"]]
    # a shared noun is the topic, not a frame
    text = "这几年市场的形势朝着好的方向变化，企业对市场的信心越来越足。"
    assert rule_texts(inner_anchor_pairs, text) == []


def test_list_branches_never_cross_a_quotation_mark():
    text = "今年要扎实做好“稳岗位”、“保民生”工作。"
    assert ["稳岗位", "保民生"] in all_texts(text)
    text = "要推进“数字乡村”建设、城乡融合发展、县域经济发展。"
    assert ["“数字乡村”建设", "城乡融合发展", "县域经济发展"] in all_texts(text)


# --- perfective clause series ----------------------------------------------------------------------

def test_a_perfective_series_starts_at_the_verb_of_the_clause_before_its_run():
    text = "过去一年，全县干部群众在上级的支持下修通了进村公路，建起了文化广场，办好了村级幼儿园。"
    assert ["修通了进村公路", "建起了文化广场", "办好了村级幼儿园"] in official_texts(text)


def test_an_adverb_with_de_before_the_verb_keeps_a_clause_in_a_perfective_series():
    text = "这一年我们新建了三座水库，顺利地完成了河道疏浚，加固了沿江堤防。"
    assert ["新建了三座水库", "顺利地完成了河道疏浚", "加固了沿江堤防"] in official_texts(text)


# --- words that set the scene for a whole run ------------------------------------------------------

def test_a_pronoun_opening_a_figure_series_stays_outside():
    text = "五年来，我国小麦产量由八千万吨增加到九千万吨，玉米产量由六千万吨增加到七千五百万吨。"
    assert ["小麦产量由八千万吨增加到九千万吨", "玉米产量由六千万吨增加到七千五百万吨"] in official_texts(text)


def test_correlative_markers_are_no_scene_words():
    text = "这项改革不但减轻了企业负担，而且激发了市场活力。"
    found = official_texts(text)
    assert any(b[0].startswith("不但") for b in found), found


# --- correlatives and openings over several clauses -------------------------------------------------

def test_a_correlative_pair_may_run_over_several_clauses():
    text = "各地既要加快项目建设，严把工程质量，又要管好资金使用，防止铺张浪费。"
    assert ["既要加快项目建设，严把工程质量", "又要管好资金使用，防止铺张浪费"] in official_texts(text)


def test_clauses_opening_alike_pair_up_inside_segments():
    text = "我们坚持两条腿走路，一条腿抓城市更新，一条腿抓乡村振兴；一条腿抓产业升级，一条腿抓生态保护。"
    found = rule_texts(opening_series, text)
    assert found == [["一条腿抓城市更新", "一条腿抓乡村振兴"], ["一条腿抓产业升级", "一条腿抓生态保护"]]
