"""`patternfit mcp` as an assistant uses it: the real command started as a subprocess, spoken to
over stdio with the MCP SDK's own client (`stdio_client` + `ClientSession`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from patternfit.model.catalog import load_model

pytest.importorskip("mcp", reason="the mcp extra is not installed")

from anyio.from_thread import BlockingPortal, start_blocking_portal
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from patternfit.cli.mcp_tools import ADDITIONS
from patternfit.model.guide import pattern_page

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "data" / "examples").glob("*.yaml"))
PATTERNFIT = str(Path(sys.executable).with_name("patternfit"))
TOOLS = {"assess", "explain", "what_if", "record", "records", "check", "estate_summary", "flow"}
FLOW = ROOT / "data" / "examples" / "flows" / "checkout.yaml"
SAMPLES = {"samples": 300, "seed": 7}


@asynccontextmanager
async def _connected(params: StdioServerParameters, errlog: Any) -> AsyncIterator[ClientSession]:
    async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        yield session


class Client:
    """A synchronous face on one running server: `call` a tool, `read` a resource."""

    def __init__(self, portal: BlockingPortal, session: ClientSession, records: Path, workspace: Path) -> None:
        self.portal, self.session, self.records, self.workspace = portal, session, records, workspace

    def result(self, tool: str, **arguments: Any) -> Any:
        return self.portal.call(self.session.call_tool, tool, arguments)

    def call(self, tool: str, **arguments: Any) -> dict[str, Any]:
        """The tool's structured result; fails the test on a tool error."""
        result = self.result(tool, **arguments)
        assert not result.is_error, result.content[0].text
        data: dict[str, Any] = result.structured_content
        return data

    def error(self, tool: str, **arguments: Any) -> str:
        """The text of the tool error the call must return."""
        result = self.result(tool, **arguments)
        assert result.is_error, result.structured_content
        text: str = result.content[0].text
        return text

    def read(self, uri: str) -> str:
        text: str = self.portal.call(self.session.read_resource, uri).contents[0].text
        return text


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    """One `patternfit mcp` for the module: records into records/, reading from workspace/."""
    base = tmp_path_factory.mktemp("mcp")
    records, workspace = base / "records", base / "workspace"
    workspace.mkdir()
    (workspace / "inventory.csv").write_bytes((ROOT / "data" / "examples" / "inventory.csv").read_bytes())
    (base / "secret.csv").write_text("id,name\nX-1,not for the assistant\n")
    (workspace / "link.csv").symlink_to(base / "secret.csv")
    (workspace / "checkout.yaml").write_bytes(FLOW.read_bytes())
    params = StdioServerParameters(
        command=PATTERNFIT, args=["mcp", "--records", str(records), "--root", str(workspace)], cwd=str(base)
    )
    with (
        open(base / "server.log", "w") as errlog,
        start_blocking_portal() as portal,
        portal.wrap_async_context_manager(_connected(params, errlog)) as session,
    ):
        yield Client(portal, session, records, workspace)


def _example(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text())
    return data


def test_lists_the_tools_resources_and_prompt(server: Client) -> None:
    """The eight tools, the questionnaire, the model, the guide and its four pages, and the prompt."""
    tools = server.portal.call(server.session.list_tools).tools
    assert {t.name for t in tools} == TOOLS
    assert all(t.description and t.input_schema["type"] == "object" for t in tools)
    uris = {str(r.uri) for r in server.portal.call(server.session.list_resources).resources}
    pages = {f"patternfit://guide/{p}" for p in load_model().pattern_keys}
    assert uris == {"patternfit://questionnaire", "patternfit://model", "patternfit://guide", *pages}
    prompts = server.portal.call(server.session.list_prompts).prompts
    assert [p.name for p in prompts] == ["decide-a-connection"]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_assess_gives_the_cli_json(server: Client, example: Path) -> None:
    """`assess` returns exactly `patternfit assess --format json` (whatever fields it has), plus the additions."""
    cli = subprocess.run(
        [PATTERNFIT, "assess", str(example), "--format", "json", "--samples", "300", "--seed", "7"],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    expected = json.loads(cli.stdout)
    got = server.call("assess", connection=_example(example), **SAMPLES)
    assert set(got) - set(expected) == set(ADDITIONS)
    assert {k: v for k, v in got.items() if k not in ADDITIONS} == expected


def test_next_questions_carry_the_catalogs_text_and_values(server: Client) -> None:
    """Each ask_next key comes with its question, help and allowed values, in ask_next order."""
    model = load_model()
    got = server.call("assess", connection={"name": "New connection"}, samples=0)
    assert got["state"] == "open" and got["ask_next"]
    assert [q["key"] for q in got["next_questions"]] == [item["key"] for item in got["ask_next"]]
    for entry in got["next_questions"]:
        question = model.question(entry["key"].removeprefix("sub."))
        assert (entry["question"], entry["help"], entry["label"]) == (question.question, question.help, question.label)
        values = [v["value"] for v in entry["values"]]
        if question.scale.type == "integer":
            assert all(isinstance(v, int) for v in values) and len(values) == question.scale.levels
        else:
            assert set(values) == set(question.scale.values)
    assert got["headline"].startswith("Open")


def _guided(server: Client, full: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Answer only what `next_questions` asks, as the full answers say; (last result, answers given)."""
    chars, subs = full.get("characteristics", {}), full.get("sub", {})
    data: dict[str, Any] = {"name": full["name"], "characteristics": {}, "sub": {}, "unsure": []}
    asked: set[str] = set()
    while True:
        result = server.call("assess", connection=data, samples=0)
        if result["state"] == "settled":
            return result, len(asked)
        for question in result["next_questions"]:
            key = question["key"]
            section, name = ("sub", key[4:]) if key.startswith("sub.") else ("characteristics", key)
            given = subs if section == "sub" else chars
            if key in asked or name not in given:
                continue
            asked.add(key)
            data[section][name] = given[name]
            if key in full.get("unsure", []):
                data["unsure"].append(key)
            break
        else:
            return result, len(asked)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_a_guided_loop_reaches_the_recommendation_of_all_answers(server: Client, example: Path) -> None:
    """Following only the returned next questions settles where all the answers do, with fewer answers
    (4–6 of 18–22 on the examples)."""
    full = _example(example)
    everything = server.call("assess", connection=full, samples=0)
    result, answers = _guided(server, full)
    assert result["recommended"] == everything["recommended"]
    assert result["state"] == everything["state"] == "settled"
    assert result["messaging_flavour"] == everything["messaging_flavour"]
    assert result["coordination"] in (None, everything["coordination"])  # named only once it cannot change
    assert answers < len(full["characteristics"]) + len(full.get("sub", {}))


def test_a_bad_value_is_a_tool_error_naming_the_key_and_the_server_answers_on(server: Client) -> None:
    """A wrong value names the key, the value and what is allowed; the next call is answered."""
    text = server.error("assess", connection={"characteristics": {"response_expectation": "soon"}})
    assert "characteristics.response_expectation" in text and "'soon'" in text
    assert "none, ack_only, result_now" in text
    text = server.error("assess", connection={"characteristics": {"consumer_cuont": 3}})
    assert "consumer_cuont" in text and "did you mean 'consumer_count'" in text
    assert "connection" in server.error("assess", connection=3)
    assert "samples" in server.error("assess", connection={}, samples=-1)
    assert "samples: 1000000000 is more than 100,000" in server.error("assess", connection={}, samples=10**9)
    assert "seed" in server.error("assess", connection={}, seed=-1)
    assert "change: colour" in server.error("what_if", connection={}, change={"colour": "red"})
    assert server.call("assess", connection={"name": "still here"}, samples=0)["name"] == "still here"


def test_record_writes_the_next_number_and_never_leaves_its_folder(server: Client, tmp_path: Path) -> None:
    """Records land numbered in the records folder; folders outside it, links out and template files are refused."""
    assert not server.records.exists()  # nothing yet: an empty log, not an error
    assert server.call("records")["records"] == [] and server.call("check")["records"] == 0
    fanout = _example(ROOT / "data" / "examples" / "order-created-fanout.yaml")
    lookup = _example(ROOT / "data" / "examples" / "checkout-price-lookup.yaml")
    first = server.call("record", connection=fanout, date="2026-11-26", deciders=["Ana"])
    second = server.call("record", connection=lookup, date="2026-11-26", status="accepted")
    assert first["path"].startswith("0001-") and second["path"].startswith("0002-")
    text = (server.records / first["path"]).read_text()
    assert "Ana" in text and "Events" in text
    outside = tmp_path / "outside"
    outside.mkdir()
    (server.records / "out").symlink_to(outside)
    for folder in ("..", "../elsewhere", str(outside), "out", "out/deeper"):
        assert "leads outside the records folder" in server.error("record", connection=fanout, folder=folder)
    assert "not a built-in layout" in server.error("record", connection=fanout, template=str(tmp_path / "t.j2"))
    against = server.error("record", connection=fanout, chosen="batch")
    assert "rationale:" in against and "give the reason with rationale" in against and "--" not in against
    assert list(outside.iterdir()) == [] and not (server.records.parent / "elsewhere").exists()
    inside = server.call("record", connection=fanout, folder="team-a")
    assert inside["path"].startswith("team-a/0001-")
    log = server.call("records")
    assert [(e["number"], e["pattern"], e["status"]) for e in log["records"]] == [
        (1, "events", "proposed"),
        (2, "api", "accepted"),
    ]
    assert server.call("check") == {"records": 2, "files": 2, "drifted": False, "findings": []}
    server.call("record", connection=fanout, folder="team-a")  # the same connection decided twice
    drift = server.call("check", folder="team-a")
    assert drift["drifted"] and [f["kind"] for f in drift["findings"]] == ["superseded-still-current"]


def test_what_if_says_what_a_changed_answer_changes(server: Client) -> None:
    """Needing the result now turns the fan-out's events around; the unchanged fields stay out of `changes`."""
    fanout = _example(ROOT / "data" / "examples" / "order-created-fanout.yaml")
    got = server.call("what_if", connection=fanout, change={"response_expectation": "result_now"}, samples=0)
    assert got["before"]["recommended"] == "events" and "recommended" in got["changes"]
    assert got["after"]["recommended"] != "events"
    assert got["inputs"]["characteristics"]["response_expectation"] == "result_now"
    same = server.call("what_if", connection=fanout, change={"visibility": fanout["characteristics"]["visibility"]})
    assert same["changes"] == [] and same["before"] == same["after"]


def test_explain_gives_the_reasons_with_their_sources(server: Client) -> None:
    """Every knock-out and pitfall source cited comes with its title from the model's source list."""
    model = load_model()
    fanout = _example(ROOT / "data" / "examples" / "order-created-fanout.yaml")
    got = server.call("explain", connection=fanout, samples=0)
    assessed = server.call("assess", connection=fanout, samples=0)
    cited = {s for reasons in assessed["knocked_out"].values() for r in reasons for s in r["sources"]}
    assert cited and cited <= set(got["sources"])
    assert all(got["sources"][s] == dict(model.sources[s]) for s in got["sources"])
    assert got["why"] == assessed["explanations"] and got["state"] == "settled"
    assert got["markdown"].startswith("# Order created")


def test_estate_summary_reads_only_inside_the_workspace(server: Client) -> None:
    """The example inventory's counts; a path out of the workspace, even through a link, is refused."""
    from patternfit.estate.review import review

    got = server.call("estate_summary", source="inventory.csv", limit=3)
    summary = review(server.workspace / "inventory.csv").findings.summary
    assert got["summary"]["connections"] == summary["connections"] and got["summary"]["mismatches"] > 0
    assert len(got["mismatches"]) == 3 and all(row["reason"] for row in got["mismatches"])
    for source in ("../secret.csv", str(server.workspace.parent / "secret.csv"), "link.csv", "/etc/passwd"):
        text = server.error("estate_summary", source=source)
        assert "is no file inside the workspace root" in text and "not for the assistant" not in text


def test_resources_are_the_catalog_and_the_guide(server: Client) -> None:
    """The questionnaire holds every question; the guide pages are the dashboards' pages."""
    model = load_model()
    questionnaire = json.loads(server.read("patternfit://questionnaire"))
    keys = [q["key"] for q in questionnaire["questions"]]
    assert keys == [*model.keys, *(f"sub.{q.key}" for q in model.sub_inputs)]
    assert questionnaire["model_version"] == model.version
    for key in model.pattern_keys:
        assert server.read(f"patternfit://guide/{key}") == pattern_page(model, key)
    info = json.loads(server.read("patternfit://model"))
    assert info["model_version"] == model.version and set(info["sources"]) == set(model.sources)


def test_the_prompt_walks_the_guided_loop(server: Client) -> None:
    """The prompt carries the user's description and the loop over `next_questions`."""
    prompt = server.portal.call(server.session.get_prompt, "decide-a-connection", {"description": "Orders <b>"})
    text = prompt.messages[0].content.text
    assert "Orders <b>" in text and "next_questions" in text and "settled" in text


def test_without_the_extra_it_says_what_to_install() -> None:
    """With the SDK missing, `patternfit mcp` exits 2 with one line naming the extra."""
    code = "import sys; sys.modules['mcp'] = None; from patternfit.cli import main; sys.exit(main(['mcp']))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "patternfit: patternfit mcp: needs the Model Context Protocol SDK, which is not installed — "
        "install it with: pip install 'patternfit[mcp]'"
    ]


def test_bad_settings_stop_it_before_it_starts(tmp_path: Path) -> None:
    """A missing --root, a records path that is a file, a broken profile: exit 2, one line, no server."""
    (tmp_path / "file").write_text("x")
    env = {**os.environ}
    settings = (
        ["--root", str(tmp_path / "missing")],
        ["--records", str(tmp_path / "file")],
        ["--profile", str(tmp_path / "file")],
    )
    for args in settings:
        result = subprocess.run(
            [PATTERNFIT, "mcp", *args], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL, env=env
        )
        assert result.returncode == 2, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_flow_gives_the_cli_json_inline_and_from_the_workspace(server: Client) -> None:
    """`flow` returns `patternfit flow --format json`, for the flow inline and as a file in the workspace."""
    cli = subprocess.run(
        [PATTERNFIT, "flow", str(FLOW), "--format", "json"], capture_output=True, text=True, timeout=120
    )
    assert cli.returncode == 0, cli.stderr
    expected = json.loads(cli.stdout)
    from_file = server.call("flow", source="checkout.yaml")
    assert from_file == expected
    inline = server.call("flow", flow=yaml.safe_load(FLOW.read_text()))
    assert inline["coordination"] == expected["coordination"] and inline["steps"] == expected["steps"]


def test_flow_refuses_what_it_cannot_read_and_answers_on(server: Client) -> None:
    """A flow outside the workspace, a wrong kind or neither argument is a tool error naming the key."""
    assert "leads outside the workspace root" in server.error("flow", source="../secret.csv")
    assert "kind" in server.error("flow", source="checkout.yaml", kind="bpmn")
    assert "give either `flow`" in server.error("flow")
    assert "file" in server.error(
        "flow", flow={"name": "x", "steps": [{"id": "a", "from": "A", "to": "B", "file": "../x.yaml"}]}
    )
    assert server.call("flow", source="checkout.yaml")["steps"]


def test_the_default_samples_are_the_models(tmp_path: Path) -> None:
    """Without `samples`, the tools take the workbench model's policy (samples.default), read with the
    model — a model whose default is 0 runs no robustness — and the tools' schemas show that default."""
    import dataclasses

    from patternfit.cli.mcp_server import build_server
    from patternfit.cli.mcp_tools import Workbench

    model = load_model()
    connection = {"name": "Defaults", "characteristics": {"response_expectation": "result_now"}}
    shipped = Workbench(records=tmp_path, root=tmp_path, model=model)
    assert shipped.assess(connection)["robustness"]["samples"] == model.policy.default_samples
    none = dataclasses.replace(model, policy=dataclasses.replace(model.policy, default_samples=0))
    assert Workbench(records=tmp_path, root=tmp_path, model=none).assess(connection)["robustness"] is None
    import anyio

    listed = anyio.run(build_server(Workbench(records=tmp_path, root=tmp_path, model=none)).list_tools)
    tools = {t.name: t for t in listed}
    assert tools["assess"].input_schema["properties"]["samples"]["default"] == 0
