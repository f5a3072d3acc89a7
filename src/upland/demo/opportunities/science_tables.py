"""What the cluster's science offers and what its firms ask of science.

A technology belongs to named research organisations (legal names) or to firms of some
activities; its `fields` are the activities that would take it up. Placeholders are drawn in
`science.values`; `{app}` is the application in the genitive ("kombajnów zbożowych").
"""

from __future__ import annotations

from dataclasses import dataclass

from upland.demo.institutions import POLITECHNIKA

Pair = tuple[str, str]
CENTRUM = "Politechnika Wyżynna – Centrum Badawcze Elektromobilności w Starachowicach"
AKADEMIA = "Akademia Mechaniki Stosowanej w Radomiu"
INSTYTUT = "Instytut Maszyn Rolniczych i Pojazdów Wyżyny"
RESEARCH = "research"  # audience: every research organisation


@dataclass(frozen=True)
class Technology:
    key: str
    owners: frozenset[str]  # legal names or activity keys
    title: Pair
    apps: tuple[Pair, ...]
    summary: Pair
    advantages: tuple[Pair, ...]
    fields: frozenset[str]
    pkd: tuple[str, ...]
    capabilities: tuple[str, ...]
    trl: tuple[int, int]


def _k(*keys: str) -> frozenset[str]:
    return frozenset(keys)


# fmt: off
TECHNOLOGIES = (
    Technology(
        "vibration", _k(INSTYTUT, POLITECHNIKA, "electronics"),
        ("Diagnostyka drganiowa {app} z wykrywaniem uszkodzeń łożysk",
         "Vibration diagnostics for {app} with bearing-fault detection"),
        (("kombajnów zbożowych", "combine harvesters"), ("pras zwijających", "round balers"),
         ("agregatów uprawowych", "tillage cultivators"),
         ("przekładni ciągników", "tractor gearboxes")),
        ("Zestaw {n} bezprzewodowych czujników przyspieszeń i moduł analizy widma rozpoznają "
         "uszkodzenia łożysk i niewyważenie wirników {app} na {weeks_pl} przed awarią. "
         "Rozwiązanie sprawdzono w sezonie {year} na {k} maszynach w gospodarstwach "
         "Lubelszczyzny.",
         "A set of {n} wireless accelerometers and a spectrum-analysis module detect bearing "
         "damage and rotor imbalance in {app} {weeks} weeks before failure. It was validated "
         "in the {year} season on {k} machines on farms in the Lublin region."),
        (("Czujniki mocowane magnetycznie – bez zmian w konstrukcji maszyny.",
          "Magnet-mounted sensors: no changes to the machine."),
         ("Algorytm działa na sterowniku maszyny, bez stałego połączenia z siecią.",
          "The algorithm runs on the machine's controller without a permanent connection."),
         ("Zestaw kosztuje poniżej {price} zł, kilkakrotnie mniej niż systemy laboratoryjne.",
          "A kit costs under PLN {price}, several times less than laboratory systems.")),
        _k("agri", "aftermarket", "electronics", "drives"), ("72.10.Z", "28.30.Z"),
        ("metrology", "design-simulation"), (4, 7)),
    Technology(
        "battery-thermal", _k(CENTRUM, POLITECHNIKA, "emobility"),
        ("Zarządzanie temperaturą pakietów baterii {app}",
         "Battery-pack thermal management for {app}"),
        (("autobusów elektrycznych", "electric buses"), ("minibusów miejskich", "urban minibuses"),
         ("elektrycznych pojazdów komunalnych", "electric municipal vehicles"),
         ("elektrycznych maszyn rolniczych", "electric farm machinery")),
        ("Płyty chłodzące z kanałami o zmiennym przekroju i algorytm sterowania przepływem "
         "utrzymują różnicę temperatur między ogniwami poniżej {dt_pl} °C przy ładowaniu mocą "
         "{kw} kW. Rozwiązanie dla {app} przebadano na stanowisku pakietów do 800 V.",
         "Cold plates with variable-section channels and a flow-control algorithm keep the "
         "cell-to-cell temperature spread below {dt_en} °C while charging at {kw} kW. The "
         "solution for {app} was tested on an 800 V battery-pack rig."),
        (("Trwałość ogniw dłuższa o ok. {pct}% w cyklu miejskim.",
          "Cell life about {pct}% longer in the urban duty cycle."),
         ("Pompa o {pct2}% mniejszej mocy niż w typowych układach.",
          "A pump with {pct2}% less power than in typical systems."),
         ("Płyty można odlewać z aluminium w odlewniach regionu.",
          "The plates can be cast in aluminium by foundries in the region.")),
        _k("emobility", "vehicles", "foundry", "autoparts"), ("72.10.Z", "27.20.Z"),
        ("design-simulation", "assembly-testing", "aluminium"), (4, 7)),
    Technology(
        "composite-panels", _k(POLITECHNIKA, AKADEMIA, "plastics"),
        ("Kompozytowe panele nadwozia {app}", "Composite body panels for {app}"),
        (("minibusów elektrycznych", "electric minibuses"),
         ("zabudów chłodniczych", "refrigerated bodies"),
         ("kabin maszyn rolniczych", "farm machinery cabs"),
         ("pojazdów komunalnych", "municipal vehicles")),
        ("Panele przekładkowe z włókna szklanego i bazaltowego z rdzeniem z recyklingowanego "
         "PET, wytwarzane metodą infuzji, są o {pct}% lżejsze od stalowych przy tej samej "
         "sztywności. Do łączenia z ramą {app} opracowano połączenie klejowe.",
         "Sandwich panels of glass and basalt fibre around a recycled-PET core, made by "
         "infusion, weigh {pct}% less than steel ones of equal stiffness. A bonded joint to "
         "the frame of {app} was developed too."),
        (("Brak korozji i łatwa naprawa w warsztacie.", "No corrosion and easy workshop repair."),
         ("Forma z tworzywa opłaca się już przy {lo} szt. rocznie.",
          "A polymer mould pays off from {lo} units a year."),
         ("Rdzeń z recyklatu zmniejsza ślad węglowy panelu o ok. {pct2}%.",
          "The recycled core cuts the panel's carbon footprint by about {pct2}%.")),
        _k("vehicles", "trailers", "plastics", "agri"), ("72.10.Z", "29.20.Z"),
        ("composites-processing", "composites"), (3, 6)),
    Technology(
        "laser-hybrid", _k(AKADEMIA, "welding"),
        ("Hybrydowe spawanie laserowe {app}", "Hybrid laser welding of {app}"),
        (("cienkościennych profili aluminiowych", "thin-walled aluminium profiles"),
         ("ram nośnych pakietów baterii", "battery-pack carrier frames"),
         ("zbiorników ze stali nierdzewnej", "stainless-steel tanks")),
        ("Technologia łączy wiązkę lasera {kw_laser} kW z łukiem MAG i pozwala wykonywać "
         "spoiny {app} z prędkością do {speed_pl} m/min przy odkształceniach o połowę "
         "mniejszych niż przy spawaniu MIG. Parametry zakwalifikowano według ISO 15614-14.",
         "The process combines a {kw_laser} kW laser beam with a MAG arc and welds {app} at "
         "up to {speed_en} m/min with half the distortion of MIG welding. Its parameters are "
         "qualified to ISO 15614-14."),
        (("Mniej prostowania po spawaniu – krótszy cykl produkcji.",
          "Less straightening after welding, so a shorter production cycle."),
         ("Jedno przejście zamiast trzech przy grubości do {t} mm.",
          "One pass instead of three up to {t} mm thick."),
         ("Gotowe instrukcje technologiczne spawania (WPS) do wdrożenia.",
          "Ready welding procedure specifications (WPS) for transfer.")),
        _k("welding", "emobility", "trailers", "autoparts"), ("72.10.Z", "25.11.Z"),
        ("welding-laser", "welding-robotic", "aluminium"), (5, 8)),
    Technology(
        "fatigue", _k(AKADEMIA, INSTYTUT, "engineering"),
        ("Prognozowanie trwałości zmęczeniowej {app}", "Fatigue-life prediction for {app}"),
        (("spawanych ram przyczep", "welded trailer frames"),
         ("ram maszyn uprawowych", "tillage machine frames"),
         ("wahaczy i belek osi", "control arms and axle beams")),
        ("Metoda łączy pomiary tensometryczne w rzeczywistej eksploatacji z modelem MES i "
         "pozwala ocenić trwałość {app} w {weeks_pl} zamiast wielomiesięcznych prób "
         "drogowych. Zweryfikowano ją na {k} konstrukcjach partnerów przemysłowych.",
         "The method combines strain-gauge measurements in real use with an FEM model and "
         "assesses the life of {app} in {weeks} weeks instead of months of road tests. It was "
         "verified on {k} structures of industrial partners."),
        (("Wskazuje miejsca pęknięć przed zbudowaniem prototypu.",
          "It shows where cracks will start before a prototype is built."),
         ("Pozwala zmniejszyć masę ramy o {pct}% bez utraty trwałości.",
          "It allows {pct}% less frame mass with no loss of life."),
         ("Wyniki przyjmowane w dokumentacji homologacyjnej.",
          "Results are accepted in type-approval documentation.")),
        _k("agri", "trailers", "welding", "autoparts", "vehicles"), ("72.10.Z", "71.20.C"),
        ("design-simulation", "metrology"), (5, 8)),
    Technology(
        "hardfacing", _k(POLITECHNIKA, INSTYTUT),
        ("Napawanie odporne na ścieranie {app}", "Wear-resistant hardfacing of {app}"),
        (("lemieszy i dłut pługów", "plough shares and chisels"),
         ("zębów bron i kultywatorów", "harrow and cultivator tines"),
         ("noży rozdrabniaczy", "shredder knives")),
        ("Napawanie laserowe proszkiem z węglikami wolframu w osnowie niklowej wydłuża "
         "trwałość {app} {mult} razy w glebach piaszczystych. Proces prowadzony jest na "
         "stanowisku zrobotyzowanym i można go przenieść do zakładu produkcyjnego.",
         "Laser cladding with tungsten carbide in a nickel matrix makes {app} last {mult} "
         "times longer in sandy soils. The process runs on a robotic cell and can be moved to "
         "a production plant."),
        (("Rzadsza wymiana części w sezonie – mniej przestojów u rolnika.",
          "Fewer part changes in the season, so less downtime for the farmer."),
         ("Warstwa o grubości {t2} mm bez pęknięć i z małą strefą wpływu ciepła.",
          "A crack-free {t2} mm layer with a small heat-affected zone."),
         ("Koszt napawania zwraca się po {k} hektarach pracy.",
          "Cladding pays for itself after {k} hectares of work.")),
        _k("agri", "surface", "forging", "aftermarket"), ("72.10.Z", "25.51.Z"),
        ("surface-treatment", "heat-treatment", "steel"), (4, 7)),
    Technology(
        "predictive", _k(POLITECHNIKA, "automation", "electronics"),
        ("Predykcyjne utrzymanie ruchu {app}", "Predictive maintenance of {app}"),
        (("wrzecion centrów obróbczych", "machining-centre spindles"),
         ("pras krawędziowych", "press brakes"), ("robotów spawalniczych", "welding robots")),
        ("Model uczenia maszynowego oceniający zużycie {app} na podstawie prądu silników i "
         "drgań, trenowany na danych z {k} maszyn, przewiduje awarię z wyprzedzeniem {days} "
         "dni. Dane pozostają na serwerze użytkownika.",
         "A machine-learning model that rates the wear of {app} from motor current and "
         "vibration, trained on data from {k} machines, predicts failures {days} days ahead. "
         "The data stay on the user's server."),
        (("Mniej nieplanowanych postojów – w pilotażu o {pct}%.",
          "Fewer unplanned stops: {pct}% fewer in the pilot."),
         ("Działa z obrabiarkami różnych producentów przez OPC UA.",
          "Works with machines of any make via OPC UA."),
         ("Wdrożenie w jeden dzień, bez zmian w programach obróbki.",
          "Installed in a day with no change to part programs.")),
        _k("machining", "stamping", "welding", "autoparts", "drives"), ("72.10.Z", "62.10.B"),
        ("automation-robotics", "metrology"), (5, 8)),
    Technology(
        "isobus", _k("electronics", POLITECHNIKA),
        ("Sterowanie sekcjami ISOBUS {app}", "ISOBUS section control for {app}"),
        (("opryskiwaczy polowych", "field sprayers"),
         ("rozsiewaczy nawozów",
          "fertiliser spreaders"), ("siewników punktowych", "precision drills")),
        ("Moduł zgodny z ISO 11783 wyłącza sekcje {app} na uwrociach i na obszarach już "
         "obrobionych według pozycji RTK. W próbach polowych w {year} r. ograniczył "
         "nakładanie się zabiegów o {pct}%.",
         "An ISO 11783 module switches off sections of {app} on headlands and covered ground "
         "using RTK positions. In {year} field trials it cut overlaps by {pct}%."),
        (("Oszczędność środków ochrony roślin i nawozów.",
          "Savings on crop protection and fertiliser."),
         ("Współpracuje z terminalami ciągników wielu marek.",
          "Works with tractor terminals of many makes."),
         ("Moduł można zamontować w maszynach już sprzedanych.",
          "The module can be retrofitted to machines already sold.")),
        _k("agri", "electronics", "harness"), ("26.51.Z", "28.30.Z"),
        ("pcb-assembly", "design-simulation"), (6, 9)),
    Technology(
        "weld-vision", _k("automation", AKADEMIA),
        ("Wizyjna kontrola spoin {app}", "Vision inspection of welds in {app}"),
        (("ram maszyn rolniczych", "farm machinery frames"),
         ("układów wydechowych",
          "exhaust systems"), ("konstrukcji przyczep", "trailer structures")),
        ("Skaner laserowy 3D na ramieniu robota mierzy geometrię spoin {app} i wykrywa "
         "podtopienia, pory i braki przetopu z rozdzielczością {res_pl} mm; raport trafia do "
         "systemu MES.",
         "A 3D laser scanner on a robot arm measures the weld geometry of {app} and finds "
         "undercuts, pores and lack of fusion at {res_en} mm resolution; the report goes to "
         "the MES."),
        (("Kontrola 100% spoin zamiast wyrywkowej.", "Every weld inspected instead of samples."),
         ("Zwrot inwestycji w ok. {months} miesięcy przy pracy na dwie zmiany.",
          "Payback in about {months} months on two shifts."),
         ("Wyniki pomiarów służą do korekty parametrów robota.",
          "Measurements feed back into the robot's parameters.")),
        _k("welding", "agri", "autoparts", "trailers"), ("28.99.Z", "72.10.Z"),
        ("automation-robotics", "welding-robotic"), (6, 9)),
    Technology(
        "lightweight-am", _k(POLITECHNIKA, "tooling"),
        ("Optymalizacja topologiczna i druk 3D {app}",
         "Topology optimisation and 3D printing of {app}"),
        (("wsporników i uchwytów", "brackets and mounts"),
         ("wkładek form z chłodzeniem konforemnym", "mould inserts with conformal cooling"),
         ("części zamiennych maszyn wycofanych z produkcji",
          "spare parts for discontinued machines")),
        ("Metodyka obejmuje optymalizację topologiczną {app}, druk SLM ze stali 316L lub "
         "maraging i obróbkę wykończeniową; masa części spada o {pct}%, a prototyp powstaje w "
         "{days} dni.",
         "The method covers topology optimisation of {app}, SLM printing in 316L or maraging "
         "steel and finish machining; parts weigh {pct}% less and a prototype takes {days} "
         "days."),
        (("Nie wymaga form ani tłoczników przy małych seriach.",
          "No moulds or dies for short runs."),
         ("Chłodzenie konforemne skraca cykl wtrysku o {pct2}%.",
          "Conformal cooling shortens the moulding cycle by {pct2}%."),
         ("Plik części można przechowywać zamiast magazynu zapasów.",
          "A part file can replace a stock of spares.")),
        _k("tooling", "plastics", "autoparts", "aftermarket", "agri"), ("72.10.Z", "25.63.Z"),
        ("additive-manufacturing", "design-simulation"), (5, 8)),
    Technology(
        "energy", _k(CENTRUM, "emobility"),
        ("Zarządzanie energią i rekuperacją {app}",
         "Energy and regenerative-braking management for {app}"),
        (("minibusów elektrycznych", "electric minibuses"),
         ("śmieciarek elektrycznych", "electric refuse trucks"),
         ("elektrycznych pojazdów dostawczych", "electric delivery vans")),
        ("Algorytm sterowania falownikiem dobiera moment rekuperacji {app} do masy pojazdu i "
         "profilu trasy. W testach na trasach {city_pl} zużycie energii spadło o {pct}%.",
         "An inverter control algorithm matches the regenerative torque of {app} to vehicle "
         "mass and route profile. In tests on routes in {city_en} energy use fell by {pct}%."),
        (("Większy zasięg bez większej baterii.", "More range without a bigger battery."),
         ("Mniejsze zużycie okładzin hamulcowych.", "Less brake-lining wear."),
         ("Aktualizacja oprogramowania falownika bez zmian sprzętu.",
          "An inverter software update with no hardware change.")),
        _k("emobility", "vehicles", "electronics"), ("72.10.Z", "27.11.Z"),
        ("design-simulation", "assembly-testing"), (5, 8)),
    Technology(
        "soil-sensor", _k(INSTYTUT),
        ("Czujnik zagęszczenia gleby do {app}", "Soil-compaction sensor for {app}"),
        (("agregatów uprawowych", "cultivators"), ("głęboszy", "subsoilers"),
         ("siewników", "seed drills")),
        ("Czujnik mierzy opór penetracji na {n} głębokościach podczas pracy {app} i steruje "
         "głębokością roboczą przez hydraulikę maszyny; mapy zagęszczenia eksportuje w "
         "formacie ISO-XML.",
         "The sensor measures penetration resistance at {n} depths while {app} work and sets "
         "the working depth through the machine's hydraulics; compaction maps export as "
         "ISO-XML."),
        (("Mniejsze zużycie paliwa dzięki płytszej uprawie tam, gdzie to możliwe.",
          "Lower fuel use by working shallower where possible."),
         ("Dane z czujnika łączą się z mapami plonów.", "Sensor data join yield maps."),)
        , _k("agri", "electronics", "drives"), ("72.10.Z", "28.30.Z"),
        ("metrology", "assembly-testing"), (3, 6)),
    Technology(
        "recycled-pp", _k(POLITECHNIKA, "plastics"),
        ("Kompozyty z recyklatu PP do {app}", "Recycled-PP compounds for {app}"),
        (("elementów wnętrza kabin", "cab interior parts"),
         ("osłon maszyn rolniczych", "farm machinery covers"),
         ("obudów akumulatorów", "battery housings")),
        ("Mieszanka z {pct}-procentowym udziałem recyklatu poużytkowego, wzmocniona włóknem "
         "lnianym, spełnia wymagania udarności i palności dla {app}. Przetwarza się ją "
         "na typowych wtryskarkach bez zmian form.",
         "A compound with {pct}% post-consumer recyclate, reinforced with flax fibre, meets "
         "the impact and flammability requirements for {app}. It runs on standard moulding "
         "machines with no mould changes."),
        (("Niższy koszt materiału o ok. {pct2}%.", "About {pct2}% lower material cost."),
         ("Pomaga dostawcom spełnić wymagania OEM dotyczące recyklatu.",
          "Helps suppliers meet OEM recycled-content targets."),)
        , _k("plastics", "autoparts", "vehicles", "agri"), ("72.10.Z", "22.26.Z"),
        ("injection-moulding", "plastics"), (4, 7)),
    Technology(
        "gear-noise", _k(POLITECHNIKA, "drives"),
        ("Modyfikacje mikrogeometrii uzębień {app}", "Tooth micro-geometry modification for {app}"),
        (("przekładni maszyn rolniczych", "farm machinery gearboxes"),
         ("reduktorów napędów elektrycznych", "e-drive reducers")),
        ("Dobór modyfikacji zarysu i linii zęba na podstawie symulacji styku pod obciążeniem "
         "obniża hałas {app} o {db} dB(A). Metodę zweryfikowano na stanowisku prób przekładni.",
         "Profile and lead modifications chosen from loaded tooth-contact simulation lower the "
         "noise of {app} by {db} dB(A). The method was verified on a gearbox test rig."),
        (("Bez zmiany rozstawu osi i obudowy.", "No change to centre distance or housing."),
         ("Dłuższa trwałość powierzchni zębów.", "Longer tooth-flank life.")),
        _k("drives", "machining", "emobility", "agri"), ("72.10.Z", "28.15.Z"),
        ("design-simulation", "grinding"), (5, 8)),
)
# fmt: on
