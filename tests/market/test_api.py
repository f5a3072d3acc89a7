"""The marketplace's JSON API: the shapes the pages share, errors as codes, never a 500."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import log_in

from upland.accounts.service import issue_token
from upland.actor import SYSTEM

TODAY = dt.datetime.now(dt.UTC).date()


def _bearer(session: Session, org, role: str = "editor") -> tuple[dict[str, str], object]:
    account = factories.user(session, role=role, org=org)
    _, token = issue_token(session, SYSTEM, account.id, "tests")
    return {"authorization": f"Bearer {token}"}, account


def test_create_edit_publish_and_list(session: Session, client: TestClient):
    owner = factories.organisation(session)
    headers, _ = _bearer(session, owner)
    body = {
        "kind": "capacity_offer",
        "owner_id": owner.id,
        "title_pl": "Wolne godziny na centrum obróbczym",
        "description_pl": "<script>alert(1)</script> 40 godzin tygodniowo",
        "process": "frezowanie",
        "machine": "DMG Mori DMU 50",
        "hours_per_week": 40,
        "available_from": TODAY.isoformat(),
        "available_to": (TODAY + dt.timedelta(days=30)).isoformat(),
        "visibility": "public",
    }
    made = client.post("/api/v1/opportunities", json=body, headers=headers)
    assert made.status_code == 201, made.text
    oid = made.json()["id"]
    assert made.json()["status"] == "draft" and "submit" in made.json()["actions"]
    anonymous = client.get(f"/api/v1/opportunities/{oid}")
    assert anonymous.status_code == 404  # a draft is its owner's alone
    changed = client.patch(
        f"/api/v1/opportunities/{oid}", json={"hours_per_week": 30}, headers=headers
    )
    assert changed.json()["hours_per_week"] == 30
    published = client.post(f"/api/v1/opportunities/{oid}/submit", headers=headers)
    assert published.json()["status"] == "published"
    listed = client.get("/api/v1/opportunities?kind=capacity_offer").json()
    assert [i["id"] for i in listed["items"]] == [oid] and listed["total"] == 1
    assert set(listed) == {"items", "total", "next_cursor", "prev_cursor"}
    again = client.post(f"/api/v1/opportunities/{oid}/submit", headers=headers)
    assert again.status_code == 409 and again.json()["code"] == "market.transition"


def test_invalid_input_names_the_fields(session: Session, client: TestClient):
    owner = factories.organisation(session)
    headers, _ = _bearer(session, owner)
    body = {
        "kind": "business_offer",
        "owner_id": owner.id,
        "title_pl": "T",
        "description_pl": "O",
        "trl": 4,
        "expires_on": (TODAY - dt.timedelta(days=1)).isoformat(),
    }
    answer = client.post("/api/v1/opportunities", json=body, headers=headers)
    assert answer.status_code == 422
    assert {e["field"] for e in answer.json()["errors"]} == {"trl", "expires_on"}
    too_long = client.post(
        "/api/v1/opportunities", json={**body, "title_pl": "x" * 201}, headers=headers
    )
    assert too_long.status_code == 422
    bad_type = client.post("/api/v1/opportunities", json={**body, "trl": "high"}, headers=headers)
    assert bad_type.status_code == 422


def test_logged_in_pages_use_the_same_api(session: Session, client: TestClient):
    owner = factories.organisation(session)
    account = factories.user(session, role="editor", org=owner)
    log_in(client, account.email)
    assert client.get("/api/v1/access-requests").json() == []
