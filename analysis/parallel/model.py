"""The fitted model of the detector, read from a versioned JSON file with its feature names.

The file (``model.json`` beside this module) holds the pair scorer (logistic
regression weights by pair feature name) and the run scorer (logistic
regression weights by run feature name, and boosted trees whose splits name
their feature) and the register scorer (logistic regression weights by
register feature name: official prose or essay, paragraph by paragraph).
``python -m analysis.evaluate fit`` writes the first two, ``fit-register``
the third. Features are
looked up by name: a file naming a feature the code does not compute, or
missing one it does, fails to load with a message saying which.
"""
from __future__ import annotations

import json
import operator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

from analysis.parallel.pair_features import PAIR_FEATURES, logistic, sigmoid
from analysis.parallel.register import REGISTER_FEATURES
from analysis.parallel.run_features import RUN_FEATURES

MODEL_PATH = Path(__file__).with_name("model.json")
FORMAT = "analysis.parallel model"
VERSION = 1


class ModelError(ValueError):
    """The model file cannot be used: wrong format or version, or features that do not match the code."""


@dataclass(frozen=True)
class Tree:
    """One boosted tree, complete to its depth: split features (positions in the run features the
    model was read with), thresholds (go left when the feature is at most it), then leaf values."""

    features: tuple[int, ...]
    thresholds: tuple[float, ...]
    leaves: tuple[float, ...]

    def value(self, feats: Sequence[float]) -> float:
        """The leaf value this tree gives the run feature values ``feats``."""
        inner = len(self.features)
        node = 0
        while node < inner:
            node = 2 * node + (1 if feats[self.features[node]] <= self.thresholds[node] else 2)
        return self.leaves[node - inner]


@dataclass(frozen=True)
class Model:
    """Pair, run and register scorers. ``run_weights`` empty: no run scorer (the hand thresholds decide);
    ``register_weights`` empty: every paragraph reads as an essay."""

    pair_features: tuple[str, ...]
    pair_weights: tuple[float, ...]
    run_features: tuple[str, ...] = RUN_FEATURES
    run_weights: tuple[float, ...] = ()
    tree_base: float = 0.0
    trees: tuple[Tree, ...] = ()
    register_features: tuple[str, ...] = REGISTER_FEATURES
    register_weights: tuple[float, ...] = ()

    def pair_logit(self, f: dict[str, float]) -> float:
        """The pair scorer's logit for the pair features ``f`` (by name)."""
        return sum(map(operator.mul, self.pair_weights, map(f.__getitem__, self.pair_features)))

    def pair_score(self, f: dict[str, float]) -> float:
        """The pair scorer's probability that two units are adjacent branches of one parallelism."""
        return sigmoid(self.pair_logit(f))

    def pair_weight(self, name: str) -> float:
        """The weight of one pair feature."""
        return self.pair_weights[self.pair_features.index(name)]

    @property
    def scores_runs(self) -> bool:
        """Whether there is a run scorer."""
        return bool(self.run_weights)

    def run_score(self, feats: dict[str, float]) -> float:
        """The run scorer's probability for the run features ``feats`` (by name): the logistic
        regression, averaged with the boosted trees when there are any."""
        values = [feats[n] for n in self.run_features]
        lr = logistic(self.run_weights, values)
        if not self.trees:
            return lr
        z = self.tree_base
        for tree in self.trees:
            z += tree.value(values)
        return 0.5 * lr + 0.5 * sigmoid(z)

    def without_run_scorer(self) -> "Model":
        """The same pair scorer, no run scorer."""
        return replace(self, run_weights=(), tree_base=0.0, trees=())

    def to_json(self) -> dict:
        """The model as the JSON file holds it (features by name)."""
        run = {"weights": dict(zip(self.run_features, self.run_weights)), "tree_base": self.tree_base,
               "trees": [{"features": [self.run_features[i] for i in t.features], "thresholds": list(t.thresholds),
                          "leaves": list(t.leaves)} for t in self.trees]}
        return {"format": FORMAT, "version": VERSION,
                "pair_scorer": {"weights": dict(zip(self.pair_features, self.pair_weights))},
                "run_scorer": run if self.run_weights else None,
                "register": ({"weights": dict(zip(self.register_features, self.register_weights))}
                             if self.register_weights else None)}


def model_from_json(data: dict, source: str = "model") -> Model:
    """The model a JSON object describes; :class:`ModelError` when it does not fit the code."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ModelError(f"{source}: not a parallel-structure model (no \"format\": \"{FORMAT}\")")
    if data.get("version") != VERSION:
        raise ModelError(f"{source}: model version {data.get('version')!r}; this detector reads version {VERSION}")
    pair = _weights(data["pair_scorer"]["weights"], PAIR_FEATURES, f"{source}: pair scorer")
    model = Model(tuple(pair), tuple(pair.values()))
    register = data.get("register")
    if register:
        weights = _weights(register["weights"], REGISTER_FEATURES, f"{source}: register", "fit-register")
        model = replace(model, register_features=tuple(weights), register_weights=tuple(weights.values()))
    run = data.get("run_scorer")
    if not run:
        return model
    weights = _weights(run["weights"], RUN_FEATURES, f"{source}: run scorer")
    names = tuple(weights)
    trees = tuple(_tree(t, names, f"{source}: tree {i}") for i, t in enumerate(run.get("trees", [])))
    return replace(model, run_features=names, run_weights=tuple(weights.values()),
                   tree_base=float(run.get("tree_base", 0.0)), trees=trees)


def _weights(weights: dict, expected: Sequence[str], where: str, refit: str = "fit") -> dict[str, float]:
    """``weights`` checked against the feature names the code computes."""
    missing = [n for n in expected if n not in weights]
    extra = [n for n in weights if n not in expected]
    if missing or extra:
        raise ModelError(f"{where}: features do not match the code "
                         f"(missing from the file: {missing or 'none'}; unknown to the code: {extra or 'none'}); "
                         f"refit with `python -m analysis.evaluate {refit} TRAINING.jsonl`")
    return {n: float(w) for n, w in weights.items()}


def _tree(data: dict, names: tuple[str, ...], where: str) -> Tree:
    unknown = [n for n in data["features"] if n not in names]
    if unknown:
        raise ModelError(f"{where}: splits on features unknown to the code: {unknown}")
    feats, thresholds, leaves = data["features"], data["thresholds"], data["leaves"]
    if not (len(feats) == len(thresholds) and len(leaves) == len(feats) + 1):
        raise ModelError(f"{where}: a complete tree has as many thresholds as splits and one more leaf")
    return Tree(tuple(names.index(n) for n in feats), tuple(map(float, thresholds)), tuple(map(float, leaves)))


def load_model(path: Optional[Path] = None) -> Model:
    """The model in ``path`` (default: the one shipped with the package)."""
    return _load(Path(path) if path is not None else MODEL_PATH)


@lru_cache(maxsize=4)
def _load(path: Path) -> Model:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise ModelError(f"{path}: cannot read the model ({err})") from err
    return model_from_json(data, str(path))


def save_model(model: Model, path: Path) -> None:
    """Write ``model`` to ``path`` as JSON."""
    Path(path).write_text(json.dumps(model.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
