"""The MCP server of `patternfit mcp`: tools, resources and the prompt over a `Workbench`.

Imported only when the `mcp` extra is installed. Parameter annotations are read by the SDK at
run time (they become each tool's input schema), so the aliases below live at module level.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import metadata
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import Field

from patternfit.cli.mcp_tools import LISTED, MAX_SAMPLES, Workbench
from patternfit.errors import PatternfitError

NAME = "patternfit"
INSTRUCTIONS = (
    "patternfit recommends an integration pattern (synchronous API, events, batch, workflow orchestration) "
    "for one connection between systems from a sourced model. Do not guess a pattern: call `assess` with the "
    "answers the user's description states plainly (the connection file's form: name, characteristics, sub, "
    "unsure), then ask the user the questions in `next_questions`, in order, with their allowed values, until "
    "`state` is settled or no question is left. Report `headline`, `recommended` and the pitfalls as patternfit "
    "gives them; `explain` gives the reasons with their sources. Only call the result settled when `state` is "
    "settled."
)
CONNECTION_HELP = (
    "The connection in the connection file's form: {name, description?, characteristics: {key: value}, "
    "sub?: {key: value}, unsure?: [key], proposed?, stated?}. Keys and allowed values: resource "
    "patternfit://questionnaire. Leave out what is not known."
)


Connection = Annotated[dict[str, Any], Field(description=CONNECTION_HELP)]
Samples = Annotated[int, Field(description=f"robustness samples, 0 to {MAX_SAMPLES:,} (0 skips the analysis)")]
Seed = Annotated[int, Field(description="seed of the robustness samples (≥ 0)")]
Folder = Annotated[str, Field(description="a folder inside the records folder (default: the records folder)")]
SOURCE_HELP = "an inventory (CSV/XLSX), Structurizr, Backstage, ArchiMate or AsyncAPI file inside the workspace"
READING = ToolAnnotations(read_only_hint=True, open_world_hint=False)
WRITING = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=False)


def build_server(workbench: Workbench) -> MCPServer[Any]:
    """The MCP server over `workbench`: its tools, resources and prompt."""
    server: MCPServer[Any] = MCPServer(NAME, instructions=INSTRUCTIONS, version=_version())
    default_samples = workbench.model.policy.default_samples  # the tools' schemas show the model's default
    # assess, explain and what_if are `async def`, so they run on the event loop: at the default samples
    # they take milliseconds (MAX_SAMPLES caps them under a second), and the worker thread the SDK
    # hands a plain `def` to cost up to half the median call on the loaded bench machine (bench_mcp,
    # alternating runs). Tools that read or write files stay on worker threads.

    @server.tool(annotations=READING)
    async def assess(connection: Connection, samples: Samples = default_samples, seed: Seed = 0) -> dict[str, Any]:
        """Assess one connection: the recommendation, its state (settled / open / conflict), scores,
        knock-outs, pitfalls, checks and `ask_next` — the same JSON as `patternfit assess --format json` —
        plus `headline` (the state in words) and `next_questions` (each ask_next key's question, help and
        allowed values). Ask the user `next_questions` in order; stop when `state` is settled."""
        return _call(workbench.assess, connection, samples, seed)

    @server.tool(annotations=READING)
    async def explain(connection: Connection, samples: Samples = default_samples, seed: Seed = 0) -> dict[str, Any]:
        """Why patternfit recommends what it does, in the catalog's words: the reasons, the knock-outs,
        what the decision hinges on, pitfalls, checks, every cited source (id → title, where), and a
        Markdown summary."""
        return _call(workbench.explain, connection, samples, seed)

    @server.tool(annotations=READING)
    async def what_if(
        connection: Connection,
        change: Annotated[
            dict[str, Any],
            Field(description="answers to change: key (a characteristic, or sub.<key>) → new value; null unanswers"),
        ],
        samples: Samples = default_samples,
        seed: Seed = 0,
    ) -> dict[str, Any]:
        """What changes if answers change: the recommendation, coordination, messaging flavour, state,
        scores, knock-outs and pitfalls before and after. `changes` lists the headline fields that differ."""
        return _call(workbench.what_if, connection, change, samples, seed)

    @server.tool(annotations=WRITING)
    def record(
        connection: Connection,
        status: Annotated[str, Field(description="proposed, accepted, rejected, deprecated or draft")] = "proposed",
        title: Annotated[str, Field(description="default: '<connection>: use <pattern> (…)'")] = "",
        deciders: list[str] | None = None,
        consulted: list[str] | None = None,
        informed: list[str] | None = None,
        date: Annotated[str | None, Field(description="YYYY-MM-DD (default today)")] = None,
        chosen: Annotated[
            str | None, Field(description="the pattern chosen, if not the recommendation (needs rationale)")
        ] = None,
        rationale: str = "",
        connection_id: Annotated[str, Field(description="the connection's id in the inventory")] = "",
        folder: Folder = "",
        format: Annotated[str, Field(description="madr, log4brains, json or html")] = "madr",
        template: Annotated[str, Field(description="madr, madr-minimal or nygard")] = "madr",
    ) -> dict[str, Any]:
        """Write the next numbered decision record (MADR 4.0) into the records folder the server was
        started with. Never overwrites a file; refuses folders outside the records folder."""
        return _call(
            workbench.record, connection, status=status, title=title, deciders=deciders, consulted=consulted,
            informed=informed, date=date, chosen=chosen, rationale=rationale, connection_id=connection_id,
            folder=folder, format=format, template=template,
        )  # fmt: skip

    @server.tool(annotations=READING)
    def records(
        folder: Folder = "",
    ) -> dict[str, Any]:
        """The decision log: number, title, status, pattern, date and file of every record."""
        return _call(workbench.records_log, folder)

    @server.tool(annotations=READING)
    def check(
        folder: Folder = "",
        inventory: Annotated[
            str | None, Field(description="an inventory or model file inside the workspace, to compare against")
        ] = None,
    ) -> dict[str, Any]:
        """Re-assess the recorded decisions (as `patternfit check`): `drifted` is true when one no longer
        holds; each finding names the record, the kind of drift and why."""
        return _call(workbench.check, folder, inventory)

    @server.tool(annotations=READING)
    def estate_summary(
        source: Annotated[str, Field(description=SOURCE_HELP)],
        kind: Annotated[
            str | None, Field(description="the source's format (default: detected from its content)")
        ] = None,
        limit: Annotated[int, Field(description="rows listed per table (the counts cover every row)")] = LISTED,
    ) -> dict[str, Any]:
        """Assess a whole estate: counts, the connections whose pattern fights their characteristics
        (mismatches), workshop candidates (no pattern fits, closest calls, fewest answers), pitfalls, the
        pattern mix and the unreadable cells."""
        return _call(workbench.estate_summary, source, kind, limit)

    @server.tool(annotations=READING)
    def flow(
        flow: Annotated[
            dict[str, Any] | None,
            Field(
                description="a flow inline, in the flow file's form: {name, steps: [{id, from, to, connection}], sub?}"
            ),
        ] = None,
        source: Annotated[
            str | None,
            Field(description="or a flow file, EventCatalog folder or Structurizr workspace inside the workspace"),
        ] = None,
        kind: Annotated[str | None, Field(description="eventcatalog or structurizr (with source)")] = None,
        view: Annotated[
            str | None, Field(description="the EventCatalog flow id or Structurizr dynamic view key")
        ] = None,
    ) -> dict[str, Any]:
        """Assess a business flow (as `patternfit flow --format json`): each step's assessment, the flow's
        coordination (orchestration / choreography, decided or not) with reasons, findings across steps
        and a mermaid sequence diagram."""
        return _call(workbench.flow, flow, source, kind, view)

    _resources(server, workbench)

    @server.prompt(name="decide-a-connection", title="Decide a connection")
    def decide(
        description: Annotated[str, Field(description="the user's description of the connection")] = "",
    ) -> str:
        """Walk the guided loop: answers from the description, then only the questions patternfit asks."""
        return decide_prompt(description)

    return server


def _resources(server: MCPServer[Any], workbench: Workbench) -> None:
    def questionnaire() -> str:
        return json.dumps(workbench.questionnaire(), ensure_ascii=False, indent=1)

    def model() -> str:
        return json.dumps(workbench.model_info(), ensure_ascii=False, indent=1)

    server.resource(
        "patternfit://questionnaire",
        name="questionnaire",
        title="The questionnaire",
        description="Every question: key, text, help, allowed values with labels and examples, sources",
        mime_type="application/json",
    )(questionnaire)
    server.resource(
        "patternfit://model",
        name="model",
        title="The model",
        description="The model version, the patterns and every source it cites",
        mime_type="application/json",
    )(model)
    server.resource(
        "patternfit://guide",
        name="guide",
        title="The pattern guide",
        description="All four pattern pages, orchestration or choreography, and the sources",
        mime_type="text/markdown",
    )(workbench.guide)
    for pattern in workbench.model.patterns:
        server.resource(
            f"patternfit://guide/{pattern.key}",
            name=f"guide-{pattern.key}",
            title=f"Pattern guide: {pattern.label}",
            description=f"When to use {pattern.label}, when not, its trade-offs, knock-outs and checklist",
            mime_type="text/markdown",
        )(_page(workbench, pattern.key))


def _page(workbench: Workbench, key: str) -> Callable[[], str]:
    def page() -> str:
        return workbench.pattern_page(key)

    return page


def _call(work: Callable[..., dict[str, Any]], *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Run one tool's work; bad input becomes a tool error naming the key, the value and what is allowed."""
    try:
        return work(*args, **kwargs)
    except PatternfitError as exc:
        raise ToolError(exc.message) from None


def decide_prompt(description: str) -> str:
    """The guided loop, as instructions to the assistant."""
    told = f"The user describes the connection:\n\n{description.strip()}\n\n" if description.strip() else ""
    return (
        f"{told}Decide the integration pattern for this connection with the patternfit tools; do not choose a "
        "pattern yourself.\n\n"
        "1. Read the resource patternfit://questionnaire. From the description, fill in only the answers it "
        "states plainly, with the allowed values; leave everything else out. Put an answer the user hedges on "
        "under `unsure`.\n"
        "2. Call `assess` with {name, characteristics, sub, unsure}.\n"
        "3. If `state` is `settled`, or `next_questions` is empty, go to 5.\n"
        "4. Ask the user the first question of `next_questions`: its `question`, its `help`, and its `values` "
        "(labels, with the example of each). Add the answer (its `value`; a key starting `sub.` goes under "
        "`sub` without the prefix); if the user is not sure, add the likeliest value and list the key under "
        "`unsure`; if the user does not know, skip to the next question. Call `assess` again and go to 3.\n"
        "5. Report `headline` and `recommended` as given, the pitfalls and checks, and — when the state is "
        "`open` — which answers could still change it. Call the result settled only when `state` is settled. "
        "Use `explain` for the reasons and their sources, and `what_if` when the user asks what another "
        "answer would change.\n"
        "6. If the user wants it recorded, call `record` (it writes the next numbered MADR record into the "
        "decisions folder and never overwrites one).\n"
    )


def _version() -> str:
    try:
        return metadata.version("patternfit")
    except metadata.PackageNotFoundError:  # running from a source tree without an install
        return ""
