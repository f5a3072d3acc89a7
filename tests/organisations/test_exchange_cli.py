"""`upland export organisations` writes a file `upland import organisations` reads back
unchanged (either header language); a header without data rows is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.databases import engine_for
from typer.testing import CliRunner

from upland import migrate
from upland.actor import SYSTEM
from upland.cli import app
from upland.organisations.models import Organisation
from upland.reference.service import seed_reference
from upland.settings import DEFAULT_PARTNERS


@pytest.fixture
def registry(cli_database: str) -> str:
    with engine_for(cli_database) as engine:
        migrate.upgrade(engine)
        with Session(engine) as session, session.begin():
            seed_reference(session, SYSTEM, DEFAULT_PARTNERS)
            factories.organisation(session, legal_name="=Formuła sp. z o.o.")
            factories.organisation(session, short_name="'Cytat")
    return cli_database


def _state(url: str) -> list[tuple[object, ...]]:
    with engine_for(url) as engine, Session(engine) as session:
        return [tuple(r) for r in session.execute(select(Organisation.__table__))]


@pytest.mark.parametrize("headers", ["en", "pl"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(
    registry: str, tmp_path: Path, fmt: str, headers: str
) -> None:
    runner = CliRunner()
    path = tmp_path / f"registry.{fmt}"
    before = _state(registry)

    exported = runner.invoke(
        app, ["export", "organisations", "-f", fmt, "-o", str(path), "--headers", headers, "-q"]
    )
    assert exported.exit_code == 0, exported.output
    imported = runner.invoke(app, ["import", "organisations", str(path), "-q"])

    assert imported.exit_code == 0, imported.output
    assert "note: columns not imported (written by the export): id, size_class, city" in (
        imported.output
    )
    assert "2 rows: 0 created, 0 updated, 2 unchanged" in imported.output
    assert _state(registry) == before


def test_a_header_without_data_rows_is_refused(registry: str, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("kind,legal_name,nip,teryt\n", encoding="utf-8")

    result = CliRunner().invoke(app, ["import", "organisations", str(path)])

    assert result.exit_code == 1
    assert "error: the file has a header but no data rows" in result.output
