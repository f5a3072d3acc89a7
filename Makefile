# Two entry points: `make run` (set up, migrate, demo data, serve) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PYSTAMP   := $(VENV)/.installed
NODESTAMP := node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test lint typecheck pytest pytest-sqlite pytest-postgres bench eval clean

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

# SQLite always; PostgreSQL too when UPLAND_TEST_DATABASE_URL is set (.ci/run sets it).
pytest-sqlite: setup
	env -u UPLAND_TEST_DATABASE_URL $(BIN)/pytest -q -p no:cacheprovider

pytest-postgres: setup
	@if [ -n "$$UPLAND_TEST_DATABASE_URL" ]; then \
	  echo "== the same suite on $$UPLAND_TEST_DATABASE_URL"; \
	  $(BIN)/pytest -q -p no:cacheprovider; \
	else echo "UPLAND_TEST_DATABASE_URL not set: PostgreSQL run skipped"; fi

test: lint typecheck pytest-sqlite pytest-postgres

bench: setup
	$(BIN)/upland bench import
	$(BIN)/upland bench registry

# Quality of PKD suggestions on the independent evaluation set, with and without the hints.
eval: setup
	$(BIN)/upland eval pkd

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .ruff_cache .mypy_cache .grimp_cache .import_linter_cache
