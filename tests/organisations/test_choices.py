"""The list page's city filter: partners and the municipalities some site is in, kept briefly
and forgotten when the registry announces a change."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests import factories

from upland.organisations import choices
from upland.reference import queries as reference

KOZIENICE = "1407053"  # urban-rural gmina, outside every partner area
WARSZAWA = "1465011"


def _at(teryt: str) -> dict[str, Any]:
    return {"sites": [{"teryt": teryt, "is_headquarters": True}]}


def _offered(session: Session, used: set[str]) -> list[tuple[str, str, bool]]:
    """What the filter offered before it was kept: every selectable municipality, in the
    register's order, kept when it is a partner or some site is in it."""
    return [
        (m.teryt, m.name, m.is_partner)
        for m in reference.list_municipalities(session)
        if m.is_partner or m.teryt in used
    ]


def _rows(found: list[reference.MunicipalityChoice]) -> list[tuple[str, str, bool]]:
    return [(c.teryt, c.name, c.is_partner) for c in found]


def test_partners_and_the_municipalities_in_use_in_the_register_order(session):
    factories.organisation(session, **_at(KOZIENICE))
    factories.organisation(
        session,
        sites=[
            {"teryt": "0663011", "is_headquarters": True},
            {"teryt": WARSZAWA, "is_headquarters": False},
        ],
    )
    session.commit()
    used = set(choices.municipalities_in_use(session))
    assert {KOZIENICE, WARSZAWA, "0663011"} <= used
    found = _rows(choices.city_choices(session))
    assert found == _offered(session, used)
    codes = [teryt for teryt, _name, _partner in found]
    assert KOZIENICE in codes and WARSZAWA in codes
    assert "1407054" not in codes  # the town part of Kozienice is never a choice
    partners = [partner for _teryt, _name, partner in found]
    assert partners == sorted(partners, reverse=True)  # partners first


def test_a_municipality_nobody_is_in_is_not_offered(session):
    session.commit()
    codes = {c.teryt for c in choices.city_choices(session)}
    assert KOZIENICE not in codes
    assert codes == {m.teryt for m in reference.list_municipalities(session, partners_only=True)}


def test_a_new_site_is_offered_once_committed(session):
    before = choices.city_choices(session)
    factories.organisation(session, **_at(KOZIENICE))
    assert choices.city_choices(session) is before  # not committed: nothing announced yet
    session.commit()
    assert KOZIENICE in {c.teryt for c in choices.city_choices(session)}


def _options(html: str) -> list[tuple[str, str, bool]]:
    found = re.findall(r'<option value="(\d{7})">([^<]*)</option>', html)
    return [(teryt, name.removesuffix(" ★"), name.endswith(" ★")) for teryt, name in found]


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_list_page_offers_a_text_field_with_the_partners_in_both_languages(
    client, session, language
):
    """A text input (no <select> of every municipality), labelled and described, its datalist
    holding the partner cities until suggestions arrive; the chosen city stays in it."""
    factories.organisation(session, **_at(KOZIENICE))
    session.commit()
    page = client.get("/organisations", params={"lang": language, "city": KOZIENICE})
    assert page.status_code == 200
    assert '<select id="f-city"' not in page.text
    field = re.search(r'<input id="f-city"[^>]*>', page.text)
    assert field is not None
    assert f'value="{KOZIENICE}"' in field[0] and 'list="f-city-options"' in field[0]
    assert 'aria-describedby="f-city-hint"' in field[0] and "aria-invalid" not in field[0]
    assert '<label for="f-city">' in page.text and 'id="f-city-hint"' in page.text
    datalist = re.search(r'<datalist id="f-city-options">(.*?)</datalist>', page.text, re.S)
    assert datalist is not None
    used = set(choices.municipalities_in_use(session))
    partners = [row for row in _offered(session, used) if row[2]]
    assert partners and _options(datalist[1]) == partners


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Kozie", {KOZIENICE}),
        ("kozienice", {KOZIENICE}),
        ("14070", {KOZIENICE}),
        ("warsz", {WARSZAWA}),
        ("Atlantyda", set()),
    ],
)
def test_suggestions_come_from_the_filters_choices(client, session, typed, expected):
    factories.organisation(session, **_at(KOZIENICE))
    factories.organisation(session, **_at(WARSZAWA))
    session.commit()
    used = set(choices.municipalities_in_use(session))
    answer = client.get("/organisations/city-options", params={"city": typed})
    assert answer.status_code == 200
    offered = _options(answer.text)
    assert {teryt for teryt, _n, _p in offered} == expected
    assert set(offered) <= set(_offered(session, used))  # only what the filter offers


def test_suggestions_match_any_word_without_diacritics_partners_first(session):
    factories.organisation(session, **_at("2610011"))  # Skarżysko-Kamienna
    session.commit()
    assert [c.name for c in choices.suggest_cities(session, "kamien")] == ["Skarżysko-Kamienna"]
    assert [c.name for c in choices.suggest_cities(session, "skarzysko k")] == [
        "Skarżysko-Kamienna"
    ]
    lublin = choices.suggest_cities(session, "lub")
    assert lublin and lublin[0].is_partner
    assert choices.suggest_cities(session, "") == choices.partner_choices(session)
    assert len(choices.suggest_cities(session, "", limit=2)) == 2


def test_a_municipality_nobody_is_in_is_never_suggested(client, session):
    session.commit()
    assert "1407053" not in client.get("/organisations/city-options?q=Kozienice").text


@pytest.mark.parametrize("typed", ["Kozienice", KOZIENICE, "kozienice"])
def test_without_javascript_the_field_is_resolved_by_name_or_teryt(client, session, typed):
    """The plain form: whatever is typed is read as a name or a TERYT code, as before."""
    here = factories.organisation(session, **_at(KOZIENICE))
    there = factories.organisation(session, **_at(WARSZAWA))
    session.commit()
    page = client.get("/organisations", params={"city": typed})
    assert page.status_code == 200
    assert f'href="/organisations/{here.id}"' in page.text
    assert f'href="/organisations/{there.id}"' not in page.text


@pytest.mark.parametrize("language", ["en", "pl"])
def test_an_unknown_city_is_named_at_the_field(client, session, language):
    page = client.get("/organisations", params={"city": "Atlantyda", "lang": language})
    assert page.status_code == 200
    field = re.search(r'<input id="f-city"[^>]*>', page.text)
    assert field is not None and 'aria-invalid="true"' in field[0]
    assert 'aria-describedby="f-city-hint e-city"' in field[0]
    error = re.search(r'<small id="e-city" class="error">([^<]+)</small>', page.text)
    assert error is not None and "Atlantyda" in error[1]
