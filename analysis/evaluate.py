"""Run the parallel-structure detector on JSONL records and score it on the shared gold sets.

``predict_jsonl`` backs ``python -m analysis parallel``; ``run_eval`` backs
``python -m analysis eval``. Scoring always goes through the shared scorer
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

from analysis.parallel import TREE_DEPTH, find_parallelisms

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


def _overlaps(a: list, b: list) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


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
            found = any(all(_overlaps([b], pp["branches"]) for b in gb) for pp in pred)
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
    train = pse / "training.jsonl"
    if train.exists() and "training" not in splits:
        report, gold, preds = _score_files(scorer, [train], "training")
        blocks.append(_table("PSE-I training (tuning split, shown separately)", report, len(gold), gold, preds))
    print("\n\n".join(blocks))
    return EXIT_OK


# --------------------------------------------------------------------------- fitting the pair scorer

def _match(unit: tuple[int, int], branch: tuple[int, int]) -> bool:
    """A unit stands for a gold branch when each covers at least half of the other."""
    ov = min(unit[1], branch[1]) - max(unit[0], branch[0])
    return ov > 0 and ov >= 0.5 * (unit[1] - unit[0]) and ov >= 0.5 * (branch[1] - branch[0])


def pair_examples(records: Iterable[dict], params=None) -> tuple[list[list[float]], list[int]]:
    """Feature rows and labels for every pair of adjacent units the detector compares.

    The units are the ones :func:`analysis.parallel.find_parallelisms` compares:
    clauses, segments, compound units of two and three clauses, and items of
    、 lists. A pair is positive when its two units stand for consecutive
    branches (i, i+1) of one gold parallelism (see :func:`_match`).
    """
    from analysis import parallel as P
    from analysis.segment import get_segmenter

    seg = get_segmenter()
    p = params or P.PARAMS
    X: list[list[float]] = []
    y: list[int] = []
    for rec in records:
        text = rec["text"]
        gold = [[tuple(b) for b in g["branches"]] for g in rec.get("parallelisms", [])]
        paras = [tuple(x) for x in rec["paragraphs"]] if rec.get("paragraphs") else P._paragraph_spans(text)

        def label(a, b) -> int:
            for branches in gold:
                for i in range(len(branches) - 1):
                    if _match(a, branches[i]) and _match(b, branches[i + 1]):
                        return 1
            return 0

        for ps, pe in paras:
            pieces = P._pieces(text, ps, pe)
            if len(pieces) < 2:
                continue
            toks = P._Tokens(seg, text, ps, pe)
            seqs = [(lvl, units) for _, lvl, units in P._unit_sequences(pieces, p.compound)]
            seqs.append((0, [(x.start, x.end, x.strength) for x in pieces]))
            for lvl, units in seqs:
                for k, (a, b) in enumerate(zip(units, units[1:])):
                    if a[2] < 0 or b[2] < 0 or (lvl == 0 and a[2] != 0):
                        continue
                    around = P._around(units, k) if lvl else []
                    f = P._features(text, a[:2], b[:2], a[2], lvl, toks, p, b[2], around)
                    if f is None:
                        continue
                    X.append(f)
                    y.append(label(a[:2], b[:2]))
    return X, y


def fit_pair_weights(training_path, *, l2: float = 1.0, params=None) -> dict:
    """Fit the logistic-regression weights of the pair scorer on a gold JSONL split.

    This is how ``Params.weights`` were obtained: ``python -m analysis.evaluate
    fit ../shared/eval/pse-i/training.jsonl`` builds every adjacent-unit pair
    the detector compares on the training essays (:func:`pair_examples`),
    labels it by the gold branches, and minimises the L2-regularised log loss
    (the bias is not penalised) with L-BFGS. The printed tuple is pasted into
    ``Params.weights``; ``Params.min_sim`` (the run threshold) was then chosen
    by the end-to-end scores on the same training split. Returns
    ``{"features", "weights", "n", "positives", "log_loss"}``.
    """
    import numpy as np
    from scipy.optimize import minimize
    from analysis import parallel as P

    records = [json.loads(line) for line in open(training_path, encoding="utf-8") if line.strip()]
    X, y = pair_examples(records, params)
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    reg = np.ones(X.shape[1])
    reg[0] = 0.0

    def loss(w):
        z = X @ w
        # log(1 + e^z) - y z, computed stably
        ll = np.logaddexp(0.0, z) - y * z
        prob = 1.0 / (1.0 + np.exp(-z))
        grad = X.T @ (prob - y) + l2 * reg * w
        return ll.sum() + 0.5 * l2 * float((reg * w * w).sum()), grad

    res = minimize(loss, np.zeros(X.shape[1]), jac=True, method="L-BFGS-B")
    w = res.x
    return {"features": list(P.FEATURES), "weights": [round(float(v), 2) for v in w],
            "n": int(len(y)), "positives": int(y.sum()), "log_loss": float(res.fun) / max(1, len(y))}


# --------------------------------------------------------------------------- fitting the run scorer

RUN_L2 = 0.1  # chosen by cross_validate_runs among 0.1, 0.3, 1, 3
FOLDS = 5     # documents i with i % FOLDS == f form fold f (file order: no randomness to seed)


def _gold_chars(text: str, branches) -> set:
    from analysis.parallel import trim_span
    out: set = set()
    for s, e in branches:
        s, e = trim_span(text, int(s), int(e))
        out.update(range(s, e))
    return out


def run_examples(records: list[dict], params=None, *, folds: int = FOLDS) -> list[tuple[object, list[tuple]]]:
    """Candidate runs of every training essay with their features and gold agreement.

    The run scorer sees the pair scores it will see on new text, so they are
    cross-fitted: the runs of fold *f* come from pair weights fitted
    (:func:`_fit_logistic` on :func:`pair_examples`) on the other folds.
    Returns ``[(id, [(candidate, features or None, label), ...]), ...]`` in
    record order; ``label`` holds ``jaccard`` (characters shared with the
    best-overlapping gold parallelism over their union) and ``size``
    (characters in the candidate's branches). Candidates that are not runs
    (frames, rule matches) have ``features`` ``None``.
    """
    import numpy as np
    from dataclasses import replace
    from analysis import parallel as P
    from analysis.segment import get_segmenter

    seg = get_segmenter()
    base = params or P.PARAMS
    if not base.run_weights:
        base = replace(base, run_weights=(0.0,) * len(P.RUN_FEATURES))
    out: dict[int, tuple] = {}
    for f in range(folds):
        train = [r for i, r in enumerate(records) if i % folds != f]
        X, y = pair_examples(train, base)
        w = _fit_logistic(np.asarray(X, float), np.asarray(y, float), np.ones(len(y)), 1.0)
        p = replace(base, weights=tuple(round(float(v), 2) for v in w))
        for i, rec in enumerate(records):
            if i % folds != f:
                continue
            text = rec["text"]
            paras = [tuple(x) for x in rec["paragraphs"]] if rec.get("paragraphs") else None
            gold = [_gold_chars(text, g["branches"]) for g in rec.get("parallelisms", [])]
            rows = []
            for c in P._candidates(text, paras, seg, p)[0]:
                info = getattr(c, "_run", None)
                chars = _gold_chars(text, c.branches)
                best = max(gold, key=lambda g: len(chars & g), default=set())
                label = {"jaccard": len(chars & best) / len(chars | best), "size": len(chars)}
                rows.append((c, P._run_features(text, c.branches, info) if info else None, label))
            out[i] = (rec["id"], rows)
    return [out[i] for i in range(len(records))]


def _fit_logistic(X, y, sample_weight, l2: float):
    """L2-regularised (bias unpenalised) logistic regression by L-BFGS; ``y`` may be soft (0..1)."""
    import numpy as np
    from scipy.optimize import minimize

    reg = np.ones(X.shape[1])
    reg[0] = 0.0

    def loss(w):
        z = X @ w
        ll = (np.logaddexp(0.0, z) - y * z) * sample_weight
        prob = 1.0 / (1.0 + np.exp(-z))
        return ll.sum() + 0.5 * l2 * float((reg * w * w).sum()), X.T @ ((prob - y) * sample_weight) + l2 * reg * w

    return minimize(loss, np.zeros(X.shape[1]), jac=True, method="L-BFGS-B").x


def _fit_runs(examples, l2: float):
    import numpy as np
    rows = [(f, lab) for _, cands in examples for _, f, lab in cands if f is not None]
    X = np.asarray([r[0] for r in rows], float)
    y = np.asarray([r[1]["jaccard"] for r in rows], float)
    sw = np.asarray([r[1]["size"] for r in rows], float)
    return _fit_logistic(X, y, sw / sw.mean(), l2)


# Boosted trees for the run scorer, averaged with its logistic regression (fit_trees). Chosen by
# cross_validate_runs (also over shuffled fold assignments) among 40 trees at rate .25 and 100 at .1,
# leaves of at least 2, 5 or 10 rows: with scikit-learn's trees the cross-validated MWO F1 moved by
# less than the fold-to-fold spread, and 100 at .1 with 5 was at the top.
TREES, TREE_RATE = 100, 0.1
TREE_L2, TREE_MIN_LEAF = 1.0, 5


def fit_trees(X, y, sample_weight, *, trees: int = TREES, depth: int = TREE_DEPTH, rate: float = TREE_RATE,
              l2: float = TREE_L2, min_leaf: int = TREE_MIN_LEAF) -> tuple:
    """Gradient-boosted trees for the log loss with soft labels ``y`` (0..1), fitted by scikit-learn.

    ``HistGradientBoostingClassifier`` takes hard labels, so each row enters
    twice, as a positive weighted ``w * y`` and a negative weighted
    ``w * (1 - y)``: the weighted log loss of the pair is the soft-label log
    loss of the row, gradient and Hessian alike. The fitted trees (at most
    ``depth`` deep) are exported in the flat layout
    :func:`analysis.parallel._tree_logit` reads: each tree completed to
    ``depth`` (a leaf above the last level becomes inner nodes that send
    everything left), its ``2**depth - 1`` split features (breadth first),
    their thresholds (go left when the feature is at most the threshold),
    then the ``2**depth`` leaf values (shrinkage included). Returns ``(base
    logit, tree, tree, ...)`` flattened into one tuple of rounded numbers.
    Deterministic: no early stopping, no subsampling, fixed ``random_state``.
    """
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier

    X = np.asarray(X, float)
    y = np.asarray(y, float)
    sw = np.asarray(sample_weight, float)
    model = HistGradientBoostingClassifier(
        loss="log_loss", learning_rate=rate, max_iter=trees, max_depth=depth, max_leaf_nodes=2 ** depth,
        min_samples_leaf=min_leaf, l2_regularization=l2, early_stopping=False, random_state=0)
    model.fit(np.vstack([X, X]), np.r_[np.ones(len(y)), np.zeros(len(y))], sample_weight=np.r_[sw * y, sw * (1 - y)])
    n_inner = 2 ** depth - 1
    columns = [np.unique(col) for col in X.T]
    # scikit-learn keeps the fitted trees only as private predictor arrays (fields: PREDICTOR_RECORD_DTYPE)
    out: list[float] = [round(float(np.ravel(model._baseline_prediction)[0]), 6)]
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        feats = [0] * n_inner
        thrs = [1e9] * n_inner
        leaves = [0.0] * (n_inner + 1)

        def place(i: int, pos: int) -> None:
            node = nodes[i]
            if pos >= n_inner:
                leaves[pos - n_inner] = round(float(node["value"]), 6)
            elif node["is_leaf"]:
                place(i, 2 * pos + 1)        # everything goes left; the right subtree is never reached
            else:
                feats[pos] = int(node["feature_idx"])
                thrs[pos] = _short_threshold(float(node["num_threshold"]), columns[feats[pos]])
                place(int(node["left"]), 2 * pos + 1)
                place(int(node["right"]), 2 * pos + 2)

        place(0, 0)
        out.extend(tuple(feats) + tuple(thrs) + tuple(leaves))
    return tuple(out)


def _short_threshold(threshold: float, values) -> float:
    """The shortest decimal that splits the sorted distinct ``values`` where ``threshold`` does.

    Keeps the stored trees short without moving any training row across a split.
    """
    import numpy as np
    i = int(np.searchsorted(values, threshold, side="right"))
    lo = values[i - 1] if i > 0 else -np.inf
    hi = values[i] if i < len(values) else np.inf
    for places in range(1, 16):
        c = round(threshold, places)
        if lo <= c < hi:
            return c
    return threshold


def _fit_run_trees(examples) -> tuple:
    import numpy as np
    rows = [(f, lab) for _, cands in examples for _, f, lab in cands if f is not None]
    sw = np.asarray([r[1]["size"] for r in rows], float)
    return fit_trees([r[0] for r in rows], [r[1]["jaccard"] for r in rows], sw / sw.mean())


def fit_run_weights(training_path, *, l2: float = RUN_L2, params=None) -> dict:
    """Fit the run scorer (``Params.run_weights``) on a gold JSONL split.

    Every candidate run (:func:`run_examples`, pair scores cross-fitted) is
    one example; its target is its Jaccard agreement with the best gold
    parallelism (a soft label) and its weight its size in characters, since
    the character-overlap scores count characters. Logistic regression as for
    the pair weights, and boosted trees (:func:`fit_trees`) on the same
    examples. Returns ``{"features", "weights", "trees"}``.
    """
    from analysis import parallel as P
    records = [json.loads(line) for line in open(training_path, encoding="utf-8") if line.strip()]
    examples = run_examples(records, params)
    w = _fit_runs(examples, l2)
    return {"features": list(P.RUN_FEATURES), "weights": [round(float(v), 2) for v in w],
            "trees": _fit_run_trees(examples)}


def _fold_of(n: int, seed: int) -> list[int]:
    """Fold of each of ``n`` records: ``i % FOLDS`` for seed 0, else a seeded shuffle dealt round."""
    if not seed:
        return [i % FOLDS for i in range(n)]
    import random
    order = list(range(n))
    random.Random(seed).shuffle(order)
    fold = [0] * n
    for k, i in enumerate(order):
        fold[i] = k % FOLDS
    return fold


def cross_validate_runs(training_path, *, keeps=(0.3, 0.35, 0.4, 0.45, 0.5), l2: float = RUN_L2,
                        shared: Path = Path("../shared"), params=None, trees: bool = True, seed: int = 0,
                        examples=None) -> dict:
    """Scores of the run scorer by cross-validation on the training split, for each ``keep`` threshold.

    Fold *f*'s essays are scored with run weights fitted on the other folds;
    the selection then runs as in :func:`analysis.parallel.find_parallelisms`,
    and the shared scorer scores all folds together. This is how
    ``Params.keep`` was chosen. ``trees``: average the logistic regression
    with boosted trees (:func:`fit_trees`, scikit-learn) as the detector does; ``False``:
    the logistic regression alone. ``seed``: deal the essays into the run
    scorer's folds by a seeded shuffle instead of file order (the pair
    scores stay cross-fitted over file-order folds); fold-to-fold noise is
    about 0.01 MWO F1, so compare changes over several seeds. ``examples``:
    the :func:`run_examples` of the split when already built (they do not
    depend on ``seed``). Returns ``{keep: scorer report}``.
    """
    from dataclasses import replace
    from analysis import parallel as P

    scorer = load_scorer(Path(shared))
    records = [json.loads(line) for line in open(training_path, encoding="utf-8") if line.strip()]
    if examples is None:
        examples = run_examples(records, params)
    scores: dict[int, float] = {}
    fold = _fold_of(len(examples), seed)
    for f in range(FOLDS):
        train = [ex for i, ex in enumerate(examples) if fold[i] != f]
        p = replace(params or P.PARAMS, run_weights=tuple(float(v) for v in _fit_runs(train, l2)),
                    run_trees=_fit_run_trees(train) if trees else ())
        for i, (_, cands) in enumerate(examples):
            if fold[i] == f:
                for c, feats, _ in cands:
                    if feats is not None:
                        scores[id(c)] = P._run_score(p, feats)
    gold = {str(r["id"]): r for r in records}
    out = {}
    for keep in keeps:
        preds = {}
        for rid, cands in examples:
            kept = []
            for c, feats, _ in cands:
                if feats is None:
                    kept.append(c)
                else:
                    c.score = scores[id(c)]
                    if P._anaphora_floor(gold[str(rid)]["text"], c):
                        c.score = max(c.score, keep)      # as in analysis.parallel._score_runs
                    if c.score >= keep:
                        kept.append(c)
            preds[str(rid)] = {"parallelisms": [{"branches": c.branches} for c in P._select(kept, nest=False)
                                                if c.kind in SCORED_KINDS]}
        out[keep] = scorer.score(gold, preds)
    return out


def _main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "fit":
        out = fit_pair_weights(argv[1])
        print(f"# {out['n']} pairs, {out['positives']} positive, mean loss {out['log_loss']:.4f}")
        for name, v in zip(out["features"], out["weights"]):
            print(f"#   {name:14}{v:+.2f}")
        print("weights: tuple = (" + ", ".join(f"{v:.2f}" for v in out["weights"]) + ")")
        runs = fit_run_weights(argv[1])
        for name, v in zip(runs["features"], runs["weights"]):
            print(f"#   {name:18}{v:+.2f}")
        print("run_weights: tuple = (" + ", ".join(f"{v:.2f}" for v in runs["weights"]) + ")")
        t = runs["trees"]
        size = 3 * 2 ** TREE_DEPTH - 2
        inner = 2 ** TREE_DEPTH - 1
        lines = [f"    {t[0]!r},"] + [
            "    " + ", ".join(repr(v) for v in t[k:k + 2 * inner]) + ",\n        "
            + ", ".join(repr(v) for v in t[k + 2 * inner:k + size]) + ","
            for k in range(1, len(t), size)]
        print("run_trees: tuple = (\n" + "\n".join(lines) + "\n)")
        return EXIT_OK
    opts = argv[2:]
    seeds = [0]
    if len(opts) >= 2 and opts[-2] == "--seeds":
        try:
            seeds = [int(x) for x in opts[-1].split(",")]
        except ValueError:
            seeds = []
        opts = opts[:-2]
    if len(argv) >= 2 and argv[0] == "cv" and opts in ([], ["--no-trees"]) and seeds:
        records = [json.loads(line) for line in open(argv[1], encoding="utf-8") if line.strip()]
        examples = run_examples(records)          # the same for every seed: built once
        runs = [cross_validate_runs(argv[1], trees=not opts, seed=s, examples=examples) for s in seeds]
        for keep in runs[0]:
            epm = [r[keep]["epm"]["f1"] for r in runs]
            mwo = [r[keep]["mwo"] for r in runs]
            line = (f"keep {keep:.2f}  EPM F1 {sum(epm) / len(epm):.3f}  MWO P "
                    f"{sum(m['precision'] for m in mwo) / len(mwo):.3f} R {sum(m['recall'] for m in mwo) / len(mwo):.3f} "
                    f"F1 {sum(m['f1'] for m in mwo) / len(mwo):.3f}")
            if len(runs) > 1:
                line += "  (per seed: " + " ".join(f"{m['f1']:.3f}" for m in mwo) + ")"
            print(line)
        return EXIT_OK
    print("usage: python -m analysis.evaluate fit|cv TRAINING.jsonl [--no-trees] [--seeds 0,1,2]", file=sys.stderr)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
