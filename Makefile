# The two commands a newcomer needs (see README): `make serve` and `make test`.
# Everything installs into .venv; browser tests use Debian's chromium.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve build check test chromium clean properdocs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## Build the Jersey site and serve it at http://127.0.0.1:8000/ (drafts shown, reloads on edits).
serve: $(STAMP)
	$(BIN)/publisher serve

## Build the public site into site/.
build: $(STAMP)
	$(BIN)/publisher build

## Build with ProperDocs, MkDocs' maintained fork, into site-properdocs/ (CI checks both match).
properdocs: $(STAMP)
	$(BIN)/properdocs build --strict -f mkdocs.yml -d site-properdocs

## Validate content/ only.
check: $(STAMP)
	$(BIN)/publisher check

## Run every test: unit, integration, property and browser tests.
test: $(STAMP) chromium
	$(BIN)/python -m pytest

# Browser tests drive Debian's Chromium (Playwright's own browser download needs the network).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium; }

clean:
	rm -rf site site-properdocs .pytest_cache .hypothesis
