"""Run the parallel-structure detector on JSONL records and score it on the shared gold sets.

``predict_jsonl`` backs ``python -m analysis parallel``; ``run_eval`` backs
``python -m analysis eval``; ``python -m analysis.evaluate fit|cv`` refits
the detector's model file or cross-validates it (:mod:`analysis.parallel.fit`). Scoring always goes through the shared scorer
``SHARED/eval/score_parallel.py`` (loaded from its path, never copied), so the
figures printed here are the ones anyone else would compute.
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Iterable

from tqdm import tqdm

from analysis.official_prose import (GOLD, fold_of, is_found, load_gold, predict_gold, predict_prepared,
                                     prepare_gold, recall_by_kind, subset)

from analysis.parallel import MODEL_PATH, cross_validate_runs, find_parallelisms, fit_model, save_model

EXIT_OK, EXIT_USAGE = 0, 2
MODES = ("epm", "mpbm", "mbawo", "mwo")


class InputError(ValueError):
    """A record cannot be read; the message names the file and line."""


def read_records(path: Path) -> list[dict]:
    """Read ``{id, text[, paragraphs]}`` records; raise :class:`InputError` naming file and line."""
    records = []
    try:
        handle = open(path, encoding="utf-8")
    except OSError as err:
        raise InputError(f"{path}: cannot open ({err.strerror or err})") from err
    with handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as err:
                raise InputError(f"{path}:{n}: not valid JSON ({err.msg}, column {err.colno})") from err
            if not isinstance(rec, dict):
                raise InputError(f"{path}:{n}: expected a JSON object with 'id' and 'text'")
            if "id" not in rec:
                raise InputError(f"{path}:{n}: record has no 'id'")
            if not isinstance(rec.get("text"), str):
                raise InputError(f"{path}:{n}: record {rec['id']!r} has no 'text' string")
            paras = rec.get("paragraphs")
            if paras is not None:
                ok = isinstance(paras, list) and all(
                    isinstance(p, (list, tuple)) and len(p) == 2 and all(isinstance(x, int) for x in p)
                    and 0 <= p[0] <= p[1] <= len(rec["text"]) for p in paras)
                if not ok:
                    raise InputError(f"{path}:{n}: record {rec['id']!r}: 'paragraphs' must be a list of "
                                     f"[start, end] offsets within the text")
            records.append(rec)
    return records


# Plain word lists (抓基层、打基础) are parallel phrases but not 排比 as the gold sets annotate it.
SCORED_KINDS = ("clause", "sentence", "enumeration", "heading")


def predict_record(rec: dict, *, kinds: tuple[str, ...] = SCORED_KINDS) -> dict:
    """Predictions for one record, in the scorer's format (only parallelisms of ``kinds``)."""
    paras = rec.get("paragraphs")
    found = find_parallelisms(rec["text"], paragraphs=[tuple(p) for p in paras] if paras is not None else None)
    return {"id": rec["id"], "parallelisms": [
        {"branches": [[s, e] for s, e in p.branches], "template": p.template, "kind": p.kind, "level": p.level}
        for p in found if p.kind in kinds]}


def predict_records(records: Iterable[dict], *, desc: str = "parallel", progress: bool = True) -> list[dict]:
    records = list(records)
    return [predict_record(r) for r in tqdm(records, desc=desc, unit="doc", disable=not progress, leave=False)]


def predict_jsonl(inp: Path, out: Path) -> int:
    """Detect parallelisms in every record of ``inp``; write one prediction line per record to ``out``."""
    try:
        records = read_records(Path(inp))
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE
    preds = predict_records(records)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        for p in preds:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    print(f"{len(preds)} record(s), {sum(len(p['parallelisms']) for p in preds)} parallelism(s) -> {out}")
    return EXIT_OK


def load_scorer(shared: Path):
    """Import ``shared/eval/score_parallel.py`` from its path."""
    path = Path(shared) / "eval" / "score_parallel.py"
    if not path.exists():
        raise InputError(f"{path}: scorer not found; pass --shared pointing at the shared folder")
    spec = importlib.util.spec_from_file_location("score_parallel", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _score_files(scorer, gold_paths: list[Path], desc: str) -> tuple[dict, dict, dict]:
    gold: dict = {}
    for path in gold_paths:
        gold.update(scorer.load(str(path)))
    preds = {str(p["id"]): p for p in predict_records(
        [{"id": k, "text": g["text"], "paragraphs": g.get("paragraphs")} for k, g in gold.items()], desc=desc)}
    return scorer.score(gold, preds), gold, preds


def _table(title: str, report: dict, n_docs: int, gold: dict, preds: dict) -> str:
    n_gold = sum(len(g.get("parallelisms", [])) for g in gold.values())
    n_pred = sum(len(p["parallelisms"]) for p in preds.values())
    lines = [f"{title}  ({n_docs} documents, {n_gold} gold / {n_pred} predicted parallelisms)",
             f"  {'metric':7}{'P':>8}{'R':>8}{'F1':>8}"]
    for mode in MODES:
        r = report[mode]
        lines.append(f"  {mode.upper():7}{r['precision']:8.3f}{r['recall']:8.3f}{r['f1']:8.3f}")
    return "\n".join(lines)


def _seed_findings(gold: dict, preds: dict) -> list[str]:
    """Per gold heading/enumeration: found if a prediction overlaps every gold branch."""
    lines = []
    for doc_id, g in gold.items():
        pred = preds.get(doc_id, {}).get("parallelisms", [])
        text = g["text"]
        for gp in g.get("parallelisms", []):
            kind = gp.get("kind", "")
            if kind not in ("heading", "enumeration"):
                continue
            gb = [tuple(b) for b in gp["branches"]]
            found = is_found(gb, [pp["branches"] for pp in pred])
            first = text[gb[0][0]:gb[0][1]]
            label = first[:12] + ("…" if len(first) > 12 else "")
            lines.append(f"  {kind:12}{len(gb)} branches  {'found' if found else 'MISSED':7} ({label})")
    return lines


def run_eval(shared: Path, splits: list[str]) -> int:
    """Score the detector on the PSE-I splits (together), the training split and the seed speech."""
    shared = Path(shared)
    try:
        scorer = load_scorer(shared)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE
    pse = shared / "eval" / "pse-i"
    splits = [s.strip() for s in splits if s.strip()]
    missing = [str(pse / f"{s}.jsonl") for s in splits if not (pse / f"{s}.jsonl").exists()]
    if missing:
        print(f"error: gold split(s) not found: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    seed = shared / "eval" / "seed" / "parallel-gold.jsonl"
    blocks = []
    report, gold, preds = _score_files(scorer, [pse / f"{s}.jsonl" for s in splits], "+".join(splits))
    blocks.append(_table(f"PSE-I {'+'.join(splits)}", report, len(gold), gold, preds))
    if seed.exists():
        report, gold, preds = _score_files(scorer, [seed], "seed")
        blocks.append(_table("Seed speech (official prose)", report, len(gold), gold, preds)
                      + "\n" + "\n".join(_seed_findings(gold, preds)))
    if GOLD.exists():
        blocks.append(_official_prose_block(scorer, shared))
    train = pse / "training.jsonl"
    if train.exists() and "training" not in splits:
        report, gold, preds = _score_files(scorer, [train], "training")
        blocks.append(_table("PSE-I training (tuning split, shown separately)", report, len(gold), gold, preds))
    print("\n\n".join(blocks))
    return EXIT_OK


# the targets on official prose (own gold, cross-validated by document)
PROSE_TARGETS = {"epm": 0.55, "mwo": 0.80}


def _official_prose_block(scorer, shared: Path) -> str:
    """The figures on the project's official-prose gold (all kinds, lists included), with recall by kind,
    per fold, and the targets beside them."""
    records = load_gold()
    data = predict_gold(records, shared)
    title = "Official prose (own gold: work reports 1954-2025 and the sample speech; folds by document)"
    report = scorer.score(data.gold, data.predictions)
    lines = [_table(title, report, len(data.gold), data.gold, data.predictions),
             "  " + "  ".join(f"{m.upper()} F1 {report[m]['f1']:.3f} (target >= {t:.2f})"
                              for m, t in PROSE_TARGETS.items())]
    folds = fold_of(records)
    for k in sorted(set(folds.values())):
        r = scorer.score(*_fold_data(data, folds, k))
        lines.append(f"  fold {k}: EPM F1 {r['epm']['f1']:.3f}  MWO P {r['mwo']['precision']:.3f} "
                     f"R {r['mwo']['recall']:.3f} F1 {r['mwo']['f1']:.3f}")
    lines.append("  recall by kind (a prediction overlaps every branch):")
    lines += [f"    {kind:12}{found:4} / {total:<4} {found / total:.3f}"
              for kind, (found, total) in recall_by_kind(data).items()]
    return "\n".join(lines)


def _fold_data(data, folds: dict[str, int], k: int) -> tuple[dict, dict]:
    part = subset(data, {d for d, f in folds.items() if f == k})
    return part.gold, part.predictions


def cross_validate_prose(shared: Path) -> int:
    """``cv-prose``: for each fold, pick the candidate settings best on the other two folds (mean of EPM and
    MWO F1) and score them on the held-out fold; print every candidate per fold, the picks and their mean."""
    from analysis.parallel.settings import PROSE_CANDIDATES

    scorer = load_scorer(shared)
    records = load_gold()
    folds = fold_of(records)
    docs = prepare_gold(records, shared)
    per = {}            # candidate -> fold -> report
    for name, settings in PROSE_CANDIDATES.items():
        data = predict_prepared(docs, settings)
        per[name] = {k: scorer.score(*_fold_data(data, folds, k)) for k in range(max(folds.values()) + 1)}
        print(f"{name:32}" + "  ".join(f"fold {k}: EPM {r['epm']['f1']:.3f} MWO {r['mwo']['f1']:.3f}"
                                       for k, r in per[name].items()))
    held = []
    for k in sorted(per[next(iter(per))]):
        def train_score(name):
            rs = [r for j, r in per[name].items() if j != k]
            return sum(r["epm"]["f1"] + r["mwo"]["f1"] for r in rs) / (2 * len(rs))
        best = max(per, key=train_score)
        r = per[best][k]
        held.append(r)
        print(f"held-out fold {k}: picked {best!r} on the other folds ({train_score(best):.3f}); "
              f"EPM F1 {r['epm']['f1']:.3f}  MWO P {r['mwo']['precision']:.3f} R {r['mwo']['recall']:.3f} "
              f"F1 {r['mwo']['f1']:.3f}")
    epm = sum(r["epm"]["f1"] for r in held) / len(held)
    mwo = sum(r["mwo"]["f1"] for r in held) / len(held)
    print(f"cross-validated (mean over held-out folds): EPM F1 {epm:.3f} (target >= {PROSE_TARGETS['epm']:.2f})  "
          f"MWO F1 {mwo:.3f} (target >= {PROSE_TARGETS['mwo']:.2f})")
    return EXIT_OK


def _main(argv: list[str]) -> int:
    """``fit TRAINING.jsonl [--out MODEL.json]``: refit the detector's model and write it (default: the
    package's model file); ``fit-register TRAINING.jsonl``: refit only its register scorer (essays against
    the work reports outside the official-prose gold); ``cv TRAINING.jsonl [--no-trees] [--seeds 0,1,2]``: cross-validate the run
    scorer's ``keep`` threshold; ``cv-prose``: cross-validate the official-prose settings by document
    over the fixed folds of the own gold."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m analysis.evaluate")
    parser.add_argument("command", choices=("fit", "fit-register", "cv", "cv-prose"))
    parser.add_argument("training", type=Path, nargs="?")
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="fit: where to write the model")
    parser.add_argument("--no-trees", action="store_true", help="cv: the run scorer's logistic regression alone")
    parser.add_argument("--seeds", default="0", help="cv: fold shuffles to average over, e.g. 0,1,2")
    parser.add_argument("--shared", type=Path, default=Path("../shared"), help="cv: the shared folder (scorer)")
    try:
        args = parser.parse_args(argv)
        seeds = [int(x) for x in args.seeds.split(",")]
        if args.command == "cv-prose":
            return cross_validate_prose(args.shared)
        if args.training is None:
            parser.error("fit and cv need the TRAINING.jsonl file")
        records = read_records(args.training)
    except (SystemExit, ValueError) as err:
        if isinstance(err, InputError):
            print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "fit":
        return _fit(records, args.out)
    if args.command == "fit-register":
        return _fit_register(records, args.shared, args.out)
    reports = cross_validate_runs(records, load_scorer(args.shared), SCORED_KINDS, trees=not args.no_trees,
                                  seeds=seeds)
    for keep in reports[0]:
        print(_cv_line(keep, [r[keep] for r in reports]))
    return EXIT_OK


def _fit(records: list[dict], out: Path) -> int:
    model, pairs = fit_model(records)
    print(f"# {pairs['n']} pairs, {pairs['positives']} positive, mean loss {pairs['log_loss']:.4f}")
    for name, v in zip(model.pair_features, model.pair_weights):
        print(f"#   {name:14}{v:+.2f}")
    for name, v in zip(model.run_features, model.run_weights):
        print(f"#   {name:18}{v:+.2f}")
    save_model(model, out)
    print(f"model ({len(model.trees)} trees) -> {out}")
    return EXIT_OK


def _fit_register(essays: list[dict], shared: Path, out: Path) -> int:
    """Refit the register scorer on the training essays against the work reports the official-prose gold
    does not annotate (the gold's documents stay out of every fit), and write it into the model file."""
    from dataclasses import replace

    from analysis.corpus import read_corpus
    from analysis.official_prose import corpus_paths
    from analysis.parallel.fit import fit_register
    from analysis.parallel.model import model_from_json
    from analysis.parallel.register import REGISTER_FEATURES

    held = {r["id"] for r in load_gold()}
    problems: list = []
    reports = [{"text": d.raw} for d in read_corpus(corpus_paths(shared)["gwr"], problems) if d.doc_id not in held]
    for problem in problems:
        print(f"note: not used: {problem}", file=sys.stderr)
    weights = fit_register(essays, reports)
    for name, v in zip(REGISTER_FEATURES, weights):
        print(f"#   {name:12}{v:+.2f}")
    # the file's own register may no longer match the code: it is the part being replaced
    data = json.loads(Path(out).read_text(encoding="utf-8"))
    data.pop("register", None)
    model = model_from_json(data, str(out))
    save_model(replace(model, register_features=REGISTER_FEATURES, register_weights=weights), out)
    print(f"register fitted on {len(essays)} essays and {len(reports)} work reports -> {out}")
    return EXIT_OK


def _cv_line(keep: float, reports: list[dict]) -> str:
    """One line of the cross-validation table: mean EPM F1 and MWO P/R/F1 over the seeds at ``keep``."""
    epm = [r["epm"]["f1"] for r in reports]
    mwo = [r["mwo"] for r in reports]
    line = (f"keep {keep:.2f}  EPM F1 {sum(epm) / len(epm):.3f}  MWO P "
            f"{sum(m['precision'] for m in mwo) / len(mwo):.3f} R {sum(m['recall'] for m in mwo) / len(mwo):.3f} "
            f"F1 {sum(m['f1'] for m in mwo) / len(mwo):.3f}")
    if len(reports) > 1:
        line += "  (per seed: " + " ".join(f"{m['f1']:.3f}" for m in mwo) + ")"
    return line


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
