"""City officers and their partner areas (DOMAIN.md, "Who sees what"): inside the area every
record, outside it what the public sees; contact data follows the person's consent."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for

from upland.accounts import service as account_service
from upland.accounts.models import User
from upland.actor import SYSTEM, Actor
from upland.organisations.models import Organisation
from upland.organisations.permissions import in_officer_area, visible_to
from upland.settings import Settings, get_settings

LUBLIN, RADOM, STARACHOWICE = "0663011", "1463011", "2611011"
NIEMCE = "0609112"  # powiat lubelski (0609): Lublin's area
PULAWY = "0614011"  # powiat puławski (0614): outside every partner area
PIONKI = "1425011"  # powiat radomski: Radom's area
BRODY = "2611022"  # powiat starachowicki
KIELCE = "2661011"  # outside every partner area
JASTKOW = "0609072"  # gmina wiejska, powiat lubelski: Lublin's area
KOZIENICE = "1407053"  # 20 km from Radom, powiat kozienicki: outside
ZWOLEN = "1436053"  # powiat zwoleński: outside
WARSAW = "1465011"  # outside
PIONKI_RURAL = "1425082"  # gmina wiejska Pionki, powiat radomski: Radom's area


def _org(session: Session, name: str, visibility: str, *teryts: str) -> Any:
    return factories.organisation(
        session,
        short_name=name,
        visibility=visibility,
        sites=[{"teryt": t, "is_headquarters": i == 0} for i, t in enumerate(teryts)],
        people=[
            {
                "full_name": f"{name} {consent}",
                "email": f"{consent}@{name.lower()}.example",
                "contact_visibility": consent,
            }
            for consent in ("members", "public")
        ],
    )


@pytest.fixture
def world(session: Session) -> dict[str, Any]:
    orgs = {
        "radom members": _org(session, "Radomska", "members", RADOM),
        "radom public": _org(session, "Jawna", "public", RADOM),
        "pionki restricted": _org(session, "Pionkowska", "restricted", PIONKI),
        "niemce restricted": _org(session, "Niemiecka", "restricted", NIEMCE),
        "pulawy restricted": _org(session, "Pulawska", "restricted", PULAWY),
        "kielce with a site in brody": _org(session, "Kielecka", "restricted", KIELCE, BRODY),
    }
    officers = {
        city: factories.user(session, role="officer", teryt=teryt)
        for city, teryt in (("lublin", LUBLIN), ("radom", RADOM), ("starachowice", STARACHOWICE))
    }
    session.commit()
    return {"orgs": orgs, "officers": officers}


SEES = {
    "lublin": {"radom public", "niemce restricted"},
    "radom": {"radom members", "radom public", "pionki restricted"},
    "starachowice": {"radom public", "kielce with a site in brody"},
}


@pytest.mark.parametrize("officer", sorted(SEES))
def test_an_officer_sees_every_record_of_the_area_and_public_ones_outside(
    session, client, world, officer
):
    caller = caller_for(session, client, world["officers"][officer])
    for key, org in world["orgs"].items():
        response = caller.send("GET", f"/api/v1/organisations/{org.id}")
        assert response.status_code == (200 if key in SEES[officer] else 404), key
    listed = caller.send("GET", "/api/v1/organisations?limit=100").json()
    expected = {world["orgs"][key].id for key in SEES[officer]}
    assert {o["id"] for o in listed["items"]} == expected
    assert listed["total"] == len(expected)
    page = caller.send("GET", "/api/v1/organisations?limit=1").json()
    assert page["total"] == len(expected)  # counted from the facets on SQLite


def _contacts(caller: Any, org_id: int) -> dict[str, str | None]:
    body = caller.send("GET", f"/api/v1/organisations/{org_id}").json()
    return {p["full_name"].split()[-1]: p["email"] for p in body["people"]}


def test_outside_the_area_an_officer_sees_public_and_members_contacts(session, client, world):
    """The Starachowice officer sees a public Radom profile's contacts as members do, and no
    members-only Radom profile at all (docs/permissions.md, "Contact people")."""
    caller = caller_for(session, client, world["officers"]["starachowice"])
    public = world["orgs"]["radom public"]
    assert _contacts(caller, public.id) == {
        "members": "members@jawna.example",
        "public": "public@jawna.example",
    }
    members_only = world["orgs"]["radom members"]
    assert caller.send("GET", f"/api/v1/organisations/{members_only.id}").status_code == 404
    assert caller.send("GET", f"/organisations/{members_only.id}").status_code == 404


def test_inside_the_area_contacts_still_follow_consent(session, client, world):
    """`members` consent covers city officers; `private` would not (test_contact_visibility)."""
    caller = caller_for(session, client, world["officers"]["radom"])
    org = world["orgs"]["radom members"]
    assert _contacts(caller, org.id) == {
        "members": "members@radomska.example",
        "public": "public@radomska.example",
    }


def test_an_officer_is_not_a_cluster_member_by_office(session, world):
    actor = factories.actor_of(session, world["officers"]["lublin"])
    assert actor.officer_teryt == LUBLIN
    assert not actor.is_cluster_member


def test_an_officer_of_a_member_organisation_is_a_member_through_it(session, world):
    member = factories.organisation(session, membership_status="member")
    officer = world["officers"]["starachowice"]
    account_service.grant_role(session, SYSTEM, officer.id, "viewer", member.id)
    assert factories.actor_of(session, officer).is_cluster_member


class _Org:
    """Just what `in_officer_area` reads."""

    def __init__(self, teryt: str | None, *sites: str) -> None:
        self.teryt = teryt
        self.sites = [type("S", (), {"teryt": t})() for t in sites]


@pytest.mark.parametrize(
    ("areas", "officer", "org", "inside"),
    [
        (None, LUBLIN, _Org(LUBLIN), True),
        (None, LUBLIN, _Org(NIEMCE), True),
        (None, LUBLIN, _Org(PULAWY), False),
        (None, LUBLIN, _Org(KIELCE, NIEMCE), True),
        (None, LUBLIN, _Org(None), False),
        (None, STARACHOWICE, _Org(KIELCE, BRODY), True),
        (None, "0617011", _Org("0617011"), True),  # not a partner: its own municipality
        (None, "0617011", _Org("0617022"), False),
        ({LUBLIN: ["06"]}, LUBLIN, _Org(PULAWY), True),
        ({LUBLIN: ["06"]}, LUBLIN, _Org(RADOM), False),
        ({RADOM: [PIONKI]}, RADOM, _Org(RADOM), False),
        (None, LUBLIN, _Org(JASTKOW), True),
        (None, RADOM, _Org(PIONKI_RURAL), True),
        (None, RADOM, _Org(KOZIENICE), False),
        (None, RADOM, _Org(ZWOLEN), False),
        (None, RADOM, _Org(WARSAW), False),
        (None, RADOM, _Org(WARSAW, KOZIENICE, PIONKI_RURAL), True),
        ({RADOM: ["14"]}, RADOM, _Org(WARSAW), True),
    ],
)
def test_the_area_is_made_of_teryt_units(monkeypatch, areas, officer, org, inside):
    if areas is not None:
        monkeypatch.setattr(get_settings(), "partner_areas", areas)
    actor = Actor(user_id=-1, label="officer", officer_teryt=officer)
    assert in_officer_area(actor, org) is inside  # type: ignore[arg-type]
    assert in_officer_area(Actor(user_id=-2, label="member"), org) is False  # type: ignore[arg-type]


# --- the setting -----------------------------------------------------------------------------


def test_default_areas_follow_the_partners(monkeypatch):
    assert Settings(_env_file=None).partner_area(LUBLIN) == ("0663", "0609")
    monkeypatch.setenv("UPLAND_PARTNER_MUNICIPALITIES", f'["{RADOM}"]')
    values = Settings(_env_file=None)
    assert values.partner_areas == {RADOM: ["1463", "1425"]}
    assert values.partner_area(LUBLIN) == (LUBLIN,)


@pytest.mark.parametrize(
    ("areas", "message"),
    [
        ('{"0663011": ["06631"]}', "0663011: not TERYT units (2-digit voivodeship, 4-digit"),
        ('{"0663011": ["06", "0x63"]}', "codes): 0x63"),
        ('{"0617011": ["0617"]}', "not partner municipalities: 0617011 (list them in"),
        ('{"0663011": []}', "0663011: the area is empty"),
    ],
)
def test_bad_partner_areas_are_refused_clearly(monkeypatch, areas, message):
    monkeypatch.setenv("UPLAND_PARTNER_AREAS", areas)
    with pytest.raises(ValidationError, match="partner_areas") as caught:
        Settings(_env_file=None)
    assert message in str(caught.value)


def test_areas_of_other_partners(monkeypatch):
    monkeypatch.setenv("UPLAND_PARTNER_MUNICIPALITIES", '["0617011"]')
    monkeypatch.setenv("UPLAND_PARTNER_AREAS", '{"0617011": ["0617", "0609112"]}')
    assert Settings(_env_file=None).partner_area("0617011") == ("0617", "0609112")


def test_every_demo_officer_has_organisations_in_the_area(demo_session):
    """The demo world shows the rule at work for each partner city."""
    session = demo_session
    officers = session.scalars(select(User).where(User.officer_teryt.is_not(None))).all()
    assert {o.officer_teryt for o in officers} == {LUBLIN, RADOM, STARACHOWICE}
    everything = session.scalars(select(Organisation)).all()
    for officer in officers:
        actor = factories.actor_of(session, officer)
        seen = {o.id for o in session.scalars(visible_to(actor, select(Organisation)))}
        inside = {o.id for o in everything if in_officer_area(actor, o)}
        assert inside, officer.officer_teryt
        assert inside <= seen
        assert {o.id for o in everything if o.visibility == "members"} & seen <= inside


# --- the whole register: every municipality falls in one area or outside ------------------


def test_officers_see_the_new_municipalities_of_their_area_and_no_others(session, client):
    orgs = {
        teryt: _org(session, f"Firma{teryt}", "restricted", teryt)
        for teryt in (JASTKOW, KOZIENICE, ZWOLEN, WARSAW, PIONKI_RURAL)
    }
    officers = {
        city: factories.user(session, role="officer", teryt=city)
        for city in (LUBLIN, RADOM, STARACHOWICE)
    }
    session.commit()
    sees = {LUBLIN: {JASTKOW}, RADOM: {PIONKI_RURAL}, STARACHOWICE: set()}
    for city, officer in officers.items():
        caller = caller_for(session, client, officer)
        listed = caller.send("GET", "/api/v1/organisations?limit=100").json()
        assert {o["id"] for o in listed["items"]} == {orgs[t].id for t in sees[city]}, city
        for teryt, org in orgs.items():
            status = caller.send("GET", f"/api/v1/organisations/{org.id}").status_code
            assert status == (200 if teryt in sees[city] else 404), (city, teryt)


@pytest.mark.parametrize(
    ("teryt", "partner"),
    [
        (LUBLIN, LUBLIN),
        (JASTKOW, LUBLIN),
        (NIEMCE, LUBLIN),
        (PULAWY, None),
        (PIONKI_RURAL, RADOM),
        (KOZIENICE, None),
        (WARSAW, None),
        (BRODY, STARACHOWICE),
        (None, None),
    ],
)
def test_each_municipality_counts_for_one_partner_city_or_outside(teryt, partner):
    assert Settings(_env_file=None).partner_of(teryt) == partner


def test_another_deployment_counts_its_own_areas(monkeypatch):
    monkeypatch.setenv("UPLAND_PARTNER_MUNICIPALITIES", '["1407053", "1463011"]')
    monkeypatch.setenv("UPLAND_PARTNER_AREAS", '{"1407053": ["1407"], "1463011": ["14"]}')
    values = Settings(_env_file=None)
    assert values.partner_of(KOZIENICE) == KOZIENICE  # the narrower unit wins
    assert values.partner_of(WARSAW) == RADOM
    assert values.partner_of(LUBLIN) is None


def test_an_area_unit_without_municipalities_is_refused_at_seed_time(session, monkeypatch):
    from upland.errors import Invalid
    from upland.reference.service import seed_reference

    monkeypatch.setattr(get_settings(), "partner_areas", {LUBLIN: ["0663", "0699"]})
    with pytest.raises(Invalid, match="hold no municipality: 0699"):
        seed_reference(session, SYSTEM, [LUBLIN])
