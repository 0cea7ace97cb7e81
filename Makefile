# patternfit — `make help` lists the targets. Everything sets itself up from nothing:
# the virtual environment, Python packages, Debian's chromium and the npm ADR tools.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
PORT ?= 8866
NOTEBOOKS ?= notebooks
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.DEFAULT_GOAL := help
.PHONY: help venv lock chromium nginx postgres npm dashboard lab test test-fast lint bench clean

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# pyproject.toml holds compatible ranges; constraints.txt the exact set tested together.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dashboards,test,mcp]'
	@# the patternfit Voila template where every Voila of this venv finds it (a wheel installs it there)
	mkdir -p $(VENV)/share/jupyter/voila/templates
	ln -sfn $(CURDIR)/share/jupyter/voila/templates/patternfit $(VENV)/share/jupyter/voila/templates/patternfit
	@touch $@

venv: $(STAMP) ## create .venv and install patternfit, the dashboards, the MCP server and the test tools (constraints.txt)

lock: ## refresh constraints.txt from a fresh resolve of pyproject.toml's ranges
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip
	.venv-lock/bin/python -m pip install --quiet '.[dashboards,test,mcp]'
	{ echo "# The exact set tested together (make lock); pyproject.toml holds the ranges."; \
	  .venv-lock/bin/python -m pip freeze --exclude-editable | grep -v '^patternfit' ; } > constraints.txt
	rm -rf .venv-lock

chromium: ## install Debian's chromium for the browser tests (if missing)
	@command -v chromium >/dev/null || { \
	  echo "installing Debian chromium…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

nginx: ## install Debian's nginx-light for the reverse-proxy test (if missing)
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { \
	  echo "installing Debian nginx-light…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; }

postgres: ## install Debian's PostgreSQL server for the room store's tests (if missing; the tests start their own)
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "installing Debian postgresql…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

npm: $(NPM_STAMP) ## install the npm tools (log4brains, markdownlint-cli2, configurable-http-proxy)

dashboard: venv ## serve the dashboards with Voila: the start page on http://localhost:$(PORT)
	$(BIN)/voila --no-browser --port=$(PORT) $(NOTEBOOKS)

lab: venv ## open the notebooks in JupyterLab
	$(BIN)/jupyter lab --no-browser notebooks/

# Both test targets run one worker per core (pytest-xdist). A test file stays on one worker, so its
# module fixtures (the wheel build) are made once; the session's Voila server and PostgreSQL cluster
# start once per worker. PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= auto
XDIST := -n $(PYTEST_WORKERS) --dist loadfile

test: venv chromium npm nginx postgres ## run every test: unit, property, notebooks (nbval), ADR tools, browser
	$(BIN)/python -m pytest $(XDIST) --durations=10 --nbval-lax --nbval-current-env tests notebooks

test-fast: venv ## the Python tests without the browser and the slow ones (make test runs them all)
	$(BIN)/python -m pytest $(XDIST) -m "not browser and not slow"

lint: venv ## ruff and mypy over lib/, tests/ and the notebooks
	$(BIN)/ruff check lib tests bench notebooks
	$(BIN)/ruff format --check lib tests bench notebooks
	$(BIN)/mypy

bench: venv chromium nginx ## print the quality-target figures of DESIGN.md
	$(BIN)/python bench/run.py

clean: ## remove the environment and caches
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache .hypothesis artifacts
