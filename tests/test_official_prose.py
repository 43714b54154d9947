"""The official-prose gold: built from its annotations, placed in the real texts, scored as a build analyses."""
from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter

import pytest

from conftest import ROOT, SHARED

BUILD = ROOT / "eval" / "official-prose" / "build.py"


def build_module():
    spec = importlib.util.spec_from_file_location("official_prose_build", BUILD)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module   # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_gold_is_what_the_annotations_give(capsys):
    assert build_module().main(["--check", "--shared", str(SHARED)]) == 0, capsys.readouterr().out


def test_gold_covers_enough_documents_decades_and_structures():
    from analysis.official_prose import load_gold
    records = load_gold()
    reports = [r for r in records if r["corpus"] == "gwr"]
    decades = {int(r["id"][:4]) // 10 for r in reports}
    structures = sum(len(r["parallelisms"]) for r in records)
    assert len(reports) >= 15 and len(decades) >= 5 and structures >= 400
    assert any(r["corpus"] == "speech" for r in records)
    kinds = Counter(p["kind"] for r in records for p in r["parallelisms"])
    assert set(kinds) == {"phrase", "clause", "sentence", "enumeration", "heading"}


def test_every_branch_lies_in_a_passage_and_has_no_edge_punctuation():
    from analysis.official_prose import corpus_paths, load_gold
    from analysis.corpus import read_corpus
    from analysis.parallel import PUNCT
    texts = {d.doc_id: d.raw for path in corpus_paths(SHARED).values() for d in read_corpus(path, [])}
    for r in load_gold():
        text = texts[r["id"]]
        for p in r["parallelisms"]:
            assert any(all(lo <= s < e <= hi for s, e in p["branches"]) for lo, hi in r["passages"]), p
            for s, e in p["branches"]:
                assert text[s] not in PUNCT and text[e - 1] not in PUNCT, (r["id"], text[s:e])


def annotation(tmp_path, structures: str) -> "object":
    (tmp_path / "annotations").mkdir()
    path = tmp_path / "annotations" / "x.yaml"
    path.write_text("doc: d\ncorpus: speech\npassages:\n  - from: 甲\n    to: 完\n    structures:\n" + structures,
                    encoding="utf-8")
    return path


def test_a_branch_that_occurs_twice_needs_after(tmp_path):
    m = build_module()
    corpus = m.Corpus({"d": "前言。甲：抓学习、抓落实。又说抓学习、抓落实。完"})
    path = annotation(tmp_path, "      - kind: phrase\n        branches: [抓学习, 抓落实]\n")
    with pytest.raises(m.AnnotationError, match="after:"):
        m.build_record(path, corpus)
    path.write_text(path.read_text(encoding="utf-8") + "        after: 又说\n", encoding="utf-8")
    record = m.build_record(path, corpus)
    assert record["parallelisms"][0]["branches"] == [[15, 18], [19, 22]]
    assert record["passages"] == [[3, 24]]


def test_a_missing_branch_or_edge_punctuation_is_an_error_naming_the_place(tmp_path):
    m = build_module()
    corpus = m.Corpus({"d": "甲：抓学习、抓落实。完"})
    with pytest.raises(m.AnnotationError, match=r"x.yaml passage 1 structure 1.*not found"):
        m.build_record(annotation(tmp_path, "      - kind: phrase\n        branches: [抓学习, 抓作风]\n"), corpus)
    (tmp_path / "annotations" / "x.yaml").unlink()
    (tmp_path / "annotations").rmdir()
    with pytest.raises(m.AnnotationError, match="punctuation"):
        m.build_record(annotation(tmp_path, "      - kind: phrase\n        branches: [抓学习、, 抓落实]\n"), corpus)


def test_a_changed_text_is_refused(tmp_path):
    from analysis.official_prose import GoldError, load_gold, predict_gold
    speech = next(r for r in load_gold() if r["corpus"] == "speech")
    with pytest.raises(GoldError, match="not the one annotated"):
        predict_gold([{**speech, "text_sha256": "0" * 64}], SHARED, progress=False)


def test_predictions_outside_the_passages_are_not_counted_and_recall_by_kind():
    from analysis.official_prose import ProseGold, load_gold, predict_gold, recall_by_kind
    speech = next(r for r in load_gold() if r["corpus"] == "speech")
    data = predict_gold([speech], SHARED, progress=False)
    (lo, hi), = speech["passages"]
    preds = data.predictions[speech["id"]]["parallelisms"]
    assert preds and all(lo <= s and e <= hi for p in preds for s, e in p["branches"])
    toy = ProseGold(gold={"t": {"text": "", "parallelisms": [{"kind": "phrase", "branches": [[0, 2], [3, 5]]},
                                                             {"kind": "clause", "branches": [[6, 9], [10, 12]]}]}},
                    predictions={"t": {"parallelisms": [{"branches": [[1, 2], [4, 5]]}]}})
    assert recall_by_kind(toy) == {"clause": (0, 1), "phrase": (1, 1)}
    json.dumps(data.gold)  # the scorer's form: plain JSON values
