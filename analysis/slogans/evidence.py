"""Per-document evidence: every detector run over one document, kept compact enough to cache.

:func:`document_evidence` runs in the per-document stage (cached, in
parallel); the corpus-wide stage only merges what it returns.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np
from tqdm import tqdm

from analysis.document import AnalyzedDocument, count_characters
from analysis.slogans.detectors import compact_numbered, counted_phrases, enumerations, quoted_terms
from analysis.slogans.grams import gram_evidence
from analysis.segment import simplified
from analysis.slogans.settings import DEFAULT_SETTINGS, SloganSettings

# Bump when DocumentEvidence changes shape: evidence of another version (an old cache entry) is recomputed.
EVIDENCE_VERSION = 5


@dataclass
class DocumentEvidence:
    """What the slogan stage needs from one document, compact enough to cache and ship between processes.

    Signals are kept as counts, not rows; n-grams as arrays keyed by a stable
    64-bit hash of their words, so merging documents is array work.
    Insertion orders (first seen first) are kept where the merge's result
    depends on them.
    """

    version: int
    settings_key: tuple             # SloganSettings.evidence_key() of the settings it was made under
    characters: int                 # non-space characters of the clean text (rates per 10,000)
    quoted: dict                    # term -> times it was quoted, first seen first
    numbered: tuple                 # numeral-alternating forms (两学一做), first seen first
    counted: dict                   # numeral + 个/大 + head phrase -> (head, count), first seen first
    enum_sites: tuple               # one tuple of fitting forms per enumeration site, in text order
    words: int                      # CJK words: the unigram total of the PMI
    vocab: str                      # the document's distinct words joined by \0 (word ids index it)
    word_keys: np.ndarray           # uint64 hash of every distinct word
    gram_keys: np.ndarray           # uint64, sorted: every n-gram (gram_max_words, gram_max_chars) ...
    gram_counts: np.ndarray         # ... and how often it occurs here (smallest unsigned type)
    cand: np.ndarray                # int32: indices into gram_keys of the term-shaped n-grams ...
    cand_first: np.ndarray          # int32: ... the word index where each first occurs ...
    cand_words: np.ndarray          # ... and its word ids, (k, gram_max_words), -1 padded (int16/int32)
    nbr_cand: np.ndarray            # int32: 2 * candidate index + side (0 left, 1 right) ...
    nbr_word: np.ndarray            # word id of a CJK neighbour (punctuation and edges are not stored) ...
    nbr_count: np.ndarray           # ... and how often (smallest unsigned type)


def document_words(a: AnalyzedDocument, segmenter=None) -> tuple[list[str], list[int], list[int]]:
    """The words of the clean text, their starts and their ends: the stored word boundaries, or a
    fresh segmentation."""
    text = simplified(a.clean.text)
    if len(a.token_spans):
        starts, ends = a.token_spans[0::2].tolist(), a.token_spans[1::2].tolist()
        # built by map in C: a Python step per word of the corpus costs a few tenths of a second
        return list(map(text.__getitem__, map(slice, starts, ends))), starts, ends
    if segmenter is None:
        from analysis.segment import get_segmenter
        segmenter = get_segmenter()
    toks, off = [], 0
    for para in text.split("\n"):
        toks += [(w, s + off, e + off) for w, s, e in segmenter.tokens(para)]
        off += len(para) + 1
    words, starts, ends = (list(x) for x in zip(*toks)) if toks else ([], [], [])
    return words, starts, ends


def document_evidence(a: AnalyzedDocument, segmenter=None, *, settings: SloganSettings = DEFAULT_SETTINGS,
                      words: Optional[list[str]] = None) -> DocumentEvidence:
    """Run every per-document detector over ``a``; return its :class:`DocumentEvidence`.

    Words are ``a.token_spans`` (``words``, when given: the words of those spans in the simplified
    text, one per span); a document without them is segmented here (with ``segmenter``, default:
    jieba without a lexicon). Traditional characters are read as simplified.
    """
    text = simplified(a.clean.text)
    if words is not None and 2 * len(words) == len(a.token_spans):
        starts, ends = a.token_spans[0::2].tolist(), a.token_spans[1::2].tolist()
    else:
        words, starts, ends = document_words(a, segmenter)
    toks = list(zip(words, starts, ends))
    quoted: dict[str, int] = {}
    for found in quoted_terms(text, settings=settings):
        quoted[found.form] = quoted.get(found.form, 0) + 1
    numbered = tuple(dict.fromkeys(found.form for found in compact_numbered(text, settings=settings)))
    counted: dict[str, tuple[str, int]] = {}
    for found in counted_phrases(toks, text, settings=settings):
        head, n = counted.get(found.form, (found.parts[-1], 0))
        counted[found.form] = (head, n + 1)
    # offsets where words start or end (the stored spans are exactly these, in one array)
    bounds = set(a.token_spans) if len(a.token_spans) else set(starts) | set(ends)
    by_site: dict[int, list[str]] = {}
    for found in enumerations(text, bounds, settings=settings):
        by_site.setdefault(found.start + len(found.parts[0]), []).append(found.form)
    grams = gram_evidence(words, settings=settings)
    return DocumentEvidence(
        version=EVIDENCE_VERSION, settings_key=settings.evidence_key(), characters=count_characters(text),
        quoted=quoted, numbered=numbered, counted=counted, enum_sites=tuple(tuple(v) for v in by_site.values()),
        **grams)


def corpus_evidence(analyzed: list[AnalyzedDocument], lexicon, *, settings: SloganSettings,
                    progress: bool) -> list[DocumentEvidence]:
    """Each document's evidence: ``a.slogan_evidence`` where it was made by this version under these
    settings, else computed here (segmented with the lexicon's terms if the document has no words)."""
    key = settings.evidence_key()
    evidence = []
    for a in tqdm(analyzed, desc="提法：候选", unit="篇", disable=not progress):
        ev = a.slogan_evidence
        if not (isinstance(ev, DocumentEvidence) and ev.version == EVIDENCE_VERSION and ev.settings_key == key):
            segmenter = None
            if lexicon and not len(a.token_spans):
                from analysis.lexicon import lexicon_terms
                from analysis.segment import get_segmenter
                segmenter = get_segmenter(tuple(lexicon_terms(lexicon)))
            ev = document_evidence(a, segmenter, settings=settings)
        evidence.append(ev)
    return evidence
