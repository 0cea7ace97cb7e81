"""Estate import figure of DESIGN.md: 10,000 relationships (Structurizr JSON / ArchiMate XML) → report ≤ 5 s.

1. Seeded models are generated: a Structurizr workspace of 2,000 software systems with 10,000
   relationships between distinct pairs (technologies from the catalogue and a few it does not
   know, a third with an interactionStyle), and an ArchiMate exchange file of 2,000 application
   components with 10,000 Flow / Triggering / Serving relationships (a property on some).
2. End to end: a child process runs `patternfit estate MODEL --out report.html` (interpreter start,
   model load, parse, import, technologies, validate, score, findings, map layout, page) and
   `--out report.csv`; wall time, the median of 3 runs each.

Run: `python bench/bench_import.py` (or `make bench`, once run.py lists it).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SYSTEMS = 2_000
RELATIONSHIPS = 10_000
RUNS = 3
SEED = 20261201
TECHNOLOGIES = ["REST/JSON", "Apache Kafka", "gRPC", "SFTP", "RabbitMQ", "JDBC", "Camunda 8", "SOAP", "", "SNMP"]


def _pairs(rng: np.random.Generator, n: int, count: int) -> list[tuple[int, int]]:
    seen: set[tuple[int, int]] = set()
    while len(seen) < count:
        a, b = (int(x) for x in rng.integers(0, n, 2))
        if a != b:
            seen.add((a, b))
    return sorted(seen)


def structurizr(path: Path, seed: int = SEED) -> None:
    """A workspace with RELATIONSHIPS system → system relationships."""
    rng = np.random.default_rng(seed)
    systems: list[dict[str, Any]] = [{"id": str(i), "name": f"System {i}", "relationships": []} for i in range(SYSTEMS)]
    styles = ["Synchronous", "Asynchronous", None]
    for k, (a, b) in enumerate(_pairs(rng, SYSTEMS, RELATIONSHIPS)):
        rel = {"id": f"r{k}", "sourceId": str(a), "destinationId": str(b), "description": f"flow {k}"}
        tech = TECHNOLOGIES[int(rng.integers(len(TECHNOLOGIES)))]
        if tech:
            rel["technology"] = tech
        style = styles[int(rng.integers(3))]
        if style:
            rel["interactionStyle"] = style
        systems[a]["relationships"].append(rel)
    path.write_text(json.dumps({"name": "bench", "model": {"softwareSystems": systems}, "views": {}}))


def archimate(path: Path, seed: int = SEED) -> None:
    """An exchange file with RELATIONSHIPS relationships between application components."""
    rng = np.random.default_rng(seed)
    kinds = ["Flow", "Triggering", "Serving"]
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m"><name>bench</name><elements>'
    ]
    parts += [
        f'<element identifier="e{i}" xsi:type="ApplicationComponent"><name>{escape(f"App {i}")}</name></element>'
        for i in range(SYSTEMS)
    ]
    parts.append("</elements><relationships>")
    for k, (a, b) in enumerate(_pairs(rng, SYSTEMS, RELATIONSHIPS)):
        kind = kinds[int(rng.integers(3))]
        props = ""
        if k % 3 == 0:
            tech = escape(TECHNOLOGIES[int(rng.integers(len(TECHNOLOGIES)))] or "REST")
            props = f'<properties><property propertyDefinitionRef="pt"><value>{tech}</value></property></properties>'
        parts.append(
            f'<relationship identifier="r{k}" source="e{a}" target="e{b}" xsi:type="{kind}">{props}</relationship>'
        )
    parts.append('</relationships><propertyDefinitions><propertyDefinition identifier="pt" type="string">')
    parts.append("<name>technology</name></propertyDefinition></propertyDefinitions></model>")
    path.write_text("".join(parts))


def _end_to_end(model: Path, out: Path) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system, from wait4) of the child."""
    walls, cpus = [], []
    for _ in range(RUNS):
        with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
            start = time.perf_counter()
            child = subprocess.Popen(
                [sys.executable, "-m", "patternfit.cli.main", "estate", str(model), "--out", str(out), "--quiet"],
                stdout=stdout, stderr=stderr, cwd=ROOT,
            )  # fmt: skip
            _, status, usage = os.wait4(child.pid, 0)
            walls.append(time.perf_counter() - start)
            cpus.append(usage.ru_utime + usage.ru_stime)
            child.returncode = os.waitstatus_to_exitcode(status)
            stdout.seek(0)
            stderr.seek(0)
            said, complaint = stdout.read().decode(), stderr.read().decode()
        if child.returncode != 0:
            raise RuntimeError(f"patternfit estate {model.name} exited {child.returncode}: {complaint[:300]}")
        if f"{RELATIONSHIPS} connections" not in said:
            raise RuntimeError(f"unexpected summary: {said[:300]}")
    return statistics.median(walls), statistics.median(cpus)


def run() -> list[tuple[str, float, str]]:
    """[(figure, value, unit and target)] for bench/run.py."""
    rows = [("load average (1 min) before the run, on this machine", os.getloadavg()[0], "processes")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, make in (("workspace.json", structurizr), ("model.xml", archimate)):
            model = folder / name
            make(model)
            label = "Structurizr JSON" if name.endswith(".json") else "ArchiMate XML"
            for suffix in ("html", "csv"):
                wall, cpu = _end_to_end(model, folder / f"report.{suffix}")
                rows.append(
                    (f"{label}, {RELATIONSHIPS:,} relationships → report.{suffix}", wall, "s wall (target ≤ 5)")
                )
                rows.append(("  of which CPU of the child (user + system)", cpu, "s"))
    return rows


if __name__ == "__main__":
    for label, value, unit in run():
        print(f"  {label:<62} {value:12.3f} {unit}")
