"""Writers of the science opportunities: technology offers and requests, R&D requests.

Technology offers carry TRL and IP status; a pending Polish application is numbered
`P.4xxxxx`, a granted patent `PL 2xxxxx B1`, both rising with the year as the office's do.
"""

from __future__ import annotations

import datetime as dt
from random import Random

from upland.demo.opportunities.common import Draft, intro, pick, plural_pl, request_suffix
from upland.demo.opportunities.firms import Firm
from upland.demo.opportunities.science_needs import PROJECTS, TECH_NEEDS
from upland.demo.opportunities.science_tables import RESEARCH, TECHNOLOGIES, Technology
from upland.demo.opportunities.specs import Agreement as A
from upland.demo.opportunities.specs import IpStatus
from upland.organisations.vocab import OrganisationKind as K

CITIES = (("Lublina", "Lublin"), ("Radomia", "Radom"), ("Starachowic", "Starachowice"))
DECIMALS = (("1,5", "1.5"), ("2", "2"), ("3", "3"), ("0,5", "0.5"))


def values(rng: Random, day: dt.date) -> dict[str, object]:
    """One draw of every placeholder of the science tables."""
    city, dec, res = (
        pick(rng, CITIES),
        pick(rng, DECIMALS),
        pick(rng, (("0,1", "0.1"), ("0,2", "0.2"))),
    )
    speed = pick(rng, (("2,5", "2.5"), ("4", "4"), ("6", "6")))
    weeks = rng.choice((2, 3, 4, 6))
    return {
        "n": rng.choice((3, 4, 6, 8)),
        "weeks": weeks,
        "weeks_pl": plural_pl(weeks, "tygodnie", "tygodni"),
        "year": day.year - 1 if day.month < 9 else day.year,
        "k": rng.choice((12, 18, 25, 40, 60)),
        "price": rng.choice(("3 000", "4 500", "6 000")),
        "dt_pl": dec[0],
        "dt_en": dec[1],
        "kw": rng.choice((150, 300, 450)),
        "pct": rng.choice((12, 18, 25, 30, 35, 40)),
        "pct2": rng.choice((15, 20, 30)),
        "lo": rng.choice((50, 100, 200)),
        "kw_laser": rng.choice((4, 6, 8)),
        "speed_pl": speed[0],
        "speed_en": speed[1],
        "t": rng.choice((6, 8, 10)),
        "t2": rng.choice((1, 2, 3)),
        "mult": rng.choice((2, 3, 4)),
        "days": rng.choice((5, 7, 10, 14, 21)),
        "res_pl": res[0],
        "res_en": res[1],
        "months": rng.choice((6, 9, 12, 18)),
        "city_pl": city[0],
        "city_en": city[1],
        "db": rng.choice((3, 4, 5, 6)),
        "pct_bad": rng.choice((6, 8, 11)),
        "pct_low": rng.choice((2, 3)),
        "hours": rng.choice((480, 720, 960)),
        "mwh": rng.choice((900, 1500, 2400)),
        "tol_pl": dec[0],
        "tol_en": dec[1],
        "wmk": rng.choice((2, 3, 5)),
        "volume": rng.choice((500, 1500, 4000)),
        "mass": rng.choice((150, 250, 400)),
        "minutes": rng.choice((10, 15, 20)),
        "seconds": rng.choice((45, 60, 90)),
        "mpa": rng.choice((780, 980, 1180)),
    }


def patent(rng: Random, status: IpStatus, day: dt.date) -> str | None:
    """A plausible Polish number for the year: applications P.424xxx in 2018 to ~P.450xxx in
    2026, granted patents PL 229xxx B1 to ~PL 248xxx B1."""
    years = day.year - 2018
    if status == IpStatus.PATENT_PENDING:
        return f"P.{424_000 + years * 3_300 + rng.randrange(3_000)}"
    if status in (IpStatus.PATENT_GRANTED, IpStatus.LICENCE_AVAILABLE):
        return f"PL {229_000 + years * 2_400 + rng.randrange(2_000)} B1"
    return None


IP_LINES = {
    IpStatus.PATENT_GRANTED: (
        "Rozwiązanie jest chronione patentem {num}.",
        "The solution is protected by Polish patent {num}.",
    ),
    IpStatus.PATENT_PENDING: (
        "Zgłoszenie patentowe {num} czeka na rozpatrzenie w Urzędzie Patentowym RP.",
        "Patent application {num} is pending at the Polish Patent Office.",
    ),
    IpStatus.KNOW_HOW: (
        "Rozwiązanie stanowi know-how zespołu; szczegóły udostępnimy po podpisaniu "
        "umowy o poufności.",
        "The solution is the team's know-how; details follow a non-disclosure agreement.",
    ),
    IpStatus.LICENCE_AVAILABLE: (
        "Udzielimy licencji niewyłącznej na patent {num}.",
        "A non-exclusive licence to patent {num} is available.",
    ),
}


def owns(firm: Firm, owners: frozenset[str]) -> bool:
    return firm.legal_name in owners or (firm.key is not None and firm.key in owners)


def technologies_of(firm: Firm) -> list[Technology]:
    return [t for t in TECHNOLOGIES if owns(firm, t.owners)]


def technology_offer(
    rng: Random, firm: Firm, day: dt.date, anonymous: bool, used: set[str]
) -> Draft | None:
    """A lab's or a firm's technology, one of its applications, with TRL and IP status."""
    choices = [
        (t, a) for t in technologies_of(firm) for a in t.apps if f"tech:{t.key}:{a[1]}" not in used
    ]
    if not choices:
        return None
    tech, app = rng.choice(choices)
    vals = values(rng, day) | {"app": app[0]}
    trl = rng.randint(*tech.trl)
    science = firm.kind == K.RESEARCH
    weights = (3, 4, 2, 2) if science else (2, 2, 5, 1)
    ip = rng.choices(list(IpStatus), weights=weights)[0]
    number = patent(rng, ip, day)
    ip_line = IP_LINES[ip]
    advantages = rng.sample(tech.advantages, min(2, len(tech.advantages)))
    if science:
        who = (
            f"{firm.short_name} szuka partnera przemysłowego do wdrożenia: licencja, "
            "wspólny projekt lub prace na zlecenie.",
            f"{firm.short_name} is looking for an industrial partner to take it to "
            "market: a licence, a joint project or contract work.",
        )
        partnership: tuple[A, ...] = (
            A.LICENCE,
            A.RESEARCH_COOPERATION,
            A.JOINT_FUNDING_APPLICATION,
        )
    else:
        who = intro(firm, anonymous)
        partnership = (A.LICENCE, A.TECHNICAL_COOPERATION)
    pl = [
        tech.summary[0].format(**vals),
        f"Poziom gotowości technologicznej: TRL {trl}.",
        ip_line[0].format(num=number),
        who[0],
    ]
    en = [
        tech.summary[1].format(**vals | {"app": app[1]}),
        f"Technology readiness: TRL {trl}.",
        ip_line[1].format(num=number),
        who[1],
    ]
    return Draft(
        topic=f"tech:{tech.key}:{app[1]}",
        title_pl=tech.title[0].format(app=app[0]),
        title_en=tech.title[1].format(app=app[1]),
        description_pl=" ".join(pl),
        description_en=" ".join(en),
        advantages_pl=" ".join(a[0].format(**vals) for a in advantages),
        advantages_en=" ".join(a[1].format(**vals) for a in advantages),
        audience=tech.fields,
        partnership=partnership[: rng.randint(1, len(partnership))],
        pkd=tech.pkd,
        capabilities=tech.capabilities,
        trl=trl,
        ip_status=ip,
        patent_number=number,
    )


def programme(day: dt.date, voivodeship: str) -> tuple[str, str]:
    """The funding programme a joint application of that year would go to (genitive)."""
    if day.year < 2023:
        return (
            "Programu Operacyjnego Inteligentny Rozwój (Szybka Ścieżka NCBR)",
            "the Smart Growth Operational Programme (NCBR Fast Track)",
        )
    regional = {
        "06": (
            "programu Fundusze Europejskie dla Lubelskiego 2021–2027",
            "the European Funds for Lubelskie 2021–2027 programme",
        ),
        "14": (
            "programu Fundusze Europejskie dla Mazowsza 2021–2027",
            "the European Funds for Mazowsze 2021–2027 programme",
        ),
        "26": (
            "programu Fundusze Europejskie dla Świętokrzyskiego 2021–2027",
            "the European Funds for Świętokrzyskie 2021–2027 programme",
        ),
    }
    if day.month % 2 and voivodeship in regional:
        return regional[voivodeship]
    return (
        "programu Fundusze Europejskie dla Nowoczesnej Gospodarki (Ścieżka SMART)",
        "the European Funds for a Modern Economy programme (SMART Path)",
    )


def technology_request(
    rng: Random, firm: Firm, day: dt.date, anonymous: bool, used: set[str], rnd: bool
) -> Draft | None:
    """A firm's problem put to science: as a technology request, or as an R&D request with a
    joint funding application in view."""
    prefix = "rnd" if rnd else "need"
    needs = [
        n
        for n in TECH_NEEDS
        if firm.key in n.buyers and f"{prefix}:{firm.legal_name}:{n.key}" not in used
    ]
    if not needs:
        return None
    need = rng.choice(needs)
    vals = values(rng, day)
    first = intro(firm, anonymous)
    trl = rng.choice((6, 7, 8)) if not rnd else rng.choice((3, 4, 5))
    pl = [first[0], need.problem[0].format(**vals)]
    en = [first[1], need.problem[1].format(**vals)]
    if rnd:
        months = rng.choice((18, 24, 30, 36))
        fund = programme(day, firm.teryt[:2])
        title = (
            f"Partner naukowy do projektu B+R: {need.title[0][0].lower()}{need.title[0][1:]}",
            f"Research partner for an R&D project: {need.title[1][0].lower()}{need.title[1][1:]}",
        )
        pl.append(
            f"Planujemy {months}-miesięczny projekt badań przemysłowych i "
            f"prac rozwojowych oraz wspólny wniosek w ramach {fund[0]}."
        )
        en.append(
            f"We plan a {months}-month industrial research and development "
            f"project and a joint application under {fund[1]}."
        )
        partnership: tuple[A, ...] = (A.RESEARCH_COOPERATION, A.JOINT_FUNDING_APPLICATION)
    else:
        title = need.title
        pl.append(
            f"Oczekujemy rozwiązania na poziomie co najmniej TRL {trl}, gotowego do "
            "wdrożenia w naszym zakładzie."
        )
        en.append(f"We expect a solution at TRL {trl} or higher, ready for use in our plant.")
        partnership = (A.TECHNICAL_COOPERATION, A.LICENCE, A.RESEARCH_COOPERATION)
    suffix = request_suffix(rng, firm, day, anonymous)
    return Draft(
        topic=f"{prefix}:{firm.legal_name}:{need.key}",
        title_pl=title[0] + suffix[0],
        title_en=title[1] + suffix[1],
        description_pl=" ".join(pl),
        description_en=" ".join(en),
        audience=need.solvers | {RESEARCH},
        partnership=partnership[: rng.randint(1, len(partnership))],
        pkd=("72.10.Z",) if rnd else firm.pkd[:1],
        capabilities=need.capabilities,
        trl=trl,
    )


def research_project(rng: Random, firm: Firm, day: dt.date, used: set[str]) -> Draft | None:
    """A research organisation looks for firms to join a funded project."""
    projects = [
        p for p in PROJECTS if firm.legal_name in p.owners and f"project:{p.key}" not in used
    ]
    if not projects:
        return None
    project = rng.choice(projects)
    fund = programme(day, firm.teryt[:2])
    months = rng.choice((24, 30, 36))
    trl = rng.choice((3, 4))
    pl = (
        f"{project.summary[0]} Projekt potrwa {months} miesięcy i zakończy się demonstratorem "
        f"na poziomie TRL {trl + 3}; wniosek złożymy w ramach {fund[0]}. Koordynator: "
        f"{firm.short_name}."
    )
    en = (
        f"{project.summary[1]} The project will run for {months} months and end with a "
        f"demonstrator at TRL {trl + 3}; the application will go to {fund[1]}. Coordinator: "
        f"{firm.short_name}."
    )
    return Draft(
        topic=f"project:{project.key}",
        title_pl=project.title[0],
        title_en=project.title[1],
        description_pl=pl,
        description_en=en,
        audience=project.fields,
        partnership=(A.RESEARCH_COOPERATION, A.JOINT_FUNDING_APPLICATION),
        pkd=("72.10.Z",),
        trl=trl,
    )
