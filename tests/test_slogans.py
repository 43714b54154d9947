"""Slogan extraction: detectors on small texts, and the real extraction on the work reports and sample speech.

The work-report checks run with an EMPTY lexicon: everything must be found by
the general detectors.
"""
from __future__ import annotations

import dataclasses
import pickle
import re
from pathlib import Path

import ahocorasick
import numpy as np
import pytest

from analysis.segment import LexiconEntry
from analysis.slogans import (
    DocumentEvidence,
    compact_numbered,
    document_evidence,
    enumerations,
    is_numeric_noise,
    quoted_terms,
    slogan_report,
    slogan_tables,
    term_like,
)

ROOT = Path(__file__).resolve().parents[1]

EXPECTED_FIRST_YEAR = {
    "新质生产力": 2024, "供给侧结构性改革": 2016, "一带一路": 2015, "大众创业、万众创新": 2015,
    "放管服": 2017, "六稳": 2021, "六保": 2021, "三农": 2003, "四个现代化": 1978,
    "阶级斗争": 1955, "科学发展观": 2004, "中国式现代化": 2023,
}
FUNCTION_WORDS = set("的了和在是与及或等")
NUM = "0-9一二三四五六七八九十两百千万零〇"


@pytest.fixture(scope="session")
def gwr_tables(gwr_docs):
    analyzed, _ = gwr_docs
    return slogan_tables(analyzed, lexicon=[], progress=False)


@pytest.fixture(scope="session")
def gwr_clean(gwr_docs):
    return {a.doc_id: a for a in gwr_docs[0]}


# --------------------------------------------------------------------------- detectors

def test_quoted_terms_keeps_terms_not_speech():
    text = "严格执行“三会一课”制度，他说：“我们一定要把工作做好。”还有“的确”和“学党章、强基础、作表率”。"
    terms = [t for _, _, t in quoted_terms(text)]
    assert "三会一课" in terms and "学党章、强基础、作表率" in terms
    assert not any("工作做好" in t for t in terms)
    assert "的确" not in terms  # starts with a function word
    for s, e, t in quoted_terms(text):
        assert text[s:e] == t


@pytest.mark.parametrize("form", ["二个百分点", "一个又一个", "一个国家", "三年", "十五", "五次"])
def test_numeric_noise(form):
    assert is_numeric_noise(form)


@pytest.mark.parametrize("form", ["四个意识", "两学一做", "六稳", "五位一体"])
def test_numbered_forms_are_not_noise(form):
    assert not is_numeric_noise(form) and term_like(form)


def test_compact_numbered_rejects_idioms_and_counts():
    text = "坚持两学一做，千方百计，一心一意，一年一度，三严三实。"
    found = [f for _, _, f in compact_numbered(text)]
    assert found == ["两学一做", "三严三实"]


def test_enumerations_keep_whole_run_and_members():
    text = "持之以恒抓基层、打基础，开展学党章、强基础、作表率活动。"
    bounds = set(range(len(text) + 1))
    forms = {f for _, _, f, _ in enumerations(text, bounds)}
    assert "抓基层、打基础" in forms
    assert "学党章、强基础、作表率" in forms
    assert not any(f.startswith("持") for f in forms if len(f.split("、")[0]) == 3)


# The plain leftmost-longest matcher the slogan stage used before its one-scan counting: kept here
# as the reference that counting is checked against.
class Matcher:
    """Leftmost-longest matching of many literal forms in one pass per text (Aho–Corasick)."""

    def __init__(self, forms):
        self.automaton = ahocorasick.Automaton()
        for f in set(forms):
            if f:
                self.automaton.add_word(f, f)
        self.empty = len(self.automaton) == 0
        if not self.empty:
            self.automaton.make_automaton()

    def longest(self, text: str):
        """Yield ``(start, end, form)`` for non-overlapping matches, longest first, then leftmost.

        Longest-first keeps a long slogan whole where a shorter candidate
        would otherwise cut into it from the left (发展新质 | 新质生产力).
        """
        occ = sorted(self.overlapping(text), key=lambda o: (o[0] - o[1], o[0]))
        taken = bytearray(len(text))
        for s, e, f in occ:
            if not any(taken[s:e]):
                taken[s:e] = b"\x01" * (e - s)
                yield s, e, f

    def overlapping(self, text: str):
        """Yield ``(start, end, form)`` for every occurrence of every form, overlaps included."""
        if self.empty:
            return
        for last, f in self.automaton.iter(text):
            yield last + 1 - len(f), last + 1, f


def test_matcher_prefers_longest_then_leftmost():
    m = Matcher(["发展新质", "新质生产力", "三会一课"])
    text = "加快发展新质生产力，执行三会一课制度"
    assert [(text[s:e]) for s, e, _ in sorted(m.longest(text))] == ["新质生产力", "三会一课"]


def test_occurrence_arrays_count_like_the_matcher():
    """The one-scan counting (clusters of overlaps resolved longest-first) keeps what Matcher.longest keeps."""
    from analysis.slogans import _Occurrences
    forms = ["发展新质", "新质生产力", "生产力", "三会一课", "一课", "会一", "改革", "深化改革开放", "改革开放"]
    texts = ["加快发展新质生产力，执行三会一课制度", "深化改革开放，改革开放，生产力", "", "发展新质发展新质生产力"]
    occ = _Occurrences(forms, texts)
    kept = occ.longest(occ.ids(forms))
    got = [(int(d), int(s), int(e)) for d, s, e in zip(occ.doc[kept], occ.start[kept], occ.end[kept])]
    m = Matcher(forms)
    want = [(d, s, e) for d, t in enumerate(texts) for s, e, _ in sorted(m.longest(t))]
    assert got == want


def test_lexicon_entries_merge_with_found_terms(sample_doc):
    entry = LexiconEntry("学党章、强基础、作表率", ("学党章强基础作表率",), "党建", "test entry")
    tables = slogan_tables([sample_doc], lexicon=[entry], progress=False)
    row = tables["slogans"].set_index("slogan").loc["学党章、强基础、作表率"]
    assert row["category"] == "党建" and "lexicon" in row["signals"] and "enumeration" in row["signals"]


# --------------------------------------------------------------------------- per-document evidence

def test_evidence_is_computed_per_document_and_pickles(gwr_docs):
    a = gwr_docs[0][0]
    ev = a.slogan_evidence
    assert isinstance(ev, DocumentEvidence)  # filled in by the per-document stage (engine.analyze_document)
    blob = pickle.dumps(ev, protocol=pickle.HIGHEST_PROTOCOL)
    back = pickle.loads(blob)
    for f in dataclasses.fields(DocumentEvidence):
        x, y = getattr(ev, f.name), getattr(back, f.name)
        assert np.array_equal(x, y) if isinstance(x, np.ndarray) else x == y, f.name
    # compact: counts and arrays, not one object per token
    assert len(blob) < 40 * len(a.clean.text)
    again = document_evidence(a)
    assert np.array_equal(again.gram_keys, ev.gram_keys)  # keys are stable: same words, same key


def test_tables_from_precomputed_evidence_equal_tables_without(gwr_docs, gwr_tables):
    analyzed, _ = gwr_docs
    bare = [dataclasses.replace(a, slogan_evidence=None) for a in analyzed]
    fresh = slogan_tables(bare, lexicon=[], progress=False)
    assert set(fresh) == set(gwr_tables)
    for name, table in gwr_tables.items():
        pd_equal = table.equals(fresh[name])
        assert pd_equal, name


def test_documents_without_words_are_segmented_by_the_stage():
    from analysis.document import AnalyzedDocument, CleanText, Document
    text = "我们要坚持绿水青山就是金山银山理念。"
    docs = [AnalyzedDocument(Document(f"d{i}", text, year=2000 + i), CleanText(text, list(range(len(text)))))
            for i in range(3)]
    tables = slogan_tables(docs, lexicon=[], progress=False)  # no token_spans: segmented by the stage
    hits = tables["slogan_hits"]
    assert (hits["hit"].str.len() > 0).all()
    assert set(hits["doc_id"]) <= {"d0", "d1", "d2"}


# --------------------------------------------------------------------------- work reports, empty lexicon

@pytest.mark.parametrize("slogan,year", sorted(EXPECTED_FIRST_YEAR.items()))
def test_work_reports_find_slogans_with_first_year(gwr_tables, slogan, year):
    slogans = gwr_tables["slogans"].set_index("slogan")
    assert slogan in slogans.index, f"{slogan} not found"
    assert slogans.loc[slogan, "first_year"] == year


@pytest.mark.parametrize("slogan", sorted(EXPECTED_FIRST_YEAR))
def test_counts_are_substring_counts_less_overlaps(gwr_tables, gwr_clean, slogan):
    """Every occurrence of the canonical form is its hit, or lies inside another slogan's hit."""
    hits = gwr_tables["slogan_hits"]
    own = hits[hits["slogan"] == slogan]
    others = hits[hits["slogan"] != slogan]
    covered = {(r.doc_id, i) for r in others.itertuples() for i in range(r.clean_start, r.clean_end)}
    expected = 0
    for doc_id, a in gwr_clean.items():
        for m in re.finditer(re.escape(slogan), a.clean.text):
            if not any((doc_id, i) in covered for i in range(m.start(), m.end())):
                expected += 1
    variant_hits = int((own["hit"] != slogan).sum())
    row = gwr_tables["slogans"].set_index("slogan").loc[slogan]
    assert row["count"] == len(own) == expected + variant_hits
    assert gwr_tables["slogan_docs"].query("slogan == @slogan")["count"].sum() == row["count"]


def test_hits_are_raw_spans_with_kwic(gwr_tables, gwr_clean):
    hits = gwr_tables["slogan_hits"]
    for r in hits.sample(min(len(hits), 2000), random_state=0).itertuples():
        raw = gwr_clean[r.doc_id].doc.raw
        assert raw[r.start:r.end] == r.hit
        assert r.hit in r.context and len(r.left) <= 20 and len(r.right) <= 20


def test_rate_top_30_is_clean(gwr_tables):
    top = gwr_tables["slogans"].sort_values("rate_per_10k", ascending=False).head(30)
    for s in top["slogan"]:
        for member in s.split("、"):
            assert member[0] not in FUNCTION_WORDS and member[-1] not in FUNCTION_WORDS, s
        assert not re.fullmatch(f"[{NUM}]+", s), s
        assert not re.fullmatch(f"[{NUM}]+[个年月日次项点倍成岁亿元吨]+.{{0,3}}", s), s
        assert not re.search(r"(.+)又\1", s), s
        assert not s.startswith("一个"), s


def test_rates_and_years(gwr_tables, gwr_docs):
    analyzed, _ = gwr_docs
    slogans, years = gwr_tables["slogans"], gwr_tables["slogan_years"]
    chars = sum(sum(1 for ch in a.clean.text if not ch.isspace()) for a in analyzed)
    row = slogans.iloc[0]
    assert row["rate_per_10k"] == pytest.approx(row["count"] / chars * 10000)
    doc_years = {a.doc.year for a in analyzed if a.doc.year is not None}
    assert set(years["year"].dropna().astype(int)) <= doc_years
    assert years["year"].notna().all()
    assert 2020 not in set(years["year"])  # the 2020 report is missing: no zero rows for it
    liu = years[years["slogan"] == "六稳"].set_index("year")["count"]
    assert liu.loc[2021] >= 1 and liu[liu.index < 2021].sum() == 0


def test_kinds_signals_and_members(gwr_tables):
    s = gwr_tables["slogans"].set_index("slogan")
    assert set(s["kind"]) <= {"quoted", "numbered", "enumeration", "cohesive", "lexicon"}
    assert s.loc["大众创业、万众创新", "kind"] == "enumeration"
    assert s.loc["大众创业、万众创新", "members"] == "大众创业、万众创新"
    assert "quoted" in s.loc["放管服", "signals"]
    assert s.loc["六稳", "kind"] == "numbered"


def test_cooccurrence_within_paragraphs(gwr_tables):
    co = gwr_tables["cooccurrence"]
    assert list(co.columns[:3]) == ["slogan_a", "slogan_b", "paragraphs"]
    pair = co[((co.slogan_a == "六保") & (co.slogan_b == "六稳")) | ((co.slogan_a == "六稳") & (co.slogan_b == "六保"))]
    assert len(pair) == 1 and pair["paragraphs"].iloc[0] >= 3


def test_report_lists_kinds_and_top(gwr_tables):
    text = slogan_report(gwr_tables["slogans"], top=30)
    assert "cohesive" in text and "numbered" in text and "enumeration" in text and "quoted" in text
    assert len(text.splitlines()) == 3 + 30


# --------------------------------------------------------------------------- sample speech through the pipeline

def test_sample_speech_via_pipeline(tmp_path):
    from analysis.pipeline import analyze_corpus
    from analysis.tables import read_table
    analyze_corpus(ROOT / "corpus", tmp_path, lexicon="none", progress=False)
    slogans = set(read_table(tmp_path, "slogans")["slogan"])
    for s in ["三会一课", "不忘初心、牢记使命", "学党章、强基础、作表率", "三重一大", "四强"]:
        assert s in slogans, s
    for name in ["slogan_hits", "slogan_years", "slogan_docs", "cooccurrence"]:
        assert (tmp_path / "tables" / f"{name}.parquet").exists()


def test_find_all_with_a_memo_equals_a_fresh_scan():
    """A rescan from the memo (forms added and dropped, a text changed, a text new) finds what a fresh scan finds."""
    from analysis.slogans import find_all
    texts = ["加快发展新质生产力，执行三会一课制度", "深化改革开放，改革开放，生产力", "", "发展新质发展新质生产力"]
    memo = {}
    first = sorted(["发展新质", "新质生产力", "三会一课", "改革"])
    find_all(first, texts, memo)
    later = sorted(["新质生产力", "生产力", "三会一课", "一课", "会一", "改革", "深化改革开放", "改革开放", "新质"])
    changed = [texts[0], texts[1] + "，生产力", texts[3], "全新的一课"]
    got = find_all(later, changed, memo)
    want = find_all(later, changed)
    assert [g.tolist() for g in got] == [w.tolist() for w in want]
    assert sum(len(w) for w in want) > 20
    assert memo["forms"] == later and len(memo["found"]) == len(changed)   # only the current texts are kept
