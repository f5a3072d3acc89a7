"""Shared pieces of the opportunity writers: the draft a writer returns and how dates, numbers
and lists read in Polish and in English."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from random import Random

from upland.demo.opportunities.firms import Firm, label
from upland.demo.opportunities.specs import Agreement, CapacitySpec, InfrastructureSpec, IpStatus

MONTHS_PL = (
    "styczeń",
    "luty",
    "marzec",
    "kwiecień",
    "maj",
    "czerwiec",
    "lipiec",
    "sierpień",
    "wrzesień",
    "październik",
    "listopad",
    "grudzień",
)
MONTHS_PL_GEN = (
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
ROMAN = ("I", "II", "III", "IV")
VOIVODESHIP_GEN = {"06": "lubelskiego", "14": "mazowieckiego", "26": "świętokrzyskiego"}
VOIVODESHIP_EN = {"06": "Lubelskie", "14": "Masovian", "26": "Świętokrzyskie"}


@dataclass(frozen=True)
class Draft:
    """What a writer makes of an owner: the texts and the typed fields of one opportunity.
    `audience` names who would answer it: activity keys, organisation kinds or legal names."""

    topic: str  # two drafts with the same topic would read as copies
    title_pl: str
    title_en: str
    description_pl: str
    description_en: str
    audience: frozenset[str]
    partnership: tuple[Agreement, ...]
    pkd: tuple[str, ...] = ()
    capabilities: tuple[str, ...] = ()
    certifications: tuple[str, ...] = ()
    advantages_pl: str = ""
    advantages_en: str = ""
    trl: int | None = None
    ip_status: IpStatus | None = None
    patent_number: str | None = None
    capacity: CapacitySpec | None = None
    infrastructure: InfrastructureSpec | None = None
    ends_on: dt.date | None = None  # the day it stops making sense (a course's first session)


def date_pl(day: dt.date) -> str:
    return f"{day.day} {MONTHS_PL_GEN[day.month - 1]} {day.year} r."


def date_en(day: dt.date) -> str:
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def quarter_pl(day: dt.date) -> str:
    """The quarter in the locative, as it follows "w": "w II kwartale 2024 r."."""
    return f"{ROMAN[(day.month - 1) // 3]} kwartale {day.year} r."


def quarter_en(day: dt.date) -> str:
    return f"Q{(day.month - 1) // 3 + 1} {day.year}"


def period_pl(start: dt.date, end: dt.date) -> str:
    if start.year == end.year:
        return f"{MONTHS_PL[start.month - 1]}–{MONTHS_PL[end.month - 1]} {end.year}"
    return f"{MONTHS_PL[start.month - 1]} {start.year} – {MONTHS_PL[end.month - 1]} {end.year}"


def period_en(start: dt.date, end: dt.date) -> str:
    first, last = MONTHS_EN[start.month - 1][:3], MONTHS_EN[end.month - 1][:3]
    if start.year == end.year:
        return f"{first}–{last} {end.year}"
    return f"{first} {start.year} – {last} {end.year}"


def plural_pl(count: int, few: str, many: str) -> str:
    """A count with its noun in the Polish plural it takes: "3 tygodnie", "6 tygodni"."""
    few_form = count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14)
    return f"{count} {few if few_form else many}"


def join_pl(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} i {items[-1]}"


def join_en(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def cert_names(slugs: tuple[str, ...] | list[str], language: str) -> list[str]:
    """Short certificate names ("ISO 3834", not "ISO 3834 (welding)")."""
    return [label(s, language).split(" (")[0] for s in slugs]


def intro(firm: Firm, anonymous: bool) -> tuple[str, str]:
    """The opening sentence: what the owner does, without its name when anonymous."""
    activity = firm.activity
    assert activity is not None
    pl, en = activity.products[firm.product]
    if anonymous:
        voiv = firm.teryt[:2]
        return (
            f"Firma z województwa {VOIVODESHIP_GEN.get(voiv, 'lubelskiego')} {pl}.",
            f"A company in the {VOIVODESHIP_EN.get(voiv, 'Lubelskie')} voivodeship {en}.",
        )
    return f"{firm.short_name} {pl}.", f"{firm.short_name} {en}."


CITY_GEN = {
    "0663011": ("Lublina", "Lublin"),
    "1463011": ("Radomia", "Radom"),
    "2611011": ("Starachowic", "Starachowice"),
}


def request_suffix(rng: Random, firm: Firm, day: dt.date, anonymous: bool) -> tuple[str, str]:
    """What sets a supplier search apart in a list: where, or from when."""
    start = day + dt.timedelta(days=rng.randint(60, 200))
    options = [("", ""), (f" – start w {quarter_pl(start)}", f" – start in {quarter_en(start)}")]
    if firm.area and not anonymous:
        city = CITY_GEN[firm.area]
        options.append((f" – okolice {city[0]}", f" – {city[1]} area"))
    return rng.choice(options)


def pick(rng: Random, options: tuple[tuple[str, str], ...]) -> tuple[str, str]:
    return options[rng.randrange(len(options))]
