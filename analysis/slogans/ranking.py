"""Sloganhood: one ranking of the slogans by what makes a formulation (提法), used wherever a list is shown.

It rewards the signs of a name (numbered, quoted, an enumeration of parallel
members, the lexicon), a life in time (used in fewer years than a word of its
frequency spread evenly over the corpus would be), rarity in general Chinese
(jieba's dictionary frequencies are the background) and length; it penalises
statistics (figures next to it), administrative phrases (led by an
adverb or verb, made only of verbs), vocabulary built of common words, and
fragments (mostly inside a longer slogan, or nearly always continued by the
same character). Every weight is a field of :class:`SloganSettings`; the
count stays a column, not the order.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis.slogans.settings import DEFAULT_SETTINGS, SloganSettings
from analysis.slogans.shapes import FUNCTION_CHARS, LEADING_VERBS, members, pos_tags

# A hit near one of these stands in a report of a figure: 国内生产总值增长百分之…, 比上年增长 8%.
_FIGURE = re.compile(r"[0-9０-９%％]|百分之|百分点|[亿万]元|[万亿]吨|[一二三四五六七八九十]倍")
_NEAR = 10   # characters on each side of a hit looked at for a figure
_PUNCT = set("，。；：！？、“”‘’《》（）() \n·—…")
# Characters ending a leading verb, or particles: before a term they say nothing of a cut.
_FREE_BEFORE = {v[-1] for v in LEADING_VERBS} | FUNCTION_CHARS


def sloganhood(slogans: pd.DataFrame, hits: pd.DataFrame, year_chars: Counter, *,
               settings: SloganSettings = DEFAULT_SETTINGS) -> pd.Series:
    """The sloganhood of each row of ``slogans`` (its ``slogan``, ``signals``, ``count``,
    ``occurrences``, ``quoted``), from its ``hits`` (``slogan``, ``year``, ``left``, ``right``) and the
    characters of each year of the corpus; higher reads more like a formulation."""
    s = settings
    facts = _hit_facts(hits, slogans["slogan"], _expected_years(year_chars))
    count = slogans["count"].to_numpy(dtype=float)
    signals = slogans["signals"].astype(str).str.split("、").map(set)
    has = (lambda kind: signals.map(lambda sig: kind in sig).to_numpy(dtype=float))
    score = (s.rank_count_weight * np.log1p(count)
             + s.rank_length_weight * slogans["slogan"].str.len().clip(upper=10).to_numpy(dtype=float)
             + s.rank_numbered * has("numbered") + s.rank_lexicon * has("lexicon")
             + s.rank_quoted * np.minimum(1.0, 2 * slogans["quoted"].to_numpy(dtype=float) / np.maximum(count, 1))
             + s.rank_burst * facts["burst"].to_numpy() - s.rank_figures * facts["figures"].to_numpy()
             - s.rank_fragment * facts["continued"].to_numpy()
             - s.rank_fragment * (1 - count / np.maximum(slogans["occurrences"].to_numpy(dtype=float), 1)))
    form_part = [_form_score(form, sig, s) for form, sig in zip(slogans["slogan"].tolist(), signals.tolist())]
    return pd.Series(score + np.array(form_part, dtype=float), index=slogans.index, dtype="float64").round(4)


def ranked(slogans: pd.DataFrame) -> pd.DataFrame:
    """``slogans`` in ranking order (sloganhood, then count, then the form), with ``rank`` 1, 2, …"""
    df = slogans.sort_values(["sloganhood", "count", "slogan"], ascending=[False, False, True], kind="mergesort")
    return df.assign(rank=np.arange(1, len(df) + 1, dtype=np.int64)).reset_index(drop=True)


def _hit_facts(hits: pd.DataFrame, forms: pd.Series, share: np.ndarray) -> pd.DataFrame:
    """Per slogan (in the order of ``forms``): ``burst`` (see :func:`_burst`), ``figures`` (share of its
    hits with a figure within ``_NEAR`` characters) and ``continued`` (see :func:`_continued`), from its hits."""
    out = pd.DataFrame({"burst": 0.0, "figures": 0.0, "continued": 0.0}, index=pd.Index(forms))
    if not len(hits):
        return out.reset_index(drop=True)
    left, right = hits["left"].astype(str), hits["right"].astype(str)
    # the hit's neighbourhood stands in for its clause (splitting every context at punctuation is slow)
    clause = left.str[-_NEAR:] + "|" + right.str[:_NEAR]
    h = pd.DataFrame({"slogan": hits["slogan"], "year": hits["year"], "doc_id": hits["doc_id"],
                      "figure": clause.str.contains(_FIGURE.pattern, regex=True),
                      "after": right.str[:1].where(~right.str[:1].isin(_PUNCT) & (right != "")),
                      "before": left.str[-1:].where(~left.str[-1:].isin(_PUNCT | _FREE_BEFORE) & (left != ""))})
    g = h.groupby("slogan", sort=False)
    out["figures"] = g["figure"].mean().reindex(out.index).fillna(0.0)
    n = g.size().reindex(out.index).fillna(0).to_numpy(dtype=float)
    years = g["year"].nunique().reindex(out.index).fillna(0).to_numpy(dtype=float)
    docs = g["doc_id"].nunique().reindex(out.index).fillna(0).to_numpy()
    # one document says nothing of a life in time; the years a form of k hits would reach, once per k
    reach = {k: _expected_reach(k, share) for k in set(n.astype(int).tolist())}
    out["burst"] = [_burst(int(y), reach[int(k)], share) if d > 1 else 0.0 for y, k, d in zip(years, n, docs)]
    cont = np.zeros(len(out))
    for side in ("after", "before"):
        sided = h.dropna(subset=[side]).groupby(["slogan", side], sort=False).size()
        if len(sided):
            top = sided.groupby(level=0).max()
            enough = sided.groupby(level=0).sum() >= 3
            top = top[enough].reindex(out.index).fillna(0).to_numpy(dtype=float)
            cont = np.maximum(cont, np.clip((top / np.maximum(n, 1) - 0.5) * 2, 0, 1))
    out["continued"] = cont
    return out.reset_index(drop=True)


def _form_score(form: str, signals: set, s: SloganSettings) -> float:
    """What the wording itself says: an enumeration (more if parallel, less if of ordinary words);
    an idiom (四两拨千斤) or, without a sign of a name, an administrative phrase or ordinary words."""
    score = 0.0
    if "enumeration" in signals and "、" in form:
        score += s.rank_enumeration * (1 + _parallel(form)) - s.rank_common * _common_members(form)
    if _idiom(form):
        score -= s.rank_common
    if not signals & {"numbered", "quoted", "lexicon", "enumeration"}:
        score -= s.rank_administrative * _administrative(form) + s.rank_common * _common(form)
    return score


def _idiom(form: str) -> bool:
    """True for a four-character idiom of jieba's dictionary (百废俱兴): a saying, not a name."""
    return pos_tags().get(form) == "i"


def _parallel(form: str) -> float:
    """1 if the members share a character at the same position (大众创业、万众创新), else 0."""
    parts = members(form)
    n = min(len(p) for p in parts)
    return float(any(len({p[k] for p in parts}) == 1 for k in range(n)) or
                 any(len({p[-1 - k] for p in parts}) == 1 for k in range(n)))


def _expected_years(year_chars: Counter):
    """The years of the corpus and each one's share of its characters, for :func:`_burst`."""
    total = sum(year_chars.values()) or 1
    return np.array([year_chars[y] / total for y in sorted(year_chars)], dtype=float)


def _burst(used: int, expected: float, share: np.ndarray) -> float:
    """1 − (years used ÷ ``expected``, the years a form of its hits spread by characters would reach,
    :func:`_expected_reach`): 0 for a form as even as chance (国内生产总值 within its decades), near 1
    for one of its time (四人帮)."""
    if len(share) < 2 or not used:
        return 0.0
    return max(0.0, 1 - used / max(expected, 1.0))


def _expected_reach(n: int, share: np.ndarray) -> float:
    """How many years a form of ``n`` hits would be used in, its hits spread over the years by their
    characters (``share``)."""
    return float(np.sum(1 - (1 - share) ** n))


@lru_cache(maxsize=1 << 16)
def _words(form: str) -> tuple[tuple[str, str], ...]:
    """The form's words and their POS (jieba)."""
    from analysis.segment import get_segmenter
    return tuple(get_segmenter().pos(form))


def _administrative(form: str) -> float:
    """1 if the form reads as an administrative phrase: led by an adverb or verb (深入推进, 切实加强),
    or made of verbs and adjectives only (取得新进展); else 0."""
    words = _words(form)
    if not words:
        return 0.0
    tags = [t for _, t in words]
    led = len(words) > 1 and tags[0].startswith(("d", "ad", "v")) and not tags[0].startswith("vn")
    verbal = all(t.startswith(("v", "a", "d")) for t in tags)
    return float(led or verbal)


@lru_cache(maxsize=1 << 16)
def _frequency(word: str) -> int:
    """The word's frequency in jieba's dictionary (general Chinese), 0 if absent."""
    # read from the dictionary file (0.2 s), not from Python jieba's prefix dictionary (1 s to load)
    from analysis.lexicon import word_frequency
    return word_frequency(word)


def _common(form: str) -> float:
    """0–1: how ordinary the form is in general Chinese: a dictionary word of its own that is frequent
    (义务教育), or one built only of frequent words (经济 + 社会 + 发展)."""
    own = _frequency(form)
    if own:
        return min(1.0, math.log10(own + 1) / 3.5)
    freqs = [_frequency(w) for w, _ in _words(form)]
    if len(freqs) < 2:
        return 0.0
    return min(1.0, max(0.0, math.log10(min(freqs) + 1) - 2.5) / 2)


def _common_members(form: str) -> float:
    """The least ordinary member's :func:`_common` (文学艺术、新闻出版、广播影视: all ordinary)."""
    return min(_common(m) for m in members(form))
