# The two commands of the README, and the checks developers and CI share.
#   make demo   set up .venv, ingest examples/articles/ into examples/claims.db, serve it
#   make test   set up .venv with the dev tools, then lint, type-check and run every test
# Both are idempotent: a second run reinstalls nothing and re-ingests nothing unchanged.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
# The CPU build of torch lies on these machines' disk; an unpinned torch would pull a
# CUDA build of several GB, so it is installed first and pinned in pyproject.toml.
TORCH := torch==2.13.0
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
PORT ?= 8001
# Two test processes halve the suite's time on the two-core machines CI runs on; each
# loads the models it needs once, so more would cost memory for little gain there.
TEST_PROCESSES ?= 2

.PHONY: demo test lint fix cog install install-dev browser clean

demo: $(RUNTIME_STAMP)
	$(BIN)/claimtrack ingest examples/claims.db examples/articles/
	$(BIN)/claimtrack serve examples/claims.db --port $(PORT)

test: $(DEV_STAMP) browser
	$(MAKE) --no-print-directory lint
	$(BIN)/pytest --numprocesses $(TEST_PROCESSES) --dist loadfile

lint: $(DEV_STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/cog --check README.md docs/*.md

fix: $(DEV_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

cog: $(DEV_STAMP)
	$(BIN)/cog -r README.md docs/*.md

install: $(RUNTIME_STAMP)

install-dev: $(DEV_STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(RUNTIME_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) install --quiet $(TORCH)
	$(PIP) install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml $(RUNTIME_STAMP)
	$(PIP) install --quiet -e . --group dev
	touch $@

# Browser tests drive Debian's Chromium through Playwright; Playwright's own browser
# download cannot work without internet, so it is never used.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium and chromium-driver for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver; }

clean:
	rm -rf $(VENV) examples/claims.db examples/claims.db-shm examples/claims.db-wal
