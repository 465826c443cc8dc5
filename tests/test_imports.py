"""The house's imports: no cycle among graph/'s modules, no private name imported from another module."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
CODE = ("graph", "pipelines", "dashboards", "tools", "tests")


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, root: Path = ROOT) -> list[tuple[str, str]]:
    """``(module, name)`` for every import in a file (name "" for ``import x``), relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = module_name(path, root).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    out = []
    for node in ast.walk(tree):  # imports inside functions count: a lazy import still closes a cycle
        if isinstance(node, ast.Import):
            out += [(a.name, "") for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            module = ".".join(x for x in (base, node.module or "") if x)
            out += [(module, a.name) for a in node.names]
    return out


def import_graph(package: str, root: Path = ROOT) -> nx.DiGraph:
    """Modules of a package, an arc from each to every module of the package it imports."""
    files = {module_name(p, root): p for p in sorted((root / package).rglob("*.py"))}
    g = nx.DiGraph()
    g.add_nodes_from(files)
    for mod, path in files.items():
        for target, name in imported(path, root):
            sub = f"{target}.{name}" if name else target
            dest = sub if sub in files else target  # `from graph.sources import batch` is the module batch
            if dest in files and dest != mod:
                g.add_edge(mod, dest)
    return g


def private_imports(folders: tuple[str, ...], root: Path = ROOT) -> list[str]:
    """``from graph.x import _name`` written anywhere but in graph.x itself."""
    bad = []
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            mod = module_name(path, root)
            for target, name in imported(path, root):
                if target.startswith("graph") and name.startswith("_") and not name.startswith("__") and target != mod:
                    bad.append(f"{path.relative_to(root)} imports {name} from {target}")
    return bad


def test_no_import_cycle_in_graph() -> None:
    g = import_graph("graph")
    assert g.number_of_edges() > 20  # the walk sees the house's imports
    assert list(nx.simple_cycles(g)) == []


def test_no_private_name_imported_across_modules() -> None:
    assert private_imports(CODE) == []


def test_the_checks_catch_a_cycle_and_a_private_import(tmp_path: Path) -> None:
    pkg = tmp_path / "graph" / "sources"
    pkg.mkdir(parents=True)
    (tmp_path / "graph" / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from graph.sources.b import _helper\n")
    (pkg / "b.py").write_text("from . import a\n\n_helper = a\n")
    cycles = list(nx.simple_cycles(import_graph("graph", tmp_path)))
    assert sorted(map(sorted, cycles)) == [["graph.sources.a", "graph.sources.b"]]
    assert private_imports(("graph",), tmp_path) == ["graph/sources/a.py imports _helper from graph.sources.b"]
