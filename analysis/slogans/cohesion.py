"""Cohesive expressions: recurring, strongly associated n-grams with free boundaries, across the corpus.

No lexicon is needed: frequency, association (PMI and binding at the
weakest split) and boundary entropy decide, all computed by array work on
the documents' hashed n-grams (:mod:`analysis.slogans.grams`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from analysis.slogans.evidence import DocumentEvidence
from analysis.slogans.grams import gram_key, word_key
from analysis.slogans.settings import DEFAULT_SETTINGS, SloganSettings
from analysis.slogans.shapes import FUNCTION_CHARS, LEADING_VERBS, TRAILING_HEADS, is_numeric_noise, pos_tags

# Neighbours that are grammar, not context (构建 + 新发展格局, 一带一路 + 建设): each counts as a
# distinct neighbour, like a paragraph edge, so a term always written after 构建 still has a free boundary.
# A particle before a term (…复兴的 + 中国梦) says nothing of where the term starts either.
_FREE_LEFT = np.array(sorted({word_key(w) for w in (*LEADING_VERBS, *FUNCTION_CHARS)}), dtype=np.uint64)
_FREE_RIGHT = np.array(sorted({word_key(w) for w in TRAILING_HEADS}), dtype=np.uint64)


class Cohesion(NamedTuple):
    """Why an n-gram reads as one expression: its use, association and boundary freedom."""

    count: int               # uses in the corpus
    documents: int           # documents using it
    pmi: float               # PMI at its weakest internal split
    binding: float           # larger of P(left | right), P(right | left) at that split
    left_entropy: float      # entropy of the words before it (every edge or punctuation counts as distinct)
    right_entropy: float     # ... and after it


@dataclass
class _Corpus:
    """Every n-gram's corpus count and document count, from one hash-table pass over all documents' keys.

    Keys are 64-bit hashes of the words: among a few million distinct n-grams
    a collision is a ~1e-7 chance, and would only add one n-gram's counts to another's.
    """

    evidence: list
    offsets: np.ndarray      # where each document's keys start in ``codes``
    codes: np.ndarray        # int32 code of every document's every n-gram key
    uniques: np.ndarray      # the distinct keys, by code
    count: np.ndarray        # uses per code
    ndocs: np.ndarray        # documents per code
    words: int               # CJK words in the corpus

    @classmethod
    def of(cls, evidence: list[DocumentEvidence]) -> "_Corpus":
        offsets = np.concatenate([[0], np.cumsum([len(ev.gram_keys) for ev in evidence])])
        codes, uniques = pd.factorize(np.concatenate([ev.gram_keys for ev in evidence]))
        codes = codes.astype(np.int32)   # the arrays here grow with the corpus: keep them narrow
        count = np.zeros(len(uniques), dtype=np.int64)
        for d, ev in enumerate(evidence):
            count[codes[offsets[d]:offsets[d + 1]]] += ev.gram_counts  # a document's keys are distinct
        return cls(evidence, offsets, codes, uniques, count, np.bincount(codes, minlength=len(uniques)),
                   sum(ev.words for ev in evidence))

    def candidate_codes(self, d: int, cand: np.ndarray) -> np.ndarray:
        """The codes of document ``d``'s candidates (indices into its ``gram_keys``)."""
        return self.codes[self.offsets[d] + cand]


@dataclass
class _Recurring:
    """The term-shaped n-grams that recur, one row each at its first occurrence in the corpus."""

    code: np.ndarray         # n-gram code
    doc: np.ndarray          # document of the first occurrence
    row: np.ndarray          # its row in that document's ``cand_words``
    first: np.ndarray        # word index of the first occurrence
    nwords: np.ndarray       # words in the n-gram
    wkeys: np.ndarray        # word keys, (k, gram_max_words), 0 past the end


def _recurring(corpus: _Corpus, settings: SloganSettings) -> _Recurring:
    parts: list[list] = [[], [], [], []]
    for d, ev in enumerate(corpus.evidence):
        cc = corpus.candidate_codes(d, ev.cand)
        # recurring across documents, or a coinage: used often in the one document that introduces it
        rows = np.flatnonzero(((corpus.count[cc] >= settings.cohesive_min_count)
                               & (corpus.ndocs[cc] >= settings.cohesive_min_docs))
                              | ((corpus.ndocs[cc] == 1) & (corpus.count[cc] >= settings.coinage_min_count)))
        for part, value in zip(parts, (cc[rows], np.full(len(rows), d, dtype=np.int32), rows.astype(np.int32),
                                       ev.cand_first[rows])):
            part.append(value)
    code, doc, row, first = (np.concatenate(x) for x in parts)
    _, keep = np.unique(code, return_index=True)
    code, doc, row, first = code[keep], doc[keep], row[keep], first[keep]
    wkeys = np.zeros((len(keep), settings.gram_max_words), dtype=np.uint64)
    nwords = np.zeros(len(keep), dtype=np.int64)
    for d in np.unique(doc):
        pos = np.flatnonzero(doc == d)
        ev = corpus.evidence[d]
        w = ev.cand_words[row[pos]].astype(np.int64)
        wkeys[pos] = np.where(w >= 0, ev.word_keys[np.maximum(w, 0)], 0)
        nwords[pos] = (w >= 0).sum(axis=1)
    return _Recurring(code, doc, row, first, nwords, wkeys)


def _part_counts(corpus: _Corpus, rec: _Recurring, settings: SloganSettings) -> dict[tuple, np.ndarray]:
    """The corpus count of every contiguous part ``words[a:b]`` of each recurring n-gram (0 past its end)."""
    index = pd.Index(corpus.uniques)
    part = {}
    for a in range(settings.gram_max_words):
        for b in range(a + 1, settings.gram_max_words + 1):
            rows = np.flatnonzero(rec.nwords >= b)
            pc = np.zeros(len(rec.code), dtype=np.int64)
            if len(rows):
                pos = index.get_indexer(gram_key([rec.wkeys[rows, k] for k in range(a, b)]))
                pc[rows] = corpus.count[pos]
            part[a, b] = pc
    return part


def _association(c: np.ndarray, part: dict, nwords: np.ndarray, total: int,
                 settings: SloganSettings) -> tuple[np.ndarray, np.ndarray]:
    """PMI and binding of each n-gram at its weakest split (inf and 1 for single words)."""
    pmi = np.full(len(c), np.inf)
    bind = np.ones(len(c))
    with np.errstate(divide="ignore", invalid="ignore"):
        for k in range(1, settings.gram_max_words):
            for n in range(k + 1, settings.gram_max_words + 1):
                rows = np.flatnonzero(nwords == n)
                lc, rc = part[0, k][rows].astype(float), part[k, n][rows].astype(float)
                pmi[rows] = np.minimum(pmi[rows], np.log(c[rows] * total / (lc * rc)))
                bind[rows] = np.minimum(bind[rows], np.maximum(c[rows] / lc, c[rows] / rc))
    return pmi, bind


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


def _neighbour_counts(corpus: _Corpus, codes: np.ndarray) -> pd.DataFrame:
    """Neighbour counts of the n-grams with ``codes``: one row per (n-gram's row, side, word key), summed."""
    want = np.zeros(len(corpus.uniques), dtype=np.int64) - 1
    want[codes] = np.arange(len(codes))
    rows, side, wkey, wn = [], [], [], []
    for d, ev in enumerate(corpus.evidence):
        g = want[corpus.candidate_codes(d, ev.cand[ev.nbr_cand // 2])]
        m = g >= 0
        rows.append(g[m])
        side.append(ev.nbr_cand[m] % 2)
        wkey.append(ev.word_keys[ev.nbr_word[m].astype(np.int64)])
        wn.append(ev.nbr_count[m])
    nb = pd.DataFrame({"row": np.concatenate(rows), "side": np.concatenate(side),
                       "word": np.concatenate(wkey), "n": np.concatenate(wn).astype(np.int64)})
    return nb.groupby(["row", "side", "word"], sort=False)["n"].sum().reset_index()


def _boundaries(nb: pd.DataFrame, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Left and right boundary entropy, (k, 2), and how often 的 follows, from the neighbour counts."""
    word = nb["word"].to_numpy(dtype=np.uint64)
    grammar = np.where(nb["side"].to_numpy() == 0, np.isin(word, _FREE_LEFT), np.isin(word, _FREE_RIGHT))
    nb["nlogn"] = np.where(grammar, 0.0, nb["n"] * np.log(nb["n"]))
    sums = np.zeros((len(c), 2))
    np.add.at(sums, (nb["row"].to_numpy(), nb["side"].to_numpy()), nb["nlogn"].to_numpy())
    ent = np.log(c)[:, None] - sums / c[:, None]   # H = log T − Σ n log n / T; edges are singletons (0)
    de = np.zeros(len(c))
    de_rows = nb[(nb["side"] == 1) & (nb["word"] == np.uint64(word_key("的")))]
    de[de_rows["row"].to_numpy()] = de_rows["n"].to_numpy()
    return ent, de


def cohesive_terms(evidence: list[DocumentEvidence], *,
                   settings: SloganSettings = DEFAULT_SETTINGS) -> dict[str, Cohesion]:
    """Return the cohesive multi-word expressions found across the documents: ``{form: Cohesion}``.

    A candidate is term-shaped (see :func:`analysis.slogans.grams.gram_evidence`),
    recurs (``cohesive_min_count``, in ``cohesive_min_docs`` documents) or is a
    coinage of one document (``coinage_min_count`` uses there, binding at least
    ``coinage_min_binding``: new against every other document), has a
    weakest internal split with PMI ≥ ``cohesive_min_pmi`` and binding ≥
    ``cohesive_min_binding`` or PMI ≥ ``cohesive_strong_pmi`` (two free words
    that happen to meet, 深入 + 推进, score low), and free left and right boundaries (entropy ≥
    ``cohesive_min_entropy``; followed by 的 at most half the time). Nested candidates are
    resolved by :func:`_drop_dominated`. Forms come in the order of their
    first occurrence in the corpus.
    """
    if not evidence:
        return {}
    corpus = _Corpus.of(evidence)
    rec = _recurring(corpus, settings)
    part = _part_counts(corpus, rec, settings)
    c = corpus.count[rec.code].astype(float)
    pmi, bind = _association(c, part, rec.nwords, corpus.words, settings)
    # a coinage of one document must bind more tightly: nothing else vouches for it
    single = corpus.ndocs[rec.code] == 1
    # two parts that are each used widely may still be far likelier together than apart (精准 + 扶贫)
    bound = (bind >= settings.cohesive_min_binding) | (pmi >= settings.cohesive_strong_pmi)
    good = np.flatnonzero((pmi >= settings.cohesive_min_pmi) & bound
                          & (~single | (bind >= settings.coinage_min_binding)))
    # the words themselves, only for these (numeral noise is a test on the string)
    words = _gram_words(evidence, rec.doc[good], rec.row[good], rec.nwords[good])
    ok = [not is_numeric_noise("".join(g), settings=settings) and (not one or _new_term(g))
          for g, one in zip(words, single[good].tolist())]
    good, words = good[ok], [g for g, o in zip(words, ok) if o]
    ent, de = _boundaries(_neighbour_counts(corpus, rec.code[good]), c[good])
    # min(a, b) is b only if b < a: which side is the weaker matters when they tie
    weaker = np.where(ent[:, 1] < ent[:, 0], ent[:, 1], ent[:, 0])
    free = ((weaker >= settings.cohesive_min_entropy) & ~(de > settings.de_max_share * c[good])).tolist()
    values = zip(c[good].astype(np.int64).tolist(), corpus.ndocs[rec.code[good]].tolist(), pmi[good].tolist(),
                 bind[good].tolist(), ent[:, 0].tolist(), ent[:, 1].tolist())
    cohesion = [Cohesion(*v) for v in values]
    order = np.lexsort((rec.nwords[good], rec.first[good], rec.doc[good])).tolist()  # first occurrence
    found = {words[j]: cohesion[j] for j in order if free[j]}
    grams = _nested_counts(found, words, order, {ab: pc[good].tolist() for ab, pc in part.items()})
    return {"".join(g): v for g, v in _drop_dominated(found, grams, settings.nest_share,
                                                        settings.phrase_rest_share).items()}


def _new_term(words: tuple) -> bool:
    """True if a form of one document can be a coinage: not a word of jieba's dictionary (机关党委 is
    established vocabulary, however often one speech uses it) and not led by a verb (开发建设事业)."""
    tags = pos_tags()
    return "".join(words) not in tags and not (tags.get(words[0]) or "").startswith("v")


def _nested_counts(found: dict, words: list[tuple], order: list[int], parts: dict) -> dict[tuple, int]:
    """The corpus counts of the contiguous parts of every found n-gram (``parts[a, b][j]``: of ``words[j]``)."""
    grams = {}
    for j in order:
        g = words[j]
        if g in found:
            for (a, b), pc in parts.items():
                if b <= len(g):
                    grams[g[a:b]] = pc[j]
    return grams


def _drop_dominated(found: dict, grams: dict, nest_share: float, rest_share: float) -> dict:
    """Resolve nested n-grams between a longer ``g`` and a shorter ``sub`` inside it.

    If ``g`` accounts for ``nest_share`` of the shorter's uses, the shorter
    goes (it is a fragment). Otherwise the longer survives only when the
    rest of it (``g`` minus ``sub``, at either edge) or ``sub`` is used with
    the other in ``rest_share`` of its uses (供给侧 + 结构性改革, 中国特色 +
    社会主义); a free word added to a term that is mostly used without it
    (发展 + 新质生产力) makes a phrase, not a longer term, and a phrase makes no
    fragment of the term inside it.
    """
    pairs = [(g, g[k:m], k, m) for g in found for k in range(len(g)) for m in range(k + 1, len(g) + 1)
             if 0 < m - k < len(g) and g[k:m] in found]
    covers = {(g, sub) for g, sub, _, _ in pairs if grams[g] >= nest_share * grams[sub]}
    phrases = set()
    for g, sub, k, m in pairs:
        if (g, sub) not in covers:
            rest = g[m:] if k == 0 else g[:k] if m == len(g) else None
            if rest is None or grams[g] < rest_share * min(grams[rest], grams[sub]):
                phrases.add(g)
    # a phrase (实施 + 科教兴国战略) covers nothing: the term inside it stays
    drop = phrases | {sub for g, sub in covers if g not in phrases}
    return {g: v for g, v in found.items() if g not in drop}
