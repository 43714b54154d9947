"""Candidates and their runs, and the features of a run as a whole, by name, for the run scorer.

In essay prose a run of similar adjacent units is a :class:`Candidate`
carrying its :class:`Run` (how it was built); the run scorer weighs
:func:`run_features` by name.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Optional

from analysis.parallel.matching import fillers, shared_prefix, shared_suffix, shared_words
from analysis.parallel.pair_features import PAIR_FEATURES
from analysis.parallel.types import Parallelism
from analysis.parallel.units import (CLAUSES, CLOSING_QUOTES, PHRASES, PUNCT, QUOTES, SEGMENT, SEGMENTS, SENTENCE,
                                     TWO_CLAUSES, WEAK)

RUN_FEATURES = ("bias", "two", "three", "log_n", "mean_sim", "min_sim", "max_sim", "left", "right",
                "src_list", "src_segment", "src_compound", "gap_sentence", "gap_semicolon", "log_len",
                "len_spread", "prefix", "suffix", "positional", "realigned", "extended", "para_start",
                "para_end", "quoted", "no_pairs", "asked") + tuple("pair_" + f for f in PAIR_FEATURES[1:]) + (
                "anchor_share", "content_share", "content_anchors", "slots", "slots_equal", "slot_spread",
                "head_word", "head_pronoun", "head_weak", "head_long", "pronoun_share", "head_share")

PRONOUNS = set("我 你 他 她 它 我们 你们 他们 她们 它们 咱们 大家 自己 这 那 这些 那些".split())


@dataclass
class Run:
    """How a candidate run was built, for the run scorer."""

    granularity: int              # of the units it joins (analysis.parallel.units: PHRASES … THREE_CLAUSES)
    sims: list[float]             # the scores of its adjacent pairs
    gaps: list[int]               # strengths of the boundaries between its branches
    left: float                   # score of the pair just before it (0: none)
    right: float                  # score of the pair just after it (0: none)
    realigned: bool               # its first branch starts after lead-in words
    extended: bool                # the unit before it joined as a first branch
    para_start: bool
    para_end: bool
    pairs: list[Optional[dict[str, float]]]   # pair features of its adjacent pairs (None: not compared)
    words: list[list[str]]        # the words of each branch


@dataclass
class Candidate(Parallelism):
    """A parallelism before selection; ``run``: how it was built, when the run scorer scores it."""

    run: Optional[Run] = field(default=None, compare=False, repr=False)
    # a hand rule's match weighed by the run scorer: the scorer was fitted on runs, not on these
    ruled: bool = field(default=False, compare=False, repr=False)


def run_scorer_judges(settings, model) -> bool:
    """Whether the run scorer judges the runs (:attr:`ParallelSettings.run_scorer`), when the model has one."""
    return settings.run_scorer is not False and model.scores_runs


def run_features(text: str, branches: list[tuple[int, int]], run: Run) -> dict[str, float]:
    """Features of one candidate run as a whole, by name (:data:`RUN_FEATURES`)."""
    sims, gaps, src = run.sims, run.gaps, run.granularity
    n = len(branches)
    strs = [text[s:e] for s, e in branches]
    lens = [len(x) for x in strs]
    pre, suf = shared_prefix(strs), shared_suffix(strs)
    m = min(lens)
    pos = sum(1 for i in range(m) if all(x[i] == strs[0][i] for x in strs) and strs[0][i] not in PUNCT) / m
    values = [1.0, float(n == 2), float(n == 3), math.log(n), sum(sims) / len(sims), min(sims), max(sims),
              run.left, run.right, float(src == PHRASES), float(src == SEGMENTS), float(src >= TWO_CLAUSES),
              float(all(g == SENTENCE for g in gaps)), float(any(g == SEGMENT for g in gaps)),
              math.log(sum(lens) / n) / 4, (max(lens) - m) / max(lens), min(len(pre), 4) / 4,
              min(len(suf), 4) / 4, pos, float(run.realigned), float(run.extended),
              float(run.para_start), float(run.para_end), float(any(ch in QUOTES for ch in "".join(strs))),
              float(not any(f is not None for f in run.pairs)), asked(text, branches)]
    values += mean_pair_features(run.pairs) + slot_features(run.words, lens) + head_features(run.words)
    return dict(zip(RUN_FEATURES, values, strict=True))


def mean_pair_features(pairs: list[Optional[dict[str, float]]]) -> list[float]:
    """The mean of each pair feature but the bias over the run's compared pairs (zeros: none)."""
    compared = [f for f in pairs if f is not None]
    if not compared:
        return [0.0] * (len(PAIR_FEATURES) - 1)
    return [sum([f[name] for f in compared]) / len(compared) for name in PAIR_FEATURES[1:]]


def head_features(words: list[list[str]]) -> list[float]:
    """The words the branches open with.

    When all open with one word: that there is one, that it is a pronoun
    (我们…，我们… is mostly narration, not 排比), a function word, a word of
    two or more characters (zeros otherwise); then, whatever they open with,
    the share of branches opening with a pronoun and the share opening with
    the most common first word.
    """
    firsts = [w[0] if w else "" for w in words]
    share = [sum(f in PRONOUNS for f in firsts) / len(firsts), max(map(firsts.count, firsts)) / len(firsts)]
    heads = set(firsts)
    if len(heads) != 1 or "" in heads:
        return [0.0, 0.0, 0.0, 0.0] + share
    (h,) = heads
    return [1.0, float(h in PRONOUNS), float(h in WEAK), float(len(h) >= 2)] + share


def slot_features(words: list[list[str]], lens: list[int]) -> list[float]:
    """How the branches fill one template: the words all share (in order) and what lies between them.

    Returns the share of the mean branch length the shared words take (all,
    and content words only), the content words shared (up to 3, over 3), the
    slots between them (up to 4, over 4), the share of slots every branch
    fills with as many characters, and the largest relative spread of one
    slot's filler lengths. 排比 fills one frame with fillers of one size
    (多一份细心，多一份体贴，多一份谦让); clauses that merely share a word do not.
    """
    anchors = shared_words(words)
    content = [a for a in anchors if a not in WEAK and a not in PUNCT]
    fill = [[len(x) for x in fillers(w, anchors)] for w in words]
    slots = [col for col in zip(*fill) if any(col)]
    mean_len = sum(lens) / len(lens)
    return [sum(map(len, anchors)) / mean_len, sum(map(len, content)) / mean_len, min(len(content), 3) / 3,
            min(len(slots), 4) / 4, sum(len(set(col)) == 1 for col in slots) / len(slots) if slots else 1.0,
            max((max(col) - min(col)) / max(col) for col in slots) if slots else 0.0]


def asked(text: str, branches: list[tuple[int, int]]) -> float:
    """Share of branches closed by a question or exclamation mark (rhetorical series: 难道…？难道…？)."""
    n = 0
    for _, e in branches:
        while e < len(text) and text[e] in CLOSING_QUOTES:
            e += 1
        n += e < len(text) and text[e] in "？！?!"
    return n / len(branches)


def opens_alike(text: str, c: Candidate) -> bool:
    """Whether a run is kept whatever the run scorer says: three or more clauses opening alike.

    Three clauses (or list items) opening alike are 排比 by definition, even
    where the essay annotators passed some over. Runs of whole sentences or
    ；-segments get no such floor: sentences opening with one subject (我们…。
    我们…。) are mostly plain narration, and cross-validation on the training
    essays puts the floor's precision there near zero.
    """
    return (c.run is not None and c.run.granularity <= CLAUSES and len(c.branches) >= 3
            and shared_opening(text, c.branches) >= 2)


def shared_opening(text: str, branches: list[tuple[int, int]]) -> int:
    """Characters all branches share at their start (0 when that is a whole branch)."""
    strs = [text[s:e] for s, e in branches]
    pre = shared_prefix(strs)
    return len(pre) if len(pre) < min(len(x) for x in strs) else 0
