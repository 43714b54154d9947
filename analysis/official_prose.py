"""Scoring the parallel-structure detector on the project's own official-prose gold.

The gold (``eval/official-prose/gold.jsonl``, built from the annotations
beside it) holds offsets into the raw texts of the work reports and the
sample speech, not the texts themselves: they are read from the corpora here,
checked against the digest the gold was made from, and analysed the way a
build analyses them (project lexicon, repeated edge paragraphs of the whole
corpus), so the figures describe what the site shows.

Only whole passages were annotated, so a prediction counts only where all
its branches lie inside one annotated passage.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "eval" / "official-prose" / "gold.jsonl"


class GoldError(ValueError):
    """The gold cannot be matched with the corpora; the message names the document and what to do."""


@dataclass(frozen=True)
class ProseGold:
    """The gold and the detector's predictions, keyed by document id, in the shared scorer's form."""

    gold: dict[str, dict]
    predictions: dict[str, dict]


def corpus_paths(shared: Path) -> dict[str, Path]:
    """Where each ``corpus`` named by a gold record is read from."""
    return {"gwr": Path(shared) / "corpora" / "gwr" / "government_work_reports.jsonl", "speech": ROOT / "corpus"}


def load_gold(path: Path = GOLD) -> list[dict]:
    """The gold records (one per document): id, corpus, text digest, passages, parallelisms."""
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


FOLDS = 3


def fold_of(records: list[dict]) -> dict[str, int]:
    """The fixed fold (0, 1, 2) of every gold document: ids sorted, dealt round robin.

    Everything chosen by score on the official-prose gold is chosen on two folds and scored on the third.
    """
    return {doc_id: n % FOLDS for n, doc_id in enumerate(sorted(r["id"] for r in records))}


@dataclass
class GoldDocument:
    """One gold document analysed up to the detector: its cleaned text and paragraphs, ready to detect."""

    record: dict
    raw: str
    clean: object             # analysis.clean.CleanText: the detector's text, with the map back to raw offsets
    paragraphs: list
    words: object             # the segmenter, remembering the words of every paragraph


def prepare_gold(records: list[dict], shared: Path, *, progress: bool = True) -> list[GoldDocument]:
    """Read, check and clean the documents the gold names, the way a build does.

    Raises :class:`GoldError` if a document is missing or its text is not the one annotated.
    """
    from tqdm import tqdm

    from analysis.clean import clean_text, edge_keys, repeated_edges
    from analysis.corpus import read_corpus
    from analysis.engine import SegmentedParagraphs
    from analysis.lexicon import DEFAULT_LEXICON, lexicon_terms, load_lexicon
    from analysis.segment import get_segmenter

    segmenter = get_segmenter(tuple(lexicon_terms(load_lexicon(DEFAULT_LEXICON))))
    out = []
    for corpus, path in corpus_paths(shared).items():
        wanted = {r["id"]: r for r in records if r["corpus"] == corpus}
        if not wanted:
            continue
        docs = list(read_corpus(path, []))
        repeated = repeated_edges(edge_keys(d.raw) for d in docs)
        by_id = {d.doc_id: d for d in docs}
        for doc_id, record in tqdm(wanted.items(), desc=f"official prose ({corpus})", disable=not progress,
                                   leave=False):
            text = _checked_text(by_id, record, path)
            clean, _, paragraphs = clean_text(text, repeated)
            out.append(GoldDocument(record, text, clean, paragraphs, SegmentedParagraphs(segmenter)))
    return out


def predict_prepared(docs: list[GoldDocument], settings=None) -> ProseGold:
    """Gold and the detector's predictions (with ``settings``, default: the detector's) on prepared documents."""
    from analysis.parallel import find_parallelisms

    gold, predictions = {}, {}
    for d in docs:
        found = find_parallelisms(d.clean.text, paragraphs=d.paragraphs, segmenter=d.words, settings=settings)
        doc_id = d.record["id"]
        gold[doc_id] = {"text": d.raw, "parallelisms": d.record["parallelisms"]}
        branches = [[list(d.clean.to_raw(s, e)) for s, e in p.branches] for p in found]
        predictions[doc_id] = {"parallelisms": [{"branches": b, "kind": p.kind} for p, b in zip(found, branches)
                                                if _inside_one(b, d.record["passages"])]}
    return ProseGold(gold, predictions)


def predict_gold(records: list[dict], shared: Path, *, progress: bool = True) -> ProseGold:
    """Analyse the documents the gold names and return gold and predictions for the scorer.

    Raises :class:`GoldError` if a document is missing or its text is not the one annotated.
    """
    return predict_prepared(prepare_gold(records, shared, progress=progress))


def subset(data: ProseGold, ids: set[str]) -> ProseGold:
    """The gold and predictions of the documents ``ids`` only (one fold, or two)."""
    return ProseGold({k: v for k, v in data.gold.items() if k in ids},
                     {k: v for k, v in data.predictions.items() if k in ids})


def _checked_text(by_id: dict, record: dict, path: Path) -> str:
    doc = by_id.get(record["id"])
    if doc is None:
        raise GoldError(f"{path}: no document {record['id']!r}, which the official-prose gold annotates")
    if hashlib.sha256(doc.raw.encode("utf-8")).hexdigest() != record["text_sha256"]:
        raise GoldError(f"{record['id']}: its text in {path} is not the one annotated; rebuild the gold with "
                        f"eval/official-prose/build.py after checking the annotations")
    return doc.raw


def _inside_one(branches, passages) -> bool:
    return any(all(lo <= s and e <= hi for s, e in branches) for lo, hi in passages)


def recall_by_kind(data: ProseGold) -> dict[str, tuple[int, int]]:
    """``{kind: (found, gold)}``: a gold structure is found if one prediction overlaps every branch."""
    out: dict[str, list[int]] = {}
    for doc_id, g in data.gold.items():
        preds = [p["branches"] for p in data.predictions[doc_id]["parallelisms"]]
        for structure in g["parallelisms"]:
            counts = out.setdefault(structure["kind"], [0, 0])
            counts[1] += 1
            counts[0] += is_found(structure["branches"], preds)
    return {kind: (found, total) for kind, (found, total) in sorted(out.items())}


def is_found(branches, predicted) -> bool:
    """Whether one of the ``predicted`` parallelisms (lists of branches) overlaps every one of ``branches``."""
    return any(all(any(s < pe and ps < e for ps, pe in p) for s, e in branches) for p in predicted)
