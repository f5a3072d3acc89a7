"""The cluster's headline figures: members by partner city, by sector, research units.

Counted from the registry's tallies (`organisations.statistics`) and grouped here: cities by
the configured partner areas (`Settings.partner_areas`, the same mapping officers' scope uses),
sectors by the primary PKD code. Shown to people who cannot see the rows behind them (the
public home page), the figures follow a standard disclosure-control method (DOMAIN.md: no cell
under 5 organisations; `upland.home.disclosure` has the rule and its audit):

1. combine: sectors of 1–4 members are folded into "Other activities", which names them;
2. round: a figure whose part the public list does not show is 1–4 is published rounded to a
   multiple of 5 ("≈20"), so counting the list and subtracting tells nothing of that part;
3. suppress: cells of 1–4 are not shown at all;
4. audit: what a reader can work out from every figure, the tables' sums and the public list's
   counts is checked, and cells are rounded, then suppressed, until nothing small comes out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from upland.actor import ANONYMOUS, Actor
from upland.home.disclosure import Level, Shown, Table, first_level, protect
from upland.i18n import N_
from upland.organisations import statistics
from upland.organisations.vocab import OrganisationKind
from upland.reference import queries as reference
from upland.settings import get_settings

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
    """One figure: `count` is None when suppressed, a multiple of 5 when `approximate`.
    `label` is a msgid unless `proper` (a city's name, shown as it is); `includes`: the msgids
    of the small groups folded into this one."""

    key: str
    label: str
    count: int | None
    proper: bool = False
    approximate: bool = False
    includes: tuple[str, ...] = ()

    @property
    def suppressed(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class Figures:
    """The headline figures of the cluster, or of one partner area."""

    members: Cell
    organisations: Cell
    research_units: Cell
    by_area: list[Cell]
    by_sector: list[Cell]
    suppressed: bool  # whether the disclosure rule was applied

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


def place_names(session: Session, municipalities: Iterable[str]) -> dict[str, str]:
    names = {}
    for teryt in municipalities:
        found = reference.get_municipality(session, teryt)
        names[teryt] = found.name if found else teryt
    return names


@dataclass
class _Tallies:
    """Members grouped three ways (and the registry's whole count), as counted for one reader
    or for everyone."""

    by_area: Counter[str] = field(default_factory=Counter)
    by_sector: Counter[str] = field(default_factory=Counter)
    research: int = 0
    organisations: int = 0

    @property
    def members(self) -> int:
        return sum(self.by_area.values())


def _tallies(
    session: Session, areas: dict[str, tuple[str, ...]], seen_by: Actor | None
) -> _Tallies:
    out = _Tallies(organisations=statistics.count_organisations(session, seen_by=seen_by))
    for t in statistics.member_tallies(session, seen_by=seen_by):
        out.by_area[area_of(t.teryt, areas)] += t.count
        out.by_sector[sector_of(t.primary_pkd)] += t.count
        out.research += t.count if t.kind == OrganisationKind.RESEARCH else 0
    return out


def fold_small_sectors(counts: Counter[str], listed: Counter[str]) -> list[str]:
    """Combine into "other" (in place, in both counts) the sectors that could not be shown by
    themselves: 1–4 members, or a few unlisted ones that even rounding would give away. The
    sectors folded, in their order."""
    folded = [
        k
        for k, _, _ in SECTORS
        if k != "other" and first_level(counts[k], listed[k]) is Level.HIDDEN and counts[k]
    ]
    for key in folded:
        counts["other"] += counts.pop(key)
        listed["other"] += listed.pop(key, 0)
    return folded


def _protected(whole: _Tallies, listed: _Tallies, areas: list[str]) -> dict[str, Shown]:
    """The public level of every figure (`disclosure.protect`): the area and sector tables sum
    to the members, members and non-members to the registry."""
    counts = {
        "members": whole.members,
        "research": whole.research,
        "organisations": whole.organisations,
        "nonmembers": whole.organisations - whole.members,
        **{f"area:{k}": whole.by_area[k] for k in areas},
        **{f"sector:{k}": n for k, n in whole.by_sector.items()},
    }
    seen = {
        "members": listed.members,
        "research": listed.research,
        "organisations": listed.organisations,
        "nonmembers": listed.organisations - listed.members,
        **{f"area:{k}": listed.by_area[k] for k in areas},
        **{f"sector:{k}": listed.by_sector[k] for k in whole.by_sector},
    }
    tables = [
        Table("members", tuple(f"area:{k}" for k in areas)),
        Table("members", tuple(f"sector:{k}" for k in whole.by_sector)),
        Table("organisations", ("members", "nonmembers")),
    ]
    return protect(counts, seen, tables, unpublished=["nonmembers"])


def _cell(key: str, label: str, figure: Shown, proper: bool = False) -> Cell:
    return Cell(key, label, figure.value, proper, figure.approximate)


def cluster_figures(session: Session, hide_small: bool = True) -> Figures:
    """The whole cluster; `hide_small` for viewers who cannot see every organisation (the
    disclosure rule of `upland.home.disclosure`, over what the public list shows)."""
    areas = partner_areas()
    whole = _tallies(session, areas, None)
    keys = [*areas, OUTSIDE]
    labels = {**place_names(session, areas), OUTSIDE: N_("outside the partner areas")}
    if not hide_small:
        exact = {k: Shown(Level.EXACT, n) for k, n in whole.by_sector.items()}
        return Figures(
            members=Cell("members", N_("Cluster members"), whole.members),
            organisations=Cell(
                "organisations", N_("Organisations in the registry"), whole.organisations
            ),
            research_units=Cell("research", N_("Research units among them"), whole.research),
            by_area=[Cell(k, labels[k], whole.by_area[k], k in areas) for k in keys],
            by_sector=_sector_cells(exact, []),
            suppressed=False,
        )
    listed = _tallies(session, areas, ANONYMOUS)
    folded = fold_small_sectors(whole.by_sector, listed.by_sector)
    shown = _protected(whole, listed, keys)
    sectors = {k: shown[f"sector:{k}"] for k in whole.by_sector}
    return Figures(
        members=_cell("members", N_("Cluster members"), shown["members"]),
        organisations=_cell(
            "organisations", N_("Organisations in the registry"), shown["organisations"]
        ),
        research_units=_cell("research", N_("Research units among them"), shown["research"]),
        by_area=[_cell(k, labels[k], shown[f"area:{k}"], k in areas) for k in keys],
        by_sector=_sector_cells(sectors, folded),
        suppressed=True,
    )


def _sector_cells(shown: dict[str, Shown], folded: list[str]) -> list[Cell]:
    """The sectors in their order, those folded into "other" left out (and named in it)."""
    cells = []
    for key, title, _ in SECTORS:
        if key in folded:
            continue
        figure = shown.get(key, Shown(Level.EXACT, 0))
        includes = tuple(SECTOR_TITLES[k] for k in folded) if key == "other" else ()
        cells.append(Cell(key, title, figure.value, False, figure.approximate, includes))
    return cells


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
    organisations = statistics.count_organisations(session, units)
    return Figures(
        members=Cell("members", N_("Cluster members"), members),
        organisations=Cell("organisations", N_("Organisations in the registry"), organisations),
        research_units=Cell("research", N_("Research units among them"), research),
        by_area=[Cell(municipality, names[municipality], members, proper=True)],
        by_sector=_sector_cells({k: Shown(Level.EXACT, n) for k, n in by_sector.items()}, []),
        suppressed=False,
    )
