"""GUS's TERC register (the TERYT units of Poland): read the official file, strictly, and the
copy derived from it that ships with Upland.

The official file (`TERC_Urzedowy_*.csv`, as GUS publishes it: UTF-8, `;`, CRLF) has one row per
unit: `WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA`. A voivodeship row has only WOJ, a county row
WOJ+POW, a municipality row all four; the 7-digit TERYT of a municipality is WOJ+POW+GMI+RODZ.
RODZ says what the unit is (`KIND_NAMES`). Only municipalities proper (1, 2, 3) are what an
organisation or an officer is placed in: the parts of an urban-rural municipality (4 town,
5 rural area) and the districts of Warsaw and delegations of other cities (8, 9) are not
municipalities, have no council of their own, and every public statistic of a firm's place is
published for the municipality; they are shipped and stored (so a name like "Mokotów" can be
answered with "a district of Warszawa"), but never chosen. Pure: no database, no web.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from upland.i18n import N_, register_labels

HEADER = ("WOJ", "POW", "GMI", "RODZ", "NAZWA", "NAZWA_DOD", "STAN_NA")
SHIPPED_FILE = "municipalities.csv"
SHIPPED_COLUMNS = (
    "teryt",
    "name",
    "kind",
    "county_teryt",
    "county_name",
    "voivodeship_teryt",
    "voivodeship",
    "nuts2",
    "population",
)

# RODZ → English msgid (the Polish translation is GUS's own NAZWA_DOD wording).
KIND_NAMES = {
    "1": N_("urban municipality"),
    "2": N_("rural municipality"),
    "3": N_("urban-rural municipality"),
    "4": N_("town of an urban-rural municipality"),
    "5": N_("rural area of an urban-rural municipality"),
    "8": N_("district of Warsaw"),
    "9": N_("delegation of a city"),
}
# GUS's names of the kinds, as NAZWA_DOD writes them, so "Lubin (gmina wiejska)" resolves.
KIND_NAMES_PL = {
    "1": "gmina miejska",
    "2": "gmina wiejska",
    "3": "gmina miejsko-wiejska",
    "4": "miasto",
    "5": "obszar wiejski",
    "8": "dzielnica",
    "9": "delegatura",
}
SELECTABLE_KINDS = frozenset({"1", "2", "3"})
register_labels("municipality_kind", KIND_NAMES)

# NUTS 2 (2021) of each voivodeship; Mazowieckie is two regions, split by county below.
VOIVODESHIP_NUTS2 = {
    "02": "PL51",
    "04": "PL61",
    "06": "PL81",
    "08": "PL43",
    "10": "PL71",
    "12": "PL21",
    "14": "PL92",
    "16": "PL52",
    "18": "PL82",
    "20": "PL84",
    "22": "PL63",
    "24": "PL22",
    "26": "PL72",
    "28": "PL62",
    "30": "PL41",
    "32": "PL42",
}
# PL91 Warszawski stołeczny: the capital and nine counties around it (grodziski, legionowski,
# miński, nowodworski, otwocki, piaseczyński, pruszkowski, warszawski zachodni, wołomiński);
# the rest of Mazowieckie is PL92 Mazowiecki regionalny (Radom among it).
CAPITAL_REGION_COUNTIES = frozenset(
    {"1465", "1405", "1408", "1412", "1414", "1417", "1418", "1421", "1432", "1434"}
)


def nuts2_of(county_teryt: str) -> str:
    if county_teryt in CAPITAL_REGION_COUNTIES:
        return "PL91"
    return VOIVODESHIP_NUTS2.get(county_teryt[:2], "")


@dataclass(frozen=True)
class TercUnit:
    """A municipality or a part of one, with the county and voivodeship it lies in."""

    teryt: str
    name: str
    kind: str
    county_teryt: str
    county_name: str
    voivodeship_teryt: str
    voivodeship: str
    nuts2: str
    population: int | None = None

    @property
    def is_selectable(self) -> bool:
        return self.kind in SELECTABLE_KINDS


@dataclass(frozen=True)
class TercFile:
    units: tuple[TercUnit, ...]
    as_of: dt.date


class TercFileError(ValueError):
    """The file is not GUS's TERC register as published: where (row, column) and why."""

    def __init__(self, why: str, *, row: int | None = None, column: str | None = None) -> None:
        where = ", ".join(
            part
            for part in (f"row {row}" if row else "", f"column {column}" if column else "")
            if part
        )
        super().__init__(f"{where}: {why}" if where else why)
        self.row, self.column, self.why = row, column, why


_TWO_DIGITS = re.compile(r"^\d{2}$")


def read_terc(path: str | Path) -> TercFile:
    """Every municipality (and part) of the file; any malformed row refuses the whole file."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TercFileError("not UTF-8 text (GUS publishes TERC in UTF-8)", row=line) from None
    return parse_terc(text.splitlines())


def parse_terc(lines: Iterable[str]) -> TercFile:
    rows = csv.reader(lines, delimiter=";")
    header = next(rows, None)
    if header is None or tuple(h.strip().upper() for h in header) != HEADER:
        raise TercFileError(f"the header must be {';'.join(HEADER)}", row=1)
    voivodeships: dict[str, str] = {}
    counties: dict[str, str] = {}
    municipalities: list[tuple[int, str, str, str]] = []
    dates: set[str] = set()
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(HEADER):
            raise TercFileError(f"{len(row)} fields, expected {len(HEADER)}", row=number)
        woj, pow_, gmi, rodz, name, _extra, stan_na = (cell.strip() for cell in row)
        _check_row(number, woj, pow_, gmi, rodz, name, stan_na)
        dates.add(stan_na)
        if not pow_:
            _unique(voivodeships, woj, name.lower(), number)
        elif not gmi:
            _unique(counties, woj + pow_, name, number)
        else:
            municipalities.append((number, woj + pow_ + gmi + rodz, name, rodz))
    if not municipalities:
        raise TercFileError("no municipality rows (is this the TERC file?)")
    if len(dates) > 1:
        raise TercFileError(f"rows of several dates (STAN_NA): {', '.join(sorted(dates))}")
    seen: set[str] = set()
    units = []
    for number, teryt, name, kind in municipalities:
        if teryt in seen:
            raise TercFileError(f"TERYT {teryt} appears twice", row=number)
        seen.add(teryt)
        county = teryt[:4]
        if county not in counties:
            raise TercFileError(f"county {county} of {teryt} has no row", row=number, column="POW")
        if teryt[:2] not in voivodeships:
            raise TercFileError(f"voivodeship of {teryt} has no row", row=number, column="WOJ")
        units.append(
            TercUnit(
                teryt=teryt,
                name=name,
                kind=kind,
                county_teryt=county,
                county_name=counties[county],
                voivodeship_teryt=teryt[:2],
                voivodeship=voivodeships[teryt[:2]],
                nuts2=nuts2_of(county),
            )
        )
    return TercFile(tuple(sorted(units, key=lambda u: u.teryt)), dt.date.fromisoformat(dates.pop()))


def _check_row(
    number: int, woj: str, pow_: str, gmi: str, rodz: str, name: str, stan_na: str
) -> None:
    if not _TWO_DIGITS.match(woj):
        raise TercFileError(f"{woj!r} is not a 2-digit voivodeship code", row=number, column="WOJ")
    for column, value in (("POW", pow_), ("GMI", gmi)):
        if value and not _TWO_DIGITS.match(value):
            raise TercFileError(f"{value!r} is not a 2-digit code", row=number, column=column)
    if gmi and not pow_:
        raise TercFileError("a municipality needs its county (POW)", row=number, column="POW")
    if bool(gmi) != bool(rodz):
        raise TercFileError(
            "RODZ is given with GMI, and only with it", row=number, column="RODZ" if gmi else "GMI"
        )
    if rodz and rodz not in KIND_NAMES:
        raise TercFileError(
            f"{rodz!r} is not a kind of unit ({', '.join(KIND_NAMES)})", row=number, column="RODZ"
        )
    if not name:
        raise TercFileError("the name is empty", row=number, column="NAZWA")
    try:
        dt.date.fromisoformat(stan_na)
    except ValueError:
        raise TercFileError(
            f"{stan_na!r} is not a date (YYYY-MM-DD)", row=number, column="STAN_NA"
        ) from None


def _unique(names: dict[str, str], code: str, name: str, number: int) -> None:
    if code in names:
        raise TercFileError(f"unit {code} appears twice", row=number)
    names[code] = name


# ------------------------------------------------------------------------- shipped data


def load_shipped() -> list[TercUnit]:
    """The units shipped with Upland (derived from the GUS file by `teryt_build`)."""
    text = (resources.files("upland.data") / SHIPPED_FILE).read_text(encoding="utf-8")
    return [
        TercUnit(**{**row, "population": int(row["population"]) if row["population"] else None})  # type: ignore[arg-type]
        for row in csv.DictReader(io.StringIO(text))
    ]


def iter_rows(units: Sequence[TercUnit]) -> Iterator[list[str]]:
    """Rows of the shipped CSV (header first), in TERYT order."""
    yield list(SHIPPED_COLUMNS)
    for u in sorted(units, key=lambda u: u.teryt):
        yield [
            u.teryt,
            u.name,
            u.kind,
            u.county_teryt,
            u.county_name,
            u.voivodeship_teryt,
            u.voivodeship,
            u.nuts2,
            "" if u.population is None else str(u.population),
        ]
