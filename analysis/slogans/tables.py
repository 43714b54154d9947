"""The slogan tables: hits, slogans, per year, per document and co-occurrence.

Their columns, in order, come from :mod:`analysis.schema`.
"""
from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np
import pandas as pd

from analysis.document import AnalyzedDocument
from analysis.schema import table
from analysis.slogans.candidates import KIND_ORDER, Candidate, main_kind
from analysis.slogans.counting import Hits
from analysis.slogans.evidence import DocumentEvidence
from analysis.slogans.occurrences import Occurrences
from analysis.slogans.ranking import ranked, sloganhood
from analysis.slogans.settings import DEFAULT_SETTINGS, SloganSettings

# Column order of each table, from the schema (analysis/schema.py says what each column means).
HIT_COLUMNS = table("slogan_hits").names
SLOGAN_COLUMNS = table("slogans").names
YEAR_COLUMNS = table("slogan_years").names
DOC_COLUMNS = table("slogan_docs").names
COOCCURRENCE_COLUMNS = table("cooccurrence").names


def hits_table(hits: Hits, occ: Occurrences, analyzed: list[AnalyzedDocument], *,
               settings: SloganSettings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """One row per counted occurrence (:data:`HIT_COLUMNS`), built column by column: raw offsets,
    paragraph and keyword in context."""
    kept, width = hits.occ, settings.context_chars
    doc, start, end = occ.doc[kept], occ.start[kept], occ.end[kept]
    forms = np.empty(len(kept), dtype=object)   # as written in the text (traditional characters too)
    cuts = np.searchsorted(doc, np.arange(len(analyzed) + 1))
    raw_start, raw_end, para, left, right = [], [], [], [], []
    for d, a in enumerate(analyzed):
        lo, hi = cuts[d], cuts[d + 1]
        if lo == hi:
            continue
        s, e = start[lo:hi], end[lo:hi]
        forms[lo:hi] = [a.clean.text[x:y] for x, y in zip(s.tolist(), e.tolist())]
        origin = np.asarray(a.clean.origin, dtype=np.int64)
        raw_start.append(origin[s])
        raw_end.append(origin[e - 1] + 1)
        text = a.clean.text
        newlines = np.array([m.start() for m in re.finditer("\n", text)], dtype=np.int64)
        para.append(np.searchsorted(newlines, s))
        flat = text.replace("\n", " ")
        # one document's strings at a time become a (pandas) string array: no Python object per hit is kept
        left.append(pd.Series([flat[max(0, x - width):x] for x in s.tolist()], dtype="str"))
        right.append(pd.Series([flat[x:x + width] for x in e.tolist()], dtype="str"))
    cat = (lambda parts: np.concatenate(parts) if parts else np.zeros(0, np.int64))
    strings = (lambda parts: pd.concat(parts, ignore_index=True) if parts else pd.Series([], dtype="str"))
    year = np.array([np.nan if a.doc.year is None else a.doc.year for a in analyzed] + [np.nan])[doc]
    df = pd.DataFrame({
        "slogan": hits.slogan, "doc_id": np.array([a.doc_id for a in analyzed] + [""], dtype=object)[doc],
        "year": pd.array(year, dtype="Int64"), "start": cat(raw_start), "end": cat(raw_end),
        "clean_start": start, "clean_end": end, "hit": forms, "left": strings(left), "right": strings(right),
        "paragraph": cat(para)}, columns=HIT_COLUMNS)
    return df


def build_tables(cands: dict[str, Candidate], hits: pd.DataFrame, analyzed: list[AnalyzedDocument],
                 evidence: list[DocumentEvidence], *, raw_counts: dict[str, int] | None = None,
                 settings: SloganSettings = DEFAULT_SETTINGS) -> dict[str, pd.DataFrame]:
    """Aggregate hits into the slogans (in ranking order), per-year, per-document and co-occurrence tables.

    ``raw_counts``: every form's occurrences in the texts, those inside longer forms included."""
    total_chars = sum(ev.characters for ev in evidence) or 1
    year_chars = Counter()
    for a, ev in zip(analyzed, evidence):
        if a.doc.year is not None:
            year_chars[int(a.doc.year)] += ev.characters
    per_doc = hits.groupby(["slogan", "doc_id"]).size().rename("count").reset_index()[DOC_COLUMNS]
    slogans = _slogans_table(cands, hits, total_chars, year_chars, raw_counts or {}, settings)
    return {"slogans": slogans, "slogan_hits": hits, "slogan_years": _years_table(hits, year_chars),
            "slogan_docs": per_doc,
            "cooccurrence": cooccurrence(hits, min_paragraphs=settings.min_shared_paragraphs)}


def _slogans_table(cands: dict[str, Candidate], hits: pd.DataFrame, total_chars: int, year_chars: Counter,
                   raw_counts: dict[str, int], settings: SloganSettings) -> pd.DataFrame:
    """One row per slogan with hits, in ranking order: kind, signals, variants, counts (own and raw),
    rate, years, lexicon fields, score, sloganhood and rank."""
    counts, ndocs, years = _slogan_stats(hits)
    other_spellings = _other_spelling_hits(hits)
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
            "variants": sorted((c.variants | c.attached) - {form}, key=lambda v: (-len(v), v)),
            "count": n, "occurrences": max(n, raw_counts.get(form, 0) + other_spellings.get(form, 0)),
            "documents": int(ndocs.get(form, 0)),
            "rate_per_10k": n / total_chars * 10000,
            "first_year": int(yr[0]) if yr is not None else None,
            "last_year": int(yr[1]) if yr is not None else None,
            "category": c.category, "note": c.note, "members": "、".join(c.members),
            "quoted": c.quoted,
            "score": _score(n, len(signals), spread, len(form), settings),
        })
    df = pd.DataFrame(rows, columns=[c for c in SLOGAN_COLUMNS if c not in ("sloganhood", "rank")])
    for col in ("first_year", "last_year"):
        df[col] = df[col].astype("Int64")
    df["sloganhood"] = sloganhood(df, hits, year_chars, settings=settings) if len(df) else pd.Series(dtype=float)
    return ranked(df)[SLOGAN_COLUMNS]


def _other_spelling_hits(hits: pd.DataFrame) -> dict[str, int]:
    """Per slogan, its hits written in another spelling that does not hold the canonical form
    (不忘初心牢记使命 for 不忘初心、牢记使命): raw occurrences beside the canonical form's own."""
    if not len(hits):
        return {}
    # plain lists: stepping through Arrow-backed columns one cell at a time is several times slower
    other = hits[[h != s and s not in h for s, h in zip(hits["slogan"].tolist(), hits["hit"].tolist())]]
    return other.groupby("slogan").size().to_dict()


def _score(count: int, signals: int, spread: float, length: int, settings: SloganSettings) -> float:
    """A ranking score: more hits, more signals, a shorter share of the years and a longer form score higher."""
    return round(math.log1p(count) * signals * (settings.score_spread_base - spread)
                 * (1 + settings.score_length_weight * length), 4)


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
    cols = YEAR_COLUMNS
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


def cooccurrence(hits: pd.DataFrame, *,
                 min_paragraphs: int = DEFAULT_SETTINGS.min_shared_paragraphs) -> pd.DataFrame:
    """Pairs of slogans sharing paragraphs: ``slogan_a, slogan_b, paragraphs, pmi``.

    Built from the pairs of slogans in each paragraph; rows come in the
    order of a scan of the paragraphs (document, paragraph, slogan a, slogan b)
    before the final sort, which is stable: tied pairs keep that order.
    """
    cols = COOCCURRENCE_COLUMNS
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

