"""The events' panel on the starting page (`upland.panels`): the next events the reader may
see, with their registration open or not, and the reader's own registrations."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from upland import clock, panels
from upland.actor import Actor
from upland.events import queries
from upland.events.service import registration_open
from upland.i18n import N_

NEXT = 5


def _data(session: Session, actor: Actor) -> dict[str, Any] | None:
    today = clock.today()
    upcoming = [
        e
        for e in queries.list_events(session, actor, upcoming_from=today)
        if e.status == "published"
    ][:NEXT]
    if not upcoming:
        return None
    return {
        "events": [
            (e, registration_open(e, today), queries.my_registration(session, actor, e))
            for e in upcoming
        ]
    }


panels.register(
    panels.Panel(
        name="events.upcoming",
        title=N_("Events"),
        applies=panels.is_logged_in,
        data=_data,
        template="events/_panel.html",
        order=60,
    )
)
