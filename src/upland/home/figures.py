"""The cluster's headline figures: members by partner city, by sector, research units.

Counted from the registry's tallies (`organisations.statistics`) and grouped here: cities by
the configured partner areas (`Settings.partner_areas`, the same mapping officers' scope uses),
sectors by the primary PKD code. Shown to people who cannot see the rows behind them (the
public home page), every cell under `MIN_CELL` organisations is suppressed, and so is the next
smallest cell when a total would let a reader subtract one suppressed cell back (DOMAIN.md;
the rule itself is `upland.small_cells`, shared with the other areas' figures).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from upland.actor import ANONYMOUS
from upland.i18n import N_
from upland.organisations import statistics
from upland.organisations.vocab import OrganisationKind
from upland.reference import queries as reference
from upland.settings import get_settings
from upland.small_cells import MIN_CELL as MIN_CELL  # the home page tells its readers
from upland.small_cells import is_small, suppress

OUTSIDE = "outside"

# Sectors by the primary PKD code (2007 and 2025 agree on these prefixes), first match wins.
SECTORS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("agricultural_machinery", N_("Agricultural machinery"), ("28.30",)),
    ("vehicles", N_("Motor vehicles, trailers and parts"), ("29.", "30.")),
    ("electromobility", N_("Electrical equipment and electromobility"), ("27.",)),
    ("electronics", N_("Electronics and instruments"), ("26.",)),
    ("machinery", N_("Other machinery"), ("28.",)),
    ("metal", N_("Metals and metal products"), ("24.", "25.")),
    ("plastics", N_("Rubber and plastics"), ("22.",)),
    ("repair", N_("Repair, servicing and installation"), ("33.", "95.")),
    ("engineering", N_("Engineering, testing and R&D"), ("71.", "72.", "74.")),
    ("education", N_("Education"), ("85.",)),
    ("other", N_("Other activities"), ()),
)
SECTOR_TITLES = {key: title for key, title, _ in SECTORS}


@dataclass(frozen=True)
class Cell:
    """One bar of a chart: `count` is None when suppressed. `label` is a msgid unless
    `proper` (a city's name, shown as it is)."""

    key: str
    label: str
    count: int | None
    proper: bool = False

    @property
    def suppressed(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class Figures:
    """The headline figures of the cluster, or of one partner area."""

    members: int | None
    organisations: int | None
    research_units: int | None
    by_area: list[Cell]
    by_sector: list[Cell]
    suppressed: bool  # whether small cells were hidden

    @property
    def biggest(self) -> int:
        """The largest shown count, the charts' full scale."""
        counts = [c.count for c in (*self.by_area, *self.by_sector) if c.count is not None]
        return max(counts, default=0)


def sector_of(code: str | None) -> str:
    """The sector of a primary PKD code ("other" without one)."""
    for key, _title, prefixes in SECTORS:
        if code and any(code.startswith(prefix) for prefix in prefixes):
            return key
    return "other"


def area_of(teryt: str | None, areas: dict[str, tuple[str, ...]]) -> str:
    """The partner municipality whose area holds `teryt`, or OUTSIDE."""
    for municipality, units in areas.items():
        if teryt and teryt.startswith(units):
            return municipality
    return OUTSIDE


def partner_areas() -> dict[str, tuple[str, ...]]:
    """Each partner municipality's area, in the configured order of the partners."""
    settings = get_settings()
    return {m: settings.partner_area(m) for m in settings.partner_municipalities}


def _single(count: int, hide: bool, unlisted: int = 0) -> int | None:
    return None if hide and (count < MIN_CELL or is_small(unlisted)) else count


def _cells(
    keys: list[str],
    labels: dict[str, str],
    counts: Counter[str],
    hide: bool,
    proper: Iterable[str] = (),
    listed: Counter[str] | None = None,
    total_known: bool = True,
) -> list[Cell]:
    raw = [counts.get(k, 0) for k in keys]
    unlisted = [n - (listed or Counter()).get(k, 0) for k, n in zip(keys, raw, strict=True)]
    values = suppress(raw, total_known, unlisted=unlisted) if hide else list(raw)
    names = set(proper)
    return [Cell(k, labels[k], v, k in names) for k, v in zip(keys, values, strict=True)]


def place_names(session: Session, municipalities: Iterable[str]) -> dict[str, str]:
    names = {}
    for teryt in municipalities:
        found = reference.get_municipality(session, teryt)
        names[teryt] = found.name if found else teryt
    return names


def cluster_figures(session: Session, hide_small: bool = True) -> Figures:
    """The whole cluster; `hide_small` for viewers who cannot see every organisation."""
    areas = partner_areas()
    tallies = statistics.member_tallies(session)
    by_area: Counter[str] = Counter()
    by_sector: Counter[str] = Counter()
    research = 0
    for t in tallies:
        by_area[area_of(t.teryt, areas)] += t.count
        by_sector[sector_of(t.primary_pkd)] += t.count
        research += t.count if t.kind == OrganisationKind.RESEARCH else 0
    members = sum(t.count for t in tallies)
    # What the public list shows of the same members: subtracting it must reveal no small cell.
    listed_area: Counter[str] = Counter()
    listed_sector: Counter[str] = Counter()
    listed_research = 0
    for t in statistics.member_tallies(session, seen_by=ANONYMOUS) if hide_small else []:
        listed_area[area_of(t.teryt, areas)] += t.count
        listed_sector[sector_of(t.primary_pkd)] += t.count
        listed_research += t.count if t.kind == OrganisationKind.RESEARCH else 0
    listed_members = sum(listed_area.values())
    labels = {**place_names(session, areas), OUTSIDE: N_("outside the partner areas")}
    sectors = [k for k, _, _ in SECTORS]
    shown_members = _single(members, hide_small, members - listed_members)
    known = shown_members is not None  # a hidden total needs no complement to protect a cell
    return Figures(
        members=shown_members,
        organisations=_single(statistics.count_organisations(session), hide_small),
        research_units=_single(research, hide_small, research - listed_research),
        by_area=_cells([*areas, OUTSIDE], labels, by_area, hide_small, areas, listed_area, known),
        by_sector=_cells(sectors, SECTOR_TITLES, by_sector, hide_small, (), listed_sector, known),
        suppressed=hide_small,
    )


def area_figures(session: Session, municipality: str) -> Figures:
    """One partner area, for its officer: they see every organisation in it, so nothing is
    hidden; organisations count where their headquarters is, as in the cluster's figures."""
    units = get_settings().partner_area(municipality)
    tallies = statistics.member_tallies(session, units)
    by_sector: Counter[str] = Counter()
    for t in tallies:
        by_sector[sector_of(t.primary_pkd)] += t.count
    members = sum(t.count for t in tallies)
    research = sum(t.count for t in tallies if t.kind == OrganisationKind.RESEARCH)
    names = place_names(session, [municipality])
    return Figures(
        members=members,
        organisations=statistics.count_organisations(session, units),
        research_units=research,
        by_area=[Cell(municipality, names[municipality], members, proper=True)],
        by_sector=_cells([k for k, _, _ in SECTORS], SECTOR_TITLES, by_sector, hide=False),
        suppressed=False,
    )
