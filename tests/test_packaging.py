"""The wheel works anywhere: it carries the model, installs without Jupyter, and runs the CLI.

Built from this checkout, installed into a fresh virtual environment with no extras, then run from
an empty folder, so nothing of the checkout (data/, lib/) can stand in for what the wheel lacks.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
JUPYTER = (
    "ipywidgets", "voila", "jupyterlab", "plotly", "anywidget", "ipykernel", "IPython", "jupyter_core", "traitlets",
)  # fmt: skip


def test_every_package_folder_is_listed_in_pyproject():
    """setuptools is given the package list explicitly (data/ is mapped in): no folder is left out."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT / "lib").parts) for p in (ROOT / "lib" / "patternfit").rglob("__init__.py")
    }
    assert found | {"patternfit.data"} == listed


@pytest.fixture(scope="module")
def wheel_env(tmp_path_factory) -> Path:
    """A fresh venv with only the built wheel (and its core dependencies, at the tested versions)."""
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    (wheel,) = dist.glob("patternfit-*.whl")
    env = base / "venv"
    venv.create(env, with_pip=True)
    subprocess.run(
        [env / "bin" / "python", "-m", "pip", "install", "--quiet", "-c", str(ROOT / "constraints.txt"), str(wheel)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    return env


@pytest.mark.slow  # builds the wheel and installs it in a fresh venv (~2 min)
def test_the_wheel_carries_the_model_and_the_cli_runs_from_an_empty_folder(wheel_env, tmp_path):
    example = tmp_path / "connection.yaml"
    example.write_text((ROOT / "data" / "examples" / "order-created-fanout.yaml").read_text())
    empty = tmp_path / "empty"
    empty.mkdir()
    run = subprocess.run(
        [wheel_env / "bin" / "patternfit", "assess", str(example), "--format", "json"],
        cwd=empty, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["recommended"] == "events"


@pytest.mark.slow  # shares the wheel build above
def test_assess_from_the_wheel_imports_no_jupyter_module(wheel_env, tmp_path):
    script = (
        "import sys, patternfit\n"
        "from patternfit import settings\n"
        f"a = patternfit.assess({str(ROOT / 'data' / 'examples' / 'checkout-price-lookup.yaml')!r})\n"
        "import patternfit.records, patternfit.estate.review, patternfit.cli\n"
        f"jupyter = sorted(m for m in sys.modules if m.split('.')[0] in {JUPYTER!r})\n"
        "print(a.recommended, settings.data_dir(), jupyter)\n"
    )
    run = subprocess.run(
        [wheel_env / "bin" / "python", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    recommended, data_dir, jupyter = run.stdout.split(" ", 2)
    assert recommended == "api"
    assert "site-packages" in data_dir  # the model came from the wheel, not the checkout
    assert jupyter.strip() == "[]"


@pytest.mark.slow  # shares the wheel build above
def test_the_dashboards_without_the_extra_say_what_to_install(wheel_env, tmp_path):
    run = subprocess.run(
        [wheel_env / "bin" / "python", "-c", "import patternfit.apps.decide"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode != 0
    assert "patternfit[dashboards]" in run.stderr
