"""The register of each paragraph (official prose or essay) decides how runs are weighed: no document-level switch."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest

from analysis.parallel import DEFAULT_SETTINGS, ModelError, load_model
from analysis.parallel.detector import candidates
from analysis.parallel.model import model_from_json
from analysis.parallel.register import REGISTER_FEATURES, official_paragraphs
from analysis.parallel.units import paragraph_spans
from analysis.segment import get_segmenter

ESSAY = [
    "那年冬天，我第一次离开家。妈妈把我送到车站，她什么也没说，只是把围巾给我系好了。",
    "车开了，我回头看她，她还站在那里！我的眼泪一下子就流了下来。",
    "后来我才明白，她不是不想说，而是怕自己哭出来。你能想象她那时的心情吗？",
    "我常常想起那条围巾。它旧了，颜色也淡了，可我一直舍不得扔掉它。",
    "如今我也长大了，我终于懂得了她的沉默。",
]
REPORT = [
    "今年要坚持稳中求进工作总基调，推进经济结构调整，加强生态环境保护、基础设施建设和社会保障。",
    "全年国内生产总值增长5.2%，城镇新增就业1200万人，粮食产量稳定在1.3万亿斤以上。",
    "要深化国有企业改革，完善现代企业制度，发展混合所有制经济，支持民营企业发展壮大。",
    "要加强农业基础地位，推进农田水利建设，提高农业综合生产能力，促进农民持续增收。",
    "要扩大对外开放，稳定外贸外资基本盘，推动共建经济合作、人文交流和基础设施互联互通。",
]


def test_each_paragraph_is_read_by_its_own_register():
    """An essay passage and a report passage in one text: each is read as what it is."""
    text = "\n".join(ESSAY + REPORT)
    assert official_paragraphs(text, paragraph_spans(text), load_model()) == [False] * 5 + [True] * 5


def test_the_run_scorer_judges_the_essay_paragraphs_only():
    text = "\n".join(ESSAY + REPORT)
    paras = paragraph_spans(text)
    _, essay = candidates(text, None, get_segmenter(), DEFAULT_SETTINGS, load_model())
    assert essay.spans == paras[:5]
    # settings that name one way impose it on every paragraph
    _, forced = candidates(text, None, get_segmenter(), replace(DEFAULT_SETTINGS, run_scorer=False), load_model())
    assert forced.spans == []


def test_a_report_in_the_traditional_script_reads_as_official():
    text = "\n".join(["我們要發展國民經濟，加強工業建設、農業生產和交通運輸。",
                      "國家計劃要保證重點建設，提高人民的物質和文化生活水平。",
                      "各部門要節約開支，增加生產，完成國家計劃規定的各項任務。"])
    assert all(official_paragraphs(text, paragraph_spans(text), load_model()))


def test_a_model_without_a_register_reads_every_paragraph_as_an_essay():
    text = "\n".join(REPORT)
    model = replace(load_model(), register_weights=())
    assert official_paragraphs(text, paragraph_spans(text), model) == [False] * 5


def test_a_register_of_other_features_is_refused_with_the_command_to_refit():
    from analysis.parallel import MODEL_PATH
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    data["register"]["weights"]["gone"] = data["register"]["weights"].pop("listed")
    with pytest.raises(ModelError, match=r"register: .*missing from the file: \['listed'\].*fit-register"):
        model_from_json(data, "model.json")


def test_the_register_fit_learns_the_registers_apart():
    from analysis.parallel.fit import fit_register
    essays = [{"text": "\n".join(ESSAY)}] * 3
    reports = [{"text": "\n".join(REPORT)}] * 3
    weights = dict(zip(REGISTER_FEATURES, fit_register(essays, reports)))
    assert weights["listed"] > 0 > weights["pronouns"]
    model = replace(load_model(), register_weights=tuple(weights.values()))
    text = "\n".join(ESSAY + REPORT)
    assert official_paragraphs(text, paragraph_spans(text), model) == [False] * 5 + [True] * 5
