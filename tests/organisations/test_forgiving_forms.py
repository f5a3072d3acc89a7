"""Profile forms that forgive (issue 8 §4): blank optional fields are accepted, a refused form
comes back in place with the input kept and the error beside the field, and every address a
profile form posts to also answers GET (reload, language switch)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for
from tests.matrix import served_routes

from upland.organisations.models import Organisation
from upland.organisations.schemas import PersonIn, SiteIn
from upland.web.forms import schema_input, validate_form


def _coordinator(session: Session, client: Any) -> Any:
    return caller_for(session, client, factories.user(session, role="coordinator"))


def test_blank_optional_fields_take_their_default_and_required_ones_stay_required() -> None:
    site = validate_form(SiteIn, {"teryt": "0663011", "street": None, "locality": None})
    assert (site.street, site.locality) == ("", "")
    person = validate_form(PersonIn, {"full_name": "Anna", "role_title": None, "email": None})
    assert (person.role_title, person.email) == ("", None)
    assert "full_name" not in schema_input(PersonIn, {"full_name": None})
    with pytest.raises(Exception, match="full_name"):
        validate_form(PersonIn, {"full_name": None})


def test_a_new_organisation_with_blank_optional_fields_is_created(
    session: Session, client: Any
) -> None:
    caller = _coordinator(session, client)
    form = {
        "legal_name": "Zakład Bez Opisu sp. z o.o.",
        "short_name": "",
        "kind": "company",
        "teryt": "0663011",
        "description_pl": "",
        "description_en": "",
        "capacity_notes": "",
        "website": "",
        "founded_year": "",
        "employees": "",
        "pkd": "",
    }
    response = caller.send("POST", "/organisations/new", form)
    assert response.status_code == 303, response.text
    org = session.get(Organisation, int(response.headers["location"].rsplit("/", 1)[1]))
    assert org is not None
    assert (org.short_name, org.description_pl, org.capacity_notes) == (
        "Zakład Bez Opisu sp. z o.o.",
        "",
        "",
    )


BLANK_CHILDREN = {
    "sites": {"teryt": "0663011", "name": "", "street": "", "postal_code": "", "locality": ""},
    "people": {"full_name": "Anna Nowak", "role_title": "", "email": "", "phone": ""},
    "capabilities": {"kind": "process", "term": "cnc-turning", "label": "", "notes": ""},
}


@pytest.mark.parametrize("kind", BLANK_CHILDREN)
def test_blank_optional_fields_of_sites_people_and_capabilities_are_accepted(
    session: Session, client: Any, kind: str
) -> None:
    org = factories.organisation(session)
    before = len(getattr(org, kind))
    caller = _coordinator(session, client)
    response = caller.send("POST", f"/organisations/{org.id}/{kind}", BLANK_CHILDREN[kind])
    assert response.status_code == 303, response.text
    session.expire_all()
    assert len(getattr(org, kind)) == before + 1


def test_a_refused_person_comes_back_in_place_with_the_input_and_the_error(
    session: Session, client: Any
) -> None:
    org = factories.organisation(session)
    caller = _coordinator(session, client)
    form = {"full_name": "Anna Nowak", "email": "not-an-address", "contact_visibility": "public"}
    response = caller.send("POST", f"/organisations/{org.id}/people", form)
    assert response.status_code == 422
    page = response.text
    assert f'action="/organisations/{org.id}/people"' in page
    assert 'value="Anna Nowak"' in page and 'value="not-an-address"' in page
    email = re.search(r'<input id="f-email"[^>]*>', page, re.S)
    assert email and 'aria-invalid="true"' in email.group(0)
    assert 'aria-describedby="e-email"' in email.group(0) and "autofocus" in email.group(0)
    assert '<small id="e-email" class="error">' in page
    assert '<option value="public" selected>' in page
    assert len(org.people) == 1


def test_a_refused_site_keeps_the_chosen_municipality(session: Session, client: Any) -> None:
    org = factories.organisation(session)
    caller = _coordinator(session, client)
    form = {"teryt": "1463011", "postal_code": "2-6600"}
    response = caller.send("POST", f"/organisations/{org.id}/sites", form)
    assert response.status_code == 422
    assert 'id="s-teryt" name="teryt" value="1463011"' in response.text
    assert 'aria-describedby="e-postal_code"' in response.text


def _filled(path: str, values: dict[str, int | str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


def test_every_address_a_profile_form_posts_to_answers_get(session: Session, client: Any) -> None:
    """Reloading or switching the language where a form left the browser asks for it with GET:
    never 405 (issue 8: reload or language switch on /organisations/{id}/people)."""
    org = factories.organisation(session)
    caller = _coordinator(session, client)
    values: dict[str, int | str] = {
        "org_id": org.id,
        "kind": "sites",
        "child_id": org.sites[0].id,
        "person_id": org.people[0].id,
        "removal": "N0tAnUndoableRemoval1",
    }
    posted = {
        served.path
        for served in served_routes(client.app)
        if served.method == "POST"
        and served.path.startswith("/organisations/")
        and not re.search(r"/(import|members|invitations)\b", served.path)  # accounts, imports
    }
    assert len(posted) >= 9, posted
    for path in sorted(posted):
        for kind in ("sites", "people", "capabilities") if "{kind}" in path else ("sites",):
            child = {"sites": org.sites, "people": org.people, "capabilities": org.capabilities}
            filled = _filled(path, values | {"kind": kind, "child_id": child[kind][0].id})
            for language in ("pl", "en"):
                response = caller.send("GET", f"{filled}?lang={language}")
                assert response.status_code in (200, 303), (filled, response.status_code)
