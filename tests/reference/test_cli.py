"""`upland import classification pkd FILE` on the official GUS files."""

from typer.testing import CliRunner

from upland.cli import app
from upland.db import transaction
from upland.reference import queries

runner = CliRunner()


def test_load_official_files_then_reload_updates_nothing(cli_database, gus_data_dir):
    # `db upgrade` loads the shipped PKD, which is derived from these very files.
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    structure = runner.invoke(
        app, ["import", "classification", "pkd", str(gus_data_dir / "StrukturaPKD2025.xls"), "-q"]
    )
    assert structure.exit_code == 0, structure.output
    assert "1775 codes read, 0 created, 0 updated" in structure.output
    key = runner.invoke(
        app, ["import", "classification", "pkd", str(gus_data_dir / "KluczePKD_2007_2025_pop.csv")]
    )
    assert key.exit_code == 0, key.output
    assert "618 correspondence pairs" in key.output
    again = runner.invoke(
        app, ["import", "classification", "pkd", str(gus_data_dir / "StrukturaPKD2025.xls")]
    )
    assert "0 created, 0 updated" in again.output
    with transaction() as session:
        assert queries.get_pkd(session, 2025, "28.30.Z").name_pl.startswith("Produkcja maszyn")
        assert "29.3" in queries.list_pkd_2025_for(session, "29.3")


def test_unreadable_file_is_a_clear_error(cli_database, tmp_path):
    runner.invoke(app, ["db", "upgrade"])
    junk = tmp_path / "junk.xls"
    junk.write_bytes(b"\x00\x01not a spreadsheet" * 100)
    result = runner.invoke(app, ["import", "classification", "pkd", str(junk)])
    assert result.exit_code == 1
    assert "error:" in result.output
