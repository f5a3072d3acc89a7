"""What the import-linter contracts (pyproject, `make lint`) cannot say: migrations use
alembic, sqlalchemy, the standard library and the pinned text-analysis packages only; and
every contract is documented."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import grimp

# 0011 re-analyses existing rows with a frozen copy of the search analyser, which needs the
# pinned lemmatiser and stemmer (pure data shipped in their wheels, no application code).
TEXT_ANALYSIS = {"simplemma", "snowballstemmer"}
ALLOWED = {"alembic", "sqlalchemy", *TEXT_ANALYSIS, *sys.stdlib_module_names}


def test_migrations_import_only_alembic_sqlalchemy_and_the_standard_library() -> None:
    graph = grimp.build_graph("upland", include_external_packages=True)
    migrations = {m for m in graph.modules if m.startswith("upland.migrations")}
    imported = {
        found.split(".")[0]
        for module in migrations
        for found in graph.find_modules_directly_imported_by(module)
    }
    assert imported - ALLOWED == set()
    assert migrations >= {"upland.migrations.env", "upland.migrations.versions.0005_facets"}


def test_every_import_contract_is_described_in_the_architecture_page() -> None:
    root = Path(__file__).resolve().parents[1]
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    ids = [c["id"] for c in config["tool"]["importlinter"]["contracts"]]
    page = (root / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert len(ids) >= 5
    assert [i for i in ids if f"`{i}`" not in page] == []
