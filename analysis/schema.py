"""The schema of every table: its columns in order, their types, and what each means.

Tables are the contract between the analysis and the site (DESIGN.md), and
this module is that contract written down once. The writers take their
column order and types from it, the pages their table descriptions, and the
data dictionary (the site's 「数据字典」 page and ``BUILD/tables/README.md``)
is generated from it.

Types are pandas dtypes as a reader of the Parquet file gets them back:
``str`` (text), ``int64``, ``Int64`` (an integer that may be missing),
``float64``, ``bool`` and ``list`` (a list of texts: a list in Parquet, a JSON
array in CSV, so an item holding any character splits back exactly). An empty table may hold untyped (all-null)
columns: with no rows there is nothing to type.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional

import pandas as pd

DTYPES = {"str": "文本", "int64": "整数", "Int64": "整数（可缺）", "float64": "小数", "bool": "是/否",
          "list": "文本列表（Parquet 中为列表，CSV 中为 JSON 数组）"}
# How pandas shows a dtype when reading Parquet back: a list column arrives as objects (arrays).
_READ_AS = {"list": "object"}

# The column kinds of a streamed table (see analysis.tables.arrow_schema), by dtype.
STREAM_KINDS = {"str": "str", "int64": "int", "Int64": "Int64"}


@dataclass(frozen=True)
class Column:
    """One column: its name, pandas dtype, and meaning in plain words (Chinese, for the data dictionary)."""

    name: str
    dtype: str
    meaning: str
    optional: bool = False   # written only when what it comes from exists (keyness has no kind without slogans)

    def __post_init__(self):
        if self.dtype not in DTYPES:
            raise ValueError(f"column {self.name!r}: unknown dtype {self.dtype!r}; use one of {', '.join(DTYPES)}")
        _check_text(self.meaning, self.name)


@dataclass(frozen=True)
class Table:
    """One table: its name, what a row is (Chinese, then English), and its columns in written order."""

    name: str
    meaning: str
    english: str
    columns: tuple[Column, ...]

    def __post_init__(self):
        _check_text(self.meaning, self.name)
        optional = [c.optional for c in self.columns]
        if optional != sorted(optional):
            raise ValueError(f"table {self.name!r}: optional columns come after the others")

    @property
    def names(self) -> list[str]:
        """The names of the columns always written, in order."""
        return [c.name for c in self.columns if not c.optional]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"table {self.name!r} has no column {name!r}")

    def kinds(self) -> dict[str, str]:
        """The columns as a streamed table's ``{name: "str" | "int" | "Int64"}`` (see analysis.tables)."""
        return {c.name: STREAM_KINDS[c.dtype] for c in self.columns if not c.optional}

    def empty(self) -> pd.DataFrame:
        """A table with no rows and the columns always written (untyped, as the writers have always made it)."""
        return pd.DataFrame(columns=self.names)

    def mismatches(self, df: pd.DataFrame) -> list[str]:
        """How ``df`` differs from this table's schema (columns, order, dtypes); empty if it conforms."""
        written = list(df.columns)
        expected = self.names + [c.name for c in self.columns if c.optional and c.name in written]
        if written != expected:
            return [f"{self.name}: columns {written}, schema says {expected}"]
        out = []
        for name in written:
            dtype, want = str(df[name].dtype), self.column(name).dtype
            if dtype != _READ_AS.get(want, want) and not (len(df) == 0 and dtype == "object"):
                out.append(f"{self.name}.{name}: dtype {dtype}, schema says {want}")
        return out


def _check_text(text: str, where: str) -> None:
    # meanings go into Markdown tables as they are: nothing in them may end a cell or open markup
    if not text or any(ch in text for ch in "|<>`\n"):
        raise ValueError(f"{where}: a meaning must be one line without | < > or backquotes: {text!r}")


def _cols(*specs: tuple) -> tuple[Column, ...]:
    return tuple(Column(*spec) for spec in specs)


# Columns several tables share, with one meaning each.
DOC_ID = ("doc_id", "str", "文档编号（见 documents 表）")
YEAR = ("year", "Int64", "文档年份（不详则为空）")
START = ("start", "int64", "起点：在文档原始文本（texts 表 raw）中的字符位置，从 0 起")
END = ("end", "int64", "终点：原始文本中的字符位置，不含该字符")
RATE = ("rate_per_10k", "float64", "每万字次数（次数 ÷ 当年各文档字数 × 10000）")
YEAR_CHARS = ("characters", "int64", "当年所有文档的字数（不计空白）")
FIRST_YEAR = ("first_year", "Int64", "最早出现的年份（只出现在无年份的文档中则为空）")
LAST_YEAR = ("last_year", "Int64", "最近出现的年份（同上）")
SPAN_COLUMNS = _cols(
    DOC_ID, ("index", "int64", "在本文档中的序号，从 0 起"),
    ("kind", "str", "类型：title 标题、salutation 称呼、heading 各级标题、lead 引导段、paragraph 段落、sentence 句子、removed 去除的内容"),
    ("level", "Int64", "层级：文档标题 0，各级标题 1–4（1 最高），引导段 5，其余为空"), START, END,
    ("text", "str", "原始文本中的这一段文字"),
    ("label", "str", "标题、引导段的文字（如“一、…”“一是…”），文档标题的全文，或去除的原因；普通段落为空"))

TABLES: dict[str, Table] = {t.name: t for t in (
    Table("documents", "每篇文档一行：编号、标题、年份、文体、发言人、字数、段落数、来源文件", "one row per document", _cols(
        ("doc_id", "str", "文档编号：由编号、标题或文件名转写的拼音，全站唯一"),
        ("title", "str", "标题"), YEAR,
        ("year_source", "str", "年份从何而来：元数据（资料给出）、标题（标题中的年份）、日期行（正文首尾的日期）、"
                               "届次（全国人大的届次与会次）；推断不出则为空，并列在构建报告中"),
        ("date", "str", "日期（原始资料给出时）"),
        ("genre", "str", "文体，如报告、讲话、决议（不详则为空）"),
        ("speaker", "str", "发言人、作者或发文机关（不详则为空）"),
        ("characters", "int64", "清洗后正文的字数（不计空白）：每万字频率的分母"),
        ("paragraphs", "int64", "结构单元数：称呼、各级标题、引导段与段落（不含文档标题）"),
        ("headings", "int64", "各级标题数"),
        ("removed_spans", "int64", "清洗时去除的片段数（见 removed 表）"),
        ("source", "str", "输入文件，JSONL 或 CSV 中还有行号"),
        ("origin", "str", "资料给出的出处，如网址"))),
    Table("skipped", "被跳过的输入及原因", "inputs that were skipped, with the reason", _cols(
        ("input", "str", "输入文件，或文件中的一行"),
        ("reason", "str", "跳过的原因与处理办法"))),
    Table("texts", "每篇文档的原始文本（所有偏移量都指向它）", "the raw text of each document", _cols(
        DOC_ID, ("raw", "str", "解码后的原始全文：所有 start、end 都是其中的字符位置"))),
    Table("units", "标题、称呼、各级标题、引导段与普通段落，带级别与偏移量", "structural units of each document", SPAN_COLUMNS + _cols(
        ("clean_text", "str", "清洗后的文字（去掉多余空白与非正文字符）"))),
    Table("sentences", "句子及偏移量", "sentences of each document", SPAN_COLUMNS),
    Table("removed", "清洗时去除的非正文内容及原因", "boilerplate removed by cleaning", SPAN_COLUMNS),
    Table("slogans", "提法：规范形式、类型、变体、次数、文档数、每万字频率、首末年份", "one row per slogan", _cols(
        ("slogan", "str", "提法的规范形式"),
        ("kind", "str", "主要类型：lexicon 词表、enumeration 并列短语、numbered 数字概括、quoted 引号术语、cohesive 固定搭配"),
        ("signals", "str", "找到它的全部信号，以顿号分隔"),
        ("variants", "list", "同一提法的其他写法：计入它的变体，以及带前导动词或后接中心词的写法"),
        ("count", "int64", "出现次数（含变体，每处只计一次；位于更长提法之内的不计）"),
        ("occurrences", "int64", "原文中的全部出现次数，包括位于更长提法之内的"),
        ("documents", "int64", "出现它的文档数"),
        ("rate_per_10k", "float64", "全语料每万字次数"),
        FIRST_YEAR, LAST_YEAR,
        ("category", "str", "词表给出的类别"),
        ("note", "str", "词表给出的说明"),
        ("members", "str", "并列短语的各个成分，以顿号分隔"),
        ("quoted", "int64", "加引号出现的次数"),
        ("score", "float64", "旧的综合分：次数、信号数、跨年份分布与长度"),
        ("sloganhood", "float64", "提法度：编号、引号、并列、时间上的集中、在一般汉语中的少见与长度加分，统计、公文套语、常用词与残片减分"),
        ("rank", "int64", "按提法度的名次（1 为最像提法）：网站各处列表的默认顺序"))),
    Table("genre_formulae", "文体套语：同一文体的文档在同一位置重复的措辞（不计为提法）", "formulae of a genre, kept out of the slogans", _cols(
        ("formula", "str", "套语"),
        ("genre", "str", "文体"),
        ("documents", "int64", "使用它的该文体文档数"),
        ("genre_documents", "int64", "该文体的文档总数"),
        ("count", "int64", "在该文体中出现的次数"),
        ("place", "str", "在文中的位置：开头、中间或结尾"))),
    Table("slogan_hits", "提法的每一处出现：文档、偏移量、上下文", "every occurrence of a slogan", _cols(
        ("slogan", "str", "提法（规范形式）"), DOC_ID, YEAR, START, END,
        ("clean_start", "int64", "起点在清洗后文本中的位置"),
        ("clean_end", "int64", "终点在清洗后文本中的位置（不含）"),
        ("hit", "str", "原文中的写法（规范形式或变体）"),
        ("left", "str", "前 20 字上下文"),
        ("right", "str", "后 20 字上下文"),
        ("paragraph", "int64", "所在段落在清洗后文本中的序号，从 0 起"))),
    Table("slogan_years", "提法逐年次数与每万字频率（只含有文档的年份）", "slogan counts per year", _cols(
        ("slogan", "str", "提法"), ("year", "Int64", "年份（只列出有文档的年份）"),
        ("count", "int64", "当年出现次数"), YEAR_CHARS, RATE)),
    Table("slogan_docs", "提法在各文档中的次数", "slogan counts per document", _cols(
        ("slogan", "str", "提法"), DOC_ID, ("count", "int64", "在该文档中的次数"))),
    Table("cooccurrence", "同段共现的提法对", "pairs of slogans in the same paragraphs", _cols(
        ("slogan_a", "str", "提法甲（按字序在前）"),
        ("slogan_b", "str", "提法乙"),
        ("paragraphs", "int64", "两者同时出现的段落数（至少 2）"),
        ("pmi", "float64", "点互信息：大于 0 表示比偶然更常同段"))),
    Table("slogan_links", "简称或数字概括与它所概括的各项（成分）", "abbreviations and the members they stand for", _cols(
        ("abbreviation", "str", "简称或数字概括，如 四个意识、放管服、双创"),
        ("member", "str", "它所概括的一项，如 政治意识；词表给出简称时，全称列为第一项（双创：大众创业、万众创新，再列大众创业、万众创新两项）"),
        ("position", "int64", "该项的次序，从 1 起"),
        ("source", "str", "依据：lexicon 项目词表，text 文中紧接着逐项列出（如“六稳”即稳就业、稳金融……）"),
        ("count", "int64", "该项在全语料清洗后文本中的出现次数（每一处都计，含在更长提法中的）"),
        ("documents", "int64", "出现该项的文档数"),
        ("doc_id", "str", "来源为 text 时，逐项列出之处所在的文档；来源为 lexicon 时为空"),
        ("start", "Int64", "来源为 text 时，简称在该文档清洗后文本中的字符位置；来源为 lexicon 时为空"))),
    Table("keyness", "两个时期或组别之间的提法关键度（对数似然比，多重检验校正）",
          "keyness of slogans between two groups", _cols(
        ("by", "str", "分组所依据的文档列，如 year（年份）、genre（文体）、speaker（发言人）"),
        ("group_a", "str", "A 组，如年份范围 2013-2017"),
        ("group_b", "str", "B 组"),
        ("min_docs", "int64", "最少文档数：只检验在两组文档合计中至少出现于这么多篇的提法"),
        ("slogan", "str", "提法"),
        ("count_a", "int64", "A 组中的次数"),
        ("count_b", "int64", "B 组中的次数"),
        ("docs_a", "int64", "A 组中含该提法的文档数"),
        ("docs_b", "int64", "B 组中含该提法的文档数"),
        ("rate_a", "float64", "A 组每万字次数"),
        ("rate_b", "float64", "B 组每万字次数"),
        ("g2", "float64", "对数似然比 G²（单个检验：≥ 3.84 即 p ＜ 0.05）"),
        ("p_value", "float64", "单个检验的 p 值（G² 按自由度 1 的卡方分布）"),
        ("q_value", "float64", "Benjamini–Hochberg 校正后的 q 值：同时检验全部入选提法时的错误发现率"),
        ("log_ratio", "float64", "log2(A 组频率 ÷ B 组频率)，零次按 0.5 计"),
        ("key_for", "str", "对哪一组更关键：A 或 B"),
        ("significant", "bool", "是否显著：q 值 ＜ 0.05"),
        ("kind", "str", "提法类型（同 slogans 表）", True),
        (*FIRST_YEAR, True), (*LAST_YEAR, True))),
    Table("parallelisms", "平行结构：类型、层级、模板、家族、分支数", "one row per parallel structure", _cols(
        ("id", "str", "编号：文档编号#序号"), DOC_ID, YEAR,
        ("kind", "str", "类型：phrase 词语排列、clause 分句排比、sentence 句子排比、enumeration 一是…二是…、heading 标题框架"),
        ("level", "int64", "嵌套层级：0 为最外层，位于另一平行结构的分支之内则加 1"),
        ("family", "str", "模板家族（见 templates 表 family）；没有共同框架的单纯并列为其列举组名称"),
        ("template", "str", "模板：共有的锚定词保留，其余成为〈槽位〉"),
        ("branches", "int64", "分支数"),
        ("start", "int64", "第一个分支的起点（原始文本中的字符位置）"),
        ("end", "int64", "最后一个分支的终点（不含）"))),
    Table("branches", "平行结构的每个分支：偏移量、文字、槽位填充", "every branch of a parallel structure", _cols(
        ("parallelism", "str", "所属平行结构的编号（见 parallelisms 表 id）"),
        ("index", "int64", "分支序号，从 0 起"), DOC_ID, START, END,
        ("text", "str", "分支的原文（首尾标点已去掉）"),
        ("fillers", "str", "填入模板各槽位的文字，以竖线分隔"))),
    Table("templates", "模板家族与列举组：名称、类型、次数、分支数、首末年份、两个例子、槽位常见填充",
          "one row per template family or list group", _cols(
        ("family", "str", "家族键：保留有实义的锚定词，虚词、数字、标点并入槽位〈〉，〔一〕代表序号；"
                          "没有共同框架的单纯并列归入按类型划分的列举组，键即列举组名称"),
        ("name", "str", "显示名称：槽位依次记为〈A〉〈B〉……，序号写作“一”（如 一是〈A〉、坚持〈A〉）；列举组为其名称"),
        ("framed", "bool", "是否为有共同框架的模板家族：否表示列举组（计为列举，不作模板展示）"),
        ("template", "str", "家族中最常见的完整模板（保留全部共有词）"),
        ("kind", "str", "最常见的类型（同 parallelisms 表）"),
        ("anchors", "int64", "家族名称中槽位之外的实义汉字数（序号不计）：列举组为 0"),
        ("count", "int64", "平行结构处数"),
        ("branches", "int64", "分支总数"),
        ("documents", "int64", "使用它的文档数"),
        FIRST_YEAR, LAST_YEAR,
        ("example", "str", "例子一：家族中第一处平行结构的各分支，以 ／ 分隔"),
        ("example_id", "str", "例子一的平行结构编号（见 parallelisms 表 id）"),
        ("example_2", "str", "例子二：另一篇文档中的第一处（没有则为本家族的第二处），以 ／ 分隔"),
        ("example_2_id", "str", "例子二的平行结构编号；只有一处时为空"),
        ("slots", "str", "各槽位最常见的填充（×次数），槽位之间以；分隔；列举组的槽位是整个分支"))),
    Table("template_years", "模板家族逐年次数与每万字频率（只含有文档的年份）", "template family counts per year", _cols(
        ("family", "str", "模板家族（只含在两篇以上文档中使用的）"),
        ("year", "Int64", "年份（只列出有文档的年份）"),
        ("count", "int64", "当年使用次数"), YEAR_CHARS, RATE)),
    Table("template_slots", "模板家族各槽位最常见的填充（每个槽位至多 12 个）", "commonest fillers of each slot", _cols(
        ("family", "str", "模板家族或列举组（见 templates 表 family）"),
        ("slot", "str", "槽位字母：A 即家族名称中的〈A〉；列举组只有 A，即整个分支"),
        ("filler", "str", "填入该槽位的文字（首尾标点已去掉）"),
        ("count", "int64", "填入的分支数"))),
)}


def table(name: str) -> Table:
    """The schema of table ``name``; a KeyError names the tables there are."""
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"no table {name!r} in the schema; tables: {', '.join(TABLES)}") from None


DICTIONARY_INTRO = (
    "每张表各有两个文件：CSV（UTF-8，带 BOM，Excel 可直接打开）与 Parquet（保留类型，供程序读取）。"
    "偏移量 start、end 是文档原始文本（texts 表的 raw 列）中的字符位置，从 0 起，终点不含，"
    "与 Python 切片 raw[start:end] 相同。“整数（可缺）”的列在没有值时为空；没有任何行的表，其列可能不带类型。")


def data_dictionary(*, heading: str = "##", files: str = "",
                    offered: Optional[Mapping[str, Mapping[str, Optional[str]]]] = None, elsewhere: str = "") -> str:
    """The data dictionary as Markdown: one section per table (``heading`` level), a row per column.

    Each section links the table's CSV and Parquet files at ``files`` (a
    folder URL ending in "/", or "" beside them). With ``offered``, only the
    files named there are linked (``{"units": {"csv": "units.csv.zip",
    "parquet": None}}``): a format a table lacks is named, followed by
    ``elsewhere``, and a table not in it is named only. Every word in it is
    this module's own (checked when the schema is built), so it needs no escaping.
    """
    parts = []
    for t in TABLES.values():
        rows = [f"| `{c.name}` | {DTYPES[c.dtype]} `{c.dtype}` | {c.meaning}{'（可能没有此列）' if c.optional else ''} |"
                for c in t.columns]
        links = "、".join(_file_link(t.name, ext, files, offered, elsewhere) for ext in ("csv", "parquet"))
        parts.append("\n".join([f"{heading} {t.name}", "", f"{t.meaning}（{t.english}）。文件：{links}。", "",
                                "| 列 | 类型 | 含义 |", "| --- | --- | --- |", *rows]))
    return "\n\n".join(parts) + "\n"


def _file_link(name: str, ext: str, files: str, offered, elsewhere: str) -> str:
    """The data dictionary's mention of table ``name``'s ``ext`` file: a link if offered, else its name."""
    if offered is None:
        return f"[{name}.{ext}]({files}{name}.{ext})"
    if name not in offered:
        return f"`{name}.{ext}`"
    file = offered[name].get(ext)
    return f"[{file}]({files}{file})" if file else f"`{name}.{ext}`{elsewhere}"
