"""Fitting the model file: the pair scorer, the run scorer (logistic regression and boosted trees).

``python -m analysis.evaluate fit TRAINING.jsonl`` runs :func:`fit_model`
and writes the JSON model file the detector reads; ``cv`` runs
:func:`cross_validate_runs`, by which ``ParallelSettings.keep`` was chosen. Needs
scipy and (for the trees) scikit-learn, which the detector does not.
"""
from __future__ import annotations

import json
from dataclasses import replace
from typing import Iterable, Optional

from analysis.parallel.detector import candidates, paragraph_work
from analysis.parallel.frames import enumerations, headings
from analysis.parallel.model import Model, Tree, load_model
from analysis.parallel.pair_features import PAIR_FEATURES, pair_features
from analysis.parallel.register import REGISTER_FEATURES, paragraph_counts, window_features
from analysis.parallel.run_features import RUN_FEATURES, Candidate, opens_alike, run_features
from analysis.parallel.selection import select
from analysis.parallel.settings import DEFAULT_SETTINGS, ParallelSettings
from analysis.parallel.units import LIST, PHRASES, Unit, neighbours, paragraph_spans, pieces, trim_span
from analysis.segment import get_segmenter

PAIR_L2 = 1.0
RUN_L2 = 0.1  # chosen by cross_validate_runs among 0.1, 0.3, 1, 3
FOLDS = 5     # documents i with i % FOLDS == f form fold f (file order: no randomness to seed)
WEIGHT_PLACES = 2   # the weights are stored rounded: a refit reproduces them exactly, not to the last bit

# Boosted trees for the run scorer, averaged with its logistic regression (fit_trees). Chosen by
# cross_validate_runs (also over shuffled fold assignments) among 40 trees at rate .25 and 100 at .1,
# leaves of at least 2, 5 or 10 rows: with scikit-learn's trees the cross-validated MWO F1 moved by
# less than the fold-to-fold spread, and 100 at .1 with 5 was at the top.
TREES, TREE_DEPTH, TREE_RATE = 100, 3, 0.1
TREE_L2, TREE_MIN_LEAF = 1.0, 5


def read_jsonl(path) -> list[dict]:
    """The records of a gold JSONL split."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def match(unit: tuple[int, int], branch: tuple[int, int]) -> bool:
    """A unit stands for a gold branch when each covers at least half of the other."""
    ov = min(unit[1], branch[1]) - max(unit[0], branch[0])
    return ov > 0 and ov >= 0.5 * (unit[1] - unit[0]) and ov >= 0.5 * (branch[1] - branch[0])


def pair_examples(records: Iterable[dict], model: Model, settings: ParallelSettings = DEFAULT_SETTINGS
                  ) -> tuple[list[list[float]], list[int]]:
    """Feature rows (in :data:`PAIR_FEATURES` order) and labels for every pair of adjacent units the
    detector compares.

    The units are the ones the detector compares: clauses, segments,
    compound units of two and three clauses, and items of 、 lists. A pair is
    positive when its two units stand for consecutive branches (i, i+1) of one
    gold parallelism (see :func:`match`).
    """
    seg = get_segmenter()
    X: list[list[float]] = []
    y: list[int] = []
    for rec in records:
        text = rec["text"]
        gold = [[tuple(b) for b in g["branches"]] for g in rec.get("parallelisms", [])]
        paras = [tuple(x) for x in rec["paragraphs"]] if rec.get("paragraphs") else paragraph_spans(text)
        pieces_by_para = [pieces(text, ps, pe, settings.longest_quote) for ps, pe in paras]
        for para in paragraph_work(text, paras, pieces_by_para, seg, settings.compound_units):
            seqs = [(s.granularity, s.units) for s in para.sequences]
            seqs.append((PHRASES, [Unit(x.start, x.end, x.boundary) for x in para.pieces]))
            for granularity, units in seqs:
                for k, (a, b) in enumerate(zip(units, units[1:])):
                    if not (a.whole and b.whole) or (granularity == PHRASES and a.boundary != LIST):
                        continue
                    around = neighbours(units, k) if granularity != PHRASES else []
                    f = pair_features(text, a, b, granularity, para.tokens, model, settings, around)
                    if f is None:
                        continue
                    X.append([f[n] for n in PAIR_FEATURES])
                    y.append(int(any(match(a.span, br[i]) and match(b.span, br[i + 1])
                                     for br in gold for i in range(len(br) - 1))))
    return X, y


def fit_logistic(X, y, sample_weight, l2: float):
    """L2-regularised (bias unpenalised) logistic regression by L-BFGS; ``y`` may be soft (0..1).

    Returns the weights and the mean loss per row.
    """
    import numpy as np
    from scipy.optimize import minimize

    X, y, sw = np.asarray(X, float), np.asarray(y, float), np.asarray(sample_weight, float)
    reg = np.ones(X.shape[1])
    reg[0] = 0.0

    def loss(w):
        z = X @ w
        ll = (np.logaddexp(0.0, z) - y * z) * sw      # log(1 + e^z) - y z, computed stably
        prob = 1.0 / (1.0 + np.exp(-z))
        return ll.sum() + 0.5 * l2 * float((reg * w * w).sum()), X.T @ ((prob - y) * sw) + l2 * reg * w

    res = minimize(loss, np.zeros(X.shape[1]), jac=True, method="L-BFGS-B")
    return res.x, float(res.fun) / max(1, len(y))


def fit_pair_weights(records: list[dict], model: Model, *, l2: float = PAIR_L2) -> dict:
    """Fit the pair scorer on gold records: every adjacent-unit pair the detector compares
    (:func:`pair_examples`), labelled by the gold branches, minimising the L2-regularised log loss.

    Returns ``{"features", "weights" (rounded), "n", "positives", "log_loss"}``.
    """
    X, y = pair_examples(records, model)
    w, loss = fit_logistic(X, y, [1.0] * len(y), l2)
    return {"features": list(PAIR_FEATURES), "weights": [round(float(v), WEIGHT_PLACES) for v in w],
            "n": len(y), "positives": int(sum(y)), "log_loss": loss}


def gold_chars(text: str, branches) -> set:
    """The characters of ``branches``, punctuation-trimmed."""
    out: set = set()
    for s, e in branches:
        s, e = trim_span(text, int(s), int(e))
        out.update(range(s, e))
    return out


def run_examples(records: list[dict], model: Model, *, folds: int = FOLDS) -> list[tuple[object, list[tuple]]]:
    """Candidates of every training essay with their run features and gold agreement.

    The run scorer sees the pair scores it will see on new text, so they are
    cross-fitted: the runs of fold *f* come from pair weights fitted on the
    other folds. Returns ``[(id, [(candidate, run features or None, label), ...]), ...]``
    in record order; ``label`` holds ``jaccard`` (characters shared with the
    best-overlapping gold parallelism over their union) and ``size``
    (characters in the candidate's branches). Candidates that are not runs
    (frames, rule matches) have no features.
    """
    seg = get_segmenter()
    if not model.scores_runs:
        model = replace(model, run_weights=(0.0,) * len(RUN_FEATURES))
    out: dict[int, tuple] = {}
    for f in range(folds):
        fitted = fit_pair_weights([r for i, r in enumerate(records) if i % folds != f], model)
        fold_model = replace(model, pair_features=PAIR_FEATURES, pair_weights=tuple(fitted["weights"]))
        for i, rec in enumerate(records):
            if i % folds == f:
                out[i] = (rec["id"], _labelled_candidates(rec, seg, fold_model))
    return [out[i] for i in range(len(records))]


def _labelled_candidates(rec: dict, seg, model: Model) -> list[tuple]:
    text = rec["text"]
    paras = [tuple(x) for x in rec["paragraphs"]] if rec.get("paragraphs") else None
    gold = [gold_chars(text, g["branches"]) for g in rec.get("parallelisms", [])]
    rows = []
    for c in candidates(text, paras, seg, example_settings(text, paras), model)[0]:
        if isinstance(c, Candidate) and c.ruled:
            continue            # the run scorer is fitted on runs; it weighs hand rules' matches as it finds them
        chars = gold_chars(text, c.branches)
        best = max(gold, key=lambda g: len(chars & g), default=set())
        label = {"jaccard": len(chars & best) / len(chars | best), "size": len(chars)}
        run = c.run if isinstance(c, Candidate) else None
        rows.append((c, run_features(text, c.branches, run) if run else None, label))
    return rows


def example_settings(text: str, paras: Optional[list[tuple[int, int]]]) -> ParallelSettings:
    """The settings the run scorer's training runs are found with: the shipped scorer was fitted on the
    runs of the training essays without a 一、/一是 outline (the others gave none), so a refit keeps that
    choice of examples and reproduces it. This chooses training data only; detection reads each
    paragraph by its register (:mod:`analysis.parallel.register`)."""
    paras = paras if paras is not None else paragraph_spans(text)
    units = [[Unit(x.start, x.end, x.boundary) for x in pieces(text, s, e, DEFAULT_SETTINGS.longest_quote)]
             for s, e in paras]
    outlined = bool(headings(text, paras) or enumerations(text, paras, units))
    return replace(DEFAULT_SETTINGS, run_scorer=not outlined)


def _run_rows(examples):
    """Run feature rows (in :data:`RUN_FEATURES` order), soft labels and size weights (mean 1)."""
    import numpy as np
    rows = [(f, lab) for _, cands in examples for _, f, lab in cands if f is not None]
    X = np.asarray([[f[n] for n in RUN_FEATURES] for f, _ in rows], float)
    y = np.asarray([lab["jaccard"] for _, lab in rows], float)
    sw = np.asarray([lab["size"] for _, lab in rows], float)
    return X, y, sw / sw.mean()


def fit_runs(examples, l2: float = RUN_L2):
    """The run scorer's logistic regression weights (unrounded)."""
    X, y, sw = _run_rows(examples)
    return fit_logistic(X, y, sw, l2)[0]


def fit_run_trees(examples) -> tuple[float, tuple[Tree, ...]]:
    """The run scorer's boosted trees: base logit and trees."""
    X, y, sw = _run_rows(examples)
    return fit_trees(X, y, sw)


def fit_trees(X, y, sample_weight, *, trees: int = TREES, depth: int = TREE_DEPTH, rate: float = TREE_RATE,
              l2: float = TREE_L2, min_leaf: int = TREE_MIN_LEAF) -> tuple[float, tuple[Tree, ...]]:
    """Gradient-boosted trees for the log loss with soft labels ``y`` (0..1), fitted by scikit-learn.

    ``HistGradientBoostingClassifier`` takes hard labels, so each row enters
    twice, as a positive weighted ``w * y`` and a negative weighted
    ``w * (1 - y)``: the weighted log loss of the pair is the soft-label log
    loss of the row, gradient and Hessian alike. Each fitted tree is completed
    to ``depth`` (a leaf above the last level becomes inner nodes that send
    everything left) and exported as a :class:`Tree` (split features as
    column positions of ``X``, thresholds, leaf values with shrinkage
    included, rounded). Returns the base logit and the trees. Deterministic:
    no early stopping, no subsampling, fixed ``random_state``.
    """
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier

    X, y, sw = np.asarray(X, float), np.asarray(y, float), np.asarray(sample_weight, float)
    model = HistGradientBoostingClassifier(
        loss="log_loss", learning_rate=rate, max_iter=trees, max_depth=depth, max_leaf_nodes=2 ** depth,
        min_samples_leaf=min_leaf, l2_regularization=l2, early_stopping=False, random_state=0)
    model.fit(np.vstack([X, X]), np.r_[np.ones(len(y)), np.zeros(len(y))], sample_weight=np.r_[sw * y, sw * (1 - y)])
    columns = [np.unique(col) for col in X.T]
    # scikit-learn keeps the fitted trees only as private predictor arrays (fields: PREDICTOR_RECORD_DTYPE)
    base = round(float(np.ravel(model._baseline_prediction)[0]), 6)
    return base, tuple(_export_tree(predictor.nodes, depth, columns) for (predictor,) in model._predictors)


def _export_tree(nodes, depth: int, columns) -> Tree:
    """One scikit-learn tree as a complete :class:`Tree` of ``depth``."""
    n_inner = 2 ** depth - 1
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
            thrs[pos] = short_threshold(float(node["num_threshold"]), columns[feats[pos]])
            place(int(node["left"]), 2 * pos + 1)
            place(int(node["right"]), 2 * pos + 2)

    place(0, 0)
    return Tree(tuple(feats), tuple(thrs), tuple(leaves))


def short_threshold(threshold: float, values) -> float:
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


def fit_model(records: list[dict], *, l2: float = RUN_L2, model: Optional[Model] = None) -> tuple[Model, dict]:
    """Fit the whole model on gold records: the pair scorer, then the run scorer on every candidate
    run (:func:`run_examples`, pair scores cross-fitted); its target is the run's Jaccard agreement
    with the best gold parallelism (a soft label) and its weight its size in characters, since the
    character-overlap scores count characters. Returns the model and the pair fit's summary."""
    base = model or load_model()
    pairs = fit_pair_weights(records, base)
    examples = run_examples(records, base)
    run_weights = tuple(round(float(v), WEIGHT_PLACES) for v in fit_runs(examples, l2))
    tree_base, trees = fit_run_trees(examples)
    fitted = Model(PAIR_FEATURES, tuple(pairs["weights"]), RUN_FEATURES, run_weights, tree_base, trees,
                   base.register_features, base.register_weights)      # the register is fitted apart
    return fitted, pairs


REGISTER_L2 = 1.0


def fit_register(essays: list[dict], official: list[dict], *, l2: float = REGISTER_L2) -> tuple[float, ...]:
    """The register scorer's weights (:data:`analysis.parallel.register.REGISTER_FEATURES` order, rounded):
    a logistic regression telling the paragraphs of ``official`` documents (label 1) from those of
    ``essays`` (label 0), both records ``{"text"[, "paragraphs"]}``, each paragraph weighted by its length
    and the two registers weighted alike (the essays are fewer characters)."""
    import numpy as np

    rows, labels, sizes = [], [], []
    for label, records in ((0, essays), (1, official)):
        for rec in records:
            text = rec["text"]
            paras = [tuple(x) for x in rec["paragraphs"]] if rec.get("paragraphs") else paragraph_spans(text)
            for (s, e), f in zip(paras, window_features(paragraph_counts(text, paras))):
                if e > s:
                    rows.append([f[n] for n in REGISTER_FEATURES])
                    labels.append(label)
                    sizes.append(e - s)
    y, sw = np.asarray(labels, float), np.asarray(sizes, float)
    for label in (0, 1):
        sw[y == label] /= sw[y == label].sum()
    weights, _ = fit_logistic(rows, y, sw * len(y) / 2, l2)
    return tuple(round(float(v), WEIGHT_PLACES) for v in weights)


def fold_of(n: int, seed: int) -> list[int]:
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


def cross_validate_runs(records: list[dict], scorer, kinds: tuple[str, ...], *,
                        keeps=(0.3, 0.35, 0.4, 0.45, 0.5), l2: float = RUN_L2, trees: bool = True,
                        seeds: Iterable[int] = (0,), model: Optional[Model] = None) -> list[dict]:
    """Scores of the run scorer by cross-validation on the training records, for each ``keep`` threshold.

    Fold *f*'s essays are scored with a run scorer fitted on the other folds;
    the selection then runs as in the detector (predictions of ``kinds``
    only), and ``scorer`` (the shared ``score_parallel`` module) scores all
    folds together. ``trees``: average the logistic regression with boosted
    trees as the detector does; ``False``: the logistic regression alone.
    ``seeds``: for each, deal the essays into the run scorer's folds by a
    seeded shuffle (0: file order; the pair scores stay cross-fitted over
    file-order folds); fold-to-fold noise is about 0.01 MWO F1, so compare
    changes over several seeds. Returns ``{keep: scorer report}`` for each seed.
    """
    base = model or load_model()
    examples = run_examples(records, base)          # the same for every seed: built once
    return [_scores_by_keep(records, examples, _cross_fitted_scores(examples, fold_of(len(examples), seed), l2,
                                                                    trees, base), scorer, kinds, keeps)
            for seed in seeds]


def _scores_by_keep(records: list[dict], examples, scores: dict[int, float], scorer, kinds, keeps) -> dict:
    """The scorer's report of the selection at each ``keep`` threshold, given every run's score."""
    gold = {str(r["id"]): r for r in records}
    out = {}
    for keep in keeps:
        preds = {}
        for rid, cands in examples:
            kept = []
            for c, feats, _ in cands:
                if feats is not None:
                    c.score = scores[id(c)]
                    if opens_alike(gold[str(rid)]["text"], c):
                        c.score = max(c.score, keep)      # as the detector's score_runs does
                if feats is None or c.score >= keep:
                    kept.append(c)
            preds[str(rid)] = {"parallelisms": [{"branches": c.branches} for c in select(kept, flat=lambda c: True)
                                                if c.kind in kinds]}
        out[keep] = scorer.score(gold, preds)
    return out


def _cross_fitted_scores(examples, fold: list[int], l2: float, trees: bool, base: Model) -> dict[int, float]:
    """The run score of every candidate run, from a run scorer fitted on the other folds (by ``id``)."""
    scores: dict[int, float] = {}
    for f in range(FOLDS):
        train = [ex for i, ex in enumerate(examples) if fold[i] != f]
        tree_base, fitted_trees = fit_run_trees(train) if trees else (0.0, ())
        m = replace(base, run_features=RUN_FEATURES, run_weights=tuple(float(v) for v in fit_runs(train, l2)),
                    tree_base=tree_base, trees=fitted_trees)
        for i, (_, cands) in enumerate(examples):
            if fold[i] == f:
                for c, feats, _ in cands:
                    if feats is not None:
                        scores[id(c)] = m.run_score(feats)
    return scores
