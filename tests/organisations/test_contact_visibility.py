"""Contact people are shown (name, job title, e-mail, phone) only to those their consent allows,
on every output: profile page, print page, JSON API, CSV/JSON/XLSX exports. Others get a count.

One world: a public member organisation in Lublin with a `public`, a `members` and a `private`
contact, each with a name, title, e-mail and phone found nowhere else; every actor of the
security model reads every output with a bearer token (anonymous without one).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session
from tests import factories

from upland.accounts import service as account_service
from upland.actor import SYSTEM

LEVELS = ("public", "members", "private")
# level → what each actor sees; the rule of docs/permissions.md ("Contact people")
SEES: dict[str, set[str]] = {
    "anonymous": {"public"},
    "non-member organisation": {"public"},
    "member organisation": {"public", "members"},
    "officer": {"public", "members"},
    "own viewer": set(LEVELS),
    "coordinator": set(LEVELS),
    "platform admin": set(LEVELS),
}


@dataclass
class World:
    org_id: int
    tokens: dict[str, str | None]


def _person(level: str) -> dict[str, str]:
    return {
        "full_name": f"Osoba{level.capitalize()} Nazwisko",
        "role_title": f"Stanowisko{level.capitalize()}",
        "email": f"{level}.osoba@contact.example",
        "phone": {"public": "+48 81 111 11 11", "members": "+48 81 222 22 22"}.get(
            level, "+48 81 333 33 33"
        ),
        "contact_visibility": level,
    }


def _marks(level: str) -> list[str]:
    person = _person(level)
    return [person["full_name"], person["role_title"], person["email"], person["phone"]]


def _token(session: Session, account: Any) -> str:
    return account_service.issue_token(session, SYSTEM, account.id, "tests")[1]


@pytest.fixture
def world(session: Session) -> World:
    org = factories.organisation(session, people=[_person(level) for level in LEVELS])
    member = factories.organisation(session, people=[])
    outsider = factories.organisation(session, people=[], membership_status="applicant")
    accounts = {
        "non-member organisation": factories.user(session, role="viewer", org=outsider),
        "member organisation": factories.user(session, role="viewer", org=member),
        "officer": factories.user(session, role="officer", teryt="0663011"),
        "own viewer": factories.user(session, role="viewer", org=org),
        "coordinator": factories.user(session, role="coordinator"),
        "platform admin": factories.user(session, role="platform-admin"),
    }
    tokens: dict[str, str | None] = {"anonymous": None}
    tokens.update({name: _token(session, account) for name, account in accounts.items()})
    return World(org.id, tokens)


def _get(client: TestClient, world: World, actor: str, path: str) -> Any:
    token = world.tokens[actor]
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = client.get(path, headers=headers)
    assert response.status_code == 200, (actor, path, response.status_code)
    return response


def _texts(client: TestClient, world: World, actor: str) -> dict[str, str]:
    """Every output's text, for one actor."""
    org = world.org_id
    xlsx = _get(client, world, actor, "/api/v1/organisations/export?format=xlsx").content
    cells = []
    for sheet in load_workbook(io.BytesIO(xlsx), read_only=True).worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells += [str(v) for v in row if v is not None]
    return {
        "profile": _get(client, world, actor, f"/organisations/{org}?lang=en").text,
        "print": _get(client, world, actor, f"/organisations/{org}/print?lang=en").text,
        "api": _get(client, world, actor, f"/api/v1/organisations/{org}").text,
        "csv": _get(client, world, actor, "/api/v1/organisations/export?format=csv").text,
        "json": _get(client, world, actor, "/api/v1/organisations/export?format=json").text,
        "xlsx": "\n".join(cells),
    }


@pytest.mark.parametrize("actor", list(SEES))
def test_each_output_shows_a_contact_only_to_those_its_consent_allows(
    client: TestClient, world: World, actor: str
) -> None:
    texts = _texts(client, world, actor)

    for output, text in texts.items():
        for level in LEVELS:
            for mark in _marks(level):
                if level in SEES[actor]:
                    # the CSV/JSON exports carry one contact per organisation: the first visible
                    if output in ("csv", "json") and level != min(SEES[actor], key=LEVELS.index):
                        continue
                    if output in ("csv", "json") and mark == _person(level)["role_title"]:
                        continue  # no job title column there
                    assert mark in text, (actor, output, level, mark)
                else:
                    assert mark not in text, (actor, output, level, mark)


@pytest.mark.parametrize("actor", list(SEES))
def test_the_api_and_the_pages_count_the_contacts_not_shown(
    client: TestClient, world: World, actor: str
) -> None:
    read = _get(client, world, actor, f"/api/v1/organisations/{world.org_id}").json()
    profile = _get(client, world, actor, f"/organisations/{world.org_id}?lang=en").text
    printed = _get(client, world, actor, f"/organisations/{world.org_id}/print?lang=en").text

    hidden = {level: int(level not in SEES[actor]) for level in ("members", "private")}
    assert read["hidden_contacts"] == hidden
    assert len(read["people"]) == 3 - sum(hidden.values())
    for page in (profile, printed):
        assert ("1 more contact for members" in page) == bool(hidden["members"])
        assert ("1 more contact for the organisation" in page) == bool(hidden["private"])


def test_the_count_reads_in_polish(client: TestClient, world: World) -> None:
    page = _get(client, world, "anonymous", f"/organisations/{world.org_id}?lang=pl").text

    assert "1 kolejna osoba kontaktowa widoczna dla członków" in page
    assert "widoczna tylko dla użytkowników organizacji" in page
