"""The records know nothing of the reports: no module of ``disclosure`` imports ``reports``.

Every ``import`` and ``from … import`` is read from the source with ``ast`` — inside
functions and classes too, relative imports resolved — together with ``import_module``
and ``__import__`` calls that name a module in a string."""

from __future__ import annotations

import ast
from pathlib import Path

import disclosure

PACKAGE = Path(disclosure.__file__).resolve().parent
FORBIDDEN = "reports"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """Every module the source of ``module`` imports, as absolute names."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = parts[: len(parts) - node.level + 1] if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            if target:
                found.append(target)
            # ``from . import reports`` names a module in the alias
            found.extend(
                ".".join([*base, *filter(None, [node.module]), alias.name]) for alias in node.names
            )
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            argument = node.args[0] if node.args else None
            if name in ("import_module", "__import__") and isinstance(argument, ast.Constant):
                found.append(str(argument.value))
    return found


def imports_of_reports(source: str, module: str, *, is_package: bool = False) -> list[str]:
    return [
        name
        for name in imported_modules(source, module, is_package=is_package)
        if name == FORBIDDEN or name.startswith(f"{FORBIDDEN}.")
    ]


def test_no_module_of_disclosure_imports_reports():
    sources = sorted(PACKAGE.rglob("*.py"))
    assert len(sources) > 60  # the whole package was read, migrations and commands included
    offenders = {
        str(path.relative_to(PACKAGE.parent)): found
        for path in sources
        if (
            found := imports_of_reports(
                path.read_text(encoding="utf-8"),
                _module_name(path),
                is_package=path.name == "__init__.py",
            )
        )
    }
    assert offenders == {}


def test_the_check_finds_every_spelling_of_an_import():
    source = """
import reports.models
from reports import format as fmt
from disclosure.vocab import Result


def later():
    from reports.staleness import published_versions_counting


class Admin:
    def method(self):
        import importlib

        return importlib.import_module("reports.selectors")
"""
    assert imports_of_reports(source, "disclosure.admin.base") == [
        "reports.models",
        "reports",
        "reports.format",
        "reports.staleness",
        "reports.staleness.published_versions_counting",
        "reports.selectors",
    ]


def test_the_check_resolves_relative_imports():
    assert imports_of_reports("from .. import reports", "disclosure.admin.base") == []
    assert imports_of_reports("from ... import reports", "disclosure.admin.base") == ["reports"]
    assert imports_of_reports("from .vocab import Result", "disclosure.access") == []
