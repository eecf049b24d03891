"""The house's shape, kept (issue 14): rooms a newcomer can hold in their head.

- No module of ``hub``, ``api`` or ``workers`` (migrations aside) is over
  ``MODULE_LINES`` lines, and no function over ``FUNCTION_LINES``, except the
  few listed in ``LONG_FUNCTIONS`` with the reason each is kept whole.
- No function imports the project's own modules (a local import is how a
  layer gets dodged; ``lint-imports`` checks the layers themselves), except
  an ``AppConfig.ready()``, where Django wants registrations made.
- No string lookup of another app's code (``apps.get_model``,
  ``importlib.import_module``): it hides a dependency from the layer check.

Run as a script to print the counts: ``.venv/bin/python tests/test_shape.py``.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("hub", "api", "workers")
MODULE_LINES = 400
FUNCTION_LINES = 60

# "path:function" → why it stays longer than FUNCTION_LINES.
LONG_FUNCTIONS: dict[str, str] = {}

STRING_LOOKUPS = ("get_model", "import_module", "import_string")


def _modules() -> list[Path]:
    return sorted(
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    )


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _is_project(node: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").split(".")[0] in PACKAGES
    return any(alias.name.split(".")[0] in PACKAGES for alias in node.names)


def measure() -> dict[str, list[str]]:
    """Every module, function, local import and string lookup out of shape."""
    found: dict[str, list[str]] = {
        "modules": [],
        "functions": [],
        "local_imports": [],
        "string_lookups": [],
    }
    for path in _modules():
        source = path.read_text()
        lines = source.count("\n")
        if lines > MODULE_LINES:
            found["modules"].append(f"{_name(path)} ({lines} lines)")
        tree = ast.parse(source, filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in STRING_LOOKUPS:
                found["string_lookups"].append(
                    f"{_name(path)}:{node.lineno} {node.attr}"
                )
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            key = f"{_name(path)}:{node.name}"
            if length > FUNCTION_LINES and key not in LONG_FUNCTIONS:
                found["functions"].append(f"{key} ({length} lines)")
            if node.name == "ready" and path.name == "apps.py":
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom) and _is_project(
                    inner
                ):
                    found["local_imports"].append(f"{_name(path)}:{inner.lineno}")
    return found


def test_no_module_is_too_long_to_hold():
    assert measure()["modules"] == []


def test_no_function_is_too_long_to_hold():
    assert measure()["functions"] == []


def test_the_long_functions_kept_whole_still_exist():
    functions = {
        f"{_name(path)}:{node.name}"
        for path in _modules()
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    assert set(LONG_FUNCTIONS) <= functions


def test_no_function_imports_the_project():
    assert measure()["local_imports"] == []


def test_no_code_is_looked_up_by_string():
    assert measure()["string_lookups"] == []


if __name__ == "__main__":
    report = measure()
    for kind, items in report.items():
        print(f"{kind}: {len(items)}")
        for item in items:
            print(f"  {item}")
    sys.exit(1 if any(report.values()) else 0)
