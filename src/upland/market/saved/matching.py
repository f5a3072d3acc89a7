"""Which saved searches a newly published opportunity matches, for every person at once.

The browse list runs one search over many opportunities; here it is the other way round: one
opportunity against every saved search. Its facts (kind, PKD codes and their prefixes,
capability terms, places, TRL, owner kind, publication day) become one SELECT over the
`saved_search` columns, each condition "blank, or this"; the few searches left with words are
then checked against the opportunity's own index tokens (the same `search_title` and
`search_text` the list's full-text index holds) in Python. Last, the one visibility rule
(`upland.visibility`, through `market.permissions.record_of`) keeps the people who see the
opportunity whole; the owner's own people are not told of their own opportunity, and nobody is
told twice of one opportunity (`SearchHit`).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from upland import visibility
from upland.accounts import queries as accounts
from upland.actor import ANONYMOUS, Actor
from upland.market import permissions
from upland.market import queries as market_queries
from upland.market.models import Opportunity
from upland.market.saved import keys
from upland.market.saved.models import SavedSearch, SearchHit
from upland.market.saved.queries import filter_of
from upland.market.search import query_terms
from upland.organisations import queries as organisations
from upland.organisations.search import QueryWord
from upland.reference import queries as reference


@dataclass(frozen=True)
class Match:
    """A person is told of an opportunity through one of their saved searches."""

    user_id: int
    search_id: int
    search_name: str
    opportunity_id: int


@dataclass(frozen=True)
class Facts:
    """What of one opportunity a saved search can ask about."""

    pkd_values: frozenset[str]  # every prefix of its codes, and their sections
    term_slugs: frozenset[str]
    places: frozenset[str]  # TERYT units of 2, 4 or 7 digits
    owner_kind: str | None
    tokens: frozenset[str]
    sorted_tokens: tuple[str, ...] = ()


def facts_of(opportunity: Opportunity, slugs: dict[int, str], owner_kind: str | None) -> Facts:
    tokens = set(f"{opportunity.search_title} {opportunity.search_text}".split())
    values: set[str] = set()
    for pkd in opportunity.pkd_codes:
        values.add(pkd.section)
        values.update(pkd.code[:n] for n in range(2, len(pkd.code) + 1))
    return Facts(
        pkd_values=frozenset(values),
        term_slugs=frozenset(
            slugs[c.term_id] for c in opportunity.capabilities if c.term_id in slugs
        ),
        places=frozenset(p.teryt for p in opportunity.places),
        owner_kind=owner_kind,
        tokens=frozenset(tokens),
        sorted_tokens=tuple(sorted(tokens)),
    )


def _blank_or(
    column: InstrumentedAttribute[str | None], values: Iterable[str]
) -> ColumnElement[bool]:
    return or_(column.is_(None), column.in_(sorted(values)))


def conditions(opportunity: Opportunity, facts: Facts) -> list[ColumnElement[bool]]:
    """The saved searches whose fields (all but the words) this opportunity satisfies, as SQL."""
    s = SavedSearch
    by_length = {n: sorted(p for p in facts.places if len(p) == n) for n in (2, 4, 7)}
    found = [
        or_(s.kind.is_(None), s.kind == opportunity.kind),
        _blank_or(s.pkd, facts.pkd_values),
        _blank_or(s.capability, facts.term_slugs),
        _blank_or(s.certification, facts.term_slugs),
        or_(
            s.city_teryt.is_(None),
            s.city_teryt.in_(by_length[7]),
            func.substr(s.city_teryt, 1, 4).in_(by_length[4]),
            func.substr(s.city_teryt, 1, 2).in_(by_length[2]),
        ),
        or_(s.owner_kind.is_(None), _owner_kind_is(opportunity, facts)),
    ]
    if opportunity.trl is None:
        found += [s.trl_min.is_(None), s.trl_max.is_(None)]
    else:
        found += [
            or_(s.trl_min.is_(None), s.trl_min <= opportunity.trl),
            or_(s.trl_max.is_(None), s.trl_max >= opportunity.trl),
        ]
    if opportunity.published_at is not None:
        day = opportunity.published_at.astimezone(dt.UTC).date()
        found += [
            or_(s.published_since.is_(None), s.published_since <= day),
            or_(s.published_until.is_(None), s.published_until >= day),
        ]
    return found


def _owner_kind_is(opportunity: Opportunity, facts: Facts) -> ColumnElement[bool]:
    """A search asking for the owner's kind matches an anonymous owner's only for staff, who
    know the owner (`permissions.owner_known`, as the browse list's filter): the owner's own
    people are never told, and nobody else may learn the kind by saving a search."""
    kind = SavedSearch.owner_kind == (facts.owner_kind or "")
    if not opportunity.anonymous:
        return kind
    return and_(kind, SavedSearch.user_id.in_(accounts.staff_ids()))


@lru_cache(maxsize=8192)
def _words(q: str) -> tuple[QueryWord, ...]:
    # Analysing a query (Polish lemmas, English stems) costs far more than matching it; many
    # people's searches share words, and one fan-out meets each of them once per opportunity.
    return tuple(query_terms(q))


def _has_prefix(ordered: tuple[str, ...], prefix: str) -> bool:
    at = bisect_left(ordered, prefix)
    return at < len(ordered) and ordered[at].startswith(prefix)


def words_match(q: str | None, facts: Facts) -> bool:
    """Every word of `q` is in the opportunity's index: one of its exact tokens, or a token
    starting with its surface prefix (the full-text index's own rule)."""
    if not q:
        return True
    words = _words(q)
    return all(
        any(t in facts.tokens for t in word.exact) or _has_prefix(facts.sorted_tokens, word.prefix)
        for word in words
    )


def _sees(actor: Actor, opportunity: Opportunity) -> bool:
    return not permissions.is_own(actor, opportunity) and visibility.can_see(
        actor, permissions.record_of(opportunity)
    )


def find_matches(session: Session, opportunity_ids: Iterable[int], on: dt.date) -> list[Match]:
    """Who to tell of these opportunities (live ones only), through which saved search: at most
    one match per person and opportunity (their first saved search that matches)."""
    return matches_of(session, opportunity_ids, on)[0]


def matches_of(
    session: Session, opportunity_ids: Iterable[int], on: dt.date
) -> tuple[list[Match], dict[int, Opportunity]]:
    """`find_matches`, with the live opportunities it loaded (by id) for the news to name."""
    ids = sorted(set(opportunity_ids))
    if not ids:
        return [], {}
    loaded = session.scalars(
        select(Opportunity)
        .where(Opportunity.id.in_(ids))
        .options(
            selectinload(Opportunity.pkd_codes),
            selectinload(Opportunity.capabilities),
            selectinload(Opportunity.places),
            selectinload(Opportunity.named),
        )
    ).all()
    live = [o for o in loaded if permissions.is_live(o, on)]
    if not live:
        return [], {}
    slugs = reference.term_slugs(session, [c.term_id for o in live for c in o.capabilities])
    owners = organisations.owner_facts(session, [o.owner_id for o in live])
    texts = _word_texts(session)
    found: dict[tuple[int, int], Match] = {}
    for opportunity in live:
        owner = owners.get(opportunity.owner_id)
        facts = facts_of(opportunity, slugs, owner.kind if owner else None)
        for search_id, user_id, name, q, key in session.execute(
            _candidates(opportunity, facts, texts)
        ):
            filed_under_words = keys.words_of(key) is not None  # its words matched already
            if (user_id, opportunity.id) not in found and (
                filed_under_words or words_match(q, facts)
            ):
                found[(user_id, opportunity.id)] = Match(user_id, search_id, name, opportunity.id)
    return _allowed(session, live, found), {o.id: o for o in live}


def _word_texts(session: Session) -> list[str]:
    """Every distinct text of words people saved searches with (read from its index)."""
    return list(session.scalars(select(SavedSearch.q).where(SavedSearch.q.is_not(None)).distinct()))


def _candidates(
    opportunity: Opportunity, facts: Facts, texts: list[str]
) -> Select[int, int, str, str | None, str]:
    """The saved searches filed under a key this opportunity has and whose fields (all but the
    words of those filed under something else) it satisfies, first search of a person first."""
    owner_kind = facts.owner_kind
    wanted = keys.keys_for(
        opportunity.kind,
        facts.term_slugs,
        facts.pkd_values,
        facts.places,
        owner_kind,
        [text for text in texts if words_match(text, facts)],
    )
    s = SavedSearch
    return (
        select(s.id, s.user_id, s.name, s.q, s.match_key)
        .where(s.match_key.in_(wanted), *conditions(opportunity, facts))
        .order_by(s.user_id, s.id)
    )


# Whom the reader classes stand for: any person at all, and any member of the cluster.
READER_CLASSES = {False: ANONYMOUS, True: Actor(user_id=None, label="", is_cluster_member=True)}


def _allowed(
    session: Session, live: list[Opportunity], found: dict[tuple[int, int], Match]
) -> list[Match]:
    """The matches whose person sees the opportunity whole and was not told of it yet.

    Visibility is decided per class of reader where the class decides it: what an anonymous
    visitor sees whole every active account sees, what a bare cluster member sees every member
    sees; so whose account is active, who is a member and who is the owner's own is asked in
    one query, with no actor. Only the rest (a restricted opportunity's possible readers, a
    non-member before a members' one: named organisations, officers of the area) get their
    actor and the one rule."""
    if not found:
        return []
    by_id = {o.id: o for o in live}
    told = set(
        tuple(row)
        for row in session.execute(
            select(SearchHit.user_id, SearchHit.opportunity_id).where(
                SearchHit.opportunity_id.in_(sorted(by_id))
            )
        )
    )
    fresh = {key: match for key, match in sorted(found.items()) if key not in told}
    people: dict[int, set[int]] = {}
    for user_id, opportunity_id in fresh:
        people.setdefault(by_id[opportunity_id].owner_id, set()).add(user_id)
    readers = {
        owner: accounts.readers_outside(session, ids, owner) for owner, ids in people.items()
    }
    class_sees = {
        (o.id, member): visibility.can_see(reader, permissions.record_of(o))
        for o in live
        for member, reader in READER_CLASSES.items()
    }
    decided: dict[tuple[int, int], bool] = {}
    for user_id, opportunity_id in fresh:
        member = readers[by_id[opportunity_id].owner_id].get(user_id)
        if member is None:  # an inactive account, or the owner's own
            decided[(user_id, opportunity_id)] = False
        elif class_sees[(opportunity_id, member)]:
            decided[(user_id, opportunity_id)] = True
    actors = accounts.actors_for(session, {user for user, o in fresh if (user, o) not in decided})
    kept = []
    for (user_id, opportunity_id), match in fresh.items():
        sees = decided.get((user_id, opportunity_id))
        if sees is None:
            actor = actors.get(user_id)
            sees = actor is not None and _sees(actor, by_id[opportunity_id])
        if sees:
            kept.append(match)
    return kept


def naive_matches(session: Session, opportunity_ids: Iterable[int], on: dt.date) -> list[Match]:
    """The same answer by running every person's every saved search as the browse list does,
    restricted to these opportunities (the benchmark's baseline and the tests' reference)."""
    ids = sorted(set(opportunity_ids))
    told = set(
        tuple(row)
        for row in session.execute(
            select(SearchHit.user_id, SearchHit.opportunity_id).where(
                SearchHit.opportunity_id.in_(ids)
            )
        )
    )
    users = session.scalars(select(SavedSearch.user_id).distinct().order_by(SavedSearch.user_id))
    found: list[Match] = []
    for user_id in users:
        actor = accounts.actors_for(session, [user_id]).get(user_id)
        if actor is None:
            continue
        searches = session.scalars(
            select(SavedSearch).where(SavedSearch.user_id == user_id).order_by(SavedSearch.id)
        )
        seen: set[int] = set()
        own = sorted(actor.org_roles)
        for search in searches:
            stmt = market_queries.filtered(session, actor, filter_of(search), on).where(
                Opportunity.id.in_(ids), permissions.full_condition(actor, on)
            )
            if own:
                stmt = stmt.where(Opportunity.owner_id.not_in(own))
            for opportunity_id in session.scalars(stmt.with_only_columns(Opportunity.id)):
                if opportunity_id not in seen and (user_id, opportunity_id) not in told:
                    seen.add(opportunity_id)
                    found.append(Match(user_id, search.id, search.name, opportunity_id))
    return sorted(found, key=lambda m: (m.user_id, m.opportunity_id))
