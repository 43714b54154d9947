"""Cleaning: find text that is not part of the document, normalise the rest.

Returns a :class:`~analysis.document.CleanText` whose offset map leads every
character back to the raw text, plus the removed spans (kept, with reasons,
so the site can show them). Rules are general, not lists of one file's lines:

* advertising blocks at the top or bottom of a file (short blocks carrying
  words such as 会员, 订阅, QQ群, 微信, 举报) and such lines anywhere;
* page numbers on lines of their own;
* paragraphs at a document's edges that recur across many documents of the
  corpus (site licence footers, repeated letterheads).

Normalisation: ideographic-space indentation and zero-width characters are
dropped, hard line breaks inside paragraphs are joined, full-width digits
become ASCII, and spaces between digits (1 9 9 7) are dropped.
"""
from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Optional

import numpy as np

from analysis.document import CleanText, Span

AD_WORDS = ("仅供学习", "禁止外传", "会员", "订阅", "举报", "QQ群", "qq群", "微信", "公众号", "扫码",
            "二维码", "免费领取", "资料群", "倒卖", "加群", "客服", "淘宝", "店铺", "VIP", "vip",
            "版权所有", "未经授权", "获取更多", "关注我们", "下载")
SALUTATION = re.compile(r"^[\u4e00-\u9fff、，,·\s]{2,20}[：:！!]$")
PAGE_NUMBER = re.compile(r"^[\s\-—－–·•第页]*\d{1,4}[\s\-—－–·•页]*$")
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_TRIM = " \t\u3000\u00a0\r" + _INVISIBLE
_CLOSING = "。，、；：！？》」』）”"
_FULLWIDTH_DIGITS = {ord(c): ord("0") + i for i, c in enumerate("０１２３４５６７８９")}
_FULLWIDTH = frozenset(map(chr, _FULLWIDTH_DIGITS))
_SPACES = " \u3000\t\u00a0"
# What normalisation acts on; every other character is copied as it is, a stretch at a time.
_SPECIAL = re.compile("[" + re.escape(_INVISIBLE + "\r\n" + _SPACES) + "]")

_LINE_END = re.compile(r"\r\n|\r|\n")

# Edge paragraphs looked at when finding cross-document headers and footers.
EDGE_HEAD, EDGE_TAIL = 4, 8


@dataclass(frozen=True)
class Block:
    """A paragraph of the raw text: ``raw[start:end]``, its lines, and whether it is removed."""

    start: int
    end: int


def paragraph_blocks(raw: str) -> list[Block]:
    """Split raw text into paragraphs; return their raw spans (line ends excluded).

    A file whose paragraphs are separated by blank lines has hard line breaks
    inside paragraphs (joined later); a file with no such habit has one
    paragraph a line. The habit is read per file: blank-line style when most
    text lines are followed by a blank line.
    """
    lines = _lines(raw)
    texts = [(s, e) for s, e in lines if raw[s:e].strip(_TRIM)]
    if not texts:
        return []
    followed_by_blank = 0
    for i, (s, e) in enumerate(lines[:-1]):
        if raw[s:e].strip(_TRIM) and not raw[lines[i + 1][0]:lines[i + 1][1]].strip(_TRIM):
            followed_by_blank += 1
    # A line opening with closing punctuation (。，》) can only be a broken line,
    # so it betrays blank-line style even where broken lines outnumber paragraphs.
    broken = sum(1 for s, e in texts if raw[s:e].lstrip(_TRIM)[:1] in _CLOSING)
    blank_style = followed_by_blank >= 0.5 * len(texts) or (followed_by_blank >= 3 and broken > 0)
    if not blank_style:
        return [Block(s, e) for s, e in texts]
    blocks, cur = [], None
    for s, e in lines:
        if raw[s:e].strip(_TRIM):
            cur = (cur[0], e) if cur else (s, e)
        elif cur:
            blocks.append(Block(*cur))
            cur = None
    if cur:
        blocks.append(Block(*cur))
    return blocks


def _lines(raw: str) -> list[tuple[int, int]]:
    out, start = [], 0
    # A lone CR ends a line too (old Mac files): the raw text is left as it is, so offsets still hold.
    for m in _LINE_END.finditer(raw):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(raw)))
    return out


# invisible characters and all whitespace (str.isspace and re's \s agree on every code point);
# a regular expression removes them about six times faster than str.translate with a table
_KEY_DELETE = re.compile("[\\s" + _INVISIBLE + "]+")


def paragraph_key(text: str) -> str:
    """The form under which paragraphs are compared across documents (no whitespace, no invisibles)."""
    return _KEY_DELETE.sub("", text)


def edge_keys(raw: str) -> set[str]:
    """Keys of a document's first and last paragraphs, for :func:`repeated_edges`."""
    blocks = paragraph_blocks(raw)
    edge = blocks[:EDGE_HEAD] + blocks[-EDGE_TAIL:]
    return {paragraph_key(raw[b.start:b.end]) for b in edge}


def repeated_edges(keys_per_doc: Iterable[set[str]]) -> frozenset[str]:
    """Paragraph keys found at the edges of many documents: headers and footers.

    A key counts when it stands at the edge of at least 3 documents and at
    least a tenth of them; salutations (各位代表：) are never counted, they are
    the document's own words.
    """
    counts: Counter[str] = Counter()
    n = 0
    for keys in keys_per_doc:
        counts.update(keys)
        n += 1
    need = max(3, math.ceil(0.1 * n))
    return frozenset(k for k, c in counts.items() if c >= need and k and not SALUTATION.match(k))


def is_ad_line(line: str) -> bool:
    """True for a short line that advertises (membership, groups, subscriptions, reports)."""
    line = line.strip(_TRIM)
    if not line:
        return False
    hits = {w for w in AD_WORDS if w in line}
    if not hits:
        return False
    if len(hits) >= 2 and len(line) <= 120:
        return True
    return len(line) <= 60 and not line.endswith("。")


def find_boilerplate(raw: str, blocks: list[Block], repeated: frozenset[str] = frozenset()) -> list[Span]:
    """Return removed spans (kind "removed", label = reason) in raw offsets, sorted."""
    removed: dict[int, str] = {}
    # Advertising: blocks of lines at the top and bottom separated by blank lines.
    groups = _visual_groups(raw)
    for group in (groups, groups[::-1]):
        for s, e in group:
            lines = [ln for ln in raw[s:e].splitlines() if ln.strip(_TRIM)]
            if len(lines) <= 12 and any(is_ad_line(ln) for ln in lines):
                for i, b in enumerate(blocks):
                    if b.start >= s and b.end <= e:
                        removed[i] = "广告页眉/页脚"
            else:
                break
    for i, b in enumerate(blocks):
        text = raw[b.start:b.end]
        if i in removed:
            continue
        if is_ad_line(text):
            removed[i] = "广告行"
        elif PAGE_NUMBER.match(text.strip(_TRIM)):
            removed[i] = "页码"
    # Cross-document headers and footers, walked in from each edge.
    if repeated:
        for order in (range(len(blocks)), range(len(blocks) - 1, -1, -1)):
            for i in order:
                key = paragraph_key(raw[blocks[i].start:blocks[i].end])
                if i in removed or key in repeated:
                    removed.setdefault(i, "多篇文档重复的页眉/页脚")
                    continue
                break
    return [Span(blocks[i].start, blocks[i].end, "removed", raw[blocks[i].start:blocks[i].end], label=reason)
            for i, reason in sorted(removed.items())]


def _visual_groups(raw: str) -> list[tuple[int, int]]:
    """Runs of non-blank lines as the eye sees them (blank lines separate)."""
    groups, cur = [], None
    for s, e in _lines(raw):
        if raw[s:e].strip(_TRIM):
            cur = (cur[0], e) if cur else (s, e)
        elif cur:
            groups.append(cur)
            cur = None
    if cur:
        groups.append(cur)
    return groups


def clean_text(raw: str, repeated: frozenset[str] = frozenset()) -> tuple[CleanText, list[Span], list[tuple[int, int]]]:
    """Clean one document.

    Returns ``(clean, removed, paragraphs)``: the normalised text with its
    offset map, the removed boilerplate spans (raw offsets), and the kept
    paragraphs as ``(start, end)`` in *clean* offsets. Paragraphs are joined
    by a single "\\n" in the clean text.
    """
    blocks = paragraph_blocks(raw)
    removed = find_boilerplate(raw, blocks, repeated)
    gone = {(r.start, r.end) for r in removed}
    out = _Copied()
    paragraphs: list[tuple[int, int]] = []
    for b in blocks:
        if (b.start, b.end) in gone:
            continue
        if out.size:
            out.keep("\n", out.last + 1 if out.last + 1 < b.start else b.start)
        start = out.size
        _normalise_into(raw, b.start, b.end, out)
        if out.size == start:  # nothing but invisible characters
            if start:
                out.drop_last()
            continue
        paragraphs.append((start, out.size))
    return CleanText(*out.joined()), removed, paragraphs


class _Copied:
    """The clean text as it is copied, a stretch at a time: each stretch and the raw offset of its
    first character (its characters come from consecutive raw offsets)."""

    def __init__(self):
        self.parts: list[str] = []
        self.starts: list[int] = []
        self.size = 0          # characters so far
        self.last = -1         # raw offset of the last character

    def keep(self, run: str, raw_start: int) -> None:
        self.parts.append(run)
        self.starts.append(raw_start)
        self.size += len(run)
        self.last = raw_start + len(run) - 1

    def drop_last(self) -> None:
        run = self.parts.pop()
        self.starts.pop()
        self.size -= len(run)
        self.last = self.starts[-1] + len(self.parts[-1]) - 1 if self.parts else -1

    def joined(self) -> tuple[str, array]:
        """The text and its offset map, 4 bytes a character (documents stay under 2**31 characters),
        built in numpy: a list of characters and an array extended from ranges cost 0.2 s over the work reports."""
        lengths = np.fromiter(map(len, self.parts), dtype=np.int64, count=len(self.parts))
        shift = np.repeat(np.array(self.starts, dtype=np.int64) - (np.cumsum(lengths) - lengths), lengths)
        origin = array("i")
        origin.frombytes((shift + np.arange(self.size, dtype=np.int64)).astype(np.int32).tobytes())
        return "".join(self.parts), origin


def _normalise_into(raw: str, start: int, end: int, out: _Copied) -> None:
    """Append the normalised characters of ``raw[start:end]`` and their raw offsets."""
    # Trim indentation and trailing spaces of the whole paragraph.
    while start < end and raw[start] in _TRIM + "\n":
        start += 1
    while end > start and raw[end - 1] in _TRIM + "\n":
        end -= 1
    i = start           # raw[i:] is still to be copied
    for m in _SPECIAL.finditer(raw, start, end):
        j = m.start()
        if j < i:       # inside the indentation skipped after a line break
            continue
        _keep(raw, i, j, out)
        ch = raw[j]
        i = j + 1
        if ch == "\n" or (ch == "\r" and raw[i:i + 1] != "\n"):
            # A hard line break inside a paragraph (LF, CRLF or a lone CR): drop it and the indentation after it.
            while i < end and raw[i] in _TRIM:
                i += 1
        elif ch in _SPACES and not _between_digits(raw, j, start, end):
            _keep(raw, j, i, out)
        # invisible characters and the CR of a CRLF are dropped
    _keep(raw, i, end, out)


def _keep(raw: str, start: int, end: int, out: _Copied) -> None:
    """Append ``raw[start:end]`` with full-width digits made half-width (one character for one)."""
    if end > start:
        run = raw[start:end]
        out.keep(run if _FULLWIDTH.isdisjoint(run) else run.translate(_FULLWIDTH_DIGITS), start)


def _between_digits(raw: str, i: int, start: int, end: int) -> bool:
    j = i - 1
    while j >= start and raw[j] in _SPACES:
        j -= 1
    k = i + 1
    while k < end and raw[k] in _SPACES:
        k += 1
    return j >= start and k < end and _is_digit(raw[j]) and _is_digit(raw[k])


def _is_digit(ch: str) -> bool:
    return "0" <= ch <= "9" or "０" <= ch <= "９"


def removed_summary(removed: list[Span]) -> Optional[str]:
    """One line naming how much was removed and why, or ``None``."""
    if not removed:
        return None
    reasons = Counter(r.label for r in removed)
    return "，".join(f"{k} {v} 段" for k, v in reasons.items())
