"""The command line: `patternfit assess | record | records | estate`."""

from patternfit.cli.main import main

__all__ = ["main"]
