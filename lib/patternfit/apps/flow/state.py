"""The business-flow page's state, apart from its widgets: the flow being built step by step, its
assessment, and what went wrong. Widgets set it and observe it (traitlets); the page's HTML is
drawn from it, never read back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import traitlets as t
import yaml

from patternfit.errors import PatternfitError
from patternfit.flows import FlowAssessment, assess_flow
from patternfit.model.catalog import Model, load_model
from patternfit.model.flows import FlowModel, load_flow_model

HOW = ("", "api", "events", "batch", "workflow")  # a step's pattern as proposed ('' = not known)


def example_path() -> Path:
    """The example flow (data/examples/flows/checkout.yaml) from the model folder in use."""
    from patternfit import settings

    return settings.data_dir() / "examples" / "flows" / "checkout.yaml"


class FlowState(t.HasTraits):
    """The flow as a flow-file mapping (`flow`), and what assessing it gives (`result` / `error`)."""

    flow: Any = t.Dict()
    result: Any = t.Any(None, allow_none=True)  # FlowAssessment | None
    error = t.Unicode("")

    def __init__(self, model: Model | None = None, rules: FlowModel | None = None) -> None:
        super().__init__()
        self.model = model or load_model()
        self.rules = rules or load_flow_model()
        self.flow = {"name": "", "steps": []}

    def set_name(self, name: str) -> None:
        self._update({**self.flow, "name": name})

    def add_step(
        self, source: str, target: str, how: str = "", *, owner: str = "", compensates: str = "", title: str = ""
    ) -> None:
        """Append a step (a connection from `source` to `target`, proposed as `how` if known)."""
        steps = list(self.flow.get("steps", []))
        ident = f"s{len(steps) + 1}"
        while any(s["id"] == ident for s in steps):
            ident += "x"
        step: dict[str, Any] = {"id": ident, "from": source.strip(), "to": target.strip()}
        if title.strip():
            step["title"] = title.strip()
        if owner.strip():
            step["owner"] = owner.strip()
        if compensates:
            step["compensates"] = compensates
        if how:
            step["connection"] = {"proposed": how}
        self._update({**self.flow, "steps": [*steps, step]})

    def remove_last(self) -> None:
        self._update({**self.flow, "steps": list(self.flow.get("steps", []))[:-1]})

    def load_example(self) -> None:
        self._update(yaml.safe_load(example_path().read_text(encoding="utf-8")))

    def flow_yaml(self) -> str:
        return yaml.safe_dump(self.flow, sort_keys=False, allow_unicode=True)

    def _update(self, flow: dict[str, Any]) -> None:
        """Take the new flow and assess it; bad input leaves the error, never a traceback."""
        self.flow = flow
        if not flow.get("steps"):
            self.result, self.error = None, ""
            return
        data = {**flow, "name": flow.get("name") or "Unnamed flow"}
        try:
            result: FlowAssessment = assess_flow(data, model=self.model, rules=self.rules)
        except PatternfitError as exc:
            self.result, self.error = None, exc.message
            return
        self.result, self.error = result, ""
