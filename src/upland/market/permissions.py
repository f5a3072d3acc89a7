"""Who may see and change opportunities. Default deny; every list goes through `visible_to`.

Three questions, each answered in one place:

- **the whole opportunity** (`can_view_opportunity`, `visible_to`): the owner's users see
  their own in every state; staff every state but a draft; everybody else a published,
  unexpired one that the core visibility rule (`upland.visibility`: public / members /
  restricted to named organisations, the partner area's officer) lets them see;
- **the teaser** (`can_view_teaser`, `teaser_to`): a published, unexpired restricted one shows
  everyone its kind, sector and title, owner hidden, with "request access";
- **the owner** (`may_see_owner`): an anonymous opportunity's owner is known only to the
  owner's users and staff, and to whoever a registered disclosure admits (an interest the
  owner accepted: issue 9 part c registers it with `disclose_owner_to`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, SQLColumnExpression, and_, false, or_, select, true

from upland import clock, visibility
from upland.actor import Actor, OrgRole
from upland.errors import NotFound
from upland.market.models import Opportunity, OpportunityNamed
from upland.market.vocab import Status, Visibility
from upland.permissions import rule


def today() -> dt.date:
    """The day liveness is judged on (`upland.clock`: a replayed day while history is written)."""
    return clock.today()


def columns(
    level: SQLColumnExpression[Any],
    owner: SQLColumnExpression[Any],
    teryt: SQLColumnExpression[Any],
    opportunity_id: SQLColumnExpression[Any],
) -> visibility.Columns:
    """How a table of opportunities (`opportunity`, or a narrow copy of what the rule reads:
    `market.text_totals`) describes itself to the visibility rule: its level and owner, where
    the owner's headquarters is (`teryt`) and the organisations the opportunity names."""

    def located_in(area: tuple[str, ...]) -> ColumnElement[bool]:
        return or_(*(teryt.startswith(unit, autoescape=True) for unit in area))

    def names_any(ids: list[int]) -> ColumnElement[bool]:
        # Uncorrelated: the few opportunities naming these organisations, read once from
        # ix_opportunity_named_org, not probed for every live opportunity of a count.
        return opportunity_id.in_(
            select(OpportunityNamed.opportunity_id).where(OpportunityNamed.organisation_id.in_(ids))
        )

    return visibility.Columns(level=level, owner=owner, located_in=located_in, named_any=names_any)


# An opportunity belongs to its owner, sits where the owner's headquarters is (`teryt`) and
# names the organisations it is shown to (and those granted access).
COLUMNS = columns(Opportunity.visibility, Opportunity.owner_id, Opportunity.teryt, Opportunity.id)


def record_of(opportunity: Opportunity) -> visibility.Record:
    return visibility.Record(
        level=opportunity.visibility,
        owner=opportunity.owner_id,
        teryts=(opportunity.teryt,),
        named=opportunity.named_ids,
    )


def not_found(opportunity_id: int) -> NotFound:
    """The one answer for an opportunity that does not exist or that the reader may not see."""
    return NotFound(
        "opportunity {id} does not exist", code="opportunity.not_found", id=opportunity_id
    )


def is_live(opportunity: Opportunity, on: dt.date) -> bool:
    """Published and not past its expiry date."""
    return opportunity.status == Status.PUBLISHED and (
        opportunity.expires_on is None or opportunity.expires_on >= on
    )


def live(
    on: dt.date,
    status: ColumnElement[str] | None = None,
    expires_on: ColumnElement[dt.date] | None = None,
) -> ColumnElement[bool]:
    """`is_live` as SQL (`status`, `expires_on`: the columns as the query should read them,
    or those of a copy of the opportunity)."""
    expiry = Opportunity.expires_on if expires_on is None else expires_on
    return and_(
        (Opportunity.status if status is None else status) == Status.PUBLISHED.value,
        or_(expiry.is_(None), expiry >= on),
    )


def is_own(actor: Actor, opportunity: Opportunity) -> bool:
    return actor.has_role(opportunity.owner_id, OrgRole.VIEWER)


@rule("market.opportunity.view", Opportunity)
def can_view_opportunity(actor: Actor, opportunity: Opportunity) -> bool:
    if is_own(actor, opportunity):
        return True
    if actor.is_staff:
        return opportunity.status != Status.DRAFT
    return is_live(opportunity, today()) and visibility.can_see(actor, record_of(opportunity))


def can_view_teaser(actor: Actor, opportunity: Opportunity) -> bool:
    """Whether `actor` sees at least the teaser (the whole, or kind, sector and title)."""
    if can_view_opportunity(actor, opportunity):
        return True
    return opportunity.visibility == Visibility.RESTRICTED and is_live(opportunity, today())


@rule("market.opportunity.create", int)
def can_create_opportunity(actor: Actor, owner_id: int | None) -> bool:
    """An organisation's editors put its offers and requests on the marketplace."""
    return actor.has_role(owner_id, OrgRole.EDITOR)


@rule("market.opportunity.edit", Opportunity)
def can_edit_opportunity(actor: Actor, opportunity: Opportunity) -> bool:
    """Only the owner's editors change an opportunity: its fields, its state, its files and
    who may see it."""
    return actor.has_role(opportunity.owner_id, OrgRole.EDITOR)


@rule("market.opportunity.review", Opportunity)
def can_review_opportunity(actor: Actor, _opportunity: Opportunity) -> bool:
    return actor.is_staff


@rule("market.review_queue.view")
def can_view_review_queue(actor: Actor, _obj: Any = None) -> bool:
    return actor.is_staff


@rule("market.opportunity.expire")
def can_expire_opportunities(actor: Actor, _obj: Any = None) -> bool:
    """Expiry is the scheduler's (the system actor) or staff's, never an owner's."""
    return actor.is_staff


@rule("market.access.request", Opportunity)
def can_request_access(actor: Actor, opportunity: Opportunity) -> bool:
    """A user of another organisation who sees only the teaser asks for the whole."""
    return (
        bool(actor.org_roles)
        and not is_own(actor, opportunity)
        and can_view_teaser(actor, opportunity)
        and not can_view_opportunity(actor, opportunity)
    )


@rule("market.access.decide", Opportunity)
def can_decide_access(actor: Actor, opportunity: Opportunity) -> bool:
    return can_edit_opportunity(actor, opportunity)


@rule("market.attachment.upload")
def can_upload_attachments(actor: Actor, _obj: Any = None) -> bool:
    """Before the body is read (`web.upload_gate`): only an editor of some organisation may
    send a file at all; the service then checks the opportunity itself."""
    return any(role in (OrgRole.EDITOR, OrgRole.ADMIN) for role in actor.org_roles.values())


# --- the owner's identity ----------------------------------------------------------------------

# The ids among some opportunities (none the actor's own) whose owner the actor may know for a
# further reason: asked once for a whole list, so it reads what it needs in one query.
Disclosure = Callable[[Actor, Sequence[Opportunity]], Collection[int]]
_disclosures: list[Disclosure] = []


def disclose_owner_to(disclosure: Disclosure) -> Disclosure:
    """Register a further reason an anonymous owner is shown (e.g. an accepted interest)."""
    if disclosure not in _disclosures:
        _disclosures.append(disclosure)
    return disclosure


def may_see_owner(actor: Actor, opportunity: Opportunity) -> bool:
    """THE rule for showing who owns an opportunity: every page, API answer, export and search
    result asks it (a list through `owners_shown`). Named owners are shown to whoever sees the
    whole opportunity; an anonymous one only to the owner's users, staff and what a registered
    disclosure admits. A disclosure (an accepted interest) admits for good: the introduced see
    the owner after it closes."""
    return opportunity.id in owners_shown(actor, [opportunity])


def owners_shown(actor: Actor, opportunities: Sequence[Opportunity]) -> set[int]:
    """`may_see_owner` for a list: the ids of those whose owner `actor` may see, asking each
    disclosure once for all the rows it must decide (none when every owner is named and seen)."""
    shown: set[int] = set()
    asking: list[Opportunity] = []
    for opportunity in opportunities:
        if (
            is_own(actor, opportunity)
            or actor.is_staff
            or (not opportunity.anonymous and can_view_opportunity(actor, opportunity))
        ):
            shown.add(opportunity.id)
        else:
            asking.append(opportunity)
    for disclosure in _disclosures if asking else ():
        shown.update(disclosure(actor, asking))
    return shown


# The same further reasons as SQL over Opportunity (a condition true where the reason admits
# the actor), for a query that must not name an owner the reader may not know (the network's
# ties): registered beside each `Disclosure`, and tested to agree with it.
SqlDisclosure = Callable[[Actor], ColumnElement[bool]]
_sql_disclosures: list[SqlDisclosure] = []


def disclose_owner_in_sql(disclosure: SqlDisclosure) -> SqlDisclosure:
    """Register a disclosure's SQL form (`owner_seen`)."""
    if disclosure not in _sql_disclosures:
        _sql_disclosures.append(disclosure)
    return disclosure


# --- as SQL ------------------------------------------------------------------------------------


def owner_known(actor: Actor) -> ColumnElement[bool]:
    """The rows whose owner `actor` knows without a disclosure (`may_see_owner` for rows seen
    whole): named ones, the actor's own, every one to staff. A list selects or counts by an
    owner's facts (its kind) only among these, so a filter never tells an anonymous owner's."""
    if actor.is_staff:
        return true()
    own = sorted(o for o, r in actor.org_roles.items() if r)
    named = Opportunity.anonymous.is_(False)
    return or_(named, Opportunity.owner_id.in_(own)) if own else named


def owner_seen(actor: Actor) -> ColumnElement[bool]:
    """`may_see_owner` as SQL over Opportunity, for rows whose record `actor` sees: the owner
    is known when `owner_known` says so or a registered disclosure admits the actor."""
    if actor.is_staff:
        return true()
    return or_(owner_known(actor), *(disclosure(actor) for disclosure in _sql_disclosures))


def visible_to(actor: Actor, stmt: Select[Any], on: dt.date | None = None) -> Select[Any]:
    """Restrict a query over Opportunity to those `actor` sees whole (`can_view_opportunity`)."""
    return stmt.where(full_condition(actor, on or today()))


def full_condition(actor: Actor, on: dt.date) -> ColumnElement[bool]:
    own = sorted(o for o, r in actor.org_roles.items() if r)
    mine = Opportunity.owner_id.in_(own) if own else false()
    if actor.is_staff:
        return or_(mine, Opportunity.status != Status.DRAFT.value)
    seen = visibility.condition(actor, COLUMNS)
    return or_(mine, and_(live(on), true() if seen is None else seen))


def whole_if_live(actor: Actor) -> ColumnElement[bool]:
    """`full_condition` for opportunities a query already keeps live (the browse list): the
    same rows, without the live test again, whose repetition PostgreSQL's planner counts twice
    (it then guessed a few thousand rows and read the table instead of the browse index).
    The owner's own are in the visibility rule already (`visibility.beyond_levels`), so they
    are not asked a second time."""
    seen = visibility.condition(actor, COLUMNS)
    return true() if seen is None else seen


def teaser_condition(actor: Actor, on: dt.date) -> ColumnElement[bool]:
    """Seen as a teaser only: live, restricted, and not seen whole."""
    return and_(
        live(on),
        Opportunity.visibility == Visibility.RESTRICTED.value,
        ~full_condition(actor, on),
    )


def teaser_to(actor: Actor, stmt: Select[Any], on: dt.date | None = None) -> Select[Any]:
    """Restrict a query over Opportunity to those `actor` sees at least as a teaser."""
    day = on or today()
    return stmt.where(or_(full_condition(actor, day), teaser_condition(actor, day)))
