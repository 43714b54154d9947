"""The engine: maps the per-document analysis over documents, serially, in processes or on Dask.

Per-document analysis is a pure function of (document, :class:`Settings`), so
the three engines give identical results, and finished documents can come
from the cache instead. Results stream back in input order
(:func:`iter_documents`), so the caller can write each one out and keep
only what the corpus-wide stages need.
"""
from __future__ import annotations

import hashlib
import os
import sys
from array import array
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from itertools import chain
from operator import itemgetter
from typing import Iterator, Optional, Sequence

import numpy as np
from tqdm import tqdm

from analysis import ANALYZER_VERSION
from analysis.cache import DocumentCache, document_key
from analysis.clean import clean_text, paragraph_key
from analysis.document import AnalyzedDocument, Document
from analysis.errors import EnvironmentFault
from analysis.patterns import find_document_parallelisms
from analysis.scheduler import connect
from analysis.segment import DEFAULT_SEGMENTER, get_segmenter, simplified
from analysis.slogans import document_evidence, pos_tags
from analysis.structure import analyze_structure
from analysis.tables import span_tables

@dataclass(frozen=True)
class Settings:
    """Everything besides the document that per-document results depend on."""

    terms: tuple[str, ...] = ()              # lexicon terms kept whole by the segmenter
    segmenter: str = DEFAULT_SEGMENTER
    repeated: frozenset[str] = frozenset()   # cross-document headers and footers

    def for_document(self, doc: Document) -> "Settings":
        """These settings narrowed to what ``doc`` can use: the repeated paragraphs it contains.

        A document's result depends on no other part of the corpus-wide set,
        so an edit elsewhere in the corpus leaves its cache entry valid.
        """
        if not self.repeated:
            return self
        # Every repeated paragraph the document holds is a substring of its text without whitespace,
        # so this keeps all that cleaning can use (and at most a few that it cannot), in one pass.
        text = paragraph_key(doc.raw)
        return replace(self, repeated=frozenset(k for k in self.repeated if k in text))

    @property
    def key(self) -> str:
        h = hashlib.sha256(ANALYZER_VERSION.encode())
        for part in (self.segmenter, *self.terms, "\0", *sorted(self.repeated)):
            h.update(part.encode("utf-8", "surrogatepass") + b"\0")
        return h.hexdigest()


def analyze_document(doc: Document, settings: Settings = Settings()) -> AnalyzedDocument:
    """Clean, structure and segment one document, find its parallel structures (raw-offset spans), gather
    its slogan evidence and make its rows of the span tables; return the analysed document."""
    segmenter = get_segmenter(settings.terms, settings.segmenter)
    clean, removed, paragraphs = clean_text(doc.raw, settings.repeated)
    analyzed = analyze_structure(doc, clean, paragraphs, removed)
    words = SegmentedParagraphs(segmenter)
    founds = [words.tokens(clean.text[start:end]) for start, end in paragraphs]
    analyzed.token_spans = token_spans(founds, paragraphs)
    # the detector segments the same paragraphs again: it is served the words found above
    analyzed.parallelisms = find_document_parallelisms(analyzed, words)
    analyzed.slogan_evidence = document_evidence(analyzed, words=stored_words(clean.text, paragraphs, founds))
    analyzed.span_tables = span_tables(analyzed)
    return analyzed


def token_spans(founds: list, paragraphs: list[tuple[int, int]]) -> array:
    """``start, end, start, end …`` of every word of the paragraphs (``founds``: each one's ``(word, start,
    end)``), shifted to the text: in numpy, for the whole document at once (a Python loop over the words of
    a corpus costs a few tenths of a second, a numpy pass per paragraph a tenth)."""
    spans = array("i")
    tokens = list(chain.from_iterable(founds))
    if tokens:
        _, s, e = zip(*tokens)
        pairs = np.empty(2 * len(s), dtype=np.int64)
        pairs[0::2], pairs[1::2] = s, e
        shift = np.repeat(np.array([start for start, _ in paragraphs], dtype=np.int64), [len(f) for f in founds])
        spans.frombytes((pairs + np.repeat(shift, 2)).astype(np.int32).tobytes())
    return spans


def stored_words(text: str, paragraphs: list[tuple[int, int]], founds: list) -> Optional[list[str]]:
    """The words of the stored spans (``founds``: each paragraph's ``(word, start, end)``), taken from
    the segmenter's own tuples; None where they could differ from the spans' text in the simplified
    whole text, which the slogan stage reads (where simplifying the whole reads otherwise than
    simplifying each paragraph). Slicing 700,000 words back out of the texts took 0.2 s."""
    if simplified(text) != "\n".join(simplified(text[s:e]) for s, e in paragraphs):
        return None
    return list(map(itemgetter(0), chain.from_iterable(founds)))


class SegmentedParagraphs:
    """A segmenter that remembers the words of every text it segmented (one document's paragraphs).

    Lives for one document only, so it never grows with the corpus.
    """

    def __init__(self, segmenter):
        self.segmenter = segmenter
        self._seen: dict[str, list[tuple[str, int, int]]] = {}

    def tokens(self, text: str) -> list[tuple[str, int, int]]:
        """``(word, start, end)`` of ``text``, as the wrapped segmenter gives them."""
        found = self._seen.get(text)
        if found is None:
            found = self._seen[text] = self.segmenter.tokens(text)
        return found

    def __getattr__(self, name):  # cut, pos, terms, backend: as the wrapped segmenter
        return getattr(self.segmenter, name)


def iter_documents(docs: Sequence[Document], settings: Settings, *, jobs: int = 1, engine: str = "local",
                   scheduler: Optional[str] = None, cache: Optional[DocumentCache] = None,
                   progress: bool = True) -> Iterator[AnalyzedDocument]:
    """Yield the analysis of each of ``docs`` in input order, as soon as it and those before it are done.

    Cached documents come from ``cache``; the rest run on ``engine``. The
    caller can consume each result and let it go, so a corpus of any size
    is never held whole.
    """
    # narrowed settings make each cache key depend on this document alone; without a cache, skip the work
    per_doc = [settings.for_document(d) for d in docs] if cache else [settings] * len(docs)
    keys = [document_key(d, s.key) for d, s in zip(docs, per_doc)] if cache else []
    todo = [i for i in range(len(docs)) if not (cache and cache.has(keys[i]))]
    pending = set(todo)
    if cache:
        cache.misses += len(todo)
    bar = tqdm(total=len(docs), desc="分析文档", unit="篇", disable=not progress)
    # results that finished before an earlier document (Dask returns them as they complete) wait here
    waiting: dict[int, AnalyzedDocument] = {}
    computed = _run([docs[i] for i in todo], [per_doc[i] for i in todo], jobs=jobs, engine=engine,
                    scheduler=scheduler, indices=todo)
    for i in range(len(docs)):
        if i not in pending:
            result = cache.get(keys[i], docs[i].doc_id)
            if result is None:  # a damaged entry (counted, named and removed by the cache): analysed here
                result = analyze_document(docs[i], per_doc[i])
                cache.put(keys[i], result)
        else:
            while i not in waiting:
                j, analyzed = next(computed)
                if cache:
                    cache.put(keys[j], analyzed)
                waiting[j] = analyzed
            result = waiting.pop(i)
        bar.update()
        yield result
    bar.close()


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity mask where the system has one, as in containers)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def worker_count(jobs: int, documents: int, *, note=None) -> int:
    """``--jobs`` capped at the number of ``documents`` and at :func:`available_cpus` (never below 1).

    More processes than documents would idle, and more than CPUs only share them while each holds its
    own copy of the segmenter and the documents in flight (a large ``--jobs`` once exhausted the memory).
    When the cap lowers ``jobs``, ``note`` (default: print to stderr) is called with one line saying why.
    """
    cpus = available_cpus()
    capped = max(1, min(jobs, documents, cpus))
    if capped < jobs:
        line = (f"note: --jobs {jobs} lowered to {capped} ({documents} document{'s' * (documents != 1)}, "
                f"{cpus} CPU{'s' * (cpus != 1)} available)")
        (note or _print_note)(line)
    return capped


def _print_note(line: str) -> None:
    print(line, file=sys.stderr)


def _run(docs: list[Document], settings: list[Settings], *, jobs: int, engine: str, scheduler: Optional[str],
         indices: list[int]) -> Iterator[tuple[int, AnalyzedDocument]]:
    """``(index, result)`` of every document; the serial engine yields in order, the others as they finish."""
    if not docs:
        return
    if engine == "dask":
        yield from _run_dask(docs, settings, scheduler, indices)
    elif jobs <= 1:
        for i, doc, s in zip(indices, docs, settings):
            yield i, analyze_document(doc, s)
    else:
        yield from _run_pool(docs, settings, jobs, indices)


def _run_pool(docs: list[Document], settings: list[Settings], jobs: int,
              indices: list[int]) -> Iterator[tuple[int, AnalyzedDocument]]:
    """Analyse documents in ``jobs`` forked processes, a window at a time, longest first within each block."""
    # Workers fork from this process: what is loaded here first (the segmenter with the lexicon,
    # jieba's POS table) they inherit instead of each loading it again.
    get_segmenter(settings[0].terms, settings[0].segmenter)
    pos_tags()
    jobs = min(jobs, len(docs))  # after cache hits fewer may be left than the workers allowed: start no idle ones
    order = iter(largest_first(docs, block=BLOCK_PER_JOB * jobs))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        running = {}

        def submit(n: int) -> None:  # the next n documents, if any are left
            for k in _take(order, n):
                running[pool.submit(analyze_document, docs[k], settings[k])] = indices[k]

        submit(WINDOW_PER_JOB * jobs)
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                yield running.pop(future), _result(future)
            submit(len(done))


def _result(future) -> AnalyzedDocument:
    try:
        return future.result()
    except BrokenProcessPool:  # the pool is lost with it; the cause is the machine's, not the document's
        raise EnvironmentFault("a worker process was killed (the out-of-memory killer, or a signal); "
                               "run again with a smaller --jobs") from None


# Documents in flight per worker (enough that none waits for the next), and the block within which the
# longest go first: a long document started last keeps one worker busy while the others idle, and
# the block bounds how far results can run ahead of the in-order stream (iter_documents buffers them).
WINDOW_PER_JOB = 2
BLOCK_PER_JOB = 16


def largest_first(docs: Sequence[Document], block: int) -> list[int]:
    """Positions of ``docs``, each successive ``block`` of them reordered longest text first."""
    order = []
    for lo in range(0, len(docs), block):
        order += sorted(range(lo, min(lo + block, len(docs))), key=lambda k: -len(docs[k].raw))
    return order


def _run_dask(docs: list[Document], settings: list[Settings], scheduler: Optional[str],
              indices: list[int]) -> Iterator[tuple[int, AnalyzedDocument]]:
    """Submit documents to a dask.distributed scheduler a window at a time and stream results back.

    At most ``window`` documents are in flight, so neither the cluster nor the
    driver holds every document's intermediate data at once; the longest
    of each block go first, as in :func:`_run_pool`.
    """
    from distributed import as_completed
    client = connect(scheduler)
    try:
        threads = sum(client.nthreads().values())
        window = max(4, 4 * threads)
        pending = iter(largest_first(docs, block=max(window, BLOCK_PER_JOB * threads)))
        running = as_completed()
        owner = {}

        def submit(n: int) -> None:  # the next n documents, if any are left
            for k in _take(pending, n):
                f = client.submit(analyze_document, docs[k], settings[k], pure=False)
                owner[f.key] = indices[k]
                running.add(f)

        submit(window)
        for future in running:
            yield owner.pop(future.key), future.result()
            future.release()
            submit(1)
    finally:
        client.close()


def _take(iterator, n):
    for _ in range(n):
        try:
            yield next(iterator)
        except StopIteration:
            return
