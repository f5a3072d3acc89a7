"""The kind of activity a description names (repair, wholesale ...) and its bonus in PKD
suggestions. How much it helps is measured by `upland eval pkd`, not asserted here."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pytest

from upland.reference import pkd_suggest
from upland.reference.pkd_files import load_shipped
from upland.reference.pkd_kinds import ActivityKind, kind_weights, kinds_named, pkd2025_kinds
from upland.reference.pkd_suggest import PkdSuggester
from upland.textkit.embedding import HashingEmbedder


@dataclass(frozen=True)
class Entry:
    version: int
    code: str
    level: int
    name_pl: str
    name_en: str
    parent: str | None = None


def names(text: str) -> set[str]:
    return {kind.name for kind in kinds_named(text, pkd2025_kinds())}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Naprawiamy i regenerujemy skrzynie biegów", {"repair"}),
        ("Remonty kapitalne silników spalinowych", {"repair"}),
        ("We overhaul gearboxes for quarry trucks", {"repair"}),
        ("Hurtownia elektryczna dla instalatorów", {"wholesale"}),
        ("Dystrybutor łożysk i pasów napędowych", {"wholesale"}),
        ("Wholesaler of fasteners", {"wholesale"}),
        ("Komis samochodowy, auta z Niemiec", {"trade"}),
        ("Sklep z częściami do ciągników", {"retail"}),
        ("Tractor dealer with a parts counter", {"trade"}),
        ("Przechowalnia opon i magazynowanie palet", {"storage"}),
        ("Ośrodek B+R napędów elektrycznych", {"research"}),
        ("An R&D centre for electric drives", {"research"}),
        ("Producent oprogramowania MES", {"software"}),
        ("Wypożyczalnia sprzętu budowlanego", {"rental"}),
        ("Zrzeszenie przewoźników drogowych", {"membership"}),
        # Words that look like a kind's and are not: they must stay silent.
        ("CNC machine shop: turning and milling", set()),
        ("Chłodnictwo przemysłowe i klimatyzacja", set()),
        ("Manufacture of electricity distribution apparatus", set()),
        ("We design and build robotic cells", set()),
        ("Robotic deburring of castings", set()),
        ("Leasing finansowy maszyn", set()),
        ("Usługi remontowo-budowlane, remonty mieszkań", set()),
        ("Serwis internetowy z ogłoszeniami maszyn", set()),
        ("Producent systemów magazynowania energii", set()),
        ("Market research agency", set()),
        ("Szkolenia dla Komisji Europejskiej", set()),
        ("Sklepienia łukowe z cegły", set()),
        ("We supply retailers with garden tools", set()),
        ("Zabudowy chłodnie samochodowe", set()),
        ("Stainless storage tanks", set()),
        ("Wynajem pracowników produkcyjnych", set()),
        ("Designed in association with a university", set()),
        ("Producent dystrybutorów paliwa", set()),
        # ... and a look-alike phrase does not hide a real cue beside it.
        ("Naprawa maszyn, serwis internetowy z częściami", {"repair"}),
        ("Cold store for frozen food", {"storage"}),
    ],
)
def test_kinds_named_by_the_words_of_the_trade(text: str, expected: set[str]) -> None:
    assert names(text) == expected


def test_the_table_points_at_pkd_2025_divisions_groups_and_codes() -> None:
    kinds = pkd2025_kinds()
    assert pkd2025_kinds() is kinds  # read once
    catalogue = {entry.code for entry in load_shipped(2025)}
    for kind in kinds:
        assert kind.cues and all(kind.cues), kind.name
        assert set(kind.prefixes) <= catalogue, kind.name
        assert any(kind.covers(code) for code in catalogue if code.count(".") == 2), kind.name


@pytest.mark.parametrize(
    ("code", "covered"),
    [("33.12.Z", True), ("33.20.Z", False), ("95.31.A", True), ("28.13.Z", False)],
)
def test_repair_covers_repair_codes_not_installation_or_manufacture(
    code: str, covered: bool
) -> None:
    (repair,) = [kind for kind in pkd2025_kinds() if kind.name == "repair"]
    assert repair.covers(code) is covered


def test_a_headline_kind_weighs_fully_a_passing_mention_by_its_share() -> None:
    kinds = pkd2025_kinds()
    assert [
        (k.name, w) for k, w in kind_weights("Used car dealer - 150 cars, financing", kinds)
    ] == [("trade", 1.0)]
    mention = "We machine shafts. We mill housings. We turn bushes. Also urgent repairs."
    ((kind, weight),) = kind_weights(mention, kinds)
    assert kind.name == "repair" and weight == pytest.approx(0.25)
    assert kind_weights("Wały, tuleje i korpusy z rysunku", kinds) == []


CATALOGUE = [
    Entry(2025, "28", 2, "Produkcja maszyn", "Manufacture of machinery"),
    Entry(2025, "28.13.Z", 5, "Produkcja pomp", "Manufacture of pumps"),
    Entry(2025, "33", 2, "Naprawa maszyn", "Repair of machinery"),
    Entry(2025, "33.12.Z", 5, "Naprawa maszyn", "Repair of machinery"),
]


def scores(suggester: PkdSuggester, text: str, limit: int = 2) -> dict[str, float]:
    return {s.code: s.score for s in suggester.analyse(text, limit=limit).suggestions}


def test_the_named_kind_lifts_its_codes_by_the_kind_weight() -> None:
    embedder = HashingEmbedder(dimension=64)
    text = "We overhaul pumps for waterworks"
    with_kinds = scores(PkdSuggester(CATALOGUE, embedder, hints={}), text)
    without = scores(PkdSuggester(CATALOGUE, embedder, hints={}, kinds=()), text)
    assert with_kinds["33.12.Z"] == pytest.approx(
        without["33.12.Z"] + pkd_suggest.KIND_WEIGHT, abs=0.002
    )
    assert with_kinds["28.13.Z"] == without["28.13.Z"]


def test_kinds_only_for_pkd_2025_and_only_with_the_wording() -> None:
    embedder = HashingEmbedder(dimension=64)
    assert PkdSuggester(CATALOGUE, embedder).kinds == pkd2025_kinds()
    as_2007 = [dataclasses.replace(entry, version=2007) for entry in CATALOGUE]
    assert PkdSuggester(as_2007, embedder).kinds == ()
    assert PkdSuggester(CATALOGUE, embedder, wording=False).kinds == ()
    custom = ActivityKind("repair", ("33",), (("fix",),))
    suggester = PkdSuggester(as_2007, embedder, kinds=[custom])
    assert (
        scores(suggester, "we fix pumps")["33.12.Z"]
        > scores(PkdSuggester(as_2007, embedder), "we fix pumps")["33.12.Z"]
    )


def test_only_the_closest_codes_of_the_kind_are_lifted() -> None:
    """A repair cue lifts the few repair codes nearest the text, not every repair code (a
    gearbox workshop is not offered footwear repair because both are repairs)."""
    objects = ["pumps", "boats", "shoes", "watches", "aircraft", "trains"]
    catalogue = [Entry(2025, "33", 2, "Naprawa", "Repair")] + [
        Entry(2025, f"33.1{n}.Z", 5, f"Naprawa: {thing}", f"Repair of {thing}")
        for n, thing in enumerate(objects)
    ]
    embedder = HashingEmbedder(dimension=64)
    text = "We overhaul pumps for waterworks"
    with_kinds = scores(PkdSuggester(catalogue, embedder, hints={}), text, 6)
    without = scores(PkdSuggester(catalogue, embedder, hints={}, kinds=()), text, 6)
    lifted = {code for code in without if with_kinds[code] > without[code] + 0.1}
    assert len(lifted) == pkd_suggest.KIND_CODES < len(objects)
    assert "33.10.Z" in lifted  # pumps: the nearest


def test_a_code_steps_back_once_however_many_unnamed_kinds_cover_it() -> None:
    """Trade (46, 47) overlaps wholesale and retail: a wholesale code of a text naming no kind
    loses KIND_ABSENT once, not once per kind."""
    catalogue = [
        Entry(2025, "46", 2, "Handel hurtowy", "Wholesale"),
        Entry(2025, "46.61.Z", 5, "Hurt maszyn rolniczych", "Wholesale of farm machinery"),
        Entry(2025, "28", 2, "Produkcja maszyn", "Manufacture of machinery"),
        Entry(2025, "28.30.Z", 5, "Produkcja maszyn rolniczych", "Manufacture of farm machinery"),
    ]
    embedder = HashingEmbedder(dimension=64)
    text = "Maszyny rolnicze i części zamienne"
    with_kinds = scores(PkdSuggester(catalogue, embedder, hints={}), text)
    without = scores(PkdSuggester(catalogue, embedder, hints={}, kinds=()), text)
    assert without["46.61.Z"] > 2 * pkd_suggest.KIND_ABSENT
    assert with_kinds["46.61.Z"] == pytest.approx(
        without["46.61.Z"] - pkd_suggest.KIND_ABSENT, abs=0.002
    )
    assert with_kinds["28.30.Z"] == without["28.30.Z"]
