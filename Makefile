# One obvious command per habit. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-python test-system test-widget lint check bench system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# uv installs what pyproject.toml lists into the venv: the same packages pip resolves to, in
# a third of the time (pip took ~45 s of a fresh clone's CI run, most of it resolving one
# package after another). pip installs only uv itself. --compile-bytecode writes the .pyc
# files pip writes by default, which every test process would otherwise compile anew.
$(BIN)/uv: | $(BIN)/python
	$(BIN)/pip install --quiet uv
UV_INSTALL := $(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode

$(VENV)/.run-installed: pyproject.toml | $(BIN)/uv
	$(UV_INSTALL) -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/uv
	$(UV_INSTALL) -e '.[test]'
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	SMARTMED_BASE_URL=http://$(HOST):$(PORT) $(BIN)/smartmed serve --host $(HOST) --port $(PORT)

system-deps:
	bash scripts/install-system-deps.sh

# Every test, as CI runs it: the fast loop, then what needs Debian's nginx and docker-compose,
# then the widget in the browsers already installed (system-deps installs only missing ones).
test: test-python test-system test-widget

# The fast loop: the linters (make lint), then pytest without browsers, nginx or
# docker-compose.
test-python: lint
	$(BIN)/pytest -m "not system" -n auto

# The pytest tests marked `system`: real nginx in front of replicas, docker-compose config.
test-system: $(VENV)/.test-installed system-deps
	$(BIN)/pytest -m system

# The widget's browser tests: Debian's Chromium and Firefox ESR (from system-deps) driven by
# puppeteer-core, which downloads no browser of its own. CHROMIUM_BIN / FIREFOX_BIN point
# them at another build of either browser. Also the outside checkers on every page: the Nu
# HTML Checker (vnu-jar, on system-deps' Java) and Lighthouse (in Chromium).
test-widget: $(VENV)/.test-installed system-deps
	cd widget && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund && npm test

$(VENV)/.bench-installed: pyproject.toml | $(BIN)/uv
	$(UV_INSTALL) -e '.[test,bench]'
	touch $@ $(VENV)/.test-installed $(VENV)/.run-installed

# Side-by-side benchmarks on loopback (~9 minutes); rewrites docs/benchmarks.md, the widget
# events' section (SQLite, then a PostgreSQL the script starts itself) last.
bench: $(VENV)/.bench-installed
	bash scripts/install-system-deps.sh wrk
	cd widget && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund
	$(BIN)/python bench/run.py
	$(BIN)/python bench/events_bench.py

# ruff on everything; mypy, strict, on the package (pyproject.toml [tool.mypy]).
lint: $(VENV)/.test-installed
	$(BIN)/ruff check service tests bench
	$(BIN)/mypy

check: $(VENV)/.run-installed
	$(BIN)/smartmed check content

clean:
	rm -rf $(VENV) widget/node_modules .pytest_cache
