"""Register: whether a paragraph reads as official prose or as an essay, from the paragraph and its neighbours.

The detector weighs runs of similar units in two ways: in essay prose the run
scorer fitted on the PSE-I essays judges each run, in official prose the
pair-score floors and hand filters do (the official guideline counts the
pairs and plain series the essay annotators passed over). Which way applies
is decided here for every paragraph from local evidence -- never for a whole
document -- so a text that mixes an essay passage with a report is read
passage by passage.

The evidence is a handful of character rates pooled over the paragraph and
the :data:`WINDOW` paragraphs on each side (one paragraph alone is often too
short to tell): personal pronouns, exclamation and question marks, 了 and
quotation marks lean to the essay; 、-lists, figures, 要 and the characters
of public affairs lean to the report. A logistic regression over them (weights by feature name in the
model file, fitted by :func:`analysis.parallel.fit.fit_register` on the PSE-I
training essays against the work reports outside the official-prose gold)
says which.
"""
from __future__ import annotations

import re
from typing import Sequence

import numpy as np


# Characters counted, per feature: the rate of each (per 100 characters of the window) is one feature.
COUNTED = {
    "pronouns": "我你他她它",       # personal pronouns of one person: those inside the words of EXCEPT are not counted
    "plural": "们們",
    "asked": "？！?!",
    "listed": "、",
    "of": "的",
    "perfective": "了",
    "figures": "0123456789０１２３４５６７８９%％",
    "must": "要",
    "quoted": "“”\"",
    # characters of the words of public affairs (国家 人民 党 政府 经济 社会 建设 发展 工业 农业 生产 计划):
    # the older reports narrate with 我们 and 了 as essays do, but of the state (it halved the errors)
    "public": "国党民政经济社会建设发展工业农生产计划" "國黨經濟會設發業產計劃",      # and in the traditional script
}
# 我们 and 我国 (in either script) are the reports' own voice, not a narrator's (counting them put a tenth of the older
# reports' characters on the essay side; without them, under a twentieth)
EXCEPT = {"pronouns": ("我们", "你们", "他们", "她们", "它们", "我国", "我們", "你們", "他們", "她們", "它們", "我國")}
REGISTER_FEATURES = ("bias",) + tuple(COUNTED) + ("log_length",)

# Paragraphs on each side pooled with a paragraph (on the fitting data, 2 put about 1% of either
# register's characters on the wrong side; before the public-affairs feature: 2 about 2-3%, 1 about 4-5%,
# the paragraph alone 8-10%)
WINDOW = 2


def paragraph_counts(text: str, paras: Sequence[tuple[int, int]]) -> list[list[int]]:
    """For each paragraph: its length, then how many of each :data:`COUNTED` group's characters it holds
    (less those inside the words of :data:`EXCEPT`). Counted in numpy over the whole text at once."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    group = _GROUP_OF[np.minimum(codes, len(_GROUP_OF) - 1)]
    starts = np.array([s for s, _ in paras], dtype=np.int64)
    ends = np.array([e for _, e in paras], dtype=np.int64)
    columns = [ends - starts]
    for g, name in enumerate(COUNTED):
        sums = np.concatenate([[0], np.cumsum(group == g)])
        count = sums[ends] - sums[starts]
        if name in _EXCEPT_PATTERN:
            found = np.array([m.start() for m in _EXCEPT_PATTERN[name].finditer(text)], dtype=np.int64)
            count = count - (np.searchsorted(found, ends - 1) - np.searchsorted(found, starts))
        columns.append(count)
    return np.column_stack(columns).tolist()


# the counted characters' code points, sorted, and the group (position in COUNTED) of each
_PAIRS = sorted((ord(ch), g) for g, chars in enumerate(COUNTED.values()) for ch in chars)
# each code point's group, -1 for the others (every code point past the last counted one reads the last
# entry, -1): looked up by indexing, where a sorted search per character of the text took twice as long
_GROUP_OF = np.full(max([c for c, _ in _PAIRS], default=0) + 2, -1, dtype=np.int64)
for _c, _g in reversed(_PAIRS):       # a character of two groups counts in the first, as the search found it
    _GROUP_OF[_c] = _g
_EXCEPT_PATTERN = {name: re.compile("|".join(words)) for name, words in EXCEPT.items()}


def window_matrix(counts: list[list[int]]):
    """The register features of each paragraph pooled over its window, as a numpy array: one row per
    paragraph, one column per :data:`REGISTER_FEATURES` name (in that order)."""
    c = np.asarray(counts, dtype=float).reshape(len(counts), len(COUNTED) + 1)
    sums = np.vstack([np.zeros((1, c.shape[1])), np.cumsum(c, axis=0)])
    at = np.arange(len(counts))
    pooled = sums[np.minimum(at + WINDOW + 1, len(counts))] - sums[np.maximum(at - WINDOW, 0)]
    n = np.maximum(pooled[:, 0], 1.0)
    return np.column_stack([np.ones(len(counts)), 100.0 * pooled[:, 1:] / n[:, None], np.log(n)])


def window_features(counts: list[list[int]]) -> list[dict[str, float]]:
    """The register features (:data:`REGISTER_FEATURES`) of each paragraph, pooled over its window."""
    return [dict(zip(REGISTER_FEATURES, map(float, row), strict=True)) for row in window_matrix(counts)]


def official_paragraphs(text: str, paras: Sequence[tuple[int, int]], model) -> list[bool]:
    """Whether each paragraph reads as official prose (True) or as an essay (False).

    A model without register weights reads every paragraph as an essay (the
    run scorer, where there is one, judges everywhere).
    """
    if not model.register_weights or not paras:
        return [False] * len(paras)
    weights = dict(zip(model.register_features, model.register_weights))
    logits = window_matrix(paragraph_counts(text, paras)) @ np.array([weights[n] for n in REGISTER_FEATURES])
    return [bool(z >= 0.0) for z in logits]      # probability 0.5 or more
