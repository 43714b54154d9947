"""Parallel structures: 排比, 对偶, enumerations (一是/二是) and heading frameworks.

:func:`find_parallelisms` reads any text and returns :class:`Parallelism`
objects whose branches are ``(start, end)`` character offsets into that text,
with leading and trailing punctuation and spaces trimmed.

Several sources feed one list of candidates (:mod:`.detector`):

* heading frameworks and enumerations (:mod:`.frames`);
* runs of aligned units (:mod:`.runs`) -- adjacent units at several
  granularities (:mod:`.units`) scored by a logistic regression over pair
  features looked up by name (:mod:`.pair_features`), most pairs first ruled
  out by upper bounds computed in numpy (:mod:`.bounds`);
* hand rules (:mod:`.rules`, :mod:`.clause_rules`): 、-lists, framed
  segments, correlative pairs, anchored pairs, twins and clause series.

Each paragraph is read by its register (:mod:`.register`: it and its
neighbours read as an essay or as official prose; never the whole document
at once). In essay paragraphs each run is scored as a whole by the run
scorer (:mod:`.run_features`, :mod:`.model`); in official prose the
pair-score floors and hand filters weigh the runs. The selection
(:mod:`.selection`) keeps the best of overlapping candidates and sets each
one's nesting ``level``; :mod:`.templates` gives each its template and family.

Thresholds live in :class:`ParallelSettings`; the fitted numbers in the versioned
model file ``model.json``, read by :func:`load_model` and written by
``python -m analysis.evaluate fit`` (:mod:`.fit`).
"""
from analysis.parallel.detector import find_parallelisms
from analysis.parallel.fit import cross_validate_runs, fit_model
from analysis.parallel.model import MODEL_PATH, Model, ModelError, load_model, save_model
from analysis.parallel.settings import DEFAULT_SETTINGS, ParallelSettings
from analysis.parallel.types import Parallelism
from analysis.parallel.units import PUNCT, trim_span

__all__ = ["Parallelism", "find_parallelisms", "trim_span", "PUNCT", "ParallelSettings", "DEFAULT_SETTINGS", "Model",
           "ModelError", "MODEL_PATH", "load_model", "save_model", "fit_model", "cross_validate_runs"]
