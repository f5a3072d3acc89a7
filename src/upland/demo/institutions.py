"""The fixed cast of the demo world: science, schools, support bodies, city halls, coordinator.

All names are invented except the three city halls, which are real public bodies and appear
with their real seats (their staff here are fictional). Identifiers are generated in world.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from upland.demo.places import LUBLIN, RADOM, STARACHOWICE
from upland.organisations.vocab import MembershipStatus as M
from upland.organisations.vocab import OrganisationKind as K

Capability = tuple[str, str, str, str]  # kind, vocabulary slug, label, notes

BOOKING = "Dostępne dla członków klastra po rezerwacji przez platformę; cennik na żądanie."


@dataclass(frozen=True)
class Institution:
    kind: K
    legal_name: str
    short_name: str
    teryt: str
    street: str
    pkd: tuple[str, ...]  # PKD 2025, first primary
    description_pl: str
    description_en: str
    founded: int
    employees: int
    roles: tuple[str, ...]  # role titles of the contact people
    capabilities: tuple[Capability, ...] = ()
    ids: frozenset[str] = frozenset({"nip", "regon"})  # plus "krs"
    branch_of: str | None = None  # legal name: a local unit with a 14-digit REGON, no NIP
    membership: M = M.MEMBER
    postal_code: str | None = None
    website: bool = True


POLITECHNIKA = "Politechnika Wyżynna"
COORDINATOR = "Fundacja Klaster Wyżyna Motoryzacyjna i Maszynowa (demo)"
LETTER_PL = (
    "Sygnatariusz listu intencyjnego z 19 marca 2018 r. o współpracy Lublina, Radomia i "
    "Starachowic na rzecz rozwoju przemysłu motoryzacyjnego i maszynowego."
)
LETTER_EN = (
    "Signatory of the letter of intent of 19 March 2018 in which Lublin, Radom and Starachowice "
    "agreed to cooperate on developing the automotive and machinery industry."
)
CITY_ROLES = (
    "Pełnomocnik Prezydenta ds. współpracy z przemysłem",
    "Inspektor ds. obsługi inwestorów",
)

INSTITUTIONS = (
    Institution(
        K.RESEARCH,
        POLITECHNIKA,
        "Politechnika Wyżynna",
        LUBLIN,
        "ul. Konstruktorów 38",
        ("85.40.Z", "72.10.Z"),
        "Fikcyjna uczelnia techniczna kształcąca inżynierów mechaniki, mechatroniki i "
        "elektromobilności. Wydział Mechaniczny prowadzi badania napędów hybrydowych i "
        "elektrycznych oraz trwałości konstrukcji maszyn rolniczych. Laboratoria udostępnia "
        "członkom klastra w ramach zleceń i wspólnych projektów.",
        "A fictional technical university training mechanical, mechatronics and "
        "electromobility engineers. Its Faculty of Mechanical Engineering researches hybrid "
        "and electric drives and the durability of agricultural machinery structures. Its "
        "laboratories are open to cluster members for contract work and joint projects.",
        1953,
        2100,
        (
            "Prorektor ds. nauki i współpracy z gospodarką",
            "Kierownik Laboratorium Napędów",
            "Specjalista ds. transferu technologii",
        ),
        (
            (
                "infrastructure",
                "engine-test-bench",
                "Hamownia silników spalinowych i elektrycznych do 250 kW",
                BOOKING,
            ),
            (
                "infrastructure",
                "materials-lab",
                "Laboratorium badań materiałowych (mikroskop SEM, twardościomierze)",
                BOOKING,
            ),
            ("infrastructure", "cmm", "Maszyna współrzędnościowa 1200×1000×800 mm", BOOKING),
            ("equipment", "3d-printer-metal", "Drukarka 3D do metali (SLM)", ""),
            ("certification", "iso-iec-17025", "", "Akredytacja laboratorium badań materiałowych"),
        ),
    ),
    Institution(
        K.RESEARCH,
        "Politechnika Wyżynna – Centrum Badawcze Elektromobilności w Starachowicach",
        "Centrum Badawcze Elektromobilności",
        STARACHOWICE,
        "ul. Wynalazców 4",
        ("72.10.Z",),
        "Zamiejscowe centrum badawcze Politechniki Wyżynnej, otwarte w 2019 r. w dawnej hali "
        "narzędziowni. Bada pakiety baterii, silniki trakcyjne i kompatybilność "
        "elektromagnetyczną pojazdów użytkowych. Wspiera firmy w przygotowaniu do homologacji.",
        "An off-campus research centre of Politechnika Wyżynna, opened in 2019 in a former "
        "tool-shop hall. It tests battery packs, traction motors and the electromagnetic "
        "compatibility of commercial vehicles, and helps firms prepare for type approval.",
        2019,
        35,
        ("Kierownik Centrum", "Inżynier ds. badań EMC"),
        (
            ("infrastructure", "emc-lab", "Komora bezodbiciowa do badań EMC pojazdów", BOOKING),
            ("infrastructure", "climate-chamber", "Komora klimatyczna −40…+85 °C, 12 m³", BOOKING),
            (
                "infrastructure",
                "engine-test-bench",
                "Hamownia silników elektrycznych 2 × 160 kW",
                BOOKING,
            ),
            ("infrastructure", "test-lab", "Stanowisko badań pakietów baterii do 800 V", BOOKING),
        ),
        ids=frozenset({"regon"}),
        branch_of=POLITECHNIKA,
    ),
    Institution(
        K.RESEARCH,
        "Akademia Mechaniki Stosowanej w Radomiu",
        "Akademia Mechaniki Stosowanej",
        RADOM,
        "ul. Tokarzy 12",
        ("85.40.Z", "72.10.Z"),
        "Fikcyjna uczelnia kształcąca w zakresie mechaniki, transportu i inżynierii "
        "materiałowej. Specjalizuje się w badaniach zmęczeniowych zawieszeń i w technologiach "
        "spawania. Prowadzi studia dualne z firmami z Radomia.",
        "A fictional academy teaching mechanics, transport and materials engineering. It "
        "specialises in fatigue testing of suspensions and in welding technology, and runs "
        "dual-study programmes with firms in Radom.",
        1978,
        640,
        (
            "Prorektor ds. współpracy z otoczeniem",
            "Kierownik Laboratorium Spawalnictwa",
            "Koordynator studiów dualnych",
        ),
        (
            ("infrastructure", "test-lab", "Laboratorium badań trwałościowych zawieszeń", BOOKING),
            (
                "infrastructure",
                "prototyping-workshop",
                "Warsztat prototypowy z obrabiarkami CNC",
                BOOKING,
            ),
            ("equipment", "welding-robot", "Zrobotyzowane stanowisko spawania laserowego", ""),
        ),
    ),
    Institution(
        K.RESEARCH,
        "Instytut Maszyn Rolniczych i Pojazdów Wyżyny",
        "Instytut Maszyn Rolniczych",
        "0614011",
        "ul. Rolnicza 21",
        ("72.10.Z", "71.20.C"),
        "Fikcyjny instytut badawczy prowadzący badania i certyfikację maszyn rolniczych. "
        "Dysponuje poligonem badawczym i akredytowanym laboratorium. Doradza producentom w "
        "zakresie bezpieczeństwa maszyn i norm emisji.",
        "A fictional research institute testing and certifying agricultural machinery. It has "
        "a proving ground and an accredited laboratory, and advises manufacturers on machine "
        "safety and emission standards.",
        1962,
        180,
        ("Dyrektor Instytutu", "Kierownik Zakładu Badań Maszyn"),
        (
            ("infrastructure", "test-lab", "Poligon i tor badań maszyn rolniczych", BOOKING),
            ("infrastructure", "materials-lab", "Laboratorium wytrzymałości materiałów", BOOKING),
            ("certification", "iso-iec-17025", "", ""),
        ),
        ids=frozenset({"nip", "regon", "krs"}),
    ),
    Institution(
        K.SCHOOL,
        "Technikum Elektromobilności i Mechatroniki w Lublinie",
        "Technikum Elektromobilności",
        LUBLIN,
        "ul. Elektryczna 9",
        ("85.32.A",),
        "Fikcyjne technikum kształcące techników mechatroników, elektryków i pojazdów "
        "samochodowych. Prowadzi klasy patronackie z firmami klastra i praktyki w zakładach "
        "Tier 1.",
        "A fictional technical secondary school training mechatronics, electrical and "
        "motor-vehicle technicians. It runs sponsored classes with cluster firms and "
        "internships at Tier 1 plants.",
        1965,
        85,
        ("Dyrektor", "Kierownik szkolenia praktycznego"),
        (
            ("equipment", "cnc-machining-centre", "Pracownia CNC: 6 tokarek i 4 frezarki", ""),
            (
                "infrastructure",
                "prototyping-workshop",
                "Pracownia elektromobilności z ładowarką DC",
                "",
            ),
        ),
        ids=frozenset({"regon"}),
    ),
    Institution(
        K.SCHOOL,
        "Zespół Szkół Samochodowych i Maszynowych „Wyżyna” w Radomiu",
        "ZSSiM „Wyżyna”",
        RADOM,
        "ul. Warsztatowa 3",
        ("85.32.A", "85.32.B"),
        "Fikcyjny zespół szkół z technikum i branżową szkołą I stopnia. Kształci mechaników "
        "pojazdów, operatorów obrabiarek skrawających i spawaczy.",
        "A fictional school complex with a technical school and a first-degree vocational "
        "school. It trains vehicle mechanics, machine-tool operators and welders.",
        1958,
        110,
        ("Dyrektor", "Doradca zawodowy"),
        (("equipment", "welding-robot", "Pracownia spawalnicza z robotem dydaktycznym", ""),),
        ids=frozenset({"regon"}),
    ),
    Institution(
        K.SCHOOL,
        "Branżowa Szkoła Mechaniki Pojazdowej w Starachowicach",
        "Branżowa Szkoła Mechaniki Pojazdowej",
        STARACHOWICE,
        "ul. Kowalska 15",
        ("85.32.B",),
        "Fikcyjna szkoła branżowa kształcąca mechaników pojazdów ciężarowych i maszyn "
        "rolniczych w systemie dualnym z lokalnymi warsztatami. Absolwenci zdobywają "
        "kwalifikacje diagnosty i uprawnienia spawalnicze.",
        "A fictional vocational school training truck and farm-machinery mechanics in a dual "
        "system with local workshops. Graduates gain diagnostic qualifications and welding "
        "certificates.",
        1972,
        45,
        ("Dyrektor",),
        ids=frozenset({"regon"}),
    ),
    Institution(
        K.SCHOOL,
        "Centrum Kształcenia Zawodowego Maszyn Rolniczych w Kraśniku",
        "CKZ Maszyn Rolniczych",
        "0607011",
        "ul. Ślusarska 2",
        ("85.59.B", "85.32.C"),
        "Fikcyjne centrum kształcenia zawodowego prowadzące kursy kwalifikacyjne dla "
        "operatorów CNC, spawaczy i serwisantów maszyn rolniczych. Szkolenia przygotowuje "
        "razem z producentami maszyn z Kraśnika i Lublina.",
        "A fictional vocational training centre running qualification courses for CNC "
        "operators, welders and farm-machinery service technicians. It designs its courses "
        "with machinery makers from Kraśnik and Lublin.",
        1999,
        30,
        ("Dyrektor", "Koordynator kursów"),
        (("equipment", "cnc-machining-centre", "Sala szkoleniowa CNC z symulatorami", ""),),
        ids=frozenset({"regon"}),
        membership=M.APPLICANT,
    ),
    Institution(
        K.BUSINESS_SUPPORT,
        "Wyżynny Park Naukowo-Technologiczny sp. z o.o.",
        "Wyżynny Park Naukowo-Technologiczny",
        LUBLIN,
        "ul. Technologiczna 1",
        ("70.20.Z", "68.20.Z", "82.99.B"),
        "Fikcyjny park technologiczny oferujący hale produkcyjne, biura i laboratorium "
        "szybkiego prototypowania. Prowadzi program akceleracji dla start-upów z branży "
        "elektromobilności.",
        "A fictional technology park offering production halls, offices and a rapid "
        "prototyping lab. It runs an acceleration programme for electromobility start-ups.",
        2011,
        40,
        ("Prezes Zarządu", "Menedżer ds. innowacji"),
        (
            (
                "infrastructure",
                "prototyping-workshop",
                "Laboratorium szybkiego prototypowania (druk 3D, skanowanie 3D)",
                BOOKING,
            ),
        ),
        ids=frozenset({"nip", "regon", "krs"}),
        postal_code="20-262",
    ),
    Institution(
        K.BUSINESS_SUPPORT,
        "Izba Gospodarcza Przemysłu Maszynowego Ziemi Radomskiej",
        "Izba Przemysłu Maszynowego",
        RADOM,
        "ul. Inżynierska 7",
        ("94.11.Z",),
        "Fikcyjna izba gospodarcza zrzeszająca producentów maszyn i ich dostawców. Organizuje "
        "misje gospodarcze, szkolenia i dni kooperacji B2B.",
        "A fictional chamber of commerce for machinery makers and their suppliers. It "
        "organises trade missions, training and B2B cooperation days.",
        1994,
        8,
        ("Prezes Izby", "Specjalista ds. projektów"),
        ids=frozenset({"nip", "regon", "krs"}),
    ),
    Institution(
        K.BUSINESS_SUPPORT,
        "Agencja Rozwoju Przemysłu Trzech Miast sp. z o.o.",
        "Agencja Rozwoju Trzech Miast",
        STARACHOWICE,
        "ul. Turbinowa 10",
        ("70.20.Z", "68.20.Z", "82.99.B"),
        "Fikcyjna agencja rozwoju obsługująca inwestorów i tereny inwestycyjne w Starachowicach "
        "i okolicy. Prowadzi ścieżkę inwestora od zapytania do opieki poinwestycyjnej.",
        "A fictional development agency serving investors and investment sites in and around "
        "Starachowice. It handles the investor journey from enquiry to aftercare.",
        2004,
        22,
        ("Prezes Zarządu", "Opiekun inwestora"),
        ids=frozenset({"nip", "regon", "krs"}),
    ),
    Institution(
        K.BUSINESS_SUPPORT,
        "Inkubator Technologiczny Elektromobilności sp. z o.o.",
        "Inkubator Elektromobilności",
        RADOM,
        "ul. Motoryzacyjna 2",
        ("82.99.B", "68.20.Z"),
        "Fikcyjny inkubator dla młodych firm technologicznych: biura, warsztat i mentoring. "
        "Łączy start-upy z dostawcami Tier 1 i uczelniami.",
        "A fictional incubator for young technology firms offering offices, a workshop and "
        "mentoring. It connects start-ups with Tier 1 suppliers and universities.",
        2016,
        6,
        ("Menedżer inkubatora",),
        ids=frozenset({"nip", "regon", "krs"}),
    ),
    Institution(
        K.BUSINESS_SUPPORT,
        "Fundacja Transferu Technologii Wyżyna",
        "Transfer Technologii Wyżyna",
        LUBLIN,
        "ul. Wynalazców 11",
        ("74.99.Z", "85.59.B"),
        "Fikcyjna fundacja wspierająca komercjalizację wyników badań: ocena potencjału "
        "rynkowego, ochrona własności intelektualnej i szkolenia dla przedsiębiorców. Pomaga "
        "naukowcom przygotować oferty technologiczne dla przemysłu.",
        "A fictional foundation supporting the commercialisation of research results: market "
        "assessment, intellectual-property protection and training for entrepreneurs. It helps "
        "researchers prepare technology offers for industry.",
        2013,
        9,
        ("Prezes Fundacji", "Broker technologii"),
        ids=frozenset({"nip", "regon", "krs"}),
        membership=M.APPLICANT,
    ),
    Institution(
        K.LOCAL_GOVERNMENT,
        "Gmina Lublin",
        "Urząd Miasta Lublin",
        LUBLIN,
        "pl. Króla Władysława Łokietka 1",
        ("84.11.Z", "84.13.Z"),
        LETTER_PL + " Miasto wspiera inwestorów i kształcenie kadr dla przemysłu.",
        LETTER_EN + " The city supports investors and training for industry.",
        1990,
        2000,
        CITY_ROLES,
        ids=frozenset({"nip", "regon"}),  # a municipality has both, like any taxpayer
        membership=M.NONE,
        postal_code="20-109",
        website=False,
    ),
    Institution(
        K.LOCAL_GOVERNMENT,
        "Gmina Miasta Radomia",
        "Urząd Miejski w Radomiu",
        RADOM,
        "ul. Jana Kilińskiego 30",
        ("84.11.Z", "84.13.Z"),
        LETTER_PL + " Miasto rozwija tereny inwestycyjne dla przemysłu maszynowego.",
        LETTER_EN + " The city develops investment sites for the machinery industry.",
        1990,
        1100,
        CITY_ROLES,
        ids=frozenset({"nip", "regon"}),  # a municipality has both, like any taxpayer
        membership=M.NONE,
        postal_code="26-600",
        website=False,
    ),
    Institution(
        K.LOCAL_GOVERNMENT,
        "Gmina Starachowice",
        "Urząd Miejski w Starachowicach",
        STARACHOWICE,
        "ul. Radomska 45",
        ("84.11.Z", "84.13.Z"),
        LETTER_PL + " Miasto kontynuuje tradycje przemysłu motoryzacyjnego sięgające okresu "
        "międzywojennego.",
        LETTER_EN + " The city carries on an automotive tradition dating back to the interwar "
        "period.",
        1990,
        260,
        CITY_ROLES,
        ids=frozenset({"nip", "regon"}),  # a municipality has both, like any taxpayer
        membership=M.NONE,
        postal_code="27-200",
        website=False,
    ),
    Institution(
        K.COORDINATOR,
        COORDINATOR,
        "Klaster Wyżyna (demo)",
        LUBLIN,
        "ul. Technologiczna 1",
        ("94.99.Z", "82.30.Z", "70.20.Z"),
        "Fundacja koordynująca klaster „Wyżyna Motoryzacyjna i Maszynowa”, założona w lutym "
        "2018 r. przez uczelnie i firmy. Obszary działania: elektromobilność, maszyny rolnicze "
        "i współpraca z przemysłem motoryzacyjnym. Członkom zapewnia dostęp do nowych "
        "technologii, dostawców i infrastruktury badawczej jednostek naukowych.",
        "The foundation coordinating the Lublin Automotive and Machinery Upland cluster, set up "
        "in February 2018 by universities and companies. Its focus areas are electromobility, "
        "agricultural machinery and cooperation with the automotive industry. It gives members "
        "access to new technologies, suppliers and the research infrastructure of science units.",
        2018,
        6,
        ("Koordynator klastra", "Specjalista ds. kooperacji"),
        ids=frozenset({"nip", "regon", "krs"}),
        postal_code="20-262",
    ),
)
