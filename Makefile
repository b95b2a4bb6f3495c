# Gräsrot: `make serve` to preview, `make test` to run every test.
# Every target installs what it needs from constraints.txt into .venv.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install --disable-pip-version-check -q -c constraints.txt

.PHONY: serve edit build check publish lint test bench lock clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed: apt-get install python3.11 python3.11-venv" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) -e ".[test,bench]"
	@touch $@

PORT ?= 8000

serve: $(VENV)/.installed  ## build the example site and serve it with live reload (PORT=8000)
	$(BIN)/invoke serve --port $(PORT)

edit: $(VENV)/.installed  ## the web editor on this working copy: http://localhost:8000/admin/
	@test -f node_modules/decap-server/dist/index.js || npm ci --ignore-scripts --no-audit --no-fund
	$(BIN)/invoke edit --port $(PORT)

build: $(VENV)/.installed
	$(BIN)/invoke build

check: $(VENV)/.installed
	$(BIN)/invoke check

publish: $(VENV)/.installed
	$(BIN)/invoke publish

lint: $(VENV)/.installed-test  ## ruff (lint, format check) and mypy: zero findings
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint  ## lint, then the whole test suite (installs Chromium if root)
	bash scripts/ensure-test-tools.sh
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed-test
	$(BIN)/invoke bench

lock:  ## refresh constraints.txt from a clean venv
	rm -rf /tmp/grasrot-lock && $(PYTHON) -m venv /tmp/grasrot-lock
	/tmp/grasrot-lock/bin/pip install -q -e ".[test,bench]"
	/tmp/grasrot-lock/bin/pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean:
	rm -rf output cache .pytest_cache
