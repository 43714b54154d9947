"""Slogans (提法): candidates from several signals, merged into one counted table.

Detectors are small pure functions over one text (or its tokens), in the
style of textacy's ``extract`` module; each returns plain tuples:

* :func:`quoted_terms` — short quoted strings that read as terms (“三会一课”);
* :func:`compact_numbered`, :func:`counted_phrases` — numeral formulations (两学一做, 四个…, “六稳”);
* :func:`enumerations` — equal-length short phrases joined by 、/，;
* :func:`cohesive_terms` — recurring, strongly associated token n-grams
  with free boundaries (no lexicon needed);
* lexicon entries the user curates.

The work is split in two. :func:`document_evidence` runs every detector
over one document and returns a compact :class:`DocumentEvidence` (counts,
and the document's n-grams as hashed arrays); it runs in the per-document
stage, so it is cached and parallel. :func:`slogan_tables` merges the
evidence (array work), resolves nested forms (a short form almost always
inside a longer slogan becomes its variant), counts every slogan once per
place with a leftmost-longest scan of the cleaned texts, and returns the
tables the pipeline writes. No expected term is listed anywhere: all
filtering is by shape, function words, numerals and statistics.
"""
from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import Iterable, Optional

import ahocorasick  # pyahocorasick: all overlapping matches of thousands of forms in one pass
import numpy as np
import pandas as pd
from tqdm import tqdm

from analysis.cache import text_digest
from analysis.document import AnalyzedDocument, count_characters

# ----------------------------------------------------------------------------- character classes

NUMERALS = "一二三四五六七八九十两百千万零〇"
_NUM_SET = set(NUMERALS)
# Characters that never begin or end a term: particles, conjunctions, prepositions, pronouns.
FUNCTION_CHARS = set("的了和在是与及或等也都就而把被对从向以为之其这那此该各每着过吗呢吧啊将于并且但又再很更最所")
# Measure words and units after a numeral: 二个百分点, 三年, 五次 are counts, not formulations.
MEASURE_CHARS = set("个年月日天次号点时分秒岁倍成项条件名位份批届期种类元角斤吨亩里米层")
# Units and counting nouns after numeral + 个 (二个百分点, 三个方面): bookkeeping, not naming.
UNIT_WORDS = ("百分点", "百分比", "方面", "部分", "阶段", "时期", "问题", "环节", "层次", "小时", "月", "星期",
              "单位", "国家", "地区", "省份", "城市", "项目")
# POS tags (jieba) that cannot stand at either edge of a term.
EDGE_BAD_POS = ("u", "p", "c", "r", "y", "e", "o", "m", "q", "f", "d", "x", "w", "zg", "uj", "ul", "ad")
# Nouns that count things rather than name them (三个方面, 两个问题): general bookkeeping words.
_CJK = re.compile(r"^[\u4e00-\u9fff]+$")
_SENT_PUNCT = "。；！？：\n"
_BREAK = set("，。；！？：、“”‘’《》（）()「」『』\n ·—…,.;:!?\"'")

MIN_COUNT = 2          # a slogan must occur at least this often (quoted and lexicon terms: once)
COHESIVE_MIN_COUNT = 3
COHESIVE_MIN_DOCS = 2
COHESIVE_MIN_PMI = 4.0
COHESIVE_MIN_BINDING = 0.25
QUOTED_SHARE = 0.3     # a quoted term is quoted in at least this share of its uses
LIFE_SPAN = 0.6        # a cohesive expression used across more of the corpus's years is vocabulary
NEST_SHARE = 0.9       # a shorter form this often inside a longer slogan becomes its variant


def is_cjk(s: str) -> bool:
    """True if ``s`` is made only of CJK ideographs."""
    return bool(_CJK.match(s))


# compiled once: this runs on every candidate n-gram
_NUMERAL_MEASURE = re.compile(rf"[{NUMERALS}]+[{''.join(sorted(MEASURE_CHARS))}]")
_REPEATED = re.compile(r"(.+)又\1")
_NUMERAL_GE = re.compile(rf"^[{NUMERALS}]+个")


def is_numeric_noise(form: str) -> bool:
    """True for numeral + measure/unit strings and repetitions (二个百分点, 一个又一个, 十五)."""
    core = form.replace("、", "")
    if all(ch in _NUM_SET for ch in core):
        return True
    if _NUMERAL_MEASURE.fullmatch(core):
        return True
    if _REPEATED.search(core):
        return True
    m = _NUMERAL_GE.match(core)
    if m and (core.startswith("一个") or len(core) - m.end() < 2 or core[m.end():] in UNIT_WORDS):
        return True
    return False


def has_function_edge(form: str) -> bool:
    """True if ``form`` starts or ends with a function word (的, 了, 和, 在, 是 …)."""
    return not form or form[0] in FUNCTION_CHARS or form[-1] in FUNCTION_CHARS


def term_like(form: str, max_len: int = 12) -> bool:
    """True if ``form`` could be a term: CJK (members joined by 、), short, clean edges, not numeric noise."""
    parts = form.split("、")
    if not form or len(form) > max_len or not all(p and is_cjk(p) for p in parts):
        return False
    if any(has_function_edge(p) for p in parts) or is_numeric_noise(form):
        return False
    return len(form) >= 2


# ----------------------------------------------------------------------------- detectors (pure)

_QUOTED = re.compile(r"[“「『‘\"]([^“”「」『』‘’\"\n]{2,16})[”」』’\"]")


def quoted_terms(text: str) -> list[tuple[int, int, str]]:
    """Return ``(start, end, term)`` for quoted strings that read as terms, not quoted speech.

    Offsets cover the term without its quotation marks.
    """
    out = []
    for m in _QUOTED.finditer(text):
        term = m.group(1)
        if term_like(term, max_len=12):
            out.append((m.start(1), m.end(1), term))
    return out


_COMPACT = re.compile(rf"(?:[{NUMERALS}][^{NUMERALS}\W\d]){{2,3}}")
_COUNTED = re.compile(r"([两二三四五六七八九十]+)(个|大)")


def compact_numbered(text: str) -> list[tuple[int, int, str]]:
    """Return numeral-alternating forms such as N X N Y (and N X N Y N Z).

    Rejects forms whose inner characters are measure words (一年一度), whose
    numerals are all 一 (一心一意) or hyperbolic 千/百/万 (千方百计).
    """
    out = []
    for m in _COMPACT.finditer(text):
        form = m.group(0)
        nums, inner = form[0::2], form[1::2]
        if set(nums) <= set("一百千万") or any(ch in MEASURE_CHARS or ch in FUNCTION_CHARS for ch in inner):
            continue
        if m.start() > 0 and text[m.start() - 1] in _NUM_SET:
            continue
        out.append((m.start(), m.end(), form))
    return out


def counted_phrases(tokens: list[tuple[str, int, int]], text: str) -> list[tuple[int, int, str, str]]:
    """Return ``(start, end, phrase, head)`` for numeral + 个/大 + following word (四个意识, 三大攻坚战).

    ``tokens`` are jieba tokens of ``text``; the head is the next CJK word of
    two or more characters. 一个 is never a formulation.
    """
    out = []
    starts = {s: (w, e) for w, s, e in tokens}
    for m in _COUNTED.finditer(text):
        if m.start() > 0 and text[m.start() - 1] in _NUM_SET | {"第", "每", "几", "这", "那", "些"}:
            continue
        nxt = starts.get(m.end())
        if nxt is None:  # the numeral token may swallow the measure word (四个 is one token)
            continue
        head, end = nxt
        if len(head) >= 2 and is_cjk(head) and not has_function_edge(head):
            out.append((m.start(), end, text[m.start():end], head))
    return out


def enumerations(text: str, bounds: set[int], min_len: int = 3, max_len: int = 6) -> list[tuple[int, int, str, int]]:
    """Return ``(start, end, form, n_members)`` for runs of equal-length short members.

    Members are joined by 、 (or are whole clauses joined by ，), each
    ``min_len``–``max_len`` characters, with ends on token boundaries
    (``bounds``: offsets where jieba tokens start or end). Where the outer
    members' length is open (two members inside longer clauses), every
    fitting length is returned; the caller keeps the one the corpus repeats.
    """
    out = []
    pieces = _pieces(text)
    i = 0
    while i < len(pieces) - 1:
        j = i
        while j + 1 < len(pieces) and pieces[j][3] == "、" and pieces[j][3] == pieces[i][3]:
            j += 1
        if j == i:
            j = _comma_chain(pieces, i, min_len, max_len)
        if j > i:
            out.extend(_chain_forms(text, pieces[i:j + 1], bounds, min_len, max_len))
            i = j
        else:
            i += 1
    return out


def _pieces(text: str) -> list[tuple[int, int, str, str]]:
    """Split ``text`` at punctuation into ``(start, end, piece, separator-after)``."""
    out, start = [], 0
    for k, ch in enumerate(text):
        if ch in _BREAK:
            out.append((start, k, text[start:k], ch))
            start = k + 1
    out.append((start, len(text), text[start:], ""))
    return out


def _comma_chain(pieces, i, lo, hi) -> int:
    """Last index of a chain of whole clauses of one length joined by ，, starting at ``i``."""
    n = len(pieces[i][2])
    if not (lo <= n <= hi) or pieces[i][3] != "，" or (i > 0 and pieces[i - 1][3] not in _SENT_PUNCT + "”"):
        return i
    j = i
    while j + 1 < len(pieces) and len(pieces[j + 1][2]) == n and pieces[j][3] == "，":
        j += 1
    if j > i and pieces[j][3] in _SENT_PUNCT + "，":
        return j
    return i


def _chain_forms(text, chain, bounds, lo, hi) -> list[tuple[int, int, str, int]]:
    inner = chain[1:-1]
    lengths = {len(p[2]) for p in inner}
    if len(lengths) > 1:
        return []
    cands = lengths or set(range(lo, hi + 1))
    out = []
    first, last = chain[0], chain[-1]
    for n in sorted(cands):
        if not (lo <= n <= hi) or len(first[2]) < n or len(last[2]) < n:
            continue
        s, e = first[1] - n, last[0] + n
        if s not in bounds or e not in bounds:
            continue
        form = text[s:e]
        members = re.split("[、，]", form)
        if all(term_like(mb, max_len=hi) and len(mb) == n for mb in members):
            out.append((s, e, form, len(members)))
    return out


def _bad_edge(word: str, tags: dict) -> bool:
    tag = tags.get(word) or ""
    return tag.startswith(EDGE_BAD_POS) or (len(word) == 1 and word in FUNCTION_CHARS)


def _function_token(word: str, tags: dict) -> bool:
    return (len(word) == 1 and word in FUNCTION_CHARS) or (tags.get(word) or "").startswith(("u", "p", "c"))


def _drop_dominated(found: dict, grams: Counter) -> dict:
    """Resolve nested n-grams between a longer ``g`` and a shorter ``sub`` inside it.

    If ``g`` accounts for ``NEST_SHARE`` of the shorter's uses, the shorter
    goes (it is a fragment). Otherwise the longer survives only when the
    rest of it (``g`` minus ``sub``, at either edge) is bound to ``sub``
    just as tightly (供给侧 + 结构性改革); a free word added to a term
    (发展 + 新质生产力) makes a phrase, not a longer term.
    """
    drop = set()
    for g in found:
        for k in range(len(g)):
            for m in range(k + 1, len(g) + 1):
                sub = g[k:m]
                if sub == g or sub not in found:
                    continue
                if grams[g] >= NEST_SHARE * grams[sub]:
                    drop.add(sub)
                    continue
                rest = g[m:] if k == 0 else g[:k] if m == len(g) else None
                if rest is None or grams[g] < NEST_SHARE * grams[rest]:
                    drop.add(g)
    return {g: v for g, v in found.items() if g not in drop}


# ----------------------------------------------------------------------------- per-document evidence

# Bump when DocumentEvidence changes shape: evidence of another version (an old cache entry) is recomputed.
EVIDENCE_VERSION = 1
MAX_GRAM_WORDS, MAX_GRAM_CHARS = 5, 10
_MASK = (1 << 64) - 1
_P = np.uint64(0x9E3779B97F4A7C15)   # odd multiplier of the rolling n-gram key
_SALT = [np.uint64((n * 0xD6E8FEB86659FD93) & _MASK) for n in range(MAX_GRAM_WORDS + 1)]
_EDGE_OK_TAGS = ("l", "nz", "j")


@dataclass
class DocumentEvidence:
    """What the slogan stage needs from one document, compact enough to cache and ship between processes.

    Signals are kept as counts, not rows; n-grams as arrays keyed by a stable
    64-bit hash of their words (the same word sequence gets the same key in
    every process), so merging documents is array work, not dict work.
    Insertion orders (first seen first) are kept where the merge's result
    depends on them.
    """

    version: int
    characters: int                 # non-space characters of the clean text (rates per 10,000)
    quoted: dict                    # term -> times it was quoted, first seen first
    numbered: tuple                 # numeral-alternating forms (两学一做), first seen first
    counted: dict                   # numeral + 个/大 + head phrase -> (head, count), first seen first
    enum_sites: tuple               # one tuple of fitting forms per enumeration site, in text order
    words: int                      # CJK words: the unigram total of the PMI
    vocab: str                      # the document's distinct words joined by \0 (word ids index it)
    word_keys: np.ndarray           # uint64 hash of every distinct word
    gram_keys: np.ndarray           # uint64, sorted: every n-gram (≤5 CJK words, ≤10 characters) ...
    gram_counts: np.ndarray         # ... and how often it occurs here (smallest unsigned type)
    cand: np.ndarray                # int32: indices into gram_keys of the term-shaped n-grams ...
    cand_first: np.ndarray          # int32: ... the word index where each first occurs ...
    cand_words: np.ndarray          # ... and its word ids, (k, MAX_GRAM_WORDS), -1 padded (int16/int32)
    nbr_cand: np.ndarray            # int32: 2 * candidate index + side (0 left, 1 right) ...
    nbr_word: np.ndarray            # word id of a CJK neighbour (punctuation and edges are not stored) ...
    nbr_count: np.ndarray           # ... and how often (smallest unsigned type)


def _word_key(word: str) -> int:
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


def _gram_key(columns: list[np.ndarray]) -> np.ndarray:
    """Keys of n-grams given their words' keys, one array per position (the same rule in every process)."""
    h = columns[0].copy()
    for col in columns[1:]:
        h = h * _P + col
    return _mix(h + _SALT[len(columns)])


def _doc_tokens(a: AnalyzedDocument, segmenter=None) -> list[tuple[str, int, int]]:
    """``(word, start, end)`` in the clean text: the stored word boundaries, or a fresh segmentation."""
    text = a.clean.text
    if len(a.token_spans):
        it = iter(a.token_spans)
        return [(text[s:e], s, e) for s, e in zip(it, it)]
    if segmenter is None:
        from analysis.segment import get_segmenter
        segmenter = get_segmenter()
    toks, off = [], 0
    for para in text.split("\n"):
        toks += [(w, s + off, e + off) for w, s, e in segmenter.tokens(para)]
        off += len(para) + 1
    return toks


@lru_cache(maxsize=1)
def pos_tags() -> dict:
    """jieba's dictionary POS of every word (loaded once per process, on first use)."""
    import jieba.posseg
    return jieba.posseg.dt.word_tag_tab


def document_evidence(a: AnalyzedDocument, segmenter=None) -> DocumentEvidence:
    """Run every per-document detector over ``a``; return its :class:`DocumentEvidence`.

    Words are ``a.token_spans``; a document without them is segmented here
    (with ``segmenter``, default: jieba without a lexicon).
    """
    text = a.clean.text
    toks = _doc_tokens(a, segmenter)
    quoted: dict[str, int] = {}
    for _, _, term in quoted_terms(text):
        quoted[term] = quoted.get(term, 0) + 1
    numbered = tuple(dict.fromkeys(form for _, _, form in compact_numbered(text)))
    counted: dict[str, list] = {}
    for _, _, phrase, head in counted_phrases(toks, text):
        counted.setdefault(phrase, [head, 0])[1] += 1
    bounds = {s for _, s, _ in toks} | {e for _, _, e in toks}
    by_site: dict[int, list[str]] = {}
    for s, _, form, _ in enumerations(text, bounds):
        by_site.setdefault(s + len(re.split("[、，]", form)[0]), []).append(form)
    grams = _gram_evidence([w for w, _, _ in toks])
    return DocumentEvidence(
        version=EVIDENCE_VERSION, characters=count_characters(text), quoted=quoted, numbered=numbered,
        counted={k: (h, n) for k, (h, n) in counted.items()},
        enum_sites=tuple(tuple(v) for v in by_site.values()), **grams)


def _small(counts: np.ndarray) -> np.ndarray:
    """Counts in the smallest unsigned type that holds them (most are 1: uint8 usually does)."""
    return counts.astype(np.min_scalar_type(int(counts.max()) if len(counts) else 0))


@lru_cache(maxsize=1 << 18)
def _word_facts(word: str) -> tuple[int, bool, int, bool, bool, bool, bool]:
    """What the n-gram evidence needs of one word: its key (:func:`_word_key`), whether it is CJK, its
    length, and whether it may start a term, may end one, is a function word inside one, may be a term
    alone (by jieba's dictionary POS). Cached: the documents of a corpus share most of their words."""
    tags = pos_tags()
    bad = _bad_edge(word, tags)
    return (_word_key(word), is_cjk(word), len(word),
            not bad and word[0] not in FUNCTION_CHARS and word[0] not in _NUM_SET,
            not bad and word[-1] not in FUNCTION_CHARS,
            _function_token(word, tags),
            len(word) >= 4 and tags.get(word) in _EDGE_OK_TAGS)


def _gram_evidence(words: list[str]) -> dict:
    """Count the document's n-grams and the neighbours of its term-shaped ones (arrays; see DocumentEvidence).

    An n-gram is up to five CJK words, ten characters at most, inside a run
    without punctuation. Term-shaped: 3–10 characters, no function word,
    numeral or bad POS at its edges, no function word inside (one word only if
    idiomatic, l/nz/j, and four characters or more). Only those can be
    cohesive, so only their neighbours are kept. Rules that need the whole
    corpus (counts, PMI, entropy) and numeral-noise checks come at the merge.
    """
    vocab: dict[str, int] = {}
    n_tok = len(words)
    ids = np.fromiter((vocab.setdefault(w, len(vocab)) for w in words), dtype=np.int64, count=n_tok)
    types = list(vocab)
    facts = list(zip(*map(_word_facts, types))) or [()] * 7
    word_keys = np.array(facts[0], dtype=np.uint64)
    cjk_t, len_t = np.array(facts[1], dtype=bool), np.array(facts[2], dtype=np.int64)
    start_ok, end_ok, inner_bad, single_ok = (np.array(f, dtype=bool) for f in facts[3:])
    cjk, keys = cjk_t[ids], word_keys[ids]
    chars_cum = np.concatenate([[0], np.cumsum(len_t[ids])])
    inner_cum = np.concatenate([[0], np.cumsum(inner_bad[ids])])
    occ_key, occ_start, occ_n, occ_cand = [], [], [], []
    valid, run = cjk, keys
    for n in range(1, MAX_GRAM_WORDS + 1):
        m = n_tok - n + 1
        if m <= 0:
            break
        if n > 1:
            valid = valid[:m] & cjk[n - 1:]
            run = run[:m] * _P + keys[n - 1:]
        chars = chars_cum[n:n + m] - chars_cum[:m]
        idx = np.flatnonzero(valid & (chars <= MAX_GRAM_CHARS))
        cand = (chars[idx] >= 3) & start_ok[ids[idx]] & end_ok[ids[idx + n - 1]]
        if n >= 3:
            cand &= inner_cum[idx + n - 1] == inner_cum[idx + 1]
        if n == 1:
            cand &= single_ok[ids[idx]]
        occ_key.append(_mix(run[idx] + _SALT[n]))
        occ_start.append(idx)
        occ_n.append(np.full(len(idx), n, dtype=np.int64))
        occ_cand.append(cand)
    if occ_key:
        occ_key, occ_start = np.concatenate(occ_key), np.concatenate(occ_start)
        occ_n, occ_cand = np.concatenate(occ_n), np.concatenate(occ_cand)
    else:
        occ_key, occ_start, occ_n = (np.zeros(0, np.uint64), np.zeros(0, np.int64), np.zeros(0, np.int64))
        occ_cand = np.zeros(0, bool)
    gram_keys, first, inv, counts = np.unique(occ_key, return_index=True, return_inverse=True, return_counts=True)
    cand = np.flatnonzero(occ_cand[first])
    # the words of each candidate, from its first occurrence
    cstart, cn = occ_start[first[cand]], occ_n[first[cand]]
    wid_type = np.int32 if len(types) >= 2 ** 15 else np.int16
    cand_words = np.full((len(cand), MAX_GRAM_WORDS), -1, dtype=wid_type)
    for k in range(MAX_GRAM_WORDS):
        has = cn > k
        cand_words[has, k] = ids[cstart[has] + k]
    # neighbours of every candidate occurrence that is a CJK word (others are distinct edges: not stored)
    local = np.full(len(gram_keys), -1, dtype=np.int64)
    local[cand] = np.arange(len(cand))
    occ = np.flatnonzero(occ_cand)
    oc, os_, on = local[inv[occ]], occ_start[occ], occ_n[occ]
    parts = []
    left = os_ - 1
    ok = left >= 0
    ok[ok] = cjk[left[ok]]
    parts.append((oc[ok] * 2, ids[left[ok]]))
    right = os_ + on
    ok = right < n_tok
    ok[ok] = cjk[right[ok]]
    parts.append((oc[ok] * 2 + 1, ids[right[ok]]))
    side_key = np.concatenate([p[0] for p in parts])
    word = np.concatenate([p[1] for p in parts])
    pair, pair_n = np.unique(side_key * max(len(types), 1) + word, return_counts=True)  # (side key, word) -> n
    n_types = max(len(types), 1)
    return {"words": int(cjk.sum()), "vocab": "\0".join(types), "word_keys": word_keys,
            "gram_keys": gram_keys, "gram_counts": _small(counts), "cand": cand.astype(np.int32),
            "cand_first": cstart.astype(np.int32), "cand_words": cand_words,
            "nbr_cand": (pair // n_types).astype(np.int32), "nbr_word": (pair % n_types).astype(wid_type),
            "nbr_count": _small(pair_n)}


# ----------------------------------------------------------------------------- cohesive expressions (corpus-wide)

def cohesive_terms(evidence: list[DocumentEvidence], *, min_count: int = COHESIVE_MIN_COUNT,
                   min_docs: int = COHESIVE_MIN_DOCS, min_pmi: float = COHESIVE_MIN_PMI,
                   min_binding: float = COHESIVE_MIN_BINDING, min_entropy: float = 0.5) -> dict[str, dict]:
    """Return cohesive multi-word expressions found across the documents: ``{form: evidence}``.

    A candidate is term-shaped (see :func:`_gram_evidence`), recurs
    (``min_count``, in ``min_docs`` documents), has a weakest internal split
    with PMI ≥ ``min_pmi`` and binding ≥ ``min_binding`` (at that split, the
    larger of P(left | right) and P(right | left): two free words that happen
    to meet, 深入 + 推进, score low), and free left
    and right boundaries (entropy ≥ ``min_entropy``, where every punctuation
    or edge neighbour counts as a distinct word; not mostly followed by 的).
    Nested candidates are resolved by :func:`_drop_dominated`. The evidence
    dicts hold form, count, documents, pmi, binding and both entropies; forms
    come in the order of their first occurrence in the corpus.
    """
    if not evidence:
        return {}
    # every n-gram's corpus count and document count: one hash-table pass over all documents' keys.
    # (Keys are 64-bit hashes of the words: among a few million distinct n-grams a collision is a
    # ~1e-7 chance, and would only add one n-gram's counts to another's.)
    offsets = np.concatenate([[0], np.cumsum([len(ev.gram_keys) for ev in evidence])])
    codes, uniques = pd.factorize(np.concatenate([ev.gram_keys for ev in evidence]))
    codes = codes.astype(np.int32)   # the arrays here grow with the corpus: keep them narrow
    count = np.zeros(len(uniques), dtype=np.int64)
    for d, ev in enumerate(evidence):
        count[codes[offsets[d]:offsets[d + 1]]] += ev.gram_counts  # a document's keys are distinct
    ndocs = np.bincount(codes, minlength=len(uniques))
    total = sum(ev.words for ev in evidence)
    # term-shaped n-grams that recur: one row each, at its first occurrence (document, word index)
    ccode, cdoc, crow, cfirst = [], [], [], []
    for d, ev in enumerate(evidence):
        cc = codes[offsets[d] + ev.cand]
        rows = np.flatnonzero((count[cc] >= min_count) & (ndocs[cc] >= min_docs))
        ccode.append(cc[rows])
        cdoc.append(np.full(len(rows), d, dtype=np.int32))
        crow.append(rows.astype(np.int32))
        cfirst.append(ev.cand_first[rows])
    ccode, cdoc, crow, cfirst = (np.concatenate(x) for x in (ccode, cdoc, crow, cfirst))
    _, keep = np.unique(ccode, return_index=True)
    # word keys of those n-grams, (k, MAX_GRAM_WORDS), 0 past the end
    wkeys = np.zeros((len(keep), MAX_GRAM_WORDS), dtype=np.uint64)
    nwords = np.zeros(len(keep), dtype=np.int64)
    kdoc = cdoc[keep]
    for d in np.unique(kdoc):
        pos = np.flatnonzero(kdoc == d)
        sel = keep[pos]
        ev = evidence[d]
        w = ev.cand_words[crow[sel]].astype(np.int64)
        wkeys[pos] = np.where(w >= 0, ev.word_keys[np.maximum(w, 0)], 0)
        nwords[pos] = (w >= 0).sum(axis=1)
    # the count of every contiguous part words[a:b] (PMI, binding and nesting need them)
    index = pd.Index(uniques)
    part = {}
    for a in range(MAX_GRAM_WORDS):
        for b in range(a + 1, MAX_GRAM_WORDS + 1):
            rows = np.flatnonzero(nwords >= b)
            pc = np.zeros(len(keep), dtype=np.int64)
            if len(rows):
                pos = index.get_indexer(_gram_key([wkeys[rows, k] for k in range(a, b)]))
                pc[rows] = count[pos]
            part[a, b] = pc
    c = count[ccode[keep]].astype(float)
    pmi = np.full(len(keep), np.inf)
    bind = np.ones(len(keep))
    with np.errstate(divide="ignore", invalid="ignore"):
        for k in range(1, MAX_GRAM_WORDS):
            for n in range(k + 1, MAX_GRAM_WORDS + 1):
                rows = np.flatnonzero(nwords == n)
                lc, rc = part[0, k][rows].astype(float), part[k, n][rows].astype(float)
                pmi[rows] = np.minimum(pmi[rows], np.log(c[rows] * total / (lc * rc)))
                bind[rows] = np.minimum(bind[rows], np.maximum(c[rows] / lc, c[rows] / rc))
    good = np.flatnonzero((pmi >= min_pmi) & (bind >= min_binding))
    # the words themselves, only for these (numeral noise is a test on the string)
    words = _gram_words(evidence, cdoc[keep[good]], crow[keep[good]], nwords[good])
    ok = [not is_numeric_noise("".join(g)) for g in words]
    good, words = good[ok], [g for g, o in zip(words, ok) if o]
    # boundary entropies from the neighbour counts of these n-grams only
    want = np.zeros(len(uniques), dtype=np.int64) - 1
    want[ccode[keep[good]]] = np.arange(len(good))
    rows, side, wkey, wn = [], [], [], []
    for d, ev in enumerate(evidence):
        g = want[codes[offsets[d] + ev.cand[ev.nbr_cand // 2]]]
        m = g >= 0
        rows.append(g[m])
        side.append(ev.nbr_cand[m] % 2)
        wkey.append(ev.word_keys[ev.nbr_word[m].astype(np.int64)])
        wn.append(ev.nbr_count[m])
    nb = pd.DataFrame({"row": np.concatenate(rows), "side": np.concatenate(side),
                       "word": np.concatenate(wkey), "n": np.concatenate(wn).astype(np.int64)})
    nb = nb.groupby(["row", "side", "word"], sort=False)["n"].sum().reset_index()
    nb["nlogn"] = nb["n"] * np.log(nb["n"])
    cg = c[good]
    sums = np.zeros((len(good), 2))
    np.add.at(sums, (nb["row"].to_numpy(), nb["side"].to_numpy()), nb["nlogn"].to_numpy())
    ent = np.log(cg)[:, None] - sums / cg[:, None]   # H = log T − Σ n log n / T; edges are singletons (0)
    de = np.zeros(len(good))
    de_rows = nb[(nb["side"] == 1) & (nb["word"] == np.uint64(_word_key("的")))]
    de[de_rows["row"].to_numpy()] = de_rows["n"].to_numpy()
    found: dict[tuple, dict] = {}
    order = np.lexsort((nwords[good], cfirst[keep[good]], cdoc[keep[good]]))  # first occurrence in the corpus
    # the tests and values as Python lists, read once per n-gram (as before: min(a, b) is b only if b < a)
    weaker = np.where(ent[:, 1] < ent[:, 0], ent[:, 1], ent[:, 0])
    free = ((weaker >= min_entropy) & ~(de >= 0.5 * cg)).tolist()
    values = list(zip(cg.astype(np.int64).tolist(), ndocs[ccode[keep[good]]].tolist(), pmi[good].tolist(),
                      bind[good].tolist(), ent[:, 0].tolist(), ent[:, 1].tolist()))
    for j in order.tolist():
        if free[j]:
            n, docs, p, b, left, right = values[j]
            found[words[j]] = {"form": "".join(words[j]), "count": n, "documents": docs, "pmi": p, "binding": b,
                               "left_entropy": left, "right_entropy": right}
    # counts of the nested parts of what was found, for the nesting rules
    grams = {}
    parts = {ab: pc[good].tolist() for ab, pc in part.items()}
    for j in order.tolist():
        g = words[j]
        if g in found:
            for (a, b), pc in parts.items():
                if b <= len(g):
                    grams[g[a:b]] = pc[j]
    return {v["form"]: v for v in _drop_dominated(found, grams).values()}


def _gram_words(evidence: list[DocumentEvidence], doc: np.ndarray, row: np.ndarray, n: np.ndarray) -> list[tuple]:
    """The words of candidate n-grams given by document, row in its ``cand_words`` and word count, as tuples
    (read a document at a time: one vocabulary split and one array-to-list each)."""
    words: list = [None] * len(doc)
    for d in np.unique(doc).tolist():
        pos = np.flatnonzero(doc == d)
        voc = evidence[d].vocab.split("\0")
        for p, ids, k in zip(pos.tolist(), evidence[d].cand_words[row[pos]].tolist(), n[pos].tolist()):
            words[p] = tuple(voc[w] for w in ids[:k])
    return words


# ----------------------------------------------------------------------------- candidates and merging

@dataclass
class Candidate:
    """One slogan form and the evidence gathered for it."""

    form: str
    signals: set = field(default_factory=set)
    members: list = field(default_factory=list)
    variants: set = field(default_factory=set)
    category: str = ""
    note: str = ""
    quoted: int = 0
    evidence: dict = field(default_factory=dict)


KIND_ORDER = ("lexicon", "enumeration", "numbered", "quoted", "cohesive")


def main_kind(signals: Iterable[str]) -> str:
    """The kind shown for a slogan: the most specific signal among those that found it."""
    sig = set(signals)
    for kind in ("enumeration", "numbered", "quoted", "cohesive", "lexicon"):
        if kind in sig:
            return kind
    return "cohesive"


def is_numbered(form: str) -> bool:
    """True if the form is a numeral formulation (四个意识, 两学一做, 六稳)."""
    return bool(form) and form[0] in _NUM_SET and not is_numeric_noise(form)


def gather_candidates(evidence: list[DocumentEvidence]) -> dict[str, Candidate]:
    """Merge the documents' evidence into candidates keyed by form (in the order they are first seen)."""
    cands: dict[str, Candidate] = {}

    def add(form: str, signal: str) -> Candidate:
        c = cands.get(form) or cands.setdefault(form, Candidate(form))
        c.signals.add(signal)
        return c

    counted: dict[str, list] = {}
    for ev in evidence:
        for term, n in ev.quoted.items():
            c = add(term, "enumeration" if "、" in term else "quoted")
            c.signals.add("quoted")
            c.quoted += n
            if "、" in term:
                c.members = term.split("、")
        for form in ev.numbered:
            add(form, "numbered")
        for phrase, (head, n) in ev.counted.items():
            counted.setdefault(phrase, [head, 0])[1] += n
    _add_counted(counted, add)
    _add_enumerations([ev.enum_sites for ev in evidence], add)
    for form, found in cohesive_terms(evidence).items():
        add(form, "cohesive").evidence.update(found)
    for form, c in cands.items():
        if is_numbered(form):
            c.signals.add("numbered")
    return cands


def _add_counted(counted: dict[str, list], add) -> None:
    """Keep numeral + 个/大 + head phrases that recur and whose head is not a counting noun.

    ``counted`` maps a phrase to ``[head, count]``. A head seen after three or
    more different numerals (两个方面, 三个方面, 四个方面) counts things; a
    formulation binds its head to one number.
    """
    numerals = defaultdict(set)
    for phrase, (head, _) in counted.items():
        numerals[head].add(phrase[:-len(head)])
    for phrase, (head, n) in counted.items():
        if n >= MIN_COUNT and len(numerals[head]) < 3 and not is_numeric_noise(phrase):
            add(phrase, "numbered")


def _add_enumerations(sites: list[tuple], add) -> None:
    """Keep, per site, the enumeration length the corpus repeats most; add those that recur.

    ``sites`` holds, per document, one tuple of fitting forms per site.
    """
    freq = Counter(form for doc_sites in sites for forms in doc_sites for form in forms)
    docs = Counter(form for doc_sites in sites for form in {f for forms in doc_sites for f in forms})
    for doc_sites in sites:
        for forms in doc_sites:
            best = max(forms, key=lambda f: (freq[f], len(f)))
            if freq[best] >= MIN_COUNT and (docs[best] >= 2 or _parallel_shape(best)):
                c = add(best, "enumeration")
                c.members, c.evidence["enumerated"] = re.split("[、，]", best), True


def _parallel_shape(form: str) -> bool:
    """True if the members share a character at the same position (大众创业、万众创新)."""
    members = re.split("[、，]", form)
    return any(len({m[k] for m in members}) == 1 for k in range(len(members[0])))


def add_lexicon(cands: dict[str, Candidate], lexicon) -> None:
    """Merge curated entries: canonical forms become candidates, variants are attached."""
    for entry in lexicon or []:
        c = cands.get(entry.canonical) or cands.setdefault(entry.canonical, Candidate(entry.canonical))
        c.signals.add("lexicon")
        c.variants.update(v for v in entry.variants if v != entry.canonical)
        c.category, c.note = entry.category, entry.note
        if "、" in entry.canonical:
            c.members = entry.canonical.split("、")
        for v in entry.variants:
            if v in cands and v != entry.canonical:
                c.signals |= cands.pop(v).signals - {"lexicon"}


# ----------------------------------------------------------------------------- counting

def find_all(forms: list[str], texts: list[str], memo: Optional[dict] = None) -> list[np.ndarray]:
    """Every occurrence of ``forms`` (sorted, distinct) in each of ``texts``, overlaps included.

    Returns per text an int64 array of flattened ``(last character, form
    index)`` pairs, in the order an Aho–Corasick scan meets them: by end,
    the longer form first at one end. ``memo`` (updated in place) keeps the
    forms and results of the last call by text digest, so a text seen then
    is scanned again only for the forms added since: a scan for a handful of
    forms takes milliseconds where one for all ~4,500 candidate forms of the
    work reports takes about 0.17 s. Results equal a fresh scan's.
    """
    memo = {} if memo is None else memo
    if not forms:
        memo.update(forms=[], found={})
        return [np.zeros(0, np.int64) for _ in texts]
    old_forms, old_found = memo.get("forms", []), memo.get("found", {})
    index = {f: i for i, f in enumerate(forms)}
    before = set(old_forms)
    remap = np.array([index.get(f, -1) for f in old_forms] + [-1], dtype=np.int64)
    length = np.array([len(f) for f in forms], dtype=np.int64)
    added = _automaton({f: index[f] for f in forms if f not in before})
    every = None   # all forms: built only if some text was never scanned
    found, out = {}, []
    for text in texts:
        key = text_digest(text)
        flat = found.get(key)
        if flat is None and key in old_found:
            flat = _rescan(old_found[key], remap, added, text, length)
        elif flat is None:
            every = every or _automaton(index)
            flat = _scan(every, text)
        found[key] = flat
        out.append(flat)
    memo.update(forms=list(forms), found=found)
    return out


def _automaton(ids: dict[str, int]) -> Optional[ahocorasick.Automaton]:
    """An Aho–Corasick automaton reporting ``ids[form]`` for each form (None if there are none)."""
    if not ids:
        return None
    automaton = ahocorasick.Automaton()
    for form, i in ids.items():
        automaton.add_word(form, i)
    automaton.make_automaton()
    return automaton


def _scan(automaton: Optional[ahocorasick.Automaton], text: str) -> np.ndarray:
    """The flattened ``(last character, id)`` pairs of every match in ``text``, in scan order."""
    if automaton is None:
        return np.zeros(0, np.int64)
    return np.fromiter(chain.from_iterable(automaton.iter(text)), dtype=np.int64)


def _rescan(old: np.ndarray, remap: np.ndarray, added, text: str, length: np.ndarray) -> np.ndarray:
    """A text's earlier matches with form ids mapped to the new forms (gone ones dropped), plus the
    matches of the added forms, merged into scan order."""
    last, fid = old[0::2], remap[old[1::2]]
    keep = fid >= 0
    last, fid = last[keep], fid[keep]
    more = _scan(added, text)
    if len(more):
        last, fid = np.concatenate([last, more[0::2]]), np.concatenate([fid, more[1::2]])
        order = np.lexsort((-length[fid], last))   # the scan's order: by end, then longest first
        last, fid = last[order], fid[order]
    flat = np.empty(2 * len(last), dtype=np.int64)
    flat[0::2], flat[1::2] = last, fid
    return flat


class _Occurrences:
    """Every occurrence of a set of forms in every document, overlaps included, as flat arrays.

    One Aho–Corasick pass per text, done once: the nesting rules, the
    joined spellings and every round of counting select from these arrays
    instead of scanning the texts again. Positions are also given on one
    line across the corpus (``gstart``/``gend``, documents kept apart), so
    overlaps can be found without a per-document loop.
    """

    def __init__(self, forms: Iterable[str], texts: list[str], memo: Optional[dict] = None):
        self.forms = sorted({f for f in forms if f})
        self.id = {f: i for i, f in enumerate(self.forms)}
        self.length = np.array([len(f) for f in self.forms] or [0], dtype=np.int64)
        docs, ends, fids, shift, shifts = [], [], [], 0, []
        for d, (text, flat) in enumerate(zip(texts, find_all(self.forms, texts, memo))):
            ends.append(flat[0::2] + 1)
            fids.append(flat[1::2])
            docs.append(np.full(len(flat) // 2, d, dtype=np.int64))
            shifts.append(shift)
            shift += len(text) + 1
        self.doc = np.concatenate(docs) if docs else np.zeros(0, np.int64)
        self.fid = np.concatenate(fids) if fids else np.zeros(0, np.int64)
        self.end = np.concatenate(ends) if ends else np.zeros(0, np.int64)
        self.start = self.end - self.length[self.fid]
        self.shift = np.array(shifts or [0], dtype=np.int64)
        self.gstart, self.gend = self.start + self.shift[self.doc], self.end + self.shift[self.doc]

    def ids(self, forms: Iterable[str]) -> np.ndarray:
        """A mask over form ids: True for ``forms``."""
        mask = np.zeros(len(self.forms) + 1, dtype=bool)
        mask[[self.id[f] for f in forms if f in self.id]] = True
        return mask

    def longest(self, active: np.ndarray) -> np.ndarray:
        """Indices of the occurrences kept by leftmost-longest counting among forms with ``active[fid]``.

        Longest first, then leftmost, each character counted once; an
        occurrence overlapping no other is kept at once, and only clusters
        of overlapping occurrences are resolved one by one. Returned in
        corpus order (document, start).
        """
        idx = np.flatnonzero(active[self.fid])
        if not len(idx):
            return idx
        idx = idx[np.lexsort((self.gend[idx], self.gstart[idx]))]
        s, e = self.gstart[idx], self.gend[idx]
        reach = np.maximum.accumulate(e)
        new = np.ones(len(idx), dtype=bool)
        new[1:] = s[1:] >= reach[:-1]          # starts a new cluster of overlapping occurrences
        cluster = np.cumsum(new)
        size = np.bincount(cluster)
        alone = size[cluster] == 1
        crowded = np.flatnonzero(~alone)
        chosen = crowded[_longest_in_clusters(s[crowded].tolist(), e[crowded].tolist(), cluster[crowded])]
        out = np.concatenate([idx[alone], idx[chosen]])
        return out[np.argsort(self.gstart[out], kind="stable")]


def _longest_in_clusters(starts: list[int], ends: list[int], cluster: np.ndarray) -> list[int]:
    """Positions kept from clusters of overlapping occurrences (``cluster`` numbers them, in runs):
    in each, longest first, then leftmost, an occurrence is kept if it overlaps none kept before."""
    cuts = (np.flatnonzero(np.diff(cluster)) + 1).tolist()
    chosen = []
    for lo, hi in zip([0] + cuts, cuts + [len(starts)]):
        taken: list[tuple[int, int]] = []
        for k in sorted(range(lo, hi), key=lambda k: (starts[k] - ends[k], starts[k])):
            a, b = starts[k], ends[k]
            if all(b <= ta or a >= tb for ta, tb in taken):
                taken.append((a, b))
                chosen.append(k)
    return chosen


def resolve_nesting(cands: dict[str, Candidate], occ: _Occurrences, texts: list[str],
                    memo: Optional[dict] = None) -> dict[str, Candidate]:
    """Fold a form into a longer slogan when ``NEST_SHARE`` of its occurrences lie inside it.

    Returns the candidates left, the folded forms added to the longer one's
    variants. ``occ`` must hold every candidate form; ``memo`` is passed to
    :func:`_free_extensions`.
    """
    sel = np.flatnonzero(occ.ids(cands)[occ.fid])
    total_arr = np.bincount(occ.fid[sel], minlength=len(occ.forms))
    total = Counter({occ.forms[i]: int(n) for i, n in enumerate(total_arr) if n})
    inside = _inside_counts(occ, sel)
    out = {f: c for f, c in cands.items() if _keeps_signals(c, total[f])}
    for f in _free_extensions(out, total, inside, texts, memo):
        del out[f]
    for short in sorted(out, key=len):
        if short not in out or not inside[short]:
            continue
        longer, n = inside[short].most_common(1)[0]
        if longer in out and n >= NEST_SHARE * total[short] and "lexicon" not in cands[short].signals:
            out[longer].variants.add(short)
            out[longer].variants |= cands[short].variants
            del out[short]
    for c in out.values():
        c.evidence["occurrences"] = total[c.form]
    return out


def _inside_counts(occ: _Occurrences, sel: np.ndarray) -> dict[str, Counter]:
    """``inside[short][longer]``: how often an occurrence of ``short`` lies inside one of ``longer``.

    Each Counter is filled in the order a scan of the corpus meets the pairs
    (by the longer occurrence's end, longest first, then the shorter's
    start), so that ties in ``most_common`` fall as they always did.
    """
    inside: dict[str, Counter] = defaultdict(Counter)
    if not len(sel):
        return inside
    order = sel[np.lexsort((-occ.gend[sel], occ.gstart[sel]))]  # by start, the longer first
    s, e = occ.gstart[order], occ.gend[order]
    outer, inner = [], []
    a, lag = np.arange(len(order)), 0
    while len(a):   # pair each occurrence with the ones starting 1, 2, … places later, while inside its span
        lag += 1
        a = a[a + lag < len(order)]
        a = a[s[a + lag] < e[a]]
        hit = a[e[a + lag] <= e[a]]
        outer.append(order[hit])
        inner.append(order[hit + lag])
    if not outer:
        return inside
    outer, inner = np.concatenate(outer), np.concatenate(inner)
    met = np.lexsort((occ.gend[inner], occ.gstart[inner], -occ.length[occ.fid[outer]], occ.gend[outer]))
    pairs = pd.DataFrame({"short": occ.fid[inner[met]], "long": occ.fid[outer[met]]})
    counts = pairs.groupby(["short", "long"], sort=False).size()
    for (short, long), n in counts.items():
        inside[occ.forms[short]][occ.forms[long]] = int(n)
    return inside


def _free_extensions(cands: dict[str, Candidate], total: Counter, inside: dict, texts: list[str],
                     memo: Optional[dict] = None) -> set[str]:
    """Cohesive forms that are another candidate plus a free word (实现 + 四个…): phrases, not terms.

    ``memo``: as for :func:`find_all`, which counts the free words in ``texts``.

    A longer form ``L = rest + S`` (or ``S + rest``) is a phrase when ``S``
    is often used without it and ``rest`` is often used without ``S``.
    """
    pairs = []
    for short, longers in inside.items():
        for longer in longers:
            if short in cands and longer in cands and cands[longer].signals == {"cohesive"}:
                if total[longer] < NEST_SHARE * total[short]:
                    rest = (longer[len(short):] if longer.startswith(short)
                            else longer[:-len(short)] if longer.endswith(short) else "")
                    if rest:
                        pairs.append((longer, rest))
    if not pairs:
        return set()
    rests = sorted({rest for _, rest in pairs})
    flats = find_all(rests, texts, memo)
    rest_total = np.bincount(np.concatenate([f[1::2] for f in flats] or [np.zeros(0, np.int64)]),
                             minlength=len(rests))
    rest_total = dict(zip(rests, rest_total.tolist()))
    return {longer for longer, rest in pairs if total[longer] < NEST_SHARE * rest_total[rest]}


def _keeps_signals(c: Candidate, occurrences: int) -> bool:
    """Drop the quoted signal where quotes are rare (scare quotes on a common word); keep if any signal is left."""
    if "quoted" in c.signals and c.quoted < QUOTED_SHARE * occurrences:
        c.signals.discard("quoted")
        if c.signals == {"enumeration"} and not c.evidence.get("enumerated"):
            c.signals.discard("enumeration")
    return bool(c.signals)


def _joined_forms(cands: dict[str, Candidate]) -> dict[str, Candidate]:
    """The 、-less spelling of every enumeration (不忘…牢记… written without 、), to the candidate it spells."""
    return {c.form.replace("、", "").replace("，", ""): c for c in cands.values() if c.members}


def _joined_variants(wanted: dict[str, Candidate], occ: _Occurrences) -> None:
    """Add the joined spellings the text has (counted leftmost-longest among themselves) as variants."""
    if not wanted:
        return
    for i in set(occ.fid[occ.longest(occ.ids(wanted))].tolist()):
        wanted[occ.forms[i]].variants.add(occ.forms[i])


# ----------------------------------------------------------------------------- tables

HIT_COLUMNS = ["slogan", "doc_id", "year", "start", "end", "clean_start", "clean_end", "hit",
               "left", "right", "context", "paragraph"]


def slogan_tables(analyzed: list[AnalyzedDocument], *, lexicon=None, progress: bool = True,
                  memo: Optional[dict] = None) -> dict[str, pd.DataFrame]:
    """Extract slogans from analysed documents; return the tables by name.

    ``slogans``, ``slogan_hits``, ``slogan_years``, ``slogan_docs`` and
    ``cooccurrence`` (see the module docstring and DESIGN.md). Each
    document's :class:`DocumentEvidence` is taken from ``a.slogan_evidence``
    (computed by the per-document stage) or computed here where missing.
    ``memo`` (a dict, updated in place; see :func:`find_all`) carries the
    text scans over to the next run, which then scans only what changed.
    """
    memo = {} if memo is None else memo
    evidence = []
    for a in tqdm(analyzed, desc="提法：候选", unit="篇", disable=not progress):
        ev = a.slogan_evidence
        if not isinstance(ev, DocumentEvidence) or ev.version != EVIDENCE_VERSION:
            segmenter = None
            if lexicon and not len(a.token_spans):
                from analysis.segment import get_segmenter, lexicon_terms
                segmenter = get_segmenter(tuple(lexicon_terms(lexicon)))
            ev = document_evidence(a, segmenter)
        evidence.append(ev)
    texts = [a.clean.text for a in analyzed]
    cands = gather_candidates(evidence)
    add_lexicon(cands, lexicon)
    joined = _joined_forms(cands)
    # every form counted from here on is a candidate, a variant or a joined spelling: one scan finds them all
    occ = _Occurrences(set(cands) | set(joined) | {v for c in cands.values() for v in c.variants}, texts,
                       memo.setdefault("forms", {}))
    _joined_variants(joined, occ)
    cands = resolve_nesting(cands, occ, texts, memo.setdefault("free words", {}))
    for _ in range(3):  # dropping a slogan frees its places for others: recount until stable
        hits = _count_hits(cands, occ)
        if not _prune(hits, cands, analyzed):
            break
    return build_tables(cands, _hits_table(hits, occ, analyzed), analyzed, evidence)


def _count_hits(cands: dict[str, Candidate], occ: _Occurrences) -> dict[str, np.ndarray]:
    """The counted occurrences of the candidates and their variants.

    Returns ``{"occ": indices into occ, "doc": document numbers, "slogan": the slogan each counts for}``.
    """
    owner = {}
    for c in cands.values():
        for v in c.variants:
            owner.setdefault(v, c.form)
    for c in cands.values():
        owner[c.form] = c.form
    kept = occ.longest(occ.ids(owner))
    names = np.array([owner.get(f, "") for f in occ.forms] + [""], dtype=object)
    return {"occ": kept, "doc": occ.doc[kept], "slogan": names[occ.fid[kept]]}


def _prune(hits: dict, cands: dict[str, Candidate], analyzed: list[AnalyzedDocument]) -> int:
    """Drop slogans with too few hits or, if only cohesive, used across the whole period; return how many.

    Quoted, enumerated and lexicon terms need one hit, others ``MIN_COUNT``.
    A cohesive expression whose first and last years span more than
    ``LIFE_SPAN`` of the corpus's years is ordinary vocabulary, not a
    formulation with a life cycle (checked only for corpora of five years or more).
    """
    doc_year = np.array([np.nan if a.doc.year is None else float(a.doc.year) for a in analyzed] + [np.nan])
    years = sorted({int(a.doc.year) for a in analyzed if a.doc.year is not None})
    codes, names = pd.factorize(hits["slogan"])
    counts = dict(zip(names.tolist(), np.bincount(codes, minlength=len(names)).tolist()))
    span = _year_spans(codes, names, doc_year[hits["doc"]])
    whole = (years[-1] - years[0]) if len(years) >= 5 else 0
    drop = []
    for f, c in cands.items():
        n = counts.get(f, 0)
        if n < (1 if c.signals & {"quoted", "lexicon", "enumeration"} else MIN_COUNT):
            drop.append(f)
        elif whole and c.signals == {"cohesive"} and f in span:
            if span[f] > LIFE_SPAN * whole:
                drop.append(f)
    for f in drop:
        del cands[f]
    return len(drop)


def _year_spans(codes: np.ndarray, names: np.ndarray, year: np.ndarray) -> dict[str, float]:
    """Last minus first year of each name's hits (``codes`` index ``names``; undated hits, NaN, left out);
    names without a dated hit are absent."""
    dated = ~np.isnan(year)
    first, last = np.full(len(names), np.inf), np.full(len(names), -np.inf)
    np.minimum.at(first, codes[dated], year[dated])
    np.maximum.at(last, codes[dated], year[dated])
    has = np.isfinite(first)
    return dict(zip(np.asarray(names, dtype=object)[has].tolist(), (last - first)[has].tolist()))


def _hits_table(hits: dict, occ: _Occurrences, analyzed: list[AnalyzedDocument]) -> pd.DataFrame:
    """One row per counted occurrence, built column by column: raw offsets, paragraph and KWIC."""
    kept = hits["occ"]
    doc, start, end = occ.doc[kept], occ.start[kept], occ.end[kept]
    forms = np.array(occ.forms + [""], dtype=object)[occ.fid[kept]]
    cuts = np.searchsorted(doc, np.arange(len(analyzed) + 1))
    raw_start, raw_end, para, left, right = [], [], [], [], []
    for d, a in enumerate(analyzed):
        lo, hi = cuts[d], cuts[d + 1]
        if lo == hi:
            continue
        s, e = start[lo:hi], end[lo:hi]
        origin = np.asarray(a.clean.origin, dtype=np.int64)
        raw_start.append(origin[s])
        raw_end.append(origin[e - 1] + 1)
        text = a.clean.text
        newlines = np.array([m.start() for m in re.finditer("\n", text)], dtype=np.int64)
        para.append(np.searchsorted(newlines, s))
        flat = text.replace("\n", " ")
        # one document's strings at a time become a (pandas) string array: no Python object per hit is kept
        left.append(pd.Series([flat[max(0, x - 20):x] for x in s.tolist()], dtype="str"))
        right.append(pd.Series([flat[x:x + 20] for x in e.tolist()], dtype="str"))
    cat = (lambda parts: np.concatenate(parts) if parts else np.zeros(0, np.int64))
    strings = (lambda parts: pd.concat(parts, ignore_index=True) if parts else pd.Series([], dtype="str"))
    year = np.array([np.nan if a.doc.year is None else a.doc.year for a in analyzed] + [np.nan])[doc]
    df = pd.DataFrame({
        "slogan": hits["slogan"], "doc_id": np.array([a.doc_id for a in analyzed] + [""], dtype=object)[doc],
        "year": pd.array(year, dtype="Int64"), "start": cat(raw_start), "end": cat(raw_end),
        "clean_start": start, "clean_end": end, "hit": forms, "left": strings(left), "right": strings(right),
        "context": None, "paragraph": cat(para)}, columns=HIT_COLUMNS)
    df["context"] = df["left"] + "【" + df["hit"] + "】" + df["right"]
    return df


def build_tables(cands: dict[str, Candidate], hits: pd.DataFrame, analyzed: list[AnalyzedDocument],
                 evidence: list[DocumentEvidence]) -> dict[str, pd.DataFrame]:
    """Aggregate hits into the slogans, per-year, per-document and co-occurrence tables."""
    total_chars = sum(ev.characters for ev in evidence) or 1
    year_chars = Counter()
    for a, ev in zip(analyzed, evidence):
        if a.doc.year is not None:
            year_chars[int(a.doc.year)] += ev.characters
    per_doc = hits.groupby(["slogan", "doc_id"]).size().rename("count").reset_index()
    slogans = _slogans_table(cands, hits, total_chars, year_chars)
    return {"slogans": slogans, "slogan_hits": hits, "slogan_years": _years_table(hits, year_chars),
            "slogan_docs": per_doc, "cooccurrence": cooccurrence(hits)}


def _slogans_table(cands, hits, total_chars, year_chars) -> pd.DataFrame:
    """One row per slogan with hits: kind, signals, variants, counts, rate, years, lexicon fields, score."""
    counts, ndocs, years = _slogan_stats(hits)
    n_years = max(len(year_chars), 1)
    rows = []
    for form, c in cands.items():
        n = int(counts.get(form, 0))
        if not n:
            continue
        signals = sorted(c.signals, key=KIND_ORDER.index)
        yr = years.get(form)
        spread = (yr[2] / n_years) if yr is not None else 1.0
        rows.append({
            "slogan": form, "kind": main_kind(c.signals), "signals": "、".join(signals),
            "variants": "、".join(sorted(c.variants - {form}, key=lambda v: (-len(v), v))),
            "count": n, "documents": int(ndocs.get(form, 0)),
            "rate_per_10k": n / total_chars * 10000,
            "first_year": int(yr[0]) if yr is not None else None,
            "last_year": int(yr[1]) if yr is not None else None,
            "category": c.category, "note": c.note, "members": "、".join(c.members),
            "quoted": c.quoted,
            "score": round(math.log1p(n) * len(signals) * (1.5 - spread) * (1 + 0.1 * len(form)), 4),
        })
    cols = ["slogan", "kind", "signals", "variants", "count", "documents", "rate_per_10k", "first_year",
            "last_year", "category", "note", "members", "quoted", "score"]
    df = pd.DataFrame(rows, columns=cols).sort_values(["rate_per_10k", "slogan"], ascending=[False, True])
    for col in ("first_year", "last_year"):
        df[col] = df[col].astype("Int64")
    return df.reset_index(drop=True)


def _slogan_stats(hits: pd.DataFrame) -> tuple[dict, dict, dict]:
    """Per slogan of ``hits``: its hits, its documents, and ``(first year, last year, years)`` of its dated
    hits (slogans without one are absent), by array work on integer codes rather than three groupbys."""
    code, names = pd.factorize(hits["slogan"])
    code, names = code.astype(np.int64), np.asarray(names, dtype=object).tolist()
    counts = dict(zip(names, np.bincount(code, minlength=len(names)).tolist()))
    doc, _ = pd.factorize(hits["doc_id"])
    width = int(doc.max()) + 1 if len(doc) else 1
    ndocs = dict(zip(names, np.bincount(np.unique(code * width + doc) // width, minlength=len(names)).tolist()))
    year = hits["year"].to_numpy(dtype=np.float64, na_value=np.nan)
    dated = ~np.isnan(year)
    if not dated.any():
        return counts, ndocs, {}
    y = year[dated].astype(np.int64)
    low, span = int(y.min()), int(y.max() - y.min()) + 1
    pairs = np.unique(code[dated] * span + (y - low))    # distinct (slogan, year), by slogan then year
    slogan, yr = pairs // span, pairs % span + low
    first = np.flatnonzero(np.r_[True, slogan[1:] != slogan[:-1]])
    last = np.r_[first[1:], len(pairs)] - 1
    years = {names[i]: (a, b, n) for i, a, b, n in zip(slogan[first].tolist(), yr[first].tolist(),
                                                         yr[last].tolist(), (last - first + 1).tolist())}
    return counts, ndocs, years


def _years_table(hits: pd.DataFrame, year_chars: Counter) -> pd.DataFrame:
    """Counts per slogan and year, for every year that has documents (zero where unused)."""
    cols = ["slogan", "year", "count", "characters", "rate_per_10k"]
    years = sorted(year_chars)
    if not len(hits) or not years:
        return pd.DataFrame(columns=cols).astype({"year": "Int64"})
    dated = hits.loc[hits["year"].notna(), ["slogan", "year"]].astype({"year": int})
    counts = dated.groupby(["slogan", "year"]).size()
    grid = pd.MultiIndex.from_product([sorted(hits["slogan"].unique()), years], names=["slogan", "year"])
    df = counts.reindex(grid, fill_value=0).rename("count").reset_index()
    df["characters"] = np.tile(np.array([year_chars[y] for y in years], dtype=int), len(grid) // len(years))
    df["rate_per_10k"] = (df["count"] / df["characters"].where(df["characters"] > 0) * 10000).fillna(0.0)
    df["year"] = df["year"].astype("Int64")
    return df[cols]


def cooccurrence(hits: pd.DataFrame, min_paragraphs: int = 2) -> pd.DataFrame:
    """Pairs of slogans sharing paragraphs: ``slogan_a, slogan_b, paragraphs, pmi``.

    Built from the pairs of slogans in each paragraph; rows come in the
    order of a scan of the paragraphs (document, paragraph, slogan a, slogan b)
    before the final sort, so ties stay where they always were.
    """
    cols = ["slogan_a", "slogan_b", "paragraphs", "pmi"]
    # slogans and documents as integer codes in sorted order: comparing codes compares the strings
    slogan, names = pd.factorize(hits["slogan"], sort=True)
    names = np.asarray(names, dtype=object)
    doc, _ = pd.factorize(hits["doc_id"], sort=True)
    group, slog = _paragraph_slogans(doc, hits["paragraph"].to_numpy(dtype=np.int64), slogan)
    n_par = max(int(group[-1]) + 1 if len(group) else 0, 1)
    single = np.bincount(slog, minlength=len(names))
    a, b, n = _shared_paragraphs(group, slog, len(names), min_paragraphs)
    pmi = [math.log(x * n_par / (y * z)) for x, y, z in zip(n.tolist(), single[a].tolist(), single[b].tolist())]
    df = pd.DataFrame({"slogan_a": names[a], "slogan_b": names[b], "paragraphs": n, "pmi": pmi}, columns=cols)
    return df.sort_values(["paragraphs", "pmi"], ascending=False).reset_index(drop=True)


def _paragraph_slogans(doc: np.ndarray, paragraph: np.ndarray, slogan: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (paragraph, slogan) pairs, sorted by document, paragraph and slogan: the paragraph's
    number in that order (0, 1, …) and the slogan code of each."""
    width_p, width_s = int(paragraph.max(initial=0)) + 1, int(slogan.max(initial=0)) + 1
    key = np.unique((doc.astype(np.int64) * width_p + paragraph) * width_s + slogan)
    place, slog = key // width_s, key % width_s
    return np.cumsum(np.r_[False, place[1:] != place[:-1]]), slog


def _shared_paragraphs(group: np.ndarray, slog: np.ndarray, n_slogans: int,
                       min_paragraphs: int) -> tuple[np.ndarray, ...]:
    """Slogan pairs ``a < b`` sharing at least ``min_paragraphs`` paragraphs: ``(a, b, paragraphs)``, in the
    order of the first paragraph they share, then ``a``, then ``b``."""
    parts, lag, i = [], 0, np.arange(len(group))
    while len(i):   # each slogan with the one 1, 2, … places after it in the same paragraph (codes ascending)
        lag += 1
        i = i[i + lag < len(group)]
        i = i[group[i + lag] == group[i]]
        parts.append((slog[i] * max(n_slogans, 1) + slog[i + lag], group[i]))
    pair = np.concatenate([p for p, _ in parts]) if parts else np.zeros(0, np.int64)
    where = np.concatenate([g for _, g in parts]) if parts else np.zeros(0, np.int64)
    order = np.lexsort((where, pair))   # by pair, then paragraph
    pair, start, size = np.unique(pair[order], return_index=True, return_counts=True)
    first = where[order][start]          # the first paragraph each pair shares
    keep = size >= min_paragraphs
    pair, first, size = pair[keep], first[keep], size[keep]
    a, b = pair // max(n_slogans, 1), pair % max(n_slogans, 1)
    order = np.lexsort((b, a, first))
    return a[order], b[order], size[order]


# ----------------------------------------------------------------------------- report

def slogan_report(slogans: pd.DataFrame, top: int = 30) -> str:
    """A plain-text summary: slogans per kind, then the ``top`` by rate per 10,000 characters."""
    if slogans is None or slogans.empty:
        return "没有找到提法（no slogans found）。"
    lines = [f"提法 {len(slogans)} 个，按类型：" +
             "，".join(f"{k} {n}" for k, n in slogans["kind"].value_counts().items())]
    lines.append(f"按每万字频率前 {top} 个：")
    lines.append(f"{'#':>3}  {'slogan':<22}{'kind':<12}{'count':>6}{'docs':>6}{'rate':>8}  years")
    df = slogans.sort_values("rate_per_10k", ascending=False).head(top)
    for i, r in enumerate(df.itertuples(), 1):
        years = f"{_yr(r.first_year)}–{_yr(r.last_year)}"
        lines.append(f"{i:>3}  {_pad(r.slogan, 22)}{r.kind:<12}{r.count:>6}{r.documents:>6}"
                     f"{r.rate_per_10k:>8.2f}  {years}")
    return "\n".join(lines)


def _yr(v) -> str:
    return "?" if v is None or pd.isna(v) else str(int(v))


def _pad(s: str, width: int) -> str:
    """Pad to a display width where CJK characters take two columns."""
    w = sum(2 if ord(ch) > 0x2e80 else 1 for ch in s)
    return s + " " * max(1, width - w)
