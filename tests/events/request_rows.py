"""Matrix rows of meeting requests. Only confirmed participants (and the organiser) browse the
participants and ask for meetings; the receiver (or the organiser) answers; another's request
is not found for anybody else.

One world: the organisation (a business support agency) runs the published brokerage day
`shown`; the world's own viewer is registered for it (for the organisation), and two companies'
users `alpha` and `beta` too; `asked` is alpha's pending request to beta, `to_own` beta's
pending request to the world's organisation."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests import factories
from tests.events.matrix_rows import ORGANISERS
from tests.events.world import event, registered
from tests.matrix import ELSEWHERE, Fields, Row, World, denial, make_accounts, row
from upland.accounts import queries as account_queries
from upland.events import service
from upland.events.models import MeetingRequest
from upland.events.schemas import RegistrationIn, RequestIn

VARIANTS = ("",)
PARTICIPANTS = frozenset({"own_viewer"}) | ORGANISERS


def build_world(session: Session, variant: str) -> World:
    own = factories.organisation(session, kind="business_support")
    other = factories.organisation(
        session, sites=[{"teryt": ELSEWHERE, "is_headquarters": True}], people=[]
    )
    accounts = make_accounts(session, own.id, other.id)
    shown = event(session, organiser_id=own.id)
    viewer_id = accounts["own_viewer"][0]  # type: ignore[index]
    viewer = account_queries.actor_for(session, account_queries.get_user(session, viewer_id))
    mine = service.register(session, viewer, shown.id, RegistrationIn(organisation_id=own.id))
    alpha_reg, alpha = registered(session, shown.id)
    beta_reg, beta = registered(session, shown.id)
    asked = service.send_request(session, alpha, shown.id, RequestIn(receiver_id=beta_reg.id))
    to_own = service.send_request(session, beta, shown.id, RequestIn(receiver_id=mine.id))
    shared = {
        "shown": shown.id,
        "alpha": alpha_reg.id,
        "asked": asked.id,
        "to_own": to_own.id,
    }
    return World(accounts, shared)


def _count(session: Session, f: Fields) -> Any:
    return session.scalar(select(func.count()).select_from(MeetingRequest))


def _status(key: str):
    def observe(session: Session, f: Fields) -> Any:
        return session.scalar(select(MeetingRequest.status).where(MeetingRequest.id == f[key]))

    return observe


def _participants(method: str, path: str, ok: int):
    """Participants (the own viewer) and the organiser; the rest refused."""

    def expect(actor: str, _variant: str) -> int:
        return ok if actor in PARTICIPANTS else denial(method, path, actor)

    return expect


def _decides(method: str, path: str, who: frozenset[str], ok: int):
    """`who` (its receiver and the organiser) answer; for everybody else it is not found (the
    requester sees it but never answers it: tests/events/test_requests.py)."""

    def expect(actor: str, _variant: str) -> int:
        return ok if actor in who else 404

    return expect


def _lists(response, fields, actor, variant) -> None:
    """Everybody may open the page; it lists only the requests one's delegation is a side of
    (all of them for the organiser)."""
    shown = {f'id="request-{fields[k]}"' in response.text for k in ("asked", "to_own")}
    if actor in ORGANISERS:
        assert shown == {True}
    elif actor == "own_viewer":
        assert f'id="request-{fields["to_own"]}"' in response.text
        assert f'id="request-{fields["asked"]}"' not in response.text
    else:
        assert shown == {False}


SEND = {"receiver_id": "{alpha}", "message": "Spotkajmy się", "priority": "1"}
ORG_ACCEPT = "/events/requests/{asked}/accept"
OWN_ACCEPT = "/events/requests/{to_own}/accept"

ROWS: tuple[Row, ...] = (
    Row(
        "event-participants",
        "GET",
        "/events/{shown}/participants",
        _participants("GET", "/events/{shown}/participants", 200),
        200,
    ),
    Row(
        "api-event-participants",
        "GET",
        "/api/v1/events/{shown}/participants",
        _participants("GET", "/api/v1/events/{shown}/participants", 200),
        200,
    ),
    Row(
        "event-suggestions",
        "GET",
        "/events/{shown}/suggestions",
        _participants("GET", "/events/{shown}/suggestions", 200),
        200,
    ),
    Row(
        "api-event-suggestions",
        "GET",
        "/api/v1/events/{shown}/suggestions",
        _participants("GET", "/api/v1/events/{shown}/suggestions", 200),
        200,
    ),
    row(
        "event-requests",
        "GET",
        "/events/{shown}/requests",
        frozenset(
            {
                "anonymous",
                "outsider",
                "other_viewer",
                "own_viewer",
                "own_editor",
                "own_admin",
                "officer_here",
                "officer_elsewhere",
                "coordinator",
                "platform_admin",
            }
        ),
        200,
    ),
    row(
        "api-event-requests",
        "GET",
        "/api/v1/events/{shown}/requests",
        frozenset(
            {
                "anonymous",
                "outsider",
                "other_viewer",
                "own_viewer",
                "own_editor",
                "own_admin",
                "officer_here",
                "officer_elsewhere",
                "coordinator",
                "platform_admin",
            }
        ),
        200,
    ),
    row(
        "event-request-send",
        "POST",
        "/events/{shown}/requests",
        frozenset({"own_viewer"}),
        303,
        body=SEND,
        observe=_count,
    ),
    row(
        "api-event-request-send",
        "POST",
        "/api/v1/events/{shown}/requests",
        frozenset({"own_viewer"}),
        201,
        body={"receiver_id": "{alpha}", "priority": 1},
        observe=_count,
    ),
    Row(
        "request-accept",
        "POST",
        ORG_ACCEPT,
        _decides("POST", ORG_ACCEPT, ORGANISERS, 303),
        303,
        body={},
        observe=_status("asked"),
    ),
    Row(
        "request-accept-own",
        "POST",
        OWN_ACCEPT,
        _decides("POST", OWN_ACCEPT, PARTICIPANTS, 303),
        303,
        body={},
        observe=_status("to_own"),
    ),
    Row(
        "request-decline",
        "POST",
        "/events/requests/{to_own}/decline",
        _decides("POST", "/events/requests/{to_own}/decline", PARTICIPANTS, 303),
        303,
        body={},
        observe=_status("to_own"),
    ),
    Row(
        "api-request-accept",
        "POST",
        "/api/v1" + OWN_ACCEPT,
        _decides("POST", "/api/v1" + OWN_ACCEPT, PARTICIPANTS, 200),
        200,
        observe=_status("to_own"),
    ),
    Row(
        "api-request-decline",
        "POST",
        "/api/v1/events/requests/{asked}/decline",
        _decides("POST", "/api/v1/events/requests/{asked}/decline", ORGANISERS, 200),
        200,
        observe=_status("asked"),
    ),
)
