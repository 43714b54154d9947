"""Engines, cache and segmenters: same tables however the per-document work is run."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from conftest import gwr_subset

from analysis.pipeline import analyze_corpus


TABLES = ("documents", "units", "removed", "parallelisms", "branches", "templates", "slogans", "slogan_hits",
          "slogan_years", "cooccurrence", "keyness")


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory, gwr_path) -> Path:
    """Every seventh work report, as a corpus of its own (11 documents)."""
    return gwr_subset(tmp_path_factory.mktemp("corpus"), gwr_path, 7)


def tables(build: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_csv(build / "tables" / f"{name}.csv") for name in TABLES}


def assert_same(a: Path, b: Path) -> None:
    ta, tb = tables(a), tables(b)
    for name in TABLES:
        pd.testing.assert_frame_equal(ta[name], tb[name], obj=name)


@pytest.fixture(scope="module")
def serial(small_corpus, tmp_path_factory) -> Path:
    build = tmp_path_factory.mktemp("serial")
    analyze_corpus(small_corpus, build, progress=False, use_cache=False)
    return build


def test_processes_give_the_serial_tables(small_corpus, serial, tmp_path):
    analyze_corpus(small_corpus, tmp_path, progress=False, jobs=2, use_cache=False)
    assert_same(serial, tmp_path)


def test_cache_hits_recompute_one_changed_document_and_survive_corruption(small_corpus, serial, tmp_path):
    cache = tmp_path / "cache"
    corpus = tmp_path / "reports.jsonl"
    corpus.write_bytes(small_corpus.read_bytes())
    first = analyze_corpus(corpus, tmp_path / "a", progress=False, cache_dir=cache)
    assert "命中 0" in first.cache
    n = first.documents
    again = analyze_corpus(corpus, tmp_path / "b", progress=False, cache_dir=cache)
    assert f"命中 {n}，" in again.cache
    assert_same(tmp_path / "a", tmp_path / "b")
    # One document changes: only it is analysed again.
    records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
    records[3]["content"] += "\n\n新增的一段话，坚持稳中求进工作总基调。\n"
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    result = analyze_corpus(corpus, tmp_path / "c", progress=False, cache_dir=cache)
    assert f"命中 {n - 1}，重新分析 1" in result.cache
    # A corrupt entry is recomputed, never a crash (a fresh cache: every entry in it is in use).
    cache = tmp_path / "fresh-cache"
    analyze_corpus(corpus, tmp_path / "c", progress=False, cache_dir=cache)
    entries = sorted(cache.rglob("*.pickle"))
    entries[0].write_bytes(b"not a pickle")
    entries[1].write_bytes(entries[1].read_bytes()[:50])
    result = analyze_corpus(corpus, tmp_path / "d", progress=False, cache_dir=cache)
    assert "损坏 2" in result.cache
    assert_same(tmp_path / "c", tmp_path / "d")


def test_dask_cluster_gives_the_local_tables(small_corpus, serial, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", processes=True,
                                  dashboard_address=None) as cluster:
        analyze_corpus(small_corpus, tmp_path, progress=False, engine="dask", scheduler=cluster.scheduler_address,
                       use_cache=False)
    assert_same(serial, tmp_path)


def test_jieba_and_rjieba_give_nearly_the_same_tables(small_corpus, serial, tmp_path):
    """rjieba (the default) and jieba share a dictionary: the tables barely differ."""
    analyze_corpus(small_corpus, tmp_path, progress=False, segmenter="jieba", use_cache=False)
    a, b = tables(serial), tables(tmp_path)
    for name in ("documents", "units", "removed"):   # segmentation plays no part in these
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)
    for name, cols in (("slogans", ["slogan", "count"]), ("parallelisms", ["doc_id", "start", "end"])):
        x = set(map(tuple, a[name][cols].itertuples(index=False)))
        y = set(map(tuple, b[name][cols].itertuples(index=False)))
        assert len(x) > 50 and len(x & y) / len(x | y) > 0.95, name


def test_cache_is_keyed_by_settings(small_corpus, tmp_path):
    cache = tmp_path / "cache"
    analyze_corpus(small_corpus, tmp_path / "a", progress=False, cache_dir=cache)
    other = analyze_corpus(small_corpus, tmp_path / "b", progress=False, cache_dir=cache, lexicon="none")
    assert "命中 0" in other.cache          # a different lexicon is a different key


def test_largest_first_reorders_within_blocks_only():
    from analysis.document import Document
    from analysis.engine import largest_first
    docs = [Document(doc_id=str(i), raw="字" * n) for i, n in enumerate((3, 9, 1, 5, 7, 2))]
    # blocks of four: the longest of the first four go first, then the last two, longest first
    assert largest_first(docs, block=4) == [1, 3, 0, 2, 4, 5]
    assert sorted(largest_first(docs, block=100)) == list(range(6))


def test_a_failure_in_the_side_process_fails_the_run(tmp_path, monkeypatch):
    import analysis.pipeline as pipeline
    corpus = tmp_path / "two.jsonl"
    corpus.write_text("".join(json.dumps({"id": str(i), "title": f"文{i}", "year": 2000 + i,
                                          "content": f"第{i}篇：坚持改革开放，坚持稳中求进，坚持以人为本。\n"}, ensure_ascii=False) + "\n"
                              for i in range(2)), encoding="utf-8")

    def broken(*args):
        raise ValueError("pattern tables broke")
    monkeypatch.setattr(pipeline, "pattern_tables", broken)   # the forked side process inherits it
    with pytest.raises(RuntimeError, match="write_pattern_tables failed"):
        analyze_corpus(corpus, tmp_path / "build", progress=False, jobs=2, use_cache=False)


def test_stage_memo_round_trips_and_a_damaged_one_reads_as_empty(tmp_path):
    from analysis.cache import DocumentCache
    memo = DocumentCache(tmp_path).memo("stage")
    assert memo.load() == {}
    memo.save({"forms": ["甲"], "found": {b"k": [1, 2]}})
    assert memo.load() == {"forms": ["甲"], "found": {b"k": [1, 2]}}
    data = memo.path.read_bytes()
    memo.path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))   # one bit flipped: the digest catches it
    assert memo.load() == {} and memo.corrupt == 1
    memo.path.write_bytes(data[:40])
    assert memo.load() == {} and memo.corrupt == 2


def test_warm_rebuild_writes_the_cold_tables_byte_for_byte(small_corpus, tmp_path):
    """After one document changed, a build from the cache writes exactly the files of a build without it,
    also when the stage memos are damaged (they are then recomputed)."""
    corpus = tmp_path / "reports.jsonl"
    corpus.write_bytes(small_corpus.read_bytes())
    cache = tmp_path / "cache"
    analyze_corpus(corpus, tmp_path / "first", progress=False, cache_dir=cache)
    records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
    records[0]["content"] += "\n\n补充的一段话，继续推进“四个意识”和各项工作。\n"
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    analyze_corpus(corpus, tmp_path / "cold", progress=False, use_cache=False)
    analyze_corpus(corpus, tmp_path / "warm", progress=False, cache_dir=cache)
    for memo in (cache / "stages").glob("*.pickle"):
        memo.write_bytes(memo.read_bytes()[:100])
    damaged = analyze_corpus(corpus, tmp_path / "damaged", progress=False, cache_dir=cache)
    assert "阶段备忘损坏已重算：" in damaged.cache and "slogans" in damaged.cache
    names = sorted(p.name for p in (tmp_path / "cold" / "tables").iterdir())
    assert len(names) > 30
    for build in ("warm", "damaged"):
        assert sorted(p.name for p in (tmp_path / build / "tables").iterdir()) == names
        for name in names:
            a = (tmp_path / "cold" / "tables" / name).read_bytes()
            assert (tmp_path / build / "tables" / name).read_bytes() == a, f"{build}: {name}"


def test_document_edges_from_the_memo_equal_fresh_ones(tmp_path):
    from analysis.cache import DocumentCache
    from analysis.document import Document
    from analysis.pipeline import document_edges
    docs = [Document(doc_id=str(i), raw=f"某某市人民政府\n\n第{i}段正文，推进工作。\n\n（完）\n") for i in range(4)]
    memo = DocumentCache(tmp_path).memo("edges")
    fresh = document_edges(docs)
    assert document_edges(docs, memo) == fresh          # fills the memo
    assert document_edges(docs, memo) == fresh          # read from it
    docs[1] = Document(doc_id="1", raw="改过的文本\n\n（完）\n")
    assert document_edges(docs, memo) == document_edges(docs)
    assert len(memo.load()) == 4                        # only this run's texts are kept
