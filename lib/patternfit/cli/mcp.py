"""`patternfit mcp`: the decisions as Model Context Protocol tools, over stdio, for AI assistants.

    patternfit mcp [--records DIR] [--root DIR] [--profile F]

An assistant reads the user's prose, answers what it can, and asks only the questions
patternfit says matter (`next_questions` of `assess`); the recommendation, its state and its
reasons come from the model, not from the assistant. Tools: assess, explain, what_if,
record, records, check, estate_summary. Resources: the questionnaire, the pattern guide pages,
the model (version and sources). Prompt: decide-a-connection (the guided loop).

Built on the official MCP Python SDK's `MCPServer` (the SDK's high-level server, called
FastMCP before mcp 2), installed by the `mcp` extra. No network: stdio only. Bad arguments
come back as tool errors naming the key, the value and what is allowed; the server stays up.
The server is `patternfit.cli.mcp_server`; the work itself is `patternfit.cli.mcp_tools` (no SDK
there). Exit codes: 0 the client closed
the connection, 2 bad settings or the extra missing, 1 a bug.
"""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path
from typing import Any

from patternfit.errors import InputError
from patternfit.records.store import DEFAULT_FOLDER


def register(commands: Any) -> None:
    """Add the `mcp` command."""
    p = commands.add_parser(
        "mcp",
        help="the same decisions as Model Context Protocol tools (stdio) for AI assistants",
        description="Serve patternfit's decisions as MCP tools over stdio (needs: pip install 'patternfit[mcp]').",
    )
    p.add_argument(
        "--records",
        type=Path,
        default=DEFAULT_FOLDER,
        metavar="DIR",
        help=f"the decisions folder the record tool writes into (default {DEFAULT_FOLDER})",
    )
    p.add_argument(
        "--root",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="the workspace the tools may read inventories and models from (default: the current folder)",
    )
    p.add_argument("--profile", type=Path, help="an organisation profile (YAML) applied to every assessment")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if importlib.util.find_spec("mcp") is None:
        raise InputError(
            "patternfit mcp",
            "needs the Model Context Protocol SDK, which is not installed",
            "install it with: pip install 'patternfit[mcp]'",
        )
    from patternfit.cli.mcp_server import build_server
    from patternfit.cli.mcp_tools import Workbench

    workbench = Workbench.start(args.records, args.root, args.profile)
    build_server(workbench).run("stdio")
    return 0
