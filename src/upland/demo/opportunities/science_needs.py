"""What the cluster's firms ask of science (technology and R&D requests) and the projects its
research organisations look for industrial partners for. Placeholders: `science.values`."""

from __future__ import annotations

from dataclasses import dataclass

from upland.demo.institutions import POLITECHNIKA
from upland.demo.opportunities.science_tables import AKADEMIA, CENTRUM, INSTYTUT

Pair = tuple[str, str]


@dataclass(frozen=True)
class TechNeed:
    key: str
    buyers: frozenset[str]  # activity keys of firms with this problem
    title: Pair
    problem: Pair
    solvers: frozenset[str]  # activity keys besides research organisations
    capabilities: tuple[str, ...]


@dataclass(frozen=True)
class Project:
    key: str
    owners: frozenset[str]  # legal names of research organisations
    title: Pair
    summary: Pair
    fields: frozenset[str]


def _k(*keys: str) -> frozenset[str]:
    return frozenset(keys)


# fmt: off
TECH_NEEDS = (
    TechNeed("porosity", _k("foundry"),
             ("Ograniczenie porowatości odlewów aluminiowych",
              "Reducing porosity in aluminium castings"),
             ("Udział braków z powodu porowatości sięga {pct_bad}%. Szukamy technologii – np. "
              "odpowietrzania próżniowego formy lub symulacji krzepnięcia – która obniży go "
              "poniżej {pct_low}%.",
              "Porosity scrap reaches {pct_bad}%. We are looking for a technology, such as vacuum "
              "venting or solidification simulation, that brings it below {pct_low}%."),
             _k("engineering", "tooling"), ("casting", "design-simulation")),
    TechNeed("section-control", _k("agri"),
             ("Sterowanie sekcjami i dawką w naszych maszynach",
              "Section and rate control for our machines"),
             ("Klienci oczekują zgodności z ISOBUS i automatycznego sterowania sekcjami. Szukamy "
              "modułu lub partnera, który pomoże wdrożyć je w {n} modelach maszyn w ciągu "
              "{months} miesięcy.",
              "Customers expect ISOBUS compatibility and automatic section control. We need a "
              "module or a partner to bring it into {n} machine models within {months} months."),
             _k("electronics", "automation"), ("pcb-assembly", "design-simulation")),
    TechNeed("wear-parts", _k("agri", "aftermarket", "forging"),
             ("Trwalsze elementy robocze maszyn uprawowych",
              "Longer-lasting wearing parts for tillage machines"),
             ("Lemiesze i zęby wytrzymują dziś ok. {k} ha w glebach piaszczystych. Szukamy "
              "technologii napawania lub obróbki cieplnej, która co najmniej podwoi ich trwałość "
              "przy rozsądnym koszcie.",
              "Shares and tines last about {k} ha in sandy soils today. We are looking for a "
              "hardfacing or heat-treatment technology that at least doubles their life at a "
              "reasonable cost."),
             _k("surface"), ("surface-treatment", "heat-treatment")),
    TechNeed("tool-wear", _k("machining", "drives", "tooling"),
             ("Monitorowanie zużycia narzędzi na obrabiarkach CNC",
              "Tool-wear monitoring on CNC machines"),
             ("Na {n} centrach obróbczych narzędzia wymieniamy w stałych odstępach, co podnosi "
              "koszty i nie chroni przed wykruszeniem ostrzy. Szukamy systemu oceniającego "
              "zużycie na podstawie sygnałów z maszyny.",
              "On {n} machining centres we change tools at fixed intervals, which costs money and "
              "does not prevent chipping. We are looking for a system that rates wear from "
              "machine signals."),
             _k("automation", "electronics"), ("cnc-milling", "metrology")),
    TechNeed("cr6-free", _k("surface"),
             ("Pasywacja bez chromu sześciowartościowego", "Hexavalent-chromium-free passivation"),
             ("Odbiorcy z branży motoryzacyjnej wymagają powłok cynkowych bez Cr(VI) o "
              "odporności co najmniej {hours} h w mgle solnej. Szukamy sprawdzonej technologii "
              "i wsparcia przy wdrożeniu na linii galwanicznej.",
              "Automotive customers require Cr(VI)-free zinc coatings lasting at least {hours} h "
              "in salt spray. We are looking for a proven process and help to bring it onto our "
              "plating line."),
             _k(), ("surface-treatment",)),
    TechNeed("oven-heat", _k("surface", "agri", "trailers"),
             ("Odzysk ciepła z pieca do utwardzania farb",
              "Heat recovery from the paint-curing oven"),
             ("Piec lakierni zużywa ok. {mwh} MWh gazu rocznie. Szukamy rozwiązania odzysku "
              "ciepła lub zmiany źródła energii, które obniży zużycie o {pct}%.",
              "Our curing oven burns about {mwh} MWh of gas a year. We are looking for heat "
              "recovery or a new energy source that cuts this by {pct}%."),
             _k("automation", "engineering"), ("surface-treatment",)),
    TechNeed("recyclate", _k("plastics"),
             ("Recyklat w wypraskach technicznych", "Recycled material in technical mouldings"),
             ("Klienci OEM wymagają {pct}% recyklatu w osłonach i elementach wnętrza. Szukamy "
              "receptury mieszanki i metody kontroli jej powtarzalności.",
              "OEM customers require {pct}% recycled content in covers and interior parts. We "
              "are looking for a compound recipe and a way to control its consistency."),
             _k(), ("injection-moulding", "plastics")),
    TechNeed("seam-tracking", _k("welding", "trailers", "agri"),
             ("Śledzenie złącza i kontrola spoin w gnieździe zrobotyzowanym",
              "Seam tracking and weld inspection in a robotic cell"),
             ("Detale po cięciu i gięciu mają odchyłki do {tol_pl} mm, przez co robot spawa poza "
              "złączem. Szukamy systemu śledzenia złącza i automatycznej kontroli spoin.",
              "Parts deviate by up to {tol_en} mm after cutting and bending, so the robot misses "
              "the joint. We are looking for seam tracking and automatic weld inspection."),
             _k("automation"), ("welding-robotic", "automation-robotics")),
    TechNeed("tim", _k("emobility"),
             ("Materiał termoprzewodzący do pakietów baterii",
              "Thermal interface material for battery packs"),
             ("Szukamy materiału i technologii jego nakładania, które zapewnią przewodność co "
              "najmniej {wmk} W/mK między ogniwami a płytą chłodzącą przy {volume} pakietach "
              "rocznie.",
              "We are looking for a material and a dispensing process giving at least {wmk} W/mK "
              "between cells and cold plate at {volume} packs a year."),
             _k("plastics"), ("assembly-testing",)),
    TechNeed("crimp", _k("harness"),
             ("Automatyczna kontrola jakości zacisków", "Automatic crimp quality control"),
             ("Chcemy zastąpić kontrolę wyrywkową pomiarem siły zaciskania i analizą obrazu "
              "każdego zacisku na {n} automatach.",
              "We want to replace sampling with crimp-force monitoring and image analysis of "
              "every crimp on {n} machines."),
             _k("automation", "electronics"), ("wire-harnesses", "metrology")),
    TechNeed("light-body", _k("trailers", "vehicles"),
             ("Lekka podłoga i ściany zabudowy", "Lightweight floor and walls for bodies"),
             ("Szukamy paneli lub profili, które obniżą masę zabudowy o co najmniej {mass} kg "
              "przy zachowaniu nośności i izolacyjności.",
              "We are looking for panels or profiles that take at least {mass} kg off a body "
              "while keeping its strength and insulation."),
             _k("plastics", "engineering"), ("composites-processing", "composites")),
    TechNeed("heat-pump", _k("vehicles", "emobility"),
             ("Pompa ciepła do ogrzewania pojazdu elektrycznego",
              "Heat pump for heating an electric vehicle"),
             ("Ogrzewanie elektryczne skraca zimą zasięg pojazdu o {pct}%. Szukamy partnera z "
              "doświadczeniem w pompach ciepła na CO₂ lub R290.",
              "Electric heating cuts winter range by {pct}%. We are looking for a partner who "
              "knows CO₂ or R290 heat pumps."),
             _k("engineering"), ("design-simulation",)),
    TechNeed("gear-noise", _k("drives", "agri"),
             ("Cichsza przekładnia", "A quieter gearbox"),
             ("Nowa przekładnia przekracza o {db} dB(A) poziom hałasu wymagany przez odbiorcę. "
              "Szukamy metody modyfikacji uzębień lub tłumienia drgań obudowy.",
              "Our new gearbox is {db} dB(A) above the customer's noise limit. We are looking "
              "for tooth modifications or housing damping."),
             _k("engineering"), ("design-simulation", "grinding")),
    TechNeed("pump-diagnostics", _k("aftermarket"),
             ("Diagnostyka pomp hydraulicznych przed regeneracją",
              "Diagnosing hydraulic pumps before remanufacture"),
             ("Szukamy metody oceny stanu pompy na stanowisku w ciągu {minutes} minut, bez "
              "demontażu, by szybciej kwalifikować rdzenie do regeneracji.",
              "We need a bench test that rates a pump in {minutes} minutes without dismantling, "
              "to qualify cores for remanufacture faster."),
             _k("electronics", "engineering", "drives"), ("assembly-testing", "metrology")),
    TechNeed("emc", _k("electronics", "emobility", "harness"),
             ("Projektowanie elektroniki pod wymagania EMC",
              "Designing electronics for EMC compliance"),
             ("Nasze sterowniki nie przeszły badań kompatybilności elektromagnetycznej. Szukamy "
              "wsparcia w przeglądzie projektu płytek i w badaniach przedkwalifikacyjnych.",
              "Our controllers failed electromagnetic compatibility tests. We need help with a "
              "board design review and pre-compliance testing."),
             _k("engineering"), ("pcb-assembly", "design-simulation")),
    TechNeed("conformal", _k("tooling", "plastics"),
             ("Chłodzenie konforemne w formach wtryskowych",
              "Conformal cooling in injection moulds"),
             ("Cykl wtrysku wyprasek grubościennych trwa {seconds} s. Szukamy technologii "
              "wkładek z chłodzeniem konforemnym drukowanych z metalu.",
              "The cycle for thick-walled mouldings is {seconds} s. We are looking for "
              "metal-printed inserts with conformal cooling."),
             _k("tooling"), ("tooling", "additive-manufacturing")),
    TechNeed("lightweight-parts", _k("autoparts"),
             ("Lżejsze wsporniki i elementy zawieszenia", "Lighter brackets and suspension parts"),
             ("Odbiorca wymaga zmniejszenia masy wsporników o {pct}% bez utraty sztywności. "
              "Szukamy kompetencji w optymalizacji topologicznej i stalach wysokowytrzymałych.",
              "Our customer wants brackets {pct}% lighter with no loss of stiffness. We need "
              "skills in topology optimisation and high-strength steels."),
             _k("engineering", "tooling"), ("design-simulation", "sheet-metal-forming")),
    TechNeed("springback", _k("stamping"),
             ("Kompensacja sprężynowania blach AHSS", "Springback compensation for AHSS sheet"),
             ("Przy tłoczeniu blach o wytrzymałości ponad {mpa} MPa odchyłki kształtu "
              "przekraczają tolerancję. Szukamy symulacji i metody kompensacji w narzędziu.",
              "Stamping sheet above {mpa} MPa puts parts out of tolerance. We are looking for "
              "simulation and a way to compensate in the die."),
             _k("engineering", "tooling"), ("sheet-metal-forming", "tooling")),
)

PROJECTS = (
    Project("weeding-robot", _k(POLITECHNIKA, INSTYTUT),
            ("Autonomiczny robot do mechanicznego odchwaszczania – partnerzy przemysłowi",
             "Autonomous mechanical weeding robot: industrial partners wanted"),
            ("Przygotowujemy projekt budowy i badań polowych autonomicznego robota do "
             "odchwaszczania upraw rzędowych. Szukamy producenta maszyn rolniczych, dostawcy "
             "elektroniki i integratora, którzy zbudują serię prototypową.",
             "We are preparing a project to build and field-test an autonomous weeding robot for "
             "row crops. We are looking for a farm-machinery maker, an electronics supplier and "
             "an integrator to build a prototype series."),
            _k("agri", "electronics", "automation")),
    Project("second-life", _k(CENTRUM, POLITECHNIKA),
            ("Drugie życie baterii z autobusów elektrycznych",
             "Second life for electric-bus batteries"),
            ("Badamy ocenę stanu i ponowne użycie modułów baterii z wycofanych autobusów w "
             "magazynach energii dla zajezdni. Szukamy firm do budowy demonstratora.",
             "We study the grading and reuse of battery modules from retired buses in depot "
             "energy storage. We are looking for firms to build a demonstrator."),
            _k("emobility", "vehicles", "electronics")),
    Project("weld-twin", _k(AKADEMIA),
            ("Cyfrowy bliźniak zrobotyzowanej linii spawalniczej",
             "Digital twin of a robotic welding line"),
            ("Opracowujemy model linii spawalniczej, który przewiduje odkształcenia i dobiera "
             "kolejność spoin przed uruchomieniem produkcji. Szukamy zakładu, na którego linii "
             "zweryfikujemy model.",
             "We are developing a model of a welding line that predicts distortion and orders "
             "the welds before production starts. We are looking for a plant whose line can "
             "validate it."),
            _k("welding", "automation", "agri", "trailers")),
    Project("hydrogen", _k(CENTRUM, POLITECHNIKA),
            ("Napęd wodorowy pojazdów komunalnych", "Hydrogen drive for municipal vehicles"),
            ("Planujemy projekt integracji ogniwa paliwowego z napędem elektrycznym śmieciarki "
             "i zamiatarki. Szukamy producenta zabudów i dostawców układów wysokonapięciowych.",
             "We plan a project to integrate a fuel cell into the electric drive of a refuse "
             "truck and a street sweeper. We are looking for a body builder and high-voltage "
             "suppliers."),
            _k("vehicles", "emobility", "harness")),
    Project("light-trailer", _k(AKADEMIA, INSTYTUT),
            ("Lekka przyczepa rolnicza z elementami kompozytowymi",
             "A lightweight farm trailer with composite parts"),
            ("Chcemy zbudować i przebadać przyczepę o masie własnej mniejszej o jedną piątą, z "
             "ramą ze stali wysokowytrzymałej i skrzynią z kompozytu. Szukamy producenta "
             "przyczep i zakładu przetwórstwa tworzyw.",
             "We want to build and test a trailer one fifth lighter, with a high-strength steel "
             "frame and a composite body. We are looking for a trailer maker and a plastics "
             "processor."),
            _k("agri", "trailers", "plastics", "welding")),
    Project("telemetry", _k(INSTYTUT),
            ("Otwarta platforma telemetrii maszyn rolniczych",
             "An open telemetry platform for farm machinery"),
            ("Budujemy otwarty standard zbierania danych eksploatacyjnych z maszyn różnych "
             "producentów. Szukamy producentów maszyn i serwisów do pilotażu.",
             "We are building an open standard for collecting operating data from machines of "
             "different makes. We are looking for machinery makers and service firms to pilot it."),
            _k("agri", "electronics", "aftermarket")),
)
# fmt: on
