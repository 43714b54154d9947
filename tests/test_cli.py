"""The command line: options, tables written, exit codes, --strict."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from analysis.cli import main
from analysis.errors import EXIT_CODES, EXIT_USAGE, UsageError
from analysis.pipeline import analyze_corpus
from analysis.schema import table
from conftest import ROOT


def test_help_explains_options_and_exit_codes():
    out = subprocess.run([sys.executable, "-m", "analysis", "build", "--help"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    for option in ("--corpus", "--build-dir", "--site-dir", "--strict", "--lexicon"):
        assert option in out
    assert out.rstrip().endswith(EXIT_CODES.rstrip())


def test_analyze_writes_documents_and_skipped_tables(tmp_path):
    code = main(["analyze", "--corpus", str(ROOT / "corpus"), "--build-dir", str(tmp_path), "--quiet"])
    assert code == 0
    docs = pd.read_parquet(tmp_path / "tables" / "documents.parquet")
    assert list(docs.columns) == table("documents").names
    assert docs.loc[0, "title"] == "在机关党员大会上的讲话"
    assert docs.loc[0, "source"].endswith("jiguan-dangyuan-dahui-jianghua.txt")
    assert (tmp_path / "tables" / "documents.csv").exists()
    skipped = pd.read_parquet(tmp_path / "tables" / "skipped.parquet")
    assert list(skipped.columns) == ["input", "reason"] and len(skipped) == 0


@pytest.fixture
def corpus_with_bad_file(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text("某会议讲话\n同志们：\n要抓基层、打基础。\n", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\x00\x01\x02\xff" * 50)
    return folder


def test_a_bad_file_is_reported_and_the_rest_analysed(corpus_with_bad_file, tmp_path, capsys):
    code = main(["analyze", "--corpus", str(corpus_with_bad_file), "--build-dir", str(tmp_path / "b"), "--quiet"])
    assert code == 0
    out = capsys.readouterr().out
    assert "bad.txt" in out and "1 篇文档已分析" in out
    skipped = pd.read_csv(tmp_path / "b" / "tables" / "skipped.csv")
    assert skipped["input"].str.endswith("bad.txt").tolist() == [True]


def test_strict_turns_problems_into_exit_code_1(corpus_with_bad_file, tmp_path):
    code = main(["analyze", "--corpus", str(corpus_with_bad_file), "--build-dir", str(tmp_path / "b"),
                 "--quiet", "--strict"])
    assert code == 1


def test_missing_corpus_exits_2_with_a_message(tmp_path, capsys):
    assert main(["analyze", "--corpus", str(tmp_path / "nope"), "--build-dir", str(tmp_path)]) == 2
    assert "no such file" in capsys.readouterr().err


def test_bad_jobs_exits_2(tmp_path, capsys):
    code = main(["analyze", "--corpus", str(ROOT / "corpus"), "--build-dir", str(tmp_path), "--jobs", "0"])
    assert code == EXIT_USAGE
    assert "--jobs must be 1 or more" in capsys.readouterr().err
    assert not (tmp_path / "tables").exists()


def test_the_analysis_raises_usage_errors_without_the_command_line(tmp_path):
    with pytest.raises(UsageError, match="lexicon file not found"):
        analyze_corpus(ROOT / "corpus", tmp_path, lexicon=str(tmp_path / "missing.yaml"), progress=False)


def test_broken_lexicon_exits_2(tmp_path, capsys):
    lex = tmp_path / "lex.yaml"
    lex.write_text("- note: 没有 canonical\n", encoding="utf-8")
    code = main(["analyze", "--corpus", str(ROOT / "corpus"), "--build-dir", str(tmp_path), "--lexicon", str(lex)])
    assert code == 2
    assert "canonical" in capsys.readouterr().err


def test_same_corpus_gives_identical_tables(tmp_path):
    for name in ("a", "b"):
        assert main(["analyze", "--corpus", str(ROOT / "corpus"), "--build-dir", str(tmp_path / name), "--quiet"]) == 0
    for csv in sorted((tmp_path / "a" / "tables").glob("*.csv")):
        assert csv.read_bytes() == (tmp_path / "b" / "tables" / csv.name).read_bytes(), csv.name
