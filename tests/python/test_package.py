"""The shape of the Python packages (docs/development.md): no import cycle among the leadscore modules, no
import inside a function of the runtime package, the runtime never importing the development package
(leadscore_dev: generator, benchmarks), every DuckDB connection of the runtime opened by
leadscore.warehouse, and `leadscore calibrate` without its extra one line, not a traceback."""

from __future__ import annotations

import ast
import subprocess
import sys
from graphlib import CycleError, TopologicalSorter
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from leadscore.paths import PROJECT_DIR

SCRIPTS = PROJECT_DIR / "scripts"
RUNTIME, DEV = "leadscore", "leadscore_dev"
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def _modules(package: str) -> dict[str, ast.Module]:
    return {
        f"{package}.{path.stem}" if path.stem != "__init__" else package: ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted((SCRIPTS / package).glob("*.py"))
    }


def _imported(node: ast.Import | ast.ImportFrom, known: set[str]) -> set[str]:
    """The known modules an import statement loads (``from leadscore import discovery`` included)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in known}
    base = node.module or ""
    found = {base} if base in known else set()
    return found | {f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in known}


def import_graph(modules: dict[str, ast.Module]) -> dict[str, set[str]]:
    """Module -> the modules it imports, wherever the import statement is (module level, try, function)."""
    known = set(modules)
    return {
        name: {
            target
            for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)
            for target in _imported(node, known) if target != name
        }
        for name, tree in modules.items()
    }


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as error:
        return list(error.args[1])
    return None


def function_imports(modules: dict[str, ast.Module]) -> list[str]:
    """`module:line` of every import statement inside a function (or lambda)."""
    found = []
    for name, tree in modules.items():
        for scope in ast.walk(tree):
            if isinstance(scope, _FUNCTIONS):
                found += [
                    f"{name}:{node.lineno}" for node in ast.walk(scope) if isinstance(node, ast.Import | ast.ImportFrom)
                ]
    return sorted(set(found))


def _parse(sources: dict[str, str]) -> dict[str, ast.Module]:
    return {name: ast.parse(text) for name, text in sources.items()}


def test_the_checks_see_a_cycle_and_an_import_inside_a_function() -> None:
    # the cycle this package had: build -> load -> erasure -> build, the last import inside a function
    planted = _parse({
        "leadscore.build": "from leadscore.load import ensure_raw_schema\n",
        "leadscore.load": "from leadscore import erasure\n",
        "leadscore.erasure": "def forget():\n    from leadscore.build import build\n",
        "leadscore.errors": "class LeadscoreError(Exception): ...\n",
    })
    graph = import_graph(planted)
    assert graph["leadscore.load"] == {"leadscore.erasure"}
    assert set(cycle(graph) or []) == {"leadscore.build", "leadscore.load", "leadscore.erasure"}
    assert function_imports(planted) == ["leadscore.erasure:2"]
    planted["leadscore.erasure"] = ast.parse("from leadscore.errors import LeadscoreError\n")
    assert cycle(import_graph(planted)) is None
    assert function_imports(planted) == []


def test_no_import_cycle_among_the_leadscore_modules() -> None:
    graph = import_graph({**_modules(RUNTIME), **_modules(DEV)})
    assert len(graph) > 20 and graph["leadscore.cli"], "the modules were not found"
    assert cycle(graph) is None


def test_no_import_inside_a_function_of_the_runtime_package() -> None:
    modules = _modules(RUNTIME)
    assert function_imports(modules) == []
    # the one deferred import, cli.lazy (build, run, forget, calibrate load dbt or scikit-learn when they
    # run), is safe only while no runtime module imports the CLI: then it cannot close a cycle
    deferred = sorted(
        f"{name}:{node.lineno}" for name, tree in modules.items() for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
            "import_module", "__import__")
    )
    assert [place.split(":")[0] for place in deferred] == ["leadscore.cli"], deferred
    assert [name for name, targets in import_graph(modules).items() if "leadscore.cli" in targets] == []


def test_the_runtime_never_imports_the_development_package() -> None:
    graph = import_graph({**_modules(RUNTIME), **_modules(DEV)})
    assert {name: sorted(targets) for name, targets in graph.items()
            if name.startswith(f"{RUNTIME}.") and any(t.startswith(DEV) for t in targets)} == {}
    # it reaches the generator and the bench through entry points, which the installed package declares
    assert {entry.value for entry in entry_points(group="leadscore.commands")} == {"leadscore_dev.commands:register"}
    assert {entry.value for entry in entry_points(group="leadscore.demo_data")} == {"leadscore_dev.generate:generate"}


def test_every_duckdb_connection_of_the_runtime_is_opened_by_the_warehouse_module() -> None:
    opened = [
        f"{name}:{node.lineno}"
        for name, tree in _modules(RUNTIME).items()
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "connect"
        and isinstance(node.value, ast.Name) and node.value.id == "duckdb"
    ]
    assert opened and all(place.startswith("leadscore.warehouse:") for place in opened), opened


@pytest.mark.parametrize("blocked", ["sklearn", "numpy"])
def test_calibrate_without_its_extra_says_what_to_install_in_one_line(tmp_path: Path, blocked: str) -> None:
    # `make run` installs the runtime only: scikit-learn (and numpy with it) may be missing
    code = f"""
import importlib.abc, sys
class Missing(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == {blocked!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
sys.meta_path.insert(0, Missing())
from leadscore.cli import main
sys.exit(main(sys.argv[1:]))
"""
    result = subprocess.run(
        [sys.executable, "-c", code, "calibrate", "--db", str(tmp_path / "warehouse.duckdb")],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("leadscore: error: leadscore calibrate needs scikit-learn")
    assert f"{blocked} is not installed" in lines[0] and "pip install -e '.[calibrate]'" in lines[0]
