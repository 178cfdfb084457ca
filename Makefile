# The two commands a newcomer needs (see README): `make serve` and `make test`.
# Everything installs into .venv; browser tests use Debian's chromium.
# `./publisher ...` runs the publisher command the same way, with nothing to activate.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# What the site needs, and what the tests need on top: `make serve` installs only the
# first (the test tools, Playwright above all, are most of the download).
SITE_STAMP := $(VENV)/.installed-site
TEST_STAMP := $(VENV)/.installed-test

.PHONY: install serve build check status test test-fast chromium clean properdocs

$(SITE_STAMP): pyproject.toml
	@echo "Setting up .venv: the publisher and what the site needs (first run only, about a minute)..."
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/pip install --quiet --disable-pip-version-check -e .
	@touch $@
	@echo "Installed. './publisher' runs the publisher command from this folder."

$(TEST_STAMP): $(SITE_STAMP)
	@echo "Adding the test tools to .venv (first run only)..."
	@$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

## Install the publisher into .venv (what `./publisher` and `make serve` do on first use).
install: $(SITE_STAMP)

## Build the Jersey site and serve it at http://127.0.0.1:8000/ (drafts shown, reloads on edits).
serve: $(SITE_STAMP)
	@echo "Building the preview; it is ready when 'Serving on http://127.0.0.1:8000/' appears."
	$(BIN)/publisher serve

## Build the public site into site/ (set SITE_URL to the address it is published at).
build: $(SITE_STAMP)
	$(BIN)/publisher build

## Build with ProperDocs, MkDocs' maintained fork, into site-properdocs/ (CI checks both match).
properdocs: $(TEST_STAMP)
	$(BIN)/properdocs build --strict -f mkdocs.yml -d site-properdocs

## Validate content/ only.
check: $(SITE_STAMP)
	$(BIN)/publisher check

## What is overdue, which progress updates are due, what is held back.
status: $(SITE_STAMP)
	$(BIN)/publisher status

## Run every test: unit, integration, property and browser tests, on every core.
test: $(TEST_STAMP) chromium
	$(BIN)/python -m pytest -n auto

## The unit, integration and property tests, without the browser (no chromium needed).
test-fast: $(TEST_STAMP)
	$(BIN)/python -m pytest -n auto -m "not browser"

# Browser tests drive Debian's Chromium (Playwright's own browser download needs the network).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium; }

clean:
	rm -rf site site-properdocs .pytest_cache .hypothesis
