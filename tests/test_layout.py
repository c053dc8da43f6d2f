"""The house's rules: modules stay small, and no module-level import cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "insightmap"
MAX_LINES = 400


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_module_is_over_400_lines() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text("utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"split these by job: {long}"


def test_no_module_level_import_cycle() -> None:
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph = nx.DiGraph()
    for name, path in modules.items():
        graph.add_node(name)
        for node in ast.parse(path.read_text("utf-8")).body:  # module level only: lazy imports are fine
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            # Importing a.b.c runs the __init__ of a.b too: a package that imports its own
            # modules would tie every importer of one of them to all of them.
            parents = {t.rsplit(".", i)[0] for t in targets for i in range(1, t.count(".") + 1)}
            for target in {*targets, *parents}:
                # A module importing its own package's other modules passes through the package's
                # __init__: that is how packages work, not a design cycle.
                if target in modules and target != name and not name.startswith(target + "."):
                    graph.add_edge(name, target)
    cycles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert not cycles, f"import cycles: {cycles}"
