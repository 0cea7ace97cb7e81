"""The command line: `patternfit assess | record | records | estate | ask | check | mcp`."""

from patternfit.cli.main import main

__all__ = ["main"]
