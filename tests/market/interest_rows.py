"""Matrix rows of interests, introductions, outcomes and bookings (every route, every actor).

One world: the world's organisation (`own`, in Lublin) owns a published infrastructure offer
`lab` (members) with a pending interest `received` and bookings `pending_booking` (pending)
and `accepted_booking` from a third organisation `partner` (in Radom, a research institute);
`own` has a pending interest `sent` in the partner's offer `offer`, an introduction `met` to the
partner through the partner's `met_offer`, on which the partner reported an agreement
`report`. The partner's public `fresh` technology offer and `fresh_lab` infrastructure offer
have no answers yet: `own`'s editors may answer, pass and book them.

`RULES` restates who may do what by hand: only the owner's editors decide on interests and
bookings (not staff), only the interested side's editors withdraw, either side's editors
report outcomes, the other side or staff confirm; rows of organisations the actor has nothing
to do with are 404 (never a hint that they exist).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests import factories
from tests.matrix import (
    ELSEWHERE,
    EVERYONE,
    STAFF,
    USERS,
    Fields,
    Row,
    World,
    denial,
    make_accounts,
    row,
)

from upland.market.interests import service
from upland.market.interests.models import Booking, Interest, OutcomeReport
from upland.market.interests.schemas import BookingIn, InterestIn, OutcomeIn

VARIANTS = ("",)
EDITORS = frozenset({"own_editor", "own_admin"})
READERS = EDITORS | {"own_viewer"} | STAFF
TODAY = dt.datetime.now(dt.UTC).date()
# Who sees the `lab` (members, in Lublin) whole: its users, staff, members, Lublin's officer.
SEE_LAB = READERS | {"other_viewer", "officer_here"}


def build_world(session: Session, variant: str) -> World:
    own = factories.organisation(session, short_name="Matrix Laboratorium")
    other = factories.organisation(
        session,
        short_name="Matrix Inny",
        sites=[{"teryt": ELSEWHERE, "locality": "Radom", "is_headquarters": True}],
        people=[],
    )
    partner = factories.organisation(
        session,
        kind="research",
        short_name="Matrix Instytut",
        sites=[{"teryt": ELSEWHERE, "locality": "Radom", "is_headquarters": True}],
    )
    own_hand = factories.actor_of(session, factories.user(session, role="editor", org=own))
    partner_hand = factories.actor_of(session, factories.user(session, role="editor", org=partner))

    def offer(owner_actor, owner, **more: Any) -> int:
        return factories.opportunity(session, owner, owner_actor, publish=True, **more).id

    lab = offer(own_hand, own, kind="infrastructure_offer", equipment="Hamownia")
    partner_offer = offer(partner_hand, partner)
    met_offer = offer(partner_hand, partner, anonymous=True)
    fresh = offer(partner_hand, partner, kind="technology_offer", visibility="public")
    fresh_lab = offer(
        partner_hand, partner, kind="infrastructure_offer", equipment="Komora", visibility="public"
    )
    received = service.express_interest(session, partner_hand, lab, InterestIn(message="Lab?"))
    sent = service.express_interest(session, own_hand, partner_offer, InterestIn(message="Tak"))
    met_interest = service.express_interest(session, own_hand, met_offer, InterestIn())
    met = service.accept_interest(session, partner_hand, met_interest.id)
    report = service.record_outcome(
        session,
        partner_hand,
        met.id,
        OutcomeIn(kind="agreement_signed", agreement_type="research_cooperation"),
    )

    def days(start: int, end: int) -> BookingIn:
        return BookingIn(
            starts_on=TODAY + dt.timedelta(days=start),
            ends_on=TODAY + dt.timedelta(days=end),
            purpose="Pomiary",
        )

    pending_booking = service.request_booking(session, partner_hand, lab, days(10, 12))
    accepted_booking = service.request_booking(session, partner_hand, lab, days(20, 21))
    service.accept_booking(session, own_hand, accepted_booking.id)
    session.flush()
    shared = {
        "lab": lab,
        "fresh": fresh,
        "fresh_lab": fresh_lab,
        "received": received.id,
        "sent": sent.id,
        "met": met.id,
        "report": report.id,
        "pending_booking": pending_booking.id,
        "accepted_booking": accepted_booking.id,
        "today": TODAY.isoformat(),
        "start": (TODAY + dt.timedelta(days=40)).isoformat(),
        "month": (TODAY + dt.timedelta(days=20)).strftime("%Y-%m"),
    }
    return World(make_accounts(session, own.id, other.id), shared)


# --- observations -------------------------------------------------------------------------------


def _count(model: type, column: Any, key: str) -> Callable[[Session, Fields], int]:
    def observe(session: Session, f: Fields) -> int:
        return session.scalar(select(func.count()).select_from(model).where(column == f[key])) or 0

    return observe


def _value(column: Any, key: str) -> Callable[[Session, Fields], Any]:
    def observe(session: Session, f: Fields) -> Any:
        return session.scalar(select(column).where(column.table.c.id == f[key]))

    return observe


ANSWERS_OF_FRESH = _count(Interest, Interest.opportunity_id, "fresh")
RECEIVED = _value(Interest.status, "received")
SENT = _value(Interest.status, "sent")
OUTCOMES = _count(OutcomeReport, OutcomeReport.introduction_id, "met")
CONFIRMED = _value(OutcomeReport.confirmed_at, "report")
BOOKINGS_OF_FRESH_LAB = _count(Booking, Booking.opportunity_id, "fresh_lab")
PENDING_BOOKING = _value(Booking.status, "pending_booking")
ACCEPTED_BOOKING = _value(Booking.status, "accepted_booking")


def staged(
    name: str,
    method: str,
    path: str,
    ok: int,
    allowed: frozenset[str],
    sees: frozenset[str],
    **more: Any,
) -> Row:
    """A write on a record: `ok` for `allowed`; 403 for those who see it but may not; 404 for
    everyone else (the anonymous too: they see nothing of it)."""

    def expect(actor: str, _variant: str) -> int:
        if actor in allowed:
            return ok
        if actor in sees:
            return 403
        return 404

    return Row(name, method, path, expect, ok, **more)


def answering(name: str, method: str, path: str, ok: int, **more: Any) -> Row:
    """An answer to a public opportunity: editors of an organisation succeed; anybody else is
    refused (there is no organisation to answer for)."""

    def expect(actor: str, _variant: str) -> int:
        return ok if actor in EDITORS else denial(method, path, actor)

    return Row(name, method, path, expect, ok, **more)


def seeing(name: str, path: str, who: frozenset[str], **more: Any) -> Row:
    """A record read: 200 for who sees it, the log-in for the anonymous on a page, else 404."""

    def expect(actor: str, _variant: str) -> int:
        if actor in who:
            return 200
        return 303 if actor == "anonymous" and not path.startswith("/api/") else 404

    return Row(name, "GET", path, expect, 200, **more)


def _items(expected: Callable[[str], int]) -> Callable[[Any, Fields, str, str], None]:
    def check(response: Any, _f: Fields, actor: str, _variant: str) -> None:
        body = response.json()
        items = body["items"] if isinstance(body, dict) else body
        assert len(items) == expected(actor), (actor, items)

    return check


def _no_booker(response: Any, _f: Fields, actor: str, _variant: str) -> None:
    booked = response.json()["booked"]
    assert len(booked) == 1
    assert (booked[0]["organisation"] is not None) is (actor in READERS)


OWN = READERS - STAFF


ROWS: tuple[Row, ...] = (
    # --- the API -----------------------------------------------------------------------------
    row(
        "api-opportunity-interests",
        "GET",
        "/api/v1/opportunities/{lab}/interests",
        EVERYONE,
        200,
        check=_items(lambda a: 1 if a in READERS else 0),
    ),
    answering(
        "api-express",
        "POST",
        "/api/v1/opportunities/{fresh}/interests",
        201,
        body={"message": "<b>Chętnie</b>"},
        observe=ANSWERS_OF_FRESH,
    ),
    answering(
        "api-pass",
        "POST",
        "/api/v1/opportunities/{fresh}/passes",
        201,
        body={"reason": "too_early"},
        observe=ANSWERS_OF_FRESH,
    ),
    row(
        "api-interests",
        "GET",
        "/api/v1/interests?direction=sent",
        EVERYONE,
        200,
        check=_items(lambda a: 2 if a in OWN else 0),
    ),
    seeing("api-interest", "/api/v1/interests/{received}", READERS),
    staged(
        "api-accept",
        "POST",
        "/api/v1/interests/{received}/accept",
        200,
        EDITORS,
        READERS,
        body={"message": "Zapraszamy"},
        observe=RECEIVED,
    ),
    staged(
        "api-decline",
        "POST",
        "/api/v1/interests/{received}/decline",
        200,
        EDITORS,
        READERS,
        observe=RECEIVED,
    ),
    staged(
        "api-withdraw",
        "POST",
        "/api/v1/interests/{sent}/withdraw",
        200,
        EDITORS,
        READERS,
        observe=SENT,
    ),
    row(
        "api-introductions",
        "GET",
        "/api/v1/introductions",
        EVERYONE,
        200,
        check=_items(lambda a: 1 if a in OWN else (0 if a not in STAFF else 1)),
    ),
    seeing("api-introduction", "/api/v1/introductions/{met}", READERS),
    staged(
        "api-outcome",
        "POST",
        "/api/v1/introductions/{met}/outcomes",
        201,
        EDITORS,
        READERS,
        body={"kind": "meeting_held", "occurred_on": "{today}", "note": "<i>x</i>"},
        observe=OUTCOMES,
    ),
    staged(
        "api-confirm",
        "POST",
        "/api/v1/outcomes/{report}/confirm",
        200,
        EDITORS | STAFF,
        READERS,
        observe=CONFIRMED,
    ),
    row(
        "api-opportunity-bookings",
        "GET",
        "/api/v1/opportunities/{lab}/bookings",
        EVERYONE,
        200,
        check=_items(lambda a: 2 if a in READERS else 0),
    ),
    answering(
        "api-book",
        "POST",
        "/api/v1/opportunities/{fresh_lab}/bookings",
        201,
        body={"starts_on": "{start}", "ends_on": "{start}", "purpose": "Badania"},
        observe=BOOKINGS_OF_FRESH_LAB,
    ),
    seeing(
        "api-calendar",
        "/api/v1/opportunities/{lab}/calendar?month={month}",
        SEE_LAB,
        check=_no_booker,
    ),
    row("api-bookings", "GET", "/api/v1/bookings", EVERYONE, 200),
    staged(
        "api-booking-accept",
        "POST",
        "/api/v1/bookings/{pending_booking}/accept",
        200,
        EDITORS,
        READERS,
        observe=PENDING_BOOKING,
    ),
    staged(
        "api-booking-decline",
        "POST",
        "/api/v1/bookings/{pending_booking}/decline",
        200,
        EDITORS,
        READERS,
        observe=PENDING_BOOKING,
    ),
    staged(
        "api-booking-cancel",
        "POST",
        "/api/v1/bookings/{accepted_booking}/cancel",
        200,
        EDITORS,
        READERS,
        observe=ACCEPTED_BOOKING,
    ),
    # --- the pages ---------------------------------------------------------------------------
    seeing("answers-page", "/market/{lab}/interests", SEE_LAB),
    answering(
        "express-form",
        "POST",
        "/market/{fresh}/interests",
        303,
        body={"message": "<b>Chętnie</b>"},
        observe=ANSWERS_OF_FRESH,
    ),
    answering(
        "pass-form",
        "POST",
        "/market/{fresh}/passes",
        303,
        body={"reason": "benefit_unclear"},
        observe=ANSWERS_OF_FRESH,
    ),
    staged(
        "accept-form",
        "POST",
        "/market/interests/{received}/accept",
        303,
        EDITORS,
        READERS,
        observe=RECEIVED,
    ),
    staged(
        "decline-form",
        "POST",
        "/market/interests/{received}/decline",
        303,
        EDITORS,
        READERS,
        observe=RECEIVED,
    ),
    staged(
        "withdraw-form",
        "POST",
        "/market/interests/{sent}/withdraw",
        303,
        EDITORS,
        READERS,
        observe=SENT,
    ),
    row("interests-page", "GET", "/market/interests", USERS, 200),
    row("introductions-page", "GET", "/market/introductions", USERS, 200),
    staged(
        "outcome-form",
        "POST",
        "/market/introductions/{met}/outcomes",
        303,
        EDITORS,
        READERS,
        body={"kind": "abandoned", "reason": "<b>Brak budżetu</b>"},
        observe=OUTCOMES,
    ),
    staged(
        "confirm-form",
        "POST",
        "/market/outcomes/{report}/confirm",
        303,
        EDITORS | STAFF,
        READERS,
        observe=CONFIRMED,
    ),
    seeing("bookings-page", "/market/{lab}/bookings?month={month}", SEE_LAB),
    answering(
        "book-form",
        "POST",
        "/market/{fresh_lab}/bookings",
        303,
        body={"starts_on": "{start}", "ends_on": "{start}", "purpose": "<b>Badania</b>"},
        observe=BOOKINGS_OF_FRESH_LAB,
    ),
    staged(
        "booking-accept-form",
        "POST",
        "/market/bookings/{pending_booking}/accept",
        303,
        EDITORS,
        READERS,
        observe=PENDING_BOOKING,
    ),
    staged(
        "booking-decline-form",
        "POST",
        "/market/bookings/{pending_booking}/decline",
        303,
        EDITORS,
        READERS,
        observe=PENDING_BOOKING,
    ),
    staged(
        "booking-cancel-form",
        "POST",
        "/market/bookings/{accepted_booking}/cancel",
        303,
        EDITORS,
        READERS,
        observe=ACCEPTED_BOOKING,
    ),
)
