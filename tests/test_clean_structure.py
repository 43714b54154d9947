"""Cleaning, the offset contract, and structure (title, salutation, headings, leads, sentences)."""
from __future__ import annotations

from analysis.clean import clean_text, edge_keys, is_ad_line, repeated_edges
from analysis.document import Document
from analysis.engine import Settings, analyze_document
from analysis.structure import classify_paragraphs


def all_spans(a):
    return [*a.removed, *a.units, *a.sentences, *a.clauses]


def test_sample_speech_body_starts_at_its_title_and_the_header_is_removed(sample_doc):
    a = sample_doc
    assert a.clean.text.startswith("在机关党员大会上的讲话\n同志们：")
    removed = "".join(r.text for r in a.removed)
    assert "仅供学习" in removed and "QQ群" in removed and "举报" in removed
    # Everything before the title in the raw file is reported as removed, nothing after it is.
    title_at = a.doc.raw.index("在机关党员大会上的讲话")
    assert all(r.end <= title_at for r in a.removed)
    assert sum(r.end - r.start for r in a.removed) >= len(a.doc.raw[:title_at].strip()) - 60
    assert a.units[0].kind == "title" and a.units[1].kind == "salutation"


def test_every_reported_span_is_the_raw_text_at_its_offsets(sample_doc, gwr_docs):
    docs, _ = gwr_docs
    for a in [sample_doc, *docs]:
        for span in all_spans(a):
            assert a.doc.raw[span.start:span.end] == span.text, (a.doc_id, span)


def test_clean_characters_map_back_to_their_raw_characters(sample_doc, gwr_docs):
    docs, _ = gwr_docs
    for a in [sample_doc, *docs]:
        raw, clean = a.doc.raw, a.clean
        for i, ch in enumerate(clean.text):
            if ch == "\n":
                continue
            source = raw[clean.origin[i]]
            assert source == ch or (source in "０１２３４５６７８９" and ch.isdigit()), (a.doc_id, i)
        assert list(clean.origin) == sorted(clean.origin)


def test_2025_report_headings_are_found_at_level_one(gwr_docs):
    docs, _ = gwr_docs
    report = next(a for a in docs if a.doc.year == 2025 and a.doc.genre == "工作报告")
    level_one = [u.label for u in report.units if u.kind == "heading" and u.level == 1]
    assert level_one[0] == "一、2024年工作回顾"
    assert [h[:2] for h in level_one] == ["一、", "二、", "三、"]
    assert report.units[0].kind == "salutation"
    leads = [u.label for u in report.units if u.kind == "lead"]
    assert any(label.startswith("一是") for label in leads)


def test_site_licence_footer_repeated_across_reports_is_removed_and_shown(gwr_docs):
    docs, _ = gwr_docs
    with_footer = [a for a in docs if "Public domain" in a.doc.raw]
    assert len(with_footer) >= 60
    for a in with_footer:
        assert "Public domain" not in a.clean.text
        assert "维基文库" not in a.clean.text
        assert any("多篇文档重复" in r.label and "Public domain" in r.text for r in a.removed)
    # The salutation recurs in every report too, but it is the document's own words.
    assert sum(a.clean.text.startswith("各位代表") for a in docs) >= 40


def test_normalisation_joins_hard_breaks_drops_indentation_and_folds_digits():
    raw = ("标题一\n\n\u3000\u3000第一段开头，遇到\n“硬换行”\n，仍是同一段。\n\n\u3000\u3000增长１２．５％，"
           "1 9 9 7 年。\n\n第三段。\n\n")
    clean, removed, paragraphs = clean_text(raw)
    assert removed == []
    assert clean.text.split("\n") == ["标题一", "第一段开头，遇到“硬换行”，仍是同一段。", "增长12．5％，1997 年。", "第三段。"]
    for s, e in paragraphs:
        rs, re_ = clean.to_raw(s, e)
        assert raw[rs] == clean.text[s]


def test_line_per_paragraph_files_keep_their_lines_as_paragraphs():
    raw = "讲话标题\n同志们：\n第一段。\n第二段。\n"
    clean, _, paragraphs = clean_text(raw)
    assert len(paragraphs) == 4


def test_ad_lines_are_recognised_by_general_rules():
    assert is_ad_line("扫码加入会员群，免费领取更多资料")
    assert is_ad_line("关注公众号：某某文库")
    assert not is_ad_line("要畅通群众举报渠道，及时回应群众关切，依法查处违法违规行为，切实维护群众合法权益。")
    assert not is_ad_line("")


def test_repeated_edges_need_several_documents_and_spare_salutations():
    footer = "本文由某某网站整理发布，转载请注明出处"
    docs = [f"各位代表：\n\n正文{i}第一段。\n\n正文{i}第二段。\n\n{footer}\n\n" for i in range(5)]
    repeated = repeated_edges(edge_keys(d) for d in docs)
    assert footer in repeated and "各位代表：" not in repeated
    a = analyze_document(Document("d0", docs[0]), Settings(repeated=repeated))
    assert footer not in a.clean.text and a.clean.text.startswith("各位代表：")
    assert repeated_edges(edge_keys(d) for d in docs[:2]) == frozenset()


def test_paragraph_classification():
    kinds = classify_paragraphs([
        "关于某项工作的讲话", "同志们：", "一、总体要求", "（一）指导思想", "1. 基本原则",
        "一是加强学习。要认真学习，深刻领会。", "首先，要提高认识。", "这是一个普通段落，讲了很多内容。",
        "二、要不负重托，在牢记使命上践行新作为。",
    ])
    assert [k for k, _, _ in kinds] == ["title", "salutation", "heading", "heading", "heading", "lead", "lead",
                                        "paragraph", "heading"]
    assert [lvl for k, lvl, _ in kinds if k == "heading"] == [1, 2, 3, 1]
    assert kinds[5][2] == "一是加强学习"


def test_sentences_and_clauses_split_outside_quotes(sample_doc):
    text = sample_doc.clean.text
    sentence = next(s for s in sample_doc.sentences if "不忘初心" in s.text)
    assert sentence.text.endswith("。")
    clauses = [c.text for c in sample_doc.clauses if sample_doc.doc.raw.find(c.text) >= 0]
    assert any("“不忘初心、牢记使命”" in c for c in clauses)
    assert not any(c.endswith(("，", "。", "；")) for c in clauses)
    assert len(text) > 2000
