"""Network figures for a reader who cannot see the ties behind them (an anonymous visitor):
aggregates only, with every cell under `small_cells.MIN_CELL` organisations suppressed (None)
and no organisation named (DOMAIN.md, "Who sees what"). A count of organisations is small
under MIN_CELL; a count of ties under `small_cells.MIN_TIES` (fewer ties could all lie among
four organisations); a share or index built on a suppressed count goes with it, and a partner
area's E–I index when fewer than MIN_CELL of its organisations have a tie."""

from __future__ import annotations

import copy
from typing import Any

from upland.small_cells import is_small, is_small_ties

ORGANISATIONS = {
    "counts": ("members", "active_members", "organisations"),
    "components": ("largest", "isolates"),
    "science": ("firms_with_science_partners",),
}
TIES = {
    "counts": ("ties",),
    "cities": ("cross_city_ties",),
    "sectors": ("cross_sector_ties",),
    "science": ("ties",),
}
TREND_ORGANISATIONS = ("members", "active_members", "isolates", "firms_with_science_partners")
TREND_TIES = ("ties", "cross_sector_ties", "science_business_ties")


def _organisations(n: Any) -> Any:
    return None if isinstance(n, int) and is_small(n) else n


def _ties(n: Any) -> Any:
    return None if isinstance(n, int) and is_small_ties(n) else n


def _point(point: dict[str, Any]) -> dict[str, Any]:
    shown = dict(point)
    for key in TREND_ORGANISATIONS:
        shown[key] = _organisations(point.get(key))
    for key in TREND_TIES:
        shown[key] = _ties(point.get(key))
    if shown["ties"] is None or shown["active_members"] is None:
        shown["density"] = shown["cross_city_share"] = None
    return shown


def public_figures(figures: dict[str, Any], tied_by_area: dict[str, int]) -> dict[str, Any]:
    """`figures` (a snapshot's `as_dict` with its trend) as anyone may read them;
    `tied_by_area`: per partner area (and "outside"), its organisations with a tie."""
    shown = copy.deepcopy(figures)
    for part, keys in ORGANISATIONS.items():
        for key in keys:
            shown[part][key] = _organisations(shown[part][key])
    for part, keys in TIES.items():
        for key in keys:
            shown[part][key] = _ties(shown[part][key])
    counts = shown["counts"]
    counts["ties_by_type"] = {k: _ties(v) for k, v in counts["ties_by_type"].items()}
    if counts["ties"] is None or counts["organisations"] is None:
        counts["density"] = None
    cities = shown["cities"]
    if cities["cross_city_ties"] is None:
        cities["cross_city_share"] = None
    cities["ei_index"] = {
        area: None if is_small(tied_by_area.get(area, 0)) else value
        for area, value in cities["ei_index"].items()
    }
    if counts["ties"] is None:
        cities["ei_overall"] = None
    sectors = shown["sectors"]
    if sectors["cross_sector_ties"] is None:
        sectors["cross_sector_share"] = None
    sectors["strongest"] = [p for p in sectors["strongest"] if _ties(p["ties"]) is not None]
    shown["brokerage_totals"] = {k: _ties(v) for k, v in shown["brokerage_totals"].items()}
    shown["brokers"] = []
    communities = shown["communities"]
    communities["sizes"] = [n for n in communities["sizes"] if not is_small(n)]
    shown["trend"] = [_point(p) for p in shown.get("trend", [])]
    return shown
