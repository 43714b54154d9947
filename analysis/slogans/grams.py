"""A document's n-grams as hashed arrays: the raw material of the cohesive signal.

An n-gram is keyed by a stable 64-bit hash of its words (the same word
sequence gets the same key in every process), so merging documents is
array work, not dict work.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from itertools import repeat
from typing import NamedTuple

import numpy as np

from analysis.slogans.settings import SloganSettings
from analysis.slogans.shapes import FUNCTION_CHARS, NUMERAL_SET, bad_edge, function_token, is_cjk, pos_tags

_MASK = (1 << 64) - 1
# Words one character short of a term alone may still be one if idiomatic (l), a proper noun (nz) or an
# abbreviation (j): 大跃进, 总路线.
_ALONE_TAGS = ("l", "nz", "j")
_P = np.uint64(0x9E3779B97F4A7C15)   # odd multiplier of the rolling n-gram key
_SALT_STEP = 0xD6E8FEB86659FD93      # the key of an n-gram is salted by n, so lengths never collide


def word_key(word: str) -> int:
    """A stable 64-bit hash of a word (never 0)."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8).digest(),
                          "little") or 1


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, on arrays (uint64 arithmetic wraps)."""
    h = h ^ (h >> np.uint64(30))
    h = h * np.uint64(0xBF58476D1CE4E5B9)
    h = h ^ (h >> np.uint64(27))
    h = h * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


def _finish(run: np.ndarray, n: int) -> np.ndarray:
    """The keys of n-grams of ``n`` words from their rolling hashes."""
    return _mix(run + np.uint64((n * _SALT_STEP) & _MASK))


def gram_key(columns: list[np.ndarray]) -> np.ndarray:
    """Keys of n-grams given their words' keys, one array per position (the same rule in every process)."""
    h = columns[0].copy()
    for col in columns[1:]:
        h = h * _P + col
    return _finish(h, len(columns))


def small_counts(counts: np.ndarray) -> np.ndarray:
    """Counts in the smallest unsigned type that holds them (most are 1: uint8 usually does)."""
    return counts.astype(np.min_scalar_type(int(counts.max()) if len(counts) else 0))


@lru_cache(maxsize=1 << 18)
def _word_facts(word: str, alone_min_chars: int) -> tuple[int, bool, int, bool, bool, bool, bool]:
    """What the n-grams need of one word: its key (:func:`word_key`), whether it is CJK, its length,
    and whether it may start a term, may end one, is a function word inside one (by jieba's dictionary
    POS), may be a term alone (a long word: 实事求是, 依法治国; the ranking tells names from vocabulary). Cached: the documents of a corpus share most of their words."""
    tags = pos_tags()
    bad = bad_edge(word, tags)
    known = word in tags   # a dictionary word's POS decides; an unknown one is judged by its edge characters
    return (word_key(word), is_cjk(word), len(word),
            not bad and (known or word[0] not in FUNCTION_CHARS) and word[0] not in NUMERAL_SET,
            not bad and (known or word[-1] not in FUNCTION_CHARS),
            function_token(word, tags),
            len(word) >= alone_min_chars or (len(word) == alone_min_chars - 1 and tags.get(word) in _ALONE_TAGS))


class _Words(NamedTuple):
    """A document's words as ids into its vocabulary, with per-word facts as arrays over the vocabulary."""

    ids: np.ndarray          # word id of every token
    types: list              # the distinct words, first seen first
    keys: np.ndarray         # uint64 key of every distinct word
    cjk: np.ndarray          # per token: a CJK word
    chars_cum: np.ndarray    # characters before each token (cumulative)
    inner_cum: np.ndarray    # function words before each token (cumulative)
    start_ok: np.ndarray     # per distinct word: may start a term
    end_ok: np.ndarray       # ... may end one
    alone_ok: np.ndarray     # ... may be a term alone


class _FactTable:
    """:func:`_word_facts` of every word seen in this process, as arrays with a row per word: a document's
    words read theirs by one index (a tuple per word, transposed into columns, was most of
    :func:`_words`: 0.14 of its 0.22 s over the work reports)."""

    LIMIT = 1 << 20      # words kept before the table starts afresh (a bound on memory, as the cache has)

    def __init__(self, alone_min_chars: int):
        self.alone_min_chars = alone_min_chars
        self.row: dict[str, int] = {}
        self.keys = np.zeros(0, dtype=np.uint64)
        self.lengths = np.zeros(0, dtype=np.int64)
        self.flags = np.zeros((0, 5), dtype=bool)     # CJK, may start, may end, function word, alone

    def rows(self, types: list[str]) -> np.ndarray:
        """The rows of ``types`` (distinct words), the new ones added first."""
        new = [w for w in types if w not in self.row]
        if len(self.row) + len(new) > self.LIMIT:
            self.__init__(self.alone_min_chars)
            new = list(types)
        if new:
            facts = list(zip(*map(_word_facts, new, repeat(self.alone_min_chars))))
            self.row.update(zip(new, range(len(self.row), len(self.row) + len(new))))
            self.keys = np.concatenate([self.keys, np.array(facts[0], dtype=np.uint64)])
            self.lengths = np.concatenate([self.lengths, np.array(facts[2], dtype=np.int64)])
            columns = [np.array(facts[k], dtype=bool) for k in (1, 3, 4, 5, 6)]
            self.flags = np.concatenate([self.flags, np.column_stack(columns)])
        return np.fromiter(map(self.row.__getitem__, types), dtype=np.int64, count=len(types))


@lru_cache(maxsize=4)
def _fact_table(alone_min_chars: int) -> _FactTable:
    """The process's :class:`_FactTable` for ``alone_min_chars``."""
    return _FactTable(alone_min_chars)


def _words(words: list[str], settings: SloganSettings) -> _Words:
    # ids in order of first use; dict.fromkeys and map run in C, not a Python step per token
    vocab = {w: i for i, w in enumerate(dict.fromkeys(words))}
    ids = np.fromiter(map(vocab.__getitem__, words), dtype=np.int64, count=len(words))
    types = list(vocab)
    table = _fact_table(settings.single_word_min_chars)
    rows = table.rows(types)
    flags = table.flags[rows]
    cjk_t, len_t = flags[:, 0], table.lengths[rows]
    start_ok, end_ok, inner_bad, alone_ok = (np.ascontiguousarray(flags[:, k]) for k in range(1, 5))
    return _Words(ids, types, table.keys[rows], cjk_t[ids],
                  np.concatenate([[0], np.cumsum(len_t[ids])]), np.concatenate([[0], np.cumsum(inner_bad[ids])]),
                  start_ok, end_ok, alone_ok)


def _occurrences(w: _Words, settings: SloganSettings) -> tuple[np.ndarray, ...]:
    """Every n-gram occurrence: ``(key, first word index, words, term-shaped)``, by n then position."""
    ids, n_tok = w.ids, len(w.ids)
    out: list[list] = [[], [], [], []]
    keys = w.keys[ids]
    valid, run = w.cjk, keys
    for n in range(1, settings.gram_max_words + 1):
        m = n_tok - n + 1
        if m <= 0:
            break
        if n > 1:
            valid = valid[:m] & w.cjk[n - 1:]
            run = run[:m] * _P + keys[n - 1:]
        chars = w.chars_cum[n:n + m] - w.chars_cum[:m]
        idx = np.flatnonzero(valid & (chars <= settings.gram_max_chars))
        cand = (chars[idx] >= settings.gram_min_chars) & w.start_ok[ids[idx]] & w.end_ok[ids[idx + n - 1]]
        if n >= 3:
            cand &= w.inner_cum[idx + n - 1] == w.inner_cum[idx + 1]
        if n == 1:
            cand &= w.alone_ok[ids[idx]]
        for part, value in zip(out, (_finish(run[idx], n), idx, np.full(len(idx), n, dtype=np.int64), cand)):
            part.append(value)
    if not out[0]:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, bool)
    return tuple(np.concatenate(part) for part in out)


def _neighbours(w: _Words, cand_of_occ: np.ndarray, start: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, ...]:
    """``(2 * candidate + side, word id)`` of every CJK word next to a candidate occurrence (others are
    distinct edges: not stored), then the count of each distinct pair."""
    ids, n_tok = w.ids, len(w.ids)
    left = start - 1
    ok_left = left >= 0
    ok_left[ok_left] = w.cjk[left[ok_left]]
    right = start + n
    ok_right = right < n_tok
    ok_right[ok_right] = w.cjk[right[ok_right]]
    side_key = np.concatenate([cand_of_occ[ok_left] * 2, cand_of_occ[ok_right] * 2 + 1])
    word = np.concatenate([ids[left[ok_left]], ids[right[ok_right]]])
    n_types = max(len(w.types), 1)
    pair, pair_n = np.unique(side_key * n_types + word, return_counts=True)
    return pair // n_types, pair % n_types, pair_n


def gram_evidence(words: list[str], *, settings: SloganSettings) -> dict:
    """Count the document's n-grams and the neighbours of its term-shaped ones; return the arrays by
    :class:`~analysis.slogans.evidence.DocumentEvidence` field name.

    An n-gram is up to ``gram_max_words`` CJK words, ``gram_max_chars`` at
    most, inside a run without punctuation. Term-shaped: ``gram_min_chars``
    or more, no function word, numeral or bad POS at its edges, no function
    word inside (one word only if idiomatic, l/nz/j, and long). Only those
    can be cohesive, so only their neighbours are kept. Rules that need the
    whole corpus (counts, PMI, entropy) and numeral-noise checks come at the merge.
    """
    w = _words(words, settings)
    occ_key, occ_start, occ_n, occ_cand = _occurrences(w, settings)
    gram_keys, first, inv, counts = np.unique(occ_key, return_index=True, return_inverse=True, return_counts=True)
    cand = np.flatnonzero(occ_cand[first])
    # the words of each candidate, from its first occurrence
    cstart, cn = occ_start[first[cand]], occ_n[first[cand]]
    wid_type = np.int32 if len(w.types) >= 2 ** 15 else np.int16
    cand_words = np.full((len(cand), settings.gram_max_words), -1, dtype=wid_type)
    for k in range(settings.gram_max_words):
        has = cn > k
        cand_words[has, k] = w.ids[cstart[has] + k]
    local = np.full(len(gram_keys), -1, dtype=np.int64)
    local[cand] = np.arange(len(cand))
    occ = np.flatnonzero(occ_cand)
    nbr_cand, nbr_word, nbr_count = _neighbours(w, local[inv[occ]], occ_start[occ], occ_n[occ])
    return {"words": int(w.cjk.sum()), "vocab": "\0".join(w.types), "word_keys": w.keys,
            "gram_keys": gram_keys, "gram_counts": small_counts(counts), "cand": cand.astype(np.int32),
            "cand_first": cstart.astype(np.int32), "cand_words": cand_words,
            "nbr_cand": nbr_cand.astype(np.int32), "nbr_word": nbr_word.astype(wid_type),
            "nbr_count": small_counts(nbr_count)}
