"""Suggest PKD codes from a free-text description of what a firm does (Polish or English).

Pure domain code: a catalogue of PKD entries and an `Embedder` in, ranked `PkdSuggestion`s out.

How a code (a subclass, level 5, by default) is scored against a description:

* Meaning: each code gets one text, its Polish and English names, everyday keywords for the
  cluster's core subclasses (`PKD2025_HINTS`: "toczenie, frezowanie, CNC" for machining,
  whose official name is "Obróbka mechaniczna elementów metalowych"), then the names of its
  class and division for context (29.32.Z "Produkcja pozostałych części i akcesoriów do
  pojazdów silnikowych" + division "Produkcja pojazdów silnikowych, produkcja przyczep i
  naczep"). The texts are embedded once per suggester, optionally cached as .npy on disk, and
  compared with the description's embedding (cosine).
* Wording: the idf-weighted share of the description's word stems (Polish and English endings
  stripped, diacritics folded) that the code's names and keywords contain. Descriptions often
  reuse the catalogue's own words ("konstrukcje stalowe", "obróbka"), and rare technical
  words are where the sentence model is weakest.
* The two are blended (`LEXICAL_WEIGHT`) into a score in 0..1.
* Several activities: the description is split into clauses (sentences, ";", ",", and / i /
  oraz ...). Each code takes the better of the whole text and a blend of its best clause with
  the whole text, so "we machine shafts and weld trailer frames" yields candidates for both
  activities instead of one blurred average; `matched_text` says which clause matched.

On 125 hand-labelled descriptions (Polish and English, mostly the cluster's trades) against
the full PKD 2025 catalogue (728 subclasses) the expected code came first for 89% and in the
top 3 for 94%; the sentence model alone, without keywords and wording, managed 25% / 42%. The
keywords were written with those descriptions in view, so expect somewhat less on new text,
and much less for trades outside the cluster that have no keywords.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import tempfile
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from upland.errors import Invalid
from upland.matching.embedding import Embedder, blas_threads, fold

__all__ = [
    "PKD2025_HINTS",
    "CatalogueEntry",
    "PkdSuggester",
    "PkdSuggestion",
    "build_code_texts",
    "split_clauses",
]

FIELD = "description"
MIN_TEXT_CHARS = 3
MAX_TEXT_CHARS = 5000
MAX_CLAUSES = 16
MIN_CLAUSE_WORDS = 2
# Weight of the best clause against the whole description in a code's score.
CLAUSE_WEIGHT = 0.3
# Share of the wording score (idf-weighted stem coverage); the rest is the sentence embedding.
LEXICAL_WEIGHT = 0.6
# Word stems are cut to STEM_CHARS letters after stripping endings (see `_stem`).
STEM_CHARS = 6
# Parent levels whose names are added as context (4 = class, 2 = division; groups rarely add
# anything the class and division do not say).
CONTEXT_LEVELS = (4, 2)
# Credit for a word found only in the parents' names, against 1 for the code's own names.
PARENT_TERM_WEIGHT = 0.3


class CatalogueEntry(Protocol):
    """What the suggester reads from a catalogue row (e.g. `pkd_files.PkdEntry`).

    `parent` (the code one level up) and `version` are optional: without `parent` the
    hierarchy is derived from the code itself ("29.20.Z" -> "29.20" -> "29.2" -> "29").
    """

    @property
    def code(self) -> str: ...

    @property
    def level(self) -> int: ...

    @property
    def name_pl(self) -> str: ...

    @property
    def name_en(self) -> str: ...


@dataclass(frozen=True)
class PkdSuggestion:
    code: str
    name_pl: str
    name_en: str
    score: float  # 0..1, rounded to 3 decimals; comparable within one suggester
    matched_text: str  # the clause of the description (or all of it) that matched best


# ------------------------------------------------------------------------- keyword hints

# Everyday words for what firms in a subclass do, in Polish and English, written for the
# cluster's core trades (divisions 22-33, engineering, R&D, vocational education) and a few
# common neighbours (transport, trade, food, construction). They follow what the PKD/NACE
# explanatory notes list under each subclass ("Podklasa ta obejmuje ..."), in the words firms
# use: official names are abstract ("Obróbka mechaniczna elementów metalowych"), firms write
# "toczenie i frezowanie CNC". Curated by hand, not official text: extend with care and re-run
# the quality tests. Keyed by PKD 2025 codes; never apply them to another PKD version (25.62.Z
# was machining in PKD 2007 and is locks and hinges in PKD 2025).
PKD2025_HINTS: dict[str, str] = {
    "22.11.Z": "opony, dętki, bieżnikowanie opon; tyres, inner tubes, tyre retreading",
    "22.12.Z": "uszczelki, węże gumowe, pasy transmisyjne, taśmy przenośnikowe, wyroby "
    "gumowe; rubber seals, gaskets, hoses, belts, conveyor belts",
    "22.21.Z": "folie, płyty, rury i profile z tworzyw, wytłaczanie; plastic film, pipes, "
    "profiles, extrusion",
    "22.22.Z": "opakowania z tworzyw: butelki, worki, torby, skrzynki, pojemniki, folia "
    "opakowaniowa; plastic bottles, bags, crates, containers, packaging film",
    "22.23.Z": "okna i drzwi z PCV; PVC windows and doors",
    "22.25.Z": "cięcie, zgrzewanie, gięcie, powlekanie, zdobienie wyrobów z tworzyw; "
    "cutting, welding, coating of plastic products",
    "22.26.Z": "wtrysk tworzyw, detale i części z tworzyw sztucznych formowane wtryskowo; "
    "injection moulded plastic parts, plastic components",
    "24.10.Z": "huta, wytapianie stali, walcowanie na gorąco, blachy, pręty, kęsy; "
    "steelworks, steelmaking, hot rolling, steel plates and bars",
    "24.42.B": "profile, blachy, folie i pręty aluminiowe, wyciskanie aluminium; aluminium "
    "profiles, sheets, foil, aluminium extrusion",
    "24.51.Z": "odlewy z żeliwa szarego i sferoidalnego, odlewnia żeliwa; iron castings, iron "
    "foundry",
    "24.52.Z": "odlewy staliwne, odlewnia staliwa; steel castings, steel foundry",
    "24.53.Z": "odlewy z aluminium i magnezu, odlewanie ciśnieniowe, odlewnia aluminium; "
    "aluminium castings, die casting, light alloy foundry",
    "25.11.Z": "konstrukcje stalowe, hale, mosty, maszty, ramy i konstrukcje spawane; steel "
    "structures, structural steelwork, welded frames, steel fabrication",
    "25.12.Z": "drzwi, okna, bramy i rolety z metalu; metal doors, windows, gates, shutters",
    "25.21.Z": "grzejniki, kotły centralnego ogrzewania; radiators, boilers",
    "25.22.Z": "zbiorniki, cysterny, silosy, kontenery metalowe, butle gazowe, zbiorniki "
    "ciśnieniowe; tanks, silos, metal containers, pressure vessels",
    "25.30.Z": "broń, amunicja; firearms, ammunition",
    "25.40.Z": "kucie, tłoczenie, wykrawanie, prasowanie i walcowanie metali, tłocznia, "
    "kuźnia; forging, stamping, pressing, metal forming, powder metallurgy",
    "25.51.Z": "galwanizacja, cynkowanie, chromowanie, niklowanie, anodowanie, malowanie "
    "proszkowe i lakierowanie metali; electroplating, galvanising, anodising, powder coating, "
    "painting of metal",
    "25.52.Z": "hartowanie, odpuszczanie, wyżarzanie, azotowanie, nawęglanie; hardening, "
    "tempering, annealing, nitriding of metal",
    "25.53.Z": "toczenie, frezowanie, wiercenie, szlifowanie, obróbka skrawaniem, obróbka CNC, "
    "cięcie laserowe i plazmowe, spawanie elementów metalowych; turning, milling, "
    "drilling, grinding, CNC machining, laser cutting, welding of metal parts",
    "25.62.Z": "zamki, zawiasy, okucia budowlane i meblowe; locks, hinges, fittings",
    "25.63.Z": "narzędzia ręczne, narzędzia skrawające, wiertła, piły, formy wtryskowe, "
    "matryce, tłoczniki, wykrojniki, oprzyrządowanie; hand tools, cutting tools, moulds, "
    "dies, tooling",
    "25.93.Z": "wyroby z drutu, liny, łańcuchy, sprężyny, siatki, gwoździe; wire products, "
    "chains, springs, wire mesh, nails",
    "25.94.Z": "śruby, nakrętki, wkręty, nity, podkładki; bolts, nuts, screws, rivets, "
    "washers, fasteners",
    "25.99.Z": "wyroby metalowe z blachy, sejfy, drabiny, zlewozmywaki, okucia; sheet metal "
    "products, other metal goods",
    "26.11.Z": "półprzewodniki, diody, tranzystory, układy scalone, kondensatory; "
    "semiconductors, integrated circuits, electronic components",
    "26.12.Z": "montaż płytek drukowanych, montaż SMT i THT, pakiety elektroniczne; PCB "
    "assembly, SMT, loaded printed circuit boards",
    "26.20.Z": "komputery, serwery, drukarki, monitory; computers, servers, peripherals",
    "26.51.Z": "przyrządy pomiarowe, czujniki, mierniki, liczniki, aparatura kontrolna; "
    "measuring instruments, sensors, meters, test equipment",
    "27.11.Z": "silniki elektryczne, prądnice, generatory, transformatory; electric motors, "
    "generators, transformers",
    "27.12.Z": "rozdzielnice, szafy sterownicze, wyłączniki; switchgear, control cabinets, "
    "circuit breakers",
    "27.20.Z": "akumulatory, baterie, ogniwa, magazyny energii; batteries, accumulators, "
    "battery cells",
    "27.32.Z": "przewody i kable elektryczne; electric wires and cables",
    "27.40.Z": "lampy, oprawy oświetleniowe, oświetlenie LED, latarnie; lamps, luminaires, "
    "LED lighting",
    "27.51.Z": "sprzęt AGD, pralki, lodówki, odkurzacze; household appliances, washing "
    "machines, refrigerators",
    "28.11.Z": "silniki spalinowe przemysłowe, turbiny; industrial engines, turbines",
    "28.12.Z": "siłowniki hydrauliczne, pompy i rozdzielacze hydrauliczne, elementy "
    "pneumatyki; hydraulic cylinders, hydraulic pumps, pneumatic components",
    "28.13.Z": "pompy, sprężarki, kompresory; pumps, compressors",
    "28.14.Z": "zawory, kurki, armatura przemysłowa; valves, taps, industrial fittings",
    "28.15.Z": "łożyska, koła zębate, przekładnie, reduktory, skrzynie biegów, wały "
    "napędowe, sprzęgła; bearings, gears, gearboxes, drive shafts, couplings",
    "28.22.Z": "dźwigi, suwnice, żurawie, wózki widłowe, podnośniki, przenośniki, windy; "
    "cranes, forklifts, hoists, conveyors, lifts",
    "28.25.Z": "chłodnictwo przemysłowe, wentylacja, klimatyzacja, pompy ciepła; industrial "
    "refrigeration, ventilation, air conditioning, heat pumps",
    "28.29.Z": "maszyny pakujące, wagi przemysłowe, urządzenia filtrujące; packaging "
    "machinery, industrial scales, filtering equipment",
    "28.30.Z": "ciągniki rolnicze, pługi, brony, siewniki, opryskiwacze, kombajny, maszyny "
    "leśne; tractors, ploughs, harrows, seeders, sprayers, harvesters, forestry machinery",
    "28.41.Z": "obrabiarki do metalu, tokarki, frezarki, prasy, krawędziarki, wycinarki "
    "laserowe; metal-working machine tools, lathes, milling machines, presses",
    "28.42.Z": "obrabiarki do drewna, kamienia i tworzyw; woodworking machines, other machine "
    "tools",
    "28.91.Z": "maszyny hutnicze, walcarki, urządzenia odlewnicze; metallurgical machinery, "
    "rolling mills",
    "28.92.Z": "koparki, ładowarki, spycharki, maszyny górnicze i budowlane; excavators, "
    "loaders, bulldozers, mining machinery",
    "28.93.Z": "maszyny i linie do przetwórstwa spożywczego, maszyny piekarnicze i "
    "mleczarskie; food processing machinery",
    "28.96.Z": "wtryskarki, wytłaczarki, maszyny do tworzyw i gumy; injection moulding "
    "machines, extruders",
    "28.97.Z": "drukarki 3D, druk 3D, maszyny do wytwarzania przyrostowego; 3D printers, "
    "additive manufacturing machines",
    "28.99.Z": "maszyny specjalne, roboty przemysłowe, automatyka, linie produkcyjne; "
    "special-purpose machines, industrial robots, automation equipment",
    "29.10.A": "silniki samochodowe; engines for motor vehicles",
    "29.10.B": "samochody osobowe; passenger cars",
    "29.10.C": "autobusy, autobusy miejskie; buses, coaches",
    "29.10.D": "samochody ciężarowe, ciężarówki; lorries, trucks",
    "29.10.E": "pojazdy specjalne, ciągniki siodłowe; special-purpose motor vehicles",
    "29.20.Z": "nadwozia, zabudowy samochodowe, przyczepy, naczepy, kontenery, przyczepy "
    "kempingowe; vehicle bodies, truck bodies, trailers, semi-trailers, caravans",
    "29.31.Z": "wiązki przewodów, instalacje elektryczne i elektronika samochodowa, "
    "alternatory, rozruszniki; wiring harnesses, automotive electronics, starters, "
    "alternators",
    "29.32.Z": "części samochodowe: hamulce, osie, zawieszenia, układy wydechowe, siedzenia, "
    "felgi, chłodnice; automotive components, brakes, axles, suspension, exhaust systems, "
    "seats, wheels",
    "30.20.Z": "lokomotywy, wagony, tramwaje, tabor kolejowy; locomotives, railway wagons, trams",
    "30.31.Z": "samoloty, śmigłowce, drony, części lotnicze; aircraft, helicopters, drones, "
    "aerospace parts",
    "30.40.Z": "czołgi, transportery opancerzone; tanks, armoured vehicles",
    "30.92.Z": "rowery, wózki inwalidzkie, wózki dziecięce; bicycles, wheelchairs",
    "33.11.Z": "naprawa konstrukcji stalowych, zbiorników i kotłów; repair of metal "
    "structures and tanks",
    "33.12.Z": "serwis, naprawa i przeglądy maszyn, obrabiarek, maszyn rolniczych; "
    "machinery repair and servicing",
    "33.14.Z": "naprawa silników elektrycznych, transformatorów, rozdzielnic; repair of "
    "electric motors and transformers",
    "33.20.Z": "montaż i uruchamianie maszyn oraz linii produkcyjnych; installation and "
    "commissioning of industrial machinery and production lines",
    "62.10.B": "programowanie, tworzenie oprogramowania na zamówienie, aplikacje, systemy "
    "wbudowane; software development, custom software, applications, embedded software",
    "71.11.Z": "projekty architektoniczne, pracownia architektoniczna; architectural design",
    "71.12.A": "geodezja, pomiary geodezyjne, kartografia, mapy; land surveying, mapping",
    "71.12.B": "biuro projektowe, projektowanie i konstruowanie maszyn, dokumentacja "
    "techniczna, nadzór inżynierski; engineering design, technical documentation",
    "71.20.C": "badania techniczne, badania materiałów, badania nieniszczące, certyfikacja, "
    "laboratorium badawcze; technical testing, materials testing, NDT, certification",
    "72.10.Z": "prace badawczo-rozwojowe, B+R, prototypy; research and development, R&D",
    "74.11.Z": "wzornictwo przemysłowe, projektowanie produktów; industrial design, product design",
    "85.32.A": "technikum, szkoła techniczna; technical secondary school",
    "85.32.B": "szkoła branżowa, szkoła zawodowa; vocational school",
    "85.40.Z": "uczelnia, uniwersytet, politechnika, studia; university, college, higher education",
    "85.59.B": "kursy zawodowe, szkolenia, kursy spawania, szkolenia operatorów; vocational "
    "courses, professional training",
    # Common activities of the firms around the cluster (suppliers, services, trade).
    "01.11.Z": "zboża, pszenica, jęczmień, kukurydza, rzepak; cereals, wheat, barley, maize, "
    "rapeseed",
    "01.41.Z": "krowy mleczne, produkcja mleka w gospodarstwie; dairy farming",
    "01.46.Z": "trzoda chlewna, tuczniki, świnie; pig farming",
    "10.13.Z": "wędliny, kiełbasy, przetwórstwo mięsa; cured meats, sausages, meat processing",
    "10.51.Z": "mleczarnia, sery, jogurty, masło; dairy, cheese, yoghurt, butter",
    "10.71.Z": "piekarnia, cukiernia, chleb, bułki, ciasta; bakery, bread, rolls, cakes",
    "16.23.Z": "stolarka budowlana, schody, więźby dachowe; joinery, stairs, roof trusses",
    "16.24.Z": "palety, skrzynie drewniane; pallets, wooden crates",
    "23.61.Z": "kostka brukowa, prefabrykaty betonowe, bloczki; paving blocks, precast concrete",
    "35.12.B": "fotowoltaika, farma fotowoltaiczna, elektrownia słoneczna; photovoltaics, "
    "solar farm",
    "38.21.Z": "recykling, odzysk surowców, regranulat; recycling, material recovery",
    "41.00.A": "budowa domów i budynków mieszkalnych; house building, residential construction",
    "41.00.B": "budowa hal, obiektów przemysłowych i biurowców; construction of industrial and "
    "commercial buildings",
    "43.21.Z": "elektryk, instalacje elektryczne w budynkach; electricians, electrical "
    "installation",
    "43.22.Z": "hydraulik, instalacje wodno-kanalizacyjne, grzewcze, gazowe, klimatyzacja, "
    "montaż pomp ciepła; plumbing, heating, air conditioning installation",
    "46.61.Z": "dealer i sprzedaż ciągników i maszyn rolniczych; agricultural machinery dealer",
    "46.72.Z": "hurtownia części samochodowych; wholesale of car parts",
    "46.82.Z": "hurtownia stali, skład stali, dystrybucja wyrobów hutniczych; steel "
    "stockholder, metals distributor",
    "46.87.Z": "skup złomu, handel złomem; scrap metal dealer",
    "47.11.Z": "sklep spożywczy, supermarket, market, sklep osiedlowy; grocery store, supermarket",
    "49.41.Z": "przewóz towarów, transport ciężarowy, przewozy krajowe i międzynarodowe, firma "
    "transportowa; road haulage, trucking, freight transport by road",
    "52.10.B": "magazyn, magazynowanie i składowanie towarów; warehousing, storage",
    "52.31.Z": "spedycja, organizacja przewozów; freight forwarding",
    "56.11.Z": "restauracja, bar, bar mleczny, pizzeria, jadłodajnia; restaurant, bistro, pizzeria",
    "56.21.Z": "catering na wesela, przyjęcia i imprezy; event catering",
    "56.30.Z": "kawiarnia, pub, bar; café, coffee shop, pub",
    "62.20.B": "doradztwo informatyczne, administracja systemami, wdrożenia ERP; IT "
    "consulting, system administration",
    "69.20.A": "biuro rachunkowe, księgowość, kadry i płace; accounting office, bookkeeping, "
    "payroll",
    "73.11.Z": "agencja reklamowa, marketing, kampanie reklamowe; advertising agency, "
    "marketing campaigns",
    "95.31.A": "warsztat samochodowy, mechanik, serwis i naprawa samochodów; car repair "
    "workshop, car service",
    "95.31.B": "blacharstwo i lakiernictwo samochodowe, naprawy powypadkowe; car body repair "
    "and painting",
}


# ---------------------------------------------------------------------------- text building


def _tidy(name: str | None) -> str:
    name = " ".join((name or "").split())
    if name.isupper():  # section titles are printed in capitals
        name = name.capitalize()
    return name


def _derived_parent(code: str) -> str | None:
    """'29.20.Z' -> '29.20' -> '29.2' -> '29' -> None (a section is not derivable)."""
    parts = code.split(".")
    if len(parts) == 3:
        return f"{parts[0]}.{parts[1]}"
    if len(parts) == 2:
        return f"{parts[0]}.{parts[1][:-1]}" if len(parts[1]) == 2 else parts[0]
    return None


@dataclass(frozen=True)
class _Gap:
    """A parent code the catalogue does not list; only used to keep walking up."""

    code: str
    parent: str | None = None


def _ancestors(
    entry: CatalogueEntry, by_code: Mapping[str, CatalogueEntry]
) -> list[CatalogueEntry]:
    """Parents of `entry` that the catalogue lists, nearest first."""
    chain: list[CatalogueEntry] = []
    seen = {entry.code}
    current: object = entry
    while True:
        parent_code = getattr(current, "parent", None) or _derived_parent(
            getattr(current, "code", "")
        )
        if not parent_code or parent_code in seen:
            return chain
        seen.add(parent_code)
        parent = by_code.get(parent_code)
        if parent is None:
            current = _Gap(parent_code)
        else:
            chain.append(parent)
            current = parent


@dataclass(frozen=True)
class _CodeText:
    own: list[str]  # the code's names and keyword hints
    context: list[str]  # names of its class and division that are not repeats

    def joined(self) -> str:
        return ". ".join(self.own + self.context)


def _code_texts(
    entries: Sequence[CatalogueEntry], level: int, hints: Mapping[str, str]
) -> dict[str, _CodeText]:
    by_code = {entry.code: entry for entry in entries}
    texts: dict[str, _CodeText] = {}
    for entry in entries:
        if entry.level != level:
            continue
        seen: set[str] = set()
        parts: list[list[str]] = [[], []]
        named = [(entry, 0)] + [
            (parent, 1) for parent in _ancestors(entry, by_code) if parent.level in CONTEXT_LEVELS
        ]
        for node, part in named:
            names = [node.name_pl, node.name_en]
            if node is entry:
                names.append(hints.get(entry.code, ""))
            for name in map(_tidy, names):
                if name and name.casefold() not in seen:
                    seen.add(name.casefold())
                    parts[part].append(name)
        texts[entry.code] = _CodeText(*parts)
    return texts


def build_code_texts(
    entries: Sequence[CatalogueEntry], level: int = 5, hints: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The text embedded for each code of `level`: its Polish and English names and keyword
    hints, then the names of its class and division, each distinct name once."""
    return {code: text.joined() for code, text in _code_texts(entries, level, hints or {}).items()}


def _default_hints(entries: Sequence[CatalogueEntry]) -> Mapping[str, str]:
    versions = {getattr(entry, "version", None) for entry in entries}
    return PKD2025_HINTS if versions == {2025} else {}


# ----------------------------------------------------------------------- clause splitting

_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\s*[\n;•·]+\s*|\s+[-–—]\s+")
_CLAUSE_BREAK = re.compile(
    r"\s*,\s*|\s+(?:and|as well as|plus|&|i|oraz|a także|także|jak również)\s+",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]{2,}")


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


def split_clauses(text: str) -> list[str]:
    """Split a description into activity clauses, in order, without duplicates.

    Sentences, ';' and line breaks always separate. Inside a sentence ',' and conjunctions
    (and, i, oraz, ...) separate too, but a piece of fewer than two words is glued to its
    neighbour: "maszyny rolnicze: pługi, brony i opryskiwacze" stays whole, while "we machine
    steel shafts and weld frames for trailers" gives "we machine steel shafts" and "weld
    frames for trailers".
    """
    clauses: list[str] = []
    for sentence in _SENTENCE_BREAK.split(" ".join(text.split())):
        sentence = sentence.strip(" .!?,:")
        if not sentence:
            continue
        spans: list[tuple[int, int]] = []
        start = 0
        for match in _CLAUSE_BREAK.finditer(sentence):
            spans.append((start, match.start()))
            start = match.end()
        spans.append((start, len(sentence)))
        merged: list[tuple[int, int]] = []
        for begin, end in spans:
            if merged and (
                _word_count(sentence[begin:end]) < MIN_CLAUSE_WORDS
                or _word_count(sentence[merged[-1][0] : merged[-1][1]]) < MIN_CLAUSE_WORDS
            ):
                merged[-1] = (merged[-1][0], end)
            else:
                merged.append((begin, end))
        for begin, end in merged:
            clause = sentence[begin:end].strip(" ,.:")
            if _word_count(clause) and clause not in clauses:
                clauses.append(clause)
    return clauses[:MAX_CLAUSES]


# ------------------------------------------------------------------------ wording index

# Function words, the catalogue's boilerplate and generic business verbs ("wykonujemy
# usługi", "we offer"), diacritics folded: they are compared after `fold`.
_STOPWORD_TEXT = """
a an and are as at be by for from in is it of on or our the their to we with us also other
offer provide services service company firm
oraz dla do na od po przez sie ze jak jest sa nasz nasza nasze nas takze ktory ktora ktore
inne innych pozostale pozostalych gdzie indziej niesklasyfikowana niesklasyfikowane wylaczeniem
firma firmy zaklad zakladzie uslugi uslug uslugowa oferujemy swiadczymy zajmujemy zajmuje
wykonujemy wykonuje realizujemy dzialalnosc dzialalnosci prowadzimy prowadzi specjalizujemy
specjalizuje jestesmy posiadamy mamy tez rowniez dodatkowo glownie
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_TOKEN = re.compile(r"[^\W_]+")


# Inflection endings, diacritics folded, longest first: Polish case endings ("-ami", "-ów",
# "-ych", "-ie", "-y" ...) and a few English ones. Crude, but enough for short texts to meet
# the catalogue halfway: "obróbką"/"obróbki" -> "obrobk", "welding"/"welded" -> "weld".
_ENDING_TEXT = "owie owi ami ach ego emu ych ymi ing ow om ie em ej ym ed es a e i o u y s"
_ENDINGS = tuple(_ENDING_TEXT.split())
_MIN_STEM = 4


def _stem(word: str) -> str:
    for _ in range(2):  # "castings" -> "casting" -> "cast", "stalowych" -> "stalow" -> "stal"
        for ending in _ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
                word = word[: -len(ending)]
                break
    return word[:STEM_CHARS]


def _stems(text: str) -> list[str]:
    """Stems of the content words of `text` (see `_stem`); function words dropped."""
    return [
        _stem(word)
        for word in _TOKEN.findall(fold(text))
        if len(word) >= 3 and word not in _STOPWORDS
    ]


class _WordingIndex:
    """How much of a text's wording a code's terms cover: the idf-weighted share of the text's
    stems found among the code's own names and hints (full credit) or its parents' names
    (`PARENT_TERM_WEIGHT`). In 0..1, and not diluted by long keyword lists the way a cosine
    would be. Stems unknown to the catalogue count against the text at the highest idf."""

    def __init__(self, documents: Sequence[Mapping[str, float]]) -> None:
        """`documents[i]` maps the stems of code i to their credit in 0..1."""
        self.size = len(documents)
        frequency = Counter(stem for doc in documents for stem in doc)
        self.max_idf = math.log((self.size + 1) / 0.5)
        self.idf = {
            stem: math.log((self.size + 1) / (count + 0.5)) for stem, count in frequency.items()
        }
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for row, doc in enumerate(documents):
            for stem, weight in doc.items():
                rows, credits = postings.setdefault(stem, ([], []))
                rows.append(row)
                credits.append(weight)
        self.postings = {
            stem: (np.array(rows, dtype=np.intp), np.array(credits))
            for stem, (rows, credits) in postings.items()
        }

    def scores(self, text: str) -> np.ndarray:
        counts = Counter(_stems(text))
        weights = {
            stem: (1.0 + math.log(n)) * self.idf.get(stem, self.max_idf)
            for stem, n in counts.items()
        }
        total = sum(weights.values())
        out = np.zeros(self.size)
        for stem, weight in weights.items():
            hit = self.postings.get(stem)
            if hit is not None:
                out[hit[0]] += (weight / total) * hit[1]
        return out


# ----------------------------------------------------------------------------- suggester


class PkdSuggester:
    """Ranks catalogue codes for a free-text activity description.

    Construction is cheap; the catalogue is embedded on the first `suggest` (or `prepare`)
    call, under a lock, and kept in memory. With `cache_dir` the matrix is also stored as
    `pkd-<embedder>-<hash>.npy`, the hash covering the embedder's name and every code text,
    so a changed catalogue, hint or model never reads a stale file.

    `hints` maps codes to extra keywords; by default `PKD2025_HINTS` when every entry says
    `version == 2025`, otherwise none.
    """

    def __init__(
        self,
        entries: Iterable[CatalogueEntry],
        embedder: Embedder,
        *,
        level: int = 5,
        cache_dir: str | os.PathLike[str] | None = None,
        hints: Mapping[str, str] | None = None,
    ) -> None:
        catalogue = list(entries)
        self.embedder = embedder
        self.level = level
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        texts = _code_texts(catalogue, level, _default_hints(catalogue) if hints is None else hints)
        if not texts:
            raise ValueError(f"the catalogue has no entries of level {level}")
        by_code = {entry.code: entry for entry in catalogue}
        self.codes: list[str] = list(texts)
        self.code_texts: dict[str, str] = {code: text.joined() for code, text in texts.items()}
        self._names = {code: (by_code[code].name_pl, by_code[code].name_en) for code in texts}
        self._wording = _WordingIndex([self._terms(texts[code]) for code in self.codes])
        self._matrix: np.ndarray | None = None
        self._lock = threading.Lock()

    @staticmethod
    def _terms(text: _CodeText) -> dict[str, float]:
        """Stem -> credit: 1 for the code's own names and hints, less for its parents'."""
        terms = {stem: PARENT_TERM_WEIGHT for name in text.context for stem in _stems(name)}
        terms.update({stem: 1.0 for name in text.own for stem in _stems(name)})
        return terms

    # -- catalogue matrix -----------------------------------------------------------------

    def cache_key(self) -> str:
        digest = hashlib.sha256()
        digest.update(f"{self.embedder.name}\0{self.embedder.dimension}\0".encode())
        for code in self.codes:
            digest.update(f"{code}\0{self.code_texts[code]}\n".encode())
        return digest.hexdigest()[:16]

    def _cache_path(self) -> Path | None:
        if self.cache_dir is None:
            return None
        model = re.sub(r"[^A-Za-z0-9._-]+", "_", self.embedder.name)
        return self.cache_dir / f"pkd-{model}-{self.cache_key()}.npy"

    def _load_cached(self, path: Path) -> np.ndarray | None:
        try:
            matrix = np.load(path, allow_pickle=False)
        except (OSError, ValueError):
            return None
        if matrix.shape != (len(self.codes), self.embedder.dimension):
            return None
        return matrix.astype(np.float32, copy=False)

    @staticmethod
    def _store_cached(path: Path, matrix: np.ndarray) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    np.save(handle, matrix, allow_pickle=False)
                os.chmod(tmp, 0o644)  # mkstemp makes it private; other workers may read it
                os.replace(tmp, path)  # atomic: readers never see a half-written file
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            pass  # a read-only or full disk only costs the next process a re-embed

    def prepare(self) -> np.ndarray:
        """Embed (or load from the cache) the catalogue matrix now; idempotent, thread-safe."""
        matrix = self._matrix
        if matrix is None:
            with self._lock:
                if self._matrix is None:
                    path = self._cache_path()
                    loaded = self._load_cached(path) if path and path.exists() else None
                    if loaded is None:
                        loaded = self.embedder.embed([self.code_texts[c] for c in self.codes])
                        if path is not None:
                            self._store_cached(path, loaded)
                    self._matrix = loaded
                matrix = self._matrix
        return matrix

    # -- suggesting -----------------------------------------------------------------------

    def _similarity(self, matrix: np.ndarray, texts: list[str]) -> np.ndarray:
        """(codes, texts) blended similarity in 0..1."""
        queries = self.embedder.embed(texts)
        with blas_threads(1):  # a small product: extra BLAS threads only add latency
            meaning = np.clip(matrix @ queries.T, 0.0, 1.0)
        wording = np.stack([self._wording.scores(text) for text in texts], axis=1)
        return (1.0 - LEXICAL_WEIGHT) * meaning + LEXICAL_WEIGHT * wording

    def suggest(self, text: str, *, limit: int = 10) -> list[PkdSuggestion]:
        """The `limit` best codes for `text`, best first.

        Raises `Invalid` (field "description") for a blank or too-short text."""
        description = " ".join((text or "").split())[:MAX_TEXT_CHARS]
        if len(description) < MIN_TEXT_CHARS or not _WORD.search(description):
            raise Invalid.one(
                FIELD,
                "describe what the company does in at least a few words",
                code="description.too_short",
            )
        if limit < 1:
            return []
        matrix = self.prepare()
        # One-word pieces (a bare "montaż" bullet) are too vague to rank on their own; they
        # still count as part of the whole description.
        clauses = [
            clause
            for clause in split_clauses(description)
            if clause != description and _word_count(clause) >= MIN_CLAUSE_WORDS
        ]
        sims = self._similarity(matrix, [description, *clauses])
        rows = np.arange(len(self.codes))
        whole = sims[:, 0]
        score = whole
        best = np.full(len(self.codes), -1)
        if clauses:
            best = sims[:, 1:].argmax(axis=1)
            clause = sims[rows, best + 1]
            score = np.maximum(whole, CLAUSE_WEIGHT * clause + (1.0 - CLAUSE_WEIGHT) * whole)
            best = np.where(clause > whole, best, -1)
        order = np.lexsort((rows, -score))[:limit]
        return [
            PkdSuggestion(
                code=self.codes[i],
                name_pl=self._names[self.codes[i]][0],
                name_en=self._names[self.codes[i]][1],
                score=round(float(np.clip(score[i], 0.0, 1.0)), 3),
                matched_text=clauses[best[i]] if best[i] >= 0 else description,
            )
            for i in order
        ]
