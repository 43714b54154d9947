"""Folders written aside and moved into place whole, so that a run that stops midway (an error, Ctrl-C,
SIGKILL) leaves the previous complete set in place, or none, and never a mix of two runs.

A :class:`Staging` folder is made beside its target (the same file system,
so moves are renames) and written like the target. :meth:`Staging.commit`
renames it to a fixed "ready" name — the commit point — then moves each of
its entries into place, the entries they replace aside, and deletes those.
A run killed during those moves leaves the ready folder behind, and the
next run finishes the moves (:func:`recover`) before anything else, so what
is in place is always one run's whole set. Callers hold the folder's lock
(:mod:`analysis.lock`): no two runs stage or commit into one place at once.
"""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from analysis.lock import pid_alive

# In a ready folder: the names its set no longer has, one a line (removed from the parent on commit).
REMOVE = ".gone"


class Staging:
    """A temporary folder beside ``parent`` whose entries replace the entries of ``parent`` of the same
    names on :meth:`commit`; entries named in ``names`` that it lacks are removed then.

    ``label`` names the staged set (``.LABEL.partial-PID``, ``.LABEL.ready``).
    Use as a context manager: leaving the block without committing deletes
    the staging folder and leaves ``parent`` as it was.
    """

    def __init__(self, parent: Path, label: str, names: Iterable[str] = ()):
        self.parent, self.label, self.names = Path(parent), label, tuple(names)
        self.parent.mkdir(parents=True, exist_ok=True)
        recover(self.parent, label)
        self.path = self.parent / f".{label}.partial-{os.getpid()}"
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir()
        self.committed = False

    def commit(self) -> None:
        """Move the staged entries into place (see the module's description)."""
        # what the set no longer has is listed in it, so that a finish after a crash removes exactly that
        gone = [n for n in self.names if not (self.path / n).exists()]
        (self.path / REMOVE).write_text("\n".join(gone), encoding="utf-8")
        os.rename(self.path, _ready(self.parent, self.label))
        self.committed = True
        _finish(self.parent, self.label)

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, *exc) -> None:
        if not self.committed:
            shutil.rmtree(self.path, ignore_errors=True)


@contextmanager
def replaced_whole(path: Path) -> Iterator[Path]:
    """A private path beside ``path`` to write the new file to; when the block ends without error it
    replaces ``path`` by a rename, so a reader sees the old file or the new one, never half of one.
    The private file is removed whatever happens."""
    private = Path(path).with_name(f".{Path(path).name}.partial-{os.getpid()}")
    try:
        yield private
        os.replace(private, path)
    finally:
        private.unlink(missing_ok=True)


def recover(parent: Path, label: str) -> None:
    """Finish a commit into ``parent`` that a killed run left halfway, and delete what dead runs left
    staged. Runs of live processes keep their staging folders."""
    parent = Path(parent)
    if not parent.is_dir():
        return
    _finish(parent, label)
    for partial in parent.glob(f".{label}.partial-*"):
        pid = partial.name.rsplit("-", 1)[1]
        if not pid.isdigit() or int(pid) == os.getpid() or not pid_alive(int(pid)):
            shutil.rmtree(partial, ignore_errors=True)


def _ready(parent: Path, label: str) -> Path:
    return parent / f".{label}.ready"


def _finish(parent: Path, label: str) -> None:
    """Move the entries of the ready folder into ``parent``, the ones they replace (and those it lists as
    gone) aside, then delete those. Safe to run again after it was stopped at any point."""
    ready, old = _ready(parent, label), parent / f".{label}.old"
    if ready.is_dir():
        old.mkdir(exist_ok=True)
        listed = ready / REMOVE
        gone = listed.read_text(encoding="utf-8").split("\n") if listed.exists() else []
        for name in [n for n in gone if n] + sorted(p.name for p in ready.iterdir() if p != listed):
            target, new = parent / name, ready / name
            if target.exists() or target.is_symlink():
                _remove(old / name)
                os.rename(target, old / name)
            if new.exists():
                os.rename(new, target)
        listed.unlink(missing_ok=True)
        ready.rmdir()
    if old.exists():
        shutil.rmtree(old)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
