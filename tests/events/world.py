"""Events for tests, made through the service: a brokerage day with one morning session."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from upland.actor import SYSTEM, Actor
from upland.events import service
from upland.events.models import Event
from upland.events.schemas import EventIn, RegistrationIn

DAY = dt.date(2030, 3, 12)


def event_data(**overrides: Any) -> EventIn:
    data: dict[str, Any] = {
        "kind": "brokerage",
        "title_pl": "Giełda kooperacyjna",
        "title_en": "Brokerage day",
        "venue": "Lubelskie Centrum Konferencyjne",
        "languages": ["pl", "en"],
        "registration_closes": DAY - dt.timedelta(days=2),
        "capacity": 40,
        "sessions": [
            {
                "day": DAY,
                "starts": "09:00",
                "ends": "12:00",
                "slot_minutes": 30,
                "breaks": [{"starts": "10:30", "ends": "11:00"}],
            }
        ],
        "table_count": 5,
        "table_names": ["A", "B"],
        "reserved_tables": [5],
        "participant_types": ["company", "investor", "research"],
        "request_rules": [],
        "meeting_cap": 4,
    }
    data.update(overrides)
    return EventIn.model_validate(data)


def registered(session: Session, event_id: int, org: Any = None, **attendance: Any):
    """A member user of `org` (a new company when None) registered for the event."""
    from tests import factories

    org = org or factories.organisation(session)
    user = factories.user(session, role="editor", org=org)
    actor = factories.actor_of(session, user)
    data = RegistrationIn(organisation_id=org.id, **attendance)
    return service.register(session, actor, event_id, data), actor


def event(
    session: Session, actor: Actor = SYSTEM, *, publish: bool = True, **overrides: Any
) -> Event:
    made = service.create_event(session, actor, event_data(**overrides))
    if publish:
        service.publish_event(session, actor, made.id)
    return made
