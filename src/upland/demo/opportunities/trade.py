"""Writers of the trade opportunities: business offers and requests, and capacity offers.

A writer turns an owner, the publication day and a seeded `Random` into a `Draft`, or None
when the owner has nothing of the kind to say (a plough maker has no spare SMT line).
"""

from __future__ import annotations

import datetime as dt
from random import Random

from upland.demo.markets import PRODUCT_MARKETS, customers_for
from upland.demo.opportunities.common import (
    Draft,
    cert_names,
    date_en,
    date_pl,
    intro,
    join_en,
    join_pl,
    pick,
    plural_pl,
    quarter_en,
    quarter_pl,
    request_suffix,
)
from upland.demo.opportunities.firms import Firm
from upland.demo.opportunities.specs import Agreement as A
from upland.demo.opportunities.trade_tables import (
    NEEDS,
    OFFER_NOUNS,
    PART_BUYERS,
    SELLERS,
    SERVICES,
    Need,
)

# (Polish, English) choices drawn into the placeholders of the tables
CAST = (
    ("z żeliwa sferoidalnego EN-GJS-500-7", "EN-GJS-500-7 ductile iron"),
    ("z żeliwa szarego EN-GJL-250", "EN-GJL-250 grey iron"),
    ("ze stopu aluminium AlSi9Cu3", "AlSi9Cu3 aluminium alloy"),
)
STEELS = (
    ("ze stali 42CrMo4", "42CrMo4 steel"),
    ("ze stali C45", "C45 steel"),
    ("z aluminium 6082", "6082 aluminium"),
    ("ze stali nierdzewnej 1.4301", "1.4301 stainless steel"),
)
SHEETS = (
    ("stalowa DC01", "DC01 steel"),
    ("stalowa S355MC", "S355MC steel"),
    ("nierdzewna 1.4301", "1.4301 stainless"),
    ("aluminiowa 5754", "5754 aluminium"),
)
MOULDS = (
    ("po stronie dostawcy", "is supplied by the moulder"),
    ("nasza, do przeniesienia", "is ours and will be transferred"),
)
TOLERANCES = (("0,01", "0.01"), ("0,02", "0.02"), ("0,05", "0.05"))
ROUGHNESS = (("0,4", "0.4"), ("0,8", "0.8"), ("1,6", "1.6"))
DEPTHS = (("0,3", "0.3"), ("0,6", "0.6"), ("1,2", "1.2"), ("2,5", "2.5"))
MODULES = (("2,5", "2.5"), ("3", "3"), ("4", "4"), ("5", "5"))


def numbers(rng: Random, day: dt.date) -> dict[str, object]:
    """One draw of every placeholder of the trade tables; a template takes what it names."""
    cast, steel, sheet, mould = (pick(rng, t) for t in (CAST, STEELS, SHEETS, MOULDS))
    tol, ra, depth, module = (pick(rng, t) for t in (TOLERANCES, ROUGHNESS, DEPTHS, MODULES))
    volume = rng.choice((300, 500, 800, 1200, 2000, 3500, 5000, 8000, 12000, 20000))
    start = day + dt.timedelta(days=rng.randint(60, 200))
    weeks = rng.choice((2, 3, 4, 6, 8, 10))
    return {
        "cast_pl": cast[0],
        "cast_en": cast[1],
        "steel_pl": steel[0],
        "steel_en": steel[1],
        "sheet_pl": sheet[0],
        "sheet_en": sheet[1].capitalize(),
        "mould_pl": mould[0],
        "mould_en": mould[1],
        "tol_pl": tol[0],
        "tol_en": tol[1],
        "ra_pl": ra[0],
        "ra_en": ra[1],
        "depth_pl": depth[0],
        "depth_en": depth[1],
        "module_pl": module[0],
        "module_en": module[1],
        "volume": volume,
        "batch": rng.choice((50, 100, 200, 250, 500)),
        "mass": rng.choice((2, 4, 6, 12, 18, 25, 40, 65, 120, 250, 400)),
        "m1": rng.choice((0.5, 1, 2)),
        "d": rng.choice((60, 80, 120, 200, 320, 450)),
        "length_mm": rng.choice((300, 600, 1000, 1500, 3100)),
        "x": rng.choice((400, 650, 800)),
        "y": rng.choice((300, 500, 650)),
        "z": rng.choice((300, 450, 500)),
        "t": rng.choice((6, 8, 12, 15, 20, 25)),
        "t2": rng.choice((1, 2, 3)),
        "grade": rng.choice(("S355J2", "S700MC", "S420MC", "S235JR")),
        "bore": rng.choice((40, 50, 63, 80, 100, 125)),
        "stroke": rng.choice((200, 400, 800)),
        "bar": rng.choice((160, 200, 250)),
        "variants": rng.choice((6, 9, 12, 18, 24)),
        "lo": rng.choice((8, 12, 20)),
        "hi": rng.choice((40, 60, 120, 180)),
        "conn": rng.choice(("Deutsch DT", "Superseal 1.5", "AMP MCP", "HVA 280")),
        "n": rng.choice((3, 4, 6, 8, 15, 25)),
        "length": rng.choice((2, 3, 4, 6, 8)),
        "ral": rng.choice(("5010", "6005", "2004", "9005", "7016", "3020")),
        "um": rng.choice((60, 80, 120)),
        "hours": rng.choice((240, 480, 720, 1000)),
        "area": rng.choice((800, 1500, 3000, 6000)),
        "hrc": rng.choice(("52–56", "58–62")),
        "weeks": weeks,
        "weeks_pl": plural_pl(weeks, "tygodnie", "tygodni"),
        "polymer": rng.choice(("PA6 GF30", "PP T20", "ABS", "PC/ABS", "PA66")),
        "grams": rng.choice((8, 25, 60, 140, 380)),
        "kpcs": rng.choice((20, 50, 120, 300)),
        "forge_steel": rng.choice(("42CrMo4", "38MnVS6", "30MnB5", "C45")),
        "tmin": rng.choice((25, 30, 40)),
        "tmax": rng.choice((70, 85, 105)),
        "shots": rng.choice((100, 250, 500, 1000)),
        "takt": rng.choice((35, 48, 60, 90, 120)),
        "quarter_pl": quarter_pl(start),
        "quarter_en": quarter_en(start),
        "cls": rng.choice((6, 7, 8)),
        "rubber": rng.choice(("NR", "EPDM", "NBR")),
        "shore": rng.choice((45, 55, 60, 70)),
        "force": rng.choice((80, 135, 220, 350, 650)),
        "load": rng.choice((300, 600, 1000, 1500)),
    }


def _certs_sentence(slugs: list[str], require: bool) -> tuple[str, str]:
    pl, en = join_pl(cert_names(slugs, "pl")), join_en(cert_names(slugs, "en"))
    if require:
        return f"Wymagany system jakości zgodny z {pl}.", f"A quality system to {en} is required."
    word = "certyfikaty" if len(slugs) > 1 else "certyfikat"
    return f"Posiadamy {word} {pl}.", f"We are certified to {en}."


OFFER_LINES = (
    (
        "Oferujemy serie od {lo} do {hi} szt. z materiału własnego lub powierzonego, pierwsze "
        "dostawy w {weeks_pl} od akceptacji próbek.",
        "We offer batches of {lo} to {hi} pieces in our own or free-issue material, first "
        "deliveries {weeks} weeks after sample approval.",
    ),
    (
        "Przygotujemy ofertę na podstawie rysunku lub modelu 3D w ciągu {days} dni roboczych; "
        "wykonujemy też prototypy i serie informacyjne.",
        "We quote from a drawing or 3D model within {days} working days and also make "
        "prototypes and pre-series.",
    ),
)
SERVICE_LINES = (
    (
        "Obecnie wolne jest ok. {pct}% naszych mocy; przyjmiemy nowe zlecenia w ramach umowy "
        "ramowej.",
        "About {pct}% of our capacity is free at the moment; we will take new work under a "
        "framework agreement.",
    ),
    (
        "Obsługujemy klientów z Lublina, Radomia i Starachowic, z dojazdem lub odbiorem "
        "własnym w ciągu {days} dni.",
        "We serve customers in Lublin, Radom and Starachowice, with collection or delivery "
        "within {days} days.",
    ),
)
MAKERS = frozenset({"agri", "vehicles", "trailers"})  # sell machines, not parts
MAKER_LINES = (
    (
        "Dostarczamy w {weeks_pl} od zamówienia, z serwisem gwarancyjnym i częściami "
        "zamiennymi na miejscu.",
        "We deliver {weeks} weeks after order, with warranty service and spare parts on site.",
    ),
    (
        "Szukamy dealerów i partnerów serwisowych w regionie; zapewniamy szkolenia i "
        "materiały sprzedażowe.",
        "We are looking for dealers and service partners in the region and provide training "
        "and sales material.",
    ),
)
TITLES = (
    ("{noun} dla {cust_pl}", "{noun_en} for {cust_en}"),
    ("Oferta kooperacyjna: {lower}", "Cooperation offer: {lower_en}"),
    ("{noun} – {short}", "{noun_en} – {short}"),
)


def business_offer(rng: Random, firm: Firm, day: dt.date, anonymous: bool) -> Draft | None:
    """A firm offers what it makes (its product from `activities.py`) to new customers."""
    activity = firm.activity
    if activity is None:
        return None
    noun, noun_en = OFFER_NOUNS[activity.key][firm.product]
    tier = firm.tier or activity.tiers[0]
    customers = rng.choice(customers_for(tier, PRODUCT_MARKETS[activity.key][firm.product]))
    weeks = rng.randint(2, 8)
    values = {
        "noun": noun,
        "noun_en": noun_en,
        "lower": noun[0].lower() + noun[1:],
        "lower_en": noun_en[0].lower() + noun_en[1:],
        "cust_pl": customers.pl,
        "cust_en": customers.en,
        "short": firm.short_name,
        "lo": rng.choice((10, 20, 50, 100)),
        "hi": rng.choice((500, 1000, 2000, 5000)),
        "weeks": weeks,
        "weeks_pl": plural_pl(weeks, "tygodnie", "tygodni"),
        "days": rng.randint(3, 10),
        "pct": rng.choice((10, 15, 20, 25, 30)),
    }
    title = pick(rng, TITLES[:2] if anonymous else TITLES)
    lines: tuple[tuple[str, str], ...]
    if activity.key in MAKERS:
        lines = MAKER_LINES
    elif activity.key in SERVICES:
        lines = SERVICE_LINES
    else:
        lines = (*OFFER_LINES, SERVICE_LINES[0])
    line = pick(rng, lines)
    machines = activity.machines[firm.product % len(activity.machines)]
    first = intro(firm, anonymous)
    pl = [first[0], line[0].format(**values), f"Park maszynowy obejmuje {machines[0]}."]
    en = [first[1], line[1].format(**values), f"Our equipment includes {machines[1]}."]
    certs = list(firm.certifications)
    if certs:
        sentence = _certs_sentence(certs, require=False)
        pl.append(sentence[0])
        en.append(sentence[1])
    if "iatf-16949" in certs:
        level = rng.choice((3, 4))
        pl.append(f"Dokumentację PPAP na poziomie {level} dostarczamy z pierwszą partią.")
        en.append(f"PPAP documentation to level {level} comes with the first batch.")
    partnership = (
        (A.DISTRIBUTION, A.SUPPLY) if activity.key in SELLERS else (A.SUPPLY, A.SUBCONTRACTING)
    )
    buyers = {n.buyers for n in NEEDS if activity.key in n.suppliers}
    audience = frozenset().union(*buyers) if buyers else frozenset({"distribution", "aftermarket"})
    return Draft(
        topic=f"offer:{firm.legal_name}:{title[0]}",
        title_pl=title[0].format(**values),
        title_en=title[1].format(**values),
        description_pl=" ".join(pl),
        description_en=" ".join(en),
        audience=audience
        | (frozenset({"distribution"}) if activity.key in SELLERS else frozenset()),
        partnership=partnership,
        pkd=firm.pkd[:2],
        capabilities=firm.processes[:3] + firm.materials[:2],
        certifications=tuple(certs),
    )


REASONS = (
    (
        "Zwiększamy produkcję i szukamy drugiego źródła dostaw.",
        "We are ramping up production and want a second source.",
    ),
    (
        "Obecny dostawca wycofuje się z tej grupy wyrobów; zmianę planujemy w {quarter_pl}",
        "Our current supplier is leaving this product group; we plan the switch in {quarter_en}.",
    ),
    (
        "Przenosimy część zakupów do kooperantów z regionu, aby skrócić łańcuch dostaw.",
        "We are moving part of our purchasing to regional subcontractors to shorten the supply "
        "chain.",
    ),
    (
        "Uruchamiamy nową linię wyrobów i kompletujemy dla niej bazę dostawców.",
        "We are launching a new product line and building its supplier base.",
    ),
)


def fits_part(firm: Firm, part: tuple[str, str]) -> bool:
    buyers = PART_BUYERS.get(part[0])
    return buyers is None or firm.key in buyers


def needs_of(firm: Firm) -> list[Need]:
    """What the firm may search suppliers for: needs it buys with a part it would order."""
    return [n for n in NEEDS if firm.key in n.buyers and any(fits_part(firm, p) for p in n.parts)]


def business_request(
    rng: Random, firm: Firm, day: dt.date, anonymous: bool, deadline: dt.date
) -> Draft | None:
    """A supplier search: a buyer asks for parts from another trade of the cluster."""
    needs = needs_of(firm)
    if not needs:
        return None
    need = rng.choice(needs)
    parts = [p for p in need.parts if fits_part(firm, p)]
    part = rng.choice(parts or list(need.parts))
    values = numbers(rng, day)
    first = intro(firm, anonymous)
    reason = pick(rng, REASONS)
    pl = [first[0], reason[0].format(**values), need.detail[0].format(**values)]
    en = [first[1], reason[1].format(**values), need.detail[1].format(**values)]
    certs = [c for c in need.certifications if rng.random() < 0.6]
    if certs:
        sentence = _certs_sentence(certs, require=True)
        pl.append(sentence[0])
        en.append(sentence[1])
    else:
        pl.append("Preferujemy dostawców z okolic Lublina, Radomia i Starachowic.")
        en.append("Suppliers from around Lublin, Radom and Starachowice are preferred.")
    suffix = request_suffix(rng, firm, day, anonymous)
    pl.append(f"Oferty prosimy przesyłać do {date_pl(deadline)}")
    en.append(f"Please send quotes by {date_en(deadline)}.")
    return Draft(
        topic=f"request:{firm.legal_name}:{need.key}:{part[0]}",
        title_pl=need.title[0].format(part=part[0]) + suffix[0],
        title_en=need.title[1].format(part=part[1]) + suffix[1],
        description_pl=" ".join(pl),
        description_en=" ".join(en),
        audience=need.suppliers,
        partnership=(A.SUPPLY, A.SUBCONTRACTING)[: rng.randint(1, 2)],
        pkd=(need.pkd,),
        capabilities=need.capabilities,
        certifications=tuple(certs),
    )
