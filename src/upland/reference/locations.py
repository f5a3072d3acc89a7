"""Where municipalities lie, and how far apart two places are.

Matching honours "up to 100 km from Radom" with the municipalities of the sites: each TERYT
unit has the position of its seat (or, for the few seats GeoNames does not list, the middle of
its county), shipped in ``data/municipality_locations.csv`` and rebuilt by
`upland.reference.locations_build`. Positions are a municipality's, not a street address's:
good to a few kilometres, which is what a distance limit of tens of kilometres needs.
"""

from __future__ import annotations

import csv
import io
import math
from functools import cache
from importlib import resources

__all__ = ["Point", "distance_km", "location_of", "locations"]

Point = tuple[float, float]  # (latitude, longitude) in degrees
EARTH_RADIUS_KM = 6371.0


@cache
def locations() -> dict[str, Point]:
    """Every shipped unit's position by TERYT code."""
    text = (resources.files("upland.data") / "municipality_locations.csv").read_text("utf-8")
    return {
        row["teryt"]: (float(row["latitude"]), float(row["longitude"]))
        for row in csv.DictReader(io.StringIO(text))
    }


def location_of(teryt: str | None) -> Point | None:
    """The position of a municipality (or of a part of one), None when unknown."""
    return locations().get(teryt) if teryt else None


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance between two points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
