# The two commands: `make run` and `make test` (README.md). Everything else is a step they share.
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
PYTHON ?= python3
# Where `make run` serves: `make run HOST=0.0.0.0 PORT=5001`. Set on the command line only (not `?=`), so a
# shell that exports HOST (tcsh) cannot move the default.
HOST := 127.0.0.1
PORT := 5000

.PHONY: run test setup deps database lint bench clean

run: setup
	$(FLASK) serve --host $(HOST) --port $(PORT)

test: setup lint
	$(BIN)/pytest -q

setup: deps database

deps: $(VENV)/.installed node_modules/.installed

# requirements.txt is the lock (exact versions); pyproject.toml's ranges are what `pip install .` resolves.
$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# The designer bundle (frontend/) is built by npm ci's postinstall: a change there rebuilds it.
node_modules/.installed: package.json package-lock.json scripts/vendor.mjs $(shell find frontend -type f -not -name '*.md')
	npm ci --no-audit --no-fund
	touch $@

database: deps
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) demo load
	$(FLASK) processes deploy processes forms
	$(FLASK) demo scenario fishing --once

lint: deps
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	@out=$$(npm run --silent check:designer 2>&1) || { echo "$$out"; exit 1; }  # translations, round trip, lint

bench: setup
	$(BIN)/python bench/engine_overhead.py

clean:
	rm -rf $(VENV) node_modules app/static/vendor instance .pytest_cache
