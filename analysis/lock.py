"""One run at a time per folder: a lock file in the folder names the run that holds it.

Two builds writing the same build or docs folder at once would swap tables
and pages under each other's feet. So a run first creates ``FOLDER/.analysis.lock``,
holding its pid, host, start time and command; a second run finds it and
stops with one line (:class:`analysis.errors.EnvironmentFault`, exit code 2)
naming that run. A lock left by a run that died (its pid no longer exists on
this host) is taken over with a note on stderr.

The file is written whole under a private name and then hard-linked to the
lock's name: the link fails if the lock exists, and a reader never sees a
half-written lock.
"""
from __future__ import annotations

import json
import os
import shlex
import socket
import sys
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Optional

from analysis.errors import EnvironmentFault

LOCK_NAME = ".analysis.lock"

# Locks this process holds, with how many times it took each: a run may take a folder's lock again
# (the build command's site stage inside its analysis stage, say) without locking itself out.
_held: dict[Path, int] = {}


@dataclass(frozen=True)
class Holder:
    """The run named in a lock file."""

    pid: int
    host: str
    started: str
    command: str

    @classmethod
    def me(cls, command: Optional[str] = None) -> "Holder":
        return cls(os.getpid(), socket.gethostname(), datetime.now(timezone.utc).isoformat(timespec="seconds"),
                   command or _command_line())

    def describe(self) -> str:
        command = " ".join(self.command.split())   # one line, whatever the command held
        return f"pid {self.pid} on {self.host}, started {self.started}, command `{command}`"

    def is_gone(self) -> bool:
        """True if this run's process no longer exists (only known for a run on this host). A lock naming
        this very process, which it does not hold, was left by an earlier process given the same pid
        (as happens in containers)."""
        return self.host == socket.gethostname() and (self.pid == os.getpid() or not pid_alive(self.pid))


def _command_line() -> str:
    """This process's command, as the user typed it (``python -m analysis …`` rather than the path of
    ``__main__.py`` that Python puts in ``sys.argv[0]``)."""
    argv = list(sys.argv)
    if argv and Path(argv[0]).name == "__main__.py":
        argv[0] = f"python -m {Path(argv[0]).parent.name}"
        return " ".join([argv[0], shlex.join(argv[1:])])
    return shlex.join(argv)


def pid_alive(pid: int) -> bool:
    """Whether a process ``pid`` exists on this host (True when that cannot be told)."""
    if os.name == "nt":    # os.kill(pid, 0) would send Ctrl-C there; the user removes a stale lock by hand
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:        # it exists but belongs to someone else
        return True
    return True


def read_holder(path: Path) -> Optional[Holder]:
    """The run named in lock file ``path``; None if there is no such file. A lock file that cannot be
    read as one names an unknown run, which is never taken for stale."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        data = json.loads(text)
        return Holder(int(data["pid"]), str(data["host"]), str(data["started"]), str(data["command"]))
    except (ValueError, KeyError, TypeError):
        return Holder(0, "?", "?", "unknown (the lock file is not one this program wrote)")


@contextmanager
def hold(*folders: Path, command: Optional[str] = None) -> Iterator[None]:
    """Hold the lock of each of ``folders`` (created if missing) while the block runs.

    Raises :class:`EnvironmentFault` if another live run holds one of them.
    """
    taken: list[Path] = []
    try:
        for folder in folders:
            taken.append(acquire(Path(folder), command))
        yield
    finally:
        for path in reversed(taken):
            release(path)


def acquire(folder: Path, command: Optional[str] = None) -> Path:
    """Take the lock of ``folder`` for this process; return the lock file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = (folder / LOCK_NAME).resolve()
    if path in _held:
        _held[path] += 1
        return path
    me = Holder.me(command)
    for _ in range(5):   # each round either takes the lock or finds it changed hands meanwhile
        if _create(path, me):
            _held[path] = 1
            return path
        other = read_holder(path)
        if other is None:
            continue   # released between our attempt and our look
        if not other.is_gone():
            raise EnvironmentFault(
                f"{folder} is in use by another build ({other.describe()}; lock file {path}): wait for it to "
                f"finish, or, if that process is gone, remove {path}")
        if _take_over(path, other):
            print(f"note: took over the stale lock {path} of a build that is no longer running "
                  f"({other.describe()})", file=sys.stderr)
    raise EnvironmentFault(f"could not take the lock {path}: other builds keep taking it; try again")


def release(path: Path) -> None:
    """Give back a lock taken by :func:`acquire`; the file goes when the last taking is given back."""
    _held[path] -= 1
    if _held[path]:
        return
    del _held[path]
    holder = read_holder(path)
    if holder is not None and (holder.pid, holder.host) == (os.getpid(), socket.gethostname()):
        path.unlink(missing_ok=True)


def _create(path: Path, me: Holder) -> bool:
    """Create lock file ``path`` naming ``me``, unless it exists; return whether it was created."""
    text = json.dumps(asdict(me), ensure_ascii=False)
    private = path.with_name(f"{path.name}.{me.pid}")
    private.write_text(text, encoding="utf-8")
    try:
        os.link(private, path)
        return True
    except FileExistsError:
        return False
    except OSError:        # a file system without hard links: create it exclusively, then fill it
        return _create_exclusive(path, text)
    finally:
        private.unlink(missing_ok=True)


def _create_exclusive(path: Path, text: str) -> bool:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    return True


def _take_over(path: Path, stale: Holder) -> bool:
    """Remove lock file ``path`` if it still names ``stale``; return whether it did.

    The file is first renamed away (only one run can do that to it): if it
    turns out to be another run's fresh lock, it is put back.
    """
    aside = path.with_name(f"{path.name}.stale-{os.getpid()}")
    try:
        os.rename(path, aside)
    except FileNotFoundError:
        return False
    try:
        if read_holder(aside) == stale:
            return True
        try:
            os.link(aside, path)
        except FileExistsError:
            pass
        return False
    finally:
        aside.unlink(missing_ok=True)
