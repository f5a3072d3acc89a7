"""The coordinator's action on a missing tie: invite both organisations to the next brokerage
day. Each organisation's editors and admins get an in-app notice (`upland.notifications`)
naming the other and linking to the day's page, where they register; the invitation is
recorded (`BrokerageInvitation`: once per pair and event, a second time is a Conflict) and
audited. A city officer may invite a pair involving their partner area. A pair one of whose
organisations may not open the other's profile is not invited: the notice would name it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from upland import audit, clock
from upland.accounts import queries as accounts
from upland.actor import Actor, OrgRole
from upland.errors import Conflict, NotFound, PermissionDenied
from upland.network.models import BrokerageInvitation
from upland.network.notices import INVITED
from upland.network.recommendations import queries
from upland.notifications import service as notifications
from upland.organisations import queries as organisations
from upland.permissions import require
from upland.settings import get_settings


def _sees(session: Session, org: int, other: int) -> bool:
    """Whether `org`'s own people may open `other`'s profile: the notice names it to them."""
    facts = organisations.owner_facts(session, [org])
    as_org = Actor(
        user_id=None,
        label=f"organisation {org}",
        org_roles={org: OrgRole.EDITOR},
        is_cluster_member=bool(facts.get(org) and facts[org].is_member),
    )
    return other in organisations.visible_organisation_ids(session, as_org, [other])


@dataclass(frozen=True)
class Invited:
    event_id: int
    recipients: int  # people notified, both organisations together
    invitation_id: int  # the record of it (`BrokerageInvitation`)


def invite_pair(session: Session, actor: Actor, a: int, b: int) -> Invited:
    """Invite organisations `a` and `b` to the next published brokerage day the actor sees."""
    require(actor, "network.recommendation.list")
    pair = sorted({a, b})
    names = dict(organisations.organisation_choices(session, pair))
    seen = organisations.visible_organisation_ids(session, actor, pair)
    if len(pair) != 2 or set(names) != set(pair) or seen != set(pair):
        raise NotFound("no such pair of organisations", code="network.pair_not_found")
    if not actor.is_staff:
        settings = get_settings()
        areas = {
            settings.partner_of(f.teryt)
            for f in organisations.list_network_facts(session)
            if f.id in pair
        }
        # No area (an officer whose city is no partner any more) matches nothing: None is also
        # the "area" of every organisation outside them all.
        area = queries.area_of(actor)
        if area is None or area not in areas:
            raise PermissionDenied(
                "only pairs involving your partner area", code="network.pair_outside_area"
            )
    if not all(_sees(session, o, p) for o, p in ((pair[0], pair[1]), (pair[1], pair[0]))):
        raise Conflict(
            "one of the two organisations may not see the other's profile, so a notice naming "
            "it cannot be sent; invite them to the brokerage day separately",
            code="network.pair_not_visible",
        )
    day = queries.next_brokerage_day(session, actor)
    if day is None:
        raise Conflict("no brokerage day is open to invite to", code="network.no_brokerage_day")
    invited_already = Conflict(
        "{a} and {b} are invited to “{event}” already",
        code="network.already_invited",
        a=names[pair[0]],
        b=names[pair[1]],
        event=day.title_pl,
    )
    if session.scalar(
        select(BrokerageInvitation.id).where(
            BrokerageInvitation.a_id == pair[0],
            BrokerageInvitation.b_id == pair[1],
            BrokerageInvitation.event_id == day.id,
        )
    ):
        raise invited_already
    invitation = BrokerageInvitation(
        a_id=pair[0],
        b_id=pair[1],
        event_id=day.id,
        invited_by_id=actor.user_id,
        invited_at=clock.now(),
    )
    try:
        with session.begin_nested():  # a second request that got here at the same time
            session.add(invitation)
    except IntegrityError:
        raise invited_already from None
    editors = accounts.editor_ids(session, pair)
    link = f"/events/{day.id}"
    when = day.starts_on.isoformat() if day.starts_on else ""
    sent = 0
    for org, partner in ((pair[0], pair[1]), (pair[1], pair[0])):
        params = {"partner": names[partner], "title": day.title_pl, "day": when}
        sent += len(notifications.notify(session, editors[org], INVITED.code, params, link))
    audit.record(
        session,
        actor,
        "network.recommendation.invite",
        "event",
        day.id,
        after={"organisation_ids": pair, "notified": sent, "invitation_id": invitation.id},
    )
    return Invited(day.id, sent, invitation.id)
