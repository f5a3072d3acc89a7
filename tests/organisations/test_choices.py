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


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_list_page_offers_the_same_cities_in_both_languages(client, session, language):
    factories.organisation(session, **_at(KOZIENICE))
    session.commit()
    page = client.get("/organisations", params={"lang": language, "city": KOZIENICE})
    assert page.status_code == 200
    select = re.search(r'<select id="f-city".*?</select>', page.text, re.S)
    assert select is not None
    options = re.findall(r'<option value="(\d{7})" ?(selected)?>([^<]*)</option>', select[0])
    used = set(choices.municipalities_in_use(session))
    assert [
        (teryt, name.removesuffix(" ★"), name.endswith(" ★")) for teryt, _s, name in options
    ] == (_offered(session, used))
    assert [teryt for teryt, chosen, _name in options if chosen] == [KOZIENICE]
