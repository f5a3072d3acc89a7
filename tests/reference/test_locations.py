"""Every municipality has a position, and positions are where the seats are."""

from __future__ import annotations

import csv
import statistics
from collections import defaultdict
from importlib import resources

import pytest

from upland.reference.locations import distance_km, location_of, locations
from upland.reference.locations_build import Place, Unit, build_table, locate

LUBLIN, RADOM, STARACHOWICE, KOZIENICE, WARSAW = (
    "0663011",
    "1463011",
    "2611011",
    "1407053",
    "1465011",
)


def _units() -> list[dict[str, str]]:
    text = (resources.files("upland.data") / "municipalities.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_every_shipped_unit_has_a_position_in_poland():
    units = _units()
    assert {u["teryt"] for u in units} == set(locations())
    for lat, lon in locations().values():
        assert 49.0 <= lat <= 54.9 and 14.1 <= lon <= 24.2


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        (LUBLIN, RADOM, 95, 105),
        (RADOM, STARACHOWICE, 38, 45),
        (RADOM, KOZIENICE, 30, 38),
        (WARSAW, RADOM, 90, 100),
    ],
)
def test_distances_between_known_towns(a, b, low, high):
    pa, pb = location_of(a), location_of(b)
    assert pa and pb
    assert low <= distance_km(pa, pb) <= high


def test_every_unit_lies_near_its_county():
    """A wrong seat (a namesake across the voivodeship) would lie far from its county."""
    by_county = defaultdict(list)
    for unit in _units():
        by_county[unit["county_teryt"]].append(locations()[unit["teryt"]])
    for unit in _units():
        points = by_county[unit["county_teryt"]]
        middle = (statistics.median(p[0] for p in points), statistics.median(p[1] for p in points))
        assert distance_km(middle, locations()[unit["teryt"]]) < 50, unit


def test_unknown_units_have_no_position():
    assert location_of("9999999") is None and location_of(None) is None


def _place(name: str, lat: float, lon: float, *others: str, population: int = 1000) -> Place:
    return Place((name, *others), "75", lat, lon, population)


def test_locate_prefers_own_names_nearest_namesakes_and_falls_back_to_the_county():
    units = [
        Unit("0601011", "Alfa", "0601", "06"),
        Unit("0601022", "Beta", "0601", "06"),
        Unit("0601032", "Gamma", "0601", "06"),  # namesake 300 km away: not this one
        Unit("0601042", "Delta", "0601", "06"),  # two places called Delta
        Unit("0601052", "Epsilon", "0601", "06"),  # known only by another name
        Unit("0601062", "Zeta", "0601", "06"),  # not listed at all
    ]
    places = [
        _place("Alfa", 51.0, 22.0),
        _place("Beta", 51.2, 22.2),
        _place("Gamma", 54.0, 18.0),
        _place("Delta", 51.1, 22.1, population=10),
        _place("Delta", 53.0, 23.5, population=50_000),
        _place("Ypsilon", 51.3, 22.3, "Epsilon"),
        _place("Alfa Dolna", 51.4, 22.4, "Beta"),  # an old name of Beta's: own name wins
    ]
    found = locate(units, places)
    assert found["0601011"] == (51.0, 22.0, "seat")
    assert found["0601022"] == (51.2, 22.2, "seat")
    assert found["0601032"][2] == "county"
    assert found["0601042"] == (51.1, 22.1, "seat-among-several")
    assert found["0601052"] == (51.3, 22.3, "seat")
    assert found["0601062"][2] == "county"
    assert build_table(units, places).splitlines()[0] == "teryt,latitude,longitude,source"


def test_a_unit_with_no_place_and_no_county_is_an_error():
    with pytest.raises(ValueError, match="0701011"):
        build_table([Unit("0701011", "Nowhere", "0701", "06")], [])
