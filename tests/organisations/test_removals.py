"""Removing a site, person or capability asks first (a page, no script needed) and can be
undone: the row is gone from the profile, lists and search, and comes back intact."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for

from upland.audit import AuditEntry
from upland.organisations import removals
from upland.organisations.models import (
    Organisation,
    OrganisationCapability,
    Person,
    RemovedRecord,
    Site,
)

MODELS = {"sites": Site, "people": Person, "capabilities": OrganisationCapability}


def _columns(row: Any) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in row.__table__.columns}


def _removal_of(response: Any) -> str:
    found = re.search(r"removed=([\w-]+)", response.headers["location"])
    assert found, response.headers["location"]
    return found.group(1)


def _record(session: Session, token: str) -> RemovedRecord | None:
    return session.scalar(select(RemovedRecord).where(RemovedRecord.token == token))


@pytest.mark.parametrize("kind", MODELS)
def test_remove_asks_first_then_undo_brings_the_row_back_intact(
    session: Session, client: Any, kind: str
) -> None:
    org = factories.organisation(
        session,
        sites=[
            {"teryt": "0663011", "street": "ul. Główna 1", "is_headquarters": True},
            {"teryt": "1463011", "street": "ul. Radomska 7", "postal_code": "26-600"},
        ],
    )
    child = getattr(org, kind)[-1]
    before = _columns(child)
    caller = caller_for(session, client, factories.user(session, role="admin", org=org))

    profile = caller.send("GET", f"/organisations/{org.id}")
    link = f"/organisations/{org.id}/{kind}/{child.id}/delete"
    assert f'href="{link}"' in profile.text
    confirm = caller.send("GET", link)
    assert confirm.status_code == 200
    assert f'action="{link}"' in confirm.text
    assert session.get(MODELS[kind], child.id) is not None, "asking removed it"

    removed = caller.send("POST", link, {})
    assert removed.status_code == 303
    removal_id = _removal_of(removed)
    session.expire_all()
    assert session.get(MODELS[kind], child.id) is None
    page = caller.send("GET", removed.headers["location"])
    assert f'action="/organisations/{org.id}/removals/{removal_id}/restore"' in page.text

    restored = caller.send("POST", f"/organisations/{org.id}/removals/{removal_id}/restore", {})
    assert restored.status_code == 303
    session.expire_all()
    back = session.get(MODELS[kind], child.id)
    assert back is not None and _columns(back) == before
    again = caller.send("POST", f"/organisations/{org.id}/removals/{removal_id}/restore", {})
    assert again.status_code == 409, "undone twice"
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None and entry.action.endswith(".restore")


def test_a_removed_site_leaves_the_list_and_search_and_returns_on_undo(
    session: Session, client: Any
) -> None:
    org = factories.organisation(
        session,
        short_name="Kuźnia Dwa Zakłady",
        sites=[
            {"teryt": "0663011", "is_headquarters": True},
            {"teryt": "1463011", "locality": "Radom"},
        ],
    )
    caller = caller_for(session, client, factories.user(session, role="coordinator"))
    radom_site = org.sites[1]
    listed = caller.send("GET", "/api/v1/organisations?city=1463011")
    assert org.id in {o["id"] for o in listed.json()["items"]}
    removed = caller.send("POST", f"/organisations/{org.id}/sites/{radom_site.id}/delete", {})
    listed = caller.send("GET", "/api/v1/organisations?city=1463011")
    assert org.id not in {o["id"] for o in listed.json()["items"]}
    caller.send("POST", f"/organisations/{org.id}/removals/{_removal_of(removed)}/restore", {})
    listed = caller.send("GET", "/api/v1/organisations?city=1463011")
    assert org.id in {o["id"] for o in listed.json()["items"]}


def test_a_removal_cannot_be_undone_after_the_window_nor_on_another_profile(
    session: Session, client: Any
) -> None:
    org = factories.organisation(session)
    other = factories.organisation(session)
    caller = caller_for(session, client, factories.user(session, role="coordinator"))
    capability = org.capabilities[0]
    removed = caller.send(
        "POST", f"/organisations/{org.id}/capabilities/{capability.id}/delete", {}
    )
    removal_id = _removal_of(removed)
    wrong = caller.send("POST", f"/organisations/{other.id}/removals/{removal_id}/restore", {})
    assert wrong.status_code == 404
    record = _record(session, removal_id)
    assert record is not None
    record.removed_at -= removals.UNDO_WINDOW + dt.timedelta(minutes=1)
    session.flush()
    late = caller.send("POST", f"/organisations/{org.id}/removals/{removal_id}/restore", {})
    assert late.status_code == 410
    session.expire_all()
    assert session.get(OrganisationCapability, capability.id) is None


def test_expired_removals_are_purged_when_another_is_recorded(
    session: Session, client: Any
) -> None:
    org = factories.organisation(session)
    caller = caller_for(session, client, factories.user(session, role="coordinator"))
    first = caller.send("POST", f"/organisations/{org.id}/people/{org.people[0].id}/delete", {})
    record = _record(session, _removal_of(first))
    assert record is not None
    record.removed_at -= removals.UNDO_WINDOW * 2
    session.flush()
    second = f"/organisations/{org.id}/capabilities/{org.capabilities[0].id}/delete"
    assert caller.send("POST", second, {}).status_code == 303
    session.expire_all()
    assert _record(session, _removal_of(first)) is None
    assert session.scalars(select(RemovedRecord.kind)).all() == ["capabilities"]


def test_a_child_of_another_organisation_is_not_removed_through_this_one(
    session: Session, client: Any
) -> None:
    org = factories.organisation(session)
    other = factories.organisation(session)
    caller = caller_for(session, client, factories.user(session, role="coordinator"))
    site = other.sites[0]
    assert caller.send("GET", f"/organisations/{org.id}/sites/{site.id}/delete").status_code == 404
    response = caller.send("POST", f"/organisations/{org.id}/sites/{site.id}/delete", {})
    assert response.status_code == 404
    session.expire_all()
    assert session.get(Site, site.id) is not None


def test_a_viewer_may_neither_see_the_confirmation_nor_undo(session: Session, client: Any) -> None:
    org = factories.organisation(session)
    admin = caller_for(session, client, factories.user(session, role="admin", org=org))
    removed = admin.send("POST", f"/organisations/{org.id}/people/{org.people[0].id}/delete", {})
    viewer = caller_for(session, client, factories.user(session, role="viewer", org=org))
    restore = f"/organisations/{org.id}/removals/{_removal_of(removed)}/restore"
    assert viewer.send("POST", restore, {}).status_code == 403
    site = f"/organisations/{org.id}/sites/{org.sites[0].id}/delete"
    assert viewer.send("GET", site).status_code == 403
    session.expire_all()
    assert session.get(Organisation, org.id) is not None and org.people == []


def test_a_removed_contact_is_in_the_users_export_and_goes_with_their_erasure(
    session: Session, client: Any
) -> None:
    from upland import personal_data

    org = factories.organisation(session)
    person = org.people[0]
    holder = factories.user(session, email=person.email)
    caller = caller_for(session, client, factories.user(session, role="coordinator"))
    removed = caller.send("POST", f"/organisations/{org.id}/people/{person.id}/delete", {})
    record_id = _removal_of(removed)
    exported = personal_data.exported(session, holder.id)["removed_contacts"]
    assert [c["email"] for c in exported] == [person.email]
    personal_data.erase(session, holder.id)
    session.expire_all()
    assert _record(session, record_id) is None


def test_undo_is_offered_only_for_a_removal_that_can_be_undone_here(
    session: Session, client: Any
) -> None:
    """A `?removed=…` typed or kept in an old address shows no Undo that would then 404."""
    org = factories.organisation(session)
    other = factories.organisation(session)
    admin_user = factories.user(session, role="admin", org=org)
    admin = caller_for(session, client, admin_user)
    removed = admin.send("POST", f"/organisations/{org.id}/people/{org.people[0].id}/delete", {})
    removal_id = _removal_of(removed)
    assert removed.headers["location"].endswith("#notice")
    undo = f"/removals/{removal_id}/restore"

    def offered(caller: Any, org_id: int, removal: str) -> bool:
        page = caller.send("GET", f"/organisations/{org_id}?removed={removal}")
        assert page.status_code == 200
        return 'class="notice undo"' in page.text

    assert offered(admin, org.id, removal_id)
    assert undo in admin.send("GET", f"/organisations/{org.id}?removed={removal_id}").text
    for nonsense in (
        removal_id[:-1] + ("A" if removal_id[-1] != "A" else "B"),
        "1",
        "0",
        "-1",
        "x" * 40,
        removal_id + "-",
    ):
        assert not offered(admin, org.id, nonsense), nonsense
    coordinator = caller_for(session, client, factories.user(session, role="coordinator"))
    assert not offered(coordinator, other.id, removal_id), "another organisation's removal"
    viewer = caller_for(session, client, factories.user(session, role="viewer", org=org))
    assert not offered(viewer, org.id, removal_id), "the viewer may not undo"

    admin = caller_for(session, client, admin_user)  # the callers share one browser
    record = _record(session, removal_id)
    assert record is not None
    record.removed_at -= removals.UNDO_WINDOW + dt.timedelta(minutes=1)
    session.flush()
    assert not offered(admin, org.id, removal_id), "expired"
    record.removed_at += removals.UNDO_WINDOW
    session.flush()
    restored = admin.send("POST", f"/organisations/{org.id}{undo}", {})
    assert restored.headers["location"].endswith("?restored=people#notice")
    assert not offered(admin, org.id, removal_id), "already restored"
    page = admin.send("GET", restored.headers["location"]).text
    notice = page.index('id="notice"')
    assert page.index('id="PersonIn"') < notice < page.index("</section>", notice), (
        "the notice stands at the top of the section the user was in"
    )
