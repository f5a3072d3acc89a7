"""The words of the cluster's trade: what each activity offers (by product, as in
`activities.py`), the parts buyers search suppliers for, and what free capacity can do.

Placeholders in braces are filled by `trade.py` with drawn numbers; Polish numbers take a
decimal comma. A need's `buyers` and `suppliers` are activity keys, so a foundry is asked for
castings and a plough maker asks for them, never the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass

Pair = tuple[str, str]

# fmt: off
OFFER_NOUNS: dict[str, tuple[Pair, ...]] = {  # i-th: the activity's i-th product, nominative
    "machining": (("Wały, tuleje i korpusy przekładni", "Shafts, bushings and gearbox housings"),
                  ("Detale toczone i frezowane z aluminium i stali nierdzewnej",
                   "Turned and milled aluminium and stainless-steel parts"),
                  ("Koła zębate, piasty i kołnierze", "Gear wheels, hubs and flanges")),
    "stamping": (("Elementy obudów maszyn cięte laserowo i gięte",
                  "Laser-cut and bent machine housing parts"),
                 ("Tłoczone wsporniki, osłony i elementy nadwozi",
                  "Stamped brackets, covers and body parts")),
    "welding": (("Spawane ramy maszyn rolniczych i podwozia przyczep",
                 "Welded farm-machinery frames and trailer chassis"),
                ("Konstrukcje stalowe i zbiorniki ze stali nierdzewnej",
                 "Steel structures and stainless-steel tanks"),
                ("Spawane elementy wózków i pudeł pojazdów szynowych",
                 "Welded bogie and carbody parts for rail vehicles")),
    "foundry": (("Odlewy żeliwne: korpusy pomp, piasty i obudowy skrzyń biegów",
                 "Iron castings: pump bodies, hubs and gearbox housings"),
                ("Aluminiowe odlewy ciśnieniowe do napędów elektrycznych",
                 "Aluminium die castings for electric drives")),
    "forging": (("Odkuwki matrycowe: zwrotnice, wałki i dźwignie",
                 "Closed-die forgings: steering knuckles, shafts and levers"),
                ("Kute elementy zawieszeń i osprzętu maszyn rolniczych",
                 "Forged suspension parts and fittings for farm machinery")),
    "surface": (("Malowanie proszkowe i kataforetyczne elementów maszyn",
                 "Powder coating and cathodic e-coating of machine parts"),
                ("Hartowanie, azotowanie i nawęglanie detali stalowych",
                 "Hardening, nitriding and carburising of steel parts"),
                ("Cynkowanie galwaniczne i anodowanie drobnych elementów",
                 "Zinc plating and anodising of small parts")),
    "plastics": (("Wtryskiwane osłony, klipsy i elementy wnętrza kabin",
                  "Injection-moulded covers, clips and cab interior parts"),
                 ("Uszczelki, tuleje gumowo-metalowe i odboje",
                  "Seals, rubber-metal bushings and bump stops"),
                 ("Kompozytowe obudowy do pojazdów elektrycznych",
                  "Composite housings for electric vehicles")),
    "autoparts": (("Układy wydechowe, zbiorniki paliwa i wsporniki",
                   "Exhaust systems, fuel tanks and brackets"),
                  ("Moduły zawieszenia i osie do autobusów i ciężarówek",
                   "Suspension modules and axles for buses and trucks"),
                  ("Montaż foteli, zagłówków i wyposażenia kabin",
                   "Assembly of seats, headrests and cab fittings")),
    "harness": (("Wiązki przewodów do maszyn rolniczych i autobusów",
                 "Wire harnesses for farm machinery and buses"),
                ("Wiązki wysokonapięciowe do pojazdów elektrycznych",
                 "High-voltage harnesses for electric vehicles")),
    "electronics": (("Sterowniki, czujniki i panele operatorskie do maszyn",
                     "Controllers, sensors and operator panels for machinery"),
                    ("Kontraktowy montaż pakietów SMD/THT", "Contract SMD/THT board assembly"),
                    ("Systemy telemetrii dla flot i maszyn rolniczych",
                     "Telematics for fleets and farm machinery")),
    "emobility": (("Silniki trakcyjne i falowniki do pojazdów elektrycznych",
                   "Traction motors and inverters for electric vehicles"),
                  ("Pakiety baterii i systemy zarządzania baterią (BMS)",
                   "Battery packs and battery management systems (BMS)"),
                  ("Stacje ładowania prądem stałym dla zajezdni autobusowych",
                   "DC charging stations for bus depots")),
    "agri": (("Pługi, brony talerzowe i agregaty uprawowe",
              "Ploughs, disc harrows and cultivators"),
             ("Opryskiwacze polowe i rozsiewacze nawozów",
              "Field sprayers and fertiliser spreaders"),
             ("Przyczepy rolnicze i wozy paszowe", "Farm trailers and feed mixer wagons")),
    "vehicles": (("Zabudowy specjalne i pojazdy komunalne",
                  "Special bodies and municipal vehicles"),
                 ("Elektryczne minibusy dla komunikacji miejskiej",
                  "Electric minibuses for urban transport"),
                 ("Lekkie elektryczne pojazdy dostawcze", "Light electric delivery vans")),
    "trailers": (("Naczepy, przyczepy i zabudowy skrzyniowe",
                  "Semi-trailers, trailers and box bodies"),
                 ("Zabudowy izotermiczne i chłodnicze", "Insulated and refrigerated bodies")),
    "drives": (("Przekładnie zębate, reduktory i wały napędowe",
                "Gearboxes, reducers and drive shafts"),
               ("Siłowniki i rozdzielacze hydrauliczne do maszyn rolniczych",
                "Hydraulic cylinders and valves for farm machinery")),
    "tooling": (("Formy wtryskowe i tłoczniki progresywne",
                 "Injection moulds and progressive dies"),
                ("Przyrządy spawalnicze i kontrolne oraz wkładki drukowane 3D z metalu",
                 "Welding and inspection fixtures and 3D-printed metal inserts")),
    "automation": (("Zrobotyzowane gniazda spawania i paletyzacji",
                    "Robotic welding and palletising cells"),
                   ("Maszyny specjalne i stanowiska testowe dla linii montażowych",
                    "Special-purpose machines and test stations for assembly lines")),
    "engineering": (("Projektowanie konstrukcji maszyn i obliczenia MES",
                     "Machine design and FEM analysis"),
                    ("Badania wytrzymałościowe i pomiary 3D na zlecenie",
                     "Strength testing and 3D measurement on request")),
    "aftermarket": (("Regeneracja sprzęgieł, skrzyń biegów i pomp hydraulicznych",
                     "Remanufacturing of clutches, gearboxes and hydraulic pumps"),
                    ("Serwis ciągników, kombajnów i maszyn budowlanych",
                     "Service of tractors, combine harvesters and construction machinery"),
                    ("Części zamienne do pojazdów użytkowych",
                     "Spare parts for commercial vehicles")),
    "distribution": (("Blachy, pręty i profile z cięciem na wymiar",
                      "Sheet, bar and profiles cut to size"),
                     ("Łożyska, elementy złączne i narzędzia dla utrzymania ruchu",
                      "Bearings, fasteners and maintenance tools")),
}

SERVICES = frozenset({"engineering", "aftermarket", "distribution", "automation", "surface"})
SELLERS = frozenset({"agri", "vehicles", "trailers", "emobility", "electronics", "distribution",
                     "aftermarket"})  # sell finished goods: distribution is a fit

@dataclass(frozen=True)
class Need:
    """What a buyer asks suppliers for; `detail` placeholders are drawn in `trade.NUMBERS`."""

    key: str
    title: Pair  # "{part}" is filled with the part
    parts: tuple[Pair, ...]
    detail: Pair
    buyers: frozenset[str]
    suppliers: frozenset[str]
    capabilities: tuple[str, ...]
    certifications: tuple[str, ...]
    pkd: str


def _k(*keys: str) -> frozenset[str]:
    return frozenset(keys)


NEEDS = (
    Need("castings", ("Poszukujemy odlewni: {part}", "Foundry wanted: {part}"),
         (("korpusy przekładni", "gearbox housings"), ("piasty kół", "wheel hubs"),
          ("obudowy pomp hydraulicznych", "hydraulic pump housings"),
          ("wsporniki osi", "axle brackets")),
         ("Odlewy {cast_pl} o masie {mass} kg, ok. {volume} szt. rocznie w partiach po {batch} "
          "szt., surowe lub z obróbką bazową, z atestem 3.1 wg EN 10204.",
          "Castings in {cast_en} weighing {mass} kg, about {volume} pieces a year in batches of "
          "{batch}, raw or with base machining, with an EN 10204 3.1 certificate."),
         _k("agri", "drives", "vehicles", "trailers", "autoparts", "aftermarket"), _k("foundry"),
         ("casting", "cast-iron"), ("iso-9001",), "24.51.Z"),
    Need("machined", ("Kooperant do obróbki skrawaniem: {part}", "Machining subcontractor: {part}"),
         (("wały i półosie", "shafts and half-shafts"), ("tuleje i sworznie", "bushings and pins"),
          ("kołnierze i pokrywy łożysk", "flanges and bearing covers"),
          ("korpusy zaworów", "valve bodies")),
         ("Detale {steel_pl}, średnice do {d} mm, tolerancje {tol_pl} mm, chropowatość Ra "
          "{ra_pl}; ok. {volume} szt. rocznie w partiach po {batch} szt.",
          "Parts in {steel_en}, diameters up to {d} mm, tolerances {tol_en} mm, roughness Ra "
          "{ra_en}; about {volume} pieces a year in batches of {batch}."),
         _k("agri", "drives", "vehicles", "autoparts", "automation", "emobility", "aftermarket"),
         _k("machining", "tooling", "drives"), ("cnc-turning", "cnc-milling", "steel"),
         ("iso-9001", "iatf-16949"), "25.53.Z"),
    Need("frames", ("Dostawca konstrukcji spawanych: {part}", "Welded structures supplier: {part}"),
         (("ramy agregatów uprawowych", "cultivator frames"),
          ("ramy i dyszle przyczep", "trailer frames and drawbars"),
          ("wysięgniki opryskiwaczy", "sprayer booms"),
          ("ramy nośne pakietów baterii", "battery-pack carrier frames"),
          ("ramy podwozi i stelaże zabudów", "chassis and body subframes")),
         ("Konstrukcje ze stali {grade} o masie {mass} kg, spawanie MIG/MAG z kwalifikowanymi "
          "technologiami (WPQR); ok. {volume} szt. rocznie. Mile widziane cięcie laserowe i "
          "malowanie u jednego dostawcy.",
          "{grade} steel structures weighing {mass} kg, MIG/MAG welded to qualified procedures "
          "(WPQR); about {volume} a year. Laser cutting and painting from the same supplier "
          "is welcome."),
         _k("agri", "trailers", "vehicles", "emobility", "autoparts"), _k("welding", "stamping"),
         ("welding-mig-mag", "welding-robotic", "steel"), ("iso-3834", "en-1090"), "25.11.Z"),
    Need("hydraulics", ("Dostawca hydrauliki siłowej: {part}", "Hydraulics supplier: {part}"),
         (("siłowniki dwustronnego działania", "double-acting cylinders"),
          ("rozdzielacze sekcyjne", "sectional control valves"),
          ("siłowniki teleskopowe do wywrotu", "telescopic tipping cylinders")),
         ("Średnica tłoka {bore} mm, skok do {stroke} mm, ciśnienie robocze {bar} bar; ok. "
          "{volume} szt. rocznie, każda sztuka z próbą szczelności.",
          "Bore {bore} mm, stroke up to {stroke} mm, working pressure {bar} bar; about {volume} "
          "a year, each one leak-tested."),
         _k("agri", "vehicles", "trailers", "aftermarket", "automation"), _k("drives"),
         ("cnc-turning", "assembly-testing", "steel"), ("iso-9001",), "28.12.Z"),
    Need("harness", ("Producent wiązek elektrycznych: {part}", "Wire-harness maker: {part}"),
         (("wiązki oświetlenia i sterowania przyczep", "trailer lighting and control harnesses"),
          ("wiązki kabin ciągników i kombajnów", "cab harnesses for tractors and combines"),
          ("wiązki wysokonapięciowe 800 V", "800 V high-voltage harnesses"),
          ("wiązki czujników ISOBUS", "ISOBUS sensor harnesses"),
          ("wiązki szaf sterowniczych", "control cabinet wiring")),
         ("{variants} wariantów, od {lo} do {hi} przewodów w wiązce, złącza {conn}; wymagany "
          "test ciągłości każdego kompletu i dane w IMDS. Ok. {volume} kpl. rocznie.",
          "{variants} variants, {lo} to {hi} wires per harness, {conn} connectors; every set "
          "continuity-tested, IMDS data required. About {volume} sets a year."),
         _k("agri", "vehicles", "trailers", "emobility", "electronics", "automation"),
         _k("harness"), ("wire-harnesses", "copper"), ("iatf-16949",), "29.31.Z"),
    Need("sheet", ("Dostawca elementów z blachy: {part}", "Sheet-metal parts supplier: {part}"),
         (("osłony i obudowy maszyn", "machine guards and housings"),
          ("wsporniki i konsole", "brackets and consoles"),
          ("szafy sterownicze", "control cabinets"),
          ("błotniki i osłony kół", "mudguards and wheel covers")),
         ("Blacha {sheet_pl} o grubości {t} mm, cięcie laserowe i gięcie, tolerancja ±{tol_pl} "
          "mm; ok. {volume} szt. rocznie w {n} indeksach.",
          "{sheet_en} sheet {t} mm thick, laser-cut and bent to ±{tol_en} mm; about {volume} "
          "pieces a year across {n} part numbers."),
         _k("agri", "vehicles", "automation", "electronics", "trailers", "emobility"),
         _k("stamping", "welding", "distribution"), ("laser-cutting", "sheet-metal-forming"),
         ("iso-9001",), "25.40.Z"),
    Need("coating", ("Malarnia proszkowa do stałej współpracy: {part}",
                     "Powder-coating shop for regular work: {part}"),
         (("ramy i elementy maszyn rolniczych", "farm machinery frames and parts"),
          ("obudowy i osłony z blachy", "sheet-metal housings and covers"),
          ("elementy przyczep i naczep", "trailer and semi-trailer parts")),
         ("Detale do {length} m długości i {mass} kg, kolory RAL {ral}, powłoka {um} µm, "
          "odporność {hours} h w mgle solnej; ok. {area} m² miesięcznie.",
          "Parts up to {length} m long and {mass} kg, RAL {ral}, {um} µm coating, {hours} h "
          "salt-spray resistance; about {area} m² a month."),
         _k("agri", "trailers", "stamping", "welding", "vehicles", "automation"), _k("surface"),
         ("surface-treatment",), ("iso-14001",), "25.51.Z"),
    Need("heat", ("Hartownia do współpracy: {part}", "Heat-treatment partner: {part}"),
         (("hartowanie indukcyjne wałów", "induction hardening of shafts"),
          ("azotowanie gazowe kół zębatych", "gas nitriding of gears"),
          ("ulepszanie cieplne odkuwek", "hardening and tempering of forgings"),
          ("hartowanie próżniowe wkładek form", "vacuum hardening of mould inserts")),
         ("Twardość {hrc} HRC na głębokość {depth_pl} mm, partie po {batch} szt. co {weeks_pl}, "
          "protokół twardości dla każdej partii.",
          "{hrc} HRC to a depth of {depth_en} mm, batches of {batch} every {weeks} weeks, a "
          "hardness report with each batch."),
         _k("machining", "drives", "forging", "tooling", "agri"), _k("surface"),
         ("heat-treatment", "steel"), ("iso-9001",), "25.52.Z"),
    Need("moulded", ("Wtryskownia poszukiwana: {part}", "Injection moulder wanted: {part}"),
         (("osłony i kratki wentylacyjne", "covers and vent grilles"),
          ("obudowy przycisków i paneli", "button and panel housings"),
          ("klipsy i uchwyty przewodów", "clips and cable holders"),
          ("zbiorniki płynów z PE", "PE fluid reservoirs")),
         ("Materiał {polymer}, masa wypraski {grams} g, ok. {kpcs} tys. szt. rocznie; forma "
          "{mould_pl}.",
          "{polymer}, shot weight {grams} g, about {kpcs},000 pieces a year; the mould "
          "{mould_en}."),
         _k("autoparts", "agri", "vehicles", "electronics", "emobility"), _k("plastics"),
         ("injection-moulding", "plastics"), ("iatf-16949", "iso-9001"), "22.26.Z"),
    Need("forgings", ("Poszukujemy kuźni: {part}", "Forge wanted: {part}"),
         (("zwrotnice i dźwignie", "steering knuckles and levers"),
          ("wałki i czopy", "shafts and journals"),
          ("zęby i redlice maszyn uprawowych", "tines and coulters for tillage machines")),
         ("Odkuwki ze stali {forge_steel} o masie {mass} kg, ulepszane cieplnie, z badaniem "
          "magnetyczno-proszkowym; ok. {volume} szt. rocznie.",
          "{forge_steel} forgings of {mass} kg, hardened and tempered, magnetic-particle "
          "tested; about {volume} a year."),
         _k("drives", "autoparts", "agri", "aftermarket"), _k("forging"), ("forging", "steel"),
         ("iatf-16949",), "25.40.Z"),
    Need("electronics", ("Producent elektroniki na zlecenie: {part}",
                         "Contract electronics maker: {part}"),
         (("sterowniki maszyn według naszego projektu", "machine controllers to our design"),
          ("moduły CAN i ISOBUS", "CAN and ISOBUS modules"),
          ("pakiety SMD z powłoką ochronną", "SMD boards with conformal coating")),
         ("Montaż SMD/THT z inspekcją AOI i testem funkcjonalnym według naszej procedury; "
          "{volume} szt. rocznie w {n} wariantach, praca od −{tmin} do +{tmax} °C.",
          "SMD/THT assembly with AOI and a functional test to our procedure; {volume} units a "
          "year in {n} variants, operating from −{tmin} to +{tmax} °C."),
         _k("agri", "emobility", "automation", "vehicles", "harness"), _k("electronics"),
         ("pcb-assembly", "assembly-testing"), ("iso-9001", "iatf-16949"), "26.12.Z"),
    Need("tooling", ("Zlecimy wykonanie oprzyrządowania: {part}", "Tooling job: {part}"),
         (("formy wtryskowe 2-gniazdowe", "2-cavity injection moulds"),
          ("tłoczniki progresywne", "progressive dies"),
          ("przyrządy spawalnicze do ram", "welding fixtures for frames")),
         ("Wykonanie według naszego modelu 3D w {weeks_pl}, próby na naszej maszynie, "
          "raport pomiarowy; wymagana trwałość {shots} tys. cykli.",
          "Built to our 3D model within {weeks} weeks, tried out on our machine, with a "
          "measurement report; required life {shots},000 cycles."),
         _k("plastics", "stamping", "autoparts", "welding", "agri"), _k("tooling"),
         ("tooling", "cnc-milling"), ("iso-9001",), "25.63.Z"),
    Need("integration", ("Poszukujemy integratora robotów: {part}",
                         "Robot integrator wanted: {part}"),
         (("zrobotyzowane gniazdo spawania ram", "robotic frame-welding cell"),
          ("gniazdo paletyzacji wyrobów", "palletising cell"),
          ("stanowisko kontroli wizyjnej", "vision inspection station")),
         ("Zakres: projekt, dostawa, uruchomienie i szkolenie operatorów; czas taktu {takt} s, "
          "uruchomienie w {quarter_pl}",
          "Scope: design, supply, commissioning and operator training; cycle time {takt} s, "
          "start-up in {quarter_en}."),
         _k("welding", "agri", "autoparts", "trailers", "stamping", "plastics"),
         _k("automation"), ("automation-robotics",), (), "28.99.Z"),
    Need("gears", ("Poszukujemy producenta uzębień: {part}", "Gear maker wanted: {part}"),
         (("koła zębate walcowe", "spur and helical gears"), ("wałki zębate", "pinion shafts"),
          ("koła łańcuchowe", "sprockets")),
         ("Moduł {module_pl}, klasa dokładności {cls} wg ISO 1328, nawęglane i szlifowane; ok. "
          "{volume} szt. rocznie.",
          "Module {module_en}, ISO 1328 accuracy grade {cls}, carburised and ground; about "
          "{volume} a year."),
         _k("agri", "automation", "vehicles", "aftermarket"), _k("drives", "machining"),
         ("cnc-turning", "grinding", "heat-treatment"), ("iso-9001",), "28.15.Z"),
    Need("rubber", ("Dostawca elementów gumowo-metalowych: {part}",
                    "Rubber-metal parts supplier: {part}"),
         (("tuleje wahaczy", "control-arm bushings"),
          ("poduszki silnika i kabiny", "engine and cab mounts"),
          ("uszczelki drzwi i szyb", "door and window seals")),
         ("Mieszanka {rubber} o twardości {shore} ShA, ok. {volume} szt. rocznie; wymagane "
          "badania starzeniowe i dokumentacja PPAP.",
          "{rubber} compound, {shore} Shore A, about {volume} a year; ageing tests and PPAP "
          "documentation required."),
         _k("autoparts", "agri", "vehicles", "trailers"), _k("plastics"),
         ("injection-moulding", "rubber"), ("iatf-16949",), "22.12.Z"),
)

PART_BUYERS: dict[str, frozenset[str]] = {  # parts only some of a need's buyers would order
    "korpusy przekładni": _k("drives", "agri", "vehicles", "autoparts", "aftermarket"),
    "piasty kół": _k("agri", "trailers", "vehicles", "autoparts"),
    "obudowy pomp hydraulicznych": _k("drives", "agri", "aftermarket"),
    "wsporniki osi": _k("trailers", "agri", "autoparts", "vehicles"),
    "ramy agregatów uprawowych": _k("agri"),
    "ramy i dyszle przyczep": _k("trailers", "agri"),
    "wysięgniki opryskiwaczy": _k("agri"),
    "ramy nośne pakietów baterii": _k("emobility", "vehicles"),
    "ramy podwozi i stelaże zabudów": _k("vehicles", "trailers", "autoparts"),
    "siłowniki teleskopowe do wywrotu": _k("trailers", "agri", "vehicles"),
    "wiązki oświetlenia i sterowania przyczep": _k("trailers", "agri"),
    "wiązki kabin ciągników i kombajnów": _k("agri"),
    "wiązki wysokonapięciowe 800 V": _k("emobility", "vehicles"),
    "wiązki czujników ISOBUS": _k("agri", "electronics"),
    "wiązki szaf sterowniczych": _k("automation", "electronics"),
    "osłony i obudowy maszyn": _k("agri", "automation", "vehicles", "electronics", "emobility"),
    "szafy sterownicze": _k("automation", "electronics", "emobility"),
    "błotniki i osłony kół": _k("agri", "trailers", "vehicles"),
    "ramy i elementy maszyn rolniczych": _k("agri", "welding"),
    "obudowy i osłony z blachy": _k("stamping", "automation", "welding", "vehicles"),
    "elementy przyczep i naczep": _k("trailers", "welding", "agri"),
    "hartowanie indukcyjne wałów": _k("machining", "drives", "agri"),
    "azotowanie gazowe kół zębatych": _k("drives", "machining"),
    "ulepszanie cieplne odkuwek": _k("forging", "drives", "machining"),
    "hartowanie próżniowe wkładek form": _k("tooling"),
    "osłony i kratki wentylacyjne": _k("autoparts", "vehicles", "agri"),
    "obudowy przycisków i paneli": _k("electronics", "vehicles", "agri", "emobility"),
    "zbiorniki płynów z PE": _k("agri", "vehicles", "autoparts"),
    "zwrotnice i dźwignie": _k("autoparts", "drives"),
    "zęby i redlice maszyn uprawowych": _k("agri", "aftermarket"),
    "formy wtryskowe 2-gniazdowe": _k("plastics", "autoparts"),
    "tłoczniki progresywne": _k("stamping", "autoparts"),
    "przyrządy spawalnicze do ram": _k("welding", "agri", "autoparts"),
    "zrobotyzowane gniazdo spawania ram": _k("welding", "agri", "trailers", "autoparts"),
    "gniazdo paletyzacji wyrobów": _k("plastics", "stamping", "autoparts"),
}

# fmt: on
