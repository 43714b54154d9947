"""Rules added from the error analysis of the official-prose gold's training folds (issue 12).

Every sentence here is invented in the style of a work report; none is taken from the gold.
"""
from __future__ import annotations

from analysis.parallel import find_parallelisms


def all_texts(text: str) -> list[list[str]]:
    return [[text[s:e] for s, e in p.branches] for p in find_parallelisms(text)]


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


def test_a_verb_object_pair_of_one_length_keeps_its_verb():
    text = "当地加强水质监测、污染治理。"
    assert ["水质监测", "污染治理"] in all_texts(text)


def test_four_character_set_phrases_are_not_cut_inside():
    text = "各项工作能快则快、宁快勿慢。"
    for branches in all_texts(text):
        assert all(len(b) >= 4 for b in branches), branches
