"""Two registrations for an event's last place at the same moment, on committed data and
separate connections: the second waits for the first's row lock on the event, then counts its
place and goes to the waiting list (PostgreSQL; SQLite serialises writers anyway)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from tests import factories
from tests.databases import engine_for, migrate_as_in_production, scratch_database
from tests.events.world import event
from upland.events import service
from upland.events.models import EventRegistration
from upland.events.schemas import RegistrationIn

pytestmark = pytest.mark.postgres_only


def _waits_for_a_lock(engine: Engine) -> bool:
    """Whether some other connection of this database waits for a row lock."""
    with engine.connect() as watcher:
        found = watcher.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
        ).scalar_one()
    return bool(found)


def test_the_last_place_goes_to_one_registration_the_other_waits(tmp_path: Path):
    with scratch_database("upland_event_places", tmp_path) as url:
        migrate_as_in_production(url)
        with engine_for(url) as engine:
            with Session(engine) as setup, setup.begin():
                day = event(setup, capacity=1)
                people = []
                for _ in range(2):
                    org = factories.organisation(setup)
                    user = factories.user(setup, role="editor", org=org)
                    people.append((factories.actor_of(setup, user), org.id))
                event_id = day.id
            outcome: dict[str, str] = {}

            def second() -> None:
                actor, org_id = people[1]
                with Session(engine) as session, session.begin():
                    data = RegistrationIn(organisation_id=org_id)
                    outcome["second"] = service.register(session, actor, event_id, data).status

            with Session(engine) as first:
                actor, org_id = people[0]
                data = RegistrationIn(organisation_id=org_id)
                taken = service.register(first, actor, event_id, data)
                assert taken.status == "confirmed"
                thread = threading.Thread(target=second)
                thread.start()
                deadline = time.monotonic() + 30
                while thread.is_alive() and time.monotonic() < deadline:
                    if _waits_for_a_lock(engine):
                        break
                    time.sleep(0.05)
                assert thread.is_alive(), f"the second registration did not wait: {outcome}"
                first.commit()
            thread.join(timeout=30)
            assert outcome == {"second": "waiting"}
            with Session(engine) as check:
                statuses = check.scalars(
                    select(EventRegistration.status).where(EventRegistration.event_id == event_id)
                ).all()
            assert sorted(statuses) == ["confirmed", "waiting"]
