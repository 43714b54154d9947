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

from analysis.lexicon import LexiconEntry
from analysis.slogans import (
    DocumentEvidence,
    Match,
    Occurrences,
    SloganSettings,
    compact_numbered,
    counted_phrases,
    document_evidence,
    enumerations,
    find_all,
    is_numeric_noise,
    quoted_terms,
    slogan_report,
    slogan_tables,
    term_like,
)

ROOT = Path(__file__).resolve().parents[1]

EXPECTED_FIRST_YEAR = {
    "新质生产力": 2024, "供给侧结构性改革": 2016, "一带一路": 2015, "大众创业、万众创新": 2015,
    # 六稳/六保: 2020, the resolution of 2020-05-28 (dated from its date line since issue 13) uses both
    "放管服": 2017, "六稳": 2020, "六保": 2020, "三农": 2003, "四个现代化": 1978,
    "阶级斗争": 1954, "科学发展观": 2004, "中国式现代化": 2023,
}
# 阶级斗争: 1954, not 1955 — the 1954 report is in traditional characters (國內的階級鬥爭), now read as simplified.
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
    terms = [m.form for m in quoted_terms(text)]
    assert "三会一课" in terms and "学党章、强基础、作表率" in terms
    assert not any("工作做好" in t for t in terms)
    assert "的确" not in terms  # starts with a function word
    for m in quoted_terms(text):
        assert text[m.start:m.end] == m.form


@pytest.mark.parametrize("form", ["二个百分点", "一个又一个", "一个国家", "三年", "十五", "五次"])
def test_numeric_noise(form):
    assert is_numeric_noise(form)


@pytest.mark.parametrize("form", ["四个意识", "两学一做", "六稳", "五位一体"])
def test_numbered_forms_are_not_noise(form):
    assert not is_numeric_noise(form) and term_like(form)


def test_compact_numbered_rejects_idioms_and_counts():
    text = "坚持两学一做，千方百计，一心一意，一年一度，三严三实。"
    found = compact_numbered(text)
    assert [m.form for m in found] == ["两学一做", "三严三实"]
    assert found[0].parts == ("两学", "一做")


def test_counted_phrases_bind_a_numeral_to_the_next_word():
    text = "增强四个意识，第三个方面，这两大任务"
    words = ["增强", "四个", "意识", "，", "第三", "个", "方面", "，", "这", "两大", "任务"]
    tokens, at = [], 0
    for w in words:
        tokens.append((w, at, at + len(w)))
        at += len(w)
    assert counted_phrases(tokens, text) == [Match(2, 6, "四个意识", ("四个", "意识"))]  # 第三个, 这两大: not names


def test_detectors_return_one_shape():
    """Every detector returns Matches whose span is the form and whose parts spell it."""
    text = "坚持两学一做，增强四个意识，开展学党章、强基础、作表率活动，严格执行“三会一课”制度。"
    from analysis.segment import get_segmenter
    tokens = list(get_segmenter().tokens(text))
    bounds = {s for _, s, _ in tokens} | {e for _, _, e in tokens}
    found = {"quoted": quoted_terms(text), "numbered": compact_numbered(text),
             "counted": counted_phrases(tokens, text), "enumerations": enumerations(text, bounds)}
    assert all(found.values()), found
    for name, matches in found.items():
        for m in matches:
            assert isinstance(m, Match), name
            assert text[m.start:m.end] == m.form, name
            assert "".join(m.parts) == m.form.replace("、", "").replace("，", ""), name


def test_enumerations_keep_whole_run_and_members():
    text = "持之以恒抓基层、打基础，开展学党章、强基础、作表率活动。"
    bounds = set(range(len(text) + 1))
    found = {m.form: m for m in enumerations(text, bounds)}
    assert "抓基层、打基础" in found
    assert found["学党章、强基础、作表率"].parts == ("学党章", "强基础", "作表率")
    assert not any(f.startswith("持") for f in found if len(f.split("、")[0]) == 3)


# A plain leftmost-longest matcher, one form at a time per overlap: the reference the one-scan
# counting (clusters of overlaps resolved together) is checked against.
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
    forms = ["发展新质", "新质生产力", "生产力", "三会一课", "一课", "会一", "改革", "深化改革开放", "改革开放"]
    texts = ["加快发展新质生产力，执行三会一课制度", "深化改革开放，改革开放，生产力", "", "发展新质发展新质生产力"]
    occ = Occurrences(forms, texts)
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
    """Documents without stored words give the tables of the same documents analysed per document."""
    from analysis.document import AnalyzedDocument, CleanText, Document
    from analysis.engine import analyze_document
    text = "我们要增强四个意识，坚持抓基层、打基础，践行绿水青山就是金山银山理念。"
    docs = [Document(f"d{i}", text, year=2000 + i) for i in range(3)]
    bare = [AnalyzedDocument(d, CleanText(text, list(range(len(text))))) for d in docs]
    tables = slogan_tables(bare, lexicon=[], progress=False)  # no token_spans: segmented by the stage
    # counted phrases and enumerations need word boundaries: finding them shows the stage segmented
    assert list(tables["slogans"]["slogan"]) == ["四个意识", "抓基层、打基础"]
    assert list(tables["slogan_hits"]["doc_id"]) == ["d0", "d0", "d1", "d1", "d2", "d2"]
    analysed = slogan_tables([analyze_document(d) for d in docs], lexicon=[], progress=False)
    for name, table in tables.items():
        assert table.equals(analysed[name]), name


# --------------------------------------------------------------------------- settings

def test_settings_are_frozen_and_reach_the_detectors():
    settings = SloganSettings(term_max_chars=3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.min_count = 1
    text = "执行“三会一课”和“四强”。"
    assert [m.form for m in quoted_terms(text)] == ["三会一课", "四强"]
    assert [m.form for m in quoted_terms(text, settings=settings)] == ["四强"]


def test_evidence_made_under_other_settings_is_recomputed(sample_doc):
    """Cached evidence carries the settings it was made under; other per-document settings recompute it."""
    default = slogan_tables([sample_doc], lexicon=[], progress=False)
    settings = SloganSettings(member_min_chars=4)
    assert sample_doc.slogan_evidence.settings_key == SloganSettings().evidence_key() != settings.evidence_key()
    narrow = slogan_tables([sample_doc], lexicon=[], progress=False, settings=settings)
    fresh = slogan_tables([dataclasses.replace(sample_doc, slogan_evidence=None)], lexicon=[], progress=False,
                          settings=settings)
    for name, table in narrow.items():
        assert table.equals(fresh[name]), name
    dropped = set(default["slogans"]["slogan"]) - set(narrow["slogans"]["slogan"])
    assert dropped == {"抓基层、打基础"}   # three-character members are now too short


def test_corpus_thresholds_do_not_recompute_evidence(sample_doc):
    """min_count is corpus-wide: the per-document evidence stays valid, and slogans seen less often go."""
    settings = SloganSettings(min_count=6)
    assert settings.evidence_key() == SloganSettings().evidence_key()
    default = slogan_tables([sample_doc], lexicon=[], progress=False)["slogans"].set_index("slogan")
    strict = slogan_tables([sample_doc], lexicon=[], progress=False, settings=settings)["slogans"]
    assert default.loc["抓基层、打基础", "count"] == 5
    dropped = set(default.index) - set(strict["slogan"])
    assert "抓基层、打基础" in dropped   # an unquoted enumeration recurs
    assert all(default.loc[f, "count"] < 6 and not default.loc[f, "quoted"] for f in dropped)   # (and coinages)
    assert default.loc["三重一大", "count"] == 1 and "三重一大" in set(strict["slogan"])  # quoted: once is enough


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
        a = gwr_clean[r.doc_id]
        assert a.clean.text[r.clean_start:r.clean_end] == r.hit    # as written (traditional characters too)
        # the raw span holds the same characters; cleaning only joined a hard line break inside some
        assert re.sub(r"\s", "", a.doc.raw[r.start:r.end]) == r.hit
        # the context is the cleaned text around the hit, paragraph breaks shown as spaces
        around = a.clean.text[r.clean_start - len(r.left):r.clean_end + len(r.right)].replace("\n", " ")
        assert around == r.left + r.hit + r.right and len(r.left) <= 20 and len(r.right) <= 20


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
    # years without a document (the 2020 report is missing; only that year's resolution is there) get no rows
    gaps = set(range(min(doc_years), max(doc_years) + 1)) - doc_years
    assert gaps and not gaps & set(years["year"].astype(int))
    liu = years[years["slogan"] == "六稳"].set_index("year")["count"]
    assert liu.loc[2020] >= 1 and liu[liu.index < 2020].sum() == 0


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
