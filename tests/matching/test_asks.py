"""Constraints read from free-text needs, in Polish (inflected) and English."""

from __future__ import annotations

import csv
import re
from importlib import resources

import pytest

from upland.matching.asks import (
    OFFER,
    REQUEST,
    Term,
    Town,
    Towns,
    named_organisations,
    read_constraints,
    read_side,
)
from upland.matching.profiles import capability_aliases


def _terms() -> list[Term]:
    text = (resources.files("upland.data") / "capabilities.csv").read_text("utf-8")
    return [
        Term(r["slug"], r["kind"], (r["name_pl"], r["name_en"]))
        for r in csv.DictReader(text.splitlines())
    ]


TERMS = _terms()
WITH_ALIASES = [Term(t.slug, t.kind, t.names, capability_aliases().get(t.slug, ())) for t in TERMS]
TOWNS = Towns(
    [
        Town("1463011", "Radom", "1", partner=True),
        Town("0663011", "Lublin", "1", partner=True),
        Town("2611011", "Starachowice", "1", partner=True),
        Town("2661011", "Kielce", "1"),
        Town("1465011", "Warszawa", "1"),
        Town("1407053", "Kozienice", "3"),
        Town("0201011", "Bolesławiec", "1"),
        Town("0201022", "Bolesławiec", "2"),
        Town("1814022", "Nowa Dęba", "3"),
        Town("2403011", "Lubliniec", "1"),
        Town("3021011", "Koło", "1"),
    ]
)


@pytest.mark.parametrize(
    ("text", "certificates", "town", "km"),
    [
        (
            "szukamy dostawcy odlewów aluminiowych z IATF 16949, do 100 km od Radomia",
            {"iatf-16949"},
            "1463011",
            100,
        ),
        ("odlewnia z certyfikatem ISO 9001", {"iso-9001"}, None, None),
        ("spawalnia z ISO3834 w promieniu 50 km od Lublina", {"iso-3834"}, "0663011", 50),
        ("frezowanie CNC detali lotniczych AS 9100", {"as-en-9100"}, None, None),
        ("aerospace machining EN 9100 within 80 km of Kielce", {"as-en-9100"}, "2661011", 80),
        (
            "laboratorium akredytowane ISO 17025 koło Starachowic",
            {"iso-iec-17025"},
            "2611011",
            None,
        ),
        ("audyt VDA 6.3 dla dostawcy w Warszawie", {"vda-6-3"}, "1465011", None),
        ("who can do robotic welding of steel frames?", set(), None, None),
        ("rail welding EN 15085, 30km from Kozienice", {"en-15085"}, "1407053", 30),
        ("obróbka w Nowej Dębie", set(), "1814022", None),
        ("producent z Bolesławca", set(), "0201011", None),  # the town, not the rural gmina
        ("Lubliniec, 120 km od Lublina", set(), "0663011", 120),
        ("koło zębate do przekładni", set(), None, None),  # "koło" is a gear here, not a town
        ("ISO 14001 and ISO 45001 certified paint shop", {"iso-14001", "iso-45001"}, None, None),
        ("", set(), None, None),
        ("obróbka CNC wałków, certyfikat IATF, Radom", {"iatf-16949"}, "1463011", None),
        ("ISO/TS 16949", set(), None, None),  # not the railway ISO/TS 22163
        ("dostawca z ISO i VDA", set(), None, None),  # families, not certificates
    ],
)
def test_certificates_town_and_distance(text, certificates, town, km):
    found = read_constraints(text, TERMS, TOWNS)
    assert found.certifications == certificates
    assert (found.towns[0].teryt if found.towns else None) == town
    assert found.max_km == km


@pytest.mark.parametrize(
    ("text", "capability"),
    [
        ("zlecimy frezowania CNC korpusów", "cnc-milling"),
        ("toczeniem CNC wałków zajmie się", "cnc-turning"),
        ("we need CNC milling of housings", "cnc-milling"),
    ],
)
def test_capabilities_in_any_inflection(text, capability):
    assert capability in read_constraints(text, TERMS, TOWNS).capabilities


@pytest.mark.parametrize(
    ("text", "capability"),
    [
        ("hartowanie próżniowe wkładek form", "heat-treatment"),
        ("vacuum hardening of mould inserts", "heat-treatment"),
        ("cynkowania galwanicznego i anodowania", "surface-treatment"),
        ("powder coating and cathodic e-coat", "surface-treatment"),
        ("montaż SMD na zlecenie", "pcb-assembly"),
        ("supplier of machined shafts", "cnc-turning"),
        ("elementy z blachy do szaf sterowniczych", "sheet-metal-forming"),
        ("odlewnia aluminium", "casting"),
        ("obrobka cnc walkow", "cnc-turning"),
        ("powder coating and cathodic e-coat", "surface-treatment"),
        ("welding fixtures for frames", "tooling"),
        ("industrial automation of a packing line", "automation-robotics"),
        ("robotic palletising cell", "automation-robotics"),
        ("obliczenia MES ram", "design-simulation"),
    ],
)
def test_a_capability_by_its_everyday_name(text, capability):
    assert capability not in read_constraints(text, TERMS, TOWNS).capabilities
    assert capability in read_constraints(text, WITH_ALIASES, TOWNS).capabilities


@pytest.mark.parametrize(
    ("text", "not_read"),
    [
        ("machine design office", {"cnc-turning", "cnc-milling"}),  # "=machining" as spelt
        ("recycled content in technical mouldings", {"tooling"}),  # "=moulds" is not "moulding"
        ("szukamy partnera do badań", {"test-lab"}),
        ("MES system for the assembly line", {"design-simulation"}),
        # found by the review pass: a phrase's words side by side, generic words bound
        ("CNC machining of flanges, CAD files attached", {"design-simulation"}),
        ("In addition, ISO 9001 is required", {"additive-manufacturing"}),
        ("wykonamy roboty spawalnicze przy montażu konstrukcji", {"welding-robotic"}),
        ("spawanie wiązką elektronów", {"wire-harnesses"}),
        ("CNC milling of deep pockets per customer drawing", {"sheet-metal-forming"}),
        ("printed circuit boards in metal housings", {"3d-printer-metal"}),
        ("manufacturing of aluminium housings for electronics", {"pcb-assembly"}),
        ("our service centre repairs machines", {"cnc-machining-centre"}),
        ("supply of raw materials and testing", {"materials-lab"}),
        ("spare parts for a rolling mill", {"cnc-milling"}),
        ("quick-turn PCB prototypes", {"cnc-turning"}),
        ("LED lighting fixtures", {"tooling"}),
        ("tempered glass panels", {"heat-treatment"}),
        ("energy efficiency measures", {"metrology"}),
        ("heat recovery for our paint-curing oven", {"surface-treatment"}),
        ("business process automation software", {"automation-robotics"}),
        ("aluminium die casting", {"tooling"}),
    ],
)
def test_an_everyday_name_is_not_read_where_it_means_something_else(text, not_read):
    assert not read_constraints(text, WITH_ALIASES, TOWNS).capabilities & not_read


def test_every_everyday_name_belongs_to_a_capability_of_the_vocabulary():
    capabilities = {t.slug for t in TERMS if t.kind != "certification"}
    assert set(capability_aliases()) <= capabilities
    for names in capability_aliases().values():
        assert len(set(names)) == len(names)
        assert all(name.strip() for name in names)
        # "=" binds a whole word: "=e-coat" would bind "e" alone
        assert not any(re.search(r"=\w+-", name) for name in names)


def test_no_capability_from_half_a_name():
    found = read_constraints("usługi CNC", TERMS, TOWNS)
    assert "cnc-milling" not in found.capabilities


@pytest.mark.parametrize(
    ("text", "trl"),
    [("technologia na TRL 6", 6), ("TRL >= 5 wanted", 5), ("TRL co najmniej 4", 4), ("brak", None)],
)
def test_trl(text, trl):
    assert read_constraints(text, TERMS, TOWNS).min_trl == trl


def test_mixed_scripts_sql_and_long_input_do_not_break_it():
    for text in ["Радом ' OR 1=1 --", "<script>alert(1)</script> ISO 9001", "spaw " * 20_000]:
        read_constraints(text, TERMS, TOWNS)


def _every_municipality() -> Towns:
    text = (resources.files("upland.data") / "municipalities.csv").read_text("utf-8")
    partners = {"0663011", "1463011", "2611011"}
    return Towns(
        Town(r["teryt"], r["name"], r["kind"], partner=r["teryt"] in partners)
        for r in csv.DictReader(text.splitlines())
        if r["kind"] in {"1", "2", "3"}
    )


@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("do 100 km od Radomia", "1463011"),
        ("koło Kielc", "2661011"),
        ("w Ostrowcu Świętokrzyskim", "2607011"),
        ("blisko Skarżyska-Kamiennej", "2610011"),
        ("w Polsce", None),
        ("in Germany", None),
        ("w Lublinie", "0663011"),
        ("niedaleko Starachowic", "2611011"),
        # A town that ends the need after a comma or dash, or with "okolice"/"area": how
        # people add where they want the partner.
        ("montaż SMD THT na zlecenie, Radom", "1463011"),
        ("wtryskownia z IATF 16949, Radom lub okolice", "1463011"),
        ("laser cutting, Lublin area", "0663011"),
        ("spawanie ram (Radom)", "1463011"),
        ("frezowanie CNC, Solec nad Wisłą", "1409062"),  # the longest name, not Wisła
        ("frezowanie CNC w Solcu nad Wisłą", "1409062"),
        ("obróbka – Zielona Góra", "0862011"),
        ("spawanie, Bielsko-Biała", "2461011"),
        ("frezowanie CNC, Krako\u0301w", "1261011"),  # decomposed, as pasted from a PDF
        # A partner city glued to the end is where, on this platform, also in lower case;
        # another town is not.
        ("blachy z cięciem na wymiar Starachowice", "2611011"),
        ("toczenie cnc lublin", "0663011"),
        # ... or opens it (found by a user walk: "Starachowice spawanie" was read as topic).
        ("Starachowice spawanie ram", "2611011"),
        ("Radom: lakiernia proszkowa", "1463011"),
        ("lublin toczenie cnc", "0663011"),
        ("toczenie cnc lubliniec", None),
        # ... not a brand's or product's name, a shared beginning, nor the need's subject.
        ("opony Dębica", None),
        ("łożyska FLT Kraśnik", None),
        ("vehicle conversions for the Police", None),
        ("welding of steel frames, Poland", None),
        ("odlewy aluminiowe, Nowa", None),
        ("Kielce spawanie ram", None),
        ("Zielona Góra", None),
        ("frezowanie CNC Fanuc", None),
    ],
)
def test_towns_among_every_municipality(text, town):
    found = read_constraints(text, TERMS, _every_municipality())
    assert (found.towns[0].teryt if found.towns else None) == town


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("szukamy dostawcy odlewów aluminiowych z IATF 16949", REQUEST),
        ("Poszukujemy integratora robotów", REQUEST),
        ("who can do robotic welding of steel frames?", REQUEST),
        ("laser cut housings supplier wanted", REQUEST),
        ("wolne moce na prasach krawędziowych", REQUEST),  # free capacity sought
        ("kto szuka dostawcy tulei gumowo-metalowych?", OFFER),  # a supplier seeking buyers
        ("Oferujemy cynkowanie galwaniczne", OFFER),
        ("injection moulder looking for orders: clips", OFFER),
        # a need that names the provider it seeks ("gear maker", "integratora") seeks one
        ("IATF 16949 certified gear maker", REQUEST),
        ("robotic palletising cell integrator", REQUEST),
        ("producenci pługów i bron talerzowych", REQUEST),
        ("dostawcy odlewów aluminiowych, Radom", REQUEST),
        ("kto szuka producenta wiązek?", OFFER),  # the offering cue is read first
        ("we machine bushings - any open requests?", OFFER),
        ("tool wear monitoring - who needs it?", OFFER),
        ("Zlecenia na przyrządy spawalnicze", OFFER),
        ("cynkowanie galwaniczne i anodowanie", None),
        ("axle beam fatigue", None),
    ],
)
def test_the_askers_side_of_the_market(text, side):
    assert read_side(text) == side
    assert read_constraints(text, [], Towns([])).side == side


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        (
            "szukamy dostawcy odlewów aluminiowych z IATF 16949, do 100 km od Radomia",
            "odlewów aluminiowych",
        ),
        # the words of the asker's side and of the partner's role are not what is sought
        ("supplier wanted: control cabinet enclosures", "control cabinet enclosures"),
        # "open" is the wanted requests' status, not a topic ("open slots" on a test machine)
        ("we machine bushings - any open requests?", "we machine bushings requests"),
        ("aktualne zlecenia na tuleje", "zlecenia na tuleje"),
        # a readiness level is a constraint too (found walking the find page)
        (
            "technologia napawania na poziomie TRL 4 dla lemieszy",
            "technologia napawania dla lemieszy",
        ),
        ("sensor for tines, TRL at least 5", "sensor for tines"),
        ("open slots on a CNC lathe", "open slots on a CNC lathe"),
        ("kto szuka podwykonawcy do spawania ram?", "do spawania ram"),
        ("szukamy wolnych mocy na prasach", "wolnych mocy na prasach"),
        ("szukamy zleceń na przyrządy spawalnicze", "zleceń na przyrządy spawalnicze"),
        ("we offer CNC machining", "CNC machining"),
        # in any inflection (found by the review pass)
        ("Firma szuka podwykonawców do malowania", "do malowania"),
        ("Poszukiwani kooperanci: toczenie", "toczenie"),
        ("looking for a contractor for painting", "a for painting"),
        ("obróbka z dostawcami i partnerami", "obróbka z i"),
        # a need of nothing but side words and constraints keeps its side words (else the
        # whole text, certificate included, would be searched)
        ("szukamy dostawcy z IATF 16949", "szukamy dostawcy"),
        ("szukamy dostawcy, Radom", "szukamy dostawcy"),
        ("rail welding EN 15085, 30km from Kozienice", "rail welding"),
        ("obróbka w Nowej Dębie", "obróbka"),
        ("ISO 14001 and ISO 45001 certified paint shop", "and paint shop"),
        # the words that say a certificate is held or wanted are its: "certyfikat" left in
        # the topic found every offer that lists its certificates
        ("odlewnia z certyfikatem ISO 9001", "odlewnia"),
        ("lakiernia, certyfikat ISO 14001 wymagany", "lakiernia"),
        ("foundry certified to ISO 9001", "foundry"),
        ("koło zębate do przekładni", "koło zębate do przekładni"),
        ("Lubliniec, 120 km od Lublina", "Lubliniec"),
        ("wtryskownia z IATF 16949, Radom lub okolice", "wtryskownia"),
    ],
)
def test_the_topic_is_the_need_without_its_constraints(text, topic):
    assert read_constraints(text, TERMS, TOWNS).topic == topic


@pytest.mark.parametrize(
    ("text", "towns", "km", "topic"),
    [
        ("do 50 km od Radomia lub Kielc", ["Radom", "Kielce"], 50.0, ""),
        ("spawanie w Radomiu lub Kielcach", ["Radom", "Kielce"], None, "spawanie"),
        ("welding within 80 km of Lublin or Radom", ["Lublin", "Radom"], 80.0, "welding"),
        ("obróbka CNC, Radom lub Kielce", ["Radom", "Kielce"], None, "obróbka CNC"),
        ("spawanie, Radom, Lublin lub Kielce", ["Radom", "Lublin", "Kielce"], None, "spawanie"),
        ("frezowanie w Radomiu i okolicach", ["Radom"], None, "frezowanie"),
        # Found by a user walk: the second town read only when its case form is a lemma.
        ("spawanie ram w Radomiu lub Lublinie", ["Radom", "Lublin"], None, "spawanie ram"),
        ("spawanie ram z Radomia albo z Lublina", ["Radom", "Lublin"], None, "spawanie ram"),
        ("Starachowice lub Radom: lakiernia", ["Starachowice", "Radom"], None, "lakiernia"),
        # ... a distance said apart from the town limits it too; "pod Lublinem" is near it
        ("obróbka CNC w okolicach Starachowic do 20 km", ["Starachowice"], 20, "obróbka CNC"),
        ("Starachowice CNC, max 20 km", ["Starachowice"], 20, "CNC"),
        ("obróbka CNC, Radom, do 20 km", ["Radom"], 20, "obróbka CNC"),
        ("spawalnia pod Lublinem", ["Lublin"], None, "spawalnia"),
        ("spawanie pod klucz w Radomiu", ["Radom"], None, "spawanie pod klucz"),
        ("frezowanie do 500 mm", [], None, "frezowanie do 500 mm"),
        # ... and "within 30 miles" as a limit (in km), not a nearby place.
        ("welding within 30 miles of Radom", ["Radom"], 48, "welding"),
        ("30mi from Lublin, welding", ["Lublin"], 48, "welding"),
        # What follows "i" is no town: it stays the need's topic.
        ("spawanie w Lublinie i obróbka", ["Lublin"], None, "spawanie i obróbka"),
        ("w Lublinie, Politechnika", ["Lublin"], None, "Politechnika"),
    ],
)
def test_a_need_may_name_several_towns_any_of_which_will_do(text, towns, km, topic):
    found = read_constraints(text, TERMS, TOWNS)
    assert [town.name for town in found.towns] == towns
    assert found.max_km == km
    assert found.topic == topic


@pytest.mark.parametrize(
    ("text", "towns", "topic"),
    [
        ("opony Dębica, Radom", ["Radom"], "opony Dębica"),
        ("piwo Żywiec, Kraków", ["Kraków"], "piwo Żywiec"),
        ("łożyska FLT Kraśnik, Lublin", ["Lublin"], "łożyska FLT Kraśnik"),
    ],
)
def test_a_name_glued_to_a_product_does_not_swallow_the_place_after_it(text, towns, topic):
    found = read_constraints(text, TERMS, _every_municipality())
    assert [t.name for t in found.towns] == towns and found.topic == topic


@pytest.mark.parametrize(
    ("text", "towns", "topic"),
    [
        ("welding within 50 km of Lublin, Poland", ["Lublin"], "welding Poland"),
        ("do 50 km od Kielc, Nowa linia produkcyjna", ["Kielce"], "Nowa linia produkcyjna"),
        ("odlewy w Kielcach, Ruda żelazna", ["Kielce"], "odlewy Ruda żelazna"),
        ("do 50 km od Radomia lub Kielc", ["Radom", "Kielce"], ""),
        ("near Lublin, Radom or Kielce", ["Lublin", "Radom", "Kielce"], ""),
    ],
)
def test_an_alternative_town_is_named_exactly(text, towns, topic):
    """A word after "Lublin," that only begins like a town (Polanów, Nowe, Rudna) is not one:
    it would widen a hard distance limit to a town hundreds of kilometres away."""
    found = read_constraints(text, TERMS, _every_municipality())
    assert [t.name for t in found.towns] == towns and found.topic == topic


NAMES = [
    (1, "Tłocznia Kozłowski", "Tłocznia Kozłowski sp. z o.o."),
    (2, "Sensor-Tech Adamczyk i Stępień", "Sensor-Tech Adamczyk i Stępień sp. j."),
    (3, "Odlewnia", "Odlewnia S.A."),  # a one-word name names a trade more often than a firm
    (4, "Moto-Part Radom", "Moto-Part Radom sp. z o.o."),
]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Tłocznia Kozłowski offers", {1}),
        ("oferty firmy TŁOCZNIA KOZŁOWSKI sp. z o.o.", {1}),
        ("Sensor-Tech Adamczyk i Stępień contract electronics", {2}),
        ("odlewnia aluminium", set()),
        ("tłocznia blach, Kozłowski", set()),  # the words, not side by side
        ("Moto-Part Radom lub Tłocznia Kozłowski", {1, 4}),
        ("", set()),
    ],
)
def test_a_need_may_name_organisations(text, named):
    assert named_organisations(text, NAMES) == named
