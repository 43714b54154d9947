"""Fingerprint of everything the analysis produces, to show that a refactoring changed no output.

Runs the analysis of the work reports and of the sample speech (no cache),
writes the generated pages of both, runs the parallel-structure detector on
every PSE-I split and the seed gold, and prints one SHA-256 per file::

    python benchmarks/fingerprint.py > before.txt     # on the old code
    python benchmarks/fingerprint.py > after.txt      # on the new code
    diff before.txt after.txt                          # empty: byte-identical

``--only tables|pages|predictions`` limits what is fingerprinted (pages need
the tables). Reads the shared data from ``../shared`` (``--shared`` to change).
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = {"gwr": "corpora/gwr/government_work_reports.jsonl"}
PREDICTION_INPUTS = ("eval/pse-i/training.jsonl", "eval/pse-i/validation.jsonl",
                     "eval/pse-i/optimization.jsonl", "eval/seed/parallel-gold.jsonl")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def print_tree(label: str, folder: Path, pattern: str = "*") -> None:
    """One line per file under ``folder``: label, relative path, SHA-256."""
    for path in sorted(p for p in folder.rglob(pattern) if p.is_file()):
        print(f"{label}\t{path.relative_to(folder).as_posix()}\t{digest(path)}")


def fingerprint(shared: Path, work: Path, only: set[str]) -> None:
    from analysis.evaluate import predict_jsonl
    from analysis.pages import write_pages
    from analysis.pipeline import analyze_corpus

    corpora = {"speech": ROOT / "corpus", **{k: shared / v for k, v in CORPORA.items()}}
    for name, corpus in corpora.items():
        build = work / name / "build"
        if only & {"tables", "pages"}:
            analyze_corpus(corpus, build, progress=False, use_cache=False)
        if "tables" in only:
            print_tree(f"{name}/tables", build / "tables")
        if "pages" in only:
            docs = work / name / "docs"
            write_pages(build, docs)
            print_tree(f"{name}/pages", docs)
    if "predictions" in only:
        for rel in PREDICTION_INPUTS:
            out = work / "predictions" / Path(rel).name
            out.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.redirect_stdout(sys.stderr):   # its summary names the temporary folder
                predict_jsonl(shared / rel, out)
            print(f"predictions\t{rel}\t{digest(out)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--only", choices=("tables", "pages", "predictions"), action="append")
    parser.add_argument("--keep", type=Path, help="write the outputs here instead of a temporary folder")
    args = parser.parse_args(argv)
    only = set(args.only or ("tables", "pages", "predictions"))
    sys.path.insert(0, str(ROOT))
    if args.keep:
        fingerprint(args.shared, args.keep, only)
    else:
        with tempfile.TemporaryDirectory() as work:
            fingerprint(args.shared, Path(work), only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
