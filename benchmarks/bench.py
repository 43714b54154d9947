"""Speed and scale benchmark: prints a table of ratios against a baseline measured in the same run.

    nox -s bench                      # or: python benchmarks/bench.py [--shared ../shared] [--scale 10]

Rows: plain ``jieba.lcut`` over the work reports (the baseline); the full
analysis (default segmenter, rjieba) with --jobs 1 and --jobs 2; the same
with --segmenter jieba; a warm rebuild after one document changed, against
cold; the 10x corpus (the file repeated with distinct ids) against 1x;
how far rjieba's tokens and tables differ from jieba's; mkdocs build time
and site size; peak RSS of each run. Every analysis runs in a fresh process,
so its peak RSS is its own. Each 1x measure is the fastest of ``--repeat``
runs (default 2; timing noise only ever adds time), the 10x corpus runs
once. Targets are printed beside the figures; this is a report, not a
test, and it never fails on a figure. ``--only rebuild`` measures the warm
rebuild row alone (cold, one document changed, warm; ``--repeat`` times);
``--only analysis`` the baseline and the --jobs 1 row alone (the speed limit
of issue 12), each also in CPU seconds, steadier on a shared machine.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from analysis.segment import DEFAULT_SEGMENTER  # noqa: E402 - after the path is set

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
from analysis.pipeline import analyze_corpus
t, c = time.perf_counter(), time.process_time()
analyze_corpus({corpus!r}, {build!r}, progress=False, jobs={jobs}, segmenter={segmenter!r},
               cache_dir={cache!r}, use_cache={use_cache})
seconds, cpu = time.perf_counter() - t, time.process_time() - c
rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({{"seconds": seconds, "cpu": cpu, "rss_mb": rss / 1024}}))
"""


def run_analysis(corpus: Path, build: Path, *, jobs: int = 1, segmenter: str = DEFAULT_SEGMENTER,
                 cache: Path | None = None) -> dict:
    """Run one analysis in a fresh Python process; return its seconds and peak RSS (MB)."""
    code = CHILD.format(root=str(ROOT), corpus=str(corpus), build=str(build), jobs=jobs, segmenter=segmenter,
                        cache=str(cache) if cache else None, use_cache=cache is not None)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def baseline(corpus: Path) -> dict:
    """Plain jieba.lcut over every text, in a fresh process (dictionary loaded before timing)."""
    code = (f"import json,time,jieba; jieba.initialize(); "
            f"texts=[json.loads(l)['content'] for l in open({str(corpus)!r}, encoding='utf-8') if l.strip()]; "
            f"t=time.perf_counter(); c=time.process_time(); [jieba.lcut(x) for x in texts]; "
            f"s=time.perf_counter()-t; c=time.process_time()-c; "
            f"print(json.dumps({{'seconds': s, 'cpu': c, 'chars': sum(map(len, texts))}}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def scaled_corpus(source: Path, target: Path, times: int) -> Path:
    """The corpus repeated ``times`` times, each copy with distinct ids and a marker so no copy is a duplicate."""
    records = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    with open(target, "w", encoding="utf-8") as f:
        for k in range(times):
            for r in records:
                copy = dict(r, id=f"copy{k}-{len(records)}-{records.index(r)}", title=f"{r.get('title')}（副本{k}）",
                            content=f"副本{k}\n\n" + r["content"])
                f.write(json.dumps(copy, ensure_ascii=False) + "\n")
    return target


def touch_one(corpus: Path) -> None:
    """Change one document's text in place (a paragraph appended to the first record)."""
    lines = corpus.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["content"] += "\n\n补充的一段话，继续推进各项工作。\n"
    lines[0] = json.dumps(first, ensure_ascii=False)
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")


def segmenter_agreement(corpus: Path) -> dict:
    """How far rjieba's tokens differ from jieba's on the texts (same dictionary)."""
    import jieba
    import rjieba
    texts = [json.loads(l)["content"] for l in corpus.read_text(encoding="utf-8").splitlines() if l.strip()]
    jieba.initialize()
    rj = rjieba.Jieba()
    same = total_j = total_r = 0
    for text in texts:
        a = {(s, e) for _, s, e in jieba.tokenize(text)}
        b = {(s, e) for _, s, e in rj.tokenize(text, "default", True)}
        same += len(a & b)
        total_j += len(a)
        total_r += len(b)
    return {"jieba_tokens": total_j, "rjieba_tokens": total_r, "same_boundaries": same / max(total_j, 1)}


def table_agreement(a: Path, b: Path) -> str:
    """How far two builds' slogan and parallelism tables differ (shares of rows in common)."""
    import pandas as pd

    def rows(build: Path, name: str, cols: list[str]) -> set:
        df = pd.read_parquet(build / "tables" / f"{name}.parquet")
        return set(map(tuple, df[cols].astype(str).itertuples(index=False)))

    out = []
    for name, cols in (("slogans", ["slogan", "count"]), ("slogan_hits", ["doc_id", "start", "end", "slogan"]),
                       ("parallelisms", ["doc_id", "start", "end", "template"])):
        x, y = rows(a, name, cols), rows(b, name, cols)
        out.append(f"{name} {len(x & y) / max(len(x | y), 1):.2%} identical ({len(x):,} vs {len(y):,} rows)")
    return "; ".join(out)


SITE_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from analysis.pages import write_pages
from analysis.explore_data import write_explore_data
from analysis.site import copy_plotly, run_mkdocs
docs = Path({docs!r})
t, c = time.perf_counter(), time.process_time()
pages = write_pages(Path({build!r}), docs)
pages += write_explore_data(Path({build!r}), docs)     # the search's and the explore page's data
copy_plotly(docs)
t_pages, c_pages = time.perf_counter() - t, time.process_time() - c
t, c = time.perf_counter(), time.process_time()
ok = run_mkdocs(Path({config!r}), docs, Path({site!r}))
t_mkdocs, c_mkdocs = time.perf_counter() - t, time.process_time() - c
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"ok": ok, "pages_seconds": t_pages, "mkdocs_seconds": t_mkdocs, "pages_cpu": c_pages,
                  "mkdocs_cpu": c_mkdocs, "rss_mb": rss / 1024}}))
"""


def site_build(build: Path, site: Path, *, config: Path = ROOT / "mkdocs.yml") -> dict:
    """Pages, then ``mkdocs build``, from the tables in ``build`` into a private copy of docs/, in a fresh
    process; return the seconds of each, the pages, the site's MB and the peak RSS."""
    import shutil
    docs = build / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns(
        "documents", "slogans", "patterns", "downloads*", "index.md", "report.md", "compare.md",
        "data-dictionary.md", "explore.md", "explore-data", "compare-data.js", "plotly.min.js", "plotly-template.js"))
    code = SITE_CHILD.format(root=str(ROOT), docs=str(docs), build=str(build), config=str(config), site=str(site))
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if not result["ok"]:
        raise SystemExit(f"mkdocs build failed:\n{out.stderr[-3000:]}")
    result["pages"] = len(list(site.rglob("*.html")))
    result["mb"] = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1_048_576
    return result


def site_rows(row, build: Path, work: Path, *, analysis_seconds: float, scaled: tuple[Path, float] | None) -> None:
    """The site rows: pages (with the search's and explore page's data) and mkdocs seconds against the
    analysis, site size, peak RSS; and, with ``scaled`` (its build folder and the 1x figure to compare),
    the scaled corpus's site."""
    r1 = site_build(build, work / "site")
    row("site: pages + mkdocs build", f"pages {r1['pages_seconds']:.1f} s + mkdocs {r1['mkdocs_seconds']:.1f} s "
        f"= {(r1['pages_seconds'] + r1['mkdocs_seconds']) / analysis_seconds:.1f}× the analysis "
        f"({analysis_seconds:.1f} s); CPU {r1['pages_cpu']:.1f} + {r1['mkdocs_cpu']:.1f} s; {r1['pages']:,} pages, "
        f"site {r1['mb']:.0f} MB, peak RSS {r1['rss_mb']:.0f} MB",
        "≤ 1× the analysis, < 40 MB")
    page_weight_row(row, work / "site")
    if scaled:
        big, times = scaled
        rn = site_build(big, work / "site-big")
        one, many = r1["pages_seconds"] + r1["mkdocs_seconds"], rn["pages_seconds"] + rn["mkdocs_seconds"]
        row(f"{times}× corpus: pages + mkdocs", f"{many:.1f} s = {many / one:.1f}× the 1× site; "
            f"{rn['pages']:,} pages, site {rn['mb']:.0f} MB, peak RSS {rn['rss_mb']:.0f} MB",
            f"≤ {times}× (linear), < 2048 MB")


def page_weight_row(row, site: Path) -> None:
    """The first view's weight in chromium (``benchmarks/page_weight.py``): the heaviest of the sampled
    pages beyond plotly.js and the theme, which a reader downloads once for the whole site."""
    import shutil
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        row("first view of a page (chromium)", "not measured: chromium is not installed", "≤ about 1 MB")
        return
    sys.path.insert(0, str(ROOT / "tests"))
    from page_weight import sample_pages, weigh
    from site_kit import chromium_browser, serve
    with serve(site) as base, chromium_browser() as browser:
        weights = {label: weigh(browser, base, path) for label, path in sample_pages(site).items()}
    label, w = max(weights.items(), key=lambda kv: kv[1]["own"])
    row("first view of a page (chromium)", f"heaviest beyond plotly.js and theme: {label} {w['own'] / 1_048_576:.2f} MB "
        f"({w['total'] / 1_048_576:.2f} MB in all, {w['requests']} requests); {len(weights)} pages weighed",
        "≤ about 1 MB beyond plotly.js and the theme")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--scale", type=int, default=10, help="copies in the scaled corpus (default: 10)")
    ap.add_argument("--repeat", type=int, default=2, help="runs of each 1x measure, the fastest kept (default: 2)")
    ap.add_argument("--only", choices=["analysis", "rebuild", "site"], help="measure only these rows (analysis: "
                    "the baseline and the full analysis --jobs 1; rebuild: cold, then warm after one document "
                    "changed; site: one analysis, then the site rows, with the scaled corpus only if --scale > 1)")
    args = ap.parse_args(argv)
    source = args.shared / "corpora" / "gwr" / "government_work_reports.jsonl"
    work = Path(tempfile.mkdtemp(prefix="tifa-bench-"))
    rows = []

    def row(name, value, target=""):
        rows.append((name, value, target))
        print(f"  … {name}: {value}", file=sys.stderr)

    def fastest(measure):
        return min((measure(k) for k in range(args.repeat)), key=lambda r: r["seconds"])

    def cold_then_warm(k: int) -> dict:
        corpus = work / f"touched{k}.jsonl"
        corpus.write_bytes(source.read_bytes())
        cold = run_analysis(corpus, work / f"c1-{k}", cache=work / f"cache{k}")
        touch_one(corpus)
        warm = run_analysis(corpus, work / f"c2-{k}", cache=work / f"cache{k}")
        return {"warm": warm, "cold": cold}

    if args.only == "rebuild":
        rebuild_row(row, [cold_then_warm(k) for k in range(args.repeat)])
        return report(rows, work)
    if args.only == "site":
        one = run_analysis(source, work / "j1")
        row("full analysis --jobs 1 (cold)", f"{one['seconds']:.2f} s, peak RSS {one['rss_mb']:.0f} MB")
        scaled = None
        if args.scale > 1:
            run_analysis(scaled_corpus(source, work / f"x{args.scale}.jsonl", args.scale), work / "big")
            scaled = (work / "big", args.scale)
        site_rows(row, work / "j1", work, analysis_seconds=one["seconds"], scaled=scaled)
        return report(rows, work)
    base, one = analysis_rows(row, fastest, source, work)
    if args.only == "analysis":
        return report(rows, work)
    two = fastest(lambda k: run_analysis(source, work / "j2", jobs=2))
    row("full analysis --jobs 2 (cold)", f"{two['seconds']:.2f} s = {one['seconds'] / two['seconds']:.2f}× faster "
        f"than --jobs 1, peak RSS {two['rss_mb']:.0f} MB", "≥ 1.7× faster")
    rebuild_row(row, [cold_then_warm(k) for k in range(args.repeat)])
    big = scaled_corpus(source, work / f"x{args.scale}.jsonl", args.scale)
    scaled = run_analysis(big, work / "big")
    row(f"{args.scale}× corpus --jobs 1", f"{scaled['seconds']:.1f} s = {scaled['seconds'] / one['seconds']:.1f}× the 1× "
        f"corpus, peak RSS {scaled['rss_mb']:.0f} MB", f"≤ {args.scale + 1}× time, < 2048 MB")
    jb = fastest(lambda k: run_analysis(source, work / "jb", segmenter="jieba"))
    row("full analysis --jobs 1 --segmenter jieba", f"{jb['seconds']:.2f} s = {jb['seconds'] / base['seconds']:.1f}× "
        f"baseline ({DEFAULT_SEGMENTER}, the default, is {jb['seconds'] / one['seconds']:.2f}× faster)")
    agree = segmenter_agreement(source)
    row("rjieba against jieba: tokens", f"token boundaries shared {agree['same_boundaries']:.4%} "
        f"({agree['rjieba_tokens']:,} vs {agree['jieba_tokens']:,} tokens)")
    row("rjieba against jieba: tables", table_agreement(work / "j1", work / "jb"))
    site_rows(row, work / "j1", work, analysis_seconds=one["seconds"], scaled=(work / "big", args.scale))
    return report(rows, work)


def analysis_rows(row, fastest, source: Path, work: Path) -> tuple[dict, dict]:
    """The baseline row (plain jieba.lcut) and the full analysis --jobs 1 against it, in wall-clock and in
    CPU seconds (on a machine others share, CPU time is the steadier measure); return both measures."""
    base = fastest(lambda k: baseline(source))
    row("baseline: jieba.lcut over the texts", f"{base['seconds']:.2f} s (CPU {base['cpu']:.2f} s), "
        f"{base['chars'] / base['seconds']:,.0f} 字/s")
    one = fastest(lambda k: run_analysis(source, work / "j1"))
    row(f"full analysis --jobs 1 (cold, segmenter {DEFAULT_SEGMENTER})",
        f"{one['seconds']:.2f} s = {one['seconds'] / base['seconds']:.1f}× baseline (CPU {one['cpu']:.2f} s = "
        f"{one['cpu'] / base['cpu']:.2f}× baseline's), peak RSS {one['rss_mb']:.0f} MB",
        "≤ 1.5× baseline; < 3× (issue 12)")
    return base, one


def rebuild_row(row, rebuilds: list[dict]) -> None:
    """The warm-rebuild row: the fastest warm run against the fastest cold one (``cold_then_warm`` pairs)."""
    warm = min((r["warm"] for r in rebuilds), key=lambda r: r["seconds"])
    cold = min((r["cold"] for r in rebuilds), key=lambda r: r["seconds"])
    row("warm rebuild after one document changed", f"{warm['seconds']:.2f} s = {warm['seconds'] / cold['seconds']:.0%} "
        f"of cold ({cold['seconds']:.2f} s)", "≤ 10% of cold")


def report(rows: list[tuple], work: Path) -> int:
    """Print the rows as a Markdown table, then where the runs' files are; return 0."""
    print()
    print("| measure | result | target |")
    print("| --- | --- | --- |")
    for name, value, target in rows:
        print(f"| {name} | {value} | {target} |")
    print(f"\n(work folder: {work})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
