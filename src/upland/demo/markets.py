"""Who buys what a demo company makes, so its description reads true to a Lublin reader.

Each product of `activities.ACTIVITIES` sells into markets (`PRODUCT_MARKETS`, by activity and
product index); a customer group names the markets it stands for, and a firm may only claim a
customer group whose markets all lie within its product's (a farm-trailer maker never sells to
"bus and electric-vehicle makers"). Groups with no markets are generic and fit any product,
so every tier always has one. Closing sentences may need a market (electric vehicles) or a
size (a family business is not a 900-person S.A.).
"""

from __future__ import annotations

from dataclasses import dataclass

from upland.organisations.vocab import SizeClass as S
from upland.organisations.vocab import SupplyTier as T

AGRI, AUTO, BUS, EV, RAIL = "agri", "auto", "bus", "ev", "rail"
MACHINERY, FLEET, MUNICIPAL = "machinery", "fleet", "municipal"
ANY = frozenset({AGRI, AUTO, BUS, EV, RAIL, MACHINERY, FLEET, MUNICIPAL})


def _m(*markets: str) -> frozenset[str]:
    return frozenset(markets)


# fmt: off
PRODUCT_MARKETS: dict[str, tuple[frozenset[str], ...]] = {  # i-th set: the activity's i-th product
    "machining": (_m(AUTO, AGRI, MACHINERY), ANY, _m(AUTO, AGRI, MACHINERY)),
    "stamping": (_m(MACHINERY, AGRI), _m(AUTO, BUS)),
    "welding": (_m(AGRI, AUTO), _m(MACHINERY), _m(RAIL)),
    "foundry": (_m(AUTO, AGRI, MACHINERY), _m(EV, AUTO)),
    "forging": (_m(AUTO), _m(AGRI)),
    "surface": (ANY, ANY, ANY),
    "plastics": (_m(AUTO, AGRI, BUS), _m(AUTO, AGRI, MACHINERY), _m(EV)),
    "autoparts": (_m(AUTO), _m(AUTO, BUS), _m(AUTO, BUS, AGRI)),
    "harness": (_m(AGRI, BUS), _m(EV)),
    "electronics": (_m(MACHINERY, AGRI), ANY, _m(AUTO, AGRI, FLEET)),
    "emobility": (_m(EV, BUS), _m(EV, BUS), _m(BUS)),
    "agri": (_m(AGRI), _m(AGRI), _m(AGRI)),
    "vehicles": (_m(MUNICIPAL), _m(BUS), _m(FLEET)),
    "trailers": (_m(FLEET, AUTO), _m(FLEET)),
    "drives": (_m(MACHINERY, AGRI, AUTO), _m(AGRI)),
    "tooling": (_m(AUTO, MACHINERY, AGRI), _m(AUTO, MACHINERY, AGRI)),
    "automation": (ANY, ANY),
    "engineering": (ANY, ANY),
    "aftermarket": (_m(AUTO, AGRI), _m(AGRI, MACHINERY), _m(AUTO, FLEET)),
    "distribution": (ANY, ANY),
}


@dataclass(frozen=True)
class Customers:
    """A customer group: "Pracuje dla <genitive>." / "It works for <group>." """

    pl: str
    en: str
    markets: frozenset[str] = frozenset()  # empty: a generic group, fits any product


CUSTOMERS: dict[T, tuple[Customers, ...]] = {
    T.OEM: (
        Customers("odbiorców flotowych i dealerów w Polsce i w Unii Europejskiej",
                  "fleet customers and dealers in Poland and across the EU", _m(FLEET)),
        Customers("gospodarstw rolnych i dealerów maszyn rolniczych",
                  "farms and agricultural machinery dealers", _m(AGRI)),
        Customers("gmin i przedsiębiorstw komunalnych",
                  "municipalities and municipal utilities", _m(MUNICIPAL)),
        Customers("miejskich przewoźników i zarządów transportu publicznego",
                  "municipal bus operators and public transport authorities", _m(BUS)),
        Customers("odbiorców w Polsce i w Unii Europejskiej",
                  "customers in Poland and across the EU"),
    ),
    T.TIER1: (
        Customers("producentów pojazdów użytkowych", "commercial vehicle makers", _m(AUTO)),
        Customers("producentów maszyn rolniczych", "agricultural machinery makers", _m(AGRI)),
        Customers("producentów autobusów i pojazdów elektrycznych w Europie",
                  "bus and electric-vehicle makers across Europe", _m(BUS, EV)),
        Customers("producentów pojazdów elektrycznych", "electric-vehicle makers", _m(EV)),
        Customers("producentów taboru szynowego", "rolling-stock makers", _m(RAIL)),
        Customers("przewoźników miejskich i producentów autobusów", "bus operators and bus makers",
                  _m(BUS)),
        Customers("producentów maszyn i urządzeń w Polsce i za granicą",
                  "machine and equipment makers in Poland and abroad"),
    ),
    T.TIER2: (
        Customers("dostawców Tier 1 z branży motoryzacyjnej", "Tier 1 automotive suppliers",
                  _m(AUTO)),
        Customers("producentów maszyn rolniczych i ich dostawców",
                  "agricultural machinery makers and their suppliers", _m(AGRI)),
        Customers("dostawców Tier 1 i producentów maszyn", "Tier 1 suppliers and machine builders"),
    ),
    T.TIER3: (
        Customers("zakładów produkcyjnych regionu, głównie dostawców Tier 2",
                  "regional manufacturers, mainly Tier 2 suppliers"),
        Customers("warsztatów i małych firm produkcyjnych z trzech województw",
                  "workshops and small manufacturers in three voivodeships"),
    ),
    T.AFTERMARKET: (
        Customers("warsztatów, hurtowni części i właścicieli flot",
                  "workshops, parts wholesalers and fleet owners", _m(AUTO)),
        Customers("rolników i firm budowlanych", "farmers and construction firms",
                  _m(AGRI, MACHINERY)),
        Customers("rolników i usługodawców rolnych", "farmers and agricultural contractors",
                  _m(AGRI)),
        Customers("warsztatów i firm usługowych regionu",
                  "workshops and service firms in the region"),
    ),
    T.OTHER: (
        Customers("firm produkcyjnych z Lubelszczyzny, Mazowsza i Świętokrzyskiego",
                  "manufacturers in the Lublin, Masovian and Świętokrzyskie regions"),
        Customers("producentów maszyn i dostawców motoryzacyjnych",
                  "machinery makers and automotive suppliers", _m(MACHINERY, AUTO)),
    ),
}


@dataclass(frozen=True)
class Extra:
    """One closing sentence; placeholders are filled in by `profiles.company`."""

    pl: str
    en: str
    markets: frozenset[str] = frozenset()  # the product must sell into one of these, if any
    sizes: frozenset[S] = frozenset(S)


EXTRAS: tuple[Extra, ...] = (
    Extra("Firma rodzinna działająca od {founded} r.", "A family business since {founded}.",
          sizes=frozenset({S.MICRO, S.SMALL})),
    Extra("Od {year} r. eksportuje ok. {pct}% produkcji do Niemiec, Czech i Skandynawii.",
          "Since {year} it has exported about {pct}% of its output to Germany, Czechia and "
          "Scandinavia."),
    Extra("Rozwija komponenty dla pojazdów elektrycznych we współpracy z uczelniami regionu.",
          "It develops components for electric vehicles together with universities in the "
          "region.", markets=_m(EV, BUS)),
    Extra("Zatrudnia {employees} pracowników w zakładzie {loc}.",
          "It employs {employees} people at its plant in {city}."),
    Extra("Poszukuje partnerów do kooperacji przy większych seriach produkcyjnych.",
          "It is looking for partners to share larger production runs."),
    Extra("W {year} r. firma wdrożyła system MES i elektroniczną dokumentację techniczną.",
          "In {year} it introduced a MES and paperless technical documentation."),
)
# fmt: on


def customers_for(tier: T, product: frozenset[str]) -> tuple[Customers, ...]:
    """The customer groups a firm of this tier selling this product may name: those of its
    markets, or the tier's generic ones when none is."""
    fitting = [c for c in CUSTOMERS[tier] if c.markets <= product]
    specific = tuple(c for c in fitting if c.markets)
    return specific or tuple(fitting)


def extras_for(product: frozenset[str], size: S) -> tuple[Extra, ...]:
    """The closing sentences that fit the product's markets and the firm's size."""
    return tuple(e for e in EXTRAS if size in e.sizes and (not e.markets or e.markets & product))
