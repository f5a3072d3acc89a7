# Two entry points: `make run` (set up, migrate, demo data, serve) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PYSTAMP   := $(VENV)/.installed
NODESTAMP := node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test lint typecheck pytest pytest-sqlite pytest-postgres bench eval clean messages screenshots

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

# Quality of PKD suggestions on the independent evaluation set, with and without the hints.
eval: setup
	$(BIN)/upland eval pkd

# docs/screenshots/: the home page and each role's starting page, in Polish and English.
screenshots: setup
	$(BIN)/python bench/screenshots.py

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .ruff_cache .mypy_cache .grimp_cache .import_linter_cache
