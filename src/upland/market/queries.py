"""Every read of the marketplace. Whole opportunities go through `permissions.visible_to`,
teasers through `permissions.teaser_to`, owners through `permissions.may_see_owner`, so no
page, count, export or search shows what the reader may not see."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    and_,
    case,
    cast,
    false,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session, selectinload

from upland import visibility
from upland.actor import ANONYMOUS, Actor, OrgRole
from upland.errors import Invalid, NotFound
from upland.i18n import Message
from upland.market import facets, kept_totals, permissions, text_totals
from upland.market.models import (
    AccessRequest,
    Attachment,
    Opportunity,
    OpportunityCapability,
)
from upland.market.opportunity_texts import OpportunityTexts as OpportunityTexts
from upland.market.opportunity_texts import list_opportunity_texts as list_opportunity_texts
from upland.market.permissions import not_found
from upland.market.schemas import OpportunityFilter
from upland.market.search import query_terms, text_condition, text_plan
from upland.market.vocab import AccessStatus, Sort, Status, Visibility
from upland.organisations import queries as organisations
from upland.reference import queries as reference
from upland.reference.pkd_filter import pkd_filter_value

MAX_OFFSET = 100_000
_LOAD = (
    selectinload(Opportunity.named),
    selectinload(Opportunity.pkd_codes),
    selectinload(Opportunity.places),
)


@dataclass(frozen=True)
class Shown:
    """An opportunity as one reader meets it: whole or as a teaser, owner shown or not."""

    opportunity: Opportunity
    whole: bool
    owner_shown: bool


@dataclass(frozen=True)
class Page:
    items: list[Shown]
    total: int
    next_cursor: str | None
    prev_cursor: str | None


def shown(actor: Actor, opportunity: Opportunity) -> Shown:
    [one] = shown_all(actor, [opportunity])
    return one


def shown_all(actor: Actor, opportunities: list[Opportunity]) -> list[Shown]:
    """Each row as `actor` meets it; whose owners they may see is asked once for the list."""
    whole = [o for o in opportunities if permissions.can_view_opportunity(actor, o)]
    owners = permissions.owners_shown(actor, whole)
    seen = {o.id for o in whole}
    return [Shown(o, o.id in seen, o.id in owners) for o in opportunities]


def get_opportunity(session: Session, actor: Actor, opportunity_id: int) -> Shown:
    """The opportunity whole, or its teaser; NotFound when the reader sees neither."""
    opportunity = session.get(
        Opportunity,
        opportunity_id,
        options=[
            *_LOAD,
            selectinload(Opportunity.capabilities),
            selectinload(Opportunity.attachments),
        ],
    )
    if opportunity is None or not permissions.can_view_teaser(actor, opportunity):
        raise not_found(opportunity_id)
    return shown(actor, opportunity)


# --- the browse list -----------------------------------------------------------------------------


def _has(model: Any, *where: ColumnElement[bool]) -> ColumnElement[bool]:
    """Opportunities with a child row (PKD code, capability, place) matching `where`: an
    uncorrelated `id IN (…)` that the database builds once from the child's index, where a
    correlated EXISTS probed it for every live opportunity of a count (2x slower at 100 000)."""
    return Opportunity.id.in_(select(model.opportunity_id).where(*where))


def _term_id(session: Session, slug: str, field: str, kind: str | None = None) -> int:
    term = reference.get_capability_term(session, slug)
    if term is None or (kind is not None and term.kind != kind):
        raise Invalid.one(
            field, "unknown capability term {term}", code="capability_term.unknown", term=repr(slug)
        )
    return term.id


def _places(session: Session, city: str) -> list[str]:
    """The facets of a city filter: places of interest in the city's voivodeship, county or
    municipality as a whole."""
    return [facets.place(unit) for unit in _city_prefixes(session, city)]


def _city_prefixes(session: Session, city: str) -> list[str]:
    teryt, problem = reference.resolve_municipality(session, city)
    if teryt is None:
        raise Invalid.one(
            "city",
            problem or Message("unknown municipality {name}", {"name": repr(city)}),
            code="municipality.unknown",
        )
    return [teryt[:2], teryt[:4], teryt]


def _details(
    session: Session, actor: Actor, flt: OpportunityFilter, probe: bool = False
) -> list[ColumnElement[bool]]:
    """The conditions on what only a whole opportunity shows (a teaser never answers them); the
    owner's kind only where the reader knows the owner (`permissions.owner_known`); `probe`: PKD
    and place facets probed row by row (`facets.holds`)."""
    found: list[ColumnElement[bool]] = []
    if flt.pkd and len(pkd_filter_value(flt.pkd)) > 1:
        found.append(facets.holds([facets.pkd(pkd_filter_value(flt.pkd))], probe=probe))
    if flt.capability:
        term = _term_id(session, flt.capability, "capability")
        found.append(_has(OpportunityCapability, OpportunityCapability.term_id == term))
    if flt.certification:
        term = _term_id(session, flt.certification, "certification", "certification")
        found.append(_has(OpportunityCapability, OpportunityCapability.term_id == term))
    if flt.city:
        found.append(facets.holds(_places(session, flt.city), probe=probe))
    if flt.trl_min is not None:
        found.append(Opportunity.trl >= flt.trl_min)
    if flt.trl_max is not None:
        found.append(Opportunity.trl <= flt.trl_max)
    if flt.owner_kind:
        kind = Opportunity.owner_id.in_(organisations.ids_of_kind(flt.owner_kind.value))
        found += [kind, permissions.owner_known(actor)]
    if flt.published_since:
        since = dt.datetime.combine(flt.published_since, dt.time(), tzinfo=dt.UTC)
        found.append(Opportunity.published_at >= since)
    if flt.published_until:
        until = dt.datetime.combine(
            flt.published_until + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC
        )
        found.append(Opportunity.published_at < until)
    return found


def _live(session: Session, flt: OpportunityFilter, on: dt.date, counting: bool) -> Any:
    """`permissions.live`; for a count of text matches on SQLite with the status read as
    `+status`, which no index answers, so the count starts from the FTS5 matches (rowids in
    table order) instead of walking every live entry of a status index and probing the
    matches for each (70 → 26 ms for "laser" at 100 000 opportunities)."""
    if counting and flt.q and query_terms(flt.q) and session.get_bind().dialect.name == "sqlite":
        return permissions.live(on, facets.unindexed(Opportunity.status.expression))
    return permissions.live(on)


def filtered(
    session: Session,
    actor: Actor,
    flt: OpportunityFilter,
    on: dt.date,
    *,
    kind: bool = True,
    counting: bool = False,
    probe: bool = False,
) -> Select[Any]:
    """The SELECT of live opportunities matching `flt` that `actor` sees at least as a teaser
    (no order, no limit). `kind=False` leaves the kind filter out (for the kind facet);
    `counting`: the same rows, phrased for a count rather than for a page; `probe`: the PKD
    and place filters probed for each row (for a page of a filter that matches many)."""
    whole = permissions.whole_if_live(actor)  # every row below is live
    stmt = select(Opportunity).where(_live(session, flt, on, counting))
    details = _details(session, actor, flt, probe)
    # A teaser is a live restricted one not seen whole, so among live ones `whole OR teaser`
    # is `whole OR restricted`, which SQL evaluates from the browse index at a third of the
    # cost (the count of a page walks every live opportunity).
    teaser: ColumnElement[bool] = Opportunity.visibility == Visibility.RESTRICTED.value
    dialect = session.get_bind().dialect.name
    every = text_condition(dialect, flt.q, titles_only=False) if flt.q else None
    if details:
        stmt = stmt.where(whole, *details)
        if every is not None:
            stmt = stmt.where(every)
    elif every is not None:
        # Seen whole: any text matches; a teaser: its titles. A title match is a match of
        # every text too, so this is `every AND (whole OR (restricted AND titles))`: one set
        # of matches the count can start from, and the reader's rule asked once.
        titles = text_condition(dialect, flt.q or "", titles_only=True, teasers=True)
        assert titles is not None  # the same words as `every`
        stmt = stmt.where(every, or_(whole, and_(teaser, titles)))
    else:
        stmt = stmt.where(or_(whole, teaser))
    if kind and flt.kind:
        stmt = stmt.where(Opportunity.kind == flt.kind.value)
    if flt.pkd and len(pkd_filter_value(flt.pkd)) == 1:
        stmt = stmt.where(facets.holds([facets.pkd(pkd_filter_value(flt.pkd))], probe=probe))
    return stmt


# A teaser's place among teasers: its title, then its id scrambled (Knuth's multiplicative
# hash, a fixed permutation of 32-bit ids). Ids are handed out in creation order, so ordering
# teasers by id would rank them by age; the scrambled id ties equal titles in an order that
# says nothing about it.
_SCRAMBLE, _MODULUS = 2654435761, 2**32


_BY_DATE = (Opportunity.published_at.desc(), Opportunity.id.desc())
_SCRAMBLED = ((cast(Opportunity.id, BigInteger) * _SCRAMBLE) % _MODULUS, Opportunity.id.desc())


def _title_in(language: str) -> ColumnElement[str]:
    """The title a reader of `language` sorts teasers by: theirs where the opportunity has
    one, else the other (an English reader's list is not in Polish order)."""
    own, other = (Opportunity.title_pl, Opportunity.title_en)
    if language == "en":
        own, other = other, own
    return case((own != "", own), else_=other)


def _teasers(language: str) -> list[Any]:
    """The teasers' own order: title in the reader's language, then the scrambled id."""
    return [_title_in(language), *_SCRAMBLED]


def _teasers_after(whole: ColumnElement[bool], language: str) -> list[Any]:
    """`_teasers` for the rows that are teasers (`~whole`), as the tail of an ORDER BY."""
    return [case((whole, None), else_=_title_in(language)), *_SCRAMBLED]


def _newest(actor: Actor, language: str) -> list[Any]:
    """Newest first among whole rows; teasers after every whole one, in an order that tells
    nothing of their hidden publication date (title, then a scrambled id)."""
    if actor.is_staff:
        return list(_BY_DATE)
    whole = permissions.whole_if_live(actor)
    return [
        case((whole, 0), else_=1),
        case((whole, Opportunity.published_at), else_=None).desc(),
        *_teasers_after(whole, language),
    ]


def _newest_rows(
    session: Session, actor: Actor, stmt: Select[Any], start: int, size: int, language: str
) -> list[Opportunity]:
    """`size` rows from `start` in `_newest` order, as two walks the indexes serve: the whole
    rows newest first (the browse index, stopping after the page, where one ORDER BY of the
    CASEs above sorted every live row: 3 s at 100 000), then, once they run out, the teasers."""
    whole = permissions.whole_if_live(actor)
    rows = list(session.scalars(stmt.where(whole).order_by(*_BY_DATE).offset(start).limit(size)))
    if len(rows) == size:
        return rows
    wholes = start + len(rows)
    if not rows and start:
        wholes = session.scalar(stmt.where(whole).with_only_columns(func.count())) or 0
    teasers = stmt.where(~whole).order_by(*_teasers(language))
    return rows + list(
        session.scalars(teasers.offset(max(0, start - wholes)).limit(size - len(rows)))
    )


def _order(session: Session, actor: Actor, flt: OpportunityFilter, language: str) -> list[Any]:
    newest = _newest(actor, language)
    if flt.sort == Sort.DEADLINE:
        if actor.is_staff:
            return [Opportunity.deadline.is_(None), Opportunity.deadline.asc(), Opportunity.id]
        # A teaser's deadline and age are hidden: teasers follow every whole row (dated or
        # not) in the teasers' own order, so a place in the list tells neither.
        whole = permissions.whole_if_live(actor)
        deadline = case((whole, Opportunity.deadline), else_=None)
        return [
            case((whole, 0), else_=1),
            deadline.is_(None),
            deadline.asc(),
            case((whole, Opportunity.id), else_=None),
            *_teasers_after(whole, language),
        ]
    if flt.sort == Sort.RELEVANCE and flt.q and query_terms(flt.q):
        titles = text_condition(session.get_bind().dialect.name, flt.q, titles_only=True)
        if titles is not None:
            return [titles.desc(), *newest]
    return newest


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        offset = json.loads(raw)["o"]
        if type(offset) is not int or not 0 <= offset <= MAX_OFFSET:
            raise ValueError("offset out of range")
        return offset
    except (ValueError, TypeError, KeyError):
        raise Invalid.one(
            "cursor", "the page cursor is damaged; start from the first page", code="cursor.damaged"
        ) from None


def _text_plan(session: Session, flt: OpportunityFilter) -> AbstractContextManager[None]:
    """`search.text_plan` for a text search on PostgreSQL."""
    if flt.q and query_terms(flt.q) and session.get_bind().dialect.name == "postgresql":
        return text_plan(session)
    return nullcontext()


# The filters a facet total answers (`facets.count`); any other set field is counted in SQL.
_FACETED = {"kind", "pkd", "city", "sort"}
# A page of a filter matching more than this many probes its facets row by row: the walk
# newest first then stops after ~26 x live / matched rows (1 400 at most at 100 000).
_PROBE_ABOVE = 1_000


def _facets(session: Session, flt: OpportunityFilter) -> list[str] | None:
    """The facets one of which a counted opportunity holds, or None when `flt` is not one
    PKD code or one city of interest (with a kind at most)."""
    asked = {name for name, value in flt if value not in (None, "")}
    if not asked <= _FACETED or (flt.pkd and flt.city):
        return None
    if flt.pkd:
        return [facets.pkd(pkd_filter_value(flt.pkd))]
    if flt.city:
        return _places(session, flt.city)
    return None


def count_opportunities(session: Session, actor: Actor, flt: OpportunityFilter, on: dt.date) -> int:
    with _text_plan(session, flt):
        return _count(session, actor, flt, on)


def _count(session: Session, actor: Actor, flt: OpportunityFilter, on: dt.date) -> int:
    """`count_opportunities` inside the caller's `_text_plan`."""
    if text_totals.answers(flt):  # words (and a kind): the narrow copy's rows of the matches
        return text_totals.count(session, actor, flt, on)
    if kept_totals.answers(flt):  # no filter, or a kind: the kept tally of levels and kinds
        return kept_totals.count(session, actor, flt, on)
    tokens = _facets(session, flt)
    if tokens is not None:
        # A section is what a teaser shows too (no detail filter): teasers count.
        teasers = not (flt.city or (flt.pkd and len(pkd_filter_value(flt.pkd)) > 1))
        kind = flt.kind.value if flt.kind else None
        return facets.count(session, actor, tokens, on, teasers=teasers, kind=kind)
    stmt = filtered(session, actor, flt, on, counting=True)
    return session.scalar(stmt.with_only_columns(func.count()).order_by(None)) or 0


def count_by_kind(
    session: Session, actor: Actor, flt: OpportunityFilter, on: dt.date
) -> dict[str, int]:
    """The kind facet: how many of the list (the kind filter aside) are of each kind."""
    with _text_plan(session, flt):
        if text_totals.answers(flt):
            return text_totals.count_by_kind(session, actor, flt, on)
        if kept_totals.answers(flt):
            return kept_totals.count_by_kind(session, actor, on)
        stmt = filtered(session, actor, flt, on, kind=False, counting=True)
        rows = session.execute(
            stmt.with_only_columns(Opportunity.kind, func.count()).group_by(Opportunity.kind)
        )
        return {kind: count for kind, count in rows}


def list_opportunities(
    session: Session,
    actor: Actor,
    flt: OpportunityFilter,
    *,
    on: dt.date,
    limit: int = 25,
    after: str | None = None,
    before: str | None = None,
    with_total: bool = True,
    language: str = "pl",
) -> Page:
    """One page of the browse list (offset paging behind opaque cursors, the registry's shape);
    teasers in the order of their titles in the reader's `language`."""
    cursor = after or before
    start = decode_cursor(cursor) if cursor else 0
    if before and not after:
        start = max(0, start - limit)
    total = -1
    with _text_plan(session, flt):  # the page and its total
        if with_total and _facets(session, flt) is not None:  # an index range: known first
            total = _count(session, actor, flt, on)
        stmt = filtered(session, actor, flt, on, probe=total > _PROBE_ABOVE).options(*_LOAD)
        if flt.sort == Sort.NEWEST and not actor.is_staff:
            rows = _newest_rows(session, actor, stmt, start, limit + 1, language)
        else:
            ordered = stmt.order_by(*_order(session, actor, flt, language))
            rows = list(session.scalars(ordered.offset(start).limit(limit + 1)))
        more = len(rows) > limit
        rows = rows[:limit]
        if with_total and total < 0:
            total = (
                start + len(rows) if start == 0 and not more else _count(session, actor, flt, on)
            )
    items = shown_all(actor, rows)
    return Page(
        items,
        total,
        encode_cursor(start + limit) if more else None,
        encode_cursor(start) if start > 0 else None,
    )


def iter_opportunities(
    session: Session, actor: Actor, flt: OpportunityFilter, on: dt.date, batch: int = 500
) -> Iterator[Shown]:
    """Every row of a filtered list, in list order (for exports)."""
    after = None
    while True:
        page = list_opportunities(
            session, actor, flt, on=on, limit=batch, after=after, with_total=False
        )
        yield from page.items
        if page.next_cursor is None:
            return
        after = page.next_cursor


# --- the owner's and the coordinator's lists ------------------------------------------------------


def list_own(session: Session, actor: Actor, status: str | None = None) -> list[Shown]:
    """Every opportunity of the organisations the actor has a role in, in every state."""
    own = sorted(o for o, r in actor.org_roles.items() if r)
    if not own:
        return []
    stmt = select(Opportunity).where(Opportunity.owner_id.in_(own))
    if status:
        stmt = stmt.where(Opportunity.status == status)
    stmt = stmt.order_by(Opportunity.updated_at.desc(), Opportunity.id.desc()).options(*_LOAD)
    return shown_all(actor, list(session.scalars(stmt.limit(500))))


def list_review_queue(session: Session, actor: Actor) -> list[Shown]:
    """Submitted opportunities waiting for the coordinator, oldest first; empty for others."""
    if not actor.is_staff:
        return []
    stmt = permissions.visible_to(
        actor, select(Opportunity).where(Opportunity.status == Status.SUBMITTED.value)
    )
    stmt = stmt.order_by(Opportunity.submitted_at.asc(), Opportunity.id.asc()).options(*_LOAD)
    return shown_all(actor, list(session.scalars(stmt.limit(500))))


def count_review_queue(session: Session, actor: Actor) -> int:
    if not actor.is_staff:
        return 0
    stmt = select(func.count()).where(Opportunity.status == Status.SUBMITTED.value)
    return session.scalar(stmt) or 0


def list_access_requests(
    session: Session, actor: Actor, *, pending_only: bool = False
) -> list[AccessRequest]:
    """Access requests to opportunities the actor's organisations own (as an editor)."""
    own = sorted(o for o in actor.org_roles if actor.has_role(o, OrgRole.EDITOR))
    if not own:
        return []
    stmt = (
        select(AccessRequest)
        .join(Opportunity, Opportunity.id == AccessRequest.opportunity_id)
        .where(Opportunity.owner_id.in_(own))
    )
    if pending_only:
        stmt = stmt.where(AccessRequest.status == AccessStatus.PENDING.value)
    return list(session.scalars(stmt.order_by(AccessRequest.created_at.desc()).limit(500)))


def access_requested(session: Session, actor: Actor, opportunity_id: int) -> list[AccessRequest]:
    """The requests the actor's organisations made for this opportunity."""
    own = sorted(actor.org_roles)
    if not own:
        return []
    return list(
        session.scalars(
            select(AccessRequest).where(
                AccessRequest.opportunity_id == opportunity_id,
                AccessRequest.organisation_id.in_(own),
            )
        )
    )


def visible_attachment(session: Session, actor: Actor, attachment_id: int) -> Attachment:
    """The attachment, to whoever sees its opportunity whole; NotFound for anyone else."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or not permissions.can_view_opportunity(actor, attachment.opportunity):
        raise NotFound(
            "attachment {id} does not exist", code="attachment.not_found", id=attachment_id
        )
    return attachment


def list_opportunities_created_by(session: Session, user_id: int) -> list[Opportunity]:
    return list(session.scalars(select(Opportunity).where(Opportunity.created_by_id == user_id)))


def list_access_requests_by(session: Session, user_id: int) -> list[AccessRequest]:
    return list(
        session.scalars(
            select(AccessRequest).where(
                or_(
                    AccessRequest.requested_by_id == user_id, AccessRequest.decided_by_id == user_id
                )
            )
        )
    )


def visible_opportunity_ids(session: Session, actor: Actor, ids: Iterable[int]) -> set[int]:
    """Those of `ids` that `actor` may open whole (`permissions.visible_to`)."""
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    stmt = permissions.visible_to(actor, select(Opportunity.id).where(Opportunity.id.in_(wanted)))
    return set(session.scalars(stmt))


def opened_beyond_levels_ids(session: Session, actor: Actor, most: int | None = None) -> set[int]:
    """The opportunities `actor` opens for who they are, not for their level: their own
    organisations' (live or not), and live ones naming one of them or in their officer's area
    (`visibility.beyond_levels`). With those every reader of their level opens, all they may
    (matching narrows a search to them); staff open everything and are not asked. At most
    `most` (any of them: the caller only wants to know whether there are more)."""
    own = sorted(o for o, r in actor.org_roles.items() if r)
    beyond = visibility.beyond_levels(actor, permissions.COLUMNS)
    parts: list[ColumnElement[bool]] = [Opportunity.owner_id.in_(own)] if own else []
    if beyond is not None:
        parts.append(and_(permissions.live(permissions.today()), beyond))
    if not parts:
        return set()
    return set(session.scalars(select(Opportunity.id).where(or_(*parts)).limit(most)))


PUBLISHED_ONCE = (Status.PUBLISHED, Status.EXPIRED, Status.FULFILLED)


def published_to_all_ids(session: Session, ids: Iterable[int]) -> set[int]:
    """Those of `ids` whose owner published them for anybody to read: public now, and live,
    expired or fulfilled (never a draft, nor one its owner withdrew). Text that anybody could
    read while it was live, for uses that outlast its listing (matching's bilingual lexicon);
    what it may be shown to stays `visible_opportunity_ids`'s."""
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    # Live once: published on or before its last day (one approved after it ended never was).
    published_on = func.date(Opportunity.published_at)
    live_once = or_(Opportunity.expires_on.is_(None), Opportunity.expires_on >= published_on)
    stmt = (
        opportunities_seen_by(ANONYMOUS)
        .where(Opportunity.id.in_(wanted))
        .where(Opportunity.status.in_(PUBLISHED_ONCE))
        .where(Opportunity.published_at.is_not(None), live_once)
    )
    return set(session.scalars(stmt))


def known_owners(session: Session, actor: Actor, ids: Iterable[int]) -> dict[int, int]:
    """The owning organisation of each of these opportunities whose owner `actor` may know
    (`may_see_owner`); an anonymous one's is left out for anybody else, so nothing built on it
    (matching leaving an item's owner out of its partners) tells who the owner is."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    stmt = select(Opportunity).where(Opportunity.id.in_(wanted))
    rows = list(session.scalars(stmt.options(selectinload(Opportunity.named))))
    shown = permissions.owners_shown(actor, rows)
    return {o.id: o.owner_id for o in rows if o.id in shown}


def opportunities_seen_by(actor: Actor) -> Select[Any]:
    """The ids of the opportunities whose records `actor` may see, live or not, as a SELECT:
    the rule for what follows from an opportunity after it ends (the network's ties)."""
    if actor.is_staff:
        return select(Opportunity.id)
    own = sorted(o for o, r in actor.org_roles.items() if r)
    seen = visibility.condition(actor, permissions.COLUMNS)
    mine = Opportunity.owner_id.in_(own) if own else false()
    return select(Opportunity.id).where(or_(mine, true() if seen is None else seen))


def owners_seen_by(actor: Actor) -> Select[Any]:
    """Of `opportunities_seen_by`, the ids of those whose owner `actor` may also know
    (`permissions.owner_seen`, `may_see_owner` as SQL): what follows from an anonymous
    opportunity and names its owner (a network tie between owner and interested) is seen only
    by these readers."""
    return opportunities_seen_by(actor).where(permissions.owner_seen(actor))
