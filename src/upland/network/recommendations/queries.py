"""Missing-tie recommendations for a reader, computed on request (cheap at the cluster's size:
the pairs at distance two in the ties the reader sees, the best `POOL` of them scored by the
matching engine).

The structure is the reader's own view of the network (`graph.load_graph`), so every shared
partner comes through ties it may see; a pair is suggested only when the reader may open both
organisations, and a shared partner is named only when it may open that one too (the others
are counted). A city officer gets the pairs involving their partner area; the coordinator
every pair. A pair that ever had a relation (proposed or withdrawn too) is never suggested.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland import clock
from upland.actor import Actor
from upland.events import queries as events
from upland.events.vocab import ACTIVE, EventKind, EventStatus
from upland.i18n import Message
from upland.matching import pairs as matching
from upland.network import graph
from upland.network.models import BrokerageInvitation, Relation
from upland.network.permissions import record_unseen
from upland.network.recommendations import scoring
from upland.organisations import queries as organisations
from upland.permissions import require
from upland.settings import get_settings

POOL = 300  # the structurally best candidates the matching engine is asked about
LIMIT = 20


@dataclass(frozen=True)
class Named:
    id: int
    name: str


@dataclass(frozen=True)
class Shown:
    """A recommendation as the reader may read it."""

    a: Named
    b: Named
    score: float
    structure: float
    match: float
    adamic_adar: float
    cross_city: bool
    science_business: bool
    shared: tuple[Named, ...]  # the shared partners the reader may open
    unnamed: int  # and how many others
    reasons: tuple[Message, ...]  # the matching engine's, for the pair
    invited: InvitedPair | None = None  # invited to an upcoming brokerage day already


@dataclass(frozen=True)
class Invitation:
    """The next brokerage day the reader sees: where both could be invited."""

    id: int
    title_pl: str
    title_en: str
    starts_on: dt.date | None


@dataclass(frozen=True)
class InvitedPair:
    """A pair the cluster invited to an upcoming brokerage day, and whether each side has an
    active registration for it (pending, confirmed or waiting) now; None when the reader may
    not see the event's registrations (`events.queries.sees_registrations`: a city officer
    sees the invitation, not who registered)."""

    id: int
    a: Named
    b: Named
    event: Invitation
    invited_at: dt.datetime
    a_registered: bool | None
    b_registered: bool | None


def _registered(session: Session, actor: Actor, upcoming: list[Any]) -> dict[int, set[int]]:
    """The organisations with an active registration, of each of these events whose
    registrations `actor` sees (read as `actor`); the other events are left out."""
    return {
        event.id: {
            r.organisation_id
            for r in events.list_registrations(session, actor, event)
            if r.organisation_id is not None and r.status in ACTIVE
        }
        for event in upcoming
        if events.sees_registrations(actor, event)
    }


def list_invitations(
    session: Session, actor: Actor, *, today: dt.date | None = None
) -> list[InvitedPair]:
    """The pairs invited to the brokerage days from today on that `actor` sees, newest
    invitation first: for the coordinator every pair, for a city officer those involving their
    partner area; only pairs whose two organisations the reader may open."""
    require(actor, "network.recommendation.list")
    day = today or clock.today()
    upcoming = {e.id: e for e in events.list_events(session, actor, upcoming_from=day)}
    if not upcoming:
        return []
    rows = list(
        session.scalars(
            select(BrokerageInvitation)
            .where(BrokerageInvitation.event_id.in_(sorted(upcoming)))
            .order_by(BrokerageInvitation.invited_at.desc(), BrokerageInvitation.id.desc())
        )
    )
    ids = {i for r in rows for i in (r.a_id, r.b_id)}
    seen = organisations.visible_organisation_ids(session, actor, ids)
    rows = [r for r in rows if r.a_id in seen and r.b_id in seen]
    if not actor.is_staff:
        area = area_of(actor)
        facts = organisations.owner_facts(session, ids)
        settings = get_settings()

        def involves_area(r: BrokerageInvitation) -> bool:
            return any(
                i in facts and settings.partner_of(facts[i].teryt) == area for i in (r.a_id, r.b_id)
            )

        rows = [r for r in rows if area is not None and involves_area(r)]
    names = dict(organisations.organisation_choices(session, ids))
    registered = _registered(
        session, actor, [upcoming[i] for i in sorted({r.event_id for r in rows})]
    )

    def state(organisation_id: int, event_id: int) -> bool | None:
        return organisation_id in registered[event_id] if event_id in registered else None

    return [
        InvitedPair(
            r.id,
            Named(r.a_id, names.get(r.a_id, "")),
            Named(r.b_id, names.get(r.b_id, "")),
            _invitation(upcoming[r.event_id]),
            r.invited_at,
            state(r.a_id, r.event_id),
            state(r.b_id, r.event_id),
        )
        for r in rows
    ]


def _invitation(event: Any) -> Invitation:
    """An event (`events.queries`) as the place to invite a pair to."""
    return Invitation(event.id, event.title_pl, event.title_en, event.starts_on)


def ever_tied(session: Session, actor: Actor) -> set[scoring.Pair]:
    """Every pair that has or had a relation, in any status (it only leaves pairs out), but
    a tie of a record the reader may not see (`permissions.record_unseen`: an anonymous
    owner, others' meeting): a pair missing from the list would tell it."""
    stmt = select(Relation.from_id, Relation.to_id).distinct()
    rows = session.execute(stmt.where(~record_unseen(actor)))
    return {scoring.pair_of(a, b) for a, b in rows}


def area_of(actor: Actor) -> str | None:
    """A city officer's partner area (None for anybody else)."""
    return get_settings().partner_of(actor.officer_teryt) if actor.officer_teryt else None


def list_recommendations(
    session: Session, actor: Actor, *, limit: int = LIMIT, today: dt.date | None = None
) -> list[Shown]:
    """The best `limit` missing ties for `actor`, best first."""
    require(actor, "network.recommendation.list")
    day = today or clock.today()
    loaded = graph.load_graph(session, actor)
    orgs = {int(n.id): scoring.Org(n.city, n.kind) for n in loaded.nodes}
    ties = [(int(e.source), int(e.target)) for e in loaded.edges]
    found = scoring.candidates(ties, ever_tied(session, actor))
    if not actor.is_staff:
        area = area_of(actor)
        found = [c for c in found if area is not None and area in _cities(c.pair, orgs)]
    seen = organisations.visible_organisation_ids(
        session, actor, {i for c in found[: POOL * 2] for i in c.pair}
    )
    pool = [c for c in found if set(c.pair) <= seen][:POOL]
    fits = matching.organisation_pairs(session, [c.pair for c in pool], day)
    ranked = scoring.rank(pool, orgs, {p: f.score for p, f in fits.items()}, limit=limit)
    invited: dict[scoring.Pair, InvitedPair] = {}
    for i in reversed(list_invitations(session, actor, today=day)):  # the newest wins
        invited[scoring.pair_of(i.a.id, i.b.id)] = i
    partners = organisations.visible_organisation_ids(
        session, actor, {i for r in ranked for i in r.shared}
    )

    def named(i: int) -> Named:
        return Named(i, loaded.names.get(str(i), ""))

    return [
        Shown(
            named(r.pair[0]),
            named(r.pair[1]),
            r.score,
            r.structure,
            r.match,
            r.adamic_adar,
            r.cross_city,
            r.science_business,
            tuple(named(i) for i in r.shared if i in partners),
            sum(1 for i in r.shared if i not in partners),
            fits[r.pair].explanation.raised,
            invited.get(r.pair),
        )
        for r in ranked
    ]


def _cities(pair: scoring.Pair, orgs: dict[int, scoring.Org]) -> set[str | None]:
    return {orgs[i].city if i in orgs else None for i in pair}


def next_brokerage_day(
    session: Session, actor: Actor, today: dt.date | None = None
) -> Invitation | None:
    """The first published brokerage day from today on that the reader sees."""
    day = today or clock.today()
    for event in events.list_events(session, actor, upcoming_from=day):
        if event.kind == EventKind.BROKERAGE and event.status == EventStatus.PUBLISHED:
            return _invitation(event)
    return None
