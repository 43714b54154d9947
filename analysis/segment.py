"""Word segmentation with jieba, kept whole on the project's formulations.

The lexicon's terms are added to a tokenizer of the analysis's own, so the
extractors see 不忘初心 as one word. (The site's search matches characters,
not words; see :mod:`analysis.explore_data`.)
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

import jieba

jieba.setLogLevel(logging.WARNING)

# Texts up to _SHORT characters are segmented once per process, the last _SHORT_KEPT of them remembered
# (a few MB): a branch of a parallelism recurs in the reports of later years (one in seven of the
# work reports' short texts is served from memory).
_SHORT, _SHORT_KEPT = 64, 5_000

# A user-dictionary frequency high enough that jieba keeps a term whole
# against its own splits, low enough not to swallow neighbouring words.
_USER_FREQ = 2000


@lru_cache(maxsize=1)
def _to_simplified():
    import opencc  # OpenCC's traditional → simplified tables (a declared dependency)
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=256)
def simplified(text: str) -> str:
    """``text`` with traditional characters as simplified (手工業 → 手工业), the same length, so every
    offset into it is an offset into ``text``. Converted whole where that keeps the length (OpenCC
    then reads phrases), else character by character, a character whose simplified form is longer kept."""
    if text.isascii():
        return text
    conv = _to_simplified()
    whole = conv.convert(text)
    if len(whole) == len(text):
        return whole
    return "".join(c if len(c) == 1 else ch for ch, c in ((ch, conv.convert(ch)) for ch in text))


SEGMENTERS = ("jieba", "rjieba")
# rjieba is the default: the same dictionary and HMM as jieba, tokens identical on all but one of the
# 8,044 work-report paragraphs, and about 8× faster (measured by benchmarks/bench.py). jieba stays the
# reference, one option away (--segmenter jieba).
DEFAULT_SEGMENTER = "rjieba"


@dataclass
class Segmenter:
    """A tokenizer of its own (not jieba's global one) with the lexicon added.

    ``backend`` is "rjieba" (the default: the Rust port of jieba, same
    dictionary, much faster) or "jieba" (the reference). ``cut`` gives words; ``tokens`` gives
    ``(word, start, end)`` in the text passed in; ``pos`` gives ``(word, flag)``.
    """

    terms: tuple[str, ...] = ()
    backend: str = DEFAULT_SEGMENTER
    _tok: object = field(init=False, repr=False)
    _pos: Optional[object] = field(default=None, init=False, repr=False)   # jieba.posseg.POSTokenizer
    _short: dict = field(default_factory=dict, init=False, repr=False)     # short text -> its tokens

    def __post_init__(self) -> None:
        if self.backend == "rjieba":
            import rjieba  # the Rust port of jieba (a declared dependency)
            self._tok = rjieba.Jieba()
            for term in self.terms:
                self._tok.add_word(term, _USER_FREQ, None)
        elif self.backend == "jieba":
            self._tok = jieba.Tokenizer()
            self._tok.initialize()
            for term in self.terms:
                self._tok.add_word(term, _USER_FREQ)
        else:
            raise ValueError(f"unknown segmenter {self.backend!r}; use one of {', '.join(SEGMENTERS)}")

    # Text is segmented as simplified (the dictionary is simplified); offsets are the text's own.
    def cut(self, text: str) -> list[str]:
        text = simplified(text)
        if self.backend == "rjieba":
            return self._tok.cut(text, True)
        return self._tok.lcut(text, HMM=True)

    def tokens(self, text: str) -> list[tuple[str, int, int]]:
        if len(text) <= _SHORT:
            # short texts (the branches of parallel structures) recur across documents: remembered
            found = self._short.get(text)
            if found is None:
                found = self._short[text] = self._tokens(text)
                if len(self._short) > _SHORT_KEPT:
                    del self._short[next(iter(self._short))]      # the oldest first
            return list(found)
        return self._tokens(text)

    def _tokens(self, text: str) -> list[tuple[str, int, int]]:
        text = simplified(text)
        if self.backend == "rjieba":
            return self._tok.tokenize(text, "default", True)    # already a new list of such tuples
        return list(self._tok.tokenize(text, HMM=True))

    def pos(self, text: str) -> list[tuple[str, str]]:
        text = simplified(text)
        if self.backend == "rjieba":
            return [(w, f) for w, f in self._tok.tag(text, True)]
        if self._pos is None:
            import jieba.posseg    # here, not at the top: importing it loads jieba's POS table (0.8 s)
            self._pos = jieba.posseg.POSTokenizer(self._tok)
        return [(p.word, p.flag) for p in self._pos.lcut(text, HMM=True)]


@lru_cache(maxsize=4)
def get_segmenter(terms: tuple[str, ...] = (), backend: str = DEFAULT_SEGMENTER) -> Segmenter:
    """Return a shared :class:`Segmenter` for these terms and backend (built once per process)."""
    return Segmenter(terms, backend)
