"""The detector on official prose without a 一、/一是 outline: list edges, sentence and lead series, folds.

Every sentence here is invented in the style of a work report.
"""
from __future__ import annotations

from dataclasses import replace

from analysis.official_prose import FOLDS, fold_of
from analysis.parallel import Parallelism, find_parallelisms
from analysis.parallel.series import sentence_series
from analysis.parallel.settings import DEFAULT_SETTINGS
from analysis.parallel.units import pieces


def texts(text: str, p: Parallelism) -> list[str]:
    return [text[s:e] for s, e in p.branches]


def all_texts(text: str) -> list[list[str]]:
    return [texts(text, p) for p in find_parallelisms(text)]


def test_governing_words_before_a_list_stay_outside():
    text = "今年要深入开展城区绿化、河道整治、街巷美化的专项行动。"
    assert ["城区绿化", "河道整治", "街巷美化"] in all_texts(text)


def test_list_with_shared_opening_drops_the_lead_in():
    text = "全县上下齐心协力，支持全体新型农户、新型合作社。"
    assert ["新型农户", "新型合作社"] in all_texts(text)


def test_last_item_joined_by_conjunction_is_a_branch_and_the_tail_stays_outside():
    text = "我们加快建设灌溉设施、储粮设施和冷链设施的步伐。"
    assert ["灌溉设施", "储粮设施", "冷链设施"] in all_texts(text)


def test_sentence_series_without_outline():
    text = ("必须把稳就业放在突出位置，多渠道扩大岗位。必须把保民生放在重要位置，兜牢基本生活底线。"
            "必须把防风险放在关键位置，守住不发生系统性风险的底线。")
    found = [p for p in find_parallelisms(text) if p.kind == "sentence"]
    assert [len(p.branches) for p in found] == [3]
    assert texts(text, found[0])[2] == "必须把防风险放在关键位置，守住不发生系统性风险的底线"


def test_paragraph_leads_opening_with_one_frame():
    text = ("过去一年，我们着力稳定粮食生产。全年新建高标准农田一批。\n"
            "过去一年，我们着力改善城乡环境。治理黑臭水体多处。\n"
            "过去一年，我们着力提升公共服务。新建学校和医院多所。\n")
    found = [p for p in find_parallelisms(text) if p.kind == "enumeration"]
    assert texts(text, found[0]) == ["过去一年，我们着力稳定粮食生产", "过去一年，我们着力改善城乡环境",
                                     "过去一年，我们着力提升公共服务"]


def test_dash_led_series_keeps_the_dash_outside():
    text = "——坚持稳中求进，巩固向好势头。\n——坚持改革创新，激发内生动力。\n——坚持人民至上，增进民生福祉。\n"
    found = [p for p in find_parallelisms(text) if p.kind == "enumeration"]
    assert texts(text, found[0]) == ["坚持稳中求进，巩固向好势头", "坚持改革创新，激发内生动力", "坚持人民至上，增进民生福祉"]


def test_a_topic_repeated_everywhere_is_not_a_frame():
    text = "春天来了，春天很美。春天的花开了，到处都是。春天的树长高了，绿荫遍地。"
    para = pieces(text, 0, len(text), 40)
    assert sentence_series(text, para, DEFAULT_SETTINGS) == []
    assert len(sentence_series(text, para, replace(DEFAULT_SETTINGS, series_topic_density=1000))) == 1


def test_two_sentences_need_a_long_shared_opening():
    text = "小王走进教室，放下书包。小王看见窗外下雨了，想起没带伞。"
    assert not [p for p in find_parallelisms(text) if p.kind == "sentence"]


def test_two_sentences_of_official_prose_opening_with_four_characters_pair_up():
    text = "加强社区服务设施建设，完善便民服务网络。加强社区工作者队伍建设。"
    para = pieces(text, 0, len(text), 40)
    assert [[text[s:e] for s, e in p.branches] for p in sentence_series(text, para, DEFAULT_SETTINGS, True)] == [
        ["加强社区服务设施建设，完善便民服务网络", "加强社区工作者队伍建设"]]
    assert sentence_series(text, para, DEFAULT_SETTINGS, False) == []      # essays: five characters


def test_sentences_naming_their_topic_then_going_on_alike_make_a_series():
    text = ("做好今年的工作，要把几件事结合起来。保就业，就是要稳住市场主体，扩大就业岗位。"
            "稳物价，就是要保障重要商品供应，防止价格大起大落。促消费，就是要增加居民收入，改善消费环境。")
    para = pieces(text, 0, len(text), 40)
    found = [[text[s:e][:5] for s, e in p.branches] for p in sentence_series(text, para, DEFAULT_SETTINGS, True)]
    assert found == [["保就业，就", "稳物价，就", "促消费，就"]]
    assert sentence_series(text, para, DEFAULT_SETTINGS, False) == []       # official prose only


def test_folds_are_fixed_round_robin_over_sorted_ids():
    records = [{"id": i} for i in ("c", "a", "e", "b", "d")]
    assert fold_of(records) == {"a": 0, "b": 1, "c": 2, "d": 0, "e": 1}
    assert FOLDS == 3


def test_marker_set_off_by_punctuation_stays_outside_an_enumeration():
    text = "第一，稳住农业生产，增加农民收入。\n第二，扩大有效需求，激活消费市场。\n"
    found = [p for p in find_parallelisms(text) if p.kind == "enumeration"]
    assert texts(text, found[0]) == ["稳住农业生产，增加农民收入", "扩大有效需求，激活消费市场"]
    alone = "第一，\n稳住农业生产。\n第二，\n扩大有效需求。\n"
    assert all(e > s for p in find_parallelisms(alone) for s, e in p.branches)


def test_word_marker_stays_inside_an_enumeration():
    text = "一是稳住农业生产，增加农民收入；二是扩大有效需求，激活消费市场。"
    found = [p for p in find_parallelisms(text) if p.kind == "enumeration"]
    assert texts(text, found[0]) == ["一是稳住农业生产，增加农民收入", "二是扩大有效需求，激活消费市场"]


def test_plain_words_with_no_shared_frame_are_no_series():
    text = "会议讨论了交通、教育、住房等问题，要求提升服务能力、管理能力、保障能力。"
    found = [texts(text, p) for p in find_parallelisms(text) if p.kind == "phrase"]
    assert ["提升服务能力", "管理能力", "保障能力"] in found or ["服务能力", "管理能力", "保障能力"] in found
    assert not [b for b in found if "教育" in b]


def test_series_of_short_predicates():
    from analysis.parallel.rules import short_predicates
    from analysis.parallel.units import Tokens
    from analysis.segment import get_segmenter

    text = "各地要加快产业升级，调整产品结构，加强市场营销，改善售后服务，增强竞争能力。"
    toks = Tokens(get_segmenter(), text, 0, len(text))
    found = [texts(text, p) for p in short_predicates(text, pieces(text, 0, len(text), 40), toks, DEFAULT_SETTINGS)]
    assert ["调整产品结构", "加强市场营销", "改善售后服务", "增强竞争能力"] in found


def test_an_enumeration_may_open_after_a_comma_or_colon_and_its_governing_words_stay_outside():
    text = ("园区建设的主要任务，一是完善道路和管网，提高承载能力；二是引进骨干企业，形成产业集群；"
            "三是健全服务体系，优化营商环境。")
    assert ["一是完善道路和管网，提高承载能力", "二是引进骨干企业，形成产业集群", "三是健全服务体系，优化营商环境"] in all_texts(text)
    text = "办好乡村学校，必须做好三件事：一要改善校舍。二要充实教师。三要保障经费。"
    assert ["一要改善校舍", "二要充实教师", "三要保障经费"] in all_texts(text)


def test_leads_within_one_sentence_end_where_the_next_lead_starts():
    text = "今年的重点，一是稳定粮食生产，二是增加农民收入，三是改善农村环境。"
    found = [t for t in all_texts(text) if t[0].startswith("一是")]
    assert found == [["一是稳定粮食生产", "二是增加农民收入", "三是改善农村环境"]]


def test_steps_and_aspects_after_a_comma_are_no_enumeration():
    from analysis.parallel.frames import enumerations
    from analysis.parallel.units import Unit, paragraph_spans
    for text in ("他首先整理了书包，然后才出门去上学。", "这项工作，一方面要加快进度，另一方面要保证质量。"):
        paras = paragraph_spans(text)
        units = [[Unit(x.start, x.end, x.boundary) for x in pieces(text, s, e, 40)] for s, e in paras]
        assert enumerations(text, paras, units) == []


def test_three_sentences_opening_with_yao_make_a_series_two_do_not():
    text = ("做好社区工作，关键在落实。要健全网格管理，明确每一户的联系人。要完善议事制度，让居民的事居民商量。"
            "要改进服务方式，把办事窗口开到楼门口。")
    series = [t for t in all_texts(text) if len(t) == 3 and t[0].startswith("要健全")]
    assert series == [["要健全网格管理，明确每一户的联系人", "要完善议事制度，让居民的事居民商量",
                       "要改进服务方式，把办事窗口开到楼门口"]]
    pair = "做好社区工作，关键在落实。要健全网格管理，明确每一户的联系人。要完善议事制度，让居民的事居民商量。"
    assert not any(t[0].startswith("要健全网格管理，明确") for t in all_texts(pair))


def test_a_series_inside_a_quotation_is_read_with_its_branches_inside():
    text = "各乡镇要坚持“修好路，架好桥；建好校，办好医；种好树，护好林”的工作思路，推进道路建设、学校建设和医院建设。"
    assert ["修好路，架好桥", "建好校，办好医", "种好树，护好林"] in all_texts(text)
    unread = [texts(text, p) for p in find_parallelisms(text, settings=replace(DEFAULT_SETTINGS, read_quotations=False))]
    assert ["修好路，架好桥", "建好校，办好医", "种好树，护好林"] not in unread


def test_quoted_passages_are_the_insides_of_quotations_with_boundary_marks():
    from analysis.parallel.units import quoted_passages
    text = "坚持“稳中求进”，落实“放管服、强监管”的要求，发扬“一不怕苦，二不怕死”的精神。"
    assert [text[s:e] for s, e in quoted_passages(text, 0, len(text), 40)] == ["放管服、强监管", "一不怕苦，二不怕死"]


def test_a_series_read_twice_keeps_its_longest_reading():
    from analysis.parallel.detector import EssayParagraphs, longest_reading
    four = Parallelism("clause", [(0, 4), (5, 9), (10, 14), (15, 19)], score=0.52)
    five = Parallelism("clause", [(0, 4), (5, 9), (10, 14), (15, 19), (20, 24)], score=0.5)
    other = Parallelism("clause", [(0, 4), (5, 12)], score=0.3)
    longest_reading([four, five, other], EssayParagraphs([]))
    assert five.score == 0.52 and other.score == 0.3
    essay = Parallelism("clause", [(0, 4), (5, 9), (10, 14), (15, 19), (20, 24)], score=0.5)
    longest_reading([four, essay], EssayParagraphs([(0, 30)]))
    assert essay.score == 0.5          # in essay prose the run scorer weighs every extent


REPORT_LEADS = ["我们必须坚持改革开放，不断完善社会主义市场经济体制，充分激发各类市场主体的活力。",
                "我们必须坚持依法行政。",
                "我们必须坚持以人民为中心，办好就业、教育、医疗、养老等民生实事，让发展成果更多惠及全体人民。"]


def test_a_paragraph_of_one_sentence_is_a_lead_in_official_prose():
    text = "\n".join(REPORT_LEADS)
    leads = [t for t in all_texts(text) if t[0].startswith("我们必须坚持改革开放")]
    assert leads and len(leads[0]) == 3 and leads[0][1] == "我们必须坚持依法行政"
    off = replace(DEFAULT_SETTINGS, sentence_paragraphs=False)
    assert not any(len(p.branches) == 3 for p in find_parallelisms(text, settings=off))


def test_a_paragraph_of_one_sentence_is_no_lead_in_an_essay():
    from analysis.parallel.series import lead_series
    from analysis.parallel.units import paragraph_spans
    text = "\n".join(REPORT_LEADS)
    essay = [False] * 3
    assert not any(len(p.branches) == 3 for p in lead_series(text, paragraph_spans(text), DEFAULT_SETTINGS, essay))


HEADED = ["加快转换企业经营机制。要坚持政企分开，落实企业经营自主权，建立健全现代企业制度，推动企业成为自主经营、自负盈亏的市场主体。",
          "积极发展各类市场。要以建立健全市场法规为重点，发展生产要素市场，逐步建立统一开放、竞争有序的市场体系，促进公平竞争。",
          "稳步推进价格改革。在保持物价总水平基本稳定的前提下，逐步理顺价格关系，建立以市场形成价格为主的价格机制和调控体系。"]


def test_paragraphs_opening_with_a_short_sentence_of_their_own_make_a_heading_series():
    text = "\n".join(HEADED)
    headings = [t for t in all_texts(text) if t[0] == "加快转换企业经营机制"]
    assert headings == [["加快转换企业经营机制", "积极发展各类市场", "稳步推进价格改革"]]
    off = replace(DEFAULT_SETTINGS, unnumbered_headings=False)
    assert not any(p.kind == "heading" for p in find_parallelisms(text, settings=off))


def test_two_headed_paragraphs_or_leads_going_on_after_a_comma_are_no_heading_series():
    assert not any(p.kind == "heading" for p in find_parallelisms("\n".join(HEADED[:2])))
    text = "\n".join(h.replace("。", "，", 1) for h in HEADED)
    assert not any(p.kind == "heading" for p in find_parallelisms(text))


def test_three_character_clauses_of_one_word_shape_make_a_phrase_series():
    text = "修水渠，建粮仓，挖鱼塘，是今年全县农田建设的三项重点任务。"
    assert ["修水渠", "建粮仓", "挖鱼塘"] in all_texts(text)
    off = replace(DEFAULT_SETTINGS, three_character_clauses=False)
    assert ["修水渠", "建粮仓", "挖鱼塘"] not in [texts(text, p) for p in find_parallelisms(text, settings=off)]
