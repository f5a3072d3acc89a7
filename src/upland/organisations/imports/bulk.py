"""The bulk SQL of the import: the one sanctioned writer beside the services (DESIGN rule 1).

The import writes chunks of thousands of rows; through the ORM that is several times slower,
so `writer` sends plain tuples with multi-row INSERT statements straight to the driver on the
session's own connection (same transaction), and updates through SQLAlchemy Core. Which
columns it writes, and their derived values, come from the same places the service uses
(`format.PROFILE_COLUMNS`, `derived.derive`); docs/architecture.md says so.
"""

from __future__ import annotations

import itertools
import json
import operator
from collections.abc import Iterable, Iterator
from typing import Any, cast

from sqlalchemy import (
    ARRAY,
    Table,
    any_,
    bindparam,
    func,
    insert,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import Session

from upland.organisations.imports.lookups import PkdRef
from upland.organisations.models import (
    Organisation,
    OrganisationCapability,
    OrganisationPkd,
    Person,
    Site,
)

ORG = cast(Table, Organisation.__table__)
PKD = cast(Table, OrganisationPkd.__table__)
SITE = cast(Table, Site.__table__)
PERSON = cast(Table, Person.__table__)
CAPABILITY = cast(Table, OrganisationCapability.__table__)
STAMPS = ("created_at", "updated_at")
_MARKS = {"qmark": "?", "format": "%s", "pyformat": "%s"}

PKD_COLUMNS = ("organisation_id", "version", "code", "section", "is_primary")
SITE_COLUMNS = (
    "organisation_id",
    "name",
    "street",
    "postal_code",
    "locality",
    "teryt",
    "is_headquarters",
)
PERSON_COLUMNS = (
    "organisation_id",
    "full_name",
    "role_title",
    "email",
    "phone",
    "contact_visibility",
    "language",
)
CAPABILITY_COLUMNS = ("organisation_id", "kind", "term_id", "label", "notes")


def pkd_values(org_id: int, pkd: Iterable[PkdRef]) -> Iterator[tuple[Any, ...]]:
    for index, ref in enumerate(pkd):
        yield (org_id, ref.version, ref.code, ref.section, index == 0)


def site_values(org_id: int, teryt: str, address: dict[str, str]) -> tuple[Any, ...]:
    get = address.get
    return (org_id, "", get("street", ""), get("postal_code", ""), get("locality", ""), teryt, True)


def person_values(org_id: int, contact: dict[str, str]) -> tuple[Any, ...]:
    return (
        org_id,
        contact["full_name"],
        "",
        contact.get("email"),
        contact.get("phone"),
        "private",
        "pl",
    )


def capability_values(org_id: int, term: Any) -> tuple[Any, ...]:
    return (org_id, term.kind, term.id, "", "")


class Processors:
    """The bind processing SQLAlchemy would do, for the few columns that need any (dates and
    times on SQLite), so rows can go to the driver as plain tuples."""

    def __init__(self, session: Session, table: Table, columns: tuple[str, ...]) -> None:
        dialect = session.connection().dialect
        self.columns = columns
        self.getter = operator.itemgetter(*columns)
        self.processors = {
            name: processor
            for name in columns
            if (processor := table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
        }
        self.per_row = [(name, p) for name, p in self.processors.items() if name not in STAMPS]

    def value(self, column: str, value: Any) -> Any:
        processor = self.processors.get(column)
        return processor(value) if processor and value is not None else value

    def row(self, data: dict[str, Any]) -> tuple[Any, ...]:
        """`data` as a tuple in column order; creation and update stamps come pre-processed."""
        for name, processor in self.per_row:
            value = data[name]
            if value is not None:
                data[name] = processor(value)
        row: tuple[Any, ...] = self.getter(data)
        return row


def identifier_matches(session: Session, nips: list[str], regons: list[str]) -> list[int]:
    """Ids of registered organisations having one of these NIPs or REGONs (one query)."""
    conditions = []
    if nips:
        conditions.append(in_(session, ORG.c.nip, nips))
    if regons:
        conditions.append(in_(session, ORG.c.regon, regons))
    if not conditions:
        return []
    return list(session.scalars(select(ORG.c.id).where(or_(*conditions))).all())


def in_(session: Session, column: Any, values: list[Any]) -> Any:
    """`column IN (values)` for thousands of values, as one bound parameter.

    PostgreSQL gets `= ANY(array)`; SQLite `IN (SELECT value FROM json_each(?))`. Either way
    the SQL text stays the same from chunk to chunk (so drivers reuse prepared statements
    instead of caching one per list) and no limit on the number of parameters applies.
    """
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, values, type_=ARRAY(column.type)))
    items: Any = select(literal_column("value")).select_from(
        func.json_each(bindparam(None, json.dumps(values)))
    )
    return column.in_(items.scalar_subquery())


def _driver_rows(session: Session, sql: str, params: tuple[Any, ...]) -> list[Any]:
    """Run one statement on the session's own DBAPI connection (same transaction), skipping
    SQLAlchemy's per-row result handling; returns the fetched rows, if any."""
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(sql, params)
        return list(cursor.fetchall()) if cursor.description else []
    finally:
        cursor.close()


def insert_returning(
    session: Session,
    table: Table,
    columns: tuple[str, ...],
    rows: list[tuple[Any, ...]],
    returning: tuple[str, ...] = (),
) -> list[Any]:
    """Insert plain tuples with multi-row INSERT statements straight to the driver.

    A thousand rows per statement (and no SQLAlchemy per-row parameter handling) makes this
    several times faster than executemany, above all on SQLite, whose FTS trigger flushes
    its buffer after every statement; PostgreSQL gets one INSERT … SELECT FROM unnest(arrays).
    Values must already be in driver form (`Processors`).
    """
    if not rows:
        return []
    dialect = session.connection().dialect
    mark = _MARKS.get(dialect.paramstyle)
    if mark is None:
        stmt = insert(table)
        dicts = [dict(zip(columns, row, strict=True)) for row in rows]
        if not returning:
            session.execute(stmt, dicts)
            return []
        return list(session.execute(stmt.returning(*(table.c[n] for n in returning)), dicts))
    quote = dialect.identifier_preparer.quote
    head = f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
    tail = f" RETURNING {', '.join(quote(c) for c in returning)}" if returning else ""
    if dialect.name == "postgresql":
        # One array per column: a single short statement whatever the number of rows.
        arrays = ", ".join(f"%b::{table.c[c].type.compile(dialect=dialect)}[]" for c in columns)
        sql = f"{head}SELECT * FROM unnest({arrays}){tail}"
        return _driver_rows(session, sql, tuple(list(column) for column in zip(*rows, strict=True)))
    head += "VALUES "
    group = f"({', '.join([mark] * len(columns))})"
    per = max(1, min(1000, 30_000 // len(columns)))  # SQLite takes up to 32,766 parameters
    out: list[Any] = []
    for start in range(0, len(rows), per):
        batch = rows[start : start + per]
        sql = head + ", ".join([group] * len(batch)) + tail
        out.extend(_driver_rows(session, sql, tuple(itertools.chain.from_iterable(batch))))
    return out


def insert_many(
    session: Session, table: Table, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    insert_returning(session, table, columns, rows)


def expire_registry_objects(session: Session) -> None:
    """Core writes bypass the identity map: let loaded registry objects reload their state."""
    registry = (Organisation, OrganisationPkd, Site, Person, OrganisationCapability)
    for obj in list(session.identity_map.values()):
        if isinstance(obj, registry):
            session.expire(obj)
