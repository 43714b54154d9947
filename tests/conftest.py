"""Shared fixtures: where the shared data lives, and small corpora built on the fly."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TIFA_SHARED", ROOT.parent / "shared"))
GWR = SHARED / "corpora" / "gwr" / "government_work_reports.jsonl"
SAMPLE = ROOT / "corpus" / "jiguan-dangyuan-dahui-jianghua.txt"


@pytest.fixture(scope="session")
def gwr_path() -> Path:
    if not GWR.exists():
        pytest.fail(f"{GWR} is missing: the shared corpora must sit beside the project (../shared)")
    return GWR


def gwr_subset(folder: Path, gwr_path: Path, step: int) -> Path:
    """Every ``step``-th work report, written as a corpus of its own in ``folder``; return its path."""
    lines = gwr_path.read_text(encoding="utf-8").splitlines()[::step]
    path = folder / "reports.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def gwr_docs(gwr_path):
    """The 72 work reports, read and analysed once for the whole test session."""
    from analysis.clean import edge_keys, repeated_edges
    from analysis.corpus import read_corpus
    from analysis.engine import Settings, analyze_document
    problems = []
    docs = list(read_corpus(gwr_path, problems))
    repeated = repeated_edges(edge_keys(d.raw) for d in docs)
    return [analyze_document(d, Settings(repeated=repeated)) for d in docs], problems


@pytest.fixture(scope="session")
def sample_doc():
    """The sample speech from corpus/, analysed."""
    from analysis.corpus import read_corpus
    from analysis.engine import analyze_document
    problems = []
    docs = list(read_corpus(ROOT / "corpus", problems))
    assert not problems, problems
    assert len(docs) == 1
    return analyze_document(docs[0])


# ------------------------------------------------------------------ built sites and the browser (see site_kit.py)

@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> Path:
    """The sample speech analysed and its site built, once per session; the folder holding build/, docs/, site/."""
    from site_kit import build
    tmp = tmp_path_factory.mktemp("sample")
    build(tmp, ROOT / "corpus")
    return tmp


@pytest.fixture(scope="session")
def sample_site(sample_build) -> Path:
    return sample_build / "site"


@pytest.fixture(scope="session")
def gwr_build(tmp_path_factory, gwr_path) -> Path:
    """The 72 work reports analysed and their site built, once per session (folder with build/, docs/, site/)."""
    from site_kit import build
    tmp = tmp_path_factory.mktemp("gwr")
    build(tmp, gwr_path)
    return tmp


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the session."""
    from site_kit import chromium_browser
    with chromium_browser() as b:
        yield b


@pytest.fixture(scope="session")
def served_sample(sample_site):
    from site_kit import serve
    with serve(sample_site) as base:
        yield base


@pytest.fixture(scope="session")
def served_gwr(gwr_build):
    from site_kit import serve
    with serve(gwr_build / "site") as base:
        yield base
