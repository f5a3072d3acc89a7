"""Who sees a record: one rule for every area, as a pure predicate and as SQL that agree.

A record (an organisation, later an offer, a request, an event) has a visibility level and an
owning organisation, sits somewhere (TERYT codes) and may name organisations it is shown to:

- `public`: everyone, anonymous visitors included;
- `members`: logged-in users of cluster-member organisations;
- `restricted`: only the organisations the record names.

Whatever the level, staff (coordinators, platform admins) and the owner's own users see it, and
so does a city officer when the record sits in the officer's partner area (DOMAIN.md, "Who sees
what"): an officer is not a cluster member by office, so outside the area they see what the
public sees. `can_see` answers for one loaded record; `visible_to` restricts a SELECT to the
same records, and a hypothesis test holds the two to each other on every backend.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Select, SQLColumnExpression, literal, or_

from upland.actor import Actor
from upland.settings import get_settings


class Level(StrEnum):
    PUBLIC = "public"
    MEMBERS = "members"
    RESTRICTED = "restricted"


@dataclass(frozen=True)
class Record:
    """What the rule needs to know of a record, whatever area it belongs to."""

    level: str
    owner: int | None
    teryts: tuple[str | None, ...] = ()
    named: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Columns:
    """Where a table keeps what `Record` holds, for `visible_to`.

    `located_in(units)` says in SQL that the record sits in one of these TERYT units;
    `named_any(ids)` that the record names one of these organisations. An area leaves out what
    its records do not have (an organisation names nobody).
    """

    level: SQLColumnExpression[Any]
    owner: SQLColumnExpression[Any]
    located_in: Callable[[tuple[str, ...]], ColumnElement[bool]] | None = None
    named_any: Callable[[list[int]], ColumnElement[bool]] | None = None


def officer_area(actor: Actor) -> tuple[str, ...]:
    """The TERYT units (code prefixes) of the partner area an officer serves; none otherwise."""
    if actor.officer_teryt is None:
        return ()
    return get_settings().partner_area(actor.officer_teryt)


def in_area(actor: Actor, teryts: tuple[str | None, ...]) -> bool:
    """One of these places lies in the partner area of the officer `actor` is."""
    area = officer_area(actor)
    return bool(area) and any(t and t.startswith(area) for t in teryts)


def levels_seen(actor: Actor) -> tuple[Level, ...]:
    """The levels `actor` sees on any record, before ownership, area and naming."""
    if actor.is_staff:
        return tuple(Level)
    if actor.is_cluster_member:
        return (Level.PUBLIC, Level.MEMBERS)
    return (Level.PUBLIC,)


def can_see(actor: Actor, record: Record) -> bool:
    """Whether `actor` sees this one record."""
    if record.level in levels_seen(actor):
        return True
    if record.owner is not None and record.owner in actor.org_roles:
        return True
    if record.named & set(actor.org_roles):
        return True
    return in_area(actor, record.teryts)


def beyond_levels(actor: Actor, columns: Columns) -> ColumnElement[bool] | None:
    """What else the actor sees besides `levels_seen`: own, naming and area records, as SQL.

    None when that is nothing, so a count can take the levels from an index and stop there.
    """
    extra: list[ColumnElement[bool]] = []
    own = sorted(actor.org_roles)
    if own:
        extra.append(columns.owner.in_(own))
        if columns.named_any is not None:
            extra.append(columns.named_any(own))
    area = officer_area(actor)
    if area and columns.located_in is not None:
        extra.append(columns.located_in(area))
    return or_(*extra) if extra else None


@lru_cache(maxsize=256)
def _at_levels(column: SQLColumnExpression[Any], levels: tuple[Level, ...]) -> ColumnElement[bool]:
    """`column IN (levels)`, built once per column and set of levels: SQL expressions are
    immutable, and building one costs more than running the cached statement it is part of.

    One bound parameter per level, not SQLAlchemy's "expanding" list parameter: that one is
    rendered into the SQL string anew at every execution (`__[POSTCOMPILE_…]`), which cost
    more than the list query's own SQL (`upland bench web`); the levels are at most three."""
    return column.in_([literal(str(level)) for level in levels])


def condition(actor: Actor, columns: Columns) -> ColumnElement[bool] | None:
    """`can_see` as a WHERE clause over `columns`; None when the actor sees every record."""
    if actor.is_staff:
        return None
    levels = _at_levels(columns.level, levels_seen(actor))
    rest = beyond_levels(actor, columns)
    return levels if rest is None else or_(levels, rest)


def shape(actor: Actor) -> tuple[Any, ...]:
    """What `condition` depends on, as values: actors of one shape get the same SQL (a key part
    for statements built once per shape, `upland.statements`)."""
    if actor.is_staff:
        return ("staff",)
    return (levels_seen(actor), tuple(sorted(actor.org_roles)), officer_area(actor))


def visible_to(actor: Actor, stmt: Select[Any], columns: Columns) -> Select[Any]:
    """Restrict `stmt` to the records `actor` may see."""
    where = condition(actor, columns)
    return stmt if where is None else stmt.where(where)
