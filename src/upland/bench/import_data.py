"""The import benchmark's data: valid organisation rows with a fixed seed, as CSV cells and
as what the import should store (for the baseline and the tests)."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from upland.bench import import_words as words
from upland.bench.harness import Identifiers
from upland.organisations.imports.folding import fast_fold
from upland.organisations.imports.format import COLUMNS

SEED = 20_250_611
# Columns of the generated CSV: every column of docs/import-format.md.
CSV_COLUMNS = COLUMNS


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


def _choosable_municipalities() -> tuple[tuple[str, str], ...]:
    """Municipalities a file may name by code or by bare name: no parts (TERYT kinds 4, 5, 8,
    9) and no name several municipalities share (those need a code or a qualifier)."""
    rows = [r for r in _shipped("upland.data", "municipalities.csv") if r["kind"] in "123"]
    names = Counter(r["name"] for r in rows)
    return tuple((r["teryt"], r["name"]) for r in rows if names[r["name"]] == 1)


@cache
def reference() -> Reference:
    pkd = [
        (r["code"], r["section"])
        for r in _shipped("upland.data.pkd", "pkd2025.csv")
        if r["level"] == "5"
    ]
    capabilities = _shipped("upland.data", "capabilities.csv")
    return Reference(
        municipalities=_choosable_municipalities(),
        pkd_manufacturing=tuple(p for p in pkd if p[1] == "C"),
        pkd_other=tuple(p for p in pkd if p[1] != "C"),
        capabilities=tuple(r["slug"] for r in capabilities),
        capability_labels={r["slug"]: f"{r['name_pl']} {r['name_en']}" for r in capabilities},
    )


@cache
def _ascii(word: str) -> str:
    return "".join(fast_fold(word).split())


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

    kinds = [k for k, _ in words.KINDS]
    kind_weights = [w for _, w in words.KINDS]
    identifiers = Identifiers()
    for index in range(rows):
        kind = rng.choices(kinds, kind_weights)[0]
        kind_cell = pick(words.KIND_CELLS[kind]) if chance() < 0.1 else kind
        teryt, city = pick(ref.municipalities)
        core = pick(words.CORES)
        prefix = pick(words.PREFIXES[kind])
        if kind == "company":
            legal_name = f"{prefix} „{core}” {pick(words.SUFFIXES)}".strip()
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
            nip = identifiers.nip()
            nip_cell = f"{nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}" if chance() < 0.05 else nip
        if nip is None or chance() < 0.7:
            local_unit = between(1, 9999) if chance() < 0.03 else None
            regon = regon_cell = identifiers.regon(index, local_unit)
        krs = f"{between(1, 999_999):010d}" if kind == "company" and chance() < 0.4 else None
        slug = _ascii(core)
        website = website_cell = None
        if chance() < 0.6:
            website_cell = f"www.{slug}.pl" if chance() < 0.7 else f"https://{slug}.com.pl"
            # Stored as the service stores an address: scheme, host and a trailing slash.
            website = f"https://{website_cell.removeprefix('https://')}/"
        year = between(1950, 2024)
        branch = pick(words.BRANCHES)
        sentences = rng.sample(words.SENTENCES, between(2, 4))
        description_pl = (
            ("\n" if chance() < 0.1 else " ")
            .join(sentences)
            .format(process=pick(words.PROCESSES), branch=branch, year=year)
        )
        description_en = (
            " ".join(rng.sample(words.SENTENCES_EN, 2)).format(branch=branch, year=year)
            if chance() < 0.4
            else ""
        )
        capacity_notes = pick(words.CAPACITY).format(n=between(1, 9)) if chance() < 0.25 else ""
        founded_year = year if chance() < 0.8 else None
        employees = employees_cell = None
        if chance() < 0.9:
            employees = int(10 ** rng.uniform(0, 3.7))
            employees_cell = (
                f"{employees // 1000} {employees % 1000:03d}"
                if employees >= 1000 and chance() < 0.3
                else str(employees)
            )
        tier_cell, tier = pick(words.TIERS) if kind == "company" and chance() < 0.6 else ("", None)
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
        street = f"ul. {pick(words.STREETS)} {between(1, 250)}"
        if chance() < 0.2:
            street += f"/{between(1, 40)}"
        postal = f"{between(20, 27)}-{between(0, 999):03d}"
        postal_cell = postal.replace("-", "") if chance() < 0.1 else postal
        capabilities = rng.sample(ref.capabilities, between(1, 5)) if chance() < 0.7 else []
        contact = None
        contact_cells = ("", "", "")
        if chance() < 0.8:
            first, last = pick(words.FIRST), pick(words.LAST)
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
