"""The speed work of issue 12 changed how things are computed, never what: each faster path is checked here
against the plain definition it replaced (str.count, Python jieba's dictionary, a loop over characters,
the span's word list), on texts made to hit its edge cases."""
from __future__ import annotations

import gc
import io
import random

import pyarrow as pa
import pytest

from analysis.engine import analyze_document
from analysis.document import Document
from analysis.lexicon import is_jieba_word, jieba_dictionary, jieba_lines, jieba_tags, word_frequency
from analysis.links import occurrence_counts
from analysis.parallel.units import Tokens, paragraph_spans
from analysis.pipeline import fewer_collections
from analysis.segment import get_segmenter
from analysis.slogans import counted_phrases
from analysis.slogans.detectors import _BREAK, _pieces
from analysis.slogans.shapes import pos_tags
from analysis.tables import csv_safe
from conftest import SHARED


def random_texts(alphabet: str, n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80))) for _ in range(n)]


def test_occurrence_counts_equal_str_count_also_for_overlapping_forms():
    texts = random_texts("ab农业农", 300, seed=1) + ["", "aaaa", "农业农业农"]
    forms = ["a", "aa", "aaa", "ab", "aba", "abab", "农业", "农农", "业农", "农业农", "b", "", "不在"]
    found = occurrence_counts(forms + forms[:3], texts)          # repeats are counted once
    assert "" not in found
    for form in filter(None, forms):
        counts = [t.count(form) for t in texts]
        assert found[form] == (sum(counts), sum(1 for c in counts if c)), form


def test_dictionary_frequencies_equal_python_jiebas():
    import jieba
    jieba.dt.check_initialized()
    freq = jieba.dt.FREQ             # words and every prefix of one (frequency 0)
    rng = random.Random(2)
    sample = rng.sample(sorted(freq), 20_000) + ["不存在的词语甲乙", "B超"]
    assert [word_frequency(w) for w in sample] == [freq.get(w, 0) for w in sample]
    assert [is_jieba_word(w) for w in sample] == [freq.get(w, 0) > 0 for w in sample]


def test_a_dictionary_file_of_another_shape_is_read_line_by_line(monkeypatch):
    import jieba
    monkeypatch.setattr(jieba, "get_dict_file", lambda: io.BytesIO("甲乙 5\n丙 0 n\n丁戊 7 v\n甲乙 9 n\n".encode()))
    for cached in (jieba_lines, jieba_dictionary, jieba_tags):
        cached.cache_clear()
    try:
        assert jieba_dictionary() == {"甲乙": "9", "丙": "0", "丁戊": "7"}   # a word listed twice: its last line
        assert word_frequency("丁戊") == 7 and not is_jieba_word("丙") and not is_jieba_word("己")
        assert jieba_tags() == {"甲乙": "n", "丙": "n", "丁戊": "v"}
    finally:
        for cached in (jieba_lines, jieba_dictionary, jieba_tags):
            cached.cache_clear()


def test_pos_tags_are_the_table_jieba_posseg_builds():
    import jieba.posseg
    assert pos_tags() == jieba.posseg.dt.word_tag_tab


def test_enumeration_pieces_equal_a_split_at_every_break_character():
    def by_loop(text):
        out, start = [], 0
        for k, ch in enumerate(text):
            if ch in _BREAK:
                out.append((start, k, text[start:k], ch))
                start = k + 1
        return out + [(start, len(text), text[start:], "")]
    for text in random_texts("".join(sorted(_BREAK)) + "发展改革^]\\-", 200, seed=3):
        assert _pieces(text) == by_loop(text)


def test_counted_phrases_equal_a_lookup_in_an_index_of_every_token():
    from analysis.slogans.detectors import _COUNTED, _NOT_BEFORE_COUNTED
    from analysis.slogans.shapes import has_function_edge, is_cjk

    def by_index(tokens, text):      # the definition before issue 12: a dict of every token by its start
        starts = {s: (w, e) for w, s, e in tokens}
        out = []
        for m in _COUNTED.finditer(text):
            if (m.start() > 0 and text[m.start() - 1] in _NOT_BEFORE_COUNTED) or m.end() not in starts:
                continue
            head, end = starts[m.end()]
            if len(head) >= 2 and is_cjk(head) and not has_function_edge(head):
                out.append((m.start(), end, text[m.start():end]))
        return out
    text = (SHARED / "corpora" / "seed" / "jiguan-dangyuan-dahui-jianghua.txt").read_text(encoding="utf-8")
    text += "\n增强四个意识、坚定四个自信、做到两个维护，打好三大攻坚战，最后两个"
    tokens = [t for s, e in paragraph_spans(text) for t in shifted(get_segmenter().tokens(text[s:e]), s)]
    found = [(m.start, m.end, m.form) for m in counted_phrases(tokens, text)]
    assert found == by_index(tokens, text) and len(found) >= 4


def shifted(tokens, by: int):
    return [(w, s + by, e + by) for w, s, e in tokens]


def test_word_offset_equals_a_search_in_the_spans_words():
    text = "我们要坚持发展，坚持改革，坚持开放，我们要坚持人民至上。"
    toks = Tokens(get_segmenter(), text, 0, len(text))
    for s in range(len(text)):
        for e in range(s, len(text) + 1):
            for word in ("坚持", "我们", "要", "。"):
                plain = next((ws - s for w, ws, _ in toks.slice(s, e)[1:] if w == word), None)
                assert toks.word_offset((s, e), word) == plain


def test_token_spans_are_the_paragraph_tokens_shifted_to_the_text():
    doc = Document(doc_id="d", raw="第一段讲发展。\n\n第二段讲改革开放，坚持不懈。\n", title="t")
    a = analyze_document(doc)
    seg = get_segmenter()
    expected = [x for s, e in a.paragraphs for _, ts, te in seg.tokens(a.clean.text[s:e]) for x in (s + ts, s + te)]
    assert list(a.token_spans) == expected and len(expected) > 10


def test_collections_are_rarer_inside_and_restored_after_even_on_error():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError):
        with fewer_collections(12_345):
            assert gc.get_threshold() == (12_345, *before[1:])
            raise RuntimeError
    assert gc.get_threshold() == before


def test_csv_guard_leaves_plain_columns_alone_and_marks_formula_starts():
    t = pa.table({"plain": ["发展", "a-b", None], "risky": ["=1+1", "ok", "@x"]})
    out = csv_safe(t)
    assert out.column("plain").to_pylist() == ["发展", "a-b", None]
    assert out.column("risky").to_pylist() == ["'=1+1", "ok", "'@x"]


def detector_work(text: str, compound: bool = True):
    """The detector's paragraphs of ``text`` with their unit sequences, as it compares them."""
    from analysis.parallel import DEFAULT_SETTINGS
    from analysis.parallel.detector import paragraph_work
    from analysis.parallel.units import pieces
    paras = paragraph_spans(text)
    by_para = [pieces(text, s, e, DEFAULT_SETTINGS.longest_quote) for s, e in paras]
    return paragraph_work(text, paras, by_para, get_segmenter(), compound)


def pair_rows_one_by_one(text: str, work, settings):
    """The pair table as it was built before issue 12's speed work: aligned_pair and neighbours, pair by pair."""
    import numpy as np
    from analysis.parallel.bounds import COLUMNS
    from analysis.parallel.pair_features import aligned_pair
    from analysis.parallel.units import neighbours
    rows, row_of_pair = [], []
    for para in work:
        for seq in para.sequences:
            units = seq.units
            for k in range(len(units) - 1):
                a, b = units[k], units[k + 1]
                pair = (aligned_pair(text, a.span, b.span, para.tokens, settings.longest_unit, settings.length_ratio)
                        if a.whole and b.whole else None)
                if pair is None:
                    row_of_pair.append(-2 if a.whole and b.whole else -1)
                    continue
                (a0, a1), near = pair.a, neighbours(units, k) + [(-1, -1), (-1, -1)]
                row_of_pair.append(len(rows))
                rows.append((a0, a1, b.start, b.end, a.boundary, seq.granularity, b.boundary, a0 == para.tokens.start,
                             pair.realigned, *near[0], *near[1]))
    return np.array(rows, dtype=np.int64).reshape(-1, len(COLUMNS)), np.array(row_of_pair, dtype=np.int64)


def test_pair_rows_equal_aligned_pair_pair_by_pair(gwr_path):
    import json
    from analysis.parallel import DEFAULT_SETTINGS
    from analysis.parallel.bounds import code_points, pair_rows
    speech = (SHARED / "corpora" / "seed" / "jiguan-dangyuan-dahui-jianghua.txt").read_text(encoding="utf-8")
    with open(gwr_path, encoding="utf-8") as f:
        reports = [json.loads(next(f))["content"] for _ in range(3)]
    # lead-in words (要坚持…，坚持…), one-character first words (抓…，要抓…), traditional characters, quotes
    made = random_texts("要坚持抓发展改革的是在了、，；。：“”發展X", 60, seed=4)
    texts = [speech, *reports, "\n".join(made), "", "发展。", "要抓好，抓好落实；要抓，抓。坚持发展"]
    realigned = 0
    for text in texts:
        for compound in (True, False):
            work = detector_work(text, compound)
            rows, where = pair_rows(code_points(text), work, DEFAULT_SETTINGS)
            plain_rows, plain_where = pair_rows_one_by_one(text, work, DEFAULT_SETTINGS)
            assert rows.tolist() == plain_rows.tolist() and where.tolist() == plain_where.tolist()
            realigned += int(rows[:, 8].sum()) if len(rows) else 0
    assert realigned > 50          # the lead-in paths were taken


def test_character_windows_and_kinds_equal_their_plain_definitions():
    import numpy as np
    from analysis.parallel import bounds
    from analysis.parallel.units import BOUNDARY_MARKS, PUNCT, QUOTES
    text = random_texts("发展改革，。；、“”《》 a1", 1, seed=5)[0] * 5 + "甲乙"
    codes = bounds.code_points(text)
    rng = np.random.default_rng(6)
    start = rng.integers(0, len(text), 500)
    length = np.minimum(rng.integers(0, 30, 500), len(text) - start)
    forward, backward = bounds._windows(codes, start, length, 30, -2)
    for s, n, f, b in zip(start, length, forward.tolist(), backward.tolist()):
        chars = [ord(c) for c in text[s:s + n]]
        assert f == chars + [-2] * (30 - n) and b == chars[::-1] + [-2] * (30 - n)
    for flag, chars in ((bounds._PUNCT, PUNCT), (bounds._BOUNDARY, BOUNDARY_MARKS), (bounds._QUOTE, QUOTES)):
        every = np.arange(-3, 0x110000)
        assert set(np.flatnonzero(bounds._KIND[every] & flag) - 3) == {ord(c) for c in chars}


class CharByChar:
    """The clean text built as before issue 12's speed work: a list of characters and an offset array
    extended from ranges (the interface of analysis.clean's builder)."""

    def __init__(self):
        from array import array
        self.chars, self.origin = [], array("i")

    @property
    def size(self):
        return len(self.chars)

    @property
    def last(self):
        return self.origin[-1]

    def keep(self, run, raw_start):
        self.chars.extend(run)
        self.origin.extend(range(raw_start, raw_start + len(run)))

    def drop_last(self):
        self.chars.pop()
        self.origin.pop()

    def joined(self):
        return "".join(self.chars), self.origin


def test_clean_text_copied_by_stretches_equals_character_by_character(monkeypatch):
    import analysis.clean
    from analysis.clean import clean_text
    texts = random_texts("发展１２ 3\u3000\t\u00a0\r\n\u200b\ufeff。，", 300, seed=7)
    texts += ["", "\n\n", "\u200b\n\n第一段\n\n\u200b\n\n第二段", "１ ９ ９ ７年\r\n  续行\r旧式"]
    fast = [clean_text(t) for t in texts]
    monkeypatch.setattr(analysis.clean, "_Copied", CharByChar)
    for t, (clean, removed, paras) in zip(texts, fast):
        plain, plain_removed, plain_paras = clean_text(t)
        assert (clean.text, list(clean.origin), removed, paras) == (
            plain.text, list(plain.origin), plain_removed, plain_paras)
        assert clean.origin.typecode == "i"


def test_lists_by_family_equal_a_groupby():
    import pandas as pd
    from analysis.patterns import by_family
    df = pd.DataFrame({"family": ["乙〈〉", "甲〈〉", "乙〈〉", "A〈〉", "甲〈〉", "〔一〕是〈〉"],
                       "id": ["d#0", "d#1", "e#0", "e#1", "f#0", "f#1"]}).astype({"family": "string[pyarrow]"})
    grouped = df.groupby("family", sort=True)["id"].agg(list)
    assert list(by_family(df, "id").items()) == list(grouped.items())


def test_remembered_groupings_equal_grouping_afresh_and_are_fresh_lists():
    from analysis.parallel.units import CLAUSE, LIST, SEGMENT, SENTENCE, Pieces, group, pieces
    for text in random_texts("发展、，；。！“”甲", 100, seed=8):
        found = pieces(text, 0, len(text), 20)
        assert isinstance(found, Pieces)
        for strength in (LIST, CLAUSE, SEGMENT, SENTENCE, CLAUSE):
            first = group(found, strength)
            assert first == group(list(found), strength)          # a plain list is grouped afresh
            first.append(None)                                     # a caller's change stays its own
            assert group(found, strength) == group(list(found), strength)


def test_pair_features_known_from_characters_equal_those_computed_pair_by_pair(gwr_path):
    import json
    from analysis.parallel import DEFAULT_SETTINGS, load_model
    from analysis.parallel.bounds import SequenceBounds, pair_bounds
    from analysis.parallel.pair_features import pair_features
    from analysis.parallel.units import neighbours
    speech = (SHARED / "corpora" / "seed" / "jiguan-dangyuan-dahui-jianghua.txt").read_text(encoding="utf-8")
    with open(gwr_path, encoding="utf-8") as f:
        reports = [json.loads(next(f))["content"] for _ in range(2)]
    made = "\n".join(random_texts("要坚持抓发展改革的“”、，；。發展", 40, seed=9))
    model, compared = load_model(), 0
    for text in (speech, *reports, made):
        work = detector_work(text)
        for para, bounds in zip(work, pair_bounds(text, work, DEFAULT_SETTINGS, model)):
            for seq, bound in zip(para.sequences, bounds):
                assert isinstance(bound, SequenceBounds)
                for k in range(len(seq.units) - 1):
                    known = bound.known(k)
                    if known is None:
                        continue
                    a, b, near = seq.units[k], seq.units[k + 1], neighbours(seq.units, k)
                    args = (text, a, b, seq.granularity, para.tokens, model, DEFAULT_SETTINGS, near)
                    fast, plain = pair_features(*args, known=known), pair_features(*args)
                    assert list(fast.items()) == list(plain.items())
                    compared += 1
    assert compared > 1000


def test_common_characters_by_numbered_keys_equal_counts_intersected():
    import numpy as np
    from analysis.parallel.bounds import _common_chars

    def by_counts(A, B, keep_a, keep_b):          # the definition before issue 12's speed work
        def counted(M, keep):
            return np.unique((np.nonzero(keep)[0].astype(np.int64) << 21) | M[keep], return_counts=True)
        (ka, ca), (kb, cb) = counted(A, keep_a), counted(B, keep_b)
        _, ia, ib = np.intersect1d(ka, kb, assume_unique=True, return_indices=True)
        return np.bincount(ka[ia] >> 21, weights=np.minimum(ca[ia], cb[ib]), minlength=len(A))
    rng = np.random.default_rng(10)
    for width in (1, 7, 90):
        A, B = (rng.integers(0x4E00, 0x4E06, (300, width)).astype(np.int32) for _ in range(2))
        keep_a, keep_b = rng.random((300, width)) < 0.8, rng.random((300, width)) < 0.6
        assert _common_chars(A, B, keep_a, keep_b).tolist() == by_counts(A, B, keep_a, keep_b).tolist()
    none = np.zeros((3, 4), dtype=bool)
    assert _common_chars(A[:3, :4], B[:3, :4], none, none).tolist() == [0.0, 0.0, 0.0]


def test_compound_units_by_index_equal_one_slice_per_unit():
    from analysis.parallel.units import CLAUSE, _compound, _compounds, group, pieces
    for text in random_texts("发展，；。：、甲乙", 100, seed=11):
        clauses = group(pieces(text, 0, len(text), 20), CLAUSE)
        for k in (2, 3, 4):
            for r in range(k):
                expected = [_compound(clauses[i:i + k]) for i in range(r, len(clauses) - k + 1, k)]
                assert _compounds(clauses, k, r) == expected


def test_longest_occurrences_of_two_overlapping_equal_the_general_rule():
    import numpy as np
    from analysis.slogans import occurrences

    def general(starts, ends, cluster):          # every cluster resolved by the general rule
        cuts = (np.flatnonzero(np.diff(cluster)) + 1).tolist()
        chosen = []
        for lo, hi in zip([0] + cuts, cuts + [len(starts)]):
            taken = []
            for k in sorted(range(lo, hi), key=lambda k: (starts[k] - ends[k], starts[k])):
                if all(ends[k] <= a or starts[k] >= b for a, b in taken):
                    taken.append((starts[k], ends[k]))
                    chosen.append(k)
        return chosen
    rng = random.Random(12)
    for _ in range(200):
        spans = sorted((s, s + rng.randint(1, 6)) for s in rng.sample(range(60), 25))
        starts, ends = [s for s, _ in spans], [e for _, e in spans]
        reach = np.maximum.accumulate(ends)
        cluster = np.cumsum([True] + [s >= r for s, r in zip(starts[1:], reach[:-1])])
        assert occurrences._longest_in_clusters(starts, ends, cluster) == general(starts, ends, cluster)


def test_sentence_and_clause_spans_equal_to_raw_span_by_span():
    from analysis.clean import clean_text
    from analysis.structure import analyze_structure, split_clauses, split_sentences
    raw = (SHARED / "corpora" / "seed" / "jiguan-dangyuan-dahui-jianghua.txt").read_text(encoding="utf-8")
    raw = "  标题\r\n\r\n" + raw[:3000] + "\n\n１ ９ ９ ７年，“引号，里面”；（括号：内）。\u200b\n\n  缩进 续行\n"
    clean, removed, paragraphs = clean_text(raw)
    a = analyze_structure(Document(doc_id="d", raw=raw, title=""), clean, paragraphs, removed)
    sentences, clauses = [], []
    for s, e in paragraphs:
        for ss, se in split_sentences(clean.text, s, e):
            sentences.extend(clean.to_raw(ss, se))
            for cs, ce in split_clauses(clean.text, ss, se):
                clauses.extend(clean.to_raw(cs, ce))
    assert list(a.sentence_spans) == sentences and list(a.clause_spans) == clauses and len(clauses) > 50
    assert a.sentence_spans.typecode == a.clause_spans.typecode == "i"


def family_fillers_one_pattern_each(key: str, text: str):
    """Slot fillers as found before issue 12's speed work: one regular expression compiled per family."""
    import re
    from analysis.parallel.templates import _EDGE_PUNCT, MARKER, NUMERAL
    parts = []
    for piece in re.split(r"(〈〉|〔一〕)", key):
        if piece == "〈〉":
            parts.append("(.*?)")
        elif piece == MARKER:
            parts.append(f"(?:{NUMERAL})")
        elif piece:
            parts.append(r"\W*".join(re.escape(c) for c in piece))
    m = re.compile(r"\W*".join(parts) + r"\W*", re.S).fullmatch(text)
    return None if not m else [g.strip(_EDGE_PUNCT) for g in m.groups()]


def test_family_fillers_by_shape_equal_one_pattern_per_family():
    from analysis.parallel.templates import family_fillers
    keys = ["坚持〈〉发展〈〉", "〈〉化", "〈〉", "〔一〕是〈〉", "第〔一〕，〈〉", "（〔一〕）〈〉", "以〈〉为〈〉", "〈〉的〈〉和〈〉",
            "要〈〉、〈〉", "全面建成小康社会〈〉", "〈〉.〈〉"]
    texts = ["坚持改革发展稳定", "坚持，改革、发展。", "规范化", "化", "一是要抓好", "第二，加快发展", "（三）推进",
             "以人民为中心", "要发展、要改革", "全面建成小康社会", "", "坚持发展", "1.5", "A.B", "二是", "以为",
             "全面 建成小康社会，决胜", "坚持\x00发展\x00"]
    texts += random_texts("坚持发展改革以为的和要、，。化一二是第（）", 300, seed=13)
    checked = 0
    for key in keys:
        for text in texts:
            assert family_fillers(key, text) == family_fillers_one_pattern_each(key, text), (key, text)
            checked += family_fillers(key, text) is not None
    assert checked > 40


def test_stored_words_equal_the_words_sliced_from_the_simplified_text():
    from analysis.engine import stored_words
    from analysis.slogans.evidence import document_words
    speech = (SHARED / "corpora" / "seed" / "jiguan-dangyuan-dahui-jianghua.txt").read_text(encoding="utf-8")
    for raw in (speech[:4000], "發展經濟，鞏固國防。\n\n手工業和農業的社會主義改造\n", "甲\n\n\n乙 丙"):
        a = analyze_document(Document(doc_id="d", raw=raw, title="t"))
        founds = [get_segmenter().tokens(a.clean.text[s:e]) for s, e in a.paragraphs]
        words = stored_words(a.clean.text, a.paragraphs, founds)
        assert words is not None and words == document_words(a)[0]
    # where the whole text simplifies otherwise than its paragraphs, the words are sliced as before
    assert stored_words("發展\n經濟", [(0, 2), (3, 5)], [[("发展", 0, 2)], [("经济", 0, 2)]]) is not None
    assert stored_words("發展\n經濟", [(0, 2)], [[("发展", 0, 2)]]) is None


def test_short_texts_remembered_by_the_segmenter_segment_as_afresh():
    from analysis.segment import Segmenter
    seg, fresh = Segmenter(), Segmenter()
    texts = random_texts("发展改革开放坚持人民，。發展", 200, seed=14) + ["坚持改革开放" * 20]
    for text in texts + texts:                          # the second round is served from memory
        found = seg.tokens(text)
        assert found == fresh._tokens(text)
        found.append(None)                               # a caller's list is its own
        assert seg.tokens(text) == fresh._tokens(text)


def test_correlatives_checked_by_opening_character_equal_those_checked_by_marker():
    from analysis.parallel import DEFAULT_SETTINGS as S
    from analysis.parallel.rules import CORRELATIVES, correlatives, marker_pairs
    from analysis.parallel.units import pieces
    speech = (SHARED / "corpora" / "seed" / "jiguan-dangyuan-dahui-jianghua.txt").read_text(encoding="utf-8")
    made = random_texts("一方面另不但还而且更也既又仅，；。发展改革", 300, seed=15)
    found = 0
    for text in [speech, *made, "一方面要发展经济，另一方面要保护环境。既要金山银山，又要绿水青山。"]:
        ps = pieces(text, 0, len(text), S.longest_quote)
        plain = marker_pairs(text, ps, S, CORRELATIVES, lead_in=S.correlative_lead_in,
                             shortest=lambda first: S.shortest_correlative)
        assert correlatives(text, ps, S) == plain
        found += len(plain)
    assert found >= 3
