# tsunagu — `make demo` and `make test` on a fresh clone; `make help` lists the rest.
# Every variable below can be overridden: `make demo PORT=8080`, `make test PYTEST_ARGS=-x`.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
TSUNAGU := $(abspath $(BIN))/tsunagu
LOCK ?= requirements.lock

HOST ?= 127.0.0.1
PORT ?= 8000
# `make demo` reads TSUNAGU_* settings from this file when it exists (see .env.example).
ENV_FILE ?= .env
NOSERVE ?=
DEMO_ARGS ?=

PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=
# The PostgreSQL pass of `make test`: auto (run when a server answers at PG_HOST:PG_PORT
# or TSUNAGU_TEST_POSTGRES is set), yes (must run) or no.
TEST_POSTGRES ?= auto
# postgres://USER[:PASSWORD]@HOST:PORT/NAME; empty: the first of PG_USERS that can log in.
# pytest-django creates and drops test_NAME (test_NAME_gw0 … with -n), so USER needs CREATEDB.
TEST_POSTGRES_URL ?=
PG_HOST ?= 127.0.0.1
PG_PORT ?= 5432
PG_DB ?= test
PG_USERS ?= postgres root

CHROMIUM ?= /usr/bin/chromium
BENCH_ARGS ?=

# The stamp's name carries a hash of the lock and pyproject.toml, so editing either
# reinstalls, and nothing is installed when neither changed.
STAMP := $(VENV)/.installed-$(shell cat $(LOCK) pyproject.toml 2>/dev/null | sha256sum | cut -c1-16)

.PHONY: help venv sysdeps sysdeps-browser demo test test-postgres test-browser check bench \
	screenshots messages compilemessages clean distclean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)/  make \1\t\2/' | expand -t 24

venv: $(STAMP) ## create .venv and install the locked dependencies (fast when done)

$(STAMP):
	@test -x $(BIN)/python || { echo "Creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r $(LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

# Checks for Debian packages and installs the missing ones when we are root with apt-get.
# $(1): packages to require ("fonts" and/or "chromium"); $(2): 1 to fail when one is
# missing and cannot be installed, else only warn.
define sysdeps_script
missing=(); \
if [[ " $(1) " == *" fonts "* ]]; then \
  command -v fc-list >/dev/null || missing+=(fontconfig); \
  { command -v fc-list >/dev/null && fc-list | grep -i 'Noto Sans CJK' >/dev/null; } || missing+=(fonts-noto-cjk); \
fi; \
if [[ " $(1) " == *" chromium "* ]]; then [ -x $(CHROMIUM) ] || missing+=(chromium); fi; \
if (( $${#missing[@]} == 0 )); then exit 0; fi; \
if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
  echo "Installing Debian packages: $${missing[*]}"; \
  export DEBIAN_FRONTEND=noninteractive; \
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "$${missing[@]}" >/dev/null; \
else \
  echo "tsunagu needs these Debian packages, which are missing: $${missing[*]}"; \
  echo "  (fonts-noto-cjk: Japanese text in PDF reports; chromium: browser tests)"; \
  echo "  Install them with: sudo apt-get install $${missing[*]}"; \
  if [ "$(2)" = 1 ]; then exit 1; fi; \
  echo "  Continuing without them; the tests that need them may fail."; \
fi
endef

sysdeps: ## install the Japanese fonts PDF reports need (Debian fonts-noto-cjk)
	@$(call sysdeps_script,fonts,0)

sysdeps-browser: ## install chromium and the fonts for the browser tests
	@$(call sysdeps_script,fonts chromium,1)

compilemessages: venv ## compile the translations (.po → .mo)
	@if ! compgen -G 'src/tsunagu/locale/*/LC_MESSAGES/*.po' >/dev/null; then \
	  echo "no translations to compile yet"; \
	elif command -v msgfmt >/dev/null; then \
	  cd src/tsunagu && $(TSUNAGU) compilemessages -l ja -v 0; \
	else echo "msgfmt not found (Debian package gettext): translations not compiled"; fi

messages: venv ## extract the Japanese message catalogue and compile it
	@command -v msgfmt >/dev/null || { echo "needs GNU gettext: sudo apt-get install gettext"; exit 1; }
	cd src/tsunagu && $(TSUNAGU) makemessages -l ja --add-location file --no-obsolete \
	  --ignore 'static/vendor/*' --ignore 'tests/*'
	cd src/tsunagu && $(TSUNAGU) compilemessages -l ja

demo: venv sysdeps compilemessages ## migrate, load the Kamakura plan and demo data, serve on PORT
	@set -a; if [ -f "$(ENV_FILE)" ]; then echo "Reading $(ENV_FILE)"; . "$(abspath $(ENV_FILE))"; fi; set +a; \
	echo "Migrating the database"; \
	$(TSUNAGU) migrate --no-input -v 0; \
	$(TSUNAGU) load_demo $(DEMO_ARGS); \
	if [ -z "$(NOSERVE)" ] || [ "$(NOSERVE)" = 0 ]; then \
	  echo "Serving on http://$(HOST):$(PORT)/ — stop with Ctrl-C"; \
	  exec $(TSUNAGU) runserver $(HOST):$(PORT); \
	fi

test: venv sysdeps ## the whole suite on SQLite, then on PostgreSQL when one answers
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser" $(PYTEST_ARGS)
	@$(MAKE) --no-print-directory test-postgres

test-postgres: venv ## the suite on PostgreSQL (see TEST_POSTGRES and TEST_POSTGRES_URL)
	@mode="$(TEST_POSTGRES)"; url="$(TEST_POSTGRES_URL)"; \
	if [ "$$mode" = no ]; then exit 0; fi; \
	if [ -n "$${TSUNAGU_TEST_POSTGRES:-}" ]; then \
	  mode=yes; \
	  if [[ -z "$$url" && "$$TSUNAGU_TEST_POSTGRES" == postgres* ]]; then url="$$TSUNAGU_TEST_POSTGRES"; fi; \
	fi; \
	if [ -z "$$url" ]; then \
	  for user in $(PG_USERS); do \
	    if $(BIN)/python -c 'import sys, psycopg; psycopg.connect(host=sys.argv[1], port=sys.argv[2], user=sys.argv[3], dbname="postgres", connect_timeout=3).close()' \
	        "$(PG_HOST)" "$(PG_PORT)" "$$user" 2>/dev/null; then \
	      url="postgres://$$user@$(PG_HOST):$(PG_PORT)/$(PG_DB)"; break; \
	    fi; \
	  done; \
	fi; \
	if [ -z "$$url" ]; then \
	  if [ "$$mode" = yes ]; then \
	    echo "PostgreSQL: no server answered at $(PG_HOST):$(PG_PORT) for users $(PG_USERS); set TEST_POSTGRES_URL" >&2; exit 1; \
	  fi; \
	  echo "PostgreSQL pass skipped: no server at $(PG_HOST):$(PG_PORT) (TSUNAGU_TEST_POSTGRES=postgres://… to use one)"; \
	  exit 0; \
	fi; \
	echo "== the suite on PostgreSQL ($${url##*@})"; \
	TSUNAGU_DATABASE_URL="$$url" $(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser" $(PYTEST_ARGS)

test-browser: venv sysdeps-browser ## the browser tests (Playwright driving Debian's chromium)
	@rc=0; $(BIN)/pytest -m browser $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc = 5 ] && ! compgen -G 'tests/browser/test_*.py' >/dev/null; then \
	  echo "no browser tests yet"; rc=0; \
	fi; \
	exit $$rc

screenshots: venv sysdeps-browser ## regenerate docs/screenshots
	$(BIN)/pytest tests/browser/test_screenshots.py "tests/browser/test_directory.py::test_it_takes_the_directory_screenshots" -m browser -p no:xdist $(PYTEST_ARGS)

check: venv ## ruff (lint and format) and mypy; runs all three, fails if any fails
	@status=0; \
	echo "== ruff check"; $(BIN)/ruff check . || status=1; \
	echo "== ruff format --check"; $(BIN)/ruff format --check . || status=1; \
	echo "== mypy src"; $(BIN)/mypy src || status=1; \
	exit $$status

bench: venv ## plan and directory-search benchmarks, SQLite and PostgreSQL if one answers (BENCH_ARGS=--help); results in bench/results/
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean: ## remove the database, caches and build files (keeps .venv)
	rm -rf var/ build/ dist/ src/*.egg-info .mypy_cache .ruff_cache .pytest_cache
	find src tests bench -name __pycache__ -type d -prune -exec rm -rf {} + 2>/dev/null || true

distclean: clean ## clean, and remove .venv too
	rm -rf $(VENV)
