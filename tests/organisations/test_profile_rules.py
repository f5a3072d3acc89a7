"""The service's rules for a profile, whichever form or API sends the change: a NIP or REGON
registered elsewhere is refused without revealing where, and kind and cluster membership are
the coordinator's."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for

from upland.organisations.models import Organisation
from upland.organisations.service import organisation

IDS = ("nip", "regon")
HOLDERS = ("restricted", "public")
TAKEN = "this {} is already registered for another organisation; contact the cluster coordinator"


@pytest.fixture
def world(session: Session) -> dict[str, Any]:
    """An editor's organisation and two others holding identifiers: one the editor cannot see."""
    own = factories.organisation(session, short_name="Własna")
    holders = {v: factories.organisation(session, visibility=v) for v in HOLDERS}
    editor = factories.user(session, role="editor", org=own)
    coordinator = factories.user(session, role="coordinator")
    session.commit()
    return {"own": own, "holders": holders, "editor": editor, "coordinator": coordinator}


def _identifier(world: dict[str, Any], holder: str, field: str) -> str:
    return str(getattr(world["holders"][holder], field))


def _own_identifiers(session: Session, world: dict[str, Any]) -> tuple[str, str]:
    session.expire_all()
    own = session.get(Organisation, world["own"].id)
    assert own is not None
    return own.nip or "", own.regon or ""


@pytest.mark.parametrize("field", IDS)
def test_patch_with_a_taken_identifier_answers_alike_whoever_holds_it(
    session, client, world, field
):
    caller = caller_for(session, client, world["editor"])
    before = _own_identifiers(session, world)
    answers = {}
    for holder in HOLDERS:
        value = _identifier(world, holder, field)
        response = caller.send("PATCH", f"/api/v1/organisations/{world['own'].id}", {field: value})
        answers[holder] = (response.status_code, response.json())
        assert str(world["holders"][holder].id) not in response.text
        assert value not in response.text
    assert answers["restricted"] == answers["public"]
    status, body = answers["public"]
    assert status == 409
    assert TAKEN.format(field.upper()) in str(body)
    assert _own_identifiers(session, world) == before


@pytest.mark.parametrize("field", IDS)
def test_create_with_a_taken_identifier_answers_alike_whoever_holds_it(
    session, client, world, field
):
    caller = caller_for(session, client, world["coordinator"])
    answers = set()
    for holder in HOLDERS:
        body = {
            "legal_name": "Nowa Spółka sp. z o.o.",
            "kind": "company",
            "sites": [{"teryt": "0663011"}],
            field: _identifier(world, holder, field),
        }
        response = caller.send("POST", "/api/v1/organisations", body)
        assert str(world["holders"][holder].id) not in response.text
        answers.add((response.status_code, response.text))
    assert len(answers) == 1
    status, text = answers.pop()
    assert status == 409 and TAKEN.format(field.upper()) in text
    assert not session.scalars(
        select(Organisation).where(Organisation.legal_name == "Nowa Spółka sp. z o.o.")
    ).all()


@pytest.mark.parametrize("field", IDS)
def test_the_edit_form_shows_the_same_refusal_in_polish(session, client, world, field):
    caller = caller_for(session, client, world["editor"])
    before = _own_identifiers(session, world)
    messages = set()
    for holder in HOLDERS:
        form = {"legal_name": "Własna sp. z o.o.", field: _identifier(world, holder, field)}
        response = caller.send("POST", f"/organisations/{world['own'].id}/edit", form)
        assert response.status_code == 422
        found = re.search(r'<p class="error" role="alert">([^<]+)</p>', response.text)
        assert found, response.text
        messages.add(found.group(1))
        assert f"/organisations/{world['holders'][holder].id}" not in response.text
    assert messages == {
        f"ten {field.upper()} jest już zarejestrowany dla innej organizacji; "
        "skontaktuj się z koordynatorem klastra"
    }
    assert _own_identifiers(session, world) == before


@pytest.mark.parametrize("field", IDS)
def test_the_create_form_shows_the_same_refusal(session, client, world, field):
    caller = caller_for(session, client, world["coordinator"])
    pages = set()
    for holder in HOLDERS:
        form = {
            "legal_name": "Nowa Spółka sp. z o.o.",
            "kind": "company",
            "teryt": "0663011",
            field: _identifier(world, holder, field),
        }
        response = caller.send("POST", "/organisations/new?lang=en", form)
        assert response.status_code == 422
        found = re.search(r'<p class="error" role="alert">([^<]+)</p>', response.text)
        assert found, response.text
        pages.add(found.group(1))
    assert pages == {TAKEN.format(field.upper())}


def test_a_duplicate_that_slips_past_the_check_is_the_same_conflict(
    session, client, world, monkeypatch
):
    """Two requests racing: the database's unique index catches what the check did not see."""
    monkeypatch.setattr(organisation, "check_unique_ids", lambda session, org: None)
    caller = caller_for(session, client, world["editor"])
    for field in IDS:
        value = _identifier(world, "restricted", field)
        response = caller.send("PATCH", f"/api/v1/organisations/{world['own'].id}", {field: value})
        assert response.status_code == 409, response.text
        assert TAKEN.format(field.upper()) in response.text
        assert str(world["holders"]["restricted"].id) not in response.text
        response = caller.send(
            "POST", f"/organisations/{world['own'].id}/edit", {"legal_name": "Własna", field: value}
        )
        assert response.status_code == 422


def _kind(session: Session, org_id: int) -> tuple[str, str]:
    session.expire_all()
    org = session.get(Organisation, org_id)
    assert org is not None
    return org.kind, org.membership_status


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"kind": "research"}, "kind"),
        ({"membership_status": "applicant"}, "membership_status"),
        ({"member_since": "2020-01-01", "description_pl": "Nowy opis"}, "member_since"),
    ],
)
def test_an_editor_may_not_change_what_is_the_coordinators(session, client, world, change, named):
    caller = caller_for(session, client, world["editor"])
    org_id = world["own"].id
    response = caller.send("PATCH", f"/api/v1/organisations/{org_id}", change)
    assert response.status_code == 403
    assert f"only the cluster coordinator may change these fields: {named}" in response.text
    assert _kind(session, org_id) == ("company", "member")
    assert session.get(Organisation, org_id).description_pl != "Nowy opis"  # type: ignore[union-attr]


def test_an_editor_may_send_the_coordinators_fields_unchanged(session, client, world):
    """A client that sends back the whole profile it read changes nothing it may not."""
    caller = caller_for(session, client, world["editor"])
    org_id = world["own"].id
    unchanged = {"kind": "company", "membership_status": "member", "description_pl": "Nowy opis"}
    response = caller.send("PATCH", f"/api/v1/organisations/{org_id}", unchanged)
    assert response.status_code == 200, response.text
    assert response.json()["description_pl"] == "Nowy opis"


def test_the_coordinator_changes_the_kind(session, client, world):
    caller = caller_for(session, client, world["coordinator"])
    org_id = world["own"].id
    change = {"kind": "research", "membership_status": "applicant"}
    response = caller.send("PATCH", f"/api/v1/organisations/{org_id}", change)
    assert response.status_code == 200
    assert _kind(session, org_id) == ("research", "applicant")


def test_the_edit_form_keeps_the_kind_an_editor_sends(session, client, world):
    caller = caller_for(session, client, world["editor"])
    org_id = world["own"].id
    form = {"legal_name": "Własna sp. z o.o.", "kind": "research", "membership_status": "none"}
    response = caller.send("POST", f"/organisations/{org_id}/edit", form)
    # The form leaves out what it does not offer, or hands it to the service, which refuses.
    assert response.status_code in (303, 403)
    assert _kind(session, org_id) == ("company", "member")
