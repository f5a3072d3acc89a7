"""Matrix rows of the schedule: the organiser queues scheduling, sees the table plan, locks and
moves meetings (anybody else: the plan refused, a meeting not found); everybody logged in
opens their agenda, which lists only their delegation's meetings (a participant never sees
another's agenda unless they meet); the API's meetings list is filtered the same way.

One world: the organisation (a business support agency) runs the published brokerage day
`shown`, which accepts requests at once; its own viewer is registered and met by a company's
user, who meets a third company too; the schedule is stored (`ours`, `theirs`). Every
logged-in actor has a calendar-feed address; `feed` is the own viewer's."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests import factories
from tests.events.matrix_rows import ORGANISERS
from tests.events.world import event, registered
from tests.matrix import ELSEWHERE, EVERYONE, USERS, Fields, Row, World, make_accounts, row
from upland.accounts import queries as account_queries
from upland.actor import SYSTEM
from upland.events import queries, service
from upland.events.instance import build_instance
from upland.events.models import EventMeeting, FeedToken
from upland.events.scheduling import solve
from upland.events.schemas import RegistrationIn, RequestIn
from upland.jobs.models import Job

VARIANTS = ("",)


def build_world(session: Session, variant: str) -> World:
    own = factories.organisation(session, kind="business_support")
    other = factories.organisation(
        session, sites=[{"teryt": ELSEWHERE, "is_headquarters": True}], people=[]
    )
    accounts = make_accounts(session, own.id, other.id)
    shown = event(session, organiser_id=own.id, request_mode="automatic")
    viewer_id = accounts["own_viewer"][0]  # type: ignore[index]
    viewer = account_queries.actor_for(session, account_queries.get_user(session, viewer_id))
    mine = service.register(session, viewer, shown.id, RegistrationIn(organisation_id=own.id))
    a, alpha = registered(session, shown.id)
    _, beta = registered(session, shown.id)
    ours = service.send_request(session, alpha, shown.id, RequestIn(receiver_id=mine.id))
    theirs = service.send_request(session, beta, shown.id, RequestIn(receiver_id=a.id))
    service.store_schedule(session, SYSTEM, shown, solve(build_instance(session, shown)))
    held = {m.request_id: m for m in queries.list_meetings(session, SYSTEM, shown)}
    used = {m.slot for m in held.values()}
    free = next(s.id for s in queries.slots_of_event(shown) if s.id not in used)
    for account in accounts.values():
        if account is not None:
            user = account_queries.get_user(session, account[0])
            service.rotate_feed_token(session, account_queries.actor_for(session, user))
    feed = service.rotate_feed_token(session, viewer)
    shared = {
        "feed": feed,
        "shown": shown.id,
        "ours": held[ours.id].id,
        "theirs": held[theirs.id].id,
        "free": free,
    }
    return World(accounts, shared)


def _feed(session: Session, f: Fields) -> Any:
    return session.scalar(select(FeedToken.token_hash).where(FeedToken.user_id == f["me"]))


def _jobs(session: Session, f: Fields) -> Any:
    return session.scalar(select(func.count()).select_from(Job))


def _meeting(key: str, column: str):
    def observe(session: Session, f: Fields) -> Any:
        return session.scalar(
            select(getattr(EventMeeting, column)).where(EventMeeting.id == f[key])
        )

    return observe


def _organiser_only(ok: int):
    def expect(actor: str, _variant: str) -> int:
        return ok if actor in ORGANISERS else 404

    return expect


def _agenda(response, fields, actor, variant) -> None:
    ours = f'id="agenda-{fields["ours"]}"' in response.text
    theirs = f'id="agenda-{fields["theirs"]}"' in response.text
    assert ours is (actor in ORGANISERS or actor == "own_viewer")
    assert theirs is (actor in ORGANISERS)


def _api_meetings(response, fields, actor, variant) -> None:
    ids = {m["id"] for m in response.json()["items"]}
    if actor in ORGANISERS:
        assert ids == {fields["ours"], fields["theirs"]}
    elif actor == "own_viewer":
        assert ids == {fields["ours"]}
    else:
        assert ids == set()


MOVE = {"slot": "{free}", "table": "2"}
LOCK = "/events/meetings/{theirs}/lock"
MOVE_PATH = "/events/meetings/{theirs}/move"


def _outcome(ok: int):
    """Before the event (2030): its sides and the organiser are told it is too early (409);
    for anybody else the meeting is not found."""

    def expect(actor: str, _variant: str) -> int:
        return 409 if actor in ORGANISERS or actor == "own_viewer" else 404

    return expect


OUTCOME = "/events/meetings/{ours}/outcome"
# No agreement was reported on `ours` (the event is to come): its sides and the organiser are
# told so (409 `meeting.not_agreement`), anybody else does not find the meeting.
CONFIRM = "/events/meetings/{ours}/agreement/confirm"

ROWS: tuple[Row, ...] = (
    Row(
        "meeting-outcome",
        "POST",
        OUTCOME,
        _outcome(303),
        303,
        body={"outcome": "follow_up"},
        observe=_meeting("ours", "outcome"),
    ),
    Row(
        "api-meeting-outcome",
        "POST",
        "/api/v1" + OUTCOME,
        _outcome(200),
        200,
        body={"outcome": "follow_up"},
        observe=_meeting("ours", "outcome"),
    ),
    Row(
        "meeting-agreement-confirm",
        "POST",
        CONFIRM,
        _outcome(303),
        303,
        body={},
        observe=_meeting("ours", "agreement_confirmed_at"),
    ),
    Row(
        "api-meeting-agreement-confirm",
        "POST",
        "/api/v1" + CONFIRM,
        _outcome(200),
        200,
        body={},
        observe=_meeting("ours", "agreement_confirmed_at"),
    ),
    row(
        "event-schedule",
        "POST",
        "/events/{shown}/schedule",
        ORGANISERS,
        303,
        body={},
        observe=_jobs,
    ),
    row("event-table-plan", "GET", "/events/{shown}/schedule", ORGANISERS, 200),
    row("event-agenda", "GET", "/events/{shown}/agenda", USERS, 200, check=_agenda),
    Row(
        "meeting-lock",
        "POST",
        LOCK,
        _organiser_only(303),
        303,
        body={"locked": "1"},
        observe=_meeting("theirs", "locked"),
    ),
    Row(
        "meeting-move",
        "POST",
        MOVE_PATH,
        _organiser_only(303),
        303,
        body=MOVE,
        observe=_meeting("theirs", "slot"),
    ),
    row("event-agenda-ics", "GET", "/events/{shown}/agenda.ics", USERS, 200),
    row("event-agenda-manifest", "GET", "/events/{shown}/agenda.webmanifest", EVERYONE, 200),
    row("event-agenda-worker", "GET", "/events/agenda-sw.js", EVERYONE, 200),
    row("event-feed-ics", "GET", "/events/feed/{feed}.ics", EVERYONE, 200),
    row("event-feed-page", "GET", "/events/feed", USERS, 200),
    row("event-feed-rotate", "POST", "/events/feed", USERS, 200, body={}, observe=_feed),
    row("event-feed-revoke", "POST", "/events/feed/revoke", USERS, 303, body={}, observe=_feed),
    row("api-event-feed-rotate", "POST", "/api/v1/events/feed", USERS, 201, observe=_feed),
    row("api-event-feed-revoke", "DELETE", "/api/v1/events/feed", USERS, 204, observe=_feed),
    row(
        "api-event-schedule",
        "POST",
        "/api/v1/events/{shown}/schedule",
        ORGANISERS,
        202,
        observe=_jobs,
    ),
    row(
        "api-event-meetings",
        "GET",
        "/api/v1/events/{shown}/meetings",
        EVERYONE,
        200,
        check=_api_meetings,
    ),
    Row(
        "api-meeting-lock",
        "POST",
        "/api/v1" + LOCK,
        _organiser_only(200),
        200,
        body={"locked": True},
        observe=_meeting("theirs", "locked"),
    ),
    Row(
        "api-meeting-move",
        "POST",
        "/api/v1" + MOVE_PATH,
        _organiser_only(200),
        200,
        body={"slot": "{free}", "table": 2},
        observe=_meeting("theirs", "slot"),
    ),
)
