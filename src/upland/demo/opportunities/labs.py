"""Writers of research-infrastructure offers (labs and rigs members may book) and training
offers (courses of schools, labs, support bodies and firms)."""

from __future__ import annotations

import datetime as dt
import re
from random import Random

from upland.demo.opportunities.common import (
    MONTHS_EN,
    MONTHS_PL,
    Draft,
    date_en,
    date_pl,
    period_en,
    period_pl,
    pick,
    plural_pl,
)
from upland.demo.opportunities.firms import AREA_NAMES, Firm
from upland.demo.opportunities.labs_tables import (
    COMPANY_LABS,
    CONDITIONS,
    LABEL_EN,
    LABS,
    TRAININGS,
    Training,
)
from upland.demo.opportunities.specs import Agreement as A
from upland.demo.opportunities.specs import InfrastructureSpec


def labs_of(firm: Firm) -> list[tuple[str, str, str]]:
    """(slug, Polish label, English label) of what the organisation can open to members."""
    own = [(slug, pl, LABEL_EN[pl]) for slug, pl in firm.infrastructure if pl in LABEL_EN]
    if firm.key:
        for key in ((firm.key, firm.product), (firm.key, None)):
            if key in COMPANY_LABS:
                own.append(COMPANY_LABS[key])
    return [lab for lab in own if lab[0] in LABS]


def _force(label: str) -> int | None:
    """The rated force a label names ("Maszyna wytrzymałościowa 100 kN"), if any."""
    match = re.search(r"(\d+) kN", label)
    return int(match.group(1)) if match else None


def infrastructure_offer(rng: Random, firm: Firm, day: dt.date) -> Draft | None:
    """A lab opens its equipment for a period, on stated terms."""
    labs = labs_of(firm)
    if not labs:
        return None
    slug, label_pl, label_en = rng.choice(labs)
    lab = LABS[slug]
    start = day + dt.timedelta(days=rng.randint(14, 60))
    end = start + dt.timedelta(days=rng.randint(90, 270))
    vals = {
        "rpm": rng.choice((6000, 12000, 18000)),
        "kn": _force(label_pl) or rng.choice((250, 400, 600)),
        "x": rng.choice((800, 1200)),
        "rh": rng.choice((95, 98)),
        "rate": rng.choice((180, 250, 320, 450)),
        "rate2": rng.choice((520, 650, 800)),
        "days": rng.choice((5, 7, 10, 14)),
        "day_rate": rng.choice((1800, 2600, 3900)),
        "hours": rng.choice((4, 8, 16)),
    }
    conditions = pick(rng, CONDITIONS)
    accredited = "iso-iec-17025" in firm.certifications
    pl = [lab.description[0].format(**vals), f"Wolne terminy od {date_pl(start)} do {date_pl(end)}"]
    en = [lab.description[1].format(**vals), f"Open slots from {date_en(start)} to {date_en(end)}."]
    if accredited:
        pl.append("Laboratorium ma akredytację według PN-EN ISO/IEC 17025.")
        en.append("The laboratory is accredited to EN ISO/IEC 17025.")
    pl.append(conditions[0].format(**vals))
    en.append(conditions[1].format(**vals))
    title = pick(
        rng,
        (
            (
                f"{label_pl}: wolne terminy {period_pl(start, end)}",
                f"{label_en}: open slots {period_en(start, end)}",
            ),
            (
                f"Udostępnimy: {label_pl[0].lower()}{label_pl[1:]} ({period_pl(start, end)})",
                f"Available to book: {label_en[0].lower()}{label_en[1:]} ({period_en(start, end)})",
            ),
        ),
    )
    return Draft(
        topic=f"lab:{firm.legal_name}:{label_pl}:{start.isoformat()}",
        title_pl=title[0],
        title_en=title[1],
        description_pl=" ".join(pl),
        description_en=" ".join(en),
        audience=lab.audience,
        partnership=(A.RESEARCH_COOPERATION, A.TECHNICAL_COOPERATION)[: rng.randint(1, 2)],
        pkd=("72.10.Z",) if "72.10.Z" in firm.pkd else firm.pkd[:1],
        capabilities=(slug,),
        certifications=("iso-iec-17025",) if accredited else (),
        infrastructure=InfrastructureSpec(
            slug,
            label_pl,
            label_en,
            conditions[0].format(**vals),
            conditions[1].format(**vals),
            start,
            end,
        ),
    )


def provides(firm: Firm, training: Training) -> bool:
    marks = training.providers
    return firm.legal_name in marks or firm.kind.value in marks or (firm.key or "") in marks


def trainings_of(firm: Firm) -> list[Training]:
    return [t for t in TRAININGS if provides(firm, t)]


METHODS = (("MAG (135)", "MAG (135)"), ("TIG (141)", "TIG (141)"), ("MIG (131)", "MIG (131)"))
LEVELS = (
    ("– poziom podstawowy", "– basics"),
    ("– poziom zaawansowany", "– advanced"),
    ("i paneli HMI", "and HMI panels"),
)
PLCS = (
    ("Siemens S7-1500", "Siemens S7-1500"),
    ("Allen-Bradley CompactLogix", "Allen-Bradley CompactLogix"),
    ("Mitsubishi iQ-R", "Mitsubishi iQ-R"),
)


def training_offer(rng: Random, firm: Firm, day: dt.date) -> Draft | None:
    """A course with its first session's date and place, price and who it is for."""
    trainings = trainings_of(firm)
    if not trainings:
        return None
    training = rng.choice(trainings)
    session = day + dt.timedelta(days=rng.randint(21, 75))
    method, level, plc = pick(rng, METHODS), pick(rng, LEVELS), pick(rng, PLCS)
    vals = {
        "days": rng.choice((2, 3, 4, 5)),
        "hours": rng.choice((16, 24, 40, 80, 120)),
        "pct": rng.choice((60, 70, 80)),
        "group": rng.choice((6, 8, 10, 12)),
        "method": method[0],
        "level": level[0],
        "level_en": level[1],
        "plc": plc[0],
        "plc_en": plc[1],
        "ctrl": rng.choice(("Sinumerik", "Fanuc", "Heidenhain")),
    }
    vals["hours_pl"] = plural_pl(int(vals["hours"]), "godziny", "godzin")
    title_en_vals = vals | {"method": method[1]}
    price = rng.choice((450, 900, 1400, 2200, 3500))
    discount = rng.choice((15, 20, 30))
    city = AREA_NAMES.get(firm.area or "", "Lublin")
    pl = (
        f"{training.summary[0].format(**vals)} Pierwsza edycja: {date_pl(session)}, {city}. "
        f"Cena {price} zł netto od osoby, dla członków klastra o {discount}% niższa."
    )
    en = (
        f"{training.summary[1].format(**vals)} First session: {date_en(session)}, {city}. "
        f"PLN {price} net per person, {discount}% less for cluster members."
    )
    month_pl = f"{MONTHS_PL[session.month - 1]} {session.year}"
    month_en = f"{MONTHS_EN[session.month - 1]} {session.year}"
    return Draft(
        topic=f"training:{firm.legal_name}:{training.key}:{session.isoformat()}",
        title_pl=f"{training.title[0].format(**vals)} ({month_pl})",
        title_en=f"{training.title[1].format(**title_en_vals)} ({month_en})",
        description_pl=pl,
        description_en=en,
        audience=training.audience,
        partnership=(A.TECHNICAL_COOPERATION,),
        pkd=("85.59.B",),
        capabilities=training.capabilities,
        certifications=training.certifications,
        ends_on=session,
    )


def purposes(term: str) -> tuple[tuple[str, str], ...]:
    return LABS[term].purposes
