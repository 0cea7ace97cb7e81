"""The project's own promises: two commands, one dependency list, clean notebooks."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _constraints() -> dict[str, str]:
    lines = (ROOT / "constraints.txt").read_text().splitlines()
    return {_name(x): x.split("==", 1)[1].strip() for x in lines if "==" in x and not x.startswith("#")}


def test_environment_yml_names_the_same_dependencies():
    """environment.yml (conda) lists the core, dashboard and test packages, each at the version
    constraints.txt tested."""
    project = _pyproject()
    extras = project["optional-dependencies"]
    wanted = {_name(r) for r in [*project["dependencies"], *extras["dashboards"], *extras["test"]]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    conda_side = {_name(d): d.replace(" ", "") for d in conda if _name(d) not in ("python", "pip", "nodejs")}
    assert set(conda_side) == wanted
    pins = _constraints()
    for name, requirement in conda_side.items():
        assert requirement.lower() == f"{name}=={pins[name]}".lower(), name
    assert {"pip": ["-e .[dashboards]"]} in env["dependencies"]


def test_library_ranges_are_compatible_and_the_tested_set_is_exact():
    """pyproject.toml carries ranges (no `==` in the library's own dependencies); constraints.txt
    pins every one of them, the Jupyter stack included, to the set tested together."""
    project = _pyproject()
    extras = project["optional-dependencies"]
    everything = [*project["dependencies"], *extras["dashboards"], *extras["test"]]
    assert not [r for r in everything if "==" in r]
    pins = _constraints()
    assert {_name(r) for r in everything} <= set(pins)
    for package in ("jupyterlab", "ipywidgets", "pandas", "plotly", "voila", "anywidget"):
        assert package in pins, package


def test_the_core_install_brings_no_jupyter_package():
    """The engine, records, CLI and estate install without the dashboards' stack."""
    core = {_name(r) for r in _pyproject()["dependencies"]}
    assert not core & {"voila", "jupyterlab", "ipywidgets", "plotly", "anywidget", "ipykernel", "notebook"}


def test_ci_runs_the_readme_test_command():
    """.ci/run calls `make test`, the command the README shows."""
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make dashboard" in readme


def test_notebooks_are_committed_clean():
    """Notebooks carry no outputs, execution counts or widget state."""
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text())
        assert "widgets" not in nb.get("metadata", {}), path
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell.get("outputs") == [] and cell.get("execution_count") is None, path


def test_lib_is_not_ignored():
    """GitHub's stock Python .gitignore ignores lib/; ours must not."""
    ignored = (ROOT / ".gitignore").read_text().split()
    assert "lib/" not in ignored and "lib" not in ignored
