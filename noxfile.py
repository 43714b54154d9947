"""Developer sessions: ``nox -s tests``, ``nox -s build``, ``nox -s eval``, ``nox -s bench``.

Each session installs the project into its own virtual environment from
pyproject.toml, so a fresh machine needs only Python and nox. Browser tests
also need Debian's chromium and a CJK font (``.ci/run`` installs both).
"""
import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["tests"]


@nox.session
def tests(session: nox.Session) -> None:
    """Run the whole test suite (browser tests included when chromium is installed)."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def build(session: nox.Session) -> None:
    """Build the site from corpus/ into site/ (pass another corpus: nox -s build -- --corpus PATH)."""
    session.install("-e", ".")
    session.run("python", "-m", "analysis", "build", *session.posargs)


@nox.session
def eval(session: nox.Session) -> None:  # noqa: A001 - the session's name is the command users type
    """Score the parallel-structure detector on the shared gold annotations."""
    session.install("-e", ".")
    session.run("python", "-m", "analysis", "eval", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Speed and scale benchmark on the work reports: prints a table of ratios (not a test)."""
    session.install("-e", ".")
    session.run("python", "benchmarks/bench.py", *session.posargs)
