"""The import benchmark's baseline: the same rows written by the database driver alone.

The generated rows with their derived columns (`derived.derive`, as the import computes
them) and child rows, ids precomputed, are sent in one transaction by `sqlite3`
(`executemany`, or multi-row INSERT statements) or psycopg's `COPY … FROM STDIN`. The tuples
are built before the clock starts.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, make_url, text

from upland.bench.import_data import SEED, generate, reference
from upland.organisations.derived import Children, derive
from upland.organisations.imports.folding import fast_fold
from upland.organisations.imports.format import PROFILE_COLUMNS

BASELINE_BATCH = 100_000  # baseline tuples are built (untimed) this many rows at a time
PROFILE = PROFILE_COLUMNS
ORG_COLUMNS: tuple[str, ...] = (
    "id",
    *PROFILE,
    "name_key",
    "size_class",
    "teryt",
    "search_text",
    "created_at",
    "updated_at",
    "facets",
)
PKD_COLUMNS = ("id", "organisation_id", "version", "code", "section", "is_primary")
SITE_COLUMNS = (
    "id",
    "organisation_id",
    "name",
    "street",
    "postal_code",
    "locality",
    "teryt",
    "is_headquarters",
)
PERSON_COLUMNS = (
    "id",
    "organisation_id",
    "full_name",
    "role_title",
    "email",
    "phone",
    "contact_visibility",
    "language",
)
CAPABILITY_COLUMNS = ("id", "organisation_id", "kind", "term_id", "label", "notes")
TABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("organisation", ORG_COLUMNS),
    ("organisation_pkd", PKD_COLUMNS),
    ("site", SITE_COLUMNS),
    ("person", PERSON_COLUMNS),
    ("organisation_capability", CAPABILITY_COLUMNS),
)


@dataclass
class Batch:
    """Rows ready for the driver, per table, in the column order of TABLES."""

    tables: dict[str, list[tuple[Any, ...]]] = field(
        default_factory=lambda: {name: [] for name, _ in TABLES}
    )

    @property
    def organisations(self) -> int:
        return len(self.tables["organisation"])


def baseline_batches(
    rows: int,
    terms: dict[str, tuple[int, str]],
    now: Any,
    *,
    seed: int = SEED,
    batch_size: int = BASELINE_BATCH,
) -> Iterator[Batch]:
    """The generated rows as the import stores them, with ids 1, 2, … per table.

    `terms` maps capability slugs to (id, kind) in the target database; `now` is the
    timestamp value as the driver takes it (text on SQLite, datetime on PostgreSQL).
    """
    labels = reference().capability_labels
    ids = dict.fromkeys((name for name, _ in TABLES), 0)
    batch = Batch()
    for row in generate(rows, seed):
        ids["organisation"] += 1
        org_id = ids["organisation"]
        profile = row.profile
        member_since = profile["member_since"]
        children = Children(
            teryt=row.teryt,
            city=row.city,
            labels=[labels[slug] for slug in row.capabilities],
            site_teryts=(row.teryt,),
            pkd=[(section, code) for code, section in row.pkd],
            term_ids=[terms[slug][0] for slug in row.capabilities],
        )
        derived = derive(profile, children, fold=fast_fold)
        batch.tables["organisation"].append(
            (
                org_id,
                *(profile[name] for name in PROFILE[:14]),
                member_since.isoformat() if member_since is not None else None,
                profile["visibility"],
                *(derived[name] for name in ("name_key", "size_class", "teryt", "search_text")),
                now,
                now,
                derived["facets"],
            )
        )
        tables = batch.tables
        for position, (code, section) in enumerate(row.pkd):
            ids["organisation_pkd"] += 1
            tables["organisation_pkd"].append(
                (ids["organisation_pkd"], org_id, 2025, code, section, position == 0)
            )
        ids["site"] += 1
        street, postal, locality = row.address
        tables["site"].append((ids["site"], org_id, "", street, postal, locality, row.teryt, True))
        if row.contact is not None:
            ids["person"] += 1
            name, email, phone = row.contact
            tables["person"].append(
                (ids["person"], org_id, name, "", email, phone, "private", "pl")
            )
        for slug in row.capabilities:
            ids["organisation_capability"] += 1
            term_id, kind = terms[slug]
            tables["organisation_capability"].append(
                (ids["organisation_capability"], org_id, kind, term_id, "", "")
            )
        if batch.organisations >= batch_size:
            yield batch
            batch = Batch()
    if batch.organisations:
        yield batch


def _insert_sql(table: str, columns: Sequence[str], mark: str = "?") -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"


def capability_terms(engine: Engine) -> dict[str, tuple[int, str]]:
    with engine.connect() as connection:
        return {
            slug: (term_id, kind)
            for term_id, slug, kind in connection.execute(
                text("SELECT id, slug, kind FROM capability_term")
            )
        }


def table_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            name: connection.execute(text(f"SELECT count(*) FROM {name}")).scalar_one()
            for name, _ in TABLES
        }


@dataclass
class BaselineRun:
    rows: int
    seconds: float
    counts: dict[str, int]
    cpu_seconds: float = 0.0


_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores DateTime on SQLite


# Rows per multi-row INSERT: SQLite takes at most 32766 parameters (999 before 3.32).
_SQLITE_MAX_PARAMETERS = 32_766 if sqlite3.sqlite_version_info >= (3, 32) else 999
MULTIROW_ROWS = 1000


def _multirow_statements(
    table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> list[tuple[str, list[Any]]]:
    """`INSERT … VALUES (…), (…), …` statements with their flattened parameters."""
    per = max(1, min(MULTIROW_ROWS, _SQLITE_MAX_PARAMETERS // len(columns)))
    one = f"({', '.join('?' * len(columns))})"
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
    statements = []
    for start in range(0, len(rows), per):
        part = rows[start : start + per]
        statements.append((head + ", ".join([one] * len(part)), [v for r in part for v in r]))
    return statements


def sqlite_baseline(
    db_path: Path,
    rows: int,
    terms: dict[str, tuple[int, str]],
    *,
    multirow: bool = False,
    seed: int = SEED,
    batch_size: int = BASELINE_BATCH,
    progress: Callable[[int], None] | None = None,
) -> BaselineRun:
    """`executemany` of the prepared tuples through `sqlite3`, one transaction.

    With `multirow`, multi-row `INSERT … VALUES` statements of up to 1000 rows instead
    (parameters flattened before the clock starts): the FTS5 index flushes its pending terms
    at the end of every statement, so one row per statement is the slow way on this schema.
    The connection gets the project's pragmas (WAL, synchronous=NORMAL, foreign keys). Only
    the inserts and the commit are timed; with more rows than `batch_size` the tuples are
    built batch by batch between the timed stretches to bound memory.
    """
    now = dt.datetime.now(dt.UTC).strftime(_SQLITE_TIME)
    connection = sqlite3.connect(db_path, isolation_level=None)
    counts = dict.fromkeys((name for name, _ in TABLES), 0)
    seconds = cpu = 0.0
    try:
        for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL"):
            connection.execute(f"PRAGMA {pragma}")
        connection.execute("BEGIN")
        written = 0
        for batch in baseline_batches(rows, terms, now, seed=seed, batch_size=batch_size):
            if multirow:
                statements = [
                    _multirow_statements(name, columns, batch.tables[name])
                    for name, columns in TABLES
                ]
                started, cpu_started = time.perf_counter(), time.process_time()
                for table in statements:
                    for sql, parameters in table:
                        connection.execute(sql, parameters)
            else:
                started, cpu_started = time.perf_counter(), time.process_time()
                for name, columns in TABLES:
                    connection.executemany(_insert_sql(name, columns), batch.tables[name])
            seconds += time.perf_counter() - started
            cpu += time.process_time() - cpu_started
            statements = []
            for name, _ in TABLES:
                counts[name] += len(batch.tables[name])
            written += batch.organisations
            del batch
            if progress is not None:
                progress(written)
        started, cpu_started = time.perf_counter(), time.process_time()
        connection.execute("COMMIT")
        seconds += time.perf_counter() - started
        cpu += time.process_time() - cpu_started
    finally:
        connection.close()
    return BaselineRun(counts["organisation"], seconds, counts, cpu)


def postgres_baseline(
    url: str,
    rows: int,
    terms: dict[str, tuple[int, str]],
    *,
    seed: int = SEED,
    batch_size: int = BASELINE_BATCH,
    progress: Callable[[int], None] | None = None,
) -> BaselineRun:
    """psycopg `COPY ... FROM STDIN` (`write_row`) of the prepared tuples, one transaction."""
    import psycopg

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    now = dt.datetime.now(dt.UTC)
    counts = dict.fromkeys((name for name, _ in TABLES), 0)
    seconds = 0.0
    with psycopg.connect(conninfo) as connection:
        written = 0
        for batch in baseline_batches(rows, terms, now, seed=seed, batch_size=batch_size):
            started = time.perf_counter()
            with connection.cursor() as cursor:
                for name, columns in TABLES:
                    with cursor.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
                        write = copy.write_row
                        for values in batch.tables[name]:
                            write(values)
            seconds += time.perf_counter() - started
            for name, _ in TABLES:
                counts[name] += len(batch.tables[name])
            written += batch.organisations
            del batch
            if progress is not None:
                progress(written)
        started = time.perf_counter()
        connection.commit()
        seconds += time.perf_counter() - started
    return BaselineRun(counts["organisation"], seconds, counts)
