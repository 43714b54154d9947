"""How the modules depend on each other: the command line is imported by nobody, pages read tables (not the
analysis), no module reaches for another's private names, and modules and functions stay small."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "analysis"
PAGE_MODULES = ("pages", "page_kit", "fragments", "slogan_pages", "pattern_pages", "compare_page", "charts")
# what a page may read: the tables, their schema, the names both sides share, and the other page helpers
PAGE_IMPORTS = {"analysis.tables", "analysis.schema", "analysis.names", "analysis.escape", "analysis.reading",
                *(f"analysis.{m}" for m in PAGE_MODULES)}


def imports(path: Path) -> list[tuple[str, list[str]]]:
    """``(module, names)`` for every ``import`` and ``from … import`` of an ``analysis`` module in ``path``."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "analysis":
            if node.module == "analysis":   # from analysis import schema
                out += [(f"analysis.{a.name}", []) for a in node.names]
            else:
                out.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names if a.name.split(".")[0] == "analysis"]
    return out


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_only_main_imports_the_command_line():
    importers = sorted(p.relative_to(PACKAGE).as_posix() for p in modules()
                       if any(m == "analysis.cli" for m, _ in imports(p)))
    assert importers == ["__main__.py"]


@pytest.mark.parametrize("name", PAGE_MODULES)
def test_page_modules_import_only_tables_schema_and_page_helpers(name):
    reached = {m for m, _ in imports(PACKAGE / f"{name}.py")}
    assert reached - PAGE_IMPORTS == set()


def test_no_module_imports_a_private_name_of_another():
    private = [(p.relative_to(PACKAGE).as_posix(), m, n) for p in modules() for m, names in imports(p)
               for n in names if n.startswith("_")]
    assert private == []


def test_modules_and_functions_stay_small():
    long_files, long_functions = [], []
    for p in modules():
        text = p.read_text(encoding="utf-8")
        if len(text.splitlines()) > 500:
            long_files.append(p.name)
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 60:
                long_functions.append(f"{p.name}:{node.name}")
    assert (long_files, long_functions) == ([], [])
