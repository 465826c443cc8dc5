"""Arrows point at graph/: graph imports no Prefect, Dash, Typer or Rich; dashboards never open a store driver."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN_IN_GRAPH = {"prefect", "dash", "typer", "rich", "pipelines", "dashboards", "plotly.graph_objects"}
FORBIDDEN_IN_DASHBOARDS = {"neo4j", "sqlite3", "graph.store.neo4j_store", "graph.store.sqlite_store"}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


def offenders(folder: str, forbidden: set[str]) -> list[str]:
    bad = []
    for py in sorted((ROOT / folder).rglob("*.py")):
        for mod in imports(py):
            if any(mod == f or mod.startswith(f + ".") for f in forbidden):
                bad.append(f"{py.relative_to(ROOT)} imports {mod}")
    return bad


def test_graph_imports_no_orchestration_or_ui() -> None:
    assert offenders("graph", FORBIDDEN_IN_GRAPH) == []


def test_dashboards_read_through_graph_only() -> None:
    assert offenders("dashboards", FORBIDDEN_IN_DASHBOARDS) == []


def test_the_check_itself_catches_a_violation(tmp_path: Path) -> None:
    f = tmp_path / "x.py"
    f.write_text("from prefect import flow\nimport dash\n")
    assert imports(f) == {"prefect", "dash"}
