"""Research infrastructure members may book and the trainings the cluster's schools, labs and
support bodies run. Placeholders are drawn in `labs.values`."""

from __future__ import annotations

from dataclasses import dataclass

from upland.demo.institutions import COORDINATOR, POLITECHNIKA
from upland.demo.opportunities.science_tables import AKADEMIA, CENTRUM, INSTYTUT

Pair = tuple[str, str]

# fmt: off
LABEL_EN = {  # the institutions' infrastructure labels (institutions.py), in English
    "Hamownia silników spalinowych i elektrycznych do 250 kW":
        "Combustion and electric engine dynamometer up to 250 kW",
    "Laboratorium badań materiałowych (mikroskop SEM, twardościomierze)":
        "Materials testing lab (SEM microscope, hardness testers)",
    "Maszyna współrzędnościowa 1200×1000×800 mm": "Coordinate measuring machine 1200×1000×800 mm",
    "Komora bezodbiciowa do badań EMC pojazdów": "Anechoic chamber for vehicle EMC testing",
    "Komora klimatyczna −40…+85 °C, 12 m³": "Climate chamber −40…+85 °C, 12 m³",
    "Hamownia silników elektrycznych 2 × 160 kW": "Electric motor dynamometer 2 × 160 kW",
    "Stanowisko badań pakietów baterii do 800 V": "Battery-pack test rig up to 800 V",
    "Laboratorium badań trwałościowych zawieszeń": "Suspension durability test lab",
    "Warsztat prototypowy z obrabiarkami CNC": "Prototype workshop with CNC machine tools",
    "Poligon i tor badań maszyn rolniczych": "Proving ground and test track for farm machinery",
    "Laboratorium wytrzymałości materiałów":
        "Materials strength lab with a tensile testing machine",
    "Pracownia elektromobilności z ładowarką DC": "Electromobility workshop with a DC charger",
    "Laboratorium szybkiego prototypowania (druk 3D, skanowanie 3D)":
        "Rapid prototyping lab (3D printing, 3D scanning)",
}

COMPANY_LABS: dict[tuple[str, int | None], tuple[str, str, str]] = {  # (activity, product)
    ("engineering", None): ("materials-lab", "Maszyna wytrzymałościowa 100 kN z ekstensometrem",
                            "100 kN universal testing machine with an extensometer"),
    ("electronics", 1): ("climate-chamber", "Komora klimatyczna −40…+150 °C, 1 m³",
                         "Climate chamber −40…+150 °C, 1 m³"),
    ("emobility", 0): ("engine-test-bench", "Hamownia silników elektrycznych do 120 kW",
                       "Electric motor dynamometer up to 120 kW"),
}


@dataclass(frozen=True)
class Lab:
    """What a kind of infrastructure does, what members book it for and who they are."""

    description: Pair
    purposes: tuple[Pair, ...]
    audience: frozenset[str]


def _k(*keys: str) -> frozenset[str]:
    return frozenset(keys)


LABS = {
    "engine-test-bench": Lab(
        ("Wyznaczamy charakterystyki momentu, mocy i sprawności silników i napędów do {rpm} "
         "obr./min, z rejestracją danych i raportem z badań.",
         "We map torque, power and efficiency of motors and drives up to {rpm} rpm, with data "
         "logging and a test report."),
        (("mapa sprawności silnika trakcyjnego", "efficiency map of a traction motor"),
         ("próba trwałościowa przekładni", "gearbox endurance run"),
         ("badanie falownika z nowym oprogramowaniem", "inverter test with new firmware")),
        _k("emobility", "vehicles", "drives", "agri", "aftermarket")),
    "materials-lab": Lab(
        ("Wykonujemy statyczną próbę rozciągania do {kn} kN według PN-EN ISO 6892-1, pomiary "
         "twardości, zgłady metalograficzne i analizę przełomów.",
         "We run tensile tests up to {kn} kN to EN ISO 6892-1, hardness measurements, "
         "metallographic sections and fracture analysis."),
        (("próba rozciągania próbek ze złączy spawanych", "tensile tests of welded joints"),
         ("analiza przełomu pękniętego wału", "fracture analysis of a broken shaft"),
         ("badanie twardości po azotowaniu", "hardness testing after nitriding")),
        _k("machining", "welding", "forging", "foundry", "surface", "autoparts", "agri")),
    "cmm": Lab(
        ("Mierzymy geometrię detali do {x} mm i przygotowujemy raporty do PPAP; skanujemy też "
         "stykowo powierzchnie swobodne.",
         "We measure parts up to {x} mm and prepare PPAP reports; freeform surfaces can be "
         "contact-scanned as well."),
        (("pomiar pierwszej sztuki (FAI)", "first article inspection"),
         ("pomiary próbek do PPAP", "PPAP sample measurements"),
         ("kontrola korpusów przekładni", "inspection of gearbox housings")),
        _k("machining", "foundry", "tooling", "autoparts", "drives", "stamping")),
    "emc-lab": Lab(
        ("Badamy emisję i odporność elektromagnetyczną podzespołów i całych pojazdów według "
         "regulaminu EKG ONZ nr 10 i CISPR 25.",
         "We test electromagnetic emissions and immunity of components and whole vehicles to "
         "UN ECE Regulation No 10 and CISPR 25."),
        (("badanie przedkwalifikacyjne sterownika", "pre-compliance test of a controller"),
         ("pomiary emisji ładowarki pokładowej", "emission measurements of an on-board charger"),
         ("badanie odporności wiązki wysokonapięciowej", "immunity test of an HV harness")),
        _k("electronics", "emobility", "harness", "vehicles")),
    "climate-chamber": Lab(
        ("Prowadzimy próby w programowanych cyklach temperatury i wilgotności do {rh}%, z "
         "zasilaniem i monitorowaniem badanego obiektu.",
         "We run programmed temperature and humidity cycles up to {rh}% RH, with the unit "
         "under test powered and monitored."),
        (("cykle termiczne pakietu baterii", "thermal cycling of a battery pack"),
         ("szok termiczny sterowników", "thermal shock test of controllers"),
         ("badanie uszczelek w niskiej temperaturze", "low-temperature test of seals")),
        _k("electronics", "emobility", "plastics", "harness", "autoparts")),
    "test-lab": Lab(
        ("Badania trwałościowe i funkcjonalne prowadzimy na stanowiskach z siłownikami "
         "hydraulicznymi do {kn} kN, z rejestracją przebiegów obciążeń.",
         "Durability and functional tests run on rigs with hydraulic actuators up to {kn} kN, "
         "with load histories recorded."),
        (("próba zmęczeniowa ramy", "fatigue test of a frame"),
         ("badanie funkcjonalne maszyny przed homologacją",
          "functional test of a machine before type approval"),
         ("próba rozciągania próbek blach", "tensile tests of sheet specimens")),
        _k("agri", "trailers", "autoparts", "vehicles", "welding", "emobility")),
    "prototyping-workshop": Lab(
        ("Udostępniamy stanowiska i obrabiarki do prototypów i serii próbnych, z opieką "
         "technika; po szkoleniu BHP możliwa praca własna.",
         "Workstations and machine tools are available for prototypes and pilot runs with a "
         "technician; own work is possible after a safety briefing."),
        (("wykonanie prototypu obudowy", "building a housing prototype"),
         ("seria próbna 20 sztuk", "a pilot run of 20 pieces"),
         ("skanowanie 3D i inżynieria odwrotna części", "3D scanning and reverse engineering")),
        _k("tooling", "automation", "electronics", "emobility", "plastics", "machining")),
}

CONDITIONS = (
    ("Dla członków klastra {rate} zł netto za godzinę, dla pozostałych {rate2} zł; "
     "rezerwacja co najmniej {days} dni wcześniej przez platformę.",
     "PLN {rate} net per hour for cluster members, PLN {rate2} for others; book at least "
     "{days} days ahead through the platform."),
    ("Rozliczenie za dzień pracy stanowiska ({day_rate} zł netto) z obsługą naszego "
     "inżyniera; wyniki w formie raportu z badań.",
     "Charged per rig-day (PLN {day_rate} net) with our engineer operating; results come as "
     "a test report."),
    ("Pierwsze {hours} h dla firm członkowskich bez opłat w ramach bonu klastrowego, kolejne "
     "według cennika; obowiązuje umowa o poufności.",
     "The first {hours} h are free for member firms under the cluster voucher, then the "
     "price list applies; a non-disclosure agreement is signed."),
)

ALL_FIRMS = _k("machining", "stamping", "welding", "foundry", "forging", "surface", "plastics",
               "autoparts", "harness", "electronics", "emobility", "agri", "vehicles",
               "trailers", "drives", "tooling", "automation", "engineering", "aftermarket")
AUTOMOTIVE = _k("autoparts", "harness", "plastics", "machining", "stamping", "foundry",
                "forging", "surface", "electronics", "emobility", "drives")


@dataclass(frozen=True)
class Training:
    key: str
    providers: frozenset[str]  # legal names, organisation kinds or activity keys
    title: Pair
    summary: Pair
    audience: frozenset[str]
    certifications: tuple[str, ...] = ()
    capabilities: tuple[str, ...] = ()


TRAININGS = (
    Training("iatf-auditor", _k(COORDINATOR, "business_support", "engineering"),
             ("Audytor wewnętrzny IATF 16949", "IATF 16949 internal auditor"),
             ("{days}-dniowe szkolenie z wymagań IATF 16949 i ISO 19011 oraz techniki audytu "
              "procesu, prowadzone przez audytora jednostki certyfikującej; egzamin i "
              "certyfikat na zakończenie.",
              "A {days}-day course on IATF 16949 and ISO 19011 requirements and process audit "
              "technique, led by a certification-body auditor; exam and certificate at the end."),
             AUTOMOTIVE, ("iatf-16949",)),
    Training("welding", _k(AKADEMIA, "school", "welding"),
             ("Kurs spawania metodą {method} z egzaminem",
              "{method} welding course with certification"),
             ("Kurs według PN-EN ISO 9606-1 kończy się egzaminem przed egzaminatorem i wydaniem "
              "certyfikatu spawacza; {hours_pl} zajęć, w tym {pct}% praktyki w pracowni.",
              "The course follows EN ISO 9606-1 and ends with an examiner's test and a welder "
              "certificate; {hours} hours, {pct}% of them hands-on in the workshop."),
             _k("welding", "agri", "trailers", "autoparts", "stamping", "vehicles"), ("iso-3834",),
             ("welding-mig-mag", "welding-tig")),
    Training("plc", _k("school", "automation", POLITECHNIKA),
             ("Programowanie sterowników PLC {level}", "PLC programming {level_en}"),
             ("Zajęcia na stanowiskach ze sterownikami {plc} obejmują język drabinkowy i tekst "
              "strukturalny (IEC 61131-3), komunikację Profinet i diagnostykę; grupa do {group} "
              "osób.",
              "Hands-on sessions with {plc_en} controllers cover ladder logic and structured "
              "text (IEC 61131-3), Profinet communication and diagnostics; groups of up to "
              "{group}."),
             _k("automation", "agri", "autoparts", "machining", "plastics", "electronics"), (),
             ("automation-robotics",)),
    Training("cnc", _k("school", "machining"),
             ("Operator obrabiarek CNC – sterowanie {ctrl}",
              "CNC machine operator – {ctrl} control"),
             ("Kurs {hours} h: czytanie rysunku, programowanie ręczne i w CAM, ustawianie "
              "narzędzi i pomiary; praktyka na tokarkach i frezarkach CNC.",
              "A {hours}-hour course: reading drawings, manual and CAM programming, tool setting "
              "and measurement, with practice on CNC lathes and mills."),
             _k("machining", "tooling", "drives", "agri", "autoparts"), (),
             ("cnc-turning", "cnc-milling")),
    Training("core-tools", _k(COORDINATOR, "business_support", "engineering"),
             ("Core Tools: APQP, PPAP, FMEA, MSA i SPC",
              "Core Tools: APQP, PPAP, FMEA, MSA and SPC"),
             ("Warsztaty na przykładach z produkcji członków klastra: planowanie jakości, FMEA "
              "według AIAG-VDA, analiza systemu pomiarowego i karty kontrolne; {days} dni.",
              "Workshops built on cluster members' production cases: quality planning, AIAG-VDA "
              "FMEA, measurement system analysis and control charts; {days} days."),
             AUTOMOTIVE, ("iatf-16949",)),
    Training("hv-safety", _k(CENTRUM, "school"),
             ("Bezpieczna praca przy pojazdach wysokonapięciowych",
              "Safe work on high-voltage vehicles"),
             ("Szkolenie do prac przy układach HV pojazdów elektrycznych i hybrydowych: "
              "odłączanie i sprawdzanie braku napięcia, środki ochrony i postępowanie po "
              "wypadku; {hours_pl}.",
              "Training for work on HV systems of electric and hybrid vehicles: isolation and "
              "proving dead, protective equipment and what to do after an accident; {hours} "
              "hours."),
             _k("emobility", "vehicles", "aftermarket", "harness")),
    Training("cmm", _k(POLITECHNIKA, "engineering"),
             ("Pomiary współrzędnościowe i tolerancje GPS", "CMM measurement and GPS tolerancing"),
             ("Kurs obejmuje zapis tolerancji według ISO GPS, planowanie pomiaru i programowanie "
              "maszyny współrzędnościowej; {days} dni zajęć w laboratorium.",
              "The course covers ISO GPS tolerancing, measurement planning and CMM programming; "
              "{days} days in the lab."),
             _k("machining", "foundry", "tooling", "autoparts", "drives", "stamping"), (),
             ("metrology",)),
    Training("ip", _k("business_support", COORDINATOR),
             ("Ochrona własności intelektualnej w firmie produkcyjnej",
              "Protecting intellectual property in a manufacturing firm"),
             ("Praktyczne warsztaty: kiedy zgłaszać patent, a kiedy chronić know-how, jak "
              "przeszukiwać bazy patentowe i negocjować licencję z uczelnią; {hours_pl}.",
              "Practical workshops: when to file a patent and when to keep know-how, how to "
              "search patent databases and negotiate a licence with a university; {hours} hours."),
             ALL_FIRMS),
    Training("lean", _k("business_support", COORDINATOR, "automation"),
             ("Lean w praktyce: SMED i 5S na hali produkcyjnej",
              "Lean in practice: SMED and 5S on the shop floor"),
             ("Szkolenie z ćwiczeniami w zakładzie jednego z członków klastra: uczestnicy skracają "
              "przezbrojenie wybranej maszyny i opracowują standard pracy; {days} dni.",
              "Training with exercises at a member's plant: participants cut the changeover of "
              "a chosen machine and write a work standard; {days} days."),
             _k("stamping", "plastics", "machining", "autoparts", "welding")),
    Training("hydraulics", _k(INSTYTUT, "school"),
             ("Diagnostyka i serwis hydrauliki maszyn rolniczych",
              "Diagnosing and servicing farm-machinery hydraulics"),
             ("Kurs dla serwisantów: schematy układów, pomiary ciśnienia i przepływu, "
              "wyszukiwanie usterek i naprawa rozdzielaczy; {hours_pl}, w tym zajęcia na "
              "stanowisku prób.",
              "A course for service technicians: circuit diagrams, pressure and flow "
              "measurement, fault finding and valve repair; {hours} hours, partly on a test "
              "bench."),
             _k("aftermarket", "agri", "drives")),
    Training("robots", _k(AKADEMIA, "automation"),
             ("Programowanie robotów spawalniczych", "Programming welding robots"),
             ("Programowanie z panelu i offline, dobór parametrów spawania, przyrządy i "
              "kalibracja narzędzia; {days} dni na stanowisku zrobotyzowanym, grupa do {group} "
              "osób.",
              "Teach-pendant and offline programming, welding parameters, fixtures and tool "
              "calibration; {days} days on a robotic cell, groups of up to {group}."),
             _k("welding", "agri", "trailers", "autoparts"), (), ("welding-robotic",)),
    Training("welding-coordinator", _k(AKADEMIA),
             ("Koordynator spawalnictwa według ISO 3834 i ISO 14731",
              "Welding coordination to ISO 3834 and ISO 14731"),
             ("Szkolenie dla osób nadzorujących produkcję spawalniczą: wymagania jakości, "
              "kwalifikowanie technologii (WPQR), nadzór nad spawaczami i dokumentacja; "
              "{days} dni.",
              "For those supervising welding production: quality requirements, procedure "
              "qualification (WPQR), welder supervision and records; {days} days."),
             _k("welding", "trailers", "agri", "stamping"), ("iso-3834",)),
)
# fmt: on
