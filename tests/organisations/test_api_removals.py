"""API removals can be undone like the profile forms' ones: each DELETE names its removal
(`Upland-Removal`, `Link rel="restore"`) and `POST /api/v1/removals/{removal}/restore` puts the row
(or the member's role) back, with the same ownership, expiry and permission rules as the web."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for

from upland.accounts import queries as account_queries
from upland.organisations import removals
from upland.organisations.models import OrganisationCapability, Person, RemovedRecord, Site

MODELS = {"sites": Site, "people": Person, "capabilities": OrganisationCapability}


def _columns(row: Any) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in row.__table__.columns}


def _org(session: Session) -> Any:
    return factories.organisation(
        session,
        sites=[
            {"teryt": "0663011", "is_headquarters": True},
            {"teryt": "1463011", "locality": "Radom"},
        ],
    )


def _record(session: Session, token: str) -> RemovedRecord | None:
    return session.scalar(select(RemovedRecord).where(RemovedRecord.token == token))


def _child(org: Any, kind: str) -> Any:
    return {"sites": org.sites[1], "people": org.people[0], "capabilities": org.capabilities[0]}[
        kind
    ]


def _removal(response: Any) -> str:
    assert response.status_code == 204, response.text
    removal_id = response.headers["upland-removal"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", removal_id), removal_id  # opaque and random
    assert response.headers["link"] == f'</api/v1/removals/{removal_id}/restore>; rel="restore"'
    return removal_id


@pytest.mark.parametrize("kind", MODELS)
def test_an_api_delete_is_undone_intact_and_only_once(
    session: Session, client: Any, kind: str
) -> None:
    org = _org(session)
    editor = caller_for(session, client, factories.user(session, role="editor", org=org))
    child = _child(org, kind)
    before = _columns(child)

    removal_id = _removal(editor.send("DELETE", f"/api/v1/{kind}/{child.id}"))
    session.expire_all()
    assert session.get(MODELS[kind], before["id"]) is None

    restored = editor.send("POST", f"/api/v1/removals/{removal_id}/restore")
    assert restored.status_code == 200, restored.text
    assert restored.json() == {
        "removal": removal_id,
        "kind": kind,
        "organisation_id": org.id,
        "id": before["id"],
    }
    session.expire_all()
    back = session.get(MODELS[kind], before["id"])
    assert back is not None and _columns(back) == before

    again = editor.send("POST", f"/api/v1/removals/{removal_id}/restore")
    assert again.status_code == 409
    assert again.json()["code"] == "removal.restored"


def test_a_removed_member_gets_their_role_back(session: Session, client: Any) -> None:
    org = _org(session)
    admin = caller_for(session, client, factories.user(session, role="admin", org=org))
    member = factories.user(session, role="editor", org=org)

    removal_id = _removal(
        admin.send("DELETE", f"/api/v1/organisations/{org.id}/members/{member.id}")
    )
    assert account_queries.get_membership(session, member.id, org.id) is None

    restored = admin.send("POST", f"/api/v1/removals/{removal_id}/restore")
    assert restored.status_code == 200, restored.text
    assert restored.json()["id"] == member.id
    membership = account_queries.get_membership(session, member.id, org.id)
    assert membership is not None and membership.role == "editor"
    assert admin.send("POST", f"/api/v1/removals/{removal_id}/restore").status_code == 409


def test_a_closed_account_gets_no_role_back(session: Session, client: Any) -> None:
    """Attack finding: undoing a member's removal gave the role back to an account deactivated
    since (410), and to an erased one, whose erasure now also drops the kept role."""
    from upland.accounts import service as account_service
    from upland.actor import SYSTEM

    org = _org(session)
    admin = caller_for(session, client, factories.user(session, role="admin", org=org))
    left, erased = (factories.user(session, role="viewer", org=org) for _ in range(2))
    kept = {
        user.id: _removal(admin.send("DELETE", f"/api/v1/organisations/{org.id}/members/{user.id}"))
        for user in (left, erased)
    }

    account_service.deactivate_user(session, SYSTEM, left.id)
    account_service.erase_user(session, SYSTEM, erased.id)

    gone = admin.send("POST", f"/api/v1/removals/{kept[left.id]}/restore")
    assert gone.status_code == 410 and gone.json()["code"] == "removal.account_closed"
    assert _record(session, kept[erased.id]) is None  # the erasure took it
    assert admin.send("POST", f"/api/v1/removals/{kept[erased.id]}/restore").status_code == 404
    for user in (left, erased):
        assert account_queries.get_membership(session, user.id, org.id) is None


def test_removals_past_the_undo_window_are_pruned_without_another_removal(
    session: Session, client: Any
) -> None:
    """Attack finding: expired removals (a contact's name, e-mail, phone) were only deleted
    by the next removal; `upland removals prune` (nightly) deletes them too."""
    org = _org(session)
    editor = caller_for(session, client, factories.user(session, role="editor", org=org))
    old = _removal(editor.send("DELETE", f"/api/v1/people/{org.people[0].id}"))
    fresh = _removal(editor.send("DELETE", f"/api/v1/sites/{org.sites[1].id}"))
    record = _record(session, old)
    record.removed_at -= removals.UNDO_WINDOW + dt.timedelta(minutes=1)
    session.flush()

    assert removals.prune(session) == 1
    session.expire_all()
    assert _record(session, old) is None
    assert _record(session, fresh) is not None


def test_an_editor_may_not_undo_a_member_s_removal(session: Session, client: Any) -> None:
    """Giving a role back is managing accounts: the organisation's admin and staff only."""
    org = _org(session)
    member = factories.user(session, role="viewer", org=org)
    coordinator = caller_for(session, client, factories.user(session, role="coordinator"))
    removed = coordinator.send("DELETE", f"/api/v1/organisations/{org.id}/members/{member.id}")
    removal_id = _removal(removed)
    editor = caller_for(session, client, factories.user(session, role="editor", org=org))

    refused = editor.send("POST", f"/api/v1/removals/{removal_id}/restore")

    assert refused.status_code == 404
    assert account_queries.get_membership(session, member.id, org.id) is None


def test_another_organisation_s_removal_is_not_found(session: Session, client: Any) -> None:
    org, other = _org(session), _org(session)
    owner = caller_for(session, client, factories.user(session, role="editor", org=org))
    capability = org.capabilities[0]
    removal_id = _removal(owner.send("DELETE", f"/api/v1/capabilities/{capability.id}"))
    outsider = caller_for(session, client, factories.user(session, role="admin", org=other))

    refused = outsider.send("POST", f"/api/v1/removals/{removal_id}/restore")
    unknown = owner.send(
        "POST",
        f"/api/v1/removals/{removal_id[:-1] + ('A' if removal_id[-1] != 'A' else 'B')}/restore",
    )
    malformed = owner.send("POST", "/api/v1/removals/1/restore")

    assert refused.status_code == 404
    assert refused.json()["code"] == "removal.not_found"
    assert unknown.status_code == 404
    assert malformed.status_code == 422  # not a removal's token at all
    session.expire_all()
    assert session.get(OrganisationCapability, capability.id) is None


def test_an_expired_removal_is_gone(session: Session, client: Any) -> None:
    org = _org(session)
    editor = caller_for(session, client, factories.user(session, role="editor", org=org))
    site = org.sites[1]
    removal_id = _removal(editor.send("DELETE", f"/api/v1/sites/{site.id}"))
    record = _record(session, removal_id)
    assert record is not None
    record.removed_at -= removals.UNDO_WINDOW + dt.timedelta(minutes=1)
    session.flush()

    late = editor.send("POST", f"/api/v1/removals/{removal_id}/restore")

    assert late.status_code == 410
    assert late.json()["code"] == "removal.expired"
    session.expire_all()
    assert session.get(Site, site.id) is None


def test_a_web_removal_is_undone_through_the_api_too(session: Session, client: Any) -> None:
    org = _org(session)
    editor = caller_for(session, client, factories.user(session, role="editor", org=org))
    person = org.people[0]
    removed = editor.send("POST", f"/organisations/{org.id}/people/{person.id}/delete", {})
    removal_id = re.search(r"removed=([\w-]+)", removed.headers["location"]).group(1)

    restored = editor.send("POST", f"/api/v1/removals/{removal_id}/restore")

    assert restored.status_code == 200
    assert session.get(Person, person.id) is not None


def test_the_openapi_schema_documents_removal_and_restore(client: Any) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    restore = schema["paths"]["/api/v1/removals/{removal}/restore"]["post"]
    assert {"200", "404", "409", "410"} <= set(restore["responses"])
    for path in (
        "/api/v1/sites/{site_id}",
        "/api/v1/people/{person_id}",
        "/api/v1/capabilities/{capability_id}",
        "/api/v1/organisations/{org_id}/members/{user_id}",
    ):
        headers = schema["paths"][path]["delete"]["responses"]["204"]["headers"]
        assert "Upland-Removal" in headers, path
