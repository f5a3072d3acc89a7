"""Every read of the registry. Lists go through `visible_to`, so no page, count or export leaks."""

from __future__ import annotations

import datetime as dt
from collections import namedtuple
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Select,
    bindparam,
    func,
    literal,
    or_,
    select,
    text,
    tuple_,
)
from sqlalchemy.orm import Session, selectinload

from upland import statements, visibility
from upland.actor import Actor
from upland.errors import NotFound
from upland.organisations import facets, permissions, text_totals
from upland.organisations.cursors import decode_cursor, encode_cursor
from upland.organisations.filtering import (
    city_teryt,
    shape,
)
from upland.organisations.filtering import filtered as filtered
from upland.organisations.models import (
    Organisation,
    OrganisationPkd,
    Person,
)
from upland.organisations.profile_texts import ProfileTexts as ProfileTexts
from upland.organisations.profile_texts import list_profile_texts as list_profile_texts
from upland.organisations.schemas import OrganisationFilter
from upland.organisations.search import (
    RELEVANCE_TIERS,
    fts5_match,
    index_scan_for_text,
    query_terms,
    relevance_tiers,
)
from upland.permissions import allowed
from upland.reference import queries as reference
from upland.reference.pkd_filter import pkd_filter_value

SORTS: dict[str, Any] = {
    "name": Organisation.name_key,
    "updated": Organisation.updated_at,
    "founded": func.coalesce(Organisation.founded_year, 0),
    "employees": func.coalesce(Organisation.employees, -1),
}


# A list row without the ORM: what a summary shows plus the sort keys a cursor needs. A page of
# these costs a third of a page of entities with their PKD codes (`upland bench web`).
SUMMARY_FIELDS = (
    "id",
    "kind",
    "legal_name",
    "short_name",
    "nip",
    "teryt",
    "size_class",
    "supply_tier",
    "membership_status",
    "visibility",
    "name_key",
    "updated_at",
    "founded_year",
    "employees",
)
SUMMARY_COLUMNS = (
    *(getattr(Organisation, name) for name in SUMMARY_FIELDS),
    select(OrganisationPkd.code)
    .where(OrganisationPkd.organisation_id == Organisation.id, OrganisationPkd.is_primary)
    .limit(1)
    .scalar_subquery()
    .label("primary_pkd"),
)
# Rows are handed on as plain named tuples: reading a field of SQLAlchemy's `Row` by name costs
# ~1-2 µs, and a page's summaries, cursors and template read several hundred of them.
SummaryRow = namedtuple("SummaryRow", (*SUMMARY_FIELDS, "primary_pkd"))  # type: ignore[misc]


# The list's and the count's statements, built once per shape (`upland.statements`).
_PAGES = statements.Built()
_COUNTS = statements.Built()


@dataclass(frozen=True)
class Page:
    items: list[Any]  # Organisation, or SummaryRow
    total: int
    next_cursor: str | None
    prev_cursor: str | None


def get_organisation(session: Session, actor: Actor, org_id: int) -> Organisation:
    """The organisation if `actor` may see it; otherwise NotFound, so existence does not leak."""
    org = session.get(
        Organisation,
        org_id,
        options=[
            selectinload(Organisation.sites),
            selectinload(Organisation.people),
            selectinload(Organisation.capabilities),
            selectinload(Organisation.pkd_codes),
        ],
    )
    if org is None or not allowed(actor, "organisations.organisation.view", org):
        raise NotFound("organisation {id} does not exist", code="organisation.not_found", id=org_id)
    return org


def effective_sort(flt: OrganisationFilter) -> str:
    """The list's order: "relevance" means by relevance when there are words to weigh, else
    by name (the cursor of either is a name key and an id)."""
    if flt.sort == "relevance":
        return "relevance" if flt.q and query_terms(flt.q) else "name"
    return flt.sort


def _sort_value(org: Organisation, sort: str) -> Any:
    key = sort.lstrip("-")
    if key == "name":
        return org.name_key
    if key == "updated":
        return org.updated_at.isoformat()
    if key == "founded":
        return org.founded_year or 0
    return org.employees if org.employees is not None else -1


def _counting(stmt: Select[Any]) -> Select[Any]:
    return stmt.with_only_columns(func.count(Organisation.id))


def count_organisations(
    session: Session, actor: Actor, flt: OrganisationFilter, today: dt.date
) -> int:
    """The exact total of a list: from the facet index where it can, else by SQL sets."""
    if session.get_bind().dialect.name == "sqlite":
        counted = _count_by_facets(session, actor, flt)
        if counted is not None:
            return counted
        stmt = _COUNTS.get(
            shape(session, actor, flt, today),
            lambda: _counting(filtered(session, actor, flt, today, probe=False)),
        )
    else:
        words = query_terms(flt.q) if flt.q else []
        tokens = _filter_facets(session, flt)
        if tokens is not None and (words or tokens):
            return text_totals.count_text_matches(session, actor, words, tokens)
        stmt = _COUNTS.get(
            shape(session, actor, flt, today),
            lambda: _counting(filtered(session, actor, flt, today, probe=False)),
        )
        if words:
            with index_scan_for_text(session):
                return statements.scalar(session, stmt) or 0
    return statements.scalar(session, stmt) or 0


def _filter_facets(session: Session, flt: OrganisationFilter) -> list[str] | None:
    """The facet tokens `flt` requires, or None when it cannot be counted by facets."""
    if flt.certification:
        return None  # validity depends on today's date: counted in SQL
    tokens = []
    if flt.kind:
        tokens.append(facets.kind(flt.kind.value))
    if flt.city:
        tokens.append(facets.city(city_teryt(session, flt.city)))
    if flt.pkd:
        tokens.append(facets.pkd(pkd_filter_value(flt.pkd)))
    if flt.capability:
        term = reference.get_capability_term(session, flt.capability)
        tokens.append(facets.capability(term.id) if term else "cap0")
    if flt.size_class:
        tokens.append(facets.size(flt.size_class))
    if flt.tier:
        tokens.append(facets.tier(flt.tier.value))
    if flt.membership:
        tokens.append(facets.membership(flt.membership.value))
    return tokens


def _count_by_facets(session: Session, actor: Actor, flt: OrganisationFilter) -> int | None:
    """The exact total from the FTS index: posting lists intersect far faster than id sets.

    Visibility comes from the one rule (`upland.visibility`): matches at the levels the actor
    sees are counted in the index alone (a `vis…` token each); the actor's own, named and
    partner-area records beyond those levels (usually few) are counted through the rule's SQL.
    None when the filter has nothing to look up (an unfiltered count is cheap in SQL).
    """
    tokens = _filter_facets(session, flt)
    terms = query_terms(flt.q) if flt.q else []
    if tokens is None or not (tokens or terms):
        return None
    parts = [f"facets : ({' AND '.join(tokens)})"] if tokens else []
    if terms:
        parts.append(fts5_match(terms))
    wanted = " AND ".join(f"({p})" for p in parts)
    sql = "SELECT count(*) FROM organisation_fts WHERE organisation_fts MATCH :match"
    if visibility.condition(actor, permissions.COLUMNS) is None:
        return session.scalar(text(sql), {"match": wanted}) or 0
    levels = " OR ".join(facets.visibility(level) for level in visibility.levels_seen(actor))
    seen = f"facets : ({levels})"
    total = session.scalar(text(sql), {"match": f"({wanted}) AND {seen}"}) or 0
    beyond = visibility.beyond_levels(actor, permissions.COLUMNS)
    if beyond is not None:
        rest = text("SELECT rowid FROM organisation_fts WHERE organisation_fts MATCH :rest")
        matches = rest.bindparams(rest=f"({wanted}) NOT {seen}")
        stmt = select(func.count(Organisation.id)).where(Organisation.id.in_(matches), beyond)
        total += session.scalar(stmt) or 0
    return total


def _selecting(stmt: Select[Any], summaries: bool) -> Select[Any]:
    """`stmt` reading summary rows, or organisations with their PKD codes."""
    if summaries:
        return stmt.with_only_columns(*SUMMARY_COLUMNS)
    return stmt.options(selectinload(Organisation.pkd_codes))


def _run(
    session: Session, stmt: Select[Any], summaries: bool, params: dict[str, Any] | None = None
) -> list[Any]:
    """The rows of a statement `_selecting` made."""
    if summaries:
        return [SummaryRow._make(row) for row in statements.rows(session, stmt, params)]
    return list(session.scalars(stmt, params))


def _fetch(session: Session, stmt: Select[Any], summaries: bool) -> list[Any]:
    return _run(session, _selecting(stmt, summaries), summaries)


def _page_statement(
    session: Session,
    actor: Actor,
    flt: OrganisationFilter,
    today: dt.date,
    sort: str,
    ascending: bool,
    from_cursor: bool,
    summaries: bool,
) -> Select[Any]:
    """A keyset page of a column-sorted list; the cursor's values and the page size are the
    parameters `cursor_value`, `cursor_id` and `page_size`. Built once per shape."""
    column = SORTS[sort.lstrip("-")]

    def build() -> Select[Any]:
        stmt = filtered(session, actor, flt, today)
        if from_cursor:
            # A row value, so the index on (sort key, id) seeks straight to the cursor.
            key = tuple_(column, Organisation.id)
            bound = tuple_(
                bindparam("cursor_value", type_=column.type),
                bindparam("cursor_id", type_=Organisation.id.type),
            )
            stmt = stmt.where(key > bound if ascending else key < bound)
        order = (
            [column.asc(), Organisation.id.asc()]
            if ascending
            else [column.desc(), Organisation.id.desc()]
        )
        page = stmt.order_by(*order).limit(bindparam("page_size"))
        return _selecting(page, summaries)

    key = (shape(session, actor, flt, today), sort, ascending, from_cursor, summaries)
    stmt: Select[Any] = _PAGES.get(key, build)
    return stmt


def _relevance_rows(
    session: Session,
    stmt: Select[Any],
    q: str,
    cursor: tuple[Any, int] | None,
    ascending: bool,
    limit: int,
    summaries: bool,
) -> tuple[list[Any], list[int]]:
    """Up to `limit + 1` rows in relevance order (tier, then name, then id) from the cursor on,
    and each row's tier: one keyset query per tier until the page is full."""
    tiers = relevance_tiers(session.get_bind().dialect.name, q, query_terms(q))
    start = cursor[0][0] if cursor else (0 if ascending else RELEVANCE_TIERS - 1)
    rows: list[Any] = []
    ranks: list[int] = []
    for tier in range(start, RELEVANCE_TIERS) if ascending else range(start, -1, -1):
        part = stmt.where(tiers[tier])
        if cursor and tier == start:
            key = tuple_(Organisation.name_key, Organisation.id)
            bound = tuple_(literal(cursor[0][1], Organisation.name_key.type), literal(cursor[1]))
            part = part.where(key > bound if ascending else key < bound)
        order = [Organisation.name_key, Organisation.id]
        part = part.order_by(*(order if ascending else [c.desc() for c in order]))
        found = _fetch(session, part.limit(limit + 1 - len(rows)), summaries)
        rows += found
        ranks += [tier] * len(found)
        if len(rows) > limit:
            break
    return rows, ranks


def list_organisations(
    session: Session,
    actor: Actor,
    flt: OrganisationFilter,
    *,
    today: dt.date,
    limit: int = 25,
    after: str | None = None,
    before: str | None = None,
    with_total: bool = True,
    summaries: bool = False,
) -> Page:
    """One keyset page: the cost of page 500 is the cost of page 1. `summaries`: rows of
    SUMMARY_COLUMNS instead of organisations with their PKD codes."""
    sort = effective_sort(flt)
    descending = sort.startswith("-")
    backwards = before is not None and after is None
    cursor = after or before
    ascending = (not descending) != backwards
    decoded = decode_cursor(cursor, sort) if cursor else None
    ranks: list[int] = []
    if sort == "relevance":
        stmt = filtered(session, actor, flt, today)
        rows, ranks = _relevance_rows(
            session, stmt, flt.q or "", decoded, ascending, limit, summaries
        )
    else:
        page = _page_statement(
            session, actor, flt, today, sort, ascending, decoded is not None, summaries
        )
        params: dict[str, Any] = {"page_size": limit + 1}
        if decoded:
            params.update(cursor_value=decoded[0], cursor_id=decoded[1])
        rows = _run(session, page, summaries, params)
    more = len(rows) > limit
    rows, ranks = rows[:limit], ranks[:limit]
    if backwards:
        rows.reverse()
        ranks.reverse()

    def cursor_at(index: int) -> str:
        row = rows[index]
        if sort == "relevance":
            return encode_cursor([[ranks[index], row.name_key], row.id])
        return encode_cursor([_sort_value(row, sort), row.id])

    next_cursor = prev_cursor = None
    if rows:
        if (more and not backwards) or (backwards and cursor):
            next_cursor = cursor_at(-1)
        if (cursor and not backwards) or (backwards and more):
            prev_cursor = cursor_at(0)
    total = -1
    if with_total:
        # A first page that holds every match is its own exact total.
        whole = cursor is None and not more
        total = len(rows) if whole else count_organisations(session, actor, flt, today)
    return Page(rows, total, next_cursor, prev_cursor)


def iter_organisations(
    session: Session, actor: Actor, flt: OrganisationFilter, today: dt.date, batch: int = 1000
) -> Iterator[Organisation]:
    """Every row of a filtered list, in list order, in keyset batches (for exports)."""
    after = None
    while True:
        page = list_organisations(
            session, actor, flt, today=today, limit=batch, after=after, with_total=False
        )
        yield from page.items
        if page.next_cursor is None:
            return
        after = page.next_cursor


def list_people_for_user(session: Session, user_id: int) -> list[Person]:
    return list(session.scalars(select(Person).where(Person.user_id == user_id)))


def get_person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("person {id} does not exist", code="person.not_found", id=person_id)
    return person


# --- what later areas read of an organisation (the marketplace: an opportunity's owner) --------


@dataclass(frozen=True)
class OwnerFacts:
    """What another area may know of an organisation that owns one of its records."""

    id: int
    name: str
    kind: str
    teryt: str | None  # the headquarters' municipality
    is_member: bool


def owner_facts(session: Session, ids: Iterable[int]) -> dict[int, OwnerFacts]:
    """Name, kind, headquarters and membership of these organisations, by id (unknown ids are
    left out). Whether the reader may see the owner is the reading area's rule, not this."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(
            Organisation.id,
            Organisation.short_name,
            Organisation.legal_name,
            Organisation.kind,
            Organisation.teryt,
            Organisation.membership_status,
        ).where(Organisation.id.in_(wanted))
    )
    return {
        r.id: OwnerFacts(
            r.id, r.short_name or r.legal_name, r.kind, r.teryt, r.membership_status == "member"
        )
        for r in rows
    }


def ids_of_kind(kind: str) -> Select[Any]:
    """The ids of organisations of one kind, as a SELECT to filter another area's rows by."""
    return select(Organisation.id).where(Organisation.kind == kind)


def organisation_choices(session: Session, ids: Iterable[int]) -> list[tuple[int, str]]:
    """(id, name) of these organisations, by name: for a form naming organisations."""
    return sorted(
        ((f.id, f.name) for f in owner_facts(session, ids).values()), key=lambda c: c[1].lower()
    )


def find_organisation_id(session: Session, key: str) -> int | None:
    """An organisation by id (fewer than nine digits), NIP or REGON, for another area's form
    that names organisations; None when there is none."""
    value = key.strip().replace("-", "").replace(" ", "")
    if not value.isdigit():
        return None
    if len(value) < 9:
        return session.scalar(select(Organisation.id).where(Organisation.id == int(value)))
    return session.scalar(
        select(Organisation.id).where(or_(Organisation.nip == value, Organisation.regon == value))
    )


def visible_organisation_ids(session: Session, actor: Actor, ids: Iterable[int]) -> set[int]:
    """Those of `ids` that `actor` may open (`visible_to`): what another area may suggest."""
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    stmt = permissions.visible_to(actor, select(Organisation.id).where(Organisation.id.in_(wanted)))
    return set(session.scalars(stmt))


def opened_beyond_levels_ids(session: Session, actor: Actor, most: int | None = None) -> set[int]:
    """The organisations `actor` opens for who they are, not for their level: their own, and
    those in their officer's area (`visibility.beyond_levels`). With those every reader of
    their level opens, all they may (matching narrows a search to them). At most `most`."""
    beyond = visibility.beyond_levels(actor, permissions.COLUMNS)
    if beyond is None:
        return set()
    return set(session.scalars(select(Organisation.id).where(beyond).limit(most)))


@dataclass(frozen=True)
class NetworkFacts:
    """What the cooperation network needs of every organisation (its nodes)."""

    id: int
    name: str
    kind: str
    teryt: str | None
    is_member: bool
    member_since: dt.date | None
    pkd_division: str | None  # of the primary PKD code (else the first), e.g. "29"


def list_network_facts(session: Session) -> list[NetworkFacts]:
    """Every organisation as a node of the network, by id. Who may see which is the network's
    rule (an anonymous reader gets aggregate figures only)."""
    divisions: dict[int, str] = {}
    rows = session.execute(
        select(OrganisationPkd.organisation_id, OrganisationPkd.code).order_by(
            OrganisationPkd.organisation_id, OrganisationPkd.is_primary.desc(), OrganisationPkd.id
        )
    )
    for row in rows:
        divisions.setdefault(row.organisation_id, row.code[:2])
    found = session.execute(
        select(
            Organisation.id,
            Organisation.short_name,
            Organisation.legal_name,
            Organisation.kind,
            Organisation.teryt,
            Organisation.membership_status,
            Organisation.member_since,
        ).order_by(Organisation.id)
    )
    return [
        NetworkFacts(
            r.id,
            r.short_name or r.legal_name,
            r.kind,
            r.teryt,
            r.membership_status == "member",
            r.member_since,
            divisions.get(r.id),
        )
        for r in found
    ]
