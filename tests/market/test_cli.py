"""`upland market …` on a database of its own, as an operator runs it."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.databases import engine_for
from typer.testing import CliRunner

from upland import migrate
from upland.actor import SYSTEM
from upland.cli import app
from upland.market.models import Opportunity
from upland.reference.service import seed_reference
from upland.settings import DEFAULT_PARTNERS


def test_list_show_export_expire(cli_database: str, tmp_path) -> None:
    today = dt.datetime.now(dt.UTC).date()
    with engine_for(cli_database) as engine:
        migrate.upgrade(engine)
        with Session(engine) as session, session.begin():
            seed_reference(session, SYSTEM, DEFAULT_PARTNERS)
            owner = factories.organisation(session)
            live = factories.opportunity(session, owner, publish=True, title_pl="Odlewy żeliwne")
            due = factories.opportunity(session, owner, publish=True, title_pl="Stare zapytanie")
            due.expires_on = today - dt.timedelta(days=2)  # the job has not run since
            ids = (live.id, due.id)
    runner = CliRunner()
    listed = runner.invoke(app, ["market", "list", "--q", "odlewów"])
    assert listed.exit_code == 0, listed.output
    assert f"{ids[0]}\tbusiness_offer\t-\tOdlewy żeliwne" in listed.output
    shown = runner.invoke(app, ["market", "show", str(ids[0])])
    assert json.loads(shown.stdout)["title_pl"] == "Odlewy żeliwne"
    path = tmp_path / "market.json"
    exported = runner.invoke(app, ["market", "export", "-f", "json", "-o", str(path)])
    assert exported.exit_code == 0, exported.output
    assert [r["id"] for r in json.loads(path.read_text(encoding="utf-8"))["items"]] == [ids[0]]
    expired = runner.invoke(app, ["market", "expire"])
    assert "expired 1 opportunity" in expired.output
    with engine_for(cli_database) as engine, Session(engine) as session:
        assert (
            session.scalar(select(Opportunity.status).where(Opportunity.id == ids[1])) == "expired"
        )
    missing = runner.invoke(app, ["market", "show", "999999"])
    assert missing.exit_code == 1 and "does not exist" in missing.output
    bad = runner.invoke(app, ["market", "list", "--pkd", "x!"])
    assert bad.exit_code == 1 and "not a PKD code" in bad.output
