"""The import benchmark's own parts on a few hundred rows: valid data, a faithful baseline.

No timing assertions: only that the generated rows all import, and that the baseline writes
exactly what the import writes (same organisations, derived columns and child rows).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from stdnum.pl import nip as stdnum_nip
from stdnum.pl import regon as stdnum_regon

from upland.bench import harness
from upland.bench import import_baseline as driver
from upland.bench import import_data as data
from upland.bench import imports as bench
from upland.organisations.imports import read_rows

ROWS = 200

# Rows compared between the two databases, keyed by the organisation's NIP or REGON.
_KEY = "coalesce(o.nip, o.regon)"
_PROFILE = ", ".join(f"o.{c}" for c in driver.PROFILE if c != "member_since")
_QUERIES = {
    "organisation": f"SELECT {_KEY}, {_PROFILE}, date(o.member_since), o.name_key, o.size_class, "
    "o.teryt, o.search_text FROM organisation o",
    "organisation_pkd": f"SELECT {_KEY}, p.version, p.code, p.section, p.is_primary "
    "FROM organisation_pkd p JOIN organisation o ON o.id = p.organisation_id",
    "site": f"SELECT {_KEY}, s.name, s.street, s.postal_code, s.locality, s.teryt, "
    "s.is_headquarters FROM site s JOIN organisation o ON o.id = s.organisation_id",
    "person": f"SELECT {_KEY}, p.full_name, p.role_title, p.email, p.phone, "
    "p.contact_visibility, p.language "
    "FROM person p JOIN organisation o ON o.id = p.organisation_id",
    "organisation_capability": f"SELECT {_KEY}, c.kind, c.term_id, c.label, c.notes "
    "FROM organisation_capability c JOIN organisation o ON o.id = c.organisation_id",
    "organisation_fts": "SELECT rowid, search_text FROM organisation_fts "
    "WHERE organisation_fts MATCH 'lublin OR swidnik OR kielce'",
}


def _rows(engine: Engine, query: str) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        return sorted(tuple(r) for r in connection.execute(text(query)))


@pytest.fixture
def csv_path(tmp_path: Path) -> Path:
    path = tmp_path / "organisations.csv"
    assert data.write_csv(path, ROWS) > 0
    return path


def test_generator_is_deterministic_with_valid_unique_identifiers() -> None:
    first = [row.cells for row in data.generate(1000)]
    assert first == [row.cells for row in data.generate(1000)]
    assert first != [row.cells for row in data.generate(1000, seed=1)]
    rows = list(data.generate(1000))
    nips = [r.profile["nip"] for r in rows if r.profile["nip"]]
    regons = [r.profile["regon"] for r in rows if r.profile["regon"]]
    assert len(set(nips)) == len(nips) > 900
    assert len(set(regons)) == len(regons) > 600
    assert all(stdnum_nip.is_valid(n) for n in nips)
    assert all(stdnum_regon.is_valid(r) for r in regons)
    assert any(len(r) == 14 for r in regons)
    assert all(1 <= len(r.pkd) <= 3 for r in rows)
    assert any("ł" in r.profile["legal_name"] or "ś" in r.profile["legal_name"] for r in rows)


def test_csv_has_every_documented_column(csv_path: Path) -> None:
    rows = list(read_rows(csv_path))
    assert len(rows) == ROWS
    assert set(rows[0].values) == set(data.CSV_COLUMNS)


@pytest.mark.parametrize("multirow", [False, True], ids=["executemany", "multirow"])
def test_import_is_clean_and_the_baseline_writes_the_same_rows(
    tmp_path: Path, csv_path: Path, multirow: bool
) -> None:
    project = harness.prepare_database(f"sqlite:///{tmp_path / 'import.db'}")
    baseline_db = tmp_path / "baseline.db"
    baseline = harness.prepare_database(f"sqlite:///{baseline_db}")
    try:
        run = bench.run_import(project, csv_path)
        assert run.report.error_count == 0, run.report.as_text()
        assert run.report.created == run.rows == ROWS
        assert run.seconds > 0

        terms = driver.capability_terms(baseline)
        done: list[int] = []
        written = driver.sqlite_baseline(
            baseline_db, ROWS, terms, multirow=multirow, batch_size=64, progress=done.append
        )
        assert written.rows == ROWS
        assert done[-1] == ROWS
        counts = driver.table_counts(project)
        assert written.counts == counts == driver.table_counts(baseline)
        assert counts["site"] == ROWS
        assert counts["person"] > ROWS / 2
        assert counts["organisation_capability"] > ROWS

        for name, query in _QUERIES.items():
            found = _rows(project, query)
            assert found, name
            if name == "organisation_fts":  # rowids differ; the indexed texts must not
                found = sorted(t for _, t in found)
                assert found == sorted(t for _, t in _rows(baseline, query))
            else:
                assert found == _rows(baseline, query), name
    finally:
        project.dispose()
        baseline.dispose()


def test_dry_run_checks_every_row_and_writes_nothing(tmp_path: Path, csv_path: Path) -> None:
    engine = harness.prepare_database(f"sqlite:///{tmp_path / 'dry.db'}")
    try:
        run = bench.run_import(engine, csv_path, dry_run=True)
        assert run.report.error_count == 0
        assert run.report.created == run.rows == ROWS
        assert driver.table_counts(engine)["organisation"] == 0
    finally:
        engine.dispose()


def test_import_in_a_child_process_reports_its_peak_memory(tmp_path: Path, csv_path: Path) -> None:
    result = bench.import_in_child(csv_path, tmp_path / "child.db", ROWS, quiet=True)
    assert result["created"] == result["rows"] == ROWS
    assert result["errors"] == 0
    assert result["peak_kib"] >= result["peak_before_kib"] > 10_000


def test_output_lines() -> None:
    line = bench.figure_line("sqlite", "upland import", 100_000, 2.0, 1.5)
    assert line.split() == [
        "sqlite",
        "upland",
        "import",
        "100000",
        "rows",
        "2.00",
        "s",
        "50",
        "000",
        "rows/s",
        "(cpu",
        "1.50",
        "s)",
    ]
    assert bench.ratio_line("pg", 1.0, 4.0).endswith("ratio upland/baseline  0.25")


@pytest.mark.postgres_only
def test_postgres_import_and_copy_baseline(
    database_url: str, csv_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("needs UPLAND_TEST_DATABASE_URL pointing at PostgreSQL")
    bench.bench_postgres(database_url, csv_path, ROWS, quiet=True)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:3] for line in lines[:2]] == [
        ["pg", "upland", "import"],
        ["pg", "baseline", "COPY"],
    ]
    assert "ratio upland/baseline" in lines[2]
