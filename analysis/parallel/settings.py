"""The detector's thresholds and switches, in one frozen settings object.

Fitted numbers (pair and run scorer weights, trees) are not settings: they
live in the model file (:mod:`analysis.parallel.model`). The values here were
chosen by the end-to-end scores on the PSE-I training essays (``keep`` by
``python -m analysis.evaluate cv``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class Settings:
    """Thresholds and switches of the parallel-structure detector."""

    # official-prose rules (anchored pairs, runs of twins, framed segments, correlatives);
    # None: on when the text has a 一、/一是 framework
    official_rules: Optional[bool] = None
    # compare units of two and three clauses too; None: with the official-prose rules
    compound_units: Optional[bool] = None
    # the lowest pair score every adjacent pair of a run needs (texts with a framework)
    run_floor: float = 0.25
    # a run of only two units needs at least this mean pair score
    two_branch_floor: float = 0.4
    # compound runs yield to clause and segment runs they cross: their score is scaled by this
    compound_factor: float = 0.8
    # the pair score a hand rule gives the pairs it matches
    rule_score: float = 0.5
    # the score of ；-joined segments opening with one frame (X上，…；Y上，…)
    frame_score: float = 0.9
    # units longer than this (characters) are never compared: keeps long paragraphs linear
    longest_unit: int = 90
    # two units are compared only when the shorter is at least this share of the longer
    length_ratio: float = 0.34
    # 、-list items longer than this are not phrase lists
    longest_list_item: int = 12
    # essay prose: runs are formed at each of these pair scores, so one stretch yields several extents
    essay_run_floors: tuple[float, ...] = (0.1, 0.2, 0.3, 0.45, 0.6)
    # essay prose: runs the run scorer puts under this are dropped
    keep: float = 0.40
    # score exactly only the pairs whose upper bound can reach a run's floor; False: score every
    # pair exactly (the output is the same, only slower: a check of the bounds)
    prune_pairs: bool = True
    # an opening quote or bracket protects its content from splitting only if it closes this soon
    longest_quote: int = 40


SETTINGS = Settings()
