"""The network's figures as the metrics page shows them: cells for the charts, the E–I index of
each partner area by its name, the quarterly trend, and for an anonymous visitor every count
of 1–4 organisations or ties hidden (`upland.small_cells`), with whatever would let a reader
work a hidden count out (a ratio over it, its complement in a total)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from upland.i18n import N_
from upland.network.graph import partner_codes
from upland.network.labels import LABELS
from upland.reference import queries as reference
from upland.small_cells import MIN_CELL, is_small, suppress

OUTSIDE_LABEL = N_("outside the partner areas")
TREND_COUNTS = (
    "members",
    "active_members",
    "ties",
    "components",
    "isolates",
    "cross_sector_ties",
    "science_business_ties",
    "firms_with_science_partners",
)


@dataclass(frozen=True)
class Cell:
    """One figure of a chart (the shape `home/_charts.html` draws): `count` None when hidden;
    `label` a msgid unless `proper` (a place's name)."""

    key: str
    label: str
    count: int | None
    proper: bool = False
    approximate: bool = False
    includes: tuple[str, ...] = ()


@dataclass(frozen=True)
class AreaMixing:
    label: str
    proper: bool
    ei: float | None  # None: no tie, or hidden
    ties: int | None


@dataclass(frozen=True)
class Page:
    """What the metrics page shows; `hidden` whether small cells were suppressed."""

    day: str
    hidden: bool
    numbers: dict[str, Any]
    ties_by_type: list[Cell]
    areas: list[AreaMixing]
    sector_pairs: list[dict[str, Any]]
    roles: list[Cell]
    brokers: list[dict[str, Any]]
    pivots: int | None
    trend: list[dict[str, Any]]


def _small(n: int | None, hide: bool) -> int | None:
    return None if n is None or (hide and is_small(n)) else n


def place_names(session: Session) -> dict[str, str]:
    names = {}
    for code in partner_codes():
        found = reference.get_municipality(session, code)
        names[code] = found.name if found else code
    return names


def _numbers(f: dict[str, Any], hide: bool) -> dict[str, Any]:
    counts, parts, cities = f["counts"], f["components"], f["cities"]
    members = _small(counts["members"], hide)
    active, isolates = counts["active_members"], parts["isolates"]
    if hide and (active is None or isolates is None):  # hidden already (public_figures)
        if members is not None:  # the other one is its complement in the members shown
            active = isolates = None
    elif hide:
        active, isolates = suppress([active, isolates], total_known=members is not None)
    ties = _small(counts["ties"], hide)
    cross = _small(cities["cross_city_ties"], hide)
    sectors, science = f["sectors"], f["science"]
    cross_sector = _small(sectors["cross_sector_ties"], hide)
    return {
        "members": members,
        "active_members": active,
        "organisations": _small(counts["organisations"], hide),
        "ties": ties,
        "density": counts["density"] if ties is not None else None,
        "components": _small(parts["count"], hide),
        "largest": _small(parts["largest"], hide),
        "isolates": isolates,
        "cross_city_ties": cross,
        "cross_city_share": cities["cross_city_share"] if cross is not None else None,
        "ei_overall": cities["ei_overall"] if cross is not None else None,
        "cross_sector_ties": cross_sector,
        "cross_sector_share": sectors["cross_sector_share"] if cross_sector is not None else None,
        "science_ties": _small(science["ties"], hide),
        "science_firms": _small(science["firms_with_science_partners"], hide),
        "communities": _small(f["communities"]["count"], hide),
        "modularity": f["communities"]["modularity"],
    }


def _areas(f: dict[str, Any], names: dict[str, str], hide: bool) -> list[AreaMixing]:
    cities = f["cities"]
    per_area = cities.get("ties_by_area", {})
    shown = []
    for code, ei in cities["ei_index"].items():
        ties = per_area.get(code)
        if hide:
            ties = None if ties is None or ties < MIN_CELL else ties
        proper = code in names
        shown.append(
            AreaMixing(
                names.get(code, OUTSIDE_LABEL),
                proper,
                ei if ties is not None or not hide else None,
                ties,
            )
        )
    return shown


def _trend(points: list[dict[str, Any]], hide: bool) -> list[dict[str, Any]]:
    shown = []
    for p in points:
        point = {**p, **{k: _small(p[k], hide) for k in TREND_COUNTS}}
        if point["ties"] is None:
            point["density"] = None
        if hide and p["cross_city_share"] is not None:
            crossing = round(p["cross_city_share"] * p["ties"])
            if is_small(crossing) or point["ties"] is None:
                point["cross_city_share"] = None
        shown.append(point)
    return shown


def page(session: Session, figures: dict[str, Any], hide: bool) -> Page:
    """The metrics page of `figures` (as `snapshots.figures_for` gives them); `hide` for a
    reader who may not see the ties behind them (an anonymous visitor)."""
    types = LABELS["relation_type"]
    by_type = figures["counts"]["ties_by_type"]
    roles = LABELS["brokerage_role"]
    pairs = [
        {"sectors": p["sectors"], "ties": p["ties"], "weight": p["weight"]}
        for p in figures["sectors"]["strongest"]
        if not (hide and p["ties"] < MIN_CELL)
    ]
    return Page(
        day=figures["window"]["end"] or "",
        hidden=hide,
        numbers=_numbers(figures, hide),
        ties_by_type=[
            Cell(t, types.get(t, t), _small(n, hide)) for t, n in sorted(by_type.items())
        ],
        areas=_areas(figures, place_names(session), hide),
        sector_pairs=pairs,
        roles=[
            Cell(r, roles[r], _small(figures["brokerage_totals"].get(r, 0), hide)) for r in roles
        ],
        brokers=[] if hide else figures["brokers"],
        pivots=figures.get("betweenness_pivots"),
        trend=_trend(figures["trend"], hide),
    )
