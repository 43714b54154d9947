"""Caches: per-document results, and what corpus-wide stages keep from one run to the next.

Every per-document result is a pure function of the document, the settings,
the lexicon and the analyzer version, so a hit can stand in for the work.
Entries and memos are sealed the same way (:func:`seal`): a SHA-256 digest of
the body, then the body, written atomically (temporary file, then rename).
Pickle loads many damaged files without complaint (a flipped bit in a string
is still a string), so nothing is unpickled before its digest checks out. A
corrupt or unreadable entry is removed, recomputed and named in the run's
summary; it never stops a build and is never loaded.

A :class:`StageMemo` is one file per corpus-wide stage holding what that
stage may reuse next time (e.g. the places where forms occur in texts it
has already scanned); the stage itself keys each part by its inputs, the
memo only guarantees that what it returns was written whole by this code.
"""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from analysis import ANALYZER_VERSION
from analysis.document import AnalyzedDocument, Document

log = logging.getLogger(__name__)


# The layout of an entry file; part of every key, so entries written before it was sealed are never read
# (they would all count as damaged) but simply missed.
ENTRY_FORMAT = "sealed-1"


def document_key(doc: Document, settings_key: str) -> str:
    """Hex digest naming one document's result under one set of settings."""
    h = hashlib.sha256()
    for part in (ENTRY_FORMAT, ANALYZER_VERSION, settings_key, doc.doc_id, doc.title, str(doc.year), doc.date,
                 doc.genre, doc.speaker, doc.source, repr(sorted(doc.meta.items())), doc.raw):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def seal(body: bytes) -> bytes:
    """``body`` behind its SHA-256 digest, as entries and memos are stored."""
    return hashlib.sha256(body).digest() + body


def unseal(data: bytes) -> bytes:
    """The body of ``data`` written by :func:`seal`; ``ValueError`` if the digest does not match."""
    digest, body = data[:32], data[32:]
    if len(digest) < 32 or hashlib.sha256(body).digest() != digest:
        raise ValueError("checksum mismatch")
    return body


def text_digest(text: str) -> bytes:
    """A 128-bit digest naming a text in the stage memos (a few milliseconds for the whole corpus)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


@dataclass
class DocumentCache:
    """A folder of cached per-document results; ``hits``/``misses``/``corrupt`` count this run.

    ``damaged`` names (by document id) the entries found damaged and recomputed. The cache also holds
    the corpus-wide stages' memos (:meth:`memo`); those found damaged are named in :meth:`summary` too.
    """

    folder: Path
    hits: int = 0
    misses: int = 0
    memos: list = field(default_factory=list)
    damaged: list = field(default_factory=list)

    @property
    def corrupt(self) -> int:
        """How many entries were found damaged this run (and recomputed)."""
        return len(self.damaged)

    def path(self, key: str) -> Path:
        return Path(self.folder) / key[:2] / f"{key}.pickle"

    def has(self, key: str) -> bool:
        """Whether an entry for ``key`` exists (it may still turn out corrupt when read)."""
        return self.path(key).exists()

    def get(self, key: str, name: str = "") -> Optional[AnalyzedDocument]:
        """The cached result for ``key``, or ``None`` (absent, or damaged: then removed and ``name``
        recorded in :attr:`damaged`)."""
        path = self.path(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            self.misses += 1
            return None
        try:
            stored_key, value = pickle.loads(unseal(data))
            # a sound entry under another key's name (a file copied or renamed) is as wrong as a damaged one
            if stored_key != key or not isinstance(value, AnalyzedDocument):
                raise TypeError("written for another document")
        except Exception as err:  # checksum, unpickling or type: any of them means "recompute"
            log.warning("cache entry %s is damaged (%s); recomputing", path, err)
            self.misses += 1
            self.damaged.append(name or key[:12])
            path.unlink(missing_ok=True)
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: AnalyzedDocument) -> None:
        _write_atomically(self.path(key), seal(pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)))

    def memo(self, stage: str) -> "StageMemo":
        """The memo of corpus-wide stage ``stage``, kept in this cache's folder."""
        memo = StageMemo(Path(self.folder) / "stages" / f"{stage}.pickle")
        self.memos.append(memo)
        return memo

    def summary(self) -> str:
        """One line: hits, documents analysed again (corrupt among them, named), and any damaged stage memo."""
        line = f"缓存：命中 {self.hits}，重新分析 {self.misses}（其中损坏 {self.corrupt}）"
        if self.damaged:
            shown = "、".join(self.damaged[:SHOWN_DAMAGED])
            more = f" 等 {len(self.damaged)} 篇" if len(self.damaged) > SHOWN_DAMAGED else ""
            line += f"；损坏的缓存条目已重算：{shown}{more}"
        damaged = [m.path.stem for m in self.memos if m.corrupt]
        return line + (f"；阶段备忘损坏已重算：{'、'.join(damaged)}" if damaged else "")


# A damaged cache usually holds a few bad entries; a whole disk gone bad would name every document,
# so the summary line names this many and counts the rest.
SHOWN_DAMAGED = 10


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: readers see all of it or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException as err:  # a full disk or an interrupt: leave no half-written temporary file behind
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError) and err.filename is None:  # a failed write names no file: name the entry
            raise OSError(err.errno, err.strerror or str(err), str(path)) from err
        raise


@dataclass
class StageMemo:
    """One corpus-wide stage's memo: a dict saved at the end of a run and loaded at the start of the next.

    The file is sealed (:func:`seal`); its body is a pickle of
    ``(ANALYZER_VERSION, value)``. A file that fails the digest, does not
    unpickle or was written by other code loads as an empty dict (and is
    counted in ``corrupt`` when it was damaged), so the stage recomputes.
    """

    path: Path
    corrupt: int = 0

    def load(self) -> dict:
        """The saved dict, or ``{}`` if there is none usable."""
        try:
            data = Path(self.path).read_bytes()
        except FileNotFoundError:
            return {}
        try:
            version, value = pickle.loads(unseal(data))
            if not isinstance(value, dict):
                raise TypeError(f"unexpected {type(value).__name__}")
        except Exception as err:  # truncated, overwritten or foreign: recompute, never fail the build
            log.warning("stage memo %s is unreadable (%s); recomputing", self.path, err)
            self.corrupt += 1
            return {}
        return value if version == ANALYZER_VERSION else {}

    def save(self, value: dict) -> None:
        body = pickle.dumps((ANALYZER_VERSION, value), protocol=pickle.HIGHEST_PROTOCOL)
        _write_atomically(Path(self.path), seal(body))
