"""Reading sources: formats, encodings, metadata, ids, and every kind of bad input."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.corpus import CorpusError, Problem, decode_bytes, read_corpus
from analysis.names import make_id

SPEECH = "在全市工作会议上的讲话\n同志们：\n今天，我们召开全市工作会议。要坚持稳中求进工作总基调。\n"


def read(path: Path) -> tuple[list, list[Problem]]:
    problems: list[Problem] = []
    return list(read_corpus(path, problems)), problems


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le-bom"])
def test_text_files_in_every_supported_encoding_decode_to_the_same_text(tmp_path, encoding):
    if encoding == "utf-16-le-bom":
        data = b"\xff\xfe" + SPEECH.encode("utf-16-le")
    else:
        data = SPEECH.encode(encoding)
    (tmp_path / "a.txt").write_bytes(data)
    docs, problems = read(tmp_path)
    assert problems == []
    assert docs[0].raw == SPEECH


def test_gb18030_text_with_rare_characters_is_not_mangled():
    text = "各位代表：\n推进𠮷字与镕基的写法统一，坚持稳中求进工作总基调。" * 3
    assert decode_bytes(text.encode("gb18030"), "x.txt") == text


def test_markdown_front_matter_gives_metadata_and_is_not_part_of_the_text(tmp_path):
    (tmp_path / "r.md").write_text("---\ntitle: 某某讲话\nyear: 2019\nspeaker: 某书记\ngenre: 讲话\n---\n正文第一段。\n",
                                   encoding="utf-8")
    (doc,), problems = read(tmp_path)
    assert (doc.title, doc.year, doc.speaker, doc.genre) == ("某某讲话", 2019, "某书记", "讲话")
    assert doc.raw == "正文第一段。\n"
    assert problems == []


def test_metadata_table_is_keyed_by_file_name(tmp_path):
    (tmp_path / "a.txt").write_text(SPEECH, encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("file,title,year,speaker\na.txt,全市工作会议讲话,2021,市委书记\n",
                                           encoding="utf-8")
    (doc,), _ = read(tmp_path)
    assert (doc.title, doc.year, doc.speaker) == ("全市工作会议讲话", 2021, "市委书记")


def test_docx_files_are_read_with_their_paragraphs(tmp_path):
    import docx
    d = docx.Document()
    d.core_properties.title = "关于加强机关党建的意见"
    for para in ("同志们：", "要抓基层、打基础。", "要学党章、强基础。"):
        d.add_paragraph(para)
    d.save(tmp_path / "yijian.docx")
    (doc,), problems = read(tmp_path)
    assert problems == []
    assert doc.title == "关于加强机关党建的意见"
    assert doc.raw.split("\n") == ["同志们：", "要抓基层、打基础。", "要学党章、强基础。"]


def test_csv_corpus_with_text_column(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("title,year,text\n甲报告,2001,第一篇正文。\n乙报告,,第二篇正文。\n", encoding="gb18030")
    docs, problems = read(path)
    assert [(d.title, d.year, d.raw) for d in docs] == [("甲报告", 2001, "第一篇正文。"), ("乙报告", None, "第二篇正文。")]
    assert problems == []


def test_every_bad_input_is_reported_with_file_and_line_and_the_rest_is_read(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text(SPEECH, encoding="utf-8")
    (folder / "copy.txt").write_text(SPEECH, encoding="utf-8")                 # duplicate
    (folder / "empty.txt").write_bytes(b"")                                     # empty
    (folder / "blob.txt").write_bytes(bytes(range(256)) * 8)                    # binary
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")        # unreadable Word file
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")                             # unsupported type
    (folder / "records.jsonl").write_text(
        json.dumps({"title": "好记录", "content": "这是另一篇正文。"}, ensure_ascii=False) + "\n"
        + "{not json\n"
        + json.dumps({"title": "空记录", "content": ""}, ensure_ascii=False) + "\n"
        + json.dumps(["a list"]) + "\n", encoding="utf-8")
    docs, problems = read(folder)
    # files are read in name order: of the two identical texts the first (copy.txt) is kept
    assert sorted(Path(d.source).name for d in docs) == ["copy.txt", "records.jsonl:1"]
    by_input = {p.input: p.reason for p in problems}
    duplicate = by_input[str(folder / "good.txt")]
    assert "duplicate" in duplicate and duplicate.count("copy.txt") == 1
    assert "empty" in by_input[str(folder / "empty.txt")]
    assert "binary" in by_input[str(folder / "blob.txt")]
    assert ".docx" in by_input[str(folder / "broken.docx")]
    assert "unsupported" in by_input[str(folder / "notes.pdf")]
    assert "invalid JSON" in by_input[f"{folder / 'records.jsonl'}:2"]
    assert "without text" in by_input[f"{folder / 'records.jsonl'}:3"]
    assert "JSON object" in by_input[f"{folder / 'records.jsonl'}:4"]
    assert len(problems) == 8


def test_missing_corpus_is_a_clear_error(tmp_path):
    with pytest.raises(CorpusError, match="no such file"):
        read(tmp_path / "nowhere")


def test_work_reports_load_as_they_are(gwr_path):
    docs, problems = read(gwr_path)
    assert len(docs) == 72 and problems == []
    # the 20 resolutions carry no year in the records: it is read from their date line or session number
    assert sum(d.year is None for d in docs) == 0
    assert sum(d.meta["year_source"] != "元数据" for d in docs) == 20
    assert len({d.doc_id for d in docs}) == 72
    report_2025 = next(d for d in docs if d.year == 2025 and d.genre == "工作报告")
    assert report_2025.title.startswith("2025年")


@pytest.mark.parametrize("name", ["2025年中华人民共和国国务院政府工作报告", "../../etc/passwd", "a/b\\c",
                                  "<script>alert(1)</script>", "……", "在机关党员大会上的讲话"])
def test_ids_are_safe_slugs(name):
    slug = make_id(name)
    assert slug and all(c.isascii() and (c.isalnum() or c == "-") for c in slug)
    assert ".." not in slug and "/" not in slug
    assert make_id(name) == slug  # stable


def test_duplicate_titles_get_distinct_ids(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text("".join(json.dumps({"title": "同一标题", "content": f"正文{i}。"}, ensure_ascii=False) + "\n"
                            for i in range(3)), encoding="utf-8")
    docs, _ = read(path)
    assert [d.doc_id for d in docs] == ["tong-yi-biao-ti", "tong-yi-biao-ti-2", "tong-yi-biao-ti-3"]


def test_utf16_without_bom_is_detected(tmp_path):
    (tmp_path / "a.txt").write_bytes(SPEECH.encode("utf-16-le"))
    (doc,), problems = read(tmp_path)
    assert problems == [] and doc.raw == SPEECH


def test_command_line_limit_defaults_are_the_readers():
    from analysis.cli import build_parser
    from analysis.inputs import DEFAULT_MAX_DOCUMENT_CHARS, DEFAULT_MAX_DOCX_BYTES
    args = build_parser().parse_args(["analyze"])
    assert (args.max_document_chars, args.max_docx_bytes) == (DEFAULT_MAX_DOCUMENT_CHARS, DEFAULT_MAX_DOCX_BYTES)
