"""Command line: ``python -m analysis COMMAND``.

Exit codes (also in ``--help``) are those of :mod:`analysis.errors`: 0 success,
1 inputs skipped under ``--strict``, 2 the command could not run, 3 ``mkdocs build`` failed.
"""
from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from pathlib import Path

from analysis.inputs import DEFAULT_MAX_DOCUMENT_CHARS, DEFAULT_MAX_DOCX_BYTES
from analysis.scheduler import SCHEDULER_TIMEOUT, check_scheduler
from analysis.errors import (EXIT_CODES, EXIT_OK, EXIT_SITE, EXIT_STRICT, EXIT_USAGE, UsageError, check_folder,
                             one_line, os_error_line)
from analysis.segment import DEFAULT_SEGMENTER, SEGMENTERS


def _add_corpus_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", type=Path, default=Path("corpus"),
                   help="a folder of .txt/.md/.docx files (optional metadata.csv/.yaml keyed by file name), "
                        "or one .jsonl/.csv file with a 'content' or 'text' column (default: corpus/)")
    p.add_argument("--build-dir", type=Path, default=Path("build"),
                   help="where tables (BUILD/tables/NAME.parquet and .csv) and the build report go (default: build/)")
    p.add_argument("--lexicon", default=None,
                   help="slogan lexicon YAML (default: lexicon/slogans.yaml); 'none' for no lexicon")
    p.add_argument("--strict", action="store_true",
                   help="exit with code 1 if any input was skipped or malformed (they are always reported)")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.add_argument("--jobs", type=int, default=1, help="processes for the per-document work (default: 1)")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local processes, or a dask.distributed cluster (default: local)")
    p.add_argument("--scheduler", default=None,
                   help="with --engine dask: the scheduler address, e.g. tcp://10.0.0.5:8786 "
                        "(default: a local in-process cluster)")
    p.add_argument("--scheduler-timeout", type=float, default=SCHEDULER_TIMEOUT, metavar="SECONDS",
                   help=f"how long to wait for the Dask scheduler to answer (default: {SCHEDULER_TIMEOUT:g})")
    p.add_argument("--segmenter", choices=SEGMENTERS, default=DEFAULT_SEGMENTER,
                   help=f"word segmenter: rjieba (jieba's Rust port, same dictionary, ~8× faster) or jieba "
                        f"(the reference) (default: {DEFAULT_SEGMENTER})")
    p.add_argument("--cache-dir", type=Path, default=None,
                   help="per-document result cache (default: BUILD/cache); unchanged documents are not re-analysed")
    p.add_argument("--no-cache", action="store_true", help="analyse every document again, and cache nothing")
    p.add_argument("--max-document-chars", type=int, default=DEFAULT_MAX_DOCUMENT_CHARS, metavar="N",
                   help="skip (and report) a document longer than N characters, a guard on memory "
                        f"(default: {DEFAULT_MAX_DOCUMENT_CHARS:,}; the longest work report has about 58,000)")
    p.add_argument("--max-docx-bytes", type=int, default=DEFAULT_MAX_DOCX_BYTES, metavar="N",
                   help="skip (and report) a .docx whose parts expand to more than N bytes, checked before "
                        f"reading it (default: {DEFAULT_MAX_DOCX_BYTES:,})")


def _analysis_options(args: argparse.Namespace) -> dict:
    from analysis.corpus import Limits
    if args.jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    if args.max_document_chars < 1 or args.max_docx_bytes < 1:
        raise UsageError("--max-document-chars and --max-docx-bytes must be 1 or more")
    return dict(lexicon=args.lexicon, progress=not args.quiet, jobs=args.jobs, engine=args.engine,
                scheduler=args.scheduler, segmenter=args.segmenter, cache_dir=args.cache_dir,
                use_cache=not args.no_cache,
                limits=Limits(max_document_chars=args.max_document_chars, max_docx_bytes=args.max_docx_bytes))


def _command(sub, name: str, help: str, func, *, exit_codes: bool = True) -> argparse.ArgumentParser:
    """Add subcommand ``name`` that runs ``func``; with ``exit_codes`` its --help lists them."""
    extra = dict(epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter) if exit_codes else {}
    p = sub.add_parser(name, help=help, **extra)
    p.set_defaults(func=func)
    return p


def _add_site_options(p: argparse.ArgumentParser, docs_help: str) -> None:
    p.add_argument("--site-dir", type=Path, default=Path("site"), help="where mkdocs writes the site (default: site/)")
    p.add_argument("--docs-dir", type=Path, default=Path("docs"), help=docs_help)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Analyse a corpus of Chinese official texts for slogans (提法) and parallel "
                    "structures (排比, 对偶, 一是…二是…), and publish the results as an MkDocs site.",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _command(sub, "build", "analyse the corpus, write tables and pages, then run mkdocs build", _cmd_build)
    _add_corpus_options(p)
    _add_site_options(p, "the MkDocs docs folder; generated pages go to git-ignored folders inside it "
                         "(default: docs/)")

    p = _command(sub, "site", "rebuild the pages and the site from existing tables (no re-analysis)", _cmd_site)
    p.add_argument("--build-dir", type=Path, default=Path("build"), help="where the tables are (default: build/)")
    _add_site_options(p, "the MkDocs docs folder (default: docs/)")
    p.add_argument("--quiet", action="store_true", help="no progress messages")

    _add_corpus_options(_command(sub, "analyze", "analyse the corpus and write tables only", _cmd_analyze))

    p = _command(sub, "parallel", "detect parallel structures in a JSONL of {id, text[, paragraphs]} records",
                 _cmd_parallel, exit_codes=False)
    p.add_argument("--jsonl", type=Path, required=True, help="input records with 'id' and 'text'")
    p.add_argument("--out", type=Path, required=True, help="predictions JSONL, as ../shared/eval/score_parallel.py reads")

    p = _command(sub, "eval", "score the parallel-structure detector on the shared gold annotations", _cmd_eval,
                 exit_codes=False)
    p.add_argument("--shared", type=Path, default=Path("../shared"), help="the shared folder (default: ../shared)")
    p.add_argument("--splits", default="validation,optimization",
                   help="PSE-I splits scored together (default: validation,optimization)")

    p = _command(sub, "slogans", "analyse a corpus and print slogans found per kind and the top ones by rate",
                 _cmd_slogans, exit_codes=False)
    _add_corpus_options(p)
    p.add_argument("--top", type=int, default=30, help="how many slogans to list by rate (default: 30)")

    p = _command(sub, "compare", "keyness of slogans between two periods or groups (log-likelihood)", _cmd_compare,
                 exit_codes=False)
    p.add_argument("--build-dir", type=Path, default=Path("build"), help="where the analysed tables are (default: build/)")
    p.add_argument("--by", default="year", help="document column to group by: year, genre, speaker (default: year)")
    p.add_argument("--a", required=True, help="group A: a year range 2013-2017, a year, or a value of --by")
    p.add_argument("--b", required=True, help="group B, as --a")
    p.add_argument("--top", type=int, default=30, help="rows to print (default: 30)")
    p.add_argument("--min-docs", type=int, default=3,
                   help="test only slogans found in at least this many of the compared documents (default: 3)")

    _add_query_commands(sub)
    return parser


def _add_query_commands(sub) -> None:
    """The kwic and trend commands: any term in the raw texts, counted as the explore page counts."""
    query_help = ("terms to look for in the raw texts (any string; alternatives joined by |, e.g. 小康|全面小康, "
                  "count as one term); the explore page of the site counts the same way")
    p = _command(sub, "kwic", "every occurrence of any term with its context (as the explore page lists them)",
                 _cmd_kwic, exit_codes=False)
    p.add_argument("terms", nargs="+", metavar="TERM", help=query_help)
    p.add_argument("--build-dir", type=Path, default=Path("build"), help="where the analysed tables are (default: build/)")
    p.add_argument("--context", type=int, default=20, help="characters of context either side (default: 20)")
    p.add_argument("--csv", action="store_true", help="print CSV instead of an aligned table")

    p = _command(sub, "trend", "counts and rate per 10,000 characters of any term per year (as the explore page draws them)",
                 _cmd_trend, exit_codes=False)
    p.add_argument("terms", nargs="+", metavar="TERM", help=query_help)
    p.add_argument("--build-dir", type=Path, default=Path("build"), help="where the analysed tables are (default: build/)")
    p.add_argument("--csv", action="store_true", help="print CSV instead of an aligned table")


def main(argv: list[str] | None = None) -> int:
    """Run a command; return its exit code.

    What stops it that a user can act on (a usage error, a fault of the machine: a read-only or full
    disk, a path that is a file, an unreachable cluster) is one line on stderr and exit code 2; a
    traceback is left for the program's own faults.
    """
    args = build_parser().parse_args(argv)
    try:
        check_environment(args)
        with _dask_timeout(args):
            return args.func(args)
    except UsageError as err:  # EnvironmentFault among them
        print(f"error: {one_line(err)}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as err:
        print(f"error: {os_error_line(err, getattr(args, 'build_dir', None))}", file=sys.stderr)
        return EXIT_USAGE


def check_environment(args: argparse.Namespace) -> None:
    """Check, before the long work, the folders the command writes and the Dask scheduler it uses; raise
    :class:`EnvironmentFault` (or :class:`UsageError` for a malformed address) naming what is wrong."""
    from analysis.tables import tables_dir
    folders = []
    if args.func in (_cmd_analyze, _cmd_build, _cmd_slogans):
        folders += [(args.build_dir, "--build-dir"), (tables_dir(args.build_dir), "--build-dir")]
        if not args.no_cache:
            folders.append((args.cache_dir, "--cache-dir") if args.cache_dir else
                           (Path(args.build_dir) / "cache", "--build-dir"))
    if args.func in (_cmd_build, _cmd_site):
        folders += [(args.site_dir, "--site-dir"), (args.docs_dir, "--docs-dir")]
    for path, option in folders:
        check_folder(path, option)
    if getattr(args, "engine", None) == "dask":
        if not args.scheduler_timeout > 0:
            raise UsageError("--scheduler-timeout must be more than 0 seconds")
        if args.scheduler:
            check_scheduler(args.scheduler, args.scheduler_timeout)


@contextmanager
def _dask_timeout(args: argparse.Namespace):
    """With ``--engine dask``, Dask's connection timeout is ``--scheduler-timeout`` while the command runs
    (Dask's own default, 30 s, is how long an unreachable scheduler kept the command waiting)."""
    if getattr(args, "engine", None) != "dask":
        yield
        return
    import dask
    with dask.config.set({"distributed.comm.timeouts.connect": f"{args.scheduler_timeout:g}s"}):
        yield


def _cmd_analyze(args: argparse.Namespace) -> int:
    from analysis.pipeline import analyze_corpus
    result = analyze_corpus(args.corpus, args.build_dir, **_analysis_options(args))
    return _finish(result, args.strict)


def _cmd_build(args: argparse.Namespace) -> int:
    from analysis.lock import hold
    from analysis.pipeline import analyze_corpus
    from analysis.site import build_site
    # one lock over both steps, so no other run takes the build folder between the tables and the pages
    with hold(args.build_dir, args.docs_dir):
        result = analyze_corpus(args.corpus, args.build_dir, **_analysis_options(args))
        code = build_site(args.build_dir, docs_dir=args.docs_dir, site_dir=args.site_dir, progress=not args.quiet)
    if code:
        return EXIT_SITE
    return _finish(result, args.strict)


def _cmd_site(args: argparse.Namespace) -> int:
    from analysis.site import build_site
    from analysis.tables import tables_dir
    if not (tables_dir(args.build_dir) / "documents.parquet").exists():
        raise UsageError(f"no tables in {tables_dir(args.build_dir)}; run `python -m analysis analyze` first")
    return EXIT_SITE if build_site(args.build_dir, docs_dir=args.docs_dir, site_dir=args.site_dir,
                                   progress=not args.quiet) else EXIT_OK


def _finish(result, strict: bool) -> int:
    print(result.summary())
    if result.problems and strict:
        print(f"--strict: {len(result.problems)} input problem(s), see {result.report_path}", file=sys.stderr)
        return EXIT_STRICT
    return EXIT_OK


def _cmd_slogans(args: argparse.Namespace) -> int:
    from analysis.pipeline import analyze_corpus
    from analysis.slogans import slogan_report
    from analysis.tables import read_table
    result = analyze_corpus(args.corpus, args.build_dir, **_analysis_options(args))
    print(slogan_report(read_table(args.build_dir, "slogans"), top=args.top))
    return _finish(result, args.strict)


def _cmd_compare(args: argparse.Namespace) -> int:
    from analysis.keyness import run_compare
    from analysis.lock import hold
    with hold(args.build_dir):   # it rewrites the keyness table that a running build may be replacing
        return run_compare(args.build_dir, by=args.by, a=args.a, b=args.b, top=args.top,
                           min_docs=args.min_docs)


def _query(args: argparse.Namespace):
    from analysis.explore import QueryError, load_documents, parse_query
    try:
        terms = parse_query(" ".join(args.terms))
    except QueryError as err:
        raise UsageError(str(err)) from None
    return load_documents(args.build_dir), terms


def _cmd_kwic(args: argparse.Namespace) -> int:
    from analysis.explore import kwic_table, print_table
    if args.context < 0:
        raise UsageError("--context must be 0 or more")
    docs, terms = _query(args)
    print_table(kwic_table(docs, terms, context=args.context), csv=args.csv)
    return EXIT_OK


def _cmd_trend(args: argparse.Namespace) -> int:
    from analysis.explore import print_table, trend
    docs, terms = _query(args)
    if not any(d.year is not None for d in docs):
        print(f"no document in {args.build_dir} has a year: nothing to count per year (try `kwic`)", file=sys.stderr)
        return EXIT_OK
    print_table(trend(docs, terms), csv=args.csv)
    return EXIT_OK


def _cmd_parallel(args: argparse.Namespace) -> int:
    from analysis.evaluate import predict_jsonl
    return predict_jsonl(args.jsonl, args.out)


def _cmd_eval(args: argparse.Namespace) -> int:
    from analysis.evaluate import run_eval
    return run_eval(args.shared, splits=args.splits.split(","))
