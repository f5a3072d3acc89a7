"""Matrix rows of events: everybody sees the list and a published event; a draft only its
organiser's users and staff (404 for the rest); creating, editing, publishing and cancelling
are the organiser's editors' and admins' and staff's (the world's organisation is a business
support agency, so its editors may organise).

One world: the organisation owns a published brokerage day `shown`, a draft `draft` and a
published online day `online` (a new video-room link: its organisers only)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests import factories
from tests.events.world import event
from tests.matrix import (
    ELSEWHERE,
    EVERYONE,
    STAFF,
    Fields,
    Row,
    World,
    denial,
    make_accounts,
    row,
)
from upland.events.models import Event

VARIANTS = ("",)
OWN = frozenset({"own_viewer", "own_editor", "own_admin"})
ORGANISERS = frozenset({"own_editor", "own_admin"}) | STAFF
SEE_DRAFT = OWN | STAFF


def build_world(session: Session, variant: str) -> World:
    own = factories.organisation(session, kind="business_support")
    other = factories.organisation(
        session, sites=[{"teryt": ELSEWHERE, "is_headquarters": True}], people=[]
    )
    accounts = make_accounts(session, own.id, other.id)
    shown = event(session, organiser_id=own.id)
    draft = event(session, publish=False, organiser_id=own.id)
    online = event(session, organiser_id=own.id, online=True, venue="")
    fields = {"own": own.id, "shown": shown.id, "draft": draft.id, "online": online.id}
    return World(accounts, fields)


def _events(session: Session, f: Fields) -> Any:
    return session.scalar(select(func.count()).select_from(Event))


def _field(key: str, name: str):
    def observe(session: Session, f: Fields) -> Any:
        return session.scalar(select(getattr(Event, name)).where(Event.id == f[key]))

    return observe


def _draft(method: str, path: str, who: frozenset[str]):
    """On the draft: `who` succeed, its other viewers are refused, everybody else: 404."""

    def expect(actor: str, _variant: str) -> int:
        if actor in who:
            return 200 if method == "GET" else 303 if not path.startswith("/api/") else 200
        if actor in SEE_DRAFT:
            return denial(method, path, actor)
        return 404

    return expect


def _lists_draft_to_its_own(response, fields, actor, variant) -> None:
    listed = f'id="event-{fields["draft"]}"' in response.text
    assert listed is (actor in SEE_DRAFT)
    assert f'id="event-{fields["shown"]}"' in response.text


FORM = {
    "kind": "fair",
    "organiser_id": "{own}",
    "title_pl": "Targi",
    "venue": "Lublin",
    "languages": ["pl"],
    "participant_types": ["company"],
    "table_count": "0",
}
API_BODY = {"kind": "fair", "title_pl": "Targi", "venue": "Lublin"}


ROWS: tuple[Row, ...] = (
    row("events", "GET", "/events", EVERYONE, 200, check=_lists_draft_to_its_own),
    row("event", "GET", "/events/{shown}", EVERYONE, 200),
    Row("event-draft", "GET", "/events/{draft}", _draft("GET", "/events/{draft}", SEE_DRAFT), 200),
    row("event-new", "GET", "/events/new", ORGANISERS, 200),
    row("event-create", "POST", "/events/new", ORGANISERS, 303, body=FORM, observe=_events),
    row("event-edit-page", "GET", "/events/{shown}/edit", ORGANISERS, 200),
    row(
        "event-edit",
        "POST",
        "/events/{shown}/edit",
        ORGANISERS,
        303,
        body={**FORM, "title_pl": "Nowy tytuł"},
        observe=_field("shown", "title_pl"),
    ),
    Row(
        "event-publish",
        "POST",
        "/events/{draft}/publish",
        _draft("POST", "/events/{draft}/publish", ORGANISERS),
        303,
        body={},
        observe=_field("draft", "status"),
    ),
    row(
        "event-cancel",
        "POST",
        "/events/{shown}/cancel",
        ORGANISERS,
        303,
        body={},
        observe=_field("shown", "status"),
    ),
    row("api-events", "GET", "/api/v1/events", EVERYONE, 200),
    row("api-event", "GET", "/api/v1/events/{shown}", EVERYONE, 200),
    Row(
        "api-event-draft",
        "GET",
        "/api/v1/events/{draft}",
        _draft("GET", "/api/v1/events/{draft}", SEE_DRAFT),
        200,
    ),
    row(
        "api-event-create",
        "POST",
        "/api/v1/events",
        ORGANISERS,
        201,
        body=API_BODY | {"organiser_id": "{own}"},
        observe=_events,
    ),
    row(
        "api-event-update",
        "PUT",
        "/api/v1/events/{shown}",
        ORGANISERS,
        200,
        body={**API_BODY, "title_pl": "Nowy tytuł"},
        observe=_field("shown", "title_pl"),
    ),
    Row(
        "api-event-publish",
        "POST",
        "/api/v1/events/{draft}/publish",
        _draft("POST", "/api/v1/events/{draft}/publish", ORGANISERS),
        200,
        observe=_field("draft", "status"),
    ),
    row(
        "api-event-cancel",
        "POST",
        "/api/v1/events/{shown}/cancel",
        ORGANISERS,
        200,
        observe=_field("shown", "status"),
    ),
    row(
        "event-video-link",
        "POST",
        "/events/{online}/video-link",
        ORGANISERS,
        303,
        body={},
        observe=_field("online", "video_secret"),
    ),
    row(
        "api-event-video-link",
        "POST",
        "/api/v1/events/{online}/video-link",
        ORGANISERS,
        200,
        observe=_field("online", "video_secret"),
    ),
)
