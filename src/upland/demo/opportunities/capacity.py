"""Writer of capacity offers: free machine hours on the owner's own equipment."""

from __future__ import annotations

import datetime as dt
from random import Random

from upland.demo.opportunities.capacity_tables import (
    CAPACITY_DETAIL,
    CAPACITY_EN,
    CAPACITY_PROCESSES,
    PROCESS_DETAIL,
)
from upland.demo.opportunities.common import Draft, date_en, date_pl, period_en, period_pl, pick
from upland.demo.opportunities.firms import Firm
from upland.demo.opportunities.specs import Agreement as A
from upland.demo.opportunities.specs import CapacitySpec
from upland.demo.opportunities.trade import numbers
from upland.demo.opportunities.trade_tables import NEEDS

TERMS = (
    (
        "Rozliczenie za godzinę pracy maszyny ({rate} zł netto) albo za sztukę po wycenie rysunku.",
        "Charged per machine hour (PLN {rate} net) or per piece, quoted from the drawing.",
    ),
    (
        "Pracujemy z naszymi operatorami na {shifts} zmiany; materiał powierzony lub z naszego "
        "zaopatrzenia.",
        "Run by our operators on {shifts} shifts; free-issue material or sourced by us.",
    ),
    (
        "Minimalne zlecenie to {minimum} h pracy maszyny; transport w promieniu {km} km gratis.",
        "Minimum order {minimum} machine hours; free transport within {km} km.",
    ),
)
NO_CAPACITY = frozenset({"distribution", "aftermarket"})


def capacity_offer(rng: Random, firm: Firm, day: dt.date) -> Draft | None:
    """Free machine hours on the owner's own equipment, from a start date for some weeks."""
    activity = firm.activity
    if activity is None or activity.key in NO_CAPACITY:
        return None
    process = rng.choice(CAPACITY_PROCESSES[activity.key])
    machine = activity.machines[firm.product % len(activity.machines)]
    hours = rng.choice((8, 12, 16, 20, 24, 30, 40, 60))
    start = day + dt.timedelta(days=rng.randint(7, 30))
    end = start + dt.timedelta(weeks=rng.randint(6, 26))
    values = numbers(rng, day) | {
        "rate": rng.choice((110, 140, 160, 190, 240, 320)),
        "shifts": rng.choice((2, 3)),
        "minimum": rng.choice((4, 8, 16)),
        "km": rng.choice((50, 80, 120)),
    }
    cap_en = CAPACITY_EN[activity.key]
    terms = pick(rng, TERMS)
    detail = CAPACITY_DETAIL.get(activity.key) or PROCESS_DETAIL[process]
    pl = (
        f"Od {date_pl(start)} do {date_pl(end)} mamy wolne ok. {hours} h tygodniowo "
        f"{activity.capacity}. Udostępniamy {machine[0]}. {detail[0].format(**values)} "
        f"{terms[0].format(**values)}"
    )
    en = (
        f"From {date_en(start)} to {date_en(end)} we have about {hours} free hours a week "
        f"{cap_en}. We offer the use of {machine[1]}. {detail[1].format(**values)} "
        f"{terms[1].format(**values)}"
    )
    buyers = {n.buyers for n in NEEDS if activity.key in n.suppliers}
    return Draft(
        topic=f"capacity:{firm.legal_name}:{start.isoformat()}",
        title_pl=f"Wolne moce {activity.capacity} – {hours} h/tydz. ({period_pl(start, end)})",
        title_en=f"Free capacity {cap_en} – {hours} h/week ({period_en(start, end)})",
        description_pl=pl,
        description_en=en,
        audience=frozenset().union(*buyers) | {activity.key},
        partnership=(A.SUBCONTRACTING,)
        + ((A.RECIPROCAL_PRODUCTION,) if rng.random() < 0.3 else ()),
        pkd=firm.pkd[:1],
        capabilities=(process, *firm.materials[:2]),
        capacity=CapacitySpec(
            process,
            machine[0][0].upper() + machine[0][1:],
            machine[1][0].upper() + machine[1][1:],
            hours,
            start,
            end,
        ),
    )
