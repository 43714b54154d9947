"""Bad input from the machine: damaged cache entries, too many workers, and faults of the disk, the paths
or the cluster, each ending in one line on stderr and exit code 2 (1 stays for --strict)."""
from __future__ import annotations

import errno
import os
import random
import socket
import time
from pathlib import Path

import pandas as pd
import pytest

import analysis.engine as engine
import analysis.errors as errors
import analysis.pipeline as pipeline
from analysis.cache import DocumentCache
from analysis.cli import main
from analysis.errors import EXIT_USAGE, EnvironmentFault
from conftest import gwr_subset

TABLES = ("documents", "units", "removed", "parallelisms", "branches", "templates", "slogans", "slogan_hits")


@pytest.fixture(scope="module")
def three_reports(tmp_path_factory, gwr_path) -> Path:
    """Three of the work reports (every 24th), as a corpus of their own."""
    return gwr_subset(tmp_path_factory.mktemp("corpus"), gwr_path, 24)


@pytest.fixture(scope="module")
def uncached(three_reports, tmp_path_factory) -> Path:
    build = tmp_path_factory.mktemp("uncached")
    pipeline.analyze_corpus(three_reports, build, progress=False, use_cache=False)
    return build


def same_tables(a: Path, b: Path) -> None:
    for name in TABLES:
        for ext in ("csv", "parquet"):
            assert (a / "tables" / f"{name}.{ext}").read_bytes() == (b / "tables" / f"{name}.{ext}").read_bytes(), name


def flip(path: Path, bit: int) -> None:
    data = bytearray(path.read_bytes())
    data[bit // 8] ^= 1 << (bit % 8)
    path.write_bytes(bytes(data))


# --- cache integrity ------------------------------------------------------------------------------------

def test_every_single_bit_flip_in_a_cache_entry_is_detected(three_reports, tmp_path):
    cache_dir = tmp_path / "cache"
    pipeline.analyze_corpus(three_reports, tmp_path / "b", progress=False, cache_dir=cache_dir)
    entry = sorted((p for p in cache_dir.rglob("*.pickle") if p.parent.name != "stages"))[0]
    sound = entry.read_bytes()
    rng = random.Random(16)
    bits = rng.sample(range(len(sound) * 8), 400) + [0, 255, 256, len(sound) * 8 - 1]  # digest, body, edges
    for bit in bits:
        entry.write_bytes(sound)
        flip(entry, bit)
        cache = DocumentCache(cache_dir)
        assert cache.get(entry.stem, "doc") is None, f"bit {bit} went unnoticed"
        assert (cache.corrupt, cache.damaged) == (1, ["doc"]) and not entry.exists()
    entry.write_bytes(sound)
    assert DocumentCache(cache_dir).get(entry.stem) is not None


def test_an_entry_under_another_documents_name_is_not_loaded(three_reports, tmp_path):
    cache_dir = tmp_path / "cache"
    pipeline.analyze_corpus(three_reports, tmp_path / "b", progress=False, cache_dir=cache_dir)
    a, b = sorted(p for p in cache_dir.rglob("*.pickle") if p.parent.name != "stages")[:2]
    b.write_bytes(a.read_bytes())   # sound bytes, wrong key: a copy or a rename gone astray
    assert DocumentCache(cache_dir).get(b.stem) is None


def test_damaged_entries_are_recomputed_named_and_the_tables_equal_an_uncached_run(three_reports, uncached,
                                                                                 tmp_path):
    cache_dir = tmp_path / "cache"
    pipeline.analyze_corpus(three_reports, tmp_path / "first", progress=False, cache_dir=cache_dir)
    entries = sorted(p for p in cache_dir.rglob("*.pickle") if p.parent.name != "stages")
    rng = random.Random(1616)
    for entry in entries[:2]:
        flip(entry, rng.randrange(entry.stat().st_size * 8))
    entries[2].write_bytes(entries[2].read_bytes()[:-7])          # truncated too
    result = pipeline.analyze_corpus(three_reports, tmp_path / "again", progress=False, cache_dir=cache_dir)
    assert "损坏 3" in result.cache and "损坏的缓存条目已重算：" in result.cache
    for doc_id in pd.read_parquet(uncached / "tables" / "documents.parquet")["doc_id"]:
        assert doc_id in result.cache   # every damaged entry is named by its document
    same_tables(uncached, tmp_path / "again")
    warm = pipeline.analyze_corpus(three_reports, tmp_path / "warm", progress=False, cache_dir=cache_dir)
    assert "命中 3，" in warm.cache and "损坏 0" in warm.cache
    same_tables(uncached, tmp_path / "warm")


# --- bounded workers ------------------------------------------------------------------------------------

def test_jobs_are_capped_at_documents_and_cpus(monkeypatch):
    notes = []
    monkeypatch.setattr(engine.os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    assert engine.available_cpus() == 3
    assert engine.worker_count(16, 1, note=notes.append) == 1
    assert engine.worker_count(16, 100, note=notes.append) == 3
    assert engine.worker_count(2, 100, note=notes.append) == 2       # within both bounds: no note
    assert engine.worker_count(4, 0, note=notes.append) == 1
    assert notes == ["note: --jobs 16 lowered to 1 (1 document, 3 CPUs available)",
                     "note: --jobs 16 lowered to 3 (100 documents, 3 CPUs available)",
                     "note: --jobs 4 lowered to 1 (0 documents, 3 CPUs available)"]


class CountingPool(engine.ProcessPoolExecutor):
    """The engine's process pool, counting the workers asked for."""
    started: list[int] = []

    def __init__(self, max_workers=None, **kw):
        CountingPool.started.append(max_workers)
        super().__init__(max_workers=max_workers, **kw)


def test_jobs_16_on_one_document_starts_no_pool_and_says_so(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(engine, "ProcessPoolExecutor", CountingPool)
    CountingPool.started = []
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "one.txt").write_text("某会议讲话\n\n要抓基层、打基础，要强队伍、促发展。\n", encoding="utf-8")
    code = main(["analyze", "--corpus", str(corpus), "--build-dir", str(tmp_path / "b"), "--quiet", "--jobs", "16"])
    assert code == 0 and CountingPool.started == []
    assert capsys.readouterr().err.splitlines()[0].startswith("note: --jobs 16 lowered to 1 (1 document,")


def test_jobs_beyond_the_cpus_start_as_many_workers_as_cpus(three_reports, uncached, tmp_path, capsys,
                                                               monkeypatch):
    monkeypatch.setattr(engine, "ProcessPoolExecutor", CountingPool)
    monkeypatch.setattr(engine, "available_cpus", lambda: 2)
    CountingPool.started = []
    code = main(["analyze", "--corpus", str(three_reports), "--build-dir", str(tmp_path), "--quiet",
                 "--jobs", "64", "--no-cache"])
    assert code == 0 and CountingPool.started == [2]
    assert "note: --jobs 64 lowered to 2 (3 documents, 2 CPUs available)" in capsys.readouterr().err
    same_tables(uncached, tmp_path)


# --- faults of the machine: one line, exit 2 ----------------------------------------------------------------

def one_line_exit_2(argv: list[str], capsys, *named) -> str:
    """Run the command; assert it exits 2 with exactly one line on stderr, naming each of ``named``."""
    code = main(argv)
    err = capsys.readouterr().err.splitlines()
    assert code == EXIT_USAGE, err
    assert len(err) == 1 and err[0].startswith("error: "), err
    for name in named:
        assert str(name) in err[0], err[0]
    return err[0]


@pytest.fixture
def tiny(tmp_path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("某会议讲话\n\n要抓基层、打基础，要强队伍、促发展。\n", encoding="utf-8")
    (corpus / "b.txt").write_text("另一篇讲话\n\n坚持稳中求进，坚持改革开放，坚持以人为本。\n", encoding="utf-8")
    return corpus


def analyze(corpus: Path, build: Path, *extra: str) -> list[str]:
    return ["analyze", "--corpus", str(corpus), "--build-dir", str(build), "--quiet", *extra]


def test_a_build_path_that_is_a_file(tiny, tmp_path, capsys):
    build = tmp_path / "build"
    build.write_text("not a folder")
    one_line_exit_2(analyze(tiny, build), capsys, build, "--build-dir", "is a file")
    one_line_exit_2(analyze(tiny, build / "below"), capsys, build / "below", "is a file")


def test_a_cache_path_that_is_a_file(tiny, tmp_path, capsys):
    cache = tmp_path / "cache"
    cache.write_text("not a folder")
    one_line_exit_2(analyze(tiny, tmp_path / "b", "--cache-dir", str(cache)), capsys, cache, "--cache-dir")
    assert not (tmp_path / "b" / "tables").exists()    # refused before any work


def test_a_site_path_that_is_a_file(tmp_path, capsys):
    site = tmp_path / "site"
    site.write_text("")
    one_line_exit_2(["site", "--build-dir", str(tmp_path), "--site-dir", str(site), "--docs-dir",
                     str(tmp_path / "docs"), "--quiet"], capsys, site, "--site-dir")


def test_a_read_only_build_folder_is_named_before_the_work(tiny, tmp_path, capsys, monkeypatch):
    """As root (CI) chmod stops nothing, so the system's answer is simulated: access(2) says no, as it
    does on a read-only file system even for root."""
    build = tmp_path / "ro"
    build.mkdir()
    real = os.access
    monkeypatch.setattr(errors.os, "access", lambda p, mode: False if Path(p) == build else real(p, mode))
    one_line_exit_2(analyze(tiny, build), capsys, build, "cannot write")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in a read-only folder")
def test_a_chmod_read_only_build_folder(tiny, tmp_path, capsys):
    build = tmp_path / "ro"
    build.mkdir()
    build.chmod(0o555)
    try:
        one_line_exit_2(analyze(tiny, build), capsys, build)
    finally:
        build.chmod(0o755)


def test_a_write_refused_during_the_run(tiny, tmp_path, capsys, monkeypatch):
    def refused(df, build_dir, name):
        path = Path(build_dir) / "tables" / f"{name}.parquet"
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
    monkeypatch.setattr(pipeline, "write_table", refused)
    # the tables are staged in a folder inside the build folder until all are written
    line = one_line_exit_2(analyze(tiny, tmp_path / "b"), capsys, tmp_path / "b", "documents.parquet", "EROFS")
    assert "read-only" in line


class FullDisk:
    """``os`` as the cache sees it, on a disk where every write fails with ENOSPC (as the kernel says it)."""

    class File:
        def __init__(self, fd, mode="wb"):
            self.fd = fd

        def write(self, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            os.close(self.fd)

    fdopen = File

    def __getattr__(self, name):
        return getattr(os, name)


def test_a_full_disk_under_the_cache(tiny, tmp_path, capsys, monkeypatch):
    import analysis.cache as cache
    monkeypatch.setattr(cache, "os", FullDisk())
    line = one_line_exit_2(analyze(tiny, tmp_path / "b"), capsys, tmp_path / "b" / "cache", "ENOSPC")
    assert "disk is full" in line
    assert not list((tmp_path / "b" / "cache").rglob("*.tmp"))    # no half-written entry left behind


def test_a_full_disk_under_the_tables(tiny, tmp_path, capsys, monkeypatch):
    """pyarrow's write errors name no file (its own words, below): the line names the build folder."""
    def full(df, build_dir, name):
        raise OSError(errno.ENOSPC, "Error writing bytes to file. Detail: [errno 28] No space left on device")
    monkeypatch.setattr(pipeline, "write_table", full)
    one_line_exit_2(analyze(tiny, tmp_path / "b", "--no-cache"), capsys, tmp_path / "b", "ENOSPC")


def test_a_full_disk_while_the_side_process_writes_the_pattern_tables(tiny, tmp_path, capsys, monkeypatch):
    """With --jobs 2 a forked process writes the pattern tables: its OSError reaches the command line too."""
    def full(analyzed, documents, out_dir):
        raise OSError(errno.ENOSPC, "No space left on device", str(out_dir / "parallelisms.parquet"))
    monkeypatch.setattr(pipeline, "write_pattern_tables", full)
    monkeypatch.setattr(pipeline, "worker_count", lambda jobs, docs: 2)   # fork even on a one-CPU machine
    line = one_line_exit_2(analyze(tiny, tmp_path / "b", "--no-cache", "--jobs", "2"), capsys, "ENOSPC")
    assert "parallelisms.parquet" in line


def test_a_malformed_scheduler_is_refused_at_once(tiny, tmp_path, capsys):
    for address in ("tcp:/127.0.0.1:8786", "127.0.0.1", "http://127.0.0.1:8786", "tcp://127.0.0.1:70000"):
        started = time.monotonic()
        one_line_exit_2(analyze(tiny, tmp_path / "b", "--engine", "dask", "--scheduler", address), capsys,
                        repr(address), "tcp://HOST:PORT")
        assert time.monotonic() - started < 1


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_scheduler_is_given_up_within_the_timeout(tiny, tmp_path, capsys):
    address = f"tcp://127.0.0.1:{closed_port()}"
    started = time.monotonic()
    one_line_exit_2(analyze(tiny, tmp_path / "b", "--engine", "dask", "--scheduler", address,
                            "--scheduler-timeout", "1"), capsys, address, "within 1 s", "dask scheduler")
    assert time.monotonic() - started < 4


def test_a_silent_service_is_not_taken_for_a_scheduler(tiny, tmp_path, capsys):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        address = "tcp://127.0.0.1:%d" % silent.getsockname()[1]
        started = time.monotonic()
        one_line_exit_2(analyze(tiny, tmp_path / "b", "--engine", "dask", "--scheduler", address,
                                "--scheduler-timeout", "1"), capsys, address, "no answer")
        assert time.monotonic() - started < 4


def test_an_environment_fault_raised_by_the_analysis(tiny, tmp_path, capsys, monkeypatch):
    def locked(*args, **kw):
        raise EnvironmentFault(f"another build is using {tmp_path / 'b'}\n(pid 123)")
    monkeypatch.setattr(pipeline, "analyze_corpus", locked)
    one_line_exit_2(analyze(tiny, tmp_path / "b"), capsys, tmp_path / "b", "(pid 123)")


def die(*args):
    os._exit(9)   # as the out-of-memory killer would leave a worker


def test_a_killed_worker_process(tiny, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(engine, "analyze_document", die)       # the forked workers inherit it
    monkeypatch.setattr(engine, "available_cpus", lambda: 2)
    one_line_exit_2(analyze(tiny, tmp_path / "b", "--jobs", "2", "--no-cache"), capsys, "--jobs")


# --- a real Dask cluster ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", processes=True,
                                  dashboard_address=None) as cluster:
        yield cluster


def test_a_real_scheduler_passes_the_check(three_reports, uncached, cluster, tmp_path, capsys):
    code = main(analyze(three_reports, tmp_path, "--engine", "dask", "--scheduler", cluster.scheduler_address,
                        "--no-cache"))
    assert code == 0 and "Traceback" not in capsys.readouterr().err
    same_tables(uncached, tmp_path)


def test_a_dask_worker_killed_mid_run_is_replaced(three_reports, uncached, cluster, tmp_path):
    """The nanny restarts a worker killed while it analyses a document, and the document runs again."""
    import signal
    import threading

    def kill_a_busy_worker():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            busy = [ws.address for ws in cluster.scheduler.workers.values() if ws.processing]
            if busy:
                nanny = next(n for n in cluster.workers.values() if n.worker_address == busy[0])
                os.kill(nanny.process.process.pid, signal.SIGKILL)
                killed.append(busy[0])
                return
            time.sleep(0.02)
    killed: list[str] = []
    killer = threading.Thread(target=kill_a_busy_worker)
    killer.start()
    pipeline.analyze_corpus(three_reports, tmp_path, progress=False, engine="dask",
                            scheduler=cluster.scheduler_address, use_cache=False)
    killer.join()
    assert killed
    same_tables(uncached, tmp_path)
