"""The analysis run: corpus → per-document analysis (:mod:`analysis.engine`) → tables.

Per-document work is a pure function of the document and the corpus-wide
settings, so it is cached and mapped over documents by any engine;
aggregates (slogans, templates, keyness) are computed from its results.
With a cache, two corpus-wide steps also keep a memo there (edge paragraphs
of each text, the slogan stage's scans of the texts), so that a rebuild
after a few documents changed redoes them only for what changed.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

import pandas as pd

from analysis.cache import DocumentCache, StageMemo, text_digest
from analysis.clean import edge_keys, repeated_edges
from analysis.corpus import CorpusError, Limits, Problem, read_corpus
from analysis.document import AnalyzedDocument, Document, count_characters
from analysis.engine import Settings, iter_documents, worker_count
from analysis.errors import UsageError
from analysis.lock import hold
from analysis.patterns import pattern_tables
from analysis.staging import Staging
from analysis.lexicon import DEFAULT_LEXICON, LexiconError, lexicon_terms, load_lexicon, slogan_entries
from analysis.links import link_rows
from analysis.segment import DEFAULT_SEGMENTER
from analysis import schema
from analysis.tables import (TABLES_DIR, SPAN_TABLES, TableWriter, span_table, tables_dir, write_readme,
                             write_table)


@dataclass
class AnalysisResult:
    """What an analysis run produced: counts, the problems met, where the tables are."""

    build_dir: Path
    documents: int = 0
    characters: int = 0
    problems: list[Problem] = field(default_factory=list)
    cache: str = ""

    @property
    def report_path(self) -> Path:
        return tables_dir(self.build_dir) / "skipped.csv"

    def summary(self) -> str:
        lines = [f"{self.documents} 篇文档已分析（{self.characters:,} 字），"
                 f"{len(self.problems)} 个输入被跳过或有问题；表格在 {tables_dir(self.build_dir)}"]
        if self.cache:
            lines.append(self.cache)
        lines += [f"  跳过 {p.input}: {p.reason}" for p in self.problems]
        return "\n".join(lines)


def resolve_lexicon(option: Optional[str]):
    """Return lexicon entries for a ``--lexicon`` value (None: the project lexicon; 'none': empty)."""
    if option and option.lower() == "none":
        return []
    path = Path(option) if option else DEFAULT_LEXICON
    if option and not path.exists():
        raise UsageError(f"{path}: lexicon file not found; pass a YAML lexicon or --lexicon none")
    try:
        return load_lexicon(path)
    except LexiconError as err:
        raise UsageError(str(err)) from err


def analyze_corpus(corpus: Path, build_dir: Path, *, lexicon: Optional[str] = None, progress: bool = True,
                   jobs: int = 1, engine: str = "local", scheduler: Optional[str] = None,
                   segmenter: str = DEFAULT_SEGMENTER, cache_dir: Optional[Path] = None,
                   use_cache: bool = True, limits: Limits = Limits()) -> AnalysisResult:
    """Analyse every document of ``corpus`` and write the tables; return the run's result.

    Per-document work runs on ``engine`` ("local" with ``jobs`` processes, or
    "dask" on ``scheduler``) and is cached in ``cache_dir`` (default
    ``BUILD/cache``) unless ``use_cache`` is false. Inputs over ``limits`` are reported, not read.
    The tables are written into a staging folder that replaces ``BUILD/tables``
    only when all are complete, while this run holds the build folder's lock
    (:mod:`analysis.lock`; another run holding it raises :class:`analysis.errors.EnvironmentFault`).
    """
    entries = resolve_lexicon(lexicon)  # fail early on a broken lexicon, before the long work
    problems: list[Problem] = []
    try:
        docs = list(read_corpus(Path(corpus), problems, limits))
    except CorpusError as err:
        raise UsageError(str(err)) from err
    build_dir = Path(build_dir)
    jobs = worker_count(jobs, len(docs))  # no more processes than documents or CPUs (a note says so)
    with hold(build_dir), Staging(build_dir, TABLES_DIR, names=(TABLES_DIR,)) as staging, fewer_collections():
        cache = DocumentCache(Path(cache_dir) if cache_dir else build_dir / "cache") if use_cache else None
        settings = Settings(terms=tuple(lexicon_terms(entries)), segmenter=segmenter,
                            repeated=repeated_edges(document_edges(docs, cache.memo("edges") if cache else None)))
        run = dict(jobs=jobs, engine=engine, scheduler=scheduler, cache=cache, progress=progress)
        result = write_tables(docs, problems, settings, entries, staging.path, **run)
        staging.commit()
    result.build_dir = build_dir
    result.cache = cache.summary() if cache else ""   # after the stage memos were read
    return result


@contextmanager
def fewer_collections(young: int = 1_000_000):
    """Within the block, Python's cycle collector looks at the youngest objects after ``young``
    allocations (its default: 700), and so at all objects far less often; restored after.

    Why: the analysis allocates millions of short-lived tokens, spans and tuples that reference counting
    frees, while the long-lived ones grow (jieba's dictionaries, the documents kept for the corpus-wide
    stages); every full collection walks all of these and finds next to nothing (about 1,500 objects in
    cycles over the 72 work reports, so waiting longer keeps no memory). With the default thresholds the
    collector took 2.5 of the 18 s of ``--jobs 1``; at 10,000 it still took 0.45 s, at 50,000 0.09 s
    (26 young and 2 middle collections), at 1,000,000 0.04 s (measured by ``gc.callbacks``). Forked
    workers inherit the setting."""
    before = gc.get_threshold()
    gc.set_threshold(young, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def write_tables(docs: list[Document], problems: list[Problem], settings: Settings, entries, out_dir: Path, *,
                 jobs: int, engine: str, scheduler: Optional[str], cache: Optional[DocumentCache],
                 progress: bool) -> AnalysisResult:
    """Analyse ``docs`` and write every table (``problems``: the skipped inputs) under ``out_dir/tables``;
    return the counts of the run.

    ``docs`` is emptied: documents stream through, each one's rows going to the per-document tables at
    once, and only what the corpus-wide stages need of it is kept.
    """
    kept, rows = [], []
    with DocumentTables(out_dir) as tables:
        for a in iter_documents(docs, settings, jobs=jobs, engine=engine, scheduler=scheduler, cache=cache,
                                progress=progress):
            tables.add(a)
            rows.append(document_row(a))
            kept.append(a.lightened())
    docs.clear()
    result = AnalysisResult(build_dir=out_dir, documents=len(kept), characters=sum(r["characters"] for r in rows),
                            problems=problems)
    documents = documents_table(rows)
    write_table(documents, out_dir, "documents")
    write_table(pd.DataFrame([{"input": p.input, "reason": p.reason} for p in problems],
                             columns=schema.table("skipped").names), out_dir, "skipped")
    # The pattern tables need nothing from the slogan stage: with local workers to spare, a forked
    # process builds and writes them (into the same staging folder) while this one extracts slogans.
    patterns_done = _side_process(write_pattern_tables, kept, documents, out_dir,
                                  fork=jobs > 1 and engine == "local")
    try:
        slogan_results = slogan_stage(kept, entries, progress, cache)
        slogan_results["slogan_links"] = link_rows(entries, [a.clean.text for a in kept], [a.doc_id for a in kept],
                                                   set(slogan_results["slogans"]["slogan"]))
        for name, table in slogan_results.items():
            write_table(table, out_dir, name)
        write_table(default_keyness(documents, slogan_results), out_dir, "keyness")
    except BaseException:
        patterns_done(cancel=True)   # nothing may write into the staging folder once it is discarded
        raise
    patterns_done()
    write_readme(out_dir)
    return result


def document_edges(docs: list[Document], memo: Optional[StageMemo] = None) -> list[set[str]]:
    """The keys of each document's edge paragraphs (:func:`analysis.clean.edge_keys`).

    With a ``memo``, the keys of a text seen in the last run are read from it
    (by the text's digest) instead of splitting the text again; the memo then
    holds this run's texts.
    """
    if memo is None:
        return [edge_keys(d.raw) for d in docs]
    keys = [text_digest(d.raw) for d in docs]
    seen, now = memo.load(), {}
    for d, key in zip(docs, keys):
        if key not in now:
            now[key] = seen[key] if key in seen else edge_keys(d.raw)
    memo.save(now)
    return [now[key] for key in keys]


def slogan_stage(kept: list[AnalyzedDocument], entries, progress: bool,
                 cache: Optional[DocumentCache]) -> dict[str, pd.DataFrame]:
    """The slogan tables (:func:`analysis.slogans.slogan_tables`) of the documents ``kept``.

    With a cache, the stage's scans of the texts are kept in its "slogans"
    memo, so that the next run scans only the texts and forms that changed.
    """
    from analysis.slogans import slogan_tables
    memo = cache.memo("slogans") if cache else None
    scans = memo.load() if memo else {}
    tables = slogan_tables(kept, lexicon=slogan_entries(entries), progress=progress, memo=scans)
    if memo:
        memo.save(scans)
    return tables


def write_pattern_tables(analyzed: list[AnalyzedDocument], documents: pd.DataFrame, build_dir: Path) -> None:
    """Build the pattern tables (parallelisms, branches, templates, template_years) and write them."""
    for name, table in pattern_tables(analyzed, documents).items():
        write_table(table, build_dir, name)


def _side_process(work, *args, fork: bool):
    """Run ``work(*args)``: in a forked process if ``fork`` (it inherits ``args`` without copying them
    through a pipe), else here and now. Returns a function that waits for it and raises if it failed, or
    with ``cancel=True`` stops it and waits for it to end. An OSError in the process (a full disk) is
    raised again here, so the command line reports it as one line like any other."""
    import multiprocessing
    if not fork or "fork" not in multiprocessing.get_all_start_methods():  # no fork on Windows
        work(*args)
        return lambda cancel=False: None
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    proc = context.Process(target=_passing_os_errors, args=(send, work, *args), name=work.__name__)
    proc.start()
    send.close()   # the process holds its own end: at its exit the pipe reads as closed

    def join(cancel: bool = False) -> None:
        if cancel:
            proc.terminate()
        proc.join()
        if proc.exitcode != 0 and not cancel:
            error = _received(receive)
            if error is not None:
                raise error
            raise RuntimeError(f"{work.__name__} failed in its worker process (exit code {proc.exitcode}); "
                               f"its traceback is above")
    return join


def _received(receive) -> Optional[OSError]:
    """The OSError a side process sent, or None if it sent nothing before it ended."""
    try:
        return receive.recv() if receive.poll() else None
    except EOFError:
        return None


def _passing_os_errors(send, work, *args) -> None:
    """``work(*args)`` in a side process; an OSError goes to the parent through ``send`` (exit code 2)."""
    try:
        work(*args)
    except OSError as err:
        send.send(err)
        raise SystemExit(2) from None


def default_keyness(documents: pd.DataFrame, slogan_results: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Keyness of the earlier against the later half of the dated documents (empty if undated).

    ``python -m analysis compare`` replaces it with the groups a user asks for.
    """
    from analysis.keyness import compare_groups, default_groups
    groups = default_groups(documents)
    slogan_docs = slogan_results.get("slogan_docs", pd.DataFrame())
    if groups is None or "slogan" not in slogan_docs:
        return schema.table("keyness").empty()
    keyness, _, _ = compare_groups(documents, slogan_docs, slogan_results.get("slogans"), *groups)
    return keyness


class DocumentTables:
    """The per-document tables (texts, units, sentences, removed), written as documents stream by.

    Use as a context manager; :meth:`add` takes one analysed document.
    """

    def __init__(self, build_dir: Path):
        self.writers = {"texts": TableWriter(build_dir, "texts", schema.table("texts").kinds(), batch=16)}
        for name, columns in SPAN_TABLES.items():
            self.writers[name] = TableWriter(build_dir, name, columns)

    def add(self, a: AnalyzedDocument) -> None:
        self.writers["texts"].add({"doc_id": [a.doc_id], "raw": [a.doc.raw]})
        for name in SPAN_TABLES:
            writer, piece = self.writers[name], a.span_tables.get(name)
            if piece is None or not piece.schema.equals(writer.schema, check_metadata=True):
                piece = span_table(a, name)   # a result made without them (tests build some by hand)
            writer.add_table(piece)

    def __enter__(self) -> "DocumentTables":
        return self

    def __exit__(self, *exc) -> None:
        for w in self.writers.values():
            w.close()


def document_row(a: AnalyzedDocument) -> dict:
    """The ``documents`` table's row for one document (id, title, year, genre, speaker, counts, source)."""
    d = a.doc
    return {"doc_id": d.doc_id, "title": d.title, "year": d.year, "year_source": d.meta.get("year_source", ""),
            "date": d.date, "genre": d.genre,
            "speaker": d.speaker, "characters": count_characters(a.clean.text),
            "paragraphs": sum(1 for u in a.units if u.kind != "title"),
            "headings": sum(1 for u in a.units if u.kind == "heading"),
            "removed_spans": len(a.removed), "source": d.source, "origin": d.meta.get("source", "")}


def documents_table(documents: Iterable) -> pd.DataFrame:
    """One row per document: id, title, year, genre, speaker, characters, paragraphs, source.

    Takes analysed documents or rows from :func:`document_row`.
    """
    rows = [d if isinstance(d, dict) else document_row(d) for d in documents]
    df = pd.DataFrame(rows, columns=schema.table("documents").names)
    df["year"] = df["year"].astype("Int64")
    return df
