"""Estate figures of DESIGN.md, measured on this machine in this run.

1. A seeded 1,000,000-row inventory CSV is generated (realistic mix: partial answers, spreadsheet
   quirks such as `TRUE` / ` Seconds `, current patterns, 0.1 % bad cells).
2. Scoring: `assess_table` on the already-read frame (median of 3 runs; CPU time alongside,
   because other processes share the 2 cores).
3. End to end: a child process runs `patternfit estate big.csv --out report.csv` (interpreter
   start, model load, read, validate, score, findings, write); its wall time and peak memory
   (ru_maxrss of that child, from wait4).
4. Speed-up: `assess(connection, samples=0)` called per row on 2,000 rows of the same file (the
   mappings are built beforehand, which favours the per-row way), extrapolated to 1,000,000
   rows and compared with the scoring time of step 2.

Run: `python bench/bench_estate.py` (or `make bench` for every bench).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
ROWS = 1_000_000
SAMPLE = 2_000
SEED = 20261126


def generate(path: Path, rows: int = ROWS, seed: int = SEED) -> None:
    """A seeded inventory: ids, six owners, current patterns, partial and quirky answers."""
    import pyarrow as pa
    from patternfit import load_model
    from patternfit.model.catalog import PROPOSABLE
    from pyarrow import csv as pacsv

    model = load_model()
    rng = np.random.default_rng(seed)
    columns: dict[str, Any] = {
        "id": pa.array(np.char.add("INT-", np.arange(rows).astype(str))),
        "name": pa.array(np.char.add("Connection ", np.arange(rows).astype(str))),
        "source": pa.array(
            rng.choice(["Web shop", "ERP", "CRM", "Billing", "Warehouse", "HR system", "Mainframe"], rows)
        ),
        "target": pa.array(
            rng.choice(["Web shop", "ERP", "CRM", "Billing", "Warehouse", "Payroll", "Data lake"], rows)
        ),
        "owner": pa.array(
            rng.choice(["Commerce", "Finance", "Logistics", "Customer", "Data & Analytics", "People"], rows)
        ),
        "current_pattern": pa.array(rng.choice([*PROPOSABLE, "", "Events", " batch"], rows)),
    }
    for question in model.characteristics:
        scale = question.scale
        if scale.type == "integer":
            values = [str(v) for v in range(scale.minimum or 0, 9)] + [" 3 ", "2.0"]
        elif scale.type == "boolean":
            values = ["true", "false", "TRUE", "yes", "No"]
        else:
            values = [str(v) for v in scale.values] + [str(scale.values[0]).upper(), f" {scale.values[-1]} "]
        cells = rng.choice([*values, "", ""], rows).astype(object)
        bad = rng.random(rows) < 0.001 / len(model.characteristics)  # about 0.1 % of rows get one bad cell
        cells[bad] = "unknown"
        columns[question.key] = pa.array(cells.astype(str))
    pacsv.write_csv(pa.table(columns), path)


def _median_run(call: Any, repeat: int = 3) -> tuple[float, float]:
    """Median wall time and median CPU time (s) of `call()`."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def _end_to_end(inventory: Path, report: Path) -> tuple[float, float, int]:
    """(wall s, peak RSS in MB, exit code) of `patternfit estate` in a child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "patternfit.cli", "estate", str(inventory), "--out", str(report), "--quiet"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, proc.returncode


def _per_row(inventory: Any, model: Any) -> float:
    """Seconds per row of `assess(mapping, samples=0)` on SAMPLE readable rows of the inventory."""
    from patternfit import assess
    from patternfit.estate.review import connection_at, review

    sample = review(inventory.table.iloc[:SAMPLE], model=model)
    good = np.flatnonzero(~sample.encoded.bad)
    mappings = [connection_at(sample.encoded, int(i), sample.inventory.table, model).to_dict() for i in good]
    for mapping in mappings[:50]:  # warm up
        assess(mapping, samples=0, model=model)
    start = time.perf_counter()
    for mapping in mappings:
        assess(mapping, samples=0, model=model)
    return (time.perf_counter() - start) / len(mappings)


def _in_process(inventory_path: Path, model: Any) -> list[tuple[str, float, str]]:
    """Read, score (median of 3) and the per-row comparison, in this process."""
    from patternfit import assess_table
    from patternfit.estate.review import read_inventory

    start = time.perf_counter()
    inventory = read_inventory(inventory_path, model=model)
    rows = [("read + check the CSV (read_inventory)", time.perf_counter() - start, "s (no target)")]
    wall, cpu = _median_run(lambda: assess_table(inventory.table, model=model))
    rows.append(("scoring: assess_table on the read frame, 1M rows (median of 3)", wall, "s (target ≤ 2)"))
    rows.append(("  the same, CPU time of this process (both threads)", cpu, "s"))
    per_row = _per_row(inventory, model)
    rows.append(("assess(samples=0) per row, 2,000 rows of the file", per_row * 1e6, "µs per row"))
    rows.append(("  extrapolated to 1,000,000 rows", per_row * ROWS, "s"))
    rows.append(("speed-up of assess_table over assess per row", per_row * ROWS / wall, "× (target ≥ 100)"))
    return rows


def run() -> list[tuple[str, float, str]]:
    from patternfit import load_model

    model = load_model()
    with tempfile.TemporaryDirectory(prefix="pf-bench-estate-") as folder:
        inventory_path = Path(folder) / "inventory.csv"
        start = time.perf_counter()
        generate(inventory_path)
        size = f"s ({inventory_path.stat().st_size / 1e6:.0f} MB)"
        rows = [("generate the 1,000,000-row CSV (seeded)", time.perf_counter() - start, size)]
        rows += _in_process(inventory_path, model)
        wall, peak, code = _end_to_end(inventory_path, Path(folder) / "report.csv")
        if code != 0:
            raise RuntimeError(f"patternfit estate exited with {code}")
        rows.append(("end to end: patternfit estate 1M-row CSV → CSV report", wall, "s (target ≤ 30)"))
        rows.append(("  peak memory of that process (ru_maxrss)", peak, "MB (target ≤ 3072)"))
    rows.append(("load average (1 min) at the end — other processes share the cores", os.getloadavg()[0], ""))
    return rows


if __name__ == "__main__":
    for name, value, unit in run():
        sys.stdout.write(f"{name:<70} {value:12.3f} {unit}\n")
