"""Bad, hostile or misread inputs (issue 16): each is reported with its file, line or record and the reason,
and everything else is still analysed. Every fixture is made here, byte by byte; nothing binary is committed."""
from __future__ import annotations

import csv
import json
import os
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.corpus import Limits, Problem, decode_bytes, read_corpus
from analysis.lexicon import LexiconError, load_lexicon
from analysis.fragments import page_text

GOOD = "关于加强基层党建工作的讲话\n同志们：\n要坚持稳中求进工作总基调，推动高质量发展。\n"


def read(path: Path, limits: Limits = Limits()) -> tuple[list, list[Problem]]:
    problems: list[Problem] = []
    return list(read_corpus(path, problems, limits)), problems


def reasons(problems: list[Problem]) -> str:
    return "\n".join(f"{p.input}: {p.reason}" for p in problems)


def good(n: int) -> dict:
    return {"title": f"第{n}篇讲话", "year": 2000 + n, "content": GOOD.replace("讲话", f"讲话{n}")}


def jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------- one bad record no longer stops the run

def test_lone_surrogate_is_reported_with_its_line_and_the_rest_read(tmp_path):
    path = jsonl(tmp_path / "c.jsonl", [json.dumps(good(1)), '{"content":"a\\ud800"}', json.dumps(good(2))])
    docs, problems = read(path)
    assert [d.title for d in docs] == ["第1篇讲话", "第2篇讲话"]
    assert len(problems) == 1 and problems[0].input.endswith("c.jsonl:2")
    assert "lone surrogate" in problems[0].reason


def test_lone_surrogate_in_a_metadata_field_drops_only_that_field(tmp_path):
    rec = json.dumps(good(1))[:-1] + ', "speaker": "x\\udc00"}'
    (doc,), problems = read(jsonl(tmp_path / "c.jsonl", [rec]))
    assert doc.speaker == "" and "'speaker'" in reasons(problems)


def test_deeply_nested_line_is_reported_not_a_recursion_error(tmp_path):
    path = jsonl(tmp_path / "c.jsonl", ["[" * 100_000 + "]" * 100_000, json.dumps(good(1))])
    docs, problems = read(path)
    assert len(docs) == 1
    assert problems[0].input.endswith(":1") and "nested too deeply" in problems[0].reason


def test_csv_cell_over_the_csv_modules_limit_is_read(tmp_path):
    long_text = "坚持稳中求进工作总基调。" * 12_000   # 144,000 characters, over csv's 131,072
    with open(tmp_path / "c.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["title", "content"])
        w.writerow(["长文", long_text])
        w.writerow(["短文", GOOD])
    docs, problems = read(tmp_path / "c.csv")
    assert problems == [] and [len(d.raw) for d in docs] == [len(long_text), len(GOOD)]


def test_csv_problems_name_the_line_where_the_record_starts(tmp_path):
    (tmp_path / "c.csv").write_text('title,content\n一,"第一段\n第二段\n第三段"\n二,\n三,"' + GOOD + '"\n',
                                    encoding="utf-8")
    docs, problems = read(tmp_path / "c.csv")
    assert len(docs) == 2
    assert [p.input.rsplit(":", 1)[1] for p in problems] == ["5"]   # record 2 starts on line 5


@pytest.mark.parametrize("metadata, expected", [
    ("metadata.yaml", "- a.txt\n- b.txt\n"),
    ("metadata.yaml", "just a string\n"),
    ("metadata.yaml", "a.txt: 2019\n"),
    ("metadata.jsonl", '["a.txt"]\n{"file": "a.txt", "year": 2019}\n'),
])
def test_metadata_of_the_wrong_shape_is_reported(tmp_path, metadata, expected):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / metadata).write_text(expected, encoding="utf-8")
    docs, problems = read(tmp_path)
    assert len(docs) == 1 and problems, "a metadata table of the wrong shape must be reported"
    if metadata == "metadata.jsonl":
        assert docs[0].year == 2019 and problems[0].input.endswith("metadata.jsonl:1")


@pytest.mark.parametrize("year", [-5, "99999", 20201, "-2020", "1e10", 1e10, True, "二〇二〇"])
def test_implausible_year_is_reported_and_left_unknown(tmp_path, year):
    rec = dict(good(1), year=year, title="讲话")
    (doc,), problems = read(jsonl(tmp_path / "c.jsonl", [json.dumps(rec)]))
    assert doc.year is None
    assert len(problems) == 1 and "year" in problems[0].reason and "analysed" in problems[0].reason


@pytest.mark.parametrize("year, expected", [(2019, 2019), ("2019", 2019), ("2019年", 2019), (2019.0, 2019),
                                            ("2019-05-01", 2019)])
def test_plausible_years_still_read(tmp_path, year, expected):
    (doc,), problems = read(jsonl(tmp_path / "c.jsonl", [json.dumps(dict(good(1), year=year))]))
    assert (doc.year, problems) == (expected, [])


def test_year_from_a_compact_date(tmp_path):
    rec = {k: v for k, v in good(1).items() if k != "year"} | {"date": "20190501"}
    (doc,), problems = read(jsonl(tmp_path / "c.jsonl", [json.dumps(rec)]))
    assert (doc.year, problems) == (2019, [])


@pytest.mark.parametrize("kind", ["binary", "folder", "bad yaml", "deep yaml", "not a list", "surrogate"])
def test_broken_lexicon_is_a_one_line_usage_error(tmp_path, capsys, kind):
    lex = tmp_path / "lex.yaml"
    if kind == "binary":
        lex.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe" * 20)
    elif kind == "folder":
        lex.mkdir()
    elif kind == "bad yaml":
        lex.write_text("- canonical: [unclosed\n", encoding="utf-8")
    elif kind == "surrogate":
        lex.write_text('- canonical: "四个\\ud800意识"\n', encoding="utf-8")
    elif kind == "deep yaml":
        lex.write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    else:
        lex.write_text("canonical: 四个意识\n", encoding="utf-8")
    with pytest.raises(LexiconError):
        load_lexicon(lex)
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text(GOOD, encoding="utf-8")
    code = main(["analyze", "--corpus", str(tmp_path / "corpus"), "--build-dir", str(tmp_path / "b"),
                 "--lexicon", str(lex), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: ") and len(err.strip().splitlines()) == 1


# ---------------------------------------------------------------- valid input read in full

@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\x1c"])
def test_jsonl_strings_with_line_separators_are_read_whole(tmp_path, separator):
    first = dict(good(1), content=GOOD.replace("同志们", f"同志{separator}们"))
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(first, ensure_ascii=False) + "\n" + json.dumps(good(2), ensure_ascii=False) + "\n",
                    encoding="utf-8")
    docs, problems = read(path)
    assert problems == [] and docs[0].raw == first["content"]
    assert docs[1].source.endswith("c.jsonl:2")


@pytest.mark.parametrize("name", ["_x.txt", ".x.txt", "..x.txt"])
def test_hidden_names_are_listed_not_silently_skipped(tmp_path, name):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / name).write_text(GOOD + "另一篇", encoding="utf-8")
    docs, problems = read(tmp_path)
    assert len(docs) == 1 and len(problems) == 1
    assert problems[0].input.endswith(name) and "hidden" in problems[0].reason


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_unreadable_folder_is_listed(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "b.txt").write_text(GOOD + "另一篇", encoding="utf-8")
    locked.chmod(0)
    try:
        docs, problems = read(tmp_path)
    finally:
        locked.chmod(0o755)
    assert len(docs) == 1 and "cannot list the folder" in reasons(problems)


def test_file_name_that_is_not_utf8_is_listed(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    try:
        with open(os.path.join(os.fsencode(tmp_path), b"\xff\xfe.txt"), "wb") as f:
            f.write((GOOD + "另一篇").encode("utf-8"))
    except OSError:
        pytest.skip("the file system refuses names that are not UTF-8")
    docs, problems = read(tmp_path)
    assert len(docs) == 1 and "not valid UTF-8" in problems[0].reason
    problems[0].input.encode("utf-8")   # the report can be written


def test_folder_that_cannot_be_listed_is_listed(tmp_path, monkeypatch):
    import analysis.corpus
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text(GOOD + "另一篇", encoding="utf-8")
    real = os.scandir

    def refuse(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)
    monkeypatch.setattr(analysis.corpus.os, "scandir", refuse)   # root, who runs CI, may list every folder
    docs, problems = read(tmp_path)
    assert len(docs) == 1 and problems[0].input.endswith("locked") and "cannot list" in problems[0].reason


def test_unreadable_file_is_listed(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.txt").write_text(GOOD + "另一篇", encoding="utf-8")
    real = Path.read_bytes

    def refuse(self):
        if self.name == "b.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)
    monkeypatch.setattr(Path, "read_bytes", refuse)
    docs, problems = read(tmp_path)
    assert len(docs) == 1 and "permission denied" in reasons(problems)


def test_links_inside_are_read_and_links_outside_or_broken_are_listed(tmp_path):
    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    (corpus / "sub").mkdir(parents=True)
    outside.mkdir()
    (corpus / "sub" / "a.txt").write_text(GOOD, encoding="utf-8")
    (outside / "secret.txt").write_text("机密：不得发布。\n", encoding="utf-8")
    (corpus / "linked").symlink_to(corpus / "sub", target_is_directory=True)     # a second path: listed
    (corpus / "secret.txt").symlink_to(outside / "secret.txt")                  # outside: never read
    (corpus / "etc").symlink_to("/etc", target_is_directory=True)
    (corpus / "broken.txt").symlink_to(corpus / "gone.txt")
    docs, problems = read(corpus)
    assert [Path(d.source).name for d in docs] == ["a.txt"]
    text = reasons(problems)
    assert "机密" not in "".join(d.raw for d in docs)
    for name, why in (("secret.txt", "outside the corpus"), ("etc", "outside the corpus"),
                      ("broken.txt", "broken link"), ("linked", "already read")):
        assert any(p.input.endswith(name) and why in p.reason for p in problems), text


def test_dashes_without_yaml_front_matter_keep_the_text(tmp_path):
    text = "---\n在全市工作会议上的讲话\n---\n同志们：\n要坚持稳中求进工作总基调。\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (doc,), problems = read(tmp_path)
    assert doc.raw == text and problems == []


def test_whitespace_only_file_is_not_said_to_have_front_matter(tmp_path):
    (tmp_path / "a.txt").write_text("\u3000\u3000\n \n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("---\ntitle: 讲话\n---\n\u3000\n", encoding="utf-8")
    _, problems = read(tmp_path)
    assert ["whitespace" in p.reason for p in problems] == [True, False]
    assert "front matter" in problems[1].reason


def test_cr_only_file_keeps_its_title_headings_and_header_removal(tmp_path):
    from analysis.engine import analyze_document
    from conftest import SAMPLE
    lf = SAMPLE.read_text(encoding="utf-8").replace("\r\n", "\n")
    (tmp_path / "mac.txt").write_bytes(lf.replace("\n", "\r").encode("utf-8"))
    (doc,), problems = read(tmp_path)
    assert problems == [] and "\n" not in doc.raw
    mac, unix = analyze_document(doc), analyze_document(type(doc)(doc_id="x", raw=lf))
    assert mac.clean.text == unix.clean.text
    assert [(u.kind, u.start, u.end) for u in mac.units] == [(u.kind, u.start, u.end) for u in unix.units]
    assert [(r.start, r.end) for r in mac.removed] == [(r.start, r.end) for r in unix.removed] != []
    for u in mac.units:   # offsets still index the raw text as read
        assert doc.raw[u.start:u.end] == u.text


# ---------------------------------------------------------------- mojibake is reported, real encodings decode

@pytest.mark.parametrize("data, says", [
    ("今天我们召开会议。".encode("utf-8") + b"\xff" + "坚持稳中求进。".encode("utf-8"), "damaged UTF-8: byte 27"),
    ("Résumé of the café meeting: naïve façade, déjà vu, crème brûlée.\n".encode("latin-1"), "byte 1 (0xE9)"),
    ("こんにちは、今日は良い天気ですね。私は学生です。東京に住んでいます。\n".encode("shift_jis"), "cannot decode"),
])
def test_mojibake_is_reported_with_a_byte_offset(tmp_path, data, says):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(data)
    docs, problems = read(tmp_path)
    assert len(docs) == 1 and len(problems) == 1 and says in problems[0].reason


SPEECH = "在全市工作会议上的讲话\n同志们：\n今天，我们召开全市工作会议。要坚持稳中求进工作总基调，推进𠮷字与镕基的写法统一。\n"
TRADITIONAL = "在全市工作會議上的講話\n同志們：\n今天，我們召開全市工作會議。要堅持穩中求進工作總基調。\n"


@pytest.mark.parametrize("text, encoding", [(SPEECH, "gbk"), (SPEECH, "gb18030"), (SPEECH, "utf-16"),
                                            (SPEECH, "utf-16-le"), (SPEECH, "utf-16-be"),
                                            (TRADITIONAL, "big5"), (SPEECH, "utf-8-sig")])
def test_chinese_encodings_still_decode_exactly(text, encoding):
    if encoding == "gbk":
        text = text.replace("𠮷", "")   # not in GBK
    assert decode_bytes(text.encode(encoding), "x.txt") == text


# ---------------------------------------------------------------- limits

def test_documents_over_the_character_limit_are_reported(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "long.txt").write_text("稳" * 2000, encoding="utf-8")
    (tmp_path / "huge.txt").write_text("稳" * 9000, encoding="utf-8")   # over 4 bytes a character: not even read
    jsonl(tmp_path / "c.jsonl", [json.dumps(dict(good(1), content="进" * 2000))])
    docs, problems = read(tmp_path, Limits(max_document_chars=1000))
    assert len(docs) == 1 and len(problems) == 3
    assert all("--max-document-chars" in p.reason for p in problems)


def docx_bomb(path: Path, expanded: int) -> Path:
    """A .docx whose document.xml expands to ``expanded`` bytes (mostly one repeated comment)."""
    import docx
    d = docx.Document()
    d.add_paragraph("要坚持稳中求进工作总基调。")
    d.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts["word/document.xml"] += b"<!--" + b"x" * expanded + b"-->"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in parts.items():
            z.writestr(name, blob)
    return path


def test_docx_expanding_past_the_limit_is_reported_before_reading(tmp_path, monkeypatch):
    import docx
    docx_bomb(tmp_path / "bomb.docx", 5_000_000)
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    monkeypatch.setattr(docx, "Document", lambda *a, **k: pytest.fail("a .docx over the limit was opened"))
    docs, problems = read(tmp_path, Limits(max_docx_bytes=1_000_000))
    assert len(docs) == 1 and "--max-docx-bytes" in problems[0].reason
    assert os.path.getsize(tmp_path / "bomb.docx") < 100_000


def test_broken_docx_names_what_is_wrong(tmp_path):
    import docx
    d = docx.Document()
    d.add_paragraph("要坚持稳中求进工作总基调。")
    d.save(tmp_path / "whole.docx")
    with zipfile.ZipFile(tmp_path / "whole.docx") as whole, zipfile.ZipFile(tmp_path / "body.docx", "w") as z:
        for info in whole.infolist():
            if info.filename != "word/document.xml":
                z.writestr(info, whole.read(info))
    (tmp_path / "whole.docx").unlink()
    (tmp_path / "notzip.docx").write_bytes(b"PK\x03\x04 not really")
    _, problems = read(tmp_path)
    assert [Path(p.input).name for p in problems] == ["body.docx", "notzip.docx"]
    assert "word/document.xml" in problems[0].reason and "not a zip archive" in problems[1].reason


# ---------------------------------------------------------------- messages

@pytest.mark.parametrize("content, says", [(5, "holds a number, not text"), ({"a": 1}, "holds an object"),
                                           (None, "missing or null"), (" \u3000", "only whitespace")])
def test_records_without_text_say_why(tmp_path, content, says):
    (_, problems) = read(jsonl(tmp_path / "c.jsonl", [json.dumps({"content": content}), json.dumps(good(1))]))
    assert len(problems) == 1 and says in problems[0].reason


# ---------------------------------------------------------------- the whole run

def hostile_corpus(root: Path) -> Path:
    root.mkdir()
    jsonl(root / "records.jsonl", [json.dumps(good(1), ensure_ascii=False), '{"content":"a\\ud800"}',
                                   "[" * 100_000 + "]" * 100_000, json.dumps(dict(good(2), year=-5)),
                                   json.dumps(dict(good(3), content=GOOD + "\u2028续"), ensure_ascii=False),
                                   json.dumps(dict(good(4), year=1998)), "not json"])
    (root / "metadata.yaml").write_text("- a.txt\n", encoding="utf-8")
    (root / "_draft.txt").write_text(GOOD + "草稿", encoding="utf-8")
    (root / "mac.txt").write_bytes(("<script>alert(1)</script>讲话\r" + GOOD.replace("\n", "\r")).encode("gb18030"))
    (root / "latin.txt").write_bytes("Résumé du café, naïve façade.\n".encode("latin-1"))
    (root / "passwd.txt").symlink_to("/etc/passwd")
    return root


def test_hostile_corpus_analyses_the_good_documents_and_builds_the_pages(tmp_path, capsys):
    from analysis.pages import write_pages
    from analysis.tables import read_table
    corpus = hostile_corpus(tmp_path / "corpus")
    build = tmp_path / "build"
    assert main(["analyze", "--corpus", str(corpus), "--build-dir", str(build), "--quiet", "--lexicon", "none"]) == 0
    documents, skipped = read_table(build, "documents"), read_table(build, "skipped")
    assert len(documents) == 5
    assert sorted(documents["year"].dropna().astype(int)) == [1998, 2001, 2003]   # -5 is left unknown
    inputs = " ".join(skipped["input"])
    for where in ("records.jsonl:2", "records.jsonl:3", "records.jsonl:4", "records.jsonl:7", "metadata.yaml",
                  "_draft.txt", "latin.txt", "passwd.txt"):
        assert where in inputs, (where, skipped)
    assert "root:" not in "".join(read_table(build, "texts").astype(str).sum())
    write_pages(build, tmp_path / "docs")   # the step of `build` that crashed on year -5
    pages = "".join(page_text(p) for p in (tmp_path / "docs").rglob("*.md"))
    assert "alert(1)" in pages and "<script>alert(1)" not in pages   # the CR-only file's title, escaped
    capsys.readouterr()
    assert main(["analyze", "--corpus", str(corpus), "--build-dir", str(build), "--quiet", "--lexicon", "none",
                 "--strict"]) == 1


def test_default_periods_ignore_years_no_group_spec_can_name():
    from analysis.keyness import default_groups
    from analysis.names import parse_group
    documents = pd.DataFrame({"year": [-5, 1998, 2003, 2010, 99999]})
    a, b = default_groups(documents)
    assert (parse_group(a.spec), parse_group(b.spec)) == (a, b)
    assert (a.low, b.high) == (1998, 2010)
