"""Word segmentation with jieba, kept whole on the project's formulations.

The lexicon's terms are added to a tokenizer of the analysis's own, so the
extractors see 不忘初心 as one word. (The site's search matches characters,
not words; see :mod:`analysis.explore_data`.)
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

import jieba
import jieba.posseg
import yaml

from analysis.inputs import lone_surrogate

jieba.setLogLevel(logging.WARNING)

DEFAULT_LEXICON = Path(__file__).resolve().parent.parent / "lexicon" / "slogans.yaml"

# A user-dictionary frequency high enough that jieba keeps a term whole
# against its own splits, low enough not to swallow neighbouring words.
_USER_FREQ = 2000


class LexiconError(ValueError):
    """The lexicon file is malformed; the message names the file and entry."""


@dataclass(frozen=True)
class LexiconEntry:
    """One curated formulation: its canonical form and the spellings counted as it."""

    canonical: str
    variants: tuple[str, ...] = ()
    category: str = ""
    note: str = ""

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.canonical, *self.variants)


def load_lexicon(path: Optional[Path] = DEFAULT_LEXICON) -> list[LexiconEntry]:
    """Read the YAML lexicon; return its entries (``[]`` for ``None`` or an absent file)."""
    if path is None or not Path(path).exists():
        return []
    if Path(path).is_dir():
        raise LexiconError(f"{path}: is a folder, not a lexicon file; pass a YAML file or --lexicon none")
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    except UnicodeDecodeError as err:
        raise LexiconError(f"{path}: not UTF-8 text (byte {err.start}); the lexicon must be a UTF-8 YAML file, "
                           "or pass --lexicon none") from err
    except OSError as err:
        raise LexiconError(f"{path}: cannot read the lexicon ({err.strerror or err}); "
                           "fix it or pass --lexicon none") from err
    except (yaml.YAMLError, RecursionError) as err:
        detail = str(err).replace("\n", " ") if isinstance(err, yaml.YAMLError) else "nested too deeply"
        raise LexiconError(f"{path}: not valid YAML ({detail}); fix the file or pass --lexicon none") from err
    if not isinstance(data, list):
        raise LexiconError(f"{path}: expected a list of entries with 'canonical', got {type(data).__name__}")
    entries = []
    for n, item in enumerate(data, 1):
        if not isinstance(item, dict) or not str(item.get("canonical") or "").strip():
            raise LexiconError(f"{path}: entry {n} has no 'canonical' form; every entry needs one")
        if any(lone_surrogate(v) is not None for v in _strings(item)):   # "\ud800" in YAML: no page could show it
            raise LexiconError(f"{path}: entry {n} holds a lone surrogate (not valid Unicode); fix the \\u escape")
        variants = item.get("variants") or []
        if not isinstance(variants, list):  # one variant written without a list; a number or mapping as well
            variants = [variants]
        entries.append(LexiconEntry(
            canonical=str(item["canonical"]).strip(),
            variants=tuple(str(v).strip() for v in variants if str(v).strip()),
            category=str(item.get("category") or ""),
            note=str(item.get("note") or ""),
        ))
    return entries


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
    jieba never joins across 、, so each member is added on its own.
    """
    terms: set[str] = set()
    for entry in entries:
        for form in entry.forms:
            for part in _split_members(form):
                if len(part) >= 2:
                    terms.add(part)
    return sorted(terms)


def _split_members(form: str) -> list[str]:
    out, cur = [], []
    for ch in form:
        if ch in "、，,；;“”\"' ":
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return [p for p in out if p]


SEGMENTERS = ("jieba", "rjieba")
# rjieba is the default: the same dictionary and HMM as jieba, tokens identical on all but one of the
# 8,044 work-report paragraphs, and about 8× faster (measured by benchmarks/bench.py). jieba stays the
# reference, one option away (--segmenter jieba).
DEFAULT_SEGMENTER = "rjieba"


@dataclass
class Segmenter:
    """A tokenizer of its own (not jieba's global one) with the lexicon added.

    ``backend`` is "rjieba" (the default: the Rust port of jieba, same
    dictionary, much faster) or "jieba" (the reference). ``cut`` gives words; ``tokens`` gives
    ``(word, start, end)`` in the text passed in; ``pos`` gives ``(word, flag)``.
    """

    terms: tuple[str, ...] = ()
    backend: str = DEFAULT_SEGMENTER
    _tok: object = field(init=False, repr=False)
    _pos: Optional[jieba.posseg.POSTokenizer] = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.backend == "rjieba":
            import rjieba  # the Rust port of jieba (a declared dependency)
            self._tok = rjieba.Jieba()
            for term in self.terms:
                self._tok.add_word(term, _USER_FREQ, None)
        elif self.backend == "jieba":
            self._tok = jieba.Tokenizer()
            self._tok.initialize()
            for term in self.terms:
                self._tok.add_word(term, _USER_FREQ)
        else:
            raise ValueError(f"unknown segmenter {self.backend!r}; use one of {', '.join(SEGMENTERS)}")

    def cut(self, text: str) -> list[str]:
        if self.backend == "rjieba":
            return self._tok.cut(text, True)
        return self._tok.lcut(text, HMM=True)

    def tokens(self, text: str) -> list[tuple[str, int, int]]:
        if self.backend == "rjieba":
            return [(w, s, e) for w, s, e in self._tok.tokenize(text, "default", True)]
        return [(w, s, e) for w, s, e in self._tok.tokenize(text, HMM=True)]

    def pos(self, text: str) -> list[tuple[str, str]]:
        if self.backend == "rjieba":
            return [(w, f) for w, f in self._tok.tag(text, True)]
        if self._pos is None:
            self._pos = jieba.posseg.POSTokenizer(self._tok)
        return [(p.word, p.flag) for p in self._pos.lcut(text, HMM=True)]


@lru_cache(maxsize=4)
def get_segmenter(terms: tuple[str, ...] = (), backend: str = DEFAULT_SEGMENTER) -> Segmenter:
    """Return a shared :class:`Segmenter` for these terms and backend (built once per process)."""
    return Segmenter(terms, backend)
