"""The house's rules: imports point down only, no circle, no private name borrowed across modules.

Every import counts, including those inside functions and under ``TYPE_CHECKING``: a circle that
only shows at run time or only to the type checker is still a circle to the reader.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

LIB = Path(__file__).resolve().parents[1] / "lib"
PACKAGE = LIB / "patternfit"

# Layers from the bottom up; a module may import its own layer or lower ones only.
LAYERS = [
    {"errors", "settings", "io"},
    {"model"},
    {"engine"},
    {"records", "estate", "workshop", "flows", "room", "api"},
    {"charts"},
    {"apps"},
    {"cli"},
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(LIB).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path, known: set[str]) -> list[tuple[str, tuple[str, ...], int]]:
    """(module imported, names taken from it, line) for every import in the file."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(a.name, (), node.lineno) for a in node.names if a.name.startswith("patternfit")]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if not base.startswith("patternfit"):
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if sub in known:  # `from patternfit.engine import kernel` imports a module
                    found.append((sub, (), node.lineno))
                else:
                    found.append((base, (alias.name,), node.lineno))
    return found


def graph() -> nx.DiGraph:
    found = modules()
    g = nx.DiGraph()
    for name, path in found.items():
        g.add_node(name)
        for target, _names, line in imports(path, set(found)):
            if target in found and target != name:
                g.add_edge(name, target, line=line)
    return g


def room(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "patternfit"


def layer(name: str) -> int:
    r = room(name)
    return next((i for i, rooms in enumerate(LAYERS) if r in rooms), len(LAYERS))


def test_every_module_is_in_a_known_room():
    strays = [m for m in modules() if layer(m) == len(LAYERS) and m not in ("patternfit", "patternfit.data")]
    assert not strays, f"modules outside the layered rooms: {strays}"


def test_no_import_circle():
    g = graph()
    # The package's own __init__ is the public surface: it imports downwards from the top.
    g.remove_node("patternfit")
    cycles = list(nx.simple_cycles(g))
    assert not cycles, "import circles:\n" + "\n".join(" → ".join([*c, c[0]]) for c in cycles[:10])


def test_imports_point_down():
    g = graph()
    upward = [
        f"{a} (line {d['line']}) imports {b}"
        for a, b, d in g.edges(data=True)
        if a != "patternfit" and b != "patternfit" and layer(b) > layer(a)
    ]
    assert not upward, "imports pointing up:\n" + "\n".join(upward)


def test_no_private_name_is_borrowed():
    found = modules()
    borrowed = [
        f"{module_name(path)}:{line} takes {target}.{n}"
        for path in found.values()
        for target, names, line in imports(path, set(found))
        for n in names
        if n.startswith("_") and target != module_name(path)
    ]
    assert not borrowed, "private names imported across modules:\n" + "\n".join(borrowed)


@pytest.mark.parametrize("rule", ["circle", "upward"])
def test_the_checker_finds_what_it_looks_for(tmp_path, rule, monkeypatch):
    """The rules above would catch a violation: a planted one is found."""
    pkg = tmp_path / "patternfit"
    (pkg / "engine").mkdir(parents=True)
    (pkg / "apps").mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "engine" / "__init__.py").write_text("")
    (pkg / "apps" / "__init__.py").write_text("")
    (pkg / "engine" / "a.py").write_text("def f():\n    from patternfit.apps import b\n")
    (pkg / "apps" / "b.py").write_text("from patternfit.engine.a import f\n" if rule == "circle" else "x = 1\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["x"]), "LIB", tmp_path)
    monkeypatch.setattr(__import__(__name__, fromlist=["x"]), "PACKAGE", pkg)
    with pytest.raises(AssertionError):
        test_no_import_circle() if rule == "circle" else test_imports_point_down()
