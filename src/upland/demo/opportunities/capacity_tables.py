"""What free machine hours are spent on: for each activity the processes its spare capacity
(`Activity.capacity`) runs and the sentence that says what those machines can take on.
Placeholders are drawn by `trade.numbers`."""

from __future__ import annotations

Pair = tuple[str, str]

# fmt: off
CAPACITY_EN = {
    "machining": "on machining centres", "stamping": "on press brakes and the laser cutter",
    "welding": "in welding cells", "foundry": "on the moulding line",
    "forging": "on forging presses", "surface": "on the paint line and hardening furnaces",
    "plastics": "on injection moulding machines", "autoparts": "on the assembly line",
    "harness": "on harness assembly boards", "electronics": "on the SMT line",
    "emobility": "on the battery-pack assembly line", "agri": "on the laser cutter and in the "
    "paint shop", "vehicles": "on the final-assembly line", "trailers": "on the frame-welding line",
    "drives": "on gear hobbing machines", "tooling": "on HSC mills and EDM machines",
    "automation": "in the design office and machine assembly hall",
    "engineering": "in the FEM analysis team", "aftermarket": "in the remanufacturing shop",
    "distribution": "on the plasma table",
}

CAPACITY_PROCESSES = {  # what the free hours of `Activity.capacity` are spent on
    "machining": ("cnc-turning", "cnc-milling", "grinding"),
    "stamping": ("laser-cutting", "sheet-metal-forming"),
    "welding": ("welding-robotic", "welding-mig-mag", "welding-tig"),
    "foundry": ("casting",), "forging": ("forging",),
    "surface": ("surface-treatment", "heat-treatment"), "plastics": ("injection-moulding",),
    "autoparts": ("assembly-testing",), "harness": ("wire-harnesses",),
    "electronics": ("pcb-assembly",), "emobility": ("assembly-testing",),
    "agri": ("laser-cutting", "surface-treatment"), "vehicles": ("assembly-testing",),
    "trailers": ("welding-robotic", "welding-mig-mag"), "drives": ("cnc-milling",),
    "tooling": ("tooling",), "automation": ("automation-robotics",),
    "engineering": ("design-simulation",),
}
CAPACITY_DETAIL: dict[str, Pair] = {  # where the process sentence would not fit the machines
    "drives": ("Nacinamy uzębienia walcowe o module do {module_pl} i średnicy do {d} mm.",
               "We hob spur and helical gears up to module {module_en} and {d} mm across."),
}

PROCESS_DETAIL: dict[str, Pair] = {
    "cnc-turning": ("Toczymy detale o średnicy do {d} mm i długości do {length_mm} mm w "
                    "tolerancji ±{tol_pl} mm.",
                    "We turn parts up to {d} mm in diameter and {length_mm} mm long to "
                    "±{tol_en} mm."),
    "cnc-milling": ("Frezujemy detale o wymiarach do {x}×{y}×{z} mm.",
                    "We mill parts up to {x}×{y}×{z} mm."),
    "grinding": ("Szlifujemy wałki do średnicy {d} mm, chropowatość do Ra {ra_pl}.",
                 "We grind shafts up to {d} mm in diameter to Ra {ra_en}."),
    "laser-cutting": ("Tniemy laserem stal do {t} mm i stal nierdzewną do {t2} mm, arkusze "
                      "3000×1500 mm.",
                      "We laser-cut steel up to {t} mm and stainless steel up to {t2} mm on "
                      "3000×1500 mm sheets."),
    "sheet-metal-forming": ("Gniemy elementy o długości do {length_mm} mm z naciskiem do "
                            "{force} t.",
                            "We bend parts up to {length_mm} mm long with up to {force} t."),
    "plasma-cutting": ("Tniemy plazmą blachy do {t} mm.", "We plasma-cut plate up to {t} mm."),
    "welding-mig-mag": ("Spawamy MIG/MAG konstrukcje do {mass} kg na pozycjonerach.",
                        "We MIG/MAG-weld structures up to {mass} kg on positioners."),
    "welding-robotic": ("Spawamy robotem detale do {mass} kg, z przyrządami klienta lub "
                        "naszymi.",
                        "We robot-weld parts up to {mass} kg in the customer's fixtures or "
                        "ours."),
    "welding-tig": ("Spawamy TIG stal nierdzewną i aluminium od {t2} mm grubości.",
                    "We TIG-weld stainless steel and aluminium from {t2} mm thick."),
    "casting": ("Odlewamy detale o masie od {m1} do {mass} kg.",
                "We cast parts weighing {m1} to {mass} kg."),
    "forging": ("Kujemy odkuwki o masie do {mass} kg z nagrzewaniem indukcyjnym.",
                "We forge parts up to {mass} kg with induction heating."),
    "heat-treatment": ("Hartujemy i odpuszczamy wsady do {load} kg.",
                       "We harden and temper loads up to {load} kg."),
    "surface-treatment": ("Malujemy detale do {length} m długości w dowolnym kolorze RAL.",
                          "We paint parts up to {length} m long in any RAL colour."),
    "injection-moulding": ("Wtryskujemy detale o masie do {grams} g na maszynach do {force} t.",
                           "We mould parts up to {grams} g on machines up to {force} t."),
    "assembly-testing": ("Montujemy zespoły na {n} stanowiskach z kontrolą końcową.",
                         "We assemble units on {n} stations with final inspection."),
    "wire-harnesses": ("Zaciskamy i montujemy wiązki do {hi} obwodów z testem ciągłości.",
                       "We crimp and build harnesses of up to {hi} circuits, "
                       "continuity-tested."),
    "pcb-assembly": ("Montujemy pakiety SMD z inspekcją AOI, od prototypu po {volume} szt.",
                     "We assemble SMD boards with AOI, from prototypes to {volume} units."),
    "tooling": ("Wykonujemy wkładki formujące i stemple, termin od {weeks_pl}.",
                "We make mould inserts and punches, lead time from {weeks} weeks."),
    "design-simulation": ("Wykonujemy obliczenia MES i modele 3D konstrukcji.",
                          "We do FEM analysis and 3D models of structures."),
    "metrology": ("Mierzymy detale do {x}×{y}×{z} mm z raportem pomiarowym.",
                  "We measure parts up to {x}×{y}×{z} mm with a measurement report."),
    "additive-manufacturing": ("Drukujemy z proszków metali detale do 250×250×300 mm.",
                               "We print metal parts up to 250×250×300 mm."),
    "automation-robotics": ("Programujemy roboty i uruchamiamy gniazda u klienta.",
                            "We program robots and commission cells on site."),
    "composites-processing": ("Laminujemy elementy kompozytowe do {length} m metodą infuzji.",
                              "We make composite parts up to {length} m by infusion."),
}
# fmt: on
