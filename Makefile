# Masthead: `make demo` runs the site locally; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# `make demo PORT=8300`: the server's port; the primary URL (links, feeds, admin) follows it.
PORT ?= 8000
DEMO_ENV := DEBUG=1 MASTHEAD_PRIMARY_URL=http://127.0.0.1:$(PORT)
# In the demo every publish refreshes a static mirror under var/mirror/current; its feeds
# name the address the README serves it at (python3 -m http.server ... 8001): keep in sync.
DEMO_MIRROR := {"local": {"BACKEND": "masthead.mirrors.targets.LocalDirectory", "PATH": "var/mirror", "PUBLIC_URL": "http://127.0.0.1:8001/"}}

.PHONY: demo test lint check bench-site bench-import clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c requirements.lock -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(DEMO_ENV) $(BIN)/masthead migrate --noinput
	$(DEMO_ENV) $(BIN)/masthead load_demo
	$(DEMO_ENV) MASTHEAD_MIRROR_TARGETS='$(DEMO_MIRROR)' $(BIN)/masthead serve_demo

test: $(STAMP)
	$(BIN)/pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check masthead tests bench
	$(BIN)/ruff format --check masthead tests bench

check: $(STAMP)
	$(BIN)/masthead check
	$(BIN)/masthead makemigrations --check --dry-run

bench-site: $(STAMP)
	$(BIN)/python bench/site_bench.py --articles 1000 10000

bench-import: $(STAMP)
	$(BIN)/python bench/import_bench.py

clean:
	rm -rf $(VENV) var test-artifacts
