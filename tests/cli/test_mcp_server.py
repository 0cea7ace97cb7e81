"""patternfit.cli.mcp_server: the MCP server's tools, resources and prompt, called in process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anyio
import pytest
import yaml

pytest.importorskip("mcp", reason="the mcp extra is not installed")

from mcp.server.mcpserver.exceptions import ToolError
from patternfit.cli.mcp_server import build_server, decide_prompt
from patternfit.cli.mcp_tools import Workbench

ROOT = Path(__file__).resolve().parents[2]
FANOUT = ROOT / "data" / "examples" / "order-created-fanout.yaml"


@pytest.fixture
def server(tmp_path: Path) -> Any:
    return build_server(Workbench.start(tmp_path / "decisions", ROOT))


def test_it_offers_every_tool_and_a_guide_page_per_pattern(server, model):
    """The server lists the eight tools, the questionnaire, the model and one guide page per pattern."""

    async def listed() -> tuple[set[str], set[str]]:
        return {t.name for t in await server.list_tools()}, {str(r.uri) for r in await server.list_resources()}

    tools, resources = anyio.run(listed)
    assert tools == {"assess", "explain", "what_if", "record", "records", "check", "estate_summary", "flow"}
    assert {"patternfit://questionnaire", "patternfit://model", "patternfit://guide"} <= resources
    assert {f"patternfit://guide/{p.key}" for p in model.patterns} <= resources


def test_assess_answers_as_the_engine_does(server):
    """The assess tool recommends events for the fan-out example, as `patternfit assess` does."""

    async def called() -> Any:
        return await server.call_tool("assess", {"connection": yaml.safe_load(FANOUT.read_text()), "samples": 0})

    result = json.loads(anyio.run(called).content[0].text)
    assert (result["name"], result["recommended"]) == ("Order created fan-out", "events")


def test_a_bad_answer_comes_back_as_a_tool_error_naming_the_key(server):
    """An answer outside the scale is a tool error naming the key, the value and what is allowed."""

    async def called() -> Any:
        bad = {"name": "x", "characteristics": {"latency_budget": "soon"}}
        return await server.call_tool("assess", {"connection": bad, "samples": 0})

    with pytest.raises(ToolError) as raised:
        anyio.run(called)
    assert "latency_budget: 'soon'" in str(raised.value) and "allowed: subsecond" in str(raised.value)


def test_the_prompt_starts_from_the_users_words_only_when_there_are_some():
    """The guided loop quotes the description; a blank one is left out rather than quoted empty."""
    assert decide_prompt("  orders to billing \n").startswith(
        "The user describes the connection:\n\norders to billing\n\n"
    )
    assert decide_prompt("   ").startswith("Decide the integration pattern")
