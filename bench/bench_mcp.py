"""`patternfit mcp` (issue 24): start the real server as a subprocess and talk to it with the MCP
SDK's stdio client, as an assistant does. Reports the time from spawn to an initialised session,
the median of one `assess` tool call after start (target ≤ 20 ms), with the default robustness
samples and without, and the same assessment's median in-process, so the protocol's share shows."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "examples" / "order-created-fanout.yaml"
CALLS = 60
WARM = 5


def run() -> list[tuple[str, float, str]]:
    import anyio

    return anyio.run(_measure)


async def _measure() -> list[tuple[str, float, str]]:
    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client
    from patternfit.cli.mcp_tools import Workbench

    connection = yaml.safe_load(EXAMPLE.read_text())
    patternfit = str(Path(sys.executable).with_name("patternfit"))
    with tempfile.TemporaryDirectory() as tmp, open(Path(tmp) / "server.log", "w") as errlog:
        params = StdioServerParameters(command=patternfit, args=["mcp", "--records", tmp, "--root", tmp], cwd=tmp)
        start = time.perf_counter()
        async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            started = time.perf_counter() - start
            rows = [("spawn → initialised session", started, "s")]
            for label, arguments in (
                ("assess tool call, default samples: median (target ≤ 20 ms)", {"connection": connection}),
                ("assess tool call, samples 0: median", {"connection": connection, "samples": 0}),
            ):
                times = await _calls(session, arguments)
                rows.append((label, statistics.median(times) * 1000, "ms"))
                rows.append((label.replace("median", "p90").replace(" (target ≤ 20 ms)", ""), _p90(times), "ms"))
        bench = Workbench.start(Path(tmp), Path(tmp))
        for label, samples in (("default samples", None), ("samples 0", 0)):
            kwargs: dict[str, Any] = {} if samples is None else {"samples": samples}
            times = []
            for i in range(WARM + CALLS):
                begin = time.perf_counter()
                bench.assess(connection, **kwargs)
                if i >= WARM:
                    times.append(time.perf_counter() - begin)
            rows.append((f"same assessment in-process, {label}: median", statistics.median(times) * 1000, "ms"))
    return rows


async def _calls(session: Any, arguments: dict[str, Any]) -> list[float]:
    times = []
    for i in range(WARM + CALLS):
        begin = time.perf_counter()
        result = await session.call_tool("assess", arguments)
        if result.is_error:
            raise RuntimeError(result.content[0].text)
        if i >= WARM:
            times.append(time.perf_counter() - begin)
    return times


def _p90(times: list[float]) -> float:
    return sorted(times)[int(0.9 * (len(times) - 1))] * 1000


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"{name:<62} {value:10.3f} {unit}")
