"""`upland events solve|list|schedule|guest-export|guest-erase`: a schedule from a file, with
figures, a bad file in one line each; events listed and one scheduled from the shell; a
guest's data printed and erased by e-mail address."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.orm import Session
from typer.testing import CliRunner

from tests.databases import engine_for
from tests.events.test_scheduling_files import INSTANCE
from tests.events.world import event, registered
from upland import migrate
from upland.actor import SYSTEM
from upland.cli import app
from upland.db import transaction
from upland.events import service
from upland.events.schemas import RequestIn
from upland.reference.service import seed_reference
from upland.settings import DEFAULT_PARTNERS

runner = CliRunner()


def test_solve_writes_the_schedule_and_prints_figures(tmp_path: Path):
    source, target = tmp_path / "day.json", tmp_path / "schedule.json"
    source.write_text(json.dumps(INSTANCE), encoding="utf-8")
    result = runner.invoke(
        app, ["events", "solve", str(source), "-o", str(target), "--time-limit", "5", "--seed", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "schedule: 2 meetings" in result.output and "first fit:" in result.output
    assert "proven optimal" in result.output
    written = json.loads(target.read_text(encoding="utf-8"))
    assert {m["request"] for m in written["meetings"]} == {"r2", "r3"}


def test_a_bad_file_is_refused_naming_each_problem(tmp_path: Path):
    data = json.loads(json.dumps(INSTANCE))
    data["requests"][0]["receiver"] = "anna"
    data["requests"][1]["receiver"] = "nobody"
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(app, ["events", "solve", str(source)])
    assert result.exit_code == 1
    assert "requests[0]: A participant cannot meet their own party." in result.output
    assert "requests[1].receiver: Unknown participant: nobody" in result.output
    assert "Traceback" not in result.output


def test_list_and_schedule_from_the_shell(cli_database: str):

    with engine_for(cli_database) as engine:
        migrate.upgrade(engine)
        with Session(engine) as session, session.begin():
            seed_reference(session, SYSTEM, DEFAULT_PARTNERS)
    with transaction() as session:
        day = event(session, request_mode="automatic")
        _, alice = registered(session, day.id)
        b, _ = registered(session, day.id)
        service.send_request(session, alice, day.id, RequestIn(receiver_id=b.id))
        event_id = day.id
    listed = runner.invoke(app, ["events", "list"])
    assert listed.exit_code == 0 and f"{event_id}\t2030-03-12\tbrokerage" in listed.output
    done = runner.invoke(app, ["events", "schedule", str(event_id)])
    assert done.exit_code == 0, done.output
    assert done.output.startswith("1 meetings")
    assert runner.invoke(app, ["events", "schedule", "999999"]).exit_code == 1


def _guest_in_the_shell(cli_database: str) -> int:
    """A migrated database holding an event where Ewa asked for a place as a guest."""
    from upland.actor import ANONYMOUS
    from upland.events.schemas import GuestIn

    with engine_for(cli_database) as engine:
        migrate.upgrade(engine)
        with Session(engine) as session, session.begin():
            seed_reference(session, SYSTEM, DEFAULT_PARTNERS)
    with transaction() as session:
        day = event(session)
        guest = service.register_guest(
            session,
            ANONYMOUS,
            day.id,
            GuestIn(name="Ewa Gość", email="ewa@guest.example", organisation="Gość sp. z o.o."),
        )
        return guest.id


def test_guest_export_prints_what_is_held_of_the_guest(cli_database: str):
    guest_id = _guest_in_the_shell(cli_database)
    result = runner.invoke(app, ["events", "guest-export", "EWA@guest.example"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    [row] = data["event_registrations"]
    assert (row["id"], row["name"], row["organisation"]) == (
        guest_id,
        "Ewa Gość",
        "Gość sp. z o.o.",
    )
    nobody = runner.invoke(app, ["events", "guest-export", "nobody@guest.example"])
    assert nobody.exit_code == 0 and json.loads(nobody.output)["event_registrations"] == []


def test_guest_erase_asks_first_then_erases_and_audits(cli_database: str):
    from sqlalchemy import select

    from upland.audit import AuditEntry
    from upland.events.models import EventRegistration

    guest_id = _guest_in_the_shell(cli_database)
    kept = runner.invoke(app, ["events", "guest-erase", "ewa@guest.example"], input="n\n")
    assert kept.exit_code == 1 and "erase the guest ewa@guest.example?" in kept.output
    with transaction() as session:
        assert session.get(EventRegistration, guest_id).guest_email == "ewa@guest.example"

    erased = runner.invoke(app, ["events", "guest-erase", "ewa@guest.example"], input="y\n")
    assert erased.exit_code == 0, erased.output
    assert "erased: 1 registrations" in erased.output
    with transaction() as session:
        row = session.get(EventRegistration, guest_id)
        assert (row.guest_name, row.guest_email, row.guest_organisation) == ("", None, "")
        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "events.registration.erase",
                AuditEntry.object_id == str(guest_id),
            )
        ).one()
        assert entry.actor_label.startswith("cli:")
    again = runner.invoke(app, ["events", "guest-erase", "ewa@guest.example", "--yes"])
    assert again.exit_code == 0 and "erased: 0 registrations" in again.output
    exported = runner.invoke(app, ["events", "guest-export", "ewa@guest.example"])
    assert json.loads(exported.output)["event_registrations"] == []
