# Two entry points: `make run` (set up, migrate, demo data, serve) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PYSTAMP   := $(VENV)/.installed
NODESTAMP := node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test lint typecheck pytest pytest-sqlite pytest-postgres bench eval fuzz sweep clean messages screenshots walk

$(PYSTAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

$(NODESTAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(PYSTAMP) $(NODESTAMP)

run: setup
	$(BIN)/upland run --host $(HOST) --port $(PORT)

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

typecheck: setup
	$(BIN)/mypy src

# SQLite always; PostgreSQL too when UPLAND_TEST_DATABASE_URL is set (.ci/run sets it). `make test`
# runs the two passes side by side (two cores; `-O` prints each pass whole), each with its own
# Redis database (UPLAND_TEST_SQLITE_REDIS_URL for the SQLite pass). The browser tests drive a
# server on a SQLite file of their own whatever the backend under test, so they run in the
# SQLite pass only; so do the tests that never touch the database under test (`backend_free`:
# decided by their fixtures, tests/backend_marks.py) and the benchmarks' tests that build their
# own SQLite files (tests/bench/conftest.py). Each pass runs on two pytest-xdist workers (each
# PostgreSQL worker with a database of its own, each worker with a Redis database of its own:
# tests/workers.py): four workers on two cores keep both cores busy until the longer pass ends,
# instead of one lane running alone on one core for its last minutes.
pytest-sqlite: setup
	env -u UPLAND_TEST_DATABASE_URL UPLAND_TEST_REDIS_URL="$${UPLAND_TEST_SQLITE_REDIS_URL:-$$UPLAND_TEST_REDIS_URL}" \
	  $(BIN)/pytest -q -p no:cacheprovider -n 2 --dist loadfile

pytest-postgres: setup
	@if [ -n "$$UPLAND_TEST_DATABASE_URL" ]; then \
	  echo "== the same suite on $$UPLAND_TEST_DATABASE_URL (browser and backend-free tests: SQLite pass)"; \
	  $(BIN)/pytest -q -p no:cacheprovider -m "not browser and not backend_free" -n 2 --dist loadfile; \
	else echo "UPLAND_TEST_DATABASE_URL not set: PostgreSQL run skipped"; fi

test: lint typecheck
	@$(MAKE) --no-print-directory -j2 -O pytest-sqlite pytest-postgres

# Words (docs/architecture.md): extract every msgid from code and templates into the .pot (a
# build artefact, not committed) and update both catalogues; then translate the new `pl`
# entries (the suite fails until then).
LOCALE   := src/upland/locale
KEYWORDS := -k N_ -k Message -k gettext_in:2 -k ngettext_in:2,3 -k plural_message:1,2 -k NotFound \
            -k PermissionDenied -k Conflict -k Gone -k InvalidValue -k one:2 -k FieldError:2 \
            -k ImportFileError
messages: setup
	$(BIN)/pybabel extract -F babel.cfg $(KEYWORDS) --no-location --sort-output \
	  --project=upland --no-wrap -o $(LOCALE)/messages.pot .
	$(BIN)/pybabel update -i $(LOCALE)/messages.pot -d $(LOCALE) --no-wrap --no-fuzzy-matching \
	  --ignore-obsolete --ignore-pot-creation-date

bench: setup
	$(BIN)/upland bench import
	$(BIN)/upland bench registry
	$(BIN)/upland bench market
	$(BIN)/upland bench market-digest

# Quality of PKD suggestions on the held-out test split of the independent evaluation set,
# with and without the hints.
eval: setup
	$(BIN)/upland eval pkd

# The deep API fuzz (CI runs a sample): 200 examples per operation and actor, and
# schemathesis's coverage phase; on PostgreSQL too when UPLAND_TEST_DATABASE_URL is set.
fuzz: setup
	UPLAND_FUZZ_EXAMPLES=200 UPLAND_FUZZ_COVERAGE=1 $(BIN)/pytest -q -p no:cacheprovider tests/test_api_fuzz.py

# The whole browser sweep (CI widens each page to desktop width once): every visit at 390 px
# and at 1280 px, axe-core both times.
sweep: setup
	UPLAND_SWEEP=full $(BIN)/pytest -q -p no:cacheprovider tests/test_browser_sweep.py

# docs/screenshots/: the home page and each role's starting page, in Polish and English.
screenshots: setup
	$(BIN)/python bench/screenshots.py

# Walk the demo as every demo user, in Polish on a phone and in English on a desktop:
# broken links, errors, sideways scrolling, slow pages (screenshots in var/walk/).
walk: setup
	$(BIN)/python bench/walk.py

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .ruff_cache .mypy_cache .grimp_cache .import_linter_cache
