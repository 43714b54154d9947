"""Errors a command reports to the user, and the exit codes the command line turns them into.

Kept apart from :mod:`analysis.cli` so that the analysis can raise them
without importing the command line.
"""
from __future__ import annotations

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
