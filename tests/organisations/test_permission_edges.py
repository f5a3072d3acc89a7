"""Registry permission cases the route matrix does not spell out: hidden organisations answer
like missing ones, child rows are checked against their own organisation, and only staff
change an organisation's kind and membership status."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for
from tests.organisations.matrix_rows import EDIT_FORM, build_world, capabilities, person_name, sites

from upland.accounts.models import User
from upland.organisations.models import Organisation


def _account(session: Session, world: Any, actor: str) -> User | None:
    account = world.accounts[actor]
    return account and session.get(User, account[0])


def test_writes_to_a_hidden_organisation_answer_like_a_missing_one(
    session: Session, client: Any
) -> None:
    world = build_world(session, "restricted")
    target = world.shared["target"]
    caller = caller_for(session, client, _account(session, world, "outsider"))
    body = {"description_pl": "x"}
    missing = caller.send("PATCH", f"/api/v1/organisations/{target + 1000}", body)
    hidden = caller.send("PATCH", f"/api/v1/organisations/{target}", body)
    assert missing.status_code == 404
    assert hidden.status_code == missing.status_code


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/organisations/{own}/sites/{site}/delete", {}),
        ("POST", "/organisations/{own}/people/{person}/erase", {}),
        ("POST", "/organisations/{own}/capabilities/{capability}/delete", {}),
        ("DELETE", "/api/v1/sites/{site}", None),
        ("PUT", "/api/v1/people/{person}", {"full_name": "Przejęta"}),
    ],
)
def test_child_writes_check_the_child_s_own_organisation(
    method: str, path: str, body: dict[str, Any] | None, session: Session, client: Any
) -> None:
    """An editor of one organisation cannot reach another's rows through their own URL."""
    world = build_world(session, "public")
    fields = world.fields("other_viewer")
    other = session.get(Organisation, fields["other"])
    editor = factories.user(session, role="editor", org=other)
    caller = caller_for(session, client, editor)
    url = path.format(
        own=fields["other"],
        site=fields["site"],
        person=fields["public"],
        capability=fields["capability"],
    )
    before = (sites(session, fields), person_name(session, fields), capabilities(session, fields))

    response = caller.send(method, url, body)

    assert response.status_code == 403
    session.expire_all()
    after = (sites(session, fields), person_name(session, fields), capabilities(session, fields))
    assert after == before
    target = session.get(Organisation, fields["target"])
    assert target is not None and all(p.erased_at is None for p in target.people)


@pytest.mark.parametrize("via", ["form", "api"])
def test_only_staff_change_membership_status_and_kind(
    via: str, session: Session, client: Any
) -> None:
    world = build_world(session, "public")
    target = world.shared["target"]
    caller = caller_for(session, client, _account(session, world, "own_editor"))
    changes = {"membership_status": "former", "kind": "research"}

    if via == "form":
        response = caller.send("POST", f"/organisations/{target}/edit", EDIT_FORM | changes)
        assert response.status_code == 303  # the rest of the form is saved
    else:
        response = caller.send("PATCH", f"/api/v1/organisations/{target}", changes)
        assert response.status_code == 403

    session.expire_all()
    org = session.get(Organisation, target)
    assert org is not None
    assert (org.membership_status, org.kind) == ("member", "company")
