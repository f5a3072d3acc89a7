"""`upland bench import`: bulk import of organisations against a raw driver baseline.

The benchmark writes N valid organisation rows (fixed seed, default 100,000) to a CSV file,
then measures, on fresh migrated databases with the reference data seeded:

- **upland import**: the real path, `import_file(...)` in one transaction including the
  commit (all-or-nothing: the file is read, checked and written once, inside a savepoint);
- **baseline**: the same rows, already parsed, with their derived columns and the same child
  rows (PKD codes, headquarters site, contact person, capabilities) and precomputed ids,
  written in one transaction by the driver alone: `sqlite3` `executemany`, or psycopg
  `COPY ... FROM STDIN` on PostgreSQL. The tuples are built before the clock starts.

Same schema, indexes and search triggers on both sides. The SQLite import runs in a child
process (multiprocessing, spawn) that also reports its peak resident memory; `--rows
1000000` gives the figure for a million rows. Figures go to docs/performance.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import multiprocessing
import os
import random
import resource
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, make_url, text
from sqlalchemy.orm import Session

from upland import migrate
from upland.accounts.actor import SYSTEM
from upland.db import make_engine
from upland.organisations import facets
from upland.organisations.imports import ImportReport, import_file
from upland.organisations.imports.format import COLUMNS, PROFILE_COLUMNS
from upland.organisations.vocab import size_class_for
from upland.reference.service import seed_reference
from upland.settings import DEFAULT_PARTNERS

try:  # the import's faster fold (same result as upland.text.fold), if it still has one
    from upland.organisations.imports.folding import fast_fold as _fold
except ImportError:  # pragma: no cover
    from upland.text import fold as _fold

SEED = 20_250_611
DEFAULT_ROWS = 100_000
TARGET_RATE = 50_000  # validated rows per second
TARGET_RATIO = 0.25  # of the raw driver baseline
BASELINE_BATCH = 100_000  # baseline tuples are built (untimed) this many rows at a time

# Columns of the generated CSV: every column of docs/import-format.md.
CSV_COLUMNS = COLUMNS
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

# --- shipped reference data the rows are drawn from ---------------------------------------


@dataclass(frozen=True)
class Reference:
    municipalities: tuple[tuple[str, str], ...]  # (teryt, name)
    pkd_manufacturing: tuple[tuple[str, str], ...]  # (code, section) of PKD 2025 subclasses
    pkd_other: tuple[tuple[str, str], ...]
    capabilities: tuple[str, ...]  # slugs
    capability_labels: dict[str, str]  # slug -> "name_pl name_en" (as in the search text)


def _shipped(package: str, name: str) -> list[dict[str, str]]:
    with resources.files(package).joinpath(name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def reference() -> Reference:
    pkd = [
        (r["code"], r["section"])
        for r in _shipped("upland.data.pkd", "pkd2025.csv")
        if r["level"] == "5"
    ]
    capabilities = _shipped("upland.data", "capabilities.csv")
    return Reference(
        municipalities=tuple(
            (r["teryt"], r["name"]) for r in _shipped("upland.data", "municipalities.csv")
        ),
        pkd_manufacturing=tuple(p for p in pkd if p[1] == "C"),
        pkd_other=tuple(p for p in pkd if p[1] != "C"),
        capabilities=tuple(r["slug"] for r in capabilities),
        capability_labels={r["slug"]: f"{r['name_pl']} {r['name_en']}" for r in capabilities},
    )


# --- generated rows -------------------------------------------------------------------------

_PREFIXES = {
    "company": (
        "Przedsiębiorstwo Produkcyjno-Handlowe",
        "Zakład Mechaniki Precyzyjnej",
        "Fabryka Części Samochodowych",
        "Odlewnia Żeliwa i Metali Nieżelaznych",
        "Kuźnia Matrycowa",
        "Narzędziownia",
        "Zakłady Metalowe",
        "Przedsiębiorstwo Usługowo-Produkcyjne",
        "Zakład Obróbki Skrawaniem",
        "Wytwórnia Elementów Złącznych",
        "Zakład Tworzyw Sztucznych",
        "Spółdzielnia Pracy Ślusarsko-Mechaniczna",
    ),
    "research": (
        "Instytut Technologii Eksploatacji",
        "Centrum Badawczo-Rozwojowe",
        "Laboratorium Badań Materiałowych",
        "Instytut Mechaniki Stosowanej",
    ),
    "local_government": ("Gmina", "Urząd Miasta", "Starostwo Powiatowe w"),
    "business_support": (
        "Fundacja Rozwoju Przedsiębiorczości",
        "Park Naukowo-Technologiczny",
        "Agencja Rozwoju Regionalnego",
        "Izba Przemysłowo-Handlowa",
    ),
    "school": ("Zespół Szkół Technicznych", "Technikum Mechaniczne", "Branżowa Szkoła I Stopnia"),
    "coordinator": ("Stowarzyszenie Klaster Motoryzacyjny", "Klaster Przemysłowy"),
}
_KINDS = (
    ("company", 850),
    ("research", 40),
    ("local_government", 30),
    ("business_support", 30),
    ("school", 40),
    ("coordinator", 10),
)
# Polish spellings of the kinds that the import accepts (a tenth of the rows use them).
_KIND_CELLS = {
    "company": ("firma", "przedsiębiorstwo"),
    "research": ("jednostka naukowa", "uczelnia", "instytut"),
    "local_government": ("JST", "samorząd"),
    "business_support": ("IOB", "instytucja otoczenia biznesu"),
    "school": ("szkoła", "technikum"),
    "coordinator": ("koordynator",),
}
_CORES = (
    "Łukowski",
    "Wiśniewski i Syn",
    "Żuraw",
    "Śliwiński",
    "Kowalczyk",
    "Mazur",
    "Dąbrowski",
    "Zięba",
    "Gołąb",
    "Krzemień",
    "Stalbud",
    "Metalplast",
    "Hydromech",
    "Wtryskpol",
    "Odlewtech",
    "Precyzja",
    "Złotnicki",
    "Bełżyce-Metal",
    "Świdmet",
    "Kraśnik-Łożyska",
    "Pionki-Chem",
    "Wąchock-Kuźnia",
    "Żelmet",
    "Ćwikła",
    "Jędrzejczyk",
    "Polmozbyt",
    "Radmot",
    "Starmech",
    "Agromasz",
    "Hutmen",
)
_SUFFIXES = ("sp. z o.o.", "sp. z o.o.", "S.A.", "sp.j.", "sp.k.", "s.c.", "")
_PROCESSES = (
    "obróbce skrawaniem na centrach CNC",
    "spawaniu zrobotyzowanym MIG/MAG i TIG",
    "odlewaniu ciśnieniowym stopów aluminium",
    "wtrysku tworzyw sztucznych i montażu podzespołów",
    "obróbce cieplnej i cieplno-chemicznej stali",
    "cięciu laserowym i gięciu blach",
    "kuciu matrycowym odkuwek stalowych",
    "malowaniu proszkowym i kataforetycznym",
)
_BRANCHES = (
    "motoryzacyjnej",
    "lotniczej",
    "maszyn rolniczych",
    "kolejowej",
    "obronnej",
    "AGD",
    "energetycznej",
)
_SENTENCES = (
    "Specjalizujemy się w {process} dla branży {branch}.",
    "Firma rodzinna działająca od {year} roku, zatrudniająca wykwalifikowaną kadrę.",
    "Posiadamy park maszynowy obejmujący tokarki, frezarki i szlifierki sterowane numerycznie.",
    "Realizujemy zlecenia krótkoseryjne i wielkoseryjne, również na eksport do Niemiec i Czech.",
    "Dostarczamy komponenty dla producentów pojazdów użytkowych, ciągników i maszyn rolniczych.",
    "Współpracujemy z uczelniami regionu przy badaniach, prototypach i wdrożeniach.",
    "Kontrola jakości obejmuje pomiary na maszynie współrzędnościowej i badania nieniszczące.",
    "Oferujemy doradztwo technologiczne, przygotowanie dokumentacji i próby materiałowe.",
)
_SENTENCES_EN = (
    "We specialise in precision machining and welded assemblies for the {branch} industry.",
    "Family-owned manufacturer founded in {year}, supplying tier-1 automotive customers.",
    "Short and long production runs, exports to Germany, Czechia and Scandinavia.",
    "Our quality system covers CMM measurements and non-destructive testing.",
)
_CAPACITY = (
    "Wolne moce: {n} zmiany na centrach obróbczych od przyszłego kwartału.",
    "Dostępna prasa krawędziowa i wycinarka laserowa, około {n}0 godzin tygodniowo.",
    "Możliwość uruchomienia trzeciej zmiany dla zleceń powyżej {n} tys. sztuk.",
)
_STREETS = (
    "Mełgiewska",
    "Fabryczna",
    "Przemysłowa",
    "Zemborzycka",
    "Wrońska",
    "Lubelska",
    "Kraśnicka",
    "Hutnicza",
    "Żelazna",
    "Świętokrzyska",
    "Aleja Tadeusza Kościuszki",
    "Spółdzielcza",
    "Inżynierska",
    "Łęczyńska",
)
_FIRST = (
    "Anna",
    "Piotr",
    "Małgorzata",
    "Łukasz",
    "Katarzyna",
    "Paweł",
    "Agnieszka",
    "Michał",
    "Elżbieta",
    "Grzegorz",
    "Żaneta",
    "Józef",
    "Bożena",
    "Jarosław",
)
_LAST = (
    "Nowak",
    "Wójcik",
    "Kamińska",
    "Lewandowski",
    "Zieliński",
    "Szymańska",
    "Woźniak",
    "Dąbrowski",
    "Kozłowski",
    "Jankowska",
    "Kwiatkowski",
    "Pawłowski",
    "Król",
    "Wróbel",
    "Zając",
    "Świątek",
    "Głowacka",
)
_TIERS = (
    ("oem", "oem"),
    ("tier1", "tier1"),
    ("Tier 1", "tier1"),
    ("tier2", "tier2"),
    ("Tier 2", "tier2"),
    ("tier3", "tier3"),
    ("aftermarket", "aftermarket"),
    ("other", "other"),
)
_NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
_REGON9_WEIGHTS = (8, 9, 2, 3, 4, 5, 6, 7)
_REGON14_WEIGHTS = (2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8)
# Bijections of the counters onto 9- and 8-digit numbers, so identifiers never repeat and
# do not look sequential (multipliers coprime with 900,000,000 and 90,000,000).
_NIP_MULTIPLIER, _NIP_OFFSET = 7_654_321, 123_456_789
_REGON_MULTIPLIER, _REGON_OFFSET = 7_777_777, 31_415_926


@cache
def _ascii(word: str) -> str:
    return "".join(_fold(word).split())


@dataclass(slots=True)
class BenchRow:
    """One generated organisation: its CSV cells and what the import should store."""

    cells: list[str]
    profile: dict[str, Any]  # the PROFILE columns, parsed, defaults filled in
    teryt: str
    city: str
    pkd: list[tuple[str, str]]  # (code, section), the first is primary
    capabilities: list[str]  # slugs
    address: tuple[str, str, str]  # street, postal code, locality
    contact: tuple[str, str | None, str | None] | None  # full name, e-mail, phone


def generate(rows: int, seed: int = SEED) -> Iterator[BenchRow]:
    """The same `rows` valid organisations for a given seed, one at a time."""
    ref = reference()
    rng = random.Random(seed)
    chance = rng.random

    def pick(options: Sequence[Any]) -> Any:
        return options[int(chance() * len(options))]

    def between(low: int, high: int) -> int:
        return low + int(chance() * (high - low + 1))

    kinds = [k for k, _ in _KINDS]
    kind_weights = [w for _, w in _KINDS]
    nip_counter = 0
    for index in range(rows):
        kind = rng.choices(kinds, kind_weights)[0]
        kind_cell = pick(_KIND_CELLS[kind]) if chance() < 0.1 else kind
        teryt, city = pick(ref.municipalities)
        core = pick(_CORES)
        prefix = pick(_PREFIXES[kind])
        if kind == "company":
            legal_name = f"{prefix} „{core}” {pick(_SUFFIXES)}".strip()
        elif kind in ("local_government", "school"):
            legal_name = (
                f"{prefix} {city}"
                if kind == "local_government"
                else f"{prefix} nr {index % 9 + 1} w {city}"
            )
        else:
            legal_name = f"{prefix} {core}"
        short_name = core if chance() < 0.5 else ""

        nip = regon = None
        nip_cell = regon_cell = ""
        if chance() < 0.97:
            while True:
                base = 100_000_000 + (_NIP_MULTIPLIER * nip_counter + _NIP_OFFSET) % 900_000_000
                nip_counter += 1
                digits = str(base)
                check = sum(w * int(d) for w, d in zip(_NIP_WEIGHTS, digits, strict=True)) % 11
                if check != 10:
                    break
            nip = digits + str(check)
            nip_cell = f"{nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}" if chance() < 0.05 else nip
        if nip is None or chance() < 0.7:
            base8 = str(10_000_000 + (_REGON_MULTIPLIER * index + _REGON_OFFSET) % 90_000_000)
            check = sum(w * int(d) for w, d in zip(_REGON9_WEIGHTS, base8, strict=True)) % 11 % 10
            regon = base8 + str(check)
            if chance() < 0.03:
                local = regon + f"{between(1, 9999):04d}"
                weighted = zip(_REGON14_WEIGHTS, local, strict=True)
                regon = local + str(sum(w * int(d) for w, d in weighted) % 11 % 10)
            regon_cell = regon
        krs = f"{between(1, 999_999):010d}" if kind == "company" and chance() < 0.4 else None
        slug = _ascii(core)
        website = website_cell = None
        if chance() < 0.6:
            website_cell = f"www.{slug}.pl" if chance() < 0.7 else f"https://{slug}.com.pl"
            # Stored as the service stores an address: scheme, host and a trailing slash.
            website = f"https://{website_cell.removeprefix('https://')}/"
        year = between(1950, 2024)
        branch = pick(_BRANCHES)
        sentences = rng.sample(_SENTENCES, between(2, 4))
        description_pl = (
            ("\n" if chance() < 0.1 else " ")
            .join(sentences)
            .format(process=pick(_PROCESSES), branch=branch, year=year)
        )
        description_en = (
            " ".join(rng.sample(_SENTENCES_EN, 2)).format(branch=branch, year=year)
            if chance() < 0.4
            else ""
        )
        capacity_notes = pick(_CAPACITY).format(n=between(1, 9)) if chance() < 0.25 else ""
        founded_year = year if chance() < 0.8 else None
        employees = employees_cell = None
        if chance() < 0.9:
            employees = int(10 ** rng.uniform(0, 3.7))
            employees_cell = (
                f"{employees // 1000} {employees % 1000:03d}"
                if employees >= 1000 and chance() < 0.3
                else str(employees)
            )
        tier_cell, tier = pick(_TIERS) if kind == "company" and chance() < 0.6 else ("", None)
        membership, since, since_cell = "none", None, ""
        roll = chance()
        if roll < 0.3:
            membership = "member"
            membership_cell = "członek" if chance() < 0.2 else "member"
            since = dt.date(between(2010, 2024), between(1, 12), between(1, 28))
            since_cell = since.strftime("%d.%m.%Y") if chance() < 0.2 else since.isoformat()
        elif roll < 0.35:
            membership, membership_cell = "applicant", "kandydat"
        else:
            membership_cell = "brak" if chance() < 0.1 else ""
        roll = chance()
        visibility, visibility_cell = (
            ("members", "members")
            if roll < 0.1
            else ("public", "publiczny")
            if roll < 0.15
            else ("public", "")
        )
        pkd: list[tuple[str, str]] = []
        for _ in range(between(1, 3)):
            code = pick(ref.pkd_manufacturing if chance() < 0.75 else ref.pkd_other)
            if code not in pkd:
                pkd.append(code)
        pkd_cell = "; ".join(c.replace(".", "") if chance() < 0.1 else c for c, _ in pkd)
        roll = chance()
        teryt_cell = teryt if roll < 0.6 else city if roll < 0.9 else city.lower()
        street = f"ul. {pick(_STREETS)} {between(1, 250)}"
        if chance() < 0.2:
            street += f"/{between(1, 40)}"
        postal = f"{between(20, 27)}-{between(0, 999):03d}"
        postal_cell = postal.replace("-", "") if chance() < 0.1 else postal
        capabilities = rng.sample(ref.capabilities, between(1, 5)) if chance() < 0.7 else []
        contact = None
        contact_cells = ("", "", "")
        if chance() < 0.8:
            first, last = pick(_FIRST), pick(_LAST)
            name = f"{first} {last}"
            email = f"{_ascii(first)[0]}.{_ascii(last)}@{slug}.pl" if chance() < 0.85 else None
            phone = (
                f"+48 {between(12, 89)} {between(100, 999)} {between(10, 99)} {between(10, 99)}"
                if chance() < 0.7
                else None
            )
            contact = (name, email, phone)
            contact_cells = (name, email or "", phone or "")
        profile = {
            "kind": kind,
            "legal_name": legal_name,
            "short_name": short_name or legal_name[:120],
            "nip": nip,
            "regon": regon,
            "krs": krs,
            "website": website,
            "description_pl": description_pl,
            "description_en": description_en,
            "capacity_notes": capacity_notes,
            "founded_year": founded_year,
            "employees": employees,
            "supply_tier": tier,
            "membership_status": membership,
            "member_since": since,
            "visibility": visibility,
        }
        cells = [
            kind_cell,
            legal_name,
            short_name,
            nip_cell,
            regon_cell,
            krs or "",
            website_cell or "",
            description_pl,
            description_en,
            capacity_notes,
            str(founded_year) if founded_year else "",
            employees_cell or "",
            tier_cell,
            membership_cell,
            since_cell,
            visibility_cell,
            pkd_cell,
            teryt_cell,
            street,
            postal_cell,
            city,
            "; ".join(capabilities),
            *contact_cells,
        ]
        yield BenchRow(
            cells, profile, teryt, city, pkd, capabilities, (street, postal, city), contact
        )


def write_csv(
    path: Path, rows: int, seed: int = SEED, progress: Callable[[int], None] | None = None
) -> int:
    """Stream `rows` generated organisations to a UTF-8 CSV (with BOM, as Excel saves it)."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for written, row in enumerate(generate(rows, seed), start=1):
            writer.writerow(row.cells)
            if progress is not None and written % 5000 == 0:
                progress(written)
    if progress is not None:
        progress(rows)
    return path.stat().st_size


# --- the baseline's rows ---------------------------------------------------------------


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
        size = size_class_for(profile["employees"])
        member_since = profile["member_since"]
        # As organisations.search.build_search_text: each non-empty part folded, then joined.
        parts = (
            profile["legal_name"],
            profile["short_name"],
            profile["nip"],
            profile["regon"],
            row.city,
            profile["description_pl"],
            profile["description_en"],
            profile["capacity_notes"],
            *(labels[slug] for slug in row.capabilities),
        )
        search_text = " ".join(_fold(part) for part in parts if part)
        columns = {**profile, "size_class": size.value if size is not None else None}
        term_ids = [terms[slug][0] for slug in row.capabilities]
        pkd_pairs = [(section, code) for code, section in row.pkd]
        row_facets = facets.build(columns, (row.teryt,), pkd_pairs, term_ids)
        tables = batch.tables
        tables["organisation"].append(
            (
                org_id,
                *(profile[name] for name in PROFILE[:14]),
                member_since.isoformat() if member_since is not None else None,
                profile["visibility"],
                _fold(profile["short_name"])[:120],
                size.value if size is not None else None,
                row.teryt,
                search_text,
                now,
                now,
                row_facets,
            )
        )
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


# --- databases -----------------------------------------------------------------------------


def prepare_database(url: str) -> Engine:
    """An engine on a migrated database with the shipped reference data."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    with Session(engine) as session, session.begin():
        seed_reference(session, SYSTEM, DEFAULT_PARTNERS)
    return engine


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
class ImportRun:
    rows: int
    seconds: float
    report: ImportReport
    cpu_seconds: float = 0.0  # of this process (on SQLite that is all the work)


def run_import(
    engine: Engine,
    csv_path: Path,
    progress: Callable[[int], None] | None = None,
    *,
    dry_run: bool = False,
) -> ImportRun:
    """The timed project path: `import_file` in one transaction, commit included.

    A dry run reads, checks and matches every row once and writes nothing: the rate at
    which rows are validated.
    """
    with Session(engine) as session:
        cpu = time.process_time()
        started = time.perf_counter()
        with session.begin():
            report = import_file(
                session,
                SYSTEM,
                csv_path,
                filename=csv_path.name,
                dry_run=dry_run,
                progress=progress,
            )
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
    return ImportRun(report.rows_total, seconds, report, cpu)


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


@contextmanager
def scratch_postgres(url: str, name: str) -> Iterator[str]:
    """Create database `name` on the server of `url` (via its maintenance DB); drop it after."""
    server = make_url(url)
    maintenance = make_engine(
        server.set(database="postgres").render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
    )
    try:
        with maintenance.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            with maintenance.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        maintenance.dispose()


# --- the import in a child process (peak memory) -------------------------------------------


def _peak_rss_kib() -> int:
    """This process's peak resident set size in KiB (VmHWM on Linux).

    Not `ru_maxrss`: Linux carries the high-water mark of the memory a process had before
    `exec` into it, so a spawned child's `ru_maxrss` (and the parent's `RUSAGE_CHILDREN`)
    starts at the parent's RSS at fork time.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def _child_import(csv_path: str, db_url: str, rows: int, quiet: bool, conn: Any) -> None:
    """Runs in a spawned process: prepare the database, then time the import."""
    try:
        engine = prepare_database(db_url)
        before = _peak_rss_kib()
        with _progress(quiet, "sqlite  upland import", rows, passes=2) as advance:
            run = run_import(engine, Path(csv_path), advance)
        engine.dispose()
        report = run.report
        conn.send(
            {
                "rows": run.rows,
                "seconds": run.seconds,
                "cpu_seconds": run.cpu_seconds,
                "created": report.created,
                "errors": report.error_count,
                "summary": report.summary,
                "peak_before_kib": before,
                "peak_kib": _peak_rss_kib(),
            }
        )
    except BaseException as exc:
        conn.send({"error": f"{type(exc).__name__}: {exc}"})
        raise
    finally:
        conn.close()


def import_in_child(csv_path: Path, db_path: Path, rows: int, quiet: bool) -> dict[str, Any]:
    """The SQLite import in a fresh process; its time, counts and peak RSS (KiB).

    The child measures its own peak RSS (`_peak_rss_kib`) before the import (interpreter,
    migrations, reference data) and at the end.
    """
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(
        target=_child_import,
        args=(str(csv_path), f"sqlite:///{db_path}", rows, quiet, send),
        name="upland-bench-import",
    )
    process.start()
    send.close()
    try:
        result = receive.recv()
    except EOFError:
        result = {"error": "the import process ended without a result"}
    process.join()
    if "error" in result:
        raise RuntimeError(f"import in the child process failed: {result['error']}")
    return result


# --- output --------------------------------------------------------------------------------


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def figure_line(
    backend: str, label: str, rows: int, seconds: float, cpu_seconds: float | None = None
) -> str:
    """`sqlite  upland import   100000 rows    1.82 s     54 945 rows/s  (cpu 1.75 s)`."""
    rate = rows / seconds if seconds > 0 else float("inf")
    line = f"{backend:<7} {label:<17} {rows:>7} rows  {seconds:6.2f} s  {_number(rate):>9} rows/s"
    return line if cpu_seconds is None else f"{line}  (cpu {cpu_seconds:.2f} s)"


def ratio_line(
    backend: str,
    project: float,
    baseline: float,
    cpu_ratio: float | None = None,
    name: str = "upland/baseline",
) -> str:
    """Ratio of the rates (rows/s); on SQLite also of the CPU times, steadier on a busy box."""
    line = f"{backend:<7} ratio {name}  {project / baseline:.2f}"
    return line if cpu_ratio is None else f"{line}  (cpu {cpu_ratio:.2f})"


def memory_line(rows: int, peak_kib: int, before_kib: int) -> str:
    return (
        f"{'sqlite':<7} {'import peak RSS':<17} {rows:>7} rows  {peak_kib / 1024:6.0f} MiB  "
        f"({before_kib / 1024:.0f} MiB before the import)"
    )


def target_line(backend: str, rate: float, ratio: float, dry_run_rate: float | None = None) -> str:
    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    rates = f"import {verdict(rate >= TARGET_RATE)}"
    if dry_run_rate is not None:
        rates += f", dry run {verdict(dry_run_rate >= TARGET_RATE)}"
    return (
        f"{backend:<7} targets           ≥ {_number(TARGET_RATE)} rows/s: {rates}; "
        f"≥ {TARGET_RATIO:.2f} of baseline: {verdict(ratio >= TARGET_RATIO)}"
    )


def _emit(line: str) -> None:
    print(line, flush=True)


@contextmanager
def _progress(
    quiet: bool, description: str, total: int, passes: int = 1
) -> Iterator[Callable[[int], None] | None]:
    """A transient rich bar; the callback takes rows done (restarting at 0 on a new pass)."""
    if quiet:
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=total * passes)
        state = {"offset": 0, "last": 0}

        def advance(done: int) -> None:
            if done < state["last"]:
                state["offset"] += state["last"]
            state["last"] = done
            bar.update(task, completed=state["offset"] + done)

        yield advance


# --- the benchmark -------------------------------------------------------------------------


def _check_import(rows: int, created: int, errors: int, summary: str) -> None:
    if errors or created != rows:
        raise RuntimeError(f"the generated rows did not all import: {summary}")


def _check_baseline(rows: int, run: BaselineRun) -> None:
    if run.rows != rows:
        raise RuntimeError(f"the baseline wrote {run.rows} organisations, not {rows}")


def bench_sqlite(
    workdir: Path, csv_path: Path, rows: int, quiet: bool, *, seed: int = SEED
) -> dict[str, Any]:
    """SQLite: the import (in a child process, with its peak RSS), then the two baselines.

    `baseline sqlite3` is the driver's `executemany` (the baseline the targets refer to);
    `baseline multirow` the same rows in multi-row INSERT statements, the fastest plain
    sqlite3 path on this schema (see `sqlite_baseline`).
    """
    result = import_in_child(csv_path, workdir / "import.db", rows, quiet)
    _check_import(rows, result["created"], result["errors"], result["summary"])
    _emit(figure_line("sqlite", "upland import", rows, result["seconds"], result["cpu_seconds"]))
    project_rate = rows / result["seconds"]
    figures: dict[str, Any] = {
        "import_seconds": result["seconds"],
        "import_cpu_seconds": result["cpu_seconds"],
        "peak_kib": result["peak_kib"],
    }
    ratios: dict[str, float] = {}
    for multirow, label, key in (
        (False, "baseline sqlite3", "baseline"),
        (True, "baseline multirow", "multirow"),
    ):
        path = workdir / f"{key}.db"
        engine = prepare_database(f"sqlite:///{path}")
        terms = capability_terms(engine)
        engine.dispose()
        with _progress(quiet, f"sqlite  {label}", rows) as advance:
            baseline = sqlite_baseline(
                path, rows, terms, multirow=multirow, seed=seed, progress=advance
            )
        _check_baseline(rows, baseline)
        _emit(figure_line("sqlite", label, rows, baseline.seconds, baseline.cpu_seconds))
        ratios[key] = project_rate / (rows / baseline.seconds)
        cpu_ratio = baseline.cpu_seconds / result["cpu_seconds"] if result["cpu_seconds"] else None
        name = "upland/baseline" if key == "baseline" else "upland/multirow"
        _emit(ratio_line("sqlite", project_rate, rows / baseline.seconds, cpu_ratio, name))
        figures[f"{key}_seconds"] = baseline.seconds
        figures[f"{key}_cpu_seconds"] = baseline.cpu_seconds
        path.unlink()
    _emit(memory_line(rows, result["peak_kib"], result["peak_before_kib"]))
    path = workdir / "dry-run.db"
    engine = prepare_database(f"sqlite:///{path}")
    try:
        with _progress(quiet, "sqlite  upland dry run", rows) as advance:
            dry = run_import(engine, csv_path, advance, dry_run=True)
    finally:
        engine.dispose()
    path.unlink()
    _check_import(rows, dry.report.created, dry.report.error_count, dry.report.summary)
    _emit(figure_line("sqlite", "upland dry run", rows, dry.seconds, dry.cpu_seconds))
    figures["dry_run_seconds"] = dry.seconds
    _emit(target_line("sqlite", project_rate, ratios["baseline"], rows / dry.seconds))
    return figures


def bench_postgres(
    database_url: str, csv_path: Path, rows: int, quiet: bool, *, seed: int = SEED
) -> dict[str, Any]:
    """PostgreSQL: the import and the COPY baseline, each in its own scratch database."""
    suffix = f"{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with scratch_postgres(database_url, f"upland_bench_import_{suffix}") as url:
        engine = prepare_database(url)
        try:
            with _progress(quiet, "pg      upland import", rows, passes=2) as advance:
                run = run_import(engine, csv_path, advance)
        finally:
            engine.dispose()
    report = run.report
    _check_import(rows, report.created, report.error_count, report.summary)
    _emit(figure_line("pg", "upland import", rows, run.seconds))
    with scratch_postgres(database_url, f"upland_bench_copy_{suffix}") as url:
        engine = prepare_database(url)
        terms = capability_terms(engine)
        engine.dispose()
        with _progress(quiet, "pg      baseline COPY", rows) as advance:
            baseline = postgres_baseline(url, rows, terms, seed=seed, progress=advance)
    _check_baseline(rows, baseline)
    _emit(figure_line("pg", "baseline COPY", rows, baseline.seconds))
    project_rate = rows / run.seconds
    baseline_rate = rows / baseline.seconds
    _emit(ratio_line("pg", project_rate, baseline_rate))
    _emit(target_line("pg", project_rate, project_rate / baseline_rate))
    return {"import_seconds": run.seconds, "baseline_seconds": baseline.seconds}


def generate_csv(path: Path, rows: int, quiet: bool, seed: int = SEED) -> None:
    with _progress(quiet, "csv     generate", rows) as advance:
        started = time.perf_counter()
        size = write_csv(path, rows, seed, advance)
        seconds = time.perf_counter() - started
    _emit(f"{figure_line('csv', 'generate', rows, seconds)}  ({size / 1e6:.1f} MB)")


def main(
    rows: int | None,
    database_url: str | None,
    quiet: bool,
    memory_rows: int | None = None,
) -> None:
    """Run the import benchmark; prints one line per figure and the ratios."""
    rows = rows or DEFAULT_ROWS
    if rows < 1:
        raise ValueError("rows must be at least 1")
    with tempfile.TemporaryDirectory(prefix="upland-bench-import-") as tmp:
        workdir = Path(tmp)
        csv_path = workdir / "organisations.csv"
        generate_csv(csv_path, rows, quiet)
        bench_sqlite(workdir, csv_path, rows, quiet)
        if database_url:
            bench_postgres(database_url, csv_path, rows, quiet)
        if memory_rows and memory_rows != rows:
            big = workdir / "memory"
            big.mkdir()
            big_csv = big / "organisations.csv"
            csv_path.unlink()
            generate_csv(big_csv, memory_rows, quiet)
            result = import_in_child(big_csv, big / "import.db", memory_rows, quiet)
            _check_import(memory_rows, result["created"], result["errors"], result["summary"])
            _emit(
                figure_line(
                    "sqlite", "upland import", memory_rows, result["seconds"], result["cpu_seconds"]
                )
            )
            _emit(memory_line(memory_rows, result["peak_kib"], result["peak_before_kib"]))
