"""`upland bench registry`: latency of one registry list/search page with 100 000 organisations.

Generates the registry with a fixed seed straight into a fresh, migrated database (bulk Core
inserts, derived columns filled exactly as the service fills them), then measures
`queries.list_organisations` (keyset page with its exact total) for page 1 and page 500,
unfiltered, filtered by city + PKD division and by free text, as anonymous and as coordinator.
Baseline: the same page by hand-written `ORDER BY name_key, id LIMIT 25 OFFSET n` on the raw
DB-API connection. SQLite always; PostgreSQL too when a server URL is given (scratch database).
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, make_url, select, text
from sqlalchemy.orm import Session

from upland import migrate
from upland.accounts.actor import ANONYMOUS, SYSTEM, Actor
from upland.db import make_engine
from upland.demo.activities import ACTIVITIES, Activity
from upland.demo.names import SURNAMES
from upland.organisations import facets, identifiers, queries
from upland.organisations.models import (
    Organisation,
    OrganisationCapability,
    OrganisationPkd,
    Site,
)
from upland.organisations.schemas import OrganisationFilter
from upland.organisations.search import build_search_text, name_key
from upland.organisations.vocab import size_class_for
from upland.reference import queries as reference
from upland.reference.models import CapabilityTerm, Municipality
from upland.reference.service import seed_reference
from upland.settings import DEFAULT_PARTNERS
from upland.text import fold

SEED = 20_261_127
ROWS = 100_000
PAGE_SIZE = 25
FAR_PAGE = 500
REPEAT = 200
WARM_UP = 10
BATCH = 5_000
FTS_TRIGGER = "organisation_fts_insert"
TODAY = dt.date(2026, 11, 27)
LUBLIN = "0663011"
COORDINATOR = Actor(user_id=1, label="coordinator", is_cluster_member=True, is_coordinator=True)
ACTORS = {"anonymous": ANONYMOUS, "coordinator": COORDINATOR}
FILTERS = {
    "unfiltered": OrganisationFilter(),
    "city+PKD 29": OrganisationFilter(city="Lublin", pkd="29"),
    "text 'spaw'": OrganisationFilter(q="spaw"),
}
AUTOMOTIVE_PKD = ("29.32.Z", "29.31.Z", "29.20.Z")
LEGAL_FORMS = ("sp. z o.o.", "sp. z o.o.", "S.A.", "sp.j.", "sp.k.", "")
KINDS = ("company",) * 46 + ("research", "school", "business_support", "local_government")
VISIBILITY = ("public",) * 16 + ("members",) * 3 + ("restricted",)
MEMBERSHIP = ("member",) * 7 + ("applicant", "former") + ("none",) * 11
EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
ACTIVITY_WEIGHTS = list(itertools.accumulate(a.weight for a in ACTIVITIES))


# --- data -------------------------------------------------------------------------------------


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


_fold = lru_cache(maxsize=200_000)(fold)


def _search_text(parts: list[str]) -> str:
    """`build_search_text` with folds cached: names, phrases and labels repeat a lot."""
    return " ".join(_fold(p) for p in parts if p)


def _nip(n: int) -> str:
    return identifiers.nip_at(100_000_000 + n * 11)


def _regon(n: int) -> str:
    return identifiers.complete_regon(f"{200_000_00 + n * 7:08d}"[-8:])


def _organisation(rng: random.Random, org_id: int, lookups: Lookups, batch: Batch) -> None:
    """One organisation and its children, derived columns as `service.refresh_derived` sets them."""
    activity: Activity = rng.choices(ACTIVITIES, cum_weights=ACTIVITY_WEIGHTS)[0]
    surname = rng.choice(SURNAMES)
    legal_name = f"{rng.choice(activity.stems)} {surname} {rng.choice(LEGAL_FORMS)}".strip()
    short_name = f"{rng.choice(activity.brands)} {surname}"
    product, machines = rng.choice(activity.products), rng.choice(activity.machines)
    employees = None if rng.random() < 0.05 else min(int(rng.lognormvariate(3.4, 1.2)) + 1, 9000)
    capacity = f"Wolne moce {activity.capacity}." if rng.random() < 0.2 else ""
    nip, regon = _nip(org_id), _regon(org_id)

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
    description_pl, description_en = f"{short_name} {about_pl}", f"{short_name} {about_en}"
    # The same parts as the service; descriptions split so the cached folds hit.
    parts = [legal_name, short_name, nip, regon, lookups.cities[hq]]
    search_text = _search_text(
        [*parts, short_name, about_pl, short_name, about_en, capacity, *labels]
    )
    if org_id <= 100:
        assert search_text == build_search_text(
            [*parts, description_pl, description_en, capacity, *labels]
        )
    size = size_class_for(employees)
    created = EPOCH + dt.timedelta(seconds=rng.randint(0, 60 * 86_400))
    batch.organisations.append(
        {
            "id": org_id,
            "kind": rng.choice(KINDS),
            "legal_name": legal_name,
            "short_name": short_name,
            "name_key": name_key(short_name),
            "nip": nip,
            "regon": regon,
            "krs": None,
            "website": None,
            "description_pl": description_pl,
            "description_en": description_en,
            "founded_year": None if rng.random() < 0.1 else rng.randint(1950, 2024),
            "employees": employees,
            "size_class": size.value if size else None,
            "supply_tier": rng.choice(activity.tiers).value if rng.random() < 0.8 else None,
            "membership_status": rng.choice(MEMBERSHIP),
            "member_since": None,
            "visibility": rng.choice(VISIBILITY),
            "capacity_notes": capacity,
            "teryt": hq,
            "search_text": search_text,
            "created_at": created,
            "updated_at": created + dt.timedelta(seconds=rng.randint(0, 600 * 86_400)),
        }
    )
    org = batch.organisations[-1]
    own_pkd = [(p["section"], p["code"]) for p in batch.pkd[-len(codes) :]]
    own_terms = [c["term_id"] for c in batch.capabilities[-len(slugs) :]]
    org["facets"] = facets.build(org, site_teryts, own_pkd, own_terms)


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
        {m.teryt: m.name for m in session.scalars(select(Municipality))},
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


# --- measurement --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    p50: float
    p95: float


def measure(call: Callable[[], object], repeat: int) -> Figure:
    for _ in range(WARM_UP):
        call()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return Figure(statistics.median(samples), cuts[94])


def far_cursor(engine: Engine, actor: Actor, flt: OrganisationFilter) -> str | None:
    """The `after` cursor of page FAR_PAGE: the last row of the page before, found once."""
    with Session(engine) as session:
        stmt = queries.filtered(session, actor, flt, TODAY).order_by(
            Organisation.name_key, Organisation.id
        )
        last = session.scalars(stmt.offset(PAGE_SIZE * (FAR_PAGE - 1) - 1).limit(1)).first()
        return queries.encode_cursor([last.name_key, last.id]) if last else None


def project_page(
    engine: Engine, actor: Actor, flt: OrganisationFilter, after: str | None, with_total: bool
) -> Callable[[], queries.Page]:
    """One request's worth of work: a fresh session, one keyset page (and its exact total)."""

    def call() -> queries.Page:
        with Session(engine) as session:
            return queries.list_organisations(
                session,
                actor,
                flt,
                today=TODAY,
                limit=PAGE_SIZE,
                after=after,
                with_total=with_total,
            )

    return call


def baseline_page(engine: Engine, offset: int) -> Callable[[], list[Any]]:
    """The same page by hand: plain SQL with OFFSET on the raw DB-API connection."""
    marker = "?" if engine.dialect.name == "sqlite" else "%s"
    sql = f"SELECT * FROM organisation ORDER BY name_key, id LIMIT {PAGE_SIZE} OFFSET {marker}"

    def call() -> list[Any]:
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(sql, (offset,))
            rows = cursor.fetchall()
            cursor.close()
            return list(rows)
        finally:
            connection.close()

    return call


def run(engine: Engine, label: str, repeat: int, out: Callable[[str], None]) -> dict[str, Figure]:
    """Every figure for one backend; returns them keyed by their printed name."""
    figures: dict[str, Figure] = {}
    baselines = {
        1: measure(baseline_page(engine, 0), repeat),
        FAR_PAGE: measure(baseline_page(engine, PAGE_SIZE * (FAR_PAGE - 1)), repeat),
    }
    for page, figure in baselines.items():
        name = f"OFFSET baseline  {'unfiltered':<12} page {page:>3}  raw SQL"
        figures[name] = figure
        out(f"[{label}] {name:<53} p50 {figure.p50:7.2f} ms  p95 {figure.p95:7.2f} ms  x  1.0")
    for filter_name, flt in FILTERS.items():
        for actor_name, actor in ACTORS.items():
            with Session(engine) as session:
                total = queries.count_organisations(session, actor, flt, TODAY)
            cursor = far_cursor(engine, actor, flt)
            _check_far_page(engine, actor, flt, cursor)
            for with_total, kind in ((True, "page + total"), (False, "page only")):
                for page, after in ((1, None), (FAR_PAGE, cursor)):
                    call = project_page(engine, actor, flt, after, with_total)
                    figure = measure(call, repeat)
                    name = f"{kind:<16} {filter_name:<12} page {page:>3}  {actor_name}"
                    figures[name] = figure
                    ratio = figure.p50 / baselines[page].p50
                    out(
                        f"[{label}] {name:<53} p50 {figure.p50:7.2f} ms"
                        f"  p95 {figure.p95:7.2f} ms  x{ratio:5.1f}  ({total} rows)"
                    )
    return figures


def _check_far_page(
    engine: Engine, actor: Actor, flt: OrganisationFilter, cursor: str | None
) -> None:
    """The keyset page FAR_PAGE is exactly the OFFSET page FAR_PAGE (guards the benchmark)."""
    if cursor is None:
        raise SystemExit(f"fewer than {FAR_PAGE} pages for {flt!r}; raise --rows")
    with Session(engine) as session:
        page = queries.list_organisations(
            session, actor, flt, today=TODAY, limit=PAGE_SIZE, after=cursor, with_total=False
        )
        stmt = queries.filtered(session, actor, flt, TODAY).order_by(
            Organisation.name_key, Organisation.id
        )
        expected = session.scalars(
            stmt.offset(PAGE_SIZE * (FAR_PAGE - 1))
            .limit(PAGE_SIZE)
            .with_only_columns(Organisation.id)
        ).all()
        if [o.id for o in page.items] != list(expected):
            raise RuntimeError(f"keyset page {FAR_PAGE} differs from OFFSET page for {flt!r}")


# --- backends -------------------------------------------------------------------------------------


def bench_sqlite(rows: int, repeat: int, progress: Callable[[str], None]) -> dict[str, Figure]:
    with tempfile.TemporaryDirectory(prefix="upland-bench-") as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'registry.db'}")
        try:
            progress(f"SQLite: generating {rows} organisations (seed {SEED})")
            build(engine, rows, progress)
            return run(engine, "sqlite", repeat, print)
        finally:
            engine.dispose()


def bench_postgres(
    url: str, rows: int, repeat: int, progress: Callable[[str], None]
) -> dict[str, Figure]:
    """Runs in a scratch database created beside the given one and dropped afterwards."""
    server = make_url(url)
    scratch = f"upland_bench_registry_{os.getpid()}"
    admin = make_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{scratch}"'))
        engine = make_engine(server.set(database=scratch).render_as_string(hide_password=False))
        try:
            progress(f"PostgreSQL: generating {rows} organisations (seed {SEED}) in {scratch}")
            build(engine, rows, progress)
            return run(engine, "postgresql", repeat, print)
        finally:
            engine.dispose()
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
    finally:
        admin.dispose()


def main(
    rows: int | None = None,
    database_url: str | None = None,
    quiet: bool = False,
    repeat: int = REPEAT,
) -> dict[str, dict[str, Figure]]:
    """Run the benchmark on SQLite, and on PostgreSQL when `database_url` is given."""
    size = rows or ROWS

    def progress(message: str) -> None:
        if not quiet:
            print(message, file=sys.stderr, flush=True)

    print(
        f"registry list/search: {size} organisations (seed {SEED}), page size {PAGE_SIZE}, "
        f"{repeat} repetitions per figure; x = p50 / p50 of the OFFSET baseline of that page"
    )
    results = {"sqlite": bench_sqlite(size, repeat, progress)}
    if database_url:
        results["postgresql"] = bench_postgres(database_url, size, repeat, progress)
    print("load average (1, 5, 15 min) at the end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    return results
