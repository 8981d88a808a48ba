# Remit: `make build` and `make test` are all a fresh clone needs.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SITE   ?= .
ARGS   ?=

.PHONY: build check list report remind deploy watch serve test lint format messages clean \
	distclean bench bench-reconcile screenshots js-tools

build: $(STAMP)
	$(BIN)/remit build $(SITE) $(ARGS)

check: $(STAMP)
	$(BIN)/remit check $(SITE)

list: $(STAMP)
	$(BIN)/remit list $(SITE)

# What is owed (per currency, overdue by age, due soon, by week, per client).
report: $(STAMP)
	$(BIN)/remit report $(SITE) $(ARGS)

# Today's payment reminders; `make remind ARGS=--send` e-mails them (site.toml [smtp]).
remind: $(STAMP)
	$(BIN)/remit remind $(SITE) $(ARGS)

# Build afresh and publish output/ to the gh-pages branch (sources stay unpublished).
deploy: $(STAMP)
	$(BIN)/remit deploy $(SITE) $(ARGS)
# Rebuild on every change to content/, themes/ or site.toml (Ctrl-C stops).
watch: $(STAMP)
	$(BIN)/remit watch $(SITE) $(ARGS)

# The same, plus a preview on http://127.0.0.1:$(PORT)/ that reloads open tabs after each rebuild.
PORT ?= 8000
serve: $(STAMP)
	$(BIN)/remit serve $(SITE) --port $(PORT) $(ARGS)

test: $(STAMP) js-tools
	$(BIN)/ruff check generator tests tools
	$(BIN)/pytest

# Browser-side test tools from the npm registry (axe-core, tests/js/package-lock.json),
# installed when npm is there; without it the tests that need them skip and say why.
JS_STAMP := tests/js/node_modules/.installed-stamp
js-tools:
	@if [ -f $(JS_STAMP) ] && [ $(JS_STAMP) -nt tests/js/package-lock.json ]; then :; \
	elif command -v npm >/dev/null 2>&1; then \
	  (cd tests/js && npm ci --no-audit --no-fund --loglevel=error) && touch $(JS_STAMP) || \
	  echo "note: npm ci in tests/js failed; the axe-core tests will be skipped" >&2; \
	else \
	  echo "note: npm not found (Debian package npm); the axe-core tests will be skipped" >&2; \
	fi

# Full-page PNGs of every example page at 375x667, 390x844 and 1280x800, light and dark, in
# each language, into screenshots/ for review (never into output/); ARGS=--languages=ru ...
screenshots: $(STAMP)
	$(BIN)/python tools/screenshots.py $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check generator tests tools

format: $(STAMP)
	$(BIN)/ruff check --fix generator tests tools

# Re-extract translatable strings and merge them into every language's catalog.
messages: $(STAMP)
	$(BIN)/python tools/catalogs.py

clean:
	rm -rf output

distclean: clean
	rm -rf $(VENV) .remit-cache .pytest_cache .ruff_cache .hypothesis tests/js/node_modules \
	  screenshots

# The virtual environment is made on first use and refreshed when pyproject.toml changes.
$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Remit needs Python 3.11 or newer (set PYTHON=python3.12, say)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@# What pip does for an installed wheel, an editable install skips (and
	@# PYTHONDONTWRITEBYTECODE=1 stops Python doing it later): without bytecode every
	@# `remit` process compiles generator/ afresh, ~0.1 s of a no-op build.
	$(BIN)/python -m compileall -q generator
	touch $(STAMP)

# Time a synthetic site of N invoices: cold page-only against Pelican (installed into .bench/,
# not the project), cold with PDFs against WeasyPrint alone, no-op and one edit, 10,000 pages;
# then `remit reconcile` with a 10,000-line statement against 1,000 invoices; then the cost of
# an e-invoice per PDF (tools/bench_einvoice.py).
N ?= 1000
bench: $(STAMP)
	$(BIN)/python -m compileall -q generator  # time the code as an installed user runs it
	$(BIN)/python tools/bench.py --invoices $(N)
	$(BIN)/python tools/bench_reconcile.py
	$(BIN)/python tools/bench_einvoice.py

bench-reconcile: $(STAMP)
	$(BIN)/python tools/bench_reconcile.py
