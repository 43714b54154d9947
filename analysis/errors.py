"""Errors a command reports to the user, and the exit codes the command line turns them into.

Kept apart from :mod:`analysis.cli` so that the analysis can raise them
without importing the command line.
"""
from __future__ import annotations

import os
from pathlib import Path

EXIT_OK, EXIT_STRICT, EXIT_USAGE, EXIT_SITE = 0, 1, 2, 3

EXIT_CODES = """exit codes:
  0  success
  1  some inputs were skipped (listed in the build report) and --strict was given
  2  the command could not run (bad arguments, missing corpus, unreadable lexicon, a file system,
     cluster or concurrent-build problem)
  3  mkdocs build failed
"""


class UsageError(Exception):
    """The command cannot run as asked; the message says what to change."""


class GroupError(ValueError):
    """A group spec does not select anything usable; the message says why."""


class EnvironmentFault(UsageError):
    """The machine, not the input, stops the command: a read-only or full disk, a path that is a file
    where a folder is needed, an unreachable cluster, another build holding the same folders.
    Reported as one line with exit code 2, like a usage error."""


# What a user can do about the machine's errors, by errno name (the rest get only the system's words).
_OS_ERROR_ADVICE = {
    "EACCES": "check the folder's permissions, or choose another folder",
    "EPERM": "check the folder's permissions, or choose another folder",
    "EROFS": "the file system is read-only: choose a writable folder",
    "ENOSPC": "the disk is full: free some space, or choose a folder on another disk",
    "EDQUOT": "the disk quota is used up: free some space, or choose a folder on another disk",
    "ENOTDIR": "a part of this path is a file where a folder is needed: remove it or choose another path",
    "EEXIST": "a file is in the way of a folder: remove it or choose another path",
    "EISDIR": "a folder is where a file is needed: remove it or choose another path",
    "EMFILE": "too many open files: raise the limit (ulimit -n)",
}


def os_error_line(err: OSError, where: Path | None = None) -> str:
    """One line for an error of the machine: what happened, the errno's name, the path, what to do.

    ``where`` is named instead when the error carries no path (pyarrow's write errors do not).
    """
    import errno
    name = errno.errorcode.get(err.errno or 0, "")
    what = err.strerror or str(err) or type(err).__name__
    paths = " -> ".join(str(p) for p in (err.filename, err.filename2) if p is not None)
    place = paths or (f"while writing under {where}" if where is not None else "")
    advice = _OS_ERROR_ADVICE.get(name, "")
    line = f"{what}{f' [{name}]' if name else ''}{f': {place}' if place else ''}{f'; {advice}' if advice else ''}"
    return one_line(line)


def one_line(text: str) -> str:
    """``text`` with its line breaks folded into spaces: an error is reported as a single line."""
    return " ".join(part.strip() for part in str(text).splitlines() if part.strip())


def check_folder(path: Path, option: str) -> None:
    """Raise :class:`EnvironmentFault` if the command could not create or write in folder ``path``.

    Run before the long work, so that a build or cache path that is a file, or a folder on a read-only
    disk, is named at once rather than after the analysis. Nothing is created.
    """
    path = Path(path)
    probe = path
    # exists() is false below a file too (ENOTDIR), so the walk up stops at the file in the way
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        what = "is a file" if probe == path else f"cannot be made: {probe} is a file"
        raise EnvironmentFault(f"{option} {path} {what}, not a folder; remove it or choose another {option}")
    if probe.exists() and not os.access(probe, os.W_OK | os.X_OK):
        raise EnvironmentFault(f"{option} {path}: cannot write in {probe} (read-only or not permitted); "
                               f"make it writable or choose another {option}")
