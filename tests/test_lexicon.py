"""The project lexicon: its size and shape, checks that name the bad entry, what it adds to the segmenter,
and abbreviations linked to their members in the slogan_links table and on the built site."""
from __future__ import annotations

import html
import re

import pytest

from analysis.cli import main
from analysis.lexicon import (DEFAULT_LEXICON, LexiconEntry, LexiconError, lexicon_terms, load_lexicon,
                              slogan_entries)
from analysis.links import link_rows, spelled_out, text_groups
from analysis.segment import Segmenter
from analysis.tables import read_table
from site_kit import build


@pytest.fixture(scope="module")
def lexicon():
    return {e.canonical: e for e in load_lexicon(DEFAULT_LEXICON)}


def test_the_project_lexicon_has_over_300_entries_across_the_decades(lexicon):
    assert len(lexicon) >= 300
    years = [e.year for e in lexicon.values() if e.year]
    assert min(years) < 1960 and max(years) >= 2023
    for decade in range(1950, 2030, 10):
        assert any(decade <= y < decade + 10 for y in years), decade
    assert sum(1 for e in lexicon.values() if e.members) >= 50
    assert all(e.category for e in lexicon.values())


@pytest.mark.parametrize("head, members", [
    ("四个意识", ["政治意识", "大局意识", "核心意识", "看齐意识"]),
    ("放管服", ["简政放权", "放管结合", "优化服务"]),
    ("六稳", ["稳就业", "稳金融", "稳外贸", "稳外资", "稳投资", "稳预期"]),
    ("双创", ["大众创业", "万众创新"]),
    ("三面红旗", ["总路线", "大跃进", "人民公社"]),
])
def test_abbreviations_know_their_members(lexicon, head, members):
    entry = next(e for e in lexicon.values() if e.head == head)
    assert list(entry.members) == members


def test_first_use_where_known(lexicon):
    assert (lexicon["新发展理念"].year, lexicon["新发展理念"].occasion) == (2015, "党的十八届五中全会")
    assert lexicon["互联网+"].occasion == "2015年政府工作报告"
    assert lexicon["放管服"].year is None if "放管服" in lexicon else True


BAD = {
    "duplicate canonical": ("- {canonical: 四个意识}\n- {canonical: 四个意识}\n", "entry 2 (四个意识)", "entry 1"),
    "member not text": ("- {canonical: 四个意识, members: [政治意识, 3]}\n", "entry 1 (四个意识)", "'members'"),
    "members a mapping": ("- {canonical: 四个意识, members: {a: 1}}\n", "entry 1 (四个意识)", "'members'"),
    "one member": ("- {canonical: 四个意识, members: [政治意识]}\n", "entry 1 (四个意识)", "two or more"),
    "year in words": ("- {canonical: 中国梦}\n- {canonical: 四个意识, year: 二〇一六}\n", "entry 2 (四个意识)", "'year'"),
    "year out of range": ("- {canonical: 四个意识, year: 20160}\n", "entry 1 (四个意识)", "not a year"),
    "year true": ("- {canonical: 四个意识, year: true}\n", "entry 1 (四个意识)", "'year'"),
    "unknown field": ("- {canonical: 四个意识, memebers: [政治意识, 大局意识]}\n", "entry 1 (四个意识)", "memebers"),
    "variant a number": ("- {canonical: 六稳, variants: [6]}\n", "entry 1 (六稳)", "'variants'"),
    "category a list": ("- {canonical: 六稳, category: [经济]}\n", "entry 1 (六稳)", "'category'"),
    "abbreviation taken": ("- {canonical: 双创}\n- {canonical: 大众创业、万众创新, abbreviation: 双创}\n",
                           "entry 2 (大众创业、万众创新)", "entry 1 (双创)"),
    "canonical a number": ("- {canonical: 1949}\n", "entry 1", "canonical"),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_a_bad_entry_is_named_with_its_file(tmp_path, kind):
    text, *expected = BAD[kind]
    lex = tmp_path / "lex.yaml"
    lex.write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError) as err:
        load_lexicon(lex)
    message = str(err.value)
    assert message.startswith(f"{lex}: ")
    for part in expected:
        assert part in message


def test_a_bad_entry_stops_the_command_with_one_line(tmp_path, capsys):
    lex = tmp_path / "lex.yaml"
    lex.write_text("- {canonical: 四个意识, year: 二〇一六}\n", encoding="utf-8")
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text("增强四个意识。" * 20, encoding="utf-8")
    code = main(["analyze", "--corpus", str(tmp_path / "corpus"), "--build-dir", str(tmp_path / "b"),
                 "--lexicon", str(lex), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "entry 1 (四个意识)" in err


def test_a_good_entry_reads_every_field(tmp_path):
    lex = tmp_path / "lex.yaml"
    lex.write_text("- canonical: 大众创业、万众创新\n  variants: 大众创业万众创新\n  abbreviation: 双创\n"
                   "  members: [大众创业, 万众创新]\n  category: 经济\n  year: '2014'\n  occasion: 夏季达沃斯论坛\n",
                   encoding="utf-8")
    (entry,) = load_lexicon(lex)
    assert entry == LexiconEntry(canonical="大众创业、万众创新", variants=("大众创业万众创新",), category="经济",
                                 abbreviation="双创", members=("大众创业", "万众创新"), year=2014,
                                 occasion="夏季达沃斯论坛")
    assert entry.head == "双创"


def test_the_segmenter_gets_forms_but_not_members_or_words_it_knows(lexicon):
    terms = set(lexicon_terms(lexicon.values()))
    assert {"四个意识", "放管服", "双创", "新质生产力", "人工智能+"} <= terms
    assert not {"稳就业", "保市场主体", "政治意识"} & terms       # members are left to jieba
    assert not {"调整", "提高", "改革"} & terms                   # words jieba knows keep their frequency
    plain, with_lexicon = Segmenter(()), Segmenter(tuple(terms))
    for sentence in ("确保市场主体应享尽享，确保基本民生支出。", "调整、改革、整顿、提高，是当时的方针。",
                     "认真落实党中央八项规定精神。"):
        assert "确保" not in sentence or "确保" in with_lexicon.cut(sentence)
        assert [w for w in with_lexicon.cut(sentence) if w in ("调整", "提高", "党中央", "确保")] == \
               [w for w in plain.cut(sentence) if w in ("调整", "提高", "党中央", "确保")]


def test_slogan_entries_add_abbreviations_and_first_use(lexicon):
    entries = {e.canonical: e for e in slogan_entries(lexicon.values())}
    assert entries["双创"].note == "大众创业、万众创新的简称"
    assert entries["六稳"].canonical == "六稳" and "稳就业" not in entries
    assert "首次使用：2016年，中共中央政治局会议" in entries["四个意识"].note


def test_lexicon_links_carry_member_counts():
    entries = [LexiconEntry("四个意识", members=("政治意识", "大局意识", "核心意识", "看齐意识")),
               LexiconEntry("三面红旗", members=("总路线", "大跃进", "人民公社")),
               LexiconEntry("大众创业、万众创新", abbreviation="双创", members=("大众创业", "万众创新"))]
    texts = ["增强政治意识、大局意识、核心意识、看齐意识，牢固树立“四个意识”。政治意识要强。", "推进“双创”。"]
    links = link_rows(entries, texts, ["a", "b"])
    rows = {(r.abbreviation, r.member): (r.position, r.count, r.documents, r.source) for r in links.itertuples()}
    assert rows[("四个意识", "政治意识")] == (1, 2, 1, "lexicon")
    assert rows[("四个意识", "看齐意识")] == (4, 1, 1, "lexicon")
    assert rows[("双创", "大众创业、万众创新")] == (1, 0, 0, "lexicon")   # the full form first
    assert rows[("双创", "万众创新")] == (3, 0, 0, "lexicon")          # kept: the abbreviation occurs
    assert not any(a == "三面红旗" for a, _ in rows)                  # nothing of it occurs


def test_text_links_need_as_many_items_as_the_number_says():
    text = ("做好“六稳”工作，即稳就业、稳金融、稳外贸、稳外资、稳投资和稳预期。实现“四个现代化”（农业、工业、国防、科学技术）。"
            "“三自一包”（指多留自留地、多搞自由市场、多搞自负盈亏企业）。“两个方面”：经济、政治、文化。")
    found = {a: m for a, m, source, _ in text_groups([text], ["a"], {"六稳", "四个现代化", "三自一包", "两个方面"})}
    assert found == {"六稳": ["稳就业", "稳金融", "稳外贸", "稳外资", "稳投资", "稳预期"],
                     "四个现代化": ["农业", "工业", "国防", "科学技术"]}
    assert text_groups([text], ["a"], set()) == []                     # only slogans the stage kept
    assert spelled_out("农业、工业", 3) == []


CORPUS = {
    "2016.txt": "2016年在全市干部大会上的讲话\n\n"
                + "全党必须牢固树立“四个意识”，即政治意识、大局意识、核心意识、看齐意识。" * 3
                + "\n\n推进大众创业、万众创新，“双创”蓬勃发展。要把“双创”引向深入。\n",
    "2017.txt": "2017年在全市干部大会上的讲话\n\n"
                + "增强“四个意识”，增强政治意识、大局意识、核心意识、看齐意识。" * 2
                + "\n\n深入推进大众创业、万众创新，“双创”示范基地建设。\n",
    "2018.txt": "2018年在全市干部大会上的讲话\n\n牢固树立“四个意识”。大众创业、万众创新蓬勃兴起，“双创”活跃。\n",
}


@pytest.fixture(scope="module")
def linked_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("linked")
    corpus = folder / "corpus"
    corpus.mkdir()
    for name, text in CORPUS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    site = build(folder, corpus)
    return folder, site


def _page(site, slogan: str) -> str:
    for path in sorted((site / "slogans").glob("*.html")):
        text = path.read_text(encoding="utf-8")
        if re.search(rf"<h1[^>]*>{re.escape(html.escape(slogan, quote=False))}", text):
            return text
    raise AssertionError(f"no page for {slogan}")


def test_the_built_site_lists_members_on_the_abbreviation_page(linked_site):
    folder, site = linked_site
    links = read_table(folder / "build", "slogan_links")
    assert set(links[links["abbreviation"] == "四个意识"]["member"]) == {"政治意识", "大局意识", "核心意识", "看齐意识"}
    page = _page(site, "四个意识")
    section = page.split("所概括的各项（4）", 1)[1]
    counts = [int(links[(links["abbreviation"] == "四个意识") & (links["member"] == m)]["count"].iloc[0])
              for m in ("政治意识", "看齐意识")]
    assert counts == [5, 5]
    for member in ("政治意识", "大局意识", "核心意识", "看齐意识"):
        assert re.search(rf"{member}(</a>)?</td>\s*<td[^>]*>5</td>", section), member


def test_a_member_page_links_back_to_its_abbreviation(linked_site):
    _, site = linked_site
    whole = _page(site, "大众创业、万众创新")
    assert "概括于" in whole
    link = re.search(r"概括于</td>\s*<td>(.*?)</td>", whole).group(1)
    href = re.search(r'href="([^"]+)"', link).group(1)
    assert "双创" in link and "双创" in (site / "slogans" / href).read_text(encoding="utf-8")
    abbreviation = _page(site, "双创")
    assert "所概括的各项（3）" in abbreviation and "大众创业" in abbreviation
