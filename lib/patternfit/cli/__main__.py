"""`python -m patternfit.cli …`, the same as the `patternfit` command."""

import sys

from patternfit.cli.main import main

sys.exit(main())
