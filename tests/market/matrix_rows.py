"""Matrix rows of the marketplace, in one world per visibility of the target opportunity (and
one where its owner is anonymous).

`SEES` restates by hand who sees the published target whole (the rules of
`upland.market.permissions` over the core visibility rule); a restricted one is a teaser to
everyone else. Only the owner's editors change an opportunity; the coordinator reviews; a write
to an opportunity the actor does not see answers 404, as its page does.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests import factories
from tests.matrix import ACTORS, EVERYONE, STAFF, Fields, Row, World, denial, make_accounts

from upland.market import service as market
from upland.market.models import AccessRequest, Attachment, Opportunity
from upland.settings import get_settings

VARIANTS = ("public", "members", "restricted", "anonymous")
OWN = frozenset({"own_viewer", "own_editor", "own_admin"})
EDITORS = frozenset({"own_editor", "own_admin"})
SEES: dict[str, frozenset[str]] = {
    "public": EVERYONE,
    "anonymous": EVERYONE,
    "members": OWN | STAFF | {"other_viewer", "officer_here"},
    "restricted": OWN | STAFF | {"officer_here"},
}
OWNER_NAME = "Matrix Rynek Właściciel"
TITLE = "Matrix rynek frezowanie"
NEW_TITLE = "Matrix rynek nowy tytuł"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
LATER = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=90)).isoformat()
assert set(ACTORS) >= set(SEES["public"])


def build_world(session: Session, variant: str) -> World:
    owner = factories.organisation(session, short_name=OWNER_NAME)
    other = factories.organisation(
        session,
        short_name="Matrix Rynek Inny",
        sites=[{"teryt": "1463011", "locality": "Radom", "is_headquarters": True}],
        people=[],
    )
    editor = factories.actor_of(session, factories.user(session, role="editor", org=owner))
    level = "public" if variant == "anonymous" else variant
    target = factories.opportunity(
        session,
        owner,
        editor,
        publish=True,
        visibility=level,
        anonymous=variant == "anonymous",
        title_pl=TITLE,
        expires_on=LATER,
    )
    draft = factories.opportunity(session, owner, editor, title_pl="Matrix szkic")
    settings = get_settings()
    settings.market_review = True
    try:
        submitted = factories.opportunity(session, owner, editor, title_pl="Matrix zgłoszona")
        market.submit_opportunity(session, editor, submitted.id)
    finally:
        settings.market_review = False
    attachment = market.add_attachment(session, editor, target.id, "oferta.pdf", io.BytesIO(PDF))
    accounts = make_accounts(session, owner.id, other.id)
    shared: Fields = {
        "own": owner.id,
        "other": other.id,
        "target": target.id,
        "draft": draft.id,
        "submitted": submitted.id,
        "attachment": attachment.id,
        "request": 0,
    }
    if variant == "restricted":
        asker = factories.organisation(session, short_name="Matrix Rynek Pytający")
        asker_editor = factories.actor_of(
            session, factories.user(session, role="editor", org=asker)
        )
        request = market.request_access(session, asker_editor, target.id, asker.id, "Prosimy")
        shared["request"] = request.id
    session.flush()
    return World(accounts, shared)


# --- observations --------------------------------------------------------------------------------


def _value(column: Any, key: str) -> Callable[[Session, Fields], Any]:
    def observe(session: Session, f: Fields) -> Any:
        return session.scalar(select(column).where(column.table.c.id == f[key]))

    return observe


def _count(model: type, where: Callable[[Fields], list[Any]]) -> Callable[[Session, Fields], int]:
    def observe(session: Session, f: Fields) -> int:
        return session.scalar(select(func.count()).select_from(model).where(*where(f))) or 0

    return observe


created = _count(Opportunity, lambda f: [Opportunity.title_pl == NEW_TITLE])
title = _value(Opportunity.title_pl, "target")
target_status = _value(Opportunity.status, "target")
draft_status = _value(Opportunity.status, "draft")
draft_exists = _count(Opportunity, lambda f: [Opportunity.id == f["draft"]])
submitted_status = _value(Opportunity.status, "submitted")
expiry = _value(Opportunity.expires_on, "target")
attachments = _count(Attachment, lambda f: [Attachment.opportunity_id == f["target"]])
request_status = _value(AccessRequest.status, "request")
requests = _count(AccessRequest, lambda f: [AccessRequest.opportunity_id == f["target"]])


# --- checks of a success -------------------------------------------------------------------------


def _whole(actor: str, variant: str) -> bool:
    return actor in SEES[variant]


def _owner_shown(actor: str, variant: str) -> bool:
    if variant == "anonymous":
        return actor in OWN | STAFF
    return _whole(actor, variant)


def check_api_list(response: Any, f: Fields, actor: str, variant: str) -> None:
    items = {o["id"]: o for o in response.json()["items"]}
    listed = _whole(actor, variant) or variant == "restricted"
    assert (f["target"] in items) is listed, "listed" if not listed else "not listed"
    if listed:
        row = items[f["target"]]
        assert row["teaser"] is not _whole(actor, variant), "teaser"
        shown = row["owner"] is not None and row["owner"]["name"] == OWNER_NAME
        assert shown is _owner_shown(actor, variant), "owner shown" if shown else "owner hidden"
    assert f["draft"] not in items and f["submitted"] not in items, "a draft or submitted listed"


def check_api_detail(response: Any, f: Fields, actor: str, variant: str) -> None:
    body = response.json()
    assert body["teaser"] is not _whole(actor, variant), "teaser"
    assert (OWNER_NAME in response.text) is _owner_shown(actor, variant), "owner"
    assert ("Wolne moce" in response.text) is _whole(actor, variant), "description"


def check_csv(response: Any, f: Fields, actor: str, variant: str) -> None:
    rows = {int(r["id"]): r for r in csv.DictReader(io.StringIO(response.text.lstrip("\ufeff")))}
    listed = _whole(actor, variant) or variant == "restricted"
    assert (f["target"] in rows) is listed
    assert (OWNER_NAME in response.text) is (listed and _owner_shown(actor, variant)), "owner"


# --- the expectation of one route ----------------------------------------------------------------


def expect(
    method: str, path: str, who: frozenset[str] | set[str], seen: str
) -> Callable[[str, str], int]:
    """`who` succeed; the others get a denial if they see the row `seen` names, else 404.

    `seen`: "target" (the published target), "own" (a draft or submitted one: the owner's users
    and, when submitted, staff), "none" (an upload gate refuses before anything is looked up).
    """

    def status(actor: str, variant: str) -> int:
        if actor in who:
            return -1
        if seen == "target" and not _whole(actor, variant):
            return 404
        if seen == "draft" and actor not in OWN:
            return 404
        if seen == "submitted" and actor not in OWN | STAFF:
            return 404
        return denial(method, path, actor)

    return status


def route(
    name: str,
    method: str,
    path: str,
    who: frozenset[str] | set[str],
    ok: int,
    seen: str,
    **more: Any,
) -> Row:
    decide = expect(method, path, who, seen)

    def status(actor: str, variant: str) -> int:
        found = decide(actor, variant)
        return ok if found == -1 else found

    return Row(name, method, path, status, ok, **more)


def everyone(name: str, method: str, path: str, ok: int, **more: Any) -> Row:
    return Row(name, method, path, lambda actor, variant: ok, ok, **more)


def teaser_or_whole(actor: str, variant: str) -> int:
    return 200 if _whole(actor, variant) or variant == "restricted" else 404


def asking(actor: str, variant: str) -> int:
    """Only a user of another organisation who sees the teaser alone may ask for access."""
    return 201 if actor == "other_viewer" else 403


API = "/api/v1/opportunities"
TARGET = API + "/{target}"
CREATE = {
    "kind": "business_offer",
    "owner_id": "{own}",
    "title_pl": NEW_TITLE,
    "description_pl": "Opis",
}

ROWS: tuple[Row, ...] = (
    everyone("api-list", "GET", API, 200, check=check_api_list),
    everyone("api-search", "GET", API + "?q=frezowanie&sort=relevance", 200, check=check_api_list),
    everyone("api-export", "GET", API + "/export?format=csv", 200, check=check_csv),
    Row("api-detail", "GET", TARGET, teaser_or_whole, 200, check=check_api_detail),
    route(
        "api-create",
        "POST",
        API,
        EDITORS,
        201,
        "none",
        body=CREATE,
        observe=created,
        variants=("public",),
    ),
    route(
        "api-edit",
        "PATCH",
        TARGET,
        EDITORS,
        200,
        "target",
        body={"title_pl": NEW_TITLE},
        observe=title,
    ),
    route("api-delete", "DELETE", API + "/{draft}", EDITORS, 204, "draft", observe=draft_exists),
    route(
        "api-submit", "POST", API + "/{draft}/submit", EDITORS, 200, "draft", observe=draft_status
    ),
    route(
        "api-publish", "POST", API + "/{draft}/publish", EDITORS, 200, "draft", observe=draft_status
    ),
    route(
        "api-approve",
        "POST",
        API + "/{submitted}/approve",
        STAFF,
        200,
        "submitted",
        observe=submitted_status,
    ),
    route(
        "api-return",
        "POST",
        API + "/{submitted}/return",
        STAFF,
        200,
        "submitted",
        body={"reason": "Uzupełnij"},
        observe=submitted_status,
    ),
    route(
        "api-withdraw", "POST", TARGET + "/withdraw", EDITORS, 200, "target", observe=target_status
    ),
    route("api-fulfil", "POST", TARGET + "/fulfil", EDITORS, 200, "target", observe=target_status),
    route(
        "api-renew",
        "POST",
        TARGET + "/renew",
        EDITORS,
        200,
        "target",
        body={"expires_on": "2099-01-01"},
        observe=expiry,
    ),
    Row(
        "api-request-access",
        "POST",
        TARGET + "/access-requests",
        asking,
        201,
        body={"organisation_id": "{other}", "message": "Prosimy o dostęp"},
        observe=requests,
        variants=("restricted",),
    ),
    everyone("api-access-requests", "GET", "/api/v1/access-requests", 200),
    route(
        "api-decide-access",
        "POST",
        "/api/v1/access-requests/{request}/decision",
        EDITORS,
        200,
        "target",
        body={"grant": True},
        observe=request_status,
        variants=("restricted",),
    ),
    route(
        "api-add-attachment",
        "POST",
        TARGET + "/attachments",
        EDITORS,
        201,
        "none",
        files={"file": ("oferta.pdf", PDF)},
        observe=attachments,
    ),
    route(
        "api-remove-attachment",
        "DELETE",
        "/api/v1/attachments/{attachment}",
        EDITORS,
        204,
        "target",
        observe=attachments,
    ),
)
