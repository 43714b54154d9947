"""Caches: per-document results, and what corpus-wide stages keep from one run to the next.

Every per-document result is a pure function of the document, the settings,
the lexicon and the analyzer version, so a hit can stand in for the work.
Entries are pickles written atomically (temporary file, then rename). A
corrupt or unreadable entry is removed and recomputed; it never stops a build.

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


def document_key(doc: Document, settings_key: str) -> str:
    """Hex digest naming one document's result under one set of settings."""
    h = hashlib.sha256()
    for part in (ANALYZER_VERSION, settings_key, doc.doc_id, doc.title, str(doc.year), doc.date, doc.genre,
                 doc.speaker, doc.source, repr(sorted(doc.meta.items())), doc.raw):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def text_digest(text: str) -> bytes:
    """A 128-bit digest naming a text in the stage memos (a few milliseconds for the whole corpus)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


@dataclass
class DocumentCache:
    """A folder of cached per-document results; ``hits``/``misses``/``corrupt`` count this run.

    It also holds the corpus-wide stages' memos (:meth:`memo`); those found damaged are named in
    :meth:`summary`.
    """

    folder: Path
    hits: int = 0
    misses: int = 0
    corrupt: int = 0
    memos: list = field(default_factory=list)

    def path(self, key: str) -> Path:
        return Path(self.folder) / key[:2] / f"{key}.pickle"

    def has(self, key: str) -> bool:
        """Whether an entry for ``key`` exists (it may still turn out corrupt when read)."""
        return self.path(key).exists()

    def get(self, key: str) -> Optional[AnalyzedDocument]:
        """The cached result for ``key``, or ``None`` (absent or corrupt, which is then removed)."""
        path = self.path(key)
        try:
            with open(path, "rb") as f:
                value = pickle.load(f)
            if not isinstance(value, AnalyzedDocument):
                raise TypeError(f"unexpected {type(value).__name__}")
        except FileNotFoundError:
            self.misses += 1
            return None
        except Exception as err:  # a truncated or foreign file: any unpickling error means "recompute"
            log.warning("cache entry %s is unreadable (%s); recomputing", path, err)
            self.corrupt += 1
            self.misses += 1
            path.unlink(missing_ok=True)
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: AnalyzedDocument) -> None:
        _write_atomically(self.path(key), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def memo(self, stage: str) -> "StageMemo":
        """The memo of corpus-wide stage ``stage``, kept in this cache's folder."""
        memo = StageMemo(Path(self.folder) / "stages" / f"{stage}.pickle")
        self.memos.append(memo)
        return memo

    def summary(self) -> str:
        """One line: hits, documents analysed again (corrupt among them), and any damaged stage memo."""
        line = f"缓存：命中 {self.hits}，重新分析 {self.misses}（其中损坏 {self.corrupt}）"
        damaged = [m.path.stem for m in self.memos if m.corrupt]
        return line + (f"；阶段备忘损坏已重算：{'、'.join(damaged)}" if damaged else "")


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: readers see all of it or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


@dataclass
class StageMemo:
    """One corpus-wide stage's memo: a dict saved at the end of a run and loaded at the start of the next.

    The file is a SHA-256 digest of its body, then the body: a pickle of
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
            digest, body = data[:32], data[32:]
            if hashlib.sha256(body).digest() != digest:
                raise ValueError("digest mismatch")
            version, value = pickle.loads(body)
            if not isinstance(value, dict):
                raise TypeError(f"unexpected {type(value).__name__}")
        except Exception as err:  # truncated, overwritten or foreign: recompute, never fail the build
            log.warning("stage memo %s is unreadable (%s); recomputing", self.path, err)
            self.corrupt += 1
            return {}
        return value if version == ANALYZER_VERSION else {}

    def save(self, value: dict) -> None:
        body = pickle.dumps((ANALYZER_VERSION, value), protocol=pickle.HIGHEST_PROTOCOL)
        _write_atomically(Path(self.path), hashlib.sha256(body).digest() + body)
