"""A room of five as the room tests share it: three developers answer as the shipment example, two
operations people say the counterpart only takes files (the one dispute that changes the pattern)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"
SHIPMENT_FILE = EXAMPLES / "shipment-reaction-chain.yaml"
SHIPMENT = yaml.safe_load(SHIPMENT_FILE.read_text())["characteristics"]


def answer_sets() -> list[dict[str, Any]]:
    devs = [{"participant": f"developer{i}", "answers": dict(SHIPMENT), "role": "development"} for i in range(3)]
    ops = [
        {
            "participant": f"operations{i}",
            "role": "ops",
            "unsure": ["latency_budget"],
            "answers": {**SHIPMENT, "counterpart_capability": "file_only"},
        }
        for i in range(2)
    ]
    return devs + ops
