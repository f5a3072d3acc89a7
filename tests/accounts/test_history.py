"""Readable change history: the audit log and an organisation's history word entries alike,
in the page's language, and every URL of them answers GET (language switch included)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import log_in

from upland import audit
from upland.accounts import history
from upland.actor import SYSTEM
from upland.audit import AuditEntry
from upland.organisations import service as registry
from upland.organisations.schemas import OrganisationUpdate, SiteIn


def _staff(session: Session, client: TestClient) -> None:
    user = factories.user(session, role="coordinator")
    session.flush()
    assert log_in(client, user.email).status_code == 303


def _entry(session: Session, action: str) -> AuditEntry:
    return session.scalars(
        select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id.desc())
    ).first()  # type: ignore[return-value]


def test_a_change_reads_as_field_before_and_after_with_labels(session: Session):
    org = factories.organisation(session, visibility="public")
    registry.update_organisation(
        session, SYSTEM, org.id, OrganisationUpdate(visibility="members", employees=55)
    )
    entry = _entry(session, "organisations.organisation.update")

    polish = history.readable(entry, "pl")
    english = history.readable(entry, "en")

    assert polish.did == "zmienił(a) profil" and english.did == "edited the profile"
    rows = {(c.field, c.before, c.after) for c in polish.changes}
    assert ("widoczność", "publiczna", "tylko dla członków klastra") in rows
    assert ("liczba pracowników", "40", "55") in rows
    assert ("visibility", "public", "cluster members only") in {
        (c.field, c.before, c.after) for c in english.changes
    }


def test_every_recorded_action_has_a_sentence():
    """An action added to the code without a sentence would show as a raw code."""
    import pathlib
    import re

    source = pathlib.Path(__file__).resolve().parents[2] / "src" / "upland"
    recorded = set()
    for path in source.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for call in re.finditer(r"audit\.record\(\s*[^,]+,\s*[^,]+,\s*\"([a-z_.]+)\"", text):
            recorded.add(call.group(1))
    assert recorded and recorded <= set(history.ACTIONS), recorded - set(history.ACTIONS)


def test_the_audit_page_shows_sentences_not_codes_or_json(session: Session, client: TestClient):
    _staff(session, client)
    org = factories.organisation(session)
    registry.update_organisation(session, SYSTEM, org.id, OrganisationUpdate(employees=77))
    session.flush()

    page = client.get("/audit?object_type=organisation&lang=pl")

    assert page.status_code == 200
    assert "zmienił(a) profil" in page.text and "liczba pracowników" in page.text
    assert (
        "organisations.organisation.update" not in page.text.split("<main")[1].split("<select")[0]
    )
    assert '"employees"' not in page.text and "<pre" not in page.text
    assert f'href="/organisations/{org.id}/history"' in page.text  # on to its own history


def test_switching_language_on_the_audit_page_keeps_the_filters(
    session: Session, client: TestClient
):
    _staff(session, client)
    filtered = client.get("/audit?object_type=organisation&actor=system")
    assert filtered.status_code == 200

    switched = client.get("/audit?lang=en", follow_redirects=False)

    assert switched.status_code == 303
    assert "object_type=organisation" in switched.headers["location"]
    assert "actor=system" in switched.headers["location"]
    page = client.get(switched.headers["location"])
    assert page.status_code == 200 and 'value="system"' in page.text
    assert client.get("/audit?lang=pl&object_type=user").status_code == 200  # never 422


def test_an_organisation_s_history_holds_its_sites_and_people_too(
    session: Session, client: TestClient
):
    org = factories.organisation(session)
    other = factories.organisation(session)
    admin = factories.user(session, role="admin", org=org)
    registry.update_organisation(session, SYSTEM, org.id, OrganisationUpdate(employees=12))
    registry.update_organisation(session, SYSTEM, other.id, OrganisationUpdate(employees=13))
    site = org.sites[0]
    data = SiteIn(teryt=site.teryt, locality="Świdnik", is_headquarters=site.is_headquarters)
    registry.update_site(session, SYSTEM, site.id, data)
    session.flush()
    assert log_in(client, admin.email).status_code == 303

    page = client.get(f"/organisations/{org.id}/history?lang=pl")

    assert page.status_code == 200
    assert "zmienił(a) lokalizację" in page.text and "Świdnik" in page.text
    assert "12" in page.text and "→" in page.text
    assert ">13<" not in page.text  # the other organisation's change is not here
    assert client.get(f"/organisations/{other.id}/history").status_code == 403


def test_the_organisation_of_an_entry_is_found_from_earlier_entries(session: Session):
    org = factories.organisation(session)
    audit.record(session, SYSTEM, "organisations.person.update", "person", 999, after={"x": 1})
    assert _entry(session, "organisations.person.update").organisation_id is None
    audit.record(
        session,
        SYSTEM,
        "organisations.person.add",
        "person",
        998,
        after={"organisation_id": org.id},
    )
    session.flush()
    audit.record(session, SYSTEM, "organisations.person.update", "person", 998, after={"x": 2})
    session.flush()
    assert _entry(session, "organisations.person.update").organisation_id == org.id


def test_an_organisation_is_named_by_its_name_or_as_removed(session: Session, client: TestClient):
    """Never "organisation 18": the name it has now, or "removed organisation" once deleted."""
    _staff(session, client)
    kept = factories.organisation(session, short_name="Kuźnia Nazwana")
    gone = factories.organisation(session, short_name="Odlewnia Usunięta")
    registry.update_organisation(session, SYSTEM, kept.id, OrganisationUpdate(employees=77))
    registry.update_organisation(session, SYSTEM, gone.id, OrganisationUpdate(employees=78))
    registry.delete_organisation(session, SYSTEM, gone.id)
    session.flush()

    for language, removed, thing in (
        ("pl", "usunięta organizacja", "organizacja"),
        ("en", "removed organisation", "organisation"),
    ):
        page = client.get(f"/audit?object_type=organisation&lang={language}").text
        assert f"{thing} {kept.short_name}" in page
        assert f"{thing} {removed}" in page
        assert f"{thing} {kept.id}<" not in page and f"{thing} {gone.id}<" not in page


def test_the_starting_page_words_changes_like_the_audit_log(session: Session, client: TestClient):
    _staff(session, client)
    org = factories.organisation(session)
    registry.update_organisation(session, SYSTEM, org.id, OrganisationUpdate(employees=77))
    gone = factories.organisation(session)
    registry.delete_organisation(session, SYSTEM, gone.id)
    session.flush()
    page = client.get("/start?lang=en").text
    panel = page.split('id="home.changes"', 1)[-1] if 'id="home.changes"' in page else page
    assert f"{history.ACTIONS['organisations.organisation.update']} · " in panel
    assert f'<a href="/organisations/{org.id}">{org.short_name}</a>' in panel
    assert "deleted the organisation · removed organisation" in panel
    assert f"organisation {gone.id}" not in panel


def test_an_organisation_field_reads_as_its_name():
    named = {7: "Kuźnia Nazwana"}
    rows = history.changes("user", {"organisation_id": 7}, {"organisation_id": 9}, "en", named)
    assert [(c.before, c.after) for c in rows] == [("Kuźnia Nazwana", "removed organisation")]
