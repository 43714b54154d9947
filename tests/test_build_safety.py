"""A build is never left half-written or mixed, two builds never write the same folders at once, and the
CSV downloads are safe to open in a spreadsheet."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import analysis.staging
from analysis import pipeline
from analysis.errors import EXIT_USAGE, EnvironmentFault
from analysis.lock import LOCK_NAME, hold
from analysis.pages import write_pages
from analysis.pipeline import analyze_corpus
from analysis.site import build_site
from analysis.staging import Staging, recover
from analysis.tables import TableWriter, tables_dir, write_table
from analysis.fragments import SUFFIX, page_text
from conftest import ROOT, SAMPLE

FORMULAS = ["=HYPERLINK(\"http://x\",\"点我\")", "+86 10 1234", "-1", "@SUM(A1)", "\tTab", "\rCR", "普通标题",
            "中=文", ""]


def digests(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder``, by relative path (dot-files too: leftovers must show)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(folder: Path) -> list[str]:
    """Staging folders, partial files and lock files left in ``folder`` (the pages' fragment files,
    ``.NAME.fragments.html``, are part of the pages)."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and not p.name.endswith(SUFFIX))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Twenty copies of the sample speech, each a little different (identical texts are skipped): a run
    long enough to be stopped midway."""
    folder = tmp_path_factory.mktemp("corpus")
    text = SAMPLE.read_text(encoding="utf-8")
    for i in range(20):
        (folder / f"speech-{i:02}.txt").write_text(f"{text}\n\n（本文为第{i}份副本。）\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def complete(corpus, tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A complete build of ``corpus`` and the digests of its tables."""
    build = tmp_path_factory.mktemp("complete")
    analyze_corpus(corpus, build, progress=False, use_cache=False)
    return build, digests(tables_dir(build))


# ----------------------------------------------------------------------------- CSV formula injection

def test_csv_cells_that_start_a_formula_get_an_apostrophe_and_parquet_keeps_the_text(tmp_path):
    df = pd.DataFrame({"title": FORMULAS, "n": range(len(FORMULAS))})
    write_table(df, tmp_path / "whole", "t")
    with TableWriter(tmp_path / "streamed", "t", {"title": "str", "n": "int"}, batch=2) as w:
        w.add({"title": FORMULAS, "n": list(range(len(FORMULAS)))})
    safe = ["'" + t if t[:1] in ("=", "+", "-", "@", "\t", "\r") else t for t in FORMULAS]
    for build in ("whole", "streamed"):
        csv = pd.read_csv(tables_dir(tmp_path / build) / "t.csv", encoding="utf-8-sig", keep_default_na=False)
        assert csv["title"].tolist() == safe
        assert csv["n"].tolist() == list(range(len(FORMULAS)))           # numbers stay numbers
        assert pd.read_parquet(tables_dir(tmp_path / build) / "t.parquet")["title"].tolist() == FORMULAS
    assert leftovers(tables_dir(tmp_path / "whole")) == []


def test_downloads_page_says_csv_cells_are_neutralised(complete, tmp_path):
    write_pages(complete[0], tmp_path)
    page = page_text(tmp_path / "downloads.md")
    assert "英文单引号" in page and "公式" in page and "Parquet 版本（保留原文" in page


# ----------------------------------------------------------------------------- interrupted analysis

def test_an_analysis_that_fails_midway_leaves_the_previous_tables(complete, corpus, monkeypatch):
    build, before = complete
    real = pipeline.write_table

    def fail_on_slogans(df, out, name):
        if name == "slogans":          # after the per-document tables and documents were written
            raise RuntimeError("disk gone")
        return real(df, out, name)
    monkeypatch.setattr(pipeline, "write_table", fail_on_slogans)
    with pytest.raises(RuntimeError, match="disk gone"):
        analyze_corpus(corpus, build, progress=False, use_cache=False)
    assert digests(tables_dir(build)) == before
    assert leftovers(build) == []


def test_a_streamed_writer_that_fails_midway_leaves_no_tables(corpus, tmp_path, monkeypatch):
    calls = []

    def fail_on_third(self, table):
        calls.append(1)
        if len(calls) == 3:
            raise OSError("no space left on device")
    monkeypatch.setattr(TableWriter, "add_table", fail_on_third)
    with pytest.raises(OSError):
        analyze_corpus(corpus, tmp_path, progress=False, use_cache=False)
    assert not tables_dir(tmp_path).exists() and leftovers(tmp_path) == []


def _start_analysis(corpus: Path, build: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "analysis", "analyze", "--corpus", str(corpus), "--build-dir",
                             str(build), "--quiet", "--no-cache", *extra], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(condition, proc: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 120
    while not condition():
        assert proc.poll() is None, f"the run ended before {what}: {proc.communicate()}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.005)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_run_killed_midway_leaves_the_previous_tables_and_a_rerun_gives_the_same(complete, corpus, tmp_path,
                                                                                      jobs):
    build, before = complete
    shutil.copytree(build, tmp_path / "build")
    build = tmp_path / "build"
    proc = _start_analysis(corpus, build, "--jobs", jobs)
    _wait_for(lambda: any(build.glob(".tables.partial-*/tables/*.parquet")), proc, "tables were being written")
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    assert digests(tables_dir(build)) == before                      # the complete set of the last run
    rerun = _start_analysis(corpus, build, "--jobs", jobs)
    _, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert "took over the stale lock" in err and f"pid {proc.pid}" in err
    assert digests(tables_dir(build)) == before                      # byte-identical
    assert leftovers(build) == []


def test_a_commit_stopped_after_any_move_is_finished_by_the_next_run(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    old = {"index.md": "old", "documents/a.md": "old a", "documents/gone.md": "old gone", "report.md": "old",
           "method.md": "hand-written"}
    new = {"index.md": "new", "documents/a.md": "new a", "documents/b.md": "new b"}
    real_rename, names = os.rename, ("index.md", "report.md", "documents")
    for stop_at in range(1, 8):
        shutil.rmtree(docs, ignore_errors=True)
        for rel, text in old.items():
            (docs / rel).parent.mkdir(parents=True, exist_ok=True)
            (docs / rel).write_text(text)
        moves = []

        def rename(a, b):
            moves.append(1)
            if len(moves) == stop_at:
                raise KeyboardInterrupt          # as if the process died here
            real_rename(a, b)
        staging = Staging(docs, "generated", names=names)
        for rel, text in new.items():
            (staging.path / rel).parent.mkdir(parents=True, exist_ok=True)
            (staging.path / rel).write_text(text)
        monkeypatch.setattr(analysis.staging.os, "rename", rename)
        try:
            staging.commit()
        except KeyboardInterrupt:
            pass
        monkeypatch.setattr(analysis.staging.os, "rename", real_rename)
        recover(docs, "generated")
        found = {p.relative_to(docs).as_posix(): p.read_text() for p in docs.rglob("*") if p.is_file()}
        # stopped before the commit point (the first rename) the old set stays, after it the new one is whole
        assert found == (old if stop_at == 1 else {**new, "method.md": "hand-written"}), stop_at
        assert leftovers(docs) == []


# ----------------------------------------------------------------------------- concurrent builds

def _lock_naming(folder: Path, pid: int, host: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    path.write_text(json.dumps({"pid": pid, "host": host or socket.gethostname(), "started": "2026-01-01T00:00:00",
                                "command": "python -m analysis build --corpus other"}))
    return path


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)


def test_a_second_build_while_the_lock_is_held_exits_2_naming_the_holder(corpus, tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock = _lock_naming(tmp_path / "build", holder.pid)
        for args in (["build", "--corpus", str(corpus), "--build-dir", str(tmp_path / "build"),
                      "--docs-dir", str(tmp_path / "docs"), "--site-dir", str(tmp_path / "site")],
                     ["site", "--build-dir", str(tmp_path / "build"), "--docs-dir", str(tmp_path / "docs")]):
            if args[0] == "site":
                tables_dir(tmp_path / "build").mkdir()
                (tables_dir(tmp_path / "build") / "documents.parquet").write_bytes(b"")
            done = _run(*args)
            assert done.returncode == EXIT_USAGE
            assert len(done.stderr.strip().splitlines()) == 1, done.stderr
            for part in (f"pid {holder.pid}", socket.gethostname(), "2026-01-01T00:00:00",
                         "python -m analysis build --corpus other", str(lock), "wait", "remove"):
                assert part in done.stderr
        assert not (tmp_path / "docs").exists() and not (tmp_path / "site").exists()
    finally:
        holder.kill()
        holder.wait()


def test_while_another_process_holds_the_lock_an_analysis_is_refused_and_then_runs(complete, corpus, tmp_path):
    build, before = complete
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom analysis.lock import hold\n"
                               f"with hold({str(tmp_path)!r}, command='the other build'):\n"
                               "    print('held', flush=True)\n    sys.stdin.readline()"],
                              cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "held\n"
    args = ("analyze", "--corpus", str(corpus), "--build-dir", str(tmp_path), "--quiet", "--no-cache")
    refused = _run(*args)
    assert refused.returncode == EXIT_USAGE
    assert f"pid {holder.pid}" in refused.stderr and "`the other build`" in refused.stderr
    assert not tables_dir(tmp_path).exists()
    holder.communicate("\n")                       # the other build ends and gives the lock back
    assert not (tmp_path / LOCK_NAME).exists()
    assert _run(*args).returncode == 0
    assert digests(tables_dir(tmp_path)) == before and leftovers(tmp_path) == []


def test_a_stale_lock_is_taken_over_with_a_note(corpus, tmp_path, capsys):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    _lock_naming(tmp_path, gone.pid)
    analyze_corpus(SAMPLE.parent, tmp_path, progress=False, use_cache=False)
    err = capsys.readouterr().err
    assert "took over the stale lock" in err and f"pid {gone.pid}" in err
    assert (tables_dir(tmp_path) / "documents.parquet").exists() and leftovers(tmp_path) == []


def test_a_lock_of_another_host_is_never_taken_for_stale(tmp_path):
    _lock_naming(tmp_path, 1, host="elsewhere.example")
    with pytest.raises(EnvironmentFault, match="elsewhere.example"):
        analyze_corpus(SAMPLE.parent, tmp_path, progress=False, use_cache=False)


def test_a_run_may_take_its_own_lock_again(tmp_path):
    with hold(tmp_path), hold(tmp_path):
        assert (tmp_path / LOCK_NAME).exists()
    assert not (tmp_path / LOCK_NAME).exists()


# ----------------------------------------------------------------------------- pages and site

def test_a_failed_site_build_keeps_the_previous_pages_and_site(complete, tmp_path, monkeypatch):
    import analysis.pages
    docs, site = tmp_path / "docs", tmp_path / "site"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns(".*", *analysis.pages.GENERATED))
    assert build_site(complete[0], docs_dir=docs, site_dir=site, config_file=ROOT / "mkdocs.yml",
                      progress=False) == 0
    pages, built = digests(docs), digests(site)

    def broken(*args):
        raise RuntimeError("template error")
    monkeypatch.setattr(analysis.pages, "write_data_dictionary", broken)   # after most pages were written
    with pytest.raises(RuntimeError):
        build_site(complete[0], docs_dir=docs, site_dir=site, config_file=ROOT / "mkdocs.yml", progress=False)
    monkeypatch.undo()
    (docs / "method.md").rename(tmp_path / "method.md")                  # strict mkdocs now fails
    assert build_site(complete[0], docs_dir=docs, site_dir=site, config_file=ROOT / "mkdocs.yml",
                      progress=False) == 3
    (tmp_path / "method.md").rename(docs / "method.md")
    # the search's list of page titles names the hand-written pages of the last build, which lacked method.md
    rewritten = {"explore-data/titles.js"}
    assert {k: v for k, v in digests(docs).items() if k not in rewritten} == \
           {k: v for k, v in pages.items() if k not in rewritten}
    assert digests(site) == built
    assert leftovers(tmp_path) == [] and leftovers(docs) == []


def test_the_lock_works_without_hard_links(tmp_path, monkeypatch):
    import analysis.lock

    def no_links(*args):
        raise PermissionError("hard links not supported")
    monkeypatch.setattr(analysis.lock.os, "link", no_links)
    with hold(tmp_path):
        assert json.loads((tmp_path / LOCK_NAME).read_text())["pid"] == os.getpid()
    assert leftovers(tmp_path) == []
    _lock_naming(tmp_path, 1, host="elsewhere.example")
    with pytest.raises(EnvironmentFault, match="elsewhere.example"):
        with hold(tmp_path):
            pass


def test_a_failure_while_the_side_process_writes_stops_it_and_leaves_no_tables(corpus, tmp_path, monkeypatch):
    real = pipeline.write_table

    def fail_on_slogans(df, out, name):
        if name == "slogans":
            raise RuntimeError("slogan stage broke")
        return real(df, out, name)
    monkeypatch.setattr(pipeline, "write_table", fail_on_slogans)
    with pytest.raises(RuntimeError, match="slogan stage broke"):
        analyze_corpus(corpus, tmp_path, progress=False, jobs=2, use_cache=False)
    time.sleep(1)                      # a side process left running would write into the staging folder again
    assert not tables_dir(tmp_path).exists() and leftovers(tmp_path) == []
