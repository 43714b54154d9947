"""Turn the official-prose annotations (``annotations/*.yaml``) into ``gold.jsonl`` with character offsets.

An annotation names each branch by its text, so it can be read and reviewed;
this script finds every branch in the document's raw text (as the analysis
reads it: ``analysis.corpus.read_corpus``) and writes the offsets, the form
``../shared/eval/score_parallel.py`` and ``python -m analysis eval`` read.
The raw texts are not copied: ``gold.jsonl`` holds offsets and a digest of
each text, and the evaluation joins the text from the corpus at run time.

    python eval/official-prose/build.py            # write gold.jsonl
    python eval/official-prose/build.py --check    # exit 1 if gold.jsonl is not what the annotations give

Annotation file (one document each)::

    doc: <doc_id as the analysis gives it>
    corpus: gwr | speech        # gwr: SHARED/corpora/gwr/government_work_reports.jsonl; speech: corpus/
    passages:                   # whole paragraphs, every parallel structure in them annotated
      - from: <the passage's first characters, unique in the document>
        to: <the passage's last characters>
        structures:
          - kind: phrase | clause | sentence | enumeration | heading
            branches: [<branch text>, <branch text>, ...]
            after: <optional: text shortly before the first branch, when the branches occur more than once>

Each branch is looked up inside its passage: the first branch at the first
place (after ``after``, if given) where all branches follow one another, each
starting within ``MAX_GAP`` characters of the end of the one before. An
ambiguous or missing branch is an error naming the file, passage and branch.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
KINDS = ("phrase", "clause", "sentence", "enumeration", "heading")
# longest stretch between two branches of one structure, by kind (a heading's branches are sections apart)
MAX_GAP = {"phrase": 12, "clause": 40, "sentence": 300, "enumeration": 3000, "heading": 30000}
PUNCT = set("，。；：、！？…—“”‘’（）《》〈〉「」『』,.;:!?()[]\"' \u3000\n\t·-")


class AnnotationError(ValueError):
    """An annotation that cannot be placed in its text; the message names file, passage and branch."""


@dataclass(frozen=True)
class Corpus:
    """The raw texts of the documents an annotation may name, by doc_id."""

    texts: dict[str, str]

    @classmethod
    def load(cls, shared: Path) -> "Corpus":
        sys.path.insert(0, str(ROOT))
        from analysis.corpus import read_corpus
        texts: dict[str, str] = {}
        for path in (shared / "corpora" / "gwr" / "government_work_reports.jsonl", ROOT / "corpus"):
            problems: list = []
            texts.update({d.doc_id: d.raw for d in read_corpus(path, problems)})
        return cls(texts)


def locate_passage(text: str, spec: dict, where: str, after: int) -> tuple[int, int]:
    """``(start, end)`` of the passage that begins with ``spec['from']`` (first time after ``after``)
    and ends with the next ``spec['to']``."""
    start = text.find(spec["from"], after)
    if start < 0:
        raise AnnotationError(f"{where}: passage start {spec['from']!r} not found")
    end = text.find(spec["to"], start)
    if end < 0:
        raise AnnotationError(f"{where}: passage end {spec['to']!r} not found after its start")
    return start, end + len(spec["to"])


def locate_branches(text: str, lo: int, hi: int, structure: dict, where: str) -> list[list[int]]:
    """Raw offsets of a structure's branches inside ``text[lo:hi]``; raise if missing or ambiguous."""
    branches, kind = structure["branches"], structure["kind"]
    if kind not in KINDS:
        raise AnnotationError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
    if len(branches) < 2:
        raise AnnotationError(f"{where}: a structure needs at least two branches")
    for b in branches:
        if not b or b[0] in PUNCT or b[-1] in PUNCT:
            raise AnnotationError(f"{where}: branch {b!r} is empty or starts or ends with punctuation")
    if structure.get("after"):
        anchor = text.find(structure["after"], lo, hi)
        if anchor < 0:
            raise AnnotationError(f"{where}: 'after' text {structure['after']!r} not found in the passage")
        lo = anchor + len(structure["after"])
    placements = []
    pos = text.find(branches[0], lo, hi)
    while pos >= 0 and len(placements) < 2:
        spans = _follow(text, pos, hi, branches, MAX_GAP[kind])
        if spans:
            placements.append(spans)
        pos = text.find(branches[0], pos + 1, hi)
    if not placements:
        raise AnnotationError(f"{where}: branches {branches!r} not found one after another in the passage")
    if len(placements) > 1 and not structure.get("after"):
        raise AnnotationError(f"{where}: branches {branches[:2]!r}… occur twice in the passage; add 'after:' "
                              f"with a few characters just before the first branch")
    return placements[0]


def _follow(text: str, start: int, hi: int, branches: list[str], gap: int) -> list[list[int]] | None:
    spans = [[start, start + len(branches[0])]]
    for b in branches[1:]:
        prev_end = spans[-1][1]
        pos = text.find(b, prev_end, min(hi, prev_end + gap + len(b)))
        if pos < 0:
            return None
        spans.append([pos, pos + len(b)])
    return spans


def build_record(path: Path, corpus: Corpus) -> dict:
    """The gold record of one annotation file: doc id, text digest, passages and parallelisms."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc = spec["doc"]
    if doc not in corpus.texts:
        raise AnnotationError(f"{path.name}: no document {doc!r} in the corpora")
    text = corpus.texts[doc]
    passages, found, after = [], [], 0
    for n, passage in enumerate(spec["passages"], 1):
        lo, hi = locate_passage(text, passage, f"{path.name} passage {n}", after)
        passages.append([lo, hi])
        after = hi
        for k, structure in enumerate(passage.get("structures") or [], 1):
            where = f"{path.name} passage {n} structure {k}"
            found.append({"kind": structure["kind"], "branches": locate_branches(text, lo, hi, structure, where)})
    found.sort(key=lambda p: (p["branches"][0][0], -p["branches"][-1][1]))
    return {"id": doc, "corpus": spec["corpus"], "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "passages": passages, "parallelisms": found}


def build(shared: Path) -> list[dict]:
    corpus = Corpus.load(shared)
    return [build_record(p, corpus) for p in sorted((HERE / "annotations").glob("*.yaml"))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--check", action="store_true", help="only check that gold.jsonl is up to date")
    parser.add_argument("--out", type=Path, default=HERE / "gold.jsonl", help="where to write (default gold.jsonl)")
    args = parser.parse_args(argv)
    try:
        records = build(args.shared)
    except AnnotationError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    out = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    target = args.out
    if args.check:
        ok = target.exists() and target.read_text(encoding="utf-8") == out
        print(f"{target} is up to date" if ok else f"{target} differs from the annotations: run build.py")
        return 0 if ok else 1
    target.write_text(out, encoding="utf-8")
    n = sum(len(r["parallelisms"]) for r in records)
    print(f"{len(records)} documents, {n} parallel structures -> {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
