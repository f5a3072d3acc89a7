"""PKD 2025 code suggestion from free-text descriptions (real USE model): behaviour only.

How well the suggester ranks is not asserted here: `upland eval pkd` measures it on descriptions
written independently of the keyword hints (tests/reference/test_pkd_eval.py runs it small).
Texts below that expect a code use the official names, with the hint table switched off, so
they check the mechanism (both languages, clauses, folding), not the hints.

The sample catalogue below is real PKD 2025 (Dz.U. 2024 poz. 1936): codes and Polish names as
published, English names from NACE Rev. 2.1 (left empty for national-only subclasses, as in
the GUS files). Note that PKD 2025 renumbered some groups: machining is 25.53.Z (it was
25.62.Z in PKD 2007; 25.62.Z is now locks and hinges).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from upland.errors import Invalid
from upland.reference.pkd_files import load_shipped
from upland.reference.pkd_suggest import PkdSuggester, PkdSuggestion
from upland.reference.pkd_texts import build_code_texts, pkd2025_hints
from upland.textkit.embedding import HashingEmbedder, get_embedder


@dataclass(frozen=True)
class Entry:
    """Same attribute names as upland.reference.pkd_codes.PkdEntry."""

    version: int
    code: str
    level: int
    section: str
    name_pl: str
    name_en: str
    parent: str | None


# (code, name_pl, name_en). Sections are letters, the rest derive their level from the code.
SAMPLE: list[tuple[str, str, str]] = [
    ("A", "ROLNICTWO, LEŚNICTWO I RYBACTWO", "Agriculture, forestry and fishing"),
    (
        "01",
        "Uprawy rolne, chów i hodowla zwierząt, łowiectwo, włączając działalność usługową",
        "Crop and animal production, hunting and related service activities",
    ),
    ("01.1", "Uprawy rolne inne niż wieloletnie", "Growing of non-perennial crops"),
    (
        "01.11",
        "Uprawa zbóż innych niż ryż, roślin strączkowych i roślin oleistych na nasiona",
        "Growing of cereals, leguminous crops and oil seeds, except rice",
    ),
    (
        "01.11.Z",
        "Uprawa zbóż innych niż ryż, roślin strączkowych i roślin oleistych na nasiona",
        "Growing of cereals, leguminous crops and oil seeds, except rice",
    ),
    (
        "01.13",
        "Uprawa warzyw, włączając melony oraz uprawa roślin korzeniowych i roślin bulwiastych",
        "Growing of vegetables and melons, roots and tubers",
    ),
    (
        "01.13.Z",
        "Uprawa warzyw, włączając melony oraz uprawa roślin korzeniowych i roślin bulwiastych",
        "Growing of vegetables and melons, roots and tubers",
    ),
    ("01.4", "Chów i hodowla zwierząt", "Animal production"),
    ("01.41", "Chów i hodowla bydła mlecznego", "Raising of dairy cattle"),
    ("01.41.Z", "Chów i hodowla bydła mlecznego", "Raising of dairy cattle"),
    (
        "01.6",
        "Działalność usługowa wspomagająca rolnictwo i następująca po zbiorach",
        "Support activities to agriculture and post-harvest crop activities",
    ),
    (
        "01.61",
        "Działalność usługowa wspomagająca produkcję roślinną",
        "Support activities for crop production",
    ),
    (
        "01.61.Z",
        "Działalność usługowa wspomagająca produkcję roślinną",
        "Support activities for crop production",
    ),
    ("C", "PRZETWÓRSTWO PRZEMYSŁOWE", "Manufacturing"),
    ("10", "Produkcja artykułów spożywczych", "Manufacture of food products"),
    (
        "10.1",
        "Przetwarzanie i konserwowanie mięsa oraz produkcja wyrobów z mięsa",
        "Processing and preserving of meat and production of meat products",
    ),
    (
        "10.13",
        "Produkcja wyrobów z mięsa, włączając wyroby z mięsa drobiowego",
        "Production of meat and poultry meat products",
    ),
    (
        "10.13.Z",
        "Produkcja wyrobów z mięsa, włączając wyroby z mięsa drobiowego",
        "Production of meat and poultry meat products",
    ),
    (
        "10.5",
        "Wytwarzanie wyrobów mleczarskich i lodów jadalnych",
        "Manufacture of dairy products and edible ice",
    ),
    ("10.51", "Wytwarzanie wyrobów mleczarskich", "Manufacture of dairy products"),
    ("10.51.Z", "Wytwarzanie wyrobów mleczarskich", "Manufacture of dairy products"),
    (
        "10.7",
        "Produkcja wyrobów piekarniczych i mącznych",
        "Manufacture of bakery and farinaceous products",
    ),
    (
        "10.71",
        "Produkcja pieczywa; produkcja świeżych wyrobów ciastkarskich i ciastek",
        "Manufacture of bread; manufacture of fresh pastry goods and cakes",
    ),
    (
        "10.71.Z",
        "Produkcja pieczywa; produkcja świeżych wyrobów ciastkarskich i ciastek",
        "Manufacture of bread; manufacture of fresh pastry goods and cakes",
    ),
    (
        "10.72",
        "Produkcja sucharów, herbatników, konserwowanych wyrobów ciastkarskich i ciastek",
        "Manufacture of rusks, biscuits, preserved pastry goods and cakes",
    ),
    (
        "10.72.Z",
        "Produkcja sucharów, herbatników, konserwowanych wyrobów ciastkarskich i ciastek",
        "Manufacture of rusks, biscuits, preserved pastry goods and cakes",
    ),
    (
        "22",
        "Produkcja wyrobów z gumy i tworzyw sztucznych",
        "Manufacture of rubber and plastic products",
    ),
    ("22.1", "Produkcja wyrobów z gumy", "Manufacture of rubber products"),
    (
        "22.11",
        "Produkcja, bieżnikowanie i regenerowanie opon z gumy oraz produkcja dętek",
        "Manufacture, retreading and rebuilding of rubber tyres and manufacture of tubes",
    ),
    (
        "22.11.Z",
        "Produkcja, bieżnikowanie i regenerowanie opon z gumy oraz produkcja dętek",
        "Manufacture, retreading and rebuilding of rubber tyres and manufacture of tubes",
    ),
    ("22.12", "Produkcja pozostałych wyrobów z gumy", "Manufacture of other rubber products"),
    ("22.12.Z", "Produkcja pozostałych wyrobów z gumy", "Manufacture of other rubber products"),
    ("22.2", "Produkcja wyrobów z tworzyw sztucznych", "Manufacture of plastic products"),
    (
        "22.21",
        "Produkcja płyt, arkuszy, rur i kształtowników z tworzyw sztucznych",
        "Manufacture of plastic plates, sheets, tubes and profiles",
    ),
    (
        "22.21.Z",
        "Produkcja płyt, arkuszy, rur i kształtowników z tworzyw sztucznych",
        "Manufacture of plastic plates, sheets, tubes and profiles",
    ),
    ("22.22", "Produkcja opakowań z tworzyw sztucznych", "Manufacture of plastic packing goods"),
    ("22.22.Z", "Produkcja opakowań z tworzyw sztucznych", "Manufacture of plastic packing goods"),
    (
        "22.25",
        "Obróbka i wykończanie wyrobów z tworzyw sztucznych",
        "Processing and finishing of plastic products",
    ),
    (
        "22.25.Z",
        "Obróbka i wykończanie wyrobów z tworzyw sztucznych",
        "Processing and finishing of plastic products",
    ),
    (
        "22.26",
        "Produkcja pozostałych wyrobów z tworzyw sztucznych",
        "Manufacture of other plastic products",
    ),
    (
        "22.26.Z",
        "Produkcja pozostałych wyrobów z tworzyw sztucznych",
        "Manufacture of other plastic products",
    ),
    ("24", "Produkcja metali", "Manufacture of basic metals"),
    (
        "24.1",
        "Produkcja surówki, żelazostopów, żeliwa i stali oraz wyrobów hutniczych",
        "Manufacture of basic iron and steel and of ferro-alloys",
    ),
    (
        "24.10",
        "Produkcja surówki, żelazostopów, żeliwa i stali oraz wyrobów hutniczych",
        "Manufacture of basic iron and steel and of ferro-alloys",
    ),
    (
        "24.10.Z",
        "Produkcja surówki, żelazostopów, żeliwa i stali oraz wyrobów hutniczych",
        "Manufacture of basic iron and steel and of ferro-alloys",
    ),
    (
        "24.4",
        "Produkcja metali szlachetnych i innych metali nieżelaznych",
        "Manufacture of basic precious and other non-ferrous metals",
    ),
    ("24.42", "Produkcja aluminium", "Aluminium production"),
    ("24.42.B", "Produkcja wyrobów z aluminium i stopów aluminium", ""),
    ("24.5", "Odlewnictwo metali", "Casting of metals"),
    ("24.51", "Odlewnictwo żeliwa", "Casting of iron"),
    ("24.51.Z", "Odlewnictwo żeliwa", "Casting of iron"),
    ("24.52", "Odlewnictwo staliwa", "Casting of steel"),
    ("24.52.Z", "Odlewnictwo staliwa", "Casting of steel"),
    ("24.53", "Odlewnictwo metali lekkich", "Casting of light metals"),
    ("24.53.Z", "Odlewnictwo metali lekkich", "Casting of light metals"),
    (
        "25",
        "Produkcja metalowych wyrobów gotowych, z wyłączeniem maszyn i urządzeń",
        "Manufacture of fabricated metal products, except machinery and equipment",
    ),
    (
        "25.1",
        "Produkcja metalowych elementów konstrukcyjnych",
        "Manufacture of structural metal products",
    ),
    (
        "25.11",
        "Produkcja konstrukcji metalowych i ich części",
        "Manufacture of metal structures and parts of structures",
    ),
    (
        "25.11.Z",
        "Produkcja konstrukcji metalowych i ich części",
        "Manufacture of metal structures and parts of structures",
    ),
    ("25.12", "Produkcja drzwi i okien z metalu", "Manufacture of doors and windows of metal"),
    ("25.12.Z", "Produkcja drzwi i okien z metalu", "Manufacture of doors and windows of metal"),
    (
        "25.2",
        "Produkcja zbiorników, cystern i pojemników metalowych",
        "Manufacture of tanks, reservoirs and containers of metal",
    ),
    (
        "25.21",
        "Produkcja grzejników centralnego ogrzewania, wytwornic pary i kotłów",
        "Manufacture of central heating radiators, steam generators and boilers",
    ),
    (
        "25.21.Z",
        "Produkcja grzejników centralnego ogrzewania, wytwornic pary i kotłów",
        "Manufacture of central heating radiators, steam generators and boilers",
    ),
    (
        "25.22",
        "Produkcja pozostałych zbiorników, cystern i pojemników metalowych",
        "Manufacture of other tanks, reservoirs and containers of metal",
    ),
    (
        "25.22.Z",
        "Produkcja pozostałych zbiorników, cystern i pojemników metalowych",
        "Manufacture of other tanks, reservoirs and containers of metal",
    ),
    ("25.3", "Produkcja broni i amunicji", "Manufacture of weapons and ammunition"),
    ("25.30", "Produkcja broni i amunicji", "Manufacture of weapons and ammunition"),
    ("25.30.Z", "Produkcja broni i amunicji", "Manufacture of weapons and ammunition"),
    (
        "25.4",
        "Kucie i formowanie metali oraz metalurgia proszków",
        "Forging and shaping metal and powder metallurgy",
    ),
    (
        "25.40",
        "Kucie i formowanie metali oraz metalurgia proszków",
        "Forging and shaping metal and powder metallurgy",
    ),
    (
        "25.40.Z",
        "Kucie i formowanie metali oraz metalurgia proszków",
        "Forging and shaping metal and powder metallurgy",
    ),
    (
        "25.5",
        "Obróbka metali i nakładanie powłok na metale; obróbka mechaniczna elementów metalowych",
        "Treatment and coating of metals; machining",
    ),
    ("25.51", "Nakładanie powłok na metale", "Coating of metals"),
    ("25.51.Z", "Nakładanie powłok na metale", "Coating of metals"),
    ("25.52", "Obróbka cieplna metali", "Heat treatment of metals"),
    ("25.52.Z", "Obróbka cieplna metali", "Heat treatment of metals"),
    ("25.53", "Obróbka mechaniczna elementów metalowych", "Machining"),
    ("25.53.Z", "Obróbka mechaniczna elementów metalowych", "Machining"),
    (
        "25.6",
        "Produkcja wyrobów nożowniczych, sztućców, narzędzi i wyrobów metalowych ogólnego "
        "przeznaczenia",
        "Manufacture of cutlery, tools and general hardware",
    ),
    ("25.62", "Produkcja zamków i zawiasów", "Manufacture of locks and hinges"),
    ("25.62.Z", "Produkcja zamków i zawiasów", "Manufacture of locks and hinges"),
    ("25.63", "Produkcja narzędzi", "Manufacture of tools"),
    ("25.63.Z", "Produkcja narzędzi", "Manufacture of tools"),
    (
        "25.9",
        "Produkcja pozostałych gotowych wyrobów metalowych",
        "Manufacture of other fabricated metal products",
    ),
    (
        "25.93",
        "Produkcja wyrobów z drutu, łańcuchów i sprężyn",
        "Manufacture of wire products, chain and springs",
    ),
    (
        "25.93.Z",
        "Produkcja wyrobów z drutu, łańcuchów i sprężyn",
        "Manufacture of wire products, chain and springs",
    ),
    ("25.94", "Produkcja złączy i śrub", "Manufacture of fasteners and screw machine products"),
    ("25.94.Z", "Produkcja złączy i śrub", "Manufacture of fasteners and screw machine products"),
    (
        "25.99",
        "Produkcja pozostałych gotowych wyrobów metalowych, gdzie indziej niesklasyfikowana",
        "Manufacture of other fabricated metal products n.e.c.",
    ),
    (
        "25.99.Z",
        "Produkcja pozostałych gotowych wyrobów metalowych, gdzie indziej niesklasyfikowana",
        "Manufacture of other fabricated metal products n.e.c.",
    ),
    (
        "26",
        "Produkcja komputerów, wyrobów elektronicznych i optycznych",
        "Manufacture of computer, electronic and optical products",
    ),
    (
        "26.1",
        "Produkcja elektronicznych elementów i obwodów drukowanych",
        "Manufacture of electronic components and boards",
    ),
    ("26.11", "Produkcja elementów elektronicznych", "Manufacture of electronic components"),
    ("26.11.Z", "Produkcja elementów elektronicznych", "Manufacture of electronic components"),
    (
        "26.12",
        "Produkcja elektronicznych obwodów drukowanych",
        "Manufacture of loaded electronic boards",
    ),
    (
        "26.12.Z",
        "Produkcja elektronicznych obwodów drukowanych",
        "Manufacture of loaded electronic boards",
    ),
    (
        "26.2",
        "Produkcja komputerów i urządzeń peryferyjnych",
        "Manufacture of computers and peripheral equipment",
    ),
    (
        "26.20",
        "Produkcja komputerów i urządzeń peryferyjnych",
        "Manufacture of computers and peripheral equipment",
    ),
    (
        "26.20.Z",
        "Produkcja komputerów i urządzeń peryferyjnych",
        "Manufacture of computers and peripheral equipment",
    ),
    (
        "26.5",
        "Produkcja instrumentów i przyrządów pomiarowych, kontrolnych, zegarów i zegarków",
        "Manufacture of measuring testing instruments, navigating and control equipment, "
        "watches and clocks",
    ),
    (
        "26.51",
        "Produkcja instrumentów i przyrządów pomiarowych, kontrolnych i nawigacyjnych",
        "Manufacture of measuring testing instruments, navigating and control equipment",
    ),
    (
        "26.51.Z",
        "Produkcja instrumentów i przyrządów pomiarowych, kontrolnych i nawigacyjnych",
        "Manufacture of measuring testing instruments, navigating and control equipment",
    ),
    ("27", "Produkcja urządzeń elektrycznych", "Manufacture of electrical equipment"),
    (
        "27.1",
        "Produkcja elektrycznych silników, prądnic, transformatorów, aparatury rozdzielczej "
        "i sterowniczej energii elektrycznej",
        "Manufacture of electric motors, generators, "
        "transformers and electricity distribution and control apparatus",
    ),
    (
        "27.11",
        "Produkcja elektrycznych silników, prądnic i transformatorów",
        "Manufacture of electric motors, generators and transformers",
    ),
    (
        "27.11.Z",
        "Produkcja elektrycznych silników, prądnic i transformatorów",
        "Manufacture of electric motors, generators and transformers",
    ),
    (
        "27.12",
        "Produkcja aparatury rozdzielczej i sterowniczej energii elektrycznej",
        "Manufacture of electricity distribution and control apparatus",
    ),
    (
        "27.12.Z",
        "Produkcja aparatury rozdzielczej i sterowniczej energii elektrycznej",
        "Manufacture of electricity distribution and control apparatus",
    ),
    ("27.2", "Produkcja baterii i akumulatorów", "Manufacture of batteries and accumulators"),
    ("27.20", "Produkcja baterii i akumulatorów", "Manufacture of batteries and accumulators"),
    ("27.20.Z", "Produkcja baterii i akumulatorów", "Manufacture of batteries and accumulators"),
    (
        "27.3",
        "Produkcja izolowanych przewodów i kabli oraz sprzętu instalacyjnego",
        "Manufacture of wiring and wiring devices",
    ),
    (
        "27.32",
        "Produkcja pozostałych elektronicznych i elektrycznych przewodów i kabli",
        "Manufacture of other electronic and electric wires and cables",
    ),
    (
        "27.32.Z",
        "Produkcja pozostałych elektronicznych i elektrycznych przewodów i kabli",
        "Manufacture of other electronic and electric wires and cables",
    ),
    ("27.4", "Produkcja sprzętu oświetleniowego", "Manufacture of lighting equipment"),
    ("27.40", "Produkcja sprzętu oświetleniowego", "Manufacture of lighting equipment"),
    ("27.40.Z", "Produkcja sprzętu oświetleniowego", "Manufacture of lighting equipment"),
    ("27.5", "Produkcja sprzętu gospodarstwa domowego", "Manufacture of domestic appliances"),
    (
        "27.51",
        "Produkcja elektrycznego sprzętu gospodarstwa domowego",
        "Manufacture of electric domestic appliances",
    ),
    (
        "27.51.Z",
        "Produkcja elektrycznego sprzętu gospodarstwa domowego",
        "Manufacture of electric domestic appliances",
    ),
    (
        "28",
        "Produkcja maszyn i urządzeń, gdzie indziej niesklasyfikowana",
        "Manufacture of machinery and equipment n.e.c.",
    ),
    ("28.1", "Produkcja maszyn ogólnego przeznaczenia", "Manufacture of general-purpose machinery"),
    (
        "28.11",
        "Produkcja silników i turbin, z wyłączeniem silników lotniczych, samochodowych i "
        "motocyklowych",
        "Manufacture of engines and turbines, except aircraft, vehicle and cycle engines",
    ),
    (
        "28.11.Z",
        "Produkcja silników i turbin, z wyłączeniem silników lotniczych, samochodowych i "
        "motocyklowych",
        "Manufacture of engines and turbines, except aircraft, vehicle and cycle engines",
    ),
    (
        "28.12",
        "Produkcja sprzętu i wyposażenia do napędu hydraulicznego i pneumatycznego",
        "Manufacture of fluid power equipment",
    ),
    (
        "28.12.Z",
        "Produkcja sprzętu i wyposażenia do napędu hydraulicznego i pneumatycznego",
        "Manufacture of fluid power equipment",
    ),
    (
        "28.13",
        "Produkcja pozostałych pomp i sprężarek",
        "Manufacture of other pumps and compressors",
    ),
    (
        "28.13.Z",
        "Produkcja pozostałych pomp i sprężarek",
        "Manufacture of other pumps and compressors",
    ),
    ("28.14", "Produkcja pozostałych kurków i zaworów", "Manufacture of other taps and valves"),
    ("28.14.Z", "Produkcja pozostałych kurków i zaworów", "Manufacture of other taps and valves"),
    (
        "28.15",
        "Produkcja łożysk, kół zębatych, przekładni zębatych i elementów napędowych",
        "Manufacture of bearings, gears, gearing and driving elements",
    ),
    (
        "28.15.Z",
        "Produkcja łożysk, kół zębatych, przekładni zębatych i elementów napędowych",
        "Manufacture of bearings, gears, gearing and driving elements",
    ),
    (
        "28.2",
        "Produkcja pozostałych maszyn ogólnego przeznaczenia",
        "Manufacture of other general-purpose machinery",
    ),
    (
        "28.22",
        "Produkcja urządzeń podnośnikowych i przeładunkowych",
        "Manufacture of lifting and handling equipment",
    ),
    (
        "28.22.Z",
        "Produkcja urządzeń podnośnikowych i przeładunkowych",
        "Manufacture of lifting and handling equipment",
    ),
    (
        "28.25",
        "Produkcja przemysłowych urządzeń chłodniczych, wentylacyjnych i klimatyzacyjnych",
        "Manufacture of non-domestic cooling and ventilation equipment",
    ),
    (
        "28.25.Z",
        "Produkcja przemysłowych urządzeń chłodniczych, wentylacyjnych i klimatyzacyjnych",
        "Manufacture of non-domestic cooling and ventilation equipment",
    ),
    (
        "28.29",
        "Produkcja pozostałych maszyn ogólnego przeznaczenia, gdzie indziej niesklasyfikowana",
        "Manufacture of other general-purpose machinery n.e.c.",
    ),
    (
        "28.29.Z",
        "Produkcja pozostałych maszyn ogólnego przeznaczenia, gdzie indziej niesklasyfikowana",
        "Manufacture of other general-purpose machinery n.e.c.",
    ),
    (
        "28.3",
        "Produkcja maszyn dla rolnictwa i leśnictwa",
        "Manufacture of agricultural and forestry machinery",
    ),
    (
        "28.30",
        "Produkcja maszyn dla rolnictwa i leśnictwa",
        "Manufacture of agricultural and forestry machinery",
    ),
    (
        "28.30.Z",
        "Produkcja maszyn dla rolnictwa i leśnictwa",
        "Manufacture of agricultural and forestry machinery",
    ),
    (
        "28.4",
        "Produkcja maszyn do formowania metalu i narzędzi mechanicznych",
        "Manufacture of metal forming machinery and machine tools",
    ),
    (
        "28.41",
        "Produkcja maszyn do formowania metalu i obrabiarek do metalu",
        "Manufacture of metal forming machinery and machine tools for metal work",
    ),
    (
        "28.41.Z",
        "Produkcja maszyn do formowania metalu i obrabiarek do metalu",
        "Manufacture of metal forming machinery and machine tools for metal work",
    ),
    ("28.42", "Produkcja pozostałych narzędzi mechanicznych", "Manufacture of other machine tools"),
    (
        "28.42.Z",
        "Produkcja pozostałych narzędzi mechanicznych",
        "Manufacture of other machine tools",
    ),
    (
        "28.9",
        "Produkcja pozostałych maszyn specjalnego przeznaczenia",
        "Manufacture of other special-purpose machinery",
    ),
    ("28.91", "Produkcja maszyn dla metalurgii", "Manufacture of machinery for metallurgy"),
    ("28.91.Z", "Produkcja maszyn dla metalurgii", "Manufacture of machinery for metallurgy"),
    (
        "28.92",
        "Produkcja maszyn dla górnictwa i do wydobywania oraz budownictwa",
        "Manufacture of machinery for mining, quarrying and construction",
    ),
    (
        "28.92.Z",
        "Produkcja maszyn dla górnictwa i do wydobywania oraz budownictwa",
        "Manufacture of machinery for mining, quarrying and construction",
    ),
    (
        "28.93",
        "Produkcja maszyn stosowanych w przetwórstwie żywności, tytoniu i produkcji napojów",
        "Manufacture of machinery for food, beverage and tobacco processing",
    ),
    (
        "28.93.Z",
        "Produkcja maszyn stosowanych w przetwórstwie żywności, tytoniu i produkcji napojów",
        "Manufacture of machinery for food, beverage and tobacco processing",
    ),
    (
        "28.96",
        "Produkcja maszyn do obróbki gumy lub tworzyw sztucznych",
        "Manufacture of plastics and rubber machinery",
    ),
    (
        "28.96.Z",
        "Produkcja maszyn do obróbki gumy lub tworzyw sztucznych",
        "Manufacture of plastics and rubber machinery",
    ),
    (
        "28.97",
        "Produkcja maszyn do wytwarzania przyrostowego",
        "Manufacture of additive manufacturing machinery",
    ),
    (
        "28.97.Z",
        "Produkcja maszyn do wytwarzania przyrostowego",
        "Manufacture of additive manufacturing machinery",
    ),
    (
        "28.99",
        "Produkcja pozostałych maszyn specjalnego przeznaczenia, gdzie indziej niesklasyfikowana",
        "Manufacture of other special-purpose machinery n.e.c.",
    ),
    (
        "28.99.Z",
        "Produkcja pozostałych maszyn specjalnego przeznaczenia, gdzie indziej niesklasyfikowana",
        "Manufacture of other special-purpose machinery n.e.c.",
    ),
    (
        "29",
        "Produkcja pojazdów silnikowych, produkcja przyczep i naczep",
        "Manufacture of motor vehicles, trailers and semi-trailers",
    ),
    (
        "29.1",
        "Produkcja pojazdów silnikowych, z wyłączeniem motocykli",
        "Manufacture of motor vehicles",
    ),
    (
        "29.10",
        "Produkcja pojazdów silnikowych, z wyłączeniem motocykli",
        "Manufacture of motor vehicles",
    ),
    ("29.10.A", "Produkcja silników do pojazdów silnikowych, z wyłączeniem motocykli", ""),
    ("29.10.B", "Produkcja samochodów osobowych", ""),
    ("29.10.C", "Produkcja autobusów", ""),
    ("29.10.D", "Produkcja pojazdów silnikowych przeznaczonych do przewozu towarów", ""),
    ("29.10.E", "Produkcja pozostałych pojazdów silnikowych, z wyłączeniem motocykli", ""),
    (
        "29.2",
        "Produkcja nadwozi do pojazdów silnikowych, z wyłączeniem motocykli; produkcja "
        "przyczep i naczep",
        "Manufacture of bodies for motor vehicles; manufacture of trailers and semi-trailers",
    ),
    (
        "29.20",
        "Produkcja nadwozi do pojazdów silnikowych, z wyłączeniem motocykli; produkcja "
        "przyczep i naczep",
        "Manufacture of bodies for motor vehicles; manufacture of trailers and semi-trailers",
    ),
    (
        "29.20.Z",
        "Produkcja nadwozi do pojazdów silnikowych, z wyłączeniem motocykli; produkcja "
        "przyczep i naczep",
        "Manufacture of bodies for motor vehicles; manufacture of trailers and semi-trailers",
    ),
    (
        "29.3",
        "Produkcja części i akcesoriów do pojazdów silnikowych",
        "Manufacture of motor vehicle parts and accessories",
    ),
    (
        "29.31",
        "Produkcja wyposażenia elektrycznego i elektronicznego do pojazdów silnikowych",
        "Manufacture of electrical and electronic equipment for motor vehicles",
    ),
    (
        "29.31.Z",
        "Produkcja wyposażenia elektrycznego i elektronicznego do pojazdów silnikowych",
        "Manufacture of electrical and electronic equipment for motor vehicles",
    ),
    (
        "29.32",
        "Produkcja pozostałych części i akcesoriów do pojazdów silnikowych, z wyłączeniem "
        "motocykli",
        "Manufacture of other parts and accessories for motor vehicles",
    ),
    (
        "29.32.Z",
        "Produkcja pozostałych części i akcesoriów do pojazdów silnikowych, z wyłączeniem "
        "motocykli",
        "Manufacture of other parts and accessories for motor vehicles",
    ),
    (
        "30",
        "Produkcja pozostałego sprzętu transportowego",
        "Manufacture of other transport equipment",
    ),
    (
        "30.2",
        "Produkcja lokomotyw kolejowych oraz taboru szynowego",
        "Manufacture of railway locomotives and rolling stock",
    ),
    (
        "30.20",
        "Produkcja lokomotyw kolejowych oraz taboru szynowego",
        "Manufacture of railway locomotives and rolling stock",
    ),
    (
        "30.20.Z",
        "Produkcja lokomotyw kolejowych oraz taboru szynowego",
        "Manufacture of railway locomotives and rolling stock",
    ),
    (
        "30.3",
        "Produkcja statków powietrznych, statków kosmicznych i podobnych maszyn",
        "Manufacture of air and spacecraft and related machinery",
    ),
    (
        "30.31",
        "Produkcja cywilnych statków powietrznych, statków kosmicznych i podobnych maszyn",
        "Manufacture of civil air and spacecraft and related machinery",
    ),
    (
        "30.31.Z",
        "Produkcja cywilnych statków powietrznych, statków kosmicznych i podobnych maszyn",
        "Manufacture of civil air and spacecraft and related machinery",
    ),
    ("30.4", "Produkcja wojskowych pojazdów bojowych", "Manufacture of military fighting vehicles"),
    (
        "30.40",
        "Produkcja wojskowych pojazdów bojowych",
        "Manufacture of military fighting vehicles",
    ),
    (
        "30.40.Z",
        "Produkcja wojskowych pojazdów bojowych",
        "Manufacture of military fighting vehicles",
    ),
    (
        "30.9",
        "Produkcja sprzętu transportowego, gdzie indziej niesklasyfikowana",
        "Manufacture of transport equipment n.e.c.",
    ),
    (
        "30.92",
        "Produkcja rowerów i wózków inwalidzkich",
        "Manufacture of bicycles and invalid carriages",
    ),
    (
        "30.92.Z",
        "Produkcja rowerów i wózków inwalidzkich",
        "Manufacture of bicycles and invalid carriages",
    ),
    ("31", "Produkcja mebli", "Manufacture of furniture"),
    ("31.0", "Produkcja mebli", "Manufacture of furniture"),
    ("31.00", "Produkcja mebli", "Manufacture of furniture"),
    ("31.00.Z", "Produkcja mebli", "Manufacture of furniture"),
    (
        "33",
        "Naprawa, konserwacja i instalowanie maszyn i urządzeń",
        "Repair, maintenance and installation of machinery and equipment",
    ),
    (
        "33.1",
        "Naprawa i konserwacja metalowych wyrobów gotowych, maszyn i urządzeń",
        "Repair and maintenance of fabricated metal products, machinery and equipment",
    ),
    (
        "33.11",
        "Naprawa i konserwacja metalowych wyrobów gotowych",
        "Repair and maintenance of fabricated metal products",
    ),
    (
        "33.11.Z",
        "Naprawa i konserwacja metalowych wyrobów gotowych",
        "Repair and maintenance of fabricated metal products",
    ),
    ("33.12", "Naprawa i konserwacja maszyn", "Repair and maintenance of machinery"),
    ("33.12.Z", "Naprawa i konserwacja maszyn", "Repair and maintenance of machinery"),
    (
        "33.14",
        "Naprawa i konserwacja urządzeń elektrycznych",
        "Repair and maintenance of electrical equipment",
    ),
    (
        "33.14.Z",
        "Naprawa i konserwacja urządzeń elektrycznych",
        "Repair and maintenance of electrical equipment",
    ),
    (
        "33.2",
        "Instalowanie maszyn przemysłowych, sprzętu i wyposażenia",
        "Installation of industrial machinery and equipment",
    ),
    (
        "33.20",
        "Instalowanie maszyn przemysłowych, sprzętu i wyposażenia",
        "Installation of industrial machinery and equipment",
    ),
    (
        "33.20.Z",
        "Instalowanie maszyn przemysłowych, sprzętu i wyposażenia",
        "Installation of industrial machinery and equipment",
    ),
    ("F", "BUDOWNICTWO", "Construction"),
    ("43", "Roboty budowlane specjalistyczne", "Specialised construction activities"),
    (
        "43.2",
        "Wykonywanie instalacji elektrycznych, wodno-kanalizacyjnych i pozostałych "
        "instalacji budowlanych",
        "Electrical, plumbing and other construction installation activities",
    ),
    ("43.21", "Wykonywanie instalacji elektrycznych", "Electrical installation"),
    ("43.21.Z", "Wykonywanie instalacji elektrycznych", "Electrical installation"),
    ("G", "HANDEL HURTOWY I DETALICZNY", "Wholesale and retail trade"),
    ("46", "Handel hurtowy", "Wholesale trade"),
    (
        "46.6",
        "Sprzedaż hurtowa pozostałych maszyn, urządzeń i dodatkowego wyposażenia",
        "Wholesale of other machinery, equipment and supplies",
    ),
    (
        "46.61",
        "Sprzedaż hurtowa maszyn i urządzeń rolniczych oraz dodatkowego wyposażenia",
        "Wholesale of agricultural machinery, equipment and supplies",
    ),
    (
        "46.61.Z",
        "Sprzedaż hurtowa maszyn i urządzeń rolniczych oraz dodatkowego wyposażenia",
        "Wholesale of agricultural machinery, equipment and supplies",
    ),
    (
        "46.7",
        "Sprzedaż hurtowa pojazdów silnikowych, w tym motocykli, oraz części i akcesoriów do nich",
        "Wholesale of motor vehicles, motorcycles and related parts and accessories",
    ),
    (
        "46.72",
        "Sprzedaż hurtowa części i akcesoriów do pojazdów silnikowych, z wyłączeniem motocykli",
        "Wholesale of motor vehicle parts and accessories",
    ),
    (
        "46.72.Z",
        "Sprzedaż hurtowa części i akcesoriów do pojazdów silnikowych, z wyłączeniem motocykli",
        "Wholesale of motor vehicle parts and accessories",
    ),
    ("47", "Handel detaliczny", "Retail trade"),
    ("47.1", "Sprzedaż detaliczna niewyspecjalizowana", "Non-specialised retail sale"),
    (
        "47.11",
        "Sprzedaż detaliczna niewyspecjalizowana z przewagą żywności, napojów lub wyrobów "
        "tytoniowych",
        "Non-specialised retail sale of predominately food, beverages or tobacco",
    ),
    (
        "47.11.Z",
        "Sprzedaż detaliczna niewyspecjalizowana z przewagą żywności, napojów lub "
        "wyrobów tytoniowych",
        "Non-specialised retail sale of predominately food, beverages or tobacco",
    ),
    (
        "47.2",
        "Sprzedaż detaliczna żywności, napojów i wyrobów tytoniowych",
        "Retail sale of food, beverages and tobacco",
    ),
    (
        "47.24",
        "Sprzedaż detaliczna pieczywa, ciast, wyrobów ciastkarskich i cukierniczych",
        "Retail sale of bread, cakes and confectionery",
    ),
    (
        "47.24.Z",
        "Sprzedaż detaliczna pieczywa, ciast, wyrobów ciastkarskich i cukierniczych",
        "Retail sale of bread, cakes and confectionery",
    ),
    ("H", "TRANSPORT I GOSPODARKA MAGAZYNOWA", "Transportation and storage"),
    (
        "49",
        "Transport lądowy oraz transport rurociągowy",
        "Land transport and transport via pipelines",
    ),
    (
        "49.4",
        "Transport drogowy towarów oraz działalność usługowa związana z przeprowadzkami",
        "Freight transport by road and removal services",
    ),
    ("49.41", "Transport drogowy towarów", "Freight transport by road"),
    ("49.41.Z", "Transport drogowy towarów", "Freight transport by road"),
    (
        "I",
        "DZIAŁALNOŚĆ ZWIĄZANA Z ZAKWATEROWANIEM I USŁUGAMI GASTRONOMICZNYMI",
        "Accommodation and food service activities",
    ),
    ("56", "Działalność usługowa związana z wyżywieniem", "Food and beverage service activities"),
    (
        "56.1",
        "Restauracje i ruchome placówki gastronomiczne",
        "Restaurants and mobile food service activities",
    ),
    ("56.11", "Restauracje", "Restaurant activities"),
    ("56.11.Z", "Restauracje", "Restaurant activities"),
    ("56.12", "Ruchome placówki gastronomiczne", "Mobile food service activities"),
    ("56.12.Z", "Ruchome placówki gastronomiczne", "Mobile food service activities"),
    ("56.3", "Podawanie napojów", "Beverage serving activities"),
    ("56.30", "Podawanie napojów", "Beverage serving activities"),
    ("56.30.Z", "Podawanie napojów", "Beverage serving activities"),
    (
        "K",
        "Działalność usługowa w zakresie telekomunikacji, programowania komputerowego, "
        "doradztwa, infrastruktury obliczeniowej oraz pozostała działalność usługowa w zakresie "
        "informacji",
        "Telecommunication, computer programming, consulting, computing "
        "infrastructure and other information service activities",
    ),
    (
        "62",
        "Działalność związana z programowaniem, doradztwem w zakresie informatyki i "
        "działalności powiązane",
        "Computer programming, consultancy and related activities",
    ),
    ("62.1", "Działalność w zakresie programowania", "Computer programming activities"),
    ("62.10", "Działalność w zakresie programowania", "Computer programming activities"),
    ("62.10.A", "Działalność w zakresie programowania gier komputerowych", ""),
    ("62.10.B", "Pozostała działalność w zakresie programowania", ""),
    (
        "N",
        "DZIAŁALNOŚĆ PROFESJONALNA, NAUKOWA I TECHNICZNA",
        "Professional, scientific and technical activities",
    ),
    (
        "71",
        "Działalność w zakresie architektury i inżynierii; badania i analizy techniczne",
        "Architectural and engineering activities; technical testing and analysis",
    ),
    (
        "71.1",
        "Działalność w zakresie architektury i inżynierii oraz związane z nią doradztwo techniczne",
        "Architectural and engineering activities and related technical consultancy",
    ),
    ("71.11", "Działalność w zakresie architektury", "Architectural activities"),
    ("71.11.Z", "Działalność w zakresie architektury", "Architectural activities"),
    (
        "71.12",
        "Działalność w zakresie inżynierii i związane z nią doradztwo techniczne",
        "Engineering activities and related technical consultancy",
    ),
    ("71.12.A", "Działalność w zakresie geodezji i kartografii", ""),
    (
        "71.12.B",
        "Pozostała działalność w zakresie inżynierii i związane z nią doradztwo techniczne",
        "",
    ),
    ("71.2", "Badania i analizy techniczne", "Technical testing and analysis"),
    ("71.20", "Badania i analizy techniczne", "Technical testing and analysis"),
    ("71.20.A", "Badania i analizy związane z jakością żywności", ""),
    ("71.20.C", "Pozostałe badania i analizy techniczne", ""),
    ("72", "Badania naukowe i prace rozwojowe", "Scientific research and development"),
    (
        "72.1",
        "Badania naukowe i prace rozwojowe w dziedzinie nauk przyrodniczych i technicznych",
        "Research and experimental development on natural sciences and engineering",
    ),
    (
        "72.10",
        "Badania naukowe i prace rozwojowe w dziedzinie nauk przyrodniczych i technicznych",
        "Research and experimental development on natural sciences and engineering",
    ),
    (
        "72.10.Z",
        "Badania naukowe i prace rozwojowe w dziedzinie nauk przyrodniczych i technicznych",
        "Research and experimental development on natural sciences and engineering",
    ),
    (
        "72.2",
        "Badania naukowe i prace rozwojowe w dziedzinie nauk społecznych i humanistycznych",
        "Research and experimental development on social sciences and humanities",
    ),
    (
        "72.20",
        "Badania naukowe i prace rozwojowe w dziedzinie nauk społecznych i humanistycznych",
        "Research and experimental development on social sciences and humanities",
    ),
    (
        "72.20.Z",
        "Badania naukowe i prace rozwojowe w dziedzinie nauk społecznych i humanistycznych",
        "Research and experimental development on social sciences and humanities",
    ),
    (
        "74",
        "Pozostała działalność profesjonalna, naukowa i techniczna",
        "Other professional, scientific and technical activities",
    ),
    (
        "74.1",
        "Działalność w zakresie specjalistycznego projektowania",
        "Specialised design activities",
    ),
    (
        "74.11",
        "Działalność w zakresie wzornictwa przemysłowego i projektowania mody",
        "Industrial product and fashion design activities",
    ),
    (
        "74.11.Z",
        "Działalność w zakresie wzornictwa przemysłowego i projektowania mody",
        "Industrial product and fashion design activities",
    ),
    ("Q", "EDUKACJA", "Education"),
    ("85", "Edukacja", "Education"),
    (
        "85.3",
        "Szkoły ponadpodstawowe i placówki kształcenia policealnego",
        "Secondary and post-secondary non-tertiary education",
    ),
    (
        "85.32",
        "Szkoły prowadzące kształcenie zawodowe, z wyłączeniem placówek kształcenia policealnego",
        "Vocational secondary education",
    ),
    ("85.32.A", "Technika", ""),
    ("85.32.B", "Branżowe szkoły I stopnia", ""),
    ("85.4", "Szkoły wyższe", "Tertiary education"),
    ("85.40", "Szkoły wyższe", "Tertiary education"),
    ("85.40.Z", "Szkoły wyższe", "Tertiary education"),
    ("85.5", "Pozostałe formy edukacji", "Other education"),
    (
        "85.53",
        "Pozostałe formy edukacji z zakresu nauki jazdy i pilotażu",
        "Driving school activities",
    ),
    (
        "85.53.Z",
        "Pozostałe formy edukacji z zakresu nauki jazdy i pilotażu",
        "Driving school activities",
    ),
    (
        "85.59",
        "Pozostałe formy edukacji, gdzie indziej niesklasyfikowane",
        "Other education n.e.c.",
    ),
    ("85.59.A", "Nauka języków obcych", ""),
    (
        "85.59.B",
        "Kursy i szkolenia związane ze zdobywaniem wiedzy, umiejętności i kwalifikacji "
        "zawodowych w formach pozaszkolnych",
        "",
    ),
    ("T", "POZOSTAŁA DZIAŁALNOŚĆ USŁUGOWA", "Other service activities"),
    (
        "95",
        "Naprawa i konserwacja komputerów, artykułów użytku osobistego i domowego oraz "
        "pojazdów silnikowych, w tym motocykli",
        "Repair and maintenance of computers, personal "
        "and household goods, and motor vehicles and motorcycles",
    ),
    (
        "95.3",
        "Naprawa i konserwacja pojazdów silnikowych, w tym motocykli",
        "Repair and maintenance of motor vehicles and motorcycles",
    ),
    (
        "95.31",
        "Naprawa i konserwacja pojazdów silnikowych, z wyłączeniem motocykli",
        "Repair and maintenance of motor vehicles",
    ),
    (
        "95.31.A",
        "Naprawa mechaniczna i serwisowa pojazdów silnikowych, z wyłączeniem motocykli",
        "",
    ),
    (
        "95.31.B",
        "Naprawa blacharsko-lakiernicza oraz konserwacja pojazdów silnikowych, "
        "z wyłączeniem motocykli",
        "",
    ),
]


def _level(code: str) -> int:
    if code.isalpha():
        return 1
    digits = code.replace(".", "")
    return {2: 2, 3: 3, 4: 4}.get(len(digits), 5)


def _parent(code: str, section: str) -> str | None:
    level = _level(code)
    if level == 1:
        return None
    if level == 2:
        return section
    if level == 5:
        return code[:5]
    return code[:-1].rstrip(".")


def sample_catalogue() -> list[Entry]:
    entries, section = [], ""
    for code, name_pl, name_en in SAMPLE:
        if code.isalpha():
            section = code
        entries.append(
            Entry(2025, code, _level(code), section, name_pl, name_en, _parent(code, section))
        )
    return entries


# ------------------------------------------------------------------------------ fixtures
# ------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    return sample_catalogue()


@pytest.fixture(scope="module")
def suggester(catalogue: list[Entry]) -> PkdSuggester:
    return PkdSuggester(catalogue, get_embedder())


@pytest.fixture(scope="module")
def plain(catalogue: list[Entry]) -> PkdSuggester:
    """The same catalogue and model without the keyword hints: only official names."""
    return PkdSuggester(catalogue, get_embedder(), hints={})


def codes(suggestions: list[PkdSuggestion]) -> list[str]:
    return [s.code for s in suggestions]


class CountingEmbedder(HashingEmbedder):
    """Fast stand-in that records how many texts it was asked to embed."""

    def __init__(self) -> None:
        super().__init__(dimension=64)
        self.calls: list[int] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(len(texts))
        return super().embed(texts)


def test_sample_catalogue_is_a_consistent_tree(catalogue: list[Entry]) -> None:
    by_code = {e.code: e for e in catalogue}
    assert len(by_code) == len(catalogue)
    subclasses = [e for e in catalogue if e.level == 5]
    assert len(subclasses) >= 40
    for entry in catalogue:
        if entry.parent is not None:
            assert by_code[entry.parent].level == entry.level - 1, entry.code


# ---------------------------------------------------------------------------- the result


@pytest.mark.parametrize("text", ["", "   ", "a", "12", "?!", None])
def test_empty_or_too_short_text_is_invalid(suggester: PkdSuggester, text: str | None) -> None:
    with pytest.raises(Invalid) as caught:
        suggester.suggest(text)  # type: ignore[arg-type]
    assert caught.value.errors[0].field == "description"


def test_result_shape(suggester: PkdSuggester, catalogue: list[Entry]) -> None:
    result = suggester.suggest("Produkcja konstrukcji stalowych hal", limit=7)
    assert len(result) == 7
    scores = [s.score for s in result]
    assert all(0.0 <= s <= 1.0 and round(s, 3) == s for s in scores)
    assert len(set(codes(result))) == 7
    names = {e.code: (e.name_pl, e.name_en) for e in catalogue}
    assert all((s.name_pl, s.name_en) == names[s.code] for s in result)
    assert all(s.matched_text == "Produkcja konstrukcji stalowych hal" for s in result)
    assert suggester.suggest("Produkcja mebli", limit=0) == []
    assert len(suggester.suggest("Produkcja mebli", limit=1000)) == len(suggester.codes)


class BlindEmbedder(CountingEmbedder):
    """Sees no meaning at all: every text embeds to zeros, so every score ties."""

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return np.zeros((len(texts), self.dimension), dtype=np.float32)


def test_best_first(suggester: PkdSuggester) -> None:
    everything = suggester.suggest("spawanie i malowanie ram przyczep", limit=1000)
    scores = [s.score for s in everything]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]
    # a prefix of a longer list, not a different ranking
    assert codes(suggester.suggest("spawanie i malowanie ram przyczep", limit=5)) == codes(
        everything[:5]
    )


def test_ties_keep_catalogue_order(catalogue: list[Entry]) -> None:
    blind = PkdSuggester(catalogue, BlindEmbedder(), kinds=())  # no kind steps back
    result = blind.suggest("xyzzy quux", limit=1000)
    assert {s.score for s in result} == {0.0}
    assert codes(result) == blind.codes


def test_same_text_same_answer(catalogue: list[Entry], suggester: PkdSuggester) -> None:
    text = "Obróbka skrawaniem wałków; malowanie proszkowe"
    assert suggester.suggest(text) == suggester.suggest(text)
    assert PkdSuggester(catalogue, get_embedder()).suggest(text) == suggester.suggest(text)
    # whitespace is not content
    assert suggester.suggest(f"  {text.replace(' ', '   ')}\n") == suggester.suggest(text)


# --------------------------------------------------------------------- languages, clauses


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Produkcja konstrukcji metalowych", "25.11.Z"),
        ("Manufacture of metal structures", "25.11.Z"),
        ("Obróbka mechaniczna elementów metalowych", "25.53.Z"),
        ("Manufacture of doors and windows of metal", "25.12.Z"),
        ("Produkcja pieczywa", "10.71.Z"),
        ("Manufacture of bread", "10.71.Z"),
    ],
)
def test_official_names_in_either_language_find_their_code(
    plain: PkdSuggester, text: str, expected: str
) -> None:
    assert plain.suggest(text)[0].code == expected


def test_polish_inflection_and_missing_diacritics_meet_the_names(plain: PkdSuggester) -> None:
    inflected = "Zajmujemy się obróbką mechaniczną elementów metalowych"
    assert plain.suggest(inflected)[0].code == "25.53.Z"
    assert codes(plain.suggest("obrobka mechaniczna elementow metalowych", limit=3)) == codes(
        plain.suggest("obróbka mechaniczna elementów metalowych", limit=3)
    )


def test_several_activities_each_get_a_candidate_with_their_clause(plain: PkdSuggester) -> None:
    text = "Obróbka mechaniczna elementów metalowych oraz produkcja przyczep i naczep"
    result = plain.suggest(text, limit=5)
    by_code = {s.code: s for s in result}
    assert {"25.53.Z", "29.20.Z"} <= set(by_code), result
    assert by_code["25.53.Z"].matched_text == "Obróbka mechaniczna elementów metalowych"
    assert by_code["29.20.Z"].matched_text == "produkcja przyczep i naczep"


def test_bare_one_word_bullets_are_never_the_matched_text(suggester: PkdSuggester) -> None:
    result = suggester.suggest("• spawanie ram\n• malowanie proszkowe\n• montaż", limit=10)
    assert all(s.matched_text != "montaż" for s in result)
    assert {s.matched_text for s in result} <= {
        "spawanie ram",
        "malowanie proszkowe",
        "• spawanie ram • malowanie proszkowe • montaż",
    }


# ------------------------------------------------------------------------ text building


def test_code_text_has_names_hints_and_parents(suggester: PkdSuggester) -> None:
    text = suggester.code_texts["29.32.Z"]
    assert text.startswith(
        "Produkcja pozostałych części i akcesoriów do pojazdów silnikowych, z wyłączeniem "
        "motocykli. Manufacture of other parts and accessories for motor vehicles."
    )
    assert pkd2025_hints()["29.32.Z"] in text  # keyword hint
    assert text.endswith(
        "Produkcja pojazdów silnikowych, produkcja przyczep i naczep. "
        "Manufacture of motor vehicles, trailers and semi-trailers"
    )
    assert text.count("Produkcja pozostałych części") == 1  # the class repeats the name
    assert "Przetwórstwo" not in text and "PRZETWÓRSTWO" not in text  # no section
    # a national subclass with a distinct class name gets the class as context
    assert (
        "Produkcja pojazdów silnikowych, z wyłączeniem motocykli"
        in (suggester.code_texts["29.10.B"])
    )
    assert set(suggester.codes) == {e.code for e in sample_catalogue() if e.level == 5}


def test_hierarchy_is_derived_from_codes_when_parent_is_missing() -> None:
    entries = [
        Entry(2025, e.code, e.level, e.section, e.name_pl, e.name_en, None)
        for e in sample_catalogue()
    ]
    texts = build_code_texts(entries, hints={})
    assert texts["29.32.Z"].endswith("Manufacture of motor vehicles, trailers and semi-trailers")
    only_subclasses = [e for e in entries if e.level == 5]
    assert build_code_texts(only_subclasses, hints={})["29.32.Z"] == (
        "Produkcja pozostałych części i akcesoriów do pojazdów silnikowych, z wyłączeniem "
        "motocykli. Manufacture of other parts and accessories for motor vehicles"
    )


def test_keyword_hints_only_for_pkd_2025() -> None:
    entries = sample_catalogue()
    embedder = CountingEmbedder()
    assert "frezowanie" in PkdSuggester(entries, embedder).code_texts["25.53.Z"]
    assert "frezowanie" not in PkdSuggester(entries, embedder, hints={}).code_texts["25.53.Z"]
    # 25.53.Z is machining in PKD 2025 only; PKD 2007 catalogues get no default hints.
    as_2007 = [dataclasses.replace(e, version=2007) for e in entries]
    assert "frezowanie" not in PkdSuggester(as_2007, embedder).code_texts["25.53.Z"]
    custom = PkdSuggester(as_2007, embedder, hints={"25.53.Z": "skrawanie"})
    assert "skrawanie" in custom.code_texts["25.53.Z"]


def test_hint_table_is_read_once_and_names_only_pkd_2025_subclasses() -> None:
    hints = pkd2025_hints()
    assert pkd2025_hints() is hints
    assert len(hints) >= 100
    assert all(";" in words and not words.startswith("#") for words in hints.values())
    subclasses = {e.code for e in load_shipped(2025) if e.level == 5}
    assert set(hints) <= subclasses


def test_level_selects_what_is_suggested() -> None:
    classes = PkdSuggester(sample_catalogue(), CountingEmbedder(), level=4)
    assert all(code.count(".") == 1 and len(code) == 5 for code in classes.codes)
    with pytest.raises(ValueError):
        PkdSuggester(sample_catalogue(), CountingEmbedder(), level=7)


# ------------------------------------------------------------------- caching and threads


def test_catalogue_is_embedded_once_and_cached_on_disk(tmp_path: Path) -> None:
    entries = sample_catalogue()
    first = CountingEmbedder()
    suggester = PkdSuggester(entries, first, cache_dir=tmp_path)
    suggester.suggest("spawanie ram przyczep")
    suggester.suggest("odlewnia żeliwa")
    n = len(suggester.codes)
    assert first.calls.count(n) == 1  # the catalogue, once; the rest are queries
    [cached] = tmp_path.glob("pkd-*.npy")
    assert first.name in cached.name and suggester.cache_key() in cached.name

    second = CountingEmbedder()
    again = PkdSuggester(entries, second, cache_dir=tmp_path)
    assert np.array_equal(again.prepare(), suggester.prepare())
    assert n not in second.calls  # read from disk, not re-embedded
    assert codes(again.suggest("spawanie ram przyczep")) == codes(
        suggester.suggest("spawanie ram przyczep")
    )

    # a different catalogue (or hints, or model) is a different file
    other = PkdSuggester(entries, CountingEmbedder(), cache_dir=tmp_path, hints={})
    assert other.cache_key() != suggester.cache_key()

    # a damaged file is ignored and rewritten
    cached.write_bytes(b"not a numpy file")
    third = CountingEmbedder()
    PkdSuggester(entries, third, cache_dir=tmp_path).prepare()
    assert n in third.calls
    assert np.load(cached).shape == (n, 64)


def test_concurrent_first_use_embeds_the_catalogue_once() -> None:
    embedder = CountingEmbedder()
    suggester = PkdSuggester(sample_catalogue(), embedder)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: suggester.suggest("obróbka CNC"), range(8)))
    assert embedder.calls.count(len(suggester.codes)) == 1
    assert all(codes(r) == codes(results[0]) for r in results)
