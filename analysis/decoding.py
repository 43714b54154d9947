"""Decoding the bytes of a corpus file: UTF-8 (±BOM), UTF-16 (±BOM), GB18030/GBK and Big5.

A decoding is accepted only when it reads like Chinese: most of its non-ASCII
characters must be common Chinese characters or punctuation. Bytes in another
encoding (Latin-1, Shift-JIS) or UTF-8 with a damaged byte decode without error
in GB18030 or UTF-16 into rare characters — mojibake — so "decodes without an
error" is not enough; such files are reported, with the byte offset where UTF-8
fails, instead of being analysed as garbage.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from charset_normalizer import from_bytes  # proposes encodings; each is then judged as Chinese

# GB18030 and Big5 decode almost any byte pairs; UTF-16 any even number of bytes (NULs show ASCII).
_CANDIDATES = ("gb18030", "big5", "utf-16-le", "utf-16-be")
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# Share of non-ASCII characters that must be common Chinese ones. Every one of the 72 work reports
# scores above 0.98 and mojibake from UTF-8, Shift-JIS or Latin-1 below 0.6.
_CHINESE_SHARE = 0.9
_PUNCTUATION = frozenset("“”‘’…—·")
# GB2312 and GBK are subsets of GB18030: decode with the superset so rare characters survive.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "hz": "gb18030", "cp936": "gb18030"}


def decode_bytes(data: bytes, name: str = "") -> str:
    """Return the text of ``data``, detecting UTF-8 (±BOM), UTF-16 (±BOM), GB18030/GBK and Big5.

    Raises ``ValueError`` with a message for the build report when the bytes
    are empty, binary, damaged UTF-8 or in no encoding that reads as Chinese.
    ``name`` is not used: the caller's problem report names the file.
    """
    if not data.strip():
        raise ValueError("empty file; add text or remove the file")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _strip_bom(data.decode(codec, errors="strict"))
            except UnicodeDecodeError as err:
                raise ValueError(f"starts with a {codec.upper()} byte-order mark but byte {err.start} "
                                 f"(0x{data[err.start]:02X}) is not {codec.upper()}; re-save the file") from err
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        utf8_error = err
    text = _decode_as_chinese(data)
    if text is None:
        raise ValueError(_undecodable(data, utf8_error))
    if not text.strip():
        raise ValueError("empty after decoding; add text or remove the file")
    return _strip_bom(text)


def _undecodable(data: bytes, err: UnicodeDecodeError) -> str:
    """The report's reason for bytes no encoding reads, naming the first byte that is not UTF-8."""
    where = f"byte {err.start} (0x{data[err.start]:02X})"
    if b"\x00" in data:
        return f"binary file (contains NUL bytes, not UTF-16 text; not UTF-8 at {where}); " \
               "convert it to UTF-8 text or remove it"
    if _mostly_utf8(data):
        return f"damaged UTF-8: {where} is not UTF-8 though the rest is; fix that byte or re-save the file as UTF-8"
    return f"cannot decode: not UTF-8 (first at {where}) and not Chinese text in GB18030/GBK, Big5 or " \
           "UTF-16 (another language's encoding, such as Latin-1 or Shift-JIS?); save the file as UTF-8 text"


def _mostly_utf8(data: bytes) -> bool:
    """True when the bytes hold many valid multi-byte UTF-8 characters and few invalid bytes."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    good = sum(1 for ch in text if not ch.isascii() and ch != "\ufffd")
    return good >= 2 * bad


def _decode_as_chinese(data: bytes) -> Optional[str]:
    """The decoding of ``data`` that reads most like Chinese; None if none does.

    charset-normalizer proposes candidates; on short texts it can prefer a
    Korean or Japanese code page for GB18030 bytes, so each of its proposals
    and the Chinese encodings themselves are judged by :func:`chinese_share`.
    """
    proposed = [_SUPERSETS.get(m.encoding, m.encoding) for m in from_bytes(data)]
    candidates = list(dict.fromkeys(proposed + list(_CANDIDATES)))
    if b"\x00" in data:  # only UTF-16 text has NUL bytes; anything else with them is binary
        candidates = [c for c in candidates if c.replace("_", "-").startswith("utf-16")]
    best, best_score = None, 0.0
    for encoding in candidates:
        try:
            text = data.decode(encoding, errors="strict")
        except (UnicodeDecodeError, LookupError):
            continue
        score = chinese_share(text)
        if score > best_score + 1e-9:
            best, best_score = text, score
    return best if best_score >= _CHINESE_SHARE else None


def chinese_share(text: str) -> float:
    """Share of the non-ASCII characters of ``text`` that are common Chinese characters or punctuation."""
    common = _common_chinese()
    other = [ch for ch in text if not ch.isascii()]
    ok = sum(1 for ch in other if ch in common or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
             or ch in _PUNCTUATION)
    return ok / len(other) if other else 1.0


@lru_cache(maxsize=1)
def _common_chinese() -> frozenset[str]:
    """The characters of GB2312 (simplified, 6,763) and of Big5's frequent level (traditional, 5,401)."""
    chars = set()
    for first in range(0xB0, 0xF8):
        for second in range(0xA1, 0xFF):
            chars.add(bytes((first, second)).decode("gb2312", errors="ignore"))
    for first in range(0xA4, 0xC7):
        for second in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            chars.add(bytes((first, second)).decode("big5", errors="ignore"))
    chars.discard("")
    # Big5's frequent level ends in a row shared with Japanese kana, which are no sign of Chinese text
    return frozenset(ch for ch in chars if not "\u3040" <= ch <= "\u30ff")


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text
