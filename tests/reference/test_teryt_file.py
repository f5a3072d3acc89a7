"""GUS's TERC register: the strict reader, the shipped copy derived from it, and
`upland import classification teryt FILE` (all-or-nothing, a malformed file changes nothing)."""

from __future__ import annotations

from collections import Counter
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from upland.cli import app
from upland.db import transaction
from upland.reference import queries, teryt_build
from upland.reference.models import Municipality
from upland.reference.teryt import TercFileError, load_shipped, parse_terc, read_terc

TERC = "TERC_Urzedowy_2020-01-01.csv"
runner = CliRunner()

GOOD = [
    "WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA",
    "14;;;;MAZOWIECKIE;województwo;2021-01-01",
    "14;07;;;kozienicki;powiat;2021-01-01",
    "14;07;05;3;Kozienice;gmina miejsko-wiejska;2021-01-01",
    "14;07;05;4;Kozienice;miasto;2021-01-01",
    "14;18;;;piaseczyński;powiat;2021-01-01",
    "14;18;07;3;Piaseczno;gmina miejsko-wiejska;2021-01-01",
]


def test_the_official_file_gives_every_municipality_with_its_county_and_region(gus_data_dir):
    terc = read_terc(gus_data_dir / TERC)
    kinds = Counter(u.kind for u in terc.units)
    assert (kinds["1"], kinds["2"], kinds["3"]) == (302, 1533, 642)  # 2,477 gminas in 2020
    assert (kinds["4"], kinds["5"], kinds["8"], kinds["9"]) == (642, 642, 18, 19)
    units = {u.teryt: u for u in terc.units}
    radom, warsaw, piaseczno = units["1463011"], units["1465011"], units["1418043"]
    assert (radom.name, radom.county_name, radom.voivodeship, radom.nuts2) == (
        "Radom",
        "Radom",
        "mazowieckie",
        "PL92",
    )
    assert (warsaw.nuts2, piaseczno.nuts2, units["1407053"].nuts2) == ("PL91", "PL91", "PL92")
    assert (units["0663011"].nuts2, units["2611011"].nuts2) == ("PL81", "PL72")
    assert units["0609072"].county_name == "lubelski"  # Jastków, powiat lubelski
    assert terc.as_of.isoformat() == "2020-01-01"


def test_the_shipped_copy_is_the_official_file_rebuilt_byte_for_byte(gus_data_dir):
    shipped = (resources.files("upland.data") / "municipalities.csv").read_text(encoding="utf-8")
    assert teryt_build.build_table(gus_data_dir / TERC) == shipped
    populations = {u.teryt: u.population for u in load_shipped() if u.population}
    assert populations["0663011"] == 331000 and len(populations) == 16


@pytest.mark.parametrize(
    ("lines", "where", "why"),
    [
        (["WOJ;POW;GMI;NAZWA"], (1, None), "header"),
        ([*GOOD[:3], "14;07;05;7;Kozienice;gmina;2021-01-01"], (4, "RODZ"), "kind of unit"),
        ([*GOOD[:3], "14;7;05;3;Kozienice;gmina;2021-01-01"], (4, "POW"), "2-digit"),
        ([*GOOD[:3], "14;07;05;;Kozienice;gmina;2021-01-01"], (4, "RODZ"), "RODZ"),
        ([*GOOD[:3], "14;07;05;3;;gmina;2021-01-01"], (4, "NAZWA"), "empty"),
        ([*GOOD[:3], "14;07;05;3;Kozienice;gmina;1.1.2021"], (4, "STAN_NA"), "date"),
        ([*GOOD[:3], "14;07;05;3;Kozienice;gmina"], (4, None), "6 fields"),
        ([*GOOD[:2], "14;08;05;3;Kozienice;gmina;2021-01-01"], (3, "POW"), "county 1408"),
        ([*GOOD, GOOD[3]], (8, None), "appears twice"),
        (GOOD[:3], (None, None), "no municipality"),
    ],
)
def test_a_malformed_file_is_refused_with_row_column_and_reason(lines, where, why):
    with pytest.raises(TercFileError) as caught:
        parse_terc(lines)
    assert (caught.value.row, caught.value.column) == where
    assert why in str(caught.value)


def test_a_file_not_in_utf8_is_refused(tmp_path):
    path = tmp_path / "terc.csv"
    path.write_bytes("\r\n".join(GOOD).encode("cp1250"))
    with pytest.raises(TercFileError, match="row 2: not UTF-8"):
        read_terc(path)


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def _count(**where: object) -> int:
    with transaction() as session:
        stmt = select(func.count()).select_from(Municipality).filter_by(**where)
        return session.scalar(stmt) or 0


def test_cli_reloads_the_official_file_and_a_newer_one_updates_and_retires(
    cli_database, gus_data_dir, tmp_path
):
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert _count() == 3798
    same = runner.invoke(app, ["import", "classification", "teryt", str(gus_data_dir / TERC)])
    assert same.exit_code == 0, same.output
    assert "3798 units read, 0 created, 0 updated, 0 no longer listed" in same.output

    lines = (gus_data_dir / TERC).read_text(encoding="utf-8").splitlines()
    newer = [line.replace("2020-01-01", "2021-01-01") for line in lines]
    newer = [line for line in newer if not line.startswith("14;36;05;")]  # Zwoleń merged away
    newer = [line.replace(";Jastków;", ";Jastków Nowy;") for line in newer]
    newer.append("14;07;10;2;Nowa Gmina;gmina wiejska;2021-01-01")
    result = runner.invoke(
        app, ["import", "classification", "teryt", str(_write(tmp_path / "n.csv", newer))]
    )
    assert result.exit_code == 0, result.output
    assert "as of 2021-01-01" in result.output
    assert "1 created, 1 updated, 3 no longer listed" in result.output
    with transaction() as session:
        assert queries.find_municipality(session, "jastkow nowy").teryt == "0609072"
        assert queries.find_municipality(session, "Nowa Gmina").teryt == "1407102"
        _, problem = queries.resolve_municipality(session, "1436053")
        assert "no longer in the TERYT register" in str(problem)
        assert queries.get_municipality(session, "0663011").population == 331000  # kept


def test_cli_refuses_a_malformed_file_and_changes_nothing(cli_database, gus_data_dir, tmp_path):
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    lines = (gus_data_dir / TERC).read_text(encoding="utf-8").splitlines()
    lines = [line.replace(";Jastków;", ";Jastków Nowy;") for line in lines]
    lines[4000] = lines[4000].replace(";2;", ";6;", 1)  # a late bad row
    result = runner.invoke(
        app, ["import", "classification", "teryt", str(_write(tmp_path / "bad.csv", lines))]
    )
    assert result.exit_code == 1
    assert "error: bad.csv: row 4001, column RODZ: '6' is not a kind of unit" in result.output
    with transaction() as session:
        assert queries.get_municipality(session, "0609072").name == "Jastków"


def test_a_database_of_the_fifteen_old_municipalities_gets_the_whole_register(cli_database):
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    with transaction() as session:
        session.execute(
            Municipality.__table__.delete().where(Municipality.teryt.not_in(["0663011", "2611054"]))
        )
        session.execute(Municipality.__table__.update().values(county_name=""))
    assert _count() == 2
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert _count() == 3798
    assert _count(kind="3", county_name="kozienicki") == 1
