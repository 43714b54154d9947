"""The project lexicon (``lexicon/slogans.yaml``): curated formulations, read and checked.

Each entry names a formulation (提法) by its canonical form, with the other
spellings counted as it (variants), a short name that stands for it
(abbreviation, 双创 for 大众创业、万众创新), the items a numbered or summarising
formulation consists of (members, 四个意识 → 政治意识、大局意识、核心意识、看齐意识),
a category, and where known the year and occasion of its first official use.
``lexicon/README.md`` documents the fields.

A malformed entry stops the run with a :class:`LexiconError` naming the file,
the entry's number and canonical form, the field and what to write instead:
a lexicon that is quietly half-read would change counts without a word.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

import yaml

from analysis.inputs import lone_surrogate

DEFAULT_LEXICON = Path(__file__).resolve().parent.parent / "lexicon" / "slogans.yaml"

FIELDS = ("canonical", "variants", "abbreviation", "members", "category", "year", "occasion", "note")
# Years an entry's first use may carry: from the founding of the Party to the near future.
FIRST_YEAR, LAST_YEAR = 1921, 2100
# Characters that separate the members of an enumeration written as one form (不忘初心、牢记使命).
_SEPARATORS = "、，,；;“”\"' "


class LexiconError(ValueError):
    """The lexicon file is malformed; the message names the file and entry."""


@dataclass(frozen=True)
class LexiconEntry:
    """One curated formulation: its canonical form, the spellings counted as it, and what it stands for."""

    canonical: str
    variants: tuple[str, ...] = ()
    category: str = ""
    note: str = ""
    abbreviation: str = ""               # a short name counted on its own and linked to the members
    members: tuple[str, ...] = ()        # the items it consists of, in their official order
    year: Optional[int] = None           # year of first official use, where known
    occasion: str = ""                   # the meeting or document of that first use (the source)

    @property
    def forms(self) -> tuple[str, ...]:
        """The spellings counted as this formulation: the canonical form and its variants."""
        return (self.canonical, *self.variants)

    @property
    def head(self) -> str:
        """The form its members are linked to: the abbreviation if it has one, else the canonical form."""
        return self.abbreviation or self.canonical


def load_lexicon(path: Optional[Path] = DEFAULT_LEXICON) -> list[LexiconEntry]:
    """Read and check the YAML lexicon; return its entries (``[]`` for ``None`` or an absent file)."""
    if path is None or not Path(path).exists():
        return []
    data = _read_yaml(Path(path))
    if not isinstance(data, list):
        raise LexiconError(f"{path}: expected a list of entries with 'canonical', got {type(data).__name__}")
    entries = [_entry(item, n, path) for n, item in enumerate(data, 1)]
    _check_unique(entries, path)
    return entries


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path):
    if path.is_dir():
        raise LexiconError(f"{path}: is a folder, not a lexicon file; pass a YAML file or --lexicon none")
    try:
        # libyaml's loader when PyYAML has it: the pure-Python one takes half a second for this file
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER) or []
    except UnicodeDecodeError as err:
        raise LexiconError(f"{path}: not UTF-8 text (byte {err.start}); the lexicon must be a UTF-8 YAML file, "
                           "or pass --lexicon none") from err
    except OSError as err:
        raise LexiconError(f"{path}: cannot read the lexicon ({err.strerror or err}); "
                           "fix it or pass --lexicon none") from err
    except (yaml.YAMLError, RecursionError) as err:
        detail = str(err).replace("\n", " ") if isinstance(err, yaml.YAMLError) else "nested too deeply"
        raise LexiconError(f"{path}: not valid YAML ({detail}); fix the file or pass --lexicon none") from err


def _entry(item, n: int, path) -> LexiconEntry:
    """One checked entry; a LexiconError names ``path``, the entry's number ``n`` and its canonical form."""
    if not isinstance(item, dict) or not isinstance(item.get("canonical"), str) or not item["canonical"].strip():
        raise LexiconError(f"{path}: entry {n} has no 'canonical' form; every entry needs one (a text)")
    if any(lone_surrogate(v) is not None for v in _strings(item)):   # "\ud800" in YAML: no page could show it
        # named by number only: the canonical form itself may hold the surrogate, which no message can print
        raise LexiconError(f"{path}: entry {n} holds a lone surrogate (not valid Unicode); fix the \\u escape")
    where = f"{path}: entry {n} ({item['canonical'].strip()})"
    unknown = [str(k) for k in item if k not in FIELDS]
    if unknown:
        raise LexiconError(f"{where}: unknown field {', '.join(map(repr, unknown))}; "
                           f"the fields are {', '.join(FIELDS)}")
    canonical = item["canonical"].strip()
    variants = _texts(item, "variants", where)
    members = _texts(item, "members", where)
    if len(members) == 1 or len(set(members)) < len(members) or canonical in members:
        raise LexiconError(f"{where}: 'members' must list two or more different items, none the canonical form")
    return LexiconEntry(canonical=canonical, variants=tuple(v for v in variants if v != canonical),
                        category=_text(item, "category", where), note=_text(item, "note", where),
                        abbreviation=_text(item, "abbreviation", where), members=tuple(members),
                        year=_year(item.get("year"), where), occasion=_text(item, "occasion", where))


def _texts(item: dict, key: str, where: str) -> list[str]:
    """A list field of texts (one text alone stands for a list of one); anything else is an error."""
    value = item.get(key)
    if value is None:
        return []
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise LexiconError(f"{where}: '{key}' must be a list of texts, e.g. [政治意识, 大局意识]; got {value!r}")
    return [v.strip() for v in values]


def _text(item: dict, key: str, where: str) -> str:
    value = item.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise LexiconError(f"{where}: '{key}' must be a text; got {value!r}")
    return value.strip()


def _year(value, where: str) -> Optional[int]:
    """The first-use year: a whole number from 1921 to 2100 (written as a number or four digits), or None."""
    if value in (None, ""):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not FIRST_YEAR <= value <= LAST_YEAR:
        raise LexiconError(f"{where}: 'year' {value!r} is not a year from {FIRST_YEAR} to {LAST_YEAR}; "
                           "write four digits, or leave it out when not known")
    return value


def _check_unique(entries: list[LexiconEntry], path) -> None:
    """Every canonical form, variant and abbreviation belongs to one entry only (else counts would double)."""
    owner: dict[str, int] = {}
    for n, entry in enumerate(entries, 1):
        for form in {*entry.forms, *([entry.abbreviation] if entry.abbreviation else [])}:
            if form in owner:
                first = entries[owner[form] - 1].canonical
                raise LexiconError(f"{path}: entry {n} ({entry.canonical}) repeats '{form}', already in entry "
                                   f"{owner[form]} ({first}); a form belongs to one entry: merge or remove one")
            owner[form] = n


def _strings(value) -> list[str]:
    """Every string in a YAML value (keys and values of mappings, items of lists)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def lexicon_terms(entries: Iterable[LexiconEntry]) -> list[str]:
    """Return every form that should stay one token, punctuation-free parts included.

    An enumeration such as 不忘初心、牢记使命 is kept whole by its members:
    jieba never joins across 、, so each member is added on its own. The
    abbreviation is added too; the members listed under ``members`` are not
    (稳就业, 优化服务 are ordinary words that jieba already cuts well, and a
    long member would swallow the words around it).
    """
    terms: set[str] = set()
    for entry in entries:
        for form in (*entry.forms, *([entry.abbreviation] if entry.abbreviation else [])):
            for part in split_members(form):
                # a part jieba already knows as a word (调整, 提高 in 调整、改革、整顿、提高) stays as it is:
                # adding it again would only lower its frequency and change how the words around it are cut
                # an entry's listed members are left to jieba too (稳就业, 保市场主体: as tokens they would
                # take the 保 of 确保)
                if len(part) >= 2 and not is_jieba_word(part) and part not in entry.members:
                    terms.add(part)
    return sorted(terms)


@lru_cache(maxsize=1)
def jieba_dictionary() -> dict[str, str]:
    """jieba's main dictionary: each word → its frequency as written (read once per process; a word
    listed twice keeps its last line, as jieba keeps it).

    Read from the dictionary file itself: initialising Python jieba to ask it would cost a second, and
    the default segmenter (rjieba) does not need it."""
    words, frequencies, _ = jieba_lines()
    return dict(zip(words, frequencies))


@lru_cache(maxsize=1)
def jieba_tags() -> dict[str, str]:
    """jieba's main dictionary: each word → its part of speech, the table ``jieba.posseg`` builds from the
    same file (read here in a tenth of the 0.8 s jieba.posseg takes to load it)."""
    words, _, tags = jieba_lines()
    return dict(zip(words, tags))


@lru_cache(maxsize=1)
def jieba_lines() -> tuple[list[str], list[str], list[str]]:
    """The words, frequencies and tags of jieba's dictionary file, line by line (a missing tag as "")."""
    import jieba
    with jieba.get_dict_file() as f:
        text = f.read().decode("utf-8")
    lines, fields = text.splitlines(), text.split()
    if len(fields) == 3 * len(lines):    # every line "word frequency tag", as jieba ships it: split in C
        return fields[0::3], fields[1::3], fields[2::3]
    rows = [(line.split(" ") + ["", ""])[:3] for line in lines if " " in line]
    return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]


def is_jieba_word(word: str) -> bool:
    """True if ``word`` is in jieba's main dictionary with a frequency above 0."""
    return jieba_dictionary().get(word, "0") != "0"


def word_frequency(word: str) -> int:
    """The frequency of ``word`` in jieba's main dictionary (general Chinese), 0 if it is not listed."""
    return int(jieba_dictionary().get(word, 0))


def split_members(form: str) -> list[str]:
    """The parts of a form written as an enumeration (不忘初心、牢记使命 → 不忘初心, 牢记使命)."""
    out, cur = [], []
    for ch in form:
        if ch in _SEPARATORS:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return [p for p in out if p]


def slogan_entries(entries: Iterable[LexiconEntry]) -> list[LexiconEntry]:
    """The entries the slogan stage counts: each entry, then its abbreviation as an entry of its own.

    An abbreviation is linked to its formulation, not merged with it (双创 and
    大众创业、万众创新 stay two slogans). Members are not added: they are
    counted in the ``slogan_links`` table, and become slogans only where the
    corpus shows them as such or the lexicon has an entry for them.
    """
    entries = list(entries)
    taken = {form for e in entries for form in e.forms}
    # the first use goes into the note, which the slogan's page shows
    out = [replace(e, note="；".join(filter(None, (e.note, first_use(e))))) for e in entries]
    for e in entries:
        if e.abbreviation and e.abbreviation not in taken:
            out.append(LexiconEntry(canonical=e.abbreviation, category=e.category,
                                    note=f"{e.canonical}的简称"))
            taken.add(e.abbreviation)
    return out


def first_use(entry: LexiconEntry) -> str:
    """``首次使用：2016年，中共中央政治局会议`` from the entry's year and occasion ('' when neither is known)."""
    parts = [f"{entry.year}年" if entry.year else "", entry.occasion]
    return "首次使用：" + "，".join(p for p in parts if p) if any(parts) else ""
