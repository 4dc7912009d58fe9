# Two commands on a fresh machine: `make site` and `make test`.
# Both create (once) and reuse a local virtual environment in .venv.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# axe-core (accessibility rules injected into pages by the browser tests), from the npm registry.
AXE_VERSION := 4.10.3
AXE := .cache/npm/node_modules/axe-core/axe.min.js

.PHONY: site test test-browser serve check bench bench-compare bench-related bench-search bench-serve bench-preview clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(AXE):
	npm install --silent --no-audit --no-fund --prefix .cache/npm axe-core@$(AXE_VERSION)

site: $(STAMP)
	$(BIN)/python build.py

test: $(STAMP) $(AXE)
	$(BIN)/python -m pytest

test-browser: $(STAMP) $(AXE)
	$(BIN)/python -m pytest -m browser

serve: $(STAMP)
	$(BIN)/python build.py serve

# Whole-site builds (cold, warm, one edit) at 1,000 and 10,000 posts; a few minutes.
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_build.py --posts 1000 10000

# The same, with Pelican (installed into .cache/bench) and Hugo (Debian's package, if present).
bench-compare: $(STAMP)
	$(BIN)/python benchmarks/bench_build.py --posts 1000 10000 --compare

bench-related: $(STAMP)
	$(BIN)/python benchmarks/bench_related.py --posts 1000
	$(BIN)/python benchmarks/bench_related.py --posts 10000

bench-search: $(STAMP)
	$(BIN)/python benchmarks/bench_search.py --posts 10000

# Preview rebuilds after an edit (build.py serve), with and without the posts kept in memory.
bench-serve: $(STAMP)
	$(BIN)/python benchmarks/bench_serve.py --posts 10000

# From saving a post to the open page reloaded, build.py serve and headless Chromium (Debian's).
bench-preview: $(STAMP)
	$(BIN)/python benchmarks/bench_preview.py --posts 10000

check: site
	$(BIN)/python build.py check

clean:
	rm -rf public .cache
