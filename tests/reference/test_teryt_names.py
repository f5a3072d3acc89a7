"""Every municipality can be chosen, by code, name or qualified name, and is offered as the
user types: a firm from Kozienice or Zwoleń, an investor from Warsaw; a shared name (Lubin,
Bolesławiec, Nowa Ruda: urban and rural municipality in one county) is never guessed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for

from upland.actor import SYSTEM
from upland.errors import Invalid
from upland.organisations import service as organisation_service
from upland.organisations.imports import import_organisations, read_rows
from upland.organisations.schemas import OrganisationCreate
from upland.reference import queries
from upland.reference.teryt_names import MunicipalityIndex, Place, qualified_name
from upland.settings import get_settings

KOZIENICE, ZWOLEN, WARSAW, JASTKOW = "1407053", "1436053", "1465011", "0609072"


@pytest.mark.parametrize(
    ("text", "teryt"),
    [
        ("Kozienice", KOZIENICE),
        ("zwolen", ZWOLEN),
        ("WARSZAWA", WARSAW),
        ("Łódź", "1061011"),
        ("Lubin (gmina wiejska)", "0211022"),
        ("Lubin (urban municipality)", "0211011"),
        ("Bolesławiec (gmina miejska)", "0201011"),
        ("Nowa Ruda (gmina wiejska)", "0208112"),
        ("Brody (starachowicki)", "2611022"),
        ("Brody (powiat żarski)", "0811032"),
        ("Osiek (świętokrzyskie)", "2612043"),
        (JASTKOW, JASTKOW),
        ("Miedźna", "2410032"),
        ("Miedzna", "1433062"),
        ("rogozno", None),
        ("Dobra (Szczecińska)", "3211012"),
        ("dobra (łobeski)", "3218013"),
    ],
)
def test_codes_names_and_qualified_names_resolve(
    session: Session, text: str, teryt: str | None
) -> None:
    found, problem = queries.resolve_municipality(session, text)
    assert found == teryt
    assert (problem is None) == (teryt is not None)


@pytest.mark.parametrize("name", ["Lubin", "Bolesławiec", "Nowa Ruda"])
def test_a_shared_name_lists_the_candidates_with_kind_county_and_voivodeship(
    session: Session, name: str
) -> None:
    teryt, problem = queries.resolve_municipality(session, name)
    assert teryt is None and problem is not None
    english, polish = problem.render("en"), problem.render("pl")
    assert "names several municipalities" in english
    assert "(urban municipality, " in english and "(rural municipality, " in english
    assert "(gmina miejska, powiat " in polish and "(gmina wiejska, powiat " in polish
    assert "dolnośląskie" in english
    assert f"e.g. '{name} (gmina miejska)'" in english


def test_parts_of_municipalities_point_at_the_municipality(session: Session) -> None:
    _, problem = queries.resolve_municipality(session, "Mokotów")
    assert "district of Warsaw Mokotów: choose the municipality Warszawa (1465011)" in str(problem)
    _, problem = queries.resolve_municipality(session, "1407054")  # the town of Kozienice
    assert problem is not None
    assert problem.render("pl") == (
        "1407054 to nie gmina, lecz miasto w gminie miejsko-wiejskiej Kozienice: "
        "wybierz gminę Kozienice (1407053)"
    )


def test_unknown_and_wrongly_qualified_names_say_so(session: Session) -> None:
    assert str(queries.resolve_municipality(session, "Atlantyda")[1]) == (
        "unknown municipality 'Atlantyda'"
    )
    problem = queries.resolve_municipality(session, "Lubin (mazowieckie)")[1]
    assert str(problem).startswith("no municipality 'Lubin' is mazowieckie: Lubin (")


def test_the_shortest_qualifier_tells_namesakes_apart() -> None:
    def place(teryt: str, kind: str, county: str, voivodeship: str) -> Place:
        return Place(teryt, "Osiek", kind, county, voivodeship)

    a = place("0402082", "2", "brodnicki", "kujawsko-pomorskie")
    b = place("1213052", "2", "oświęcimski", "małopolskie")
    c = place("2612043", "3", "staszowski", "świętokrzyskie")
    assert qualified_name(c, [a, b, c]) == "Osiek (gmina miejsko-wiejska)"
    assert qualified_name(a, [a, b, c]) == "Osiek (brodnicki)"
    index = MunicipalityIndex([a, b, c])
    assert index.resolve("osiek (gmina wiejska, małopolskie)") == ("1213052", None)


def _firm(teryt: str) -> OrganisationCreate:
    return OrganisationCreate.model_validate(
        {
            "kind": "company",
            "legal_name": f"Zakład z {teryt}",
            "nip": "5260250995",
            "sites": [{"teryt": teryt, "is_headquarters": True}],
        }
    )


@pytest.mark.parametrize("teryt", [KOZIENICE, ZWOLEN, WARSAW])
def test_firms_from_anywhere_are_registered(session: Session, teryt: str) -> None:
    org = organisation_service.create_organisation(session, SYSTEM, _firm(teryt))
    assert org.teryt == teryt


def test_a_part_of_a_municipality_is_not_a_site(session: Session) -> None:
    with pytest.raises(Invalid) as caught:
        organisation_service.create_organisation(session, SYSTEM, _firm("1465058"))
    assert "district of Warsaw" in caught.value.errors[0].message


def test_the_api_registers_a_firm_from_kozienice(session: Session, client: Any) -> None:
    caller = caller_for(session, client, factories.user(session, role="coordinator"))
    body = {
        "kind": "company",
        "legal_name": "Kozienicka Odlewnia sp. z o.o.",
        "nip": "5260250995",
        "sites": [{"teryt": KOZIENICE, "is_headquarters": True}],
    }
    response = caller.send("POST", "/api/v1/organisations", body)
    assert response.status_code == 201, response.text
    assert response.json()["sites"][0]["municipality"] == "Kozienice"


def test_the_profile_form_registers_a_firm_from_zwolen(session: Session, client: Any) -> None:
    caller = caller_for(session, client, factories.user(session, role="coordinator"))
    page = caller.send("GET", "/organisations/new")
    assert 'hx-get="/reference/municipalities/options"' in page.text
    assert 'list="f-teryt-options"' in page.text
    form = {"legal_name": "Zwoleńska Kuźnia", "kind": "company", "teryt": ZWOLEN}
    response = caller.send("POST", "/organisations/new", {**form, "nip": "5260250995"})
    assert response.status_code == 303, response.text


def _csv(path: Path, cells: list[str]) -> Path:
    lines = ["kind;legal_name;nip;teryt"]
    nips = ["5260250995", "7740001454", "5250007313", "1132191233", "9512137447"]
    lines += [f"company;Firma {i};{nips[i]};{c}" for i, c in enumerate(cells)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_import_accepts_names_and_refuses_a_shared_one_listing_the_candidates(
    session: Session, tmp_path: Path
) -> None:
    path = _csv(tmp_path / "f.csv", ["Kozienice", "zwoleń", "Warszawa", "Lubin (gmina wiejska)"])
    report = import_organisations(session, SYSTEM, lambda: read_rows(path))
    assert (report.created, report.invalid_rows) == (4, 0), report.errors
    path = _csv(tmp_path / "g.csv", ["Lubin", "Kozienice"])
    report = import_organisations(session, SYSTEM, lambda: read_rows(path), mode="valid_only")
    assert (report.created, report.invalid_rows) == (0, 1)
    (error,) = report.errors
    assert (error.row, error.column, error.value) == (2, "teryt", "Lubin")
    assert "0211011" in error.message and "0211022" in error.message


def test_autocomplete_folds_diacritics_and_puts_partner_areas_first(
    session: Session, client: Any
) -> None:
    names = [m["name"] for m in client.get("/reference/municipalities?q=lodz").json()]
    assert names[0] == "Łódź"
    found = client.get("/reference/municipalities?q=lub").json()
    assert found[0]["teryt"] == "0663011" and found[0]["in_partner_area"]
    lubin = client.get("/reference/municipalities?q=lubin&lang=en").json()
    assert {m["teryt"]: m["label"] for m in lubin if m["name"] == "Lubin"} == {
        "0211011": "Lubin (urban municipality, lubiński, dolnośląskie)",
        "0211022": "Lubin (rural municipality, lubiński, dolnośląskie)",
    }
    jastkow = client.get("/reference/municipalities?q=jastk").json()
    assert [(m["teryt"], m["in_partner_area"]) for m in jastkow] == [(JASTKOW, True)]
    words = client.get("/reference/municipalities?q=kamienna").json()
    assert "2610011" in {m["teryt"] for m in words}  # Skarżysko-Kamienna: a later word
    assert KOZIENICE in {m["teryt"] for m in client.get("/reference/municipalities?q=1407").json()}
    assert client.get("/reference/municipalities?q=%25").json() == []


def test_the_options_fragment_speaks_the_page_language(session: Session, client: Any) -> None:
    client.cookies.set("lang", "pl")
    page = client.get("/reference/municipalities/options?teryt=Nowa Ruda")
    assert page.status_code == 200
    assert '<option value="0208041">Nowa Ruda (gmina miejska, kłodzki, dolnośląskie)' in page.text
    assert "<script" not in page.text


def test_a_deployment_with_other_partners_orders_its_own_area_first(
    session: Session, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPLAND_PARTNER_MUNICIPALITIES", "0211022")
    monkeypatch.setenv("UPLAND_PARTNER_AREAS", '{"0211022": ["0211"]}')
    get_settings.cache_clear()
    try:
        found = client.get("/reference/municipalities?q=lub").json()
        assert [m["teryt"] for m in found[:2]] == ["0211011", "0211022"]
    finally:
        get_settings.cache_clear()


def test_the_api_and_the_form_take_a_name_and_store_the_code(session: Session, client: Any) -> None:
    caller = caller_for(session, client, factories.user(session, role="coordinator"))
    body = {
        "kind": "company",
        "legal_name": "Warszawski Inwestor S.A.",
        "nip": "7740001454",
        "sites": [{"teryt": "Warszawa", "is_headquarters": True}],
    }
    response = caller.send("POST", "/api/v1/organisations", body)
    assert response.status_code == 201, response.text
    assert response.json()["sites"][0]["teryt"] == WARSAW
    form = {"legal_name": "Kuźnia", "kind": "company", "teryt": "Lubin", "nip": "5250007313"}
    refused = caller.send("POST", "/organisations/new", form)
    assert refused.status_code == 422
    assert "0211011" in refused.text and "0211022" in refused.text
    form["teryt"] = "Lubin (gmina wiejska)"
    assert caller.send("POST", "/organisations/new", form).status_code == 303
