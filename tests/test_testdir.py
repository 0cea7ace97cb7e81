"""tests/ mirrors lib/: every library module has a test module of its own that imports it.

A module `lib/patternfit/<pkg>/<mod>.py` is tested by a `test_*.py` under `tests/<pkg>/` (a module
at the package's top, `lib/patternfit/<mod>.py`, by one directly in `tests/`) that imports it by its
full name: ``from patternfit.<pkg>.<mod> import …``, ``import patternfit.<pkg>.<mod>`` or
``from patternfit.<pkg> import <mod>``. A package's ``__init__.py`` is its face, tested through the
modules it lists. Every exception is in EXCEPTIONS with its reason; an exception whose module now
has a test, or no longer exists, fails too, so the list stays true (scikit-criteria's check-testdir).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIB = ROOT / "lib"
TESTS = ROOT / "tests"


# module (without the leading `patternfit.`) → why it has no test module of its own
EXCEPTIONS: dict[str, str] = {
    "cli.__main__": "two lines calling main; tests/cli/test_model_folder.py runs `python -m patternfit.cli`",
}


def library_modules(lib: Path = LIB) -> dict[str, Path]:
    """Every module of the package but its `__init__`s, by dotted name without `patternfit.`."""
    found = {}
    for path in sorted((lib / "patternfit").rglob("*.py")):
        if path.name != "__init__.py":
            found[".".join(path.relative_to(lib / "patternfit").with_suffix("").parts)] = path
    return found


def imported(path: Path) -> set[str]:
    """Every dotted name a test file imports, `from a.b import c` counted as both `a.b` and `a.b.c`."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
    return names


def candidates(module: str, tests: Path = TESTS) -> list[Path]:
    """The test files that may test `module`: under tests/<pkg>/, or tests/ itself for a top module."""
    parts = module.split(".")
    return sorted(tests.glob("test_*.py")) if len(parts) == 1 else sorted((tests / parts[0]).rglob("test_*.py"))


def untested(lib: Path = LIB, tests: Path = TESTS) -> list[str]:
    """The modules no test file of their folder imports."""
    cache: dict[Path, set[str]] = {}
    missing = []
    for module in library_modules(lib):
        full = f"patternfit.{module}"
        files = candidates(module, tests)
        for f in files:
            if f not in cache:
                cache[f] = imported(f)
        if not any(full in cache[f] for f in files):
            missing.append(module)
    return missing


def check(lib: Path, tests: Path, exceptions: dict[str, str]) -> list[str]:
    """Every way the rule is broken, one line each (empty when tests/ mirrors lib/)."""
    modules = library_modules(lib)
    missing = set(untested(lib, tests))
    problems = [
        f"lib/patternfit/{modules[m].relative_to(lib / 'patternfit')}: no test module under "
        f"tests/{m.split('.')[0] if '.' in m else ''} imports patternfit.{m} — add one, "
        "or list it in EXCEPTIONS with a reason"
        for m in sorted(missing - set(exceptions))
    ]
    problems += [
        f"EXCEPTIONS[{m!r}]: the module no longer exists — remove the entry" for m in exceptions if m not in modules
    ]
    problems += [
        f"EXCEPTIONS[{m!r}]: the module has a test module now — remove the entry"
        for m in exceptions
        if m in modules and m not in missing
    ]
    problems += [f"EXCEPTIONS[{m!r}]: give the reason" for m, why in exceptions.items() if not why.strip()]
    return problems


def test_every_module_has_a_test_module_of_its_own():
    """Each library module is imported by a test of its folder, or listed with its reason."""
    problems = check(LIB, TESTS, EXCEPTIONS)
    assert not problems, "tests/ does not mirror lib/:\n" + "\n".join(problems)


@pytest.mark.parametrize("case", ["untested", "stale", "gone", "three_forms"])
def test_the_check_finds_what_it_looks_for(tmp_path: Path, case: str):
    """A planted module without a test, a stale exception and a vanished one are each reported."""
    lib, tests = tmp_path / "lib", tmp_path / "tests"
    (lib / "patternfit" / "flows").mkdir(parents=True)
    (tests / "flows").mkdir(parents=True)
    for name in ("graph", "file", "diagram"):
        (lib / "patternfit" / "flows" / f"{name}.py").write_text("")
    (lib / "patternfit" / "api.py").write_text("")
    (tests / "test_api.py").write_text("def f():\n    from patternfit.api import assess\n")
    forms = "import patternfit.flows.graph\nfrom patternfit.flows import file\nfrom patternfit.flows.diagram import x\n"
    (tests / "flows" / "test_flows.py").write_text(
        forms if case == "three_forms" else "import patternfit.flows.graph\n"
    )
    if case == "three_forms":
        assert check(lib, tests, {}) == []
    elif case == "untested":
        problems = check(lib, tests, {"flows.diagram": "why"})
        assert len(problems) == 1 and "flows/file.py: no test module under tests/flows" in problems[0]
    elif case == "stale":
        problems = check(lib, tests, {"flows.file": "a", "flows.diagram": "b", "flows.graph": "c"})
        assert problems == ["EXCEPTIONS['flows.graph']: the module has a test module now — remove the entry"]
    else:
        problems = check(lib, tests, {"flows.file": "a", "flows.diagram": "b", "flows.gone": "c"})
        assert problems == ["EXCEPTIONS['flows.gone']: the module no longer exists — remove the entry"]
