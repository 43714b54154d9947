"""Slogan (提法) and parallel-structure analysis of Chinese official texts.

Stages, one module each, data flowing one way:

    corpus → clean → structure → segment ─┬─ slogans ──┐
                                          └─ parallel ─┴─ tables → pages + charts → mkdocs build

Every span the package reports is ``(doc_id, start, end)`` in characters of the
document's decoded raw text, end exclusive.
"""

import hashlib as _hashlib
from pathlib import Path as _Path

__version__ = "0.2.0"


def _code_digest() -> str:
    """Digest of this package's source and data (fitted models, settings files): any change
    to them invalidates cached per-document results."""
    root = _Path(__file__).parent
    h = _hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".json", ".yaml")):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


# Keys the analysis cache (with the settings and the document): the release plus the code it ran.
ANALYZER_VERSION = f"{__version__}+{_code_digest()}"
