"""The marketplace benchmark's data: organisations (the registry benchmark's generator) and
opportunities of every kind with their PKD codes, capabilities, places of interest and named
organisations, made with a fixed seed.

Bench data only: the rows are bulk-loaded with Core inserts (5 000 a statement), not through
`market.service` (which would take an hour for 100 000 opportunities with its audit entries and
signals). What the service derives is derived the same way: the search columns by
`market.derived.derive` over the same texts, `teryt` from the owner's headquarters. On SQLite
the FTS5 index is rebuilt once at the end instead of row by row through its trigger. On
PostgreSQL the facet rows (`opportunity_facet`, migration 0026) are filled once at the end by
the migration's own statement: their statement triggers run once per inserted PKD code or
place (psycopg's executemany is one statement a row), and in one loading transaction, without
statistics, they grew slower with the tables (most likely plans made while the tables were
empty; not proven): the first 100 000-row load had not finished after 25 minutes.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, insert, select, text
from sqlalchemy.orm import Session

from upland.bench import registry_data
from upland.bench.registry_data import LUBLIN, Lookups, load_lookups
from upland.demo.activities import ACTIVITIES, Activity
from upland.market.derived import TEXT_FIELDS, derive
from upland.market.models import (
    Opportunity,
    OpportunityCapability,
    OpportunityNamed,
    OpportunityPkd,
    OpportunityPlace,
)
from upland.market.vocab import TECHNOLOGY_KINDS, IpStatus, OpportunityKind, PartnershipType
from upland.organisations.models import Organisation
from upland.reference import queries as reference

SEED = 20_180_319
BATCH = 5_000
ORGANISATIONS = 5_000
FTS_TRIGGER = "opportunity_fts_insert"
# The migration that made the facet rows owns how they are filled (`FILL`) and whose triggers
# make them (`CHILDREN`); the loader borrows both rather than keep a copy.
_FACETS = importlib.import_module("upland.migrations.versions.0026_market_facets")
FACET_CHILDREN: tuple[str, ...] = _FACETS.CHILDREN
FACET_FILL: str = _FACETS.FILL
TODAY = dt.date(2026, 11, 27)
LETTER = dt.datetime(2018, 3, 19, 9, tzinfo=dt.UTC)
SPAN = (dt.datetime.combine(TODAY, dt.time(), tzinfo=dt.UTC) - LETTER).total_seconds()
KINDS = tuple(OpportunityKind)
KIND_WEIGHTS = (22, 22, 10, 8, 6, 16, 6, 10)
STATUSES = ("published", "expired", "fulfilled", "withdrawn", "submitted", "returned", "draft")
STATUS_WEIGHTS = (55, 25, 7, 5, 2, 1, 5)
VISIBILITY = ("public",) * 6 + ("members",) * 3 + ("restricted",)
WEIGHTS = [a.weight for a in ACTIVITIES]

# What a title says an opportunity is, per kind (Polish, English).
LEADS: dict[str, tuple[str, str]] = {
    "business_offer": ("Oferta współpracy", "Cooperation offer"),
    "business_request": ("Szukamy dostawcy", "Supplier wanted"),
    "technology_offer": ("Technologia do wdrożenia", "Technology for licensing"),
    "technology_request": ("Poszukujemy technologii", "Technology sought"),
    "rnd_request": ("Partner do projektu B+R", "R&D project partner"),
    "capacity_offer": ("Wolne moce produkcyjne", "Free production capacity"),
    "infrastructure_offer": ("Laboratorium do wynajęcia", "Laboratory for hire"),
    "training_offer": ("Szkolenie dla kadr", "Staff training"),
}


@dataclass(frozen=True)
class Owner:
    id: int
    teryt: str | None


@dataclass
class Batch:
    opportunities: list[dict[str, Any]]
    pkd: list[dict[str, Any]]
    capabilities: list[dict[str, Any]]
    places: list[dict[str, Any]]
    named: list[dict[str, Any]]


def _moment(rng: random.Random) -> dt.datetime:
    """A publication time since the letter of intent, more of them in later years (growth)."""
    return LETTER + dt.timedelta(seconds=SPAN * rng.random() ** 0.6)


def _texts(rng: random.Random, activity: Activity, kind: str) -> dict[str, str]:
    product, machines = rng.choice(activity.products), rng.choice(activity.machines)
    lead_pl, lead_en = LEADS[kind]
    language = rng.random()
    pl = language < 0.9  # most write Polish, many both, some English only
    en = language > 0.2
    return {
        "title_pl": f"{lead_pl}: {product[0]}"[:200] if pl else "",
        "title_en": f"{lead_en}: {product[1]}"[:200] if en else "",
        "description_pl": f"Firma {product[0]}. Park maszynowy: {machines[0]}." if pl else "",
        "description_en": f"The company {product[1]}. Machinery: {machines[1]}." if en else "",
    }


def _opportunity(
    rng: random.Random, opportunity_id: int, owners: list[Owner], lookups: Lookups, batch: Batch
) -> None:
    activity: Activity = rng.choices(ACTIVITIES, weights=WEIGHTS)[0]
    kind = rng.choices(KINDS, weights=KIND_WEIGHTS)[0].value
    status = rng.choices(STATUSES, weights=STATUS_WEIGHTS)[0]
    owner = rng.choice(owners)
    moment = _moment(rng)
    row: dict[str, Any] = {
        "id": opportunity_id,
        "kind": kind,
        "status": status,
        "owner_id": owner.id,
        "created_by_id": None,
        "visibility": rng.choice(VISIBILITY),
        "anonymous": rng.random() < 0.1,
        "teryt": owner.teryt,
        "created_at": moment - dt.timedelta(days=rng.randint(0, 20)),
        "updated_at": moment,
        "submitted_at": None if status == "draft" else moment,
        "published_at": moment if status not in ("draft", "submitted", "returned") else None,
        "closed_at": moment + dt.timedelta(days=90) if status in STATUSES[1:4] else None,
        "partnership_types": rng.sample([p.value for p in PartnershipType], rng.randint(0, 2)),
        "deadline": TODAY + dt.timedelta(days=rng.randint(5, 300)) if rng.random() < 0.3 else None,
        # every row the same keys (one executemany): the kind's own fields set below
        "expires_on": None,
        "trl": None,
        "ip_status": None,
        "innovation": "",
        "process": "",
        "machine": "",
        "hours_per_week": None,
        "equipment": "",
        "conditions": "",
        **_texts(rng, activity, kind),
    }
    if status == "published":
        row["expires_on"] = (
            None if rng.random() < 0.1 else TODAY + dt.timedelta(days=rng.randint(0, 365))
        )
    elif status == "expired":
        row["expires_on"] = TODAY - dt.timedelta(days=rng.randint(1, 2000))
    if kind in TECHNOLOGY_KINDS:
        row["trl"] = rng.randint(2, 9)
        row["ip_status"] = rng.choice(list(IpStatus)).value
        row["innovation"] = "Nowe rozwiązanie opatentowane w Polsce."
    if kind == "capacity_offer":
        row["process"] = activity.capacity
        row["machine"] = rng.choice(activity.machines)[0][:200]
        row["hours_per_week"] = rng.randint(8, 120)
    if kind == "infrastructure_offer":
        row["equipment"] = rng.choice(activity.machines)[0]
        row["conditions"] = "Dostęp po uzgodnieniu terminu, z opieką technika."

    codes = rng.sample(activity.pkd, rng.randint(1, 2))
    for code in codes:
        section = reference.resolve_pkd(lookups.pkd_sections, 2025, code)
        batch.pkd.append(
            {"opportunity_id": opportunity_id, "version": 2025, "code": code, "section": section}
        )
    slugs = rng.sample(activity.processes, rng.randint(1, min(2, len(activity.processes))))
    if activity.certifications and rng.random() < 0.3:
        slugs.append(rng.choice(activity.certifications))
    names = []
    for slug in slugs:
        term = lookups.terms[slug]
        role = "required" if kind.endswith("request") else "offered"
        batch.capabilities.append(
            {"opportunity_id": opportunity_id, "term_id": term.id, "role": role}
        )
        names.append(term.label)
    for _ in range(rng.choice((0, 1, 1, 2))):
        teryt = LUBLIN if rng.random() < 0.3 else rng.choice(lookups.teryts)
        batch.places.append({"opportunity_id": opportunity_id, "teryt": teryt})
    if row["visibility"] == "restricted":
        for named in {rng.choice(owners).id for _ in range(rng.randint(1, 3))} - {owner.id}:
            batch.named.append({"opportunity_id": opportunity_id, "organisation_id": named})

    derived = derive(
        [row["title_pl"], row["title_en"]], [row.get(f, "") for f in TEXT_FIELDS], names
    )
    row["search_title"] = derived.search_title
    row["search_text"] = derived.search_text
    batch.opportunities.append(row)


def generate(rows: int, owners: list[Owner], lookups: Lookups, seed: int = SEED) -> Iterator[Batch]:
    """The same `rows` opportunities for the same seed, in batches ready for executemany."""
    rng = random.Random(seed)
    for start in range(1, rows + 1, BATCH):
        batch = Batch([], [], [], [], [])
        for opportunity_id in range(start, min(start + BATCH, rows + 1)):
            _opportunity(rng, opportunity_id, owners, lookups, batch)
        yield batch


def settle(engine: Engine) -> None:
    """What autovacuum does shortly after a bulk load on PostgreSQL: statistics and the
    visibility map (SQLite gets no statistics: a database filled one row at a time by the
    services has none either)."""
    if engine.dialect.name == "sqlite":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))


def build(
    engine: Engine, rows: int, progress: Callable[[str], None], organisations: int = ORGANISATIONS
) -> None:
    """Migrate, seed, load `organisations` (the registry benchmark's) and `rows` opportunities."""
    registry_data.build(engine, organisations, progress)
    with Session(engine) as session:
        lookups = load_lookups(session)
        owners = [
            Owner(i, teryt)
            for i, teryt in session.execute(select(Organisation.id, Organisation.teryt))
        ]
    started = time.perf_counter()
    sqlite = engine.dialect.name == "sqlite"
    with engine.begin() as connection:
        if sqlite:
            trigger = connection.scalar(
                text(f"SELECT sql FROM sqlite_master WHERE name = '{FTS_TRIGGER}'")
            )
            connection.execute(text(f"DROP TRIGGER {FTS_TRIGGER}"))
        else:
            for child in FACET_CHILDREN:
                connection.execute(text(f"ALTER TABLE {child} DISABLE TRIGGER USER"))
        for number, batch in enumerate(generate(rows, owners, lookups), 1):
            connection.execute(insert(Opportunity), batch.opportunities)
            connection.execute(insert(OpportunityPkd), batch.pkd)
            connection.execute(insert(OpportunityCapability), batch.capabilities)
            if batch.places:
                connection.execute(insert(OpportunityPlace), batch.places)
            if batch.named:
                connection.execute(insert(OpportunityNamed), batch.named)
            progress(f"  loaded {min(number * BATCH, rows):>7} opportunities")
        if sqlite:
            connection.execute(text(trigger))
            connection.execute(
                text("INSERT INTO opportunity_fts(opportunity_fts) VALUES ('rebuild')")
            )
        else:
            for child in FACET_CHILDREN:
                connection.execute(text(f"ALTER TABLE {child} ENABLE TRIGGER USER"))
            connection.execute(text(FACET_FILL))
            connection.execute(
                text("SELECT setval(pg_get_serial_sequence('opportunity', 'id'), :n)"),
                {"n": rows},
            )
    settle(engine)
    progress(f"  {rows} opportunities loaded in {time.perf_counter() - started:.1f} s")
