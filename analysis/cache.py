"""Per-document cache: results keyed by content, settings, lexicon and analyzer version.

Every per-document result is a pure function of those inputs, so a hit can
stand in for the work. Entries are pickles written atomically (temporary
file, then rename). A corrupt or unreadable entry is removed and recomputed;
it never stops a build.
"""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from dataclasses import dataclass
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


@dataclass
class DocumentCache:
    """A folder of cached per-document results; ``hits``/``misses``/``corrupt`` count this run."""

    folder: Path
    hits: int = 0
    misses: int = 0
    corrupt: int = 0

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
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)

    def summary(self) -> str:
        return f"缓存：命中 {self.hits}，重新分析 {self.misses}（其中损坏 {self.corrupt}）"
