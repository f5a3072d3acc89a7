"""The registry benchmark's data: organisations with sites, PKD codes and capabilities, made
with a fixed seed and bulk-loaded with Core inserts (derived columns from `derived.derive`)."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, insert, select, text
from sqlalchemy.orm import Session

from upland import migrate
from upland.actor import SYSTEM
from upland.demo.activities import ACTIVITIES, Activity
from upland.demo.names import SURNAMES
from upland.organisations import identifiers
from upland.organisations.derived import Children, derive
from upland.organisations.imports.folding import fast_fold
from upland.organisations.models import (
    Organisation,
    OrganisationCapability,
    OrganisationPkd,
    Site,
)
from upland.reference import queries as reference
from upland.reference.models import CapabilityTerm, Municipality
from upland.reference.service import seed_reference
from upland.settings import DEFAULT_PARTNERS

SEED = 20_261_127
BATCH = 5_000
FTS_TRIGGER = "organisation_fts_insert"
LUBLIN = "0663011"
AUTOMOTIVE_PKD = ("29.32.Z", "29.31.Z", "29.20.Z")
LEGAL_FORMS = ("sp. z o.o.", "sp. z o.o.", "S.A.", "sp.j.", "sp.k.", "")
KINDS = ("company",) * 46 + ("research", "school", "business_support", "local_government")
VISIBILITY = ("public",) * 16 + ("members",) * 3 + ("restricted",)
MEMBERSHIP = ("member",) * 7 + ("applicant", "former") + ("none",) * 11
EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
ACTIVITY_WEIGHTS = list(itertools.accumulate(a.weight for a in ACTIVITIES))


@dataclass(frozen=True)
class Term:
    id: int
    kind: str
    label: str


@dataclass(frozen=True)
class Lookups:
    pkd_sections: dict[tuple[int, str], str]
    cities: dict[str, str]
    terms: dict[str, Term]

    @property
    def teryts(self) -> list[str]:
        return sorted(self.cities)


@dataclass
class Batch:
    organisations: list[dict[str, Any]]
    pkd: list[dict[str, Any]]
    sites: list[dict[str, Any]]
    capabilities: list[dict[str, Any]]


_fold = lru_cache(maxsize=4096)(fast_fold)  # cities and capability labels repeat


def _nip(n: int) -> str:
    return identifiers.nip_at(100_000_000 + n * 11)


def _regon(n: int) -> str:
    return identifiers.complete_regon(f"{200_000_00 + n * 7:08d}"[-8:])


def _organisation(rng: random.Random, org_id: int, lookups: Lookups, batch: Batch) -> None:
    """One organisation and its children, its derived columns from `derived.derive`."""
    activity: Activity = rng.choices(ACTIVITIES, cum_weights=ACTIVITY_WEIGHTS)[0]
    surname = rng.choice(SURNAMES)
    legal_name = f"{rng.choice(activity.stems)} {surname} {rng.choice(LEGAL_FORMS)}".strip()
    short_name = f"{rng.choice(activity.brands)} {surname}"
    product, machines = rng.choice(activity.products), rng.choice(activity.machines)
    employees = None if rng.random() < 0.05 else min(int(rng.lognormvariate(3.4, 1.2)) + 1, 9000)
    capacity = f"Wolne moce {activity.capacity}." if rng.random() < 0.2 else ""

    cities = lookups.teryts
    hq = LUBLIN if rng.random() < 0.45 else rng.choice(cities)
    site_teryts = [hq]
    if rng.random() < 0.2:
        site_teryts.append(LUBLIN if rng.random() < 0.4 else rng.choice(cities))
    for index, teryt in enumerate(site_teryts):
        batch.sites.append(
            {
                "organisation_id": org_id,
                "name": "" if index == 0 else "Zakład produkcyjny",
                "street": f"ul. Przemysłowa {rng.randint(1, 120)}",
                "postal_code": f"{rng.randint(20, 29)}-{rng.randint(0, 999):03d}",
                "locality": lookups.cities[teryt],
                "teryt": teryt,
                "latitude": None,
                "longitude": None,
                "is_headquarters": index == 0,
            }
        )

    if rng.random() < 0.1:
        codes = [(2007, activity.pkd2007)]
    else:
        codes = [(2025, c) for c in rng.sample(activity.pkd, rng.randint(1, len(activity.pkd)))]
        extra = rng.choice(AUTOMOTIVE_PKD)
        if rng.random() < 0.5 and (2025, extra) not in codes:
            codes.append((2025, extra))
    for index, (version, code) in enumerate(codes):
        section = reference.resolve_pkd(lookups.pkd_sections, version, code)
        assert section is not None, (version, code)
        batch.pkd.append(
            {
                "organisation_id": org_id,
                "version": version,
                "code": code,
                "section": section,
                "is_primary": index == 0,
            }
        )

    slugs = rng.sample(activity.processes, rng.randint(1, min(3, len(activity.processes))))
    slugs += rng.sample(activity.materials, rng.randint(0, min(2, len(activity.materials))))
    if activity.certifications and rng.random() < 0.5:
        slugs.append(rng.choice(activity.certifications))
    labels = []
    for slug in slugs:
        term = lookups.terms[slug]
        valid_until = None
        if term.kind == "certification":
            expired = rng.random() < 0.2
            valid_until = dt.date(2023 if expired else 2027 + rng.randint(0, 3), 6, 30)
        batch.capabilities.append(
            {
                "organisation_id": org_id,
                "kind": term.kind,
                "term_id": term.id,
                "label": "",
                "valid_from": None,
                "valid_until": valid_until,
                "notes": "",
            }
        )
        labels.append(term.label)

    about_pl = f"{product[0]}. Park maszynowy: {machines[0]}."
    about_en = f"{product[1]}. Machinery: {machines[1]}."
    created = EPOCH + dt.timedelta(seconds=rng.randint(0, 60 * 86_400))
    org: dict[str, Any] = {
        "id": org_id,
        "kind": rng.choice(KINDS),
        "legal_name": legal_name,
        "short_name": short_name,
        "nip": _nip(org_id),
        "regon": _regon(org_id),
        "krs": None,
        "website": None,
        "description_pl": f"{short_name} {about_pl}",
        "description_en": f"{short_name} {about_en}",
        "founded_year": None if rng.random() < 0.1 else rng.randint(1950, 2024),
        "employees": employees,
        "supply_tier": rng.choice(activity.tiers).value if rng.random() < 0.8 else None,
        "membership_status": rng.choice(MEMBERSHIP),
        "member_since": None,
        "visibility": rng.choice(VISIBILITY),
        "capacity_notes": capacity,
        "created_at": created,
        "updated_at": created + dt.timedelta(seconds=rng.randint(0, 600 * 86_400)),
    }
    children = Children(
        teryt=hq,
        city=lookups.cities[hq],
        labels=labels,
        site_teryts=site_teryts,
        pkd=[(p["section"], p["code"]) for p in batch.pkd[-len(codes) :]],
        term_ids=[c["term_id"] for c in batch.capabilities[-len(slugs) :]],
    )
    org.update(derive(org, children, fold=fast_fold, fold_name=_fold))
    batch.organisations.append(org)


def generate(rows: int, lookups: Lookups, seed: int = SEED) -> Iterator[Batch]:
    """The same `rows` organisations for the same seed, in batches ready for executemany."""
    rng = random.Random(seed)
    for start in range(1, rows + 1, BATCH):
        batch = Batch([], [], [], [])
        for org_id in range(start, min(start + BATCH, rows + 1)):
            _organisation(rng, org_id, lookups, batch)
        yield batch


def load_lookups(session: Session) -> Lookups:
    return Lookups(
        reference.pkd_sections(session),
        {
            m.teryt: m.name
            for m in session.scalars(
                select(Municipality).where(Municipality.kind.in_(("1", "2", "3")))
            )
        },
        {
            t.slug: Term(t.id, t.kind, f"{t.name_pl} {t.name_en}")
            for t in session.scalars(select(CapabilityTerm))
        },
    )


def build(engine: Engine, rows: int, progress: Callable[[str], None]) -> None:
    """Migrate, seed reference data and bulk-load `rows` organisations with children."""
    migrate.upgrade(engine)
    with Session(engine) as session, session.begin():
        seed_reference(session, SYSTEM, DEFAULT_PARTNERS)
    with Session(engine) as session:
        lookups = load_lookups(session)
    started = time.perf_counter()
    sqlite = engine.dialect.name == "sqlite"
    with engine.begin() as connection:
        if sqlite:
            # One FTS rebuild at the end is twice as fast as the per-row insert trigger.
            trigger = connection.scalar(
                text(f"SELECT sql FROM sqlite_master WHERE name = '{FTS_TRIGGER}'")
            )
            connection.execute(text(f"DROP TRIGGER {FTS_TRIGGER}"))
        for number, batch in enumerate(generate(rows, lookups), 1):
            connection.execute(insert(Organisation), batch.organisations)
            connection.execute(insert(OrganisationPkd), batch.pkd)
            connection.execute(insert(Site), batch.sites)
            connection.execute(insert(OrganisationCapability), batch.capabilities)
            progress(f"  loaded {min(number * BATCH, rows):>7} organisations")
        if sqlite:
            connection.execute(text(trigger))
            connection.execute(
                text("INSERT INTO organisation_fts(organisation_fts) VALUES ('rebuild')")
            )
        else:
            connection.execute(
                text("SELECT setval(pg_get_serial_sequence('organisation', 'id'), :n)"),
                {"n": rows},
            )
    if not sqlite:
        # What autovacuum does shortly after a bulk load: statistics and the visibility map.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    progress(f"  {rows} organisations loaded in {time.perf_counter() - started:.1f} s")
