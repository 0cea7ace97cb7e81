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


def test_environment_yml_names_the_same_dependencies():
    """environment.yml (conda) and pyproject.toml list the same packages and pins."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_side = {
        _name(r): r.replace(" ", "") for r in [*project["dependencies"], *project["optional-dependencies"]["test"]]
    }
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    conda_side = {_name(d): d.replace(" ", "") for d in conda if _name(d) not in ("python", "pip", "nodejs")}
    assert set(pip_side) == set(conda_side)
    for name, requirement in pip_side.items():
        assert requirement.lower().replace("_", "-") == conda_side[name].lower().replace("_", "-"), name
    assert {"pip": ["-e ."]} in env["dependencies"]


def test_jupyter_stack_is_pinned_with_anywidget():
    """The Jupyter stack is pinned, and anywidget is declared (plotly's FigureWidget needs it)."""
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pins = {_name(d): d for d in deps}
    for package in ("jupyterlab", "ipywidgets", "pandas", "plotly", "voila", "anywidget"):
        assert "==" in pins[package], package


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
