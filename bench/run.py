"""`make bench`: print the quality-target figures of DESIGN.md, measured in this run.

Each bench module exposes run() -> [(name, value, unit and target)]; a module that is not
there yet is reported as such, never guessed.
"""

from __future__ import annotations

import importlib
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# One bench module a line, in the order they run; to add one, add its line.
MODULES = (
    "bench_engine",
    "bench_noise",
    "bench_ask",
    "bench_dashboard",
    "bench_wire",
    "bench_estate_open",
    "bench_workshop",
    "bench_estate",
    "bench_import",
    "bench_load",
    "bench_mcp",
    "bench_flow",
    "bench_room",
)


def main() -> int:
    print(f"patternfit bench — {platform.node()}, {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}")
    failed = False
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            print(f"\n[{name}] not present")
            continue
        print(f"\n[{name}]")
        start = time.perf_counter()
        try:
            rows = module.run()
        except Exception as exc:  # report and go on: one bench must not hide the others
            failed = True
            print(f"  FAILED: {type(exc).__name__}: {exc}")
            continue
        for label, value, unit in rows:
            print(f"  {label:<62} {value:12.3f} {unit}")
        print(f"  ({time.perf_counter() - start:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
