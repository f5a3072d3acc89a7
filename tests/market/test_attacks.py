"""The marketplace attacked as each credential would attack it (issue 9's quality bars): a
restricted opportunity seen only by whom it names, through every path (page, API, list,
counts, search, exports, attachments, sort order); an anonymous owner never revealed; writes
only by the owner's editors; bad input a clear error, never a 500."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import Caller, caller_for

from upland import storage
from upland.accounts.models import User
from upland.market import service as market
from upland.market.interests.models import Interest
from upland.market.models import Attachment, Opportunity
from upland.organisations.models import Organisation

TODAY = dt.datetime.now(dt.UTC).date()
SECRET = "kriokonserwacja"  # a word only the restricted opportunity's description holds
OWNER_NAME = "Odlewnia Zielonka"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def files(tmp_path):
    local = storage.LocalStorage(tmp_path / "files")
    storage.use(local)
    yield local
    storage.use(None)


@dataclass
class World:
    owner: Organisation
    named: Organisation
    stranger: Organisation
    hidden: Opportunity  # restricted to `named`, anonymous, with SECRET in its description
    anonymous: Opportunity  # for members, anonymous
    owner_editor: User
    owner_viewer: User
    named_editor: User
    stranger_editor: User


def _world(session: Session) -> World:
    owner = factories.organisation(session, short_name=OWNER_NAME, legal_name=OWNER_NAME)
    named = factories.organisation(session)
    stranger = factories.organisation(session)
    owner_editor = factories.user(session, role="editor", org=owner)
    editor = factories.actor_of(session, owner_editor)
    hidden = factories.opportunity(
        session,
        owner,
        editor,
        publish=True,
        visibility="restricted",
        named=[named.id],
        anonymous=True,
        title_pl="Odlew aluminiowy obudowy",
        title_en="Aluminium housing casting",
        description_pl=f"Poufna {SECRET} form piaskowych.",
        description_en=f"Confidential {SECRET} of sand moulds.",
        deadline=TODAY + dt.timedelta(days=20),
        pkd_codes=[{"code": "24.53.Z"}],
    )
    anonymous = factories.opportunity(
        session,
        owner,
        editor,
        publish=True,
        anonymous=True,
        title_pl="Obróbka cieplna wałków",
        description_pl="Hartowanie indukcyjne wałków napędowych.",
    )
    return World(
        owner,
        named,
        stranger,
        hidden,
        anonymous,
        owner_editor,
        factories.user(session, role="viewer", org=owner),
        factories.user(session, role="editor", org=named),
        factories.user(session, role="editor", org=stranger),
    )


def _as(session: Session, client: Any, account: User | None) -> Caller:
    session.commit()
    client.cookies.clear()
    return caller_for(session, client, account)


# --- a restricted opportunity, through every path ----------------------------------------------


def _outsiders(session: Session, w: World) -> dict[str, User | None]:
    return {
        "anonymous visitor": None,
        "other organisation": w.stranger_editor,
        "officer elsewhere": factories.user(session, role="officer", teryt="1463011"),
    }


def test_a_restricted_one_shows_outsiders_only_its_teaser_on_every_path(
    session: Session, client: Any, files
):
    w = _world(session)
    attachment = market.add_attachment(
        session,
        factories.actor_of(session, w.owner_editor),
        w.hidden.id,
        "rysunek.pdf",
        io.BytesIO(PDF),
    )
    for who, account in _outsiders(session, w).items():
        caller = _as(session, client, account)
        page = caller.send("GET", f"/market/{w.hidden.id}")
        assert page.status_code == 200, who
        assert SECRET not in page.text and OWNER_NAME not in page.text, who
        api = caller.send("GET", f"/api/v1/opportunities/{w.hidden.id}").json()
        assert api["teaser"] is True and api["owner"] is None, who
        assert SECRET not in json.dumps(api) and api["description_pl"] == "", who
        found = caller.send("GET", f"/api/v1/opportunities?q={SECRET}").json()
        assert found["items"] == [] and found["total"] == 0, who
        listed = caller.send("GET", "/market?q=" + SECRET)
        assert f"/market/{w.hidden.id}" not in listed.text, who
        for fmt in ("csv", "json"):
            exported = caller.send("GET", f"/market/export.{fmt}")
            assert exported.status_code == 200, who
            assert SECRET not in exported.text and OWNER_NAME not in exported.text, who
        download = caller.send("GET", f"/market/attachments/{attachment.id}")
        assert download.status_code == 404, who
        assert caller.send("GET", f"/api/v1/opportunities/{w.hidden.id}/calendar").status_code in (
            404,
            422,
        ), who


def test_the_named_organisation_sees_it_whole_but_not_its_anonymous_owner(
    session: Session, client: Any
):
    w = _world(session)
    caller = _as(session, client, w.named_editor)
    api = caller.send("GET", f"/api/v1/opportunities/{w.hidden.id}").json()
    assert api["teaser"] is False and SECRET in api["description_pl"]
    assert api["owner"] is None and api["named"] == []
    page = caller.send("GET", f"/market/{w.hidden.id}")
    assert SECRET in page.text and OWNER_NAME not in page.text
    found = caller.send("GET", f"/api/v1/opportunities?q={SECRET}").json()
    assert [i["id"] for i in found["items"]] == [w.hidden.id]


def test_counts_and_facets_do_not_change_for_a_hidden_detail(session: Session, client: Any):
    """A filter on what only the whole shows (TRL, PKD class, place) never counts a teaser,
    so a stranger cannot learn a restricted one's details by narrowing the filter."""
    w = _world(session)
    caller = _as(session, client, w.stranger_editor)
    by_class = caller.send("GET", "/api/v1/opportunities?pkd=24.53").json()
    assert by_class["total"] == 0 and by_class["items"] == []
    by_section = caller.send("GET", "/api/v1/opportunities?pkd=C").json()
    assert [i["teaser"] for i in by_section["items"]] in ([], [True])  # the sector is shown


def test_a_teasers_deadline_does_not_place_it_in_the_deadline_order(session: Session, client: Any):
    """Sorting by deadline must not tell a stranger where a teaser's hidden deadline falls."""
    w = _world(session)
    editor = factories.actor_of(session, w.owner_editor)
    early = factories.opportunity(
        session, w.owner, editor, publish=True, deadline=TODAY + dt.timedelta(days=10)
    )
    late = factories.opportunity(
        session, w.owner, editor, publish=True, deadline=TODAY + dt.timedelta(days=30)
    )
    caller = _as(session, client, w.stranger_editor)
    items = caller.send("GET", "/api/v1/opportunities?sort=deadline&limit=200").json()["items"]
    order = [i["id"] for i in items if i["id"] in {early.id, late.id, w.hidden.id}]
    assert order == [early.id, late.id, w.hidden.id]  # the teaser as if it had no deadline
    assert all("deadline" not in i or i["deadline"] is None for i in items if i["teaser"])


def test_a_404_never_tells_a_draft_or_a_closed_restricted_one_from_nothing(
    session: Session, client: Any
):
    w = _world(session)
    draft = factories.opportunity(session, w.owner, visibility="restricted", named=[w.named.id])
    market.withdraw_opportunity(session, factories.actor_of(session, w.owner_editor), w.hidden.id)
    caller = _as(session, client, w.stranger_editor)
    missing = caller.send("GET", "/api/v1/opportunities/999999999").json()
    for oid in (draft.id, w.hidden.id):
        answer = caller.send("GET", f"/api/v1/opportunities/{oid}")
        assert answer.status_code == 404
        assert answer.json()["code"] == missing["code"]
        interest = caller.send("POST", f"/api/v1/opportunities/{oid}/interests", {"message": "x"})
        assert interest.status_code == 404
        assert interest.json()["code"] == missing["code"]


# --- an anonymous owner -------------------------------------------------------------------------


def test_an_anonymous_owner_is_not_revealed_to_members(session: Session, client: Any):
    w = _world(session)
    caller = _as(session, client, w.stranger_editor)
    api = caller.send("GET", f"/api/v1/opportunities/{w.anonymous.id}").json()
    assert api["owner"] is None and api["anonymous"] is True
    assert "owner_id" not in api and OWNER_NAME not in json.dumps(api)
    assert OWNER_NAME not in caller.send("GET", f"/market/{w.anonymous.id}").text
    listed = caller.send("GET", "/api/v1/opportunities?limit=200").json()
    assert OWNER_NAME not in json.dumps(listed)
    page = caller.send("GET", "/market?limit=200")
    assert OWNER_NAME not in page.text
    exported = caller.send("GET", "/market/export.csv").text
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(exported.lstrip("\ufeff")))}
    row = rows[str(w.anonymous.id)]
    assert row["owner"] == "" and row["owner_kind"] == ""
    assert OWNER_NAME not in exported


def test_searching_an_anonymous_owners_name_or_nip_does_not_find_its_opportunities(
    session: Session, client: Any
):
    w = _world(session)
    caller = _as(session, client, w.stranger_editor)
    for words in ("Zielonka", w.owner.nip):
        found = caller.client.get("/api/v1/opportunities", params={"q": words}).json()
        assert w.anonymous.id not in {i["id"] for i in found["items"]}, words


def test_an_interest_waiting_for_the_owner_does_not_reveal_it(session: Session, client: Any):
    w = _world(session)
    caller = _as(session, client, w.stranger_editor)
    path = f"/api/v1/opportunities/{w.anonymous.id}/interests"
    sent = caller.send("POST", path, {"message": "?"})
    assert sent.status_code == 201, sent.text
    assert OWNER_NAME not in sent.text
    for path in ("/api/v1/interests", f"/api/v1/interests/{sent.json()['id']}"):
        assert OWNER_NAME not in caller.send("GET", path).text, path
    for path in ("/market/interests", f"/market/{w.anonymous.id}", "/market/introductions"):
        assert OWNER_NAME not in caller.send("GET", path).text, path
    assert caller.send("GET", "/api/v1/introductions").json()["items"] == []


# --- writes: only the owner's editors ------------------------------------------------------------


def _fields(session: Session, oid: int) -> tuple[Any, ...]:
    session.expire_all()
    o = session.get(Opportunity, oid)
    assert o is not None
    return (o.title_pl, o.status, o.owner_id, o.expires_on, o.visibility, o.named_ids)


def test_nobody_but_the_owners_editors_changes_an_opportunity(session: Session, client: Any):
    w = _world(session)
    oid = w.anonymous.id
    before = _fields(session, oid)
    writers = {
        "other organisation": w.stranger_editor,
        "own viewer": w.owner_viewer,
        "named organisation": w.named_editor,
        "coordinator": factories.user(session, role="coordinator"),
        "officer here": factories.user(session, role="officer", teryt="0663011"),
    }
    renew = {"expires_on": (TODAY + dt.timedelta(days=90)).isoformat()}
    for who, account in writers.items():
        caller = _as(session, client, account)
        for method, path, body in [
            ("PATCH", f"/api/v1/opportunities/{oid}", {"title_pl": "Przejęte"}),
            ("POST", f"/api/v1/opportunities/{oid}/withdraw", None),
            ("POST", f"/api/v1/opportunities/{oid}/fulfil", None),
            ("POST", f"/api/v1/opportunities/{oid}/renew", renew),
            ("DELETE", f"/api/v1/opportunities/{oid}", None),
            ("POST", f"/market/{oid}/edit", {"title_pl": "Przejęte", "kind": "business_offer"}),
            ("POST", f"/market/{oid}/step/withdraw", {}),
            ("POST", f"/market/{oid}/step/renew", renew),
            ("POST", f"/market/{oid}/delete", {}),
        ]:
            answer = caller.send(method, path, body)
            assert answer.status_code in (403, 404), (who, method, path, answer.status_code)
        assert _fields(session, oid) == before, who


def test_mass_assignment_in_api_bodies_is_refused(session: Session, client: Any):
    w = _world(session)
    oid = w.anonymous.id
    before = _fields(session, oid)
    caller = _as(session, client, w.owner_editor)
    for extra in (
        {"owner_id": w.stranger.id},
        {"status": "fulfilled"},
        {"id": oid + 1000},
        {"published_at": "2018-03-01T00:00:00Z"},
        {"created_by_id": w.stranger_editor.id},
        {"teryt": "1463011"},
    ):
        answer = caller.send("PATCH", f"/api/v1/opportunities/{oid}", {"title_pl": "X", **extra})
        assert answer.status_code == 422, (extra, answer.text)
    assert _fields(session, oid) == before
    body = {"kind": "business_offer", "title_pl": "Nowe", "description_pl": "Opis"}
    as_published = caller.send(
        "POST", "/api/v1/opportunities", {**body, "owner_id": w.owner.id, "status": "published"}
    )
    assert as_published.status_code == 422
    for someone_elses in (w.stranger.id, w.named.id):
        answer = caller.send("POST", "/api/v1/opportunities", {**body, "owner_id": someone_elses})
        assert answer.status_code == 403, answer.text
    assert session.scalar(select(Opportunity.id).where(Opportunity.title_pl == "Nowe")) is None


def test_interests_only_where_open_once_and_decided_by_the_owner(session: Session, client: Any):
    w = _world(session)
    caller = _as(session, client, w.named_editor)
    path = f"/api/v1/opportunities/{w.anonymous.id}/interests"
    on_behalf = caller.send("POST", path, {"message": "x", "organisation_id": w.stranger.id})
    assert on_behalf.status_code == 403
    sent = caller.send("POST", path, {"message": "x"})
    assert sent.status_code == 201
    interest_id = sent.json()["id"]
    twice = caller.send("POST", path, {"message": "again"})
    assert twice.status_code == 409
    self_accept = caller.send("POST", f"/api/v1/interests/{interest_id}/accept", {})
    assert self_accept.status_code in (403, 404)
    for account in (w.stranger_editor, w.owner_viewer, factories.user(session, role="coordinator")):
        other = _as(session, client, account)
        for verb in ("accept", "decline"):
            answer = other.send("POST", f"/api/v1/interests/{interest_id}/{verb}", {})
            assert answer.status_code in (403, 404), (account.email, verb)
        form = other.send("POST", f"/market/interests/{interest_id}/accept", {})
        assert form.status_code in (403, 404)
    session.expire_all()
    assert session.get(Interest, interest_id).status == "pending"
    # withdrawn and expired: closed to interest
    owner = factories.actor_of(session, w.owner_editor)
    market.withdraw_opportunity(session, owner, w.anonymous.id)
    expired = factories.opportunity(session, w.owner, owner, publish=True)
    expired.expires_on = TODAY - dt.timedelta(days=1)
    session.flush()
    caller = _as(session, client, w.stranger_editor)
    for oid in (w.anonymous.id, expired.id):
        answer = caller.send("POST", f"/api/v1/opportunities/{oid}/interests", {"message": "x"})
        assert answer.status_code in (404, 409), answer.text
    assert (
        session.scalar(select(Interest.id).where(Interest.organisation_id == w.stranger.id)) is None
    )


def test_only_the_other_side_confirms_an_agreement(session: Session, client: Any):
    w = _world(session)
    asker = _as(session, client, w.stranger_editor)
    path = f"/api/v1/opportunities/{w.anonymous.id}/interests"
    interest_id = asker.send("POST", path, {"message": "x"}).json()["id"]
    owner = _as(session, client, w.owner_editor)
    intro = owner.send("POST", f"/api/v1/interests/{interest_id}/accept", {}).json()["id"]
    asker = _as(session, client, w.stranger_editor)
    report = asker.send(
        "POST",
        f"/api/v1/introductions/{intro}/outcomes",
        {"kind": "agreement_signed", "agreement_type": "licence"},
    )
    assert report.status_code == 201, report.text
    own = asker.send("POST", f"/api/v1/outcomes/{report.json()['id']}/confirm")
    assert own.status_code == 403, own.text
    outsider = _as(session, client, w.named_editor)
    assert outsider.send("POST", f"/api/v1/outcomes/{report.json()['id']}/confirm").status_code in (
        403,
        404,
    )
    assert outsider.send("GET", f"/api/v1/introductions/{intro}").status_code == 404
    recorded = outsider.send(
        "POST", f"/api/v1/introductions/{intro}/outcomes", {"kind": "meeting_held"}
    )
    assert recorded.status_code in (403, 404)


def test_nobody_decides_access_to_someone_elses_opportunity(session: Session, client: Any):
    w = _world(session)
    asker = factories.actor_of(session, w.stranger_editor)
    request = market.request_access(session, asker, w.hidden.id, w.stranger.id, "proszę")
    for account in (w.stranger_editor, w.named_editor, w.owner_viewer):
        caller = _as(session, client, account)
        answer = caller.send(
            "POST", f"/api/v1/access-requests/{request.id}/decision", {"grant": True}
        )
        assert answer.status_code in (403, 404, 422), (account.email, answer.text)
        form = caller.send("POST", f"/market/access/{request.id}/decision", {"grant": "1"})
        assert form.status_code in (403, 404, 422)
    session.expire_all()
    assert w.stranger.id not in session.get(Opportunity, w.hidden.id).named_ids


def test_every_form_post_without_the_csrf_token_is_refused(session: Session, client: Any):
    w = _world(session)
    _as(session, client, w.owner_editor)
    oid = w.anonymous.id
    before = _fields(session, oid)
    for path, body in [
        (f"/market/{oid}/edit", {"title_pl": "Bez tokenu", "kind": "business_offer"}),
        (f"/market/{oid}/step/withdraw", {}),
        (f"/market/{oid}/delete", {}),
        (f"/market/{w.hidden.id}/interests", {"message": "x"}),
        ("/market/new", {"title_pl": "Bez tokenu", "kind": "business_offer"}),
    ]:
        answer = client.post(path, data=body, follow_redirects=False)
        assert answer.status_code == 403, (path, answer.status_code)
        forged = client.post(path, data={**body, "csrf_token": "forged"}, follow_redirects=False)
        assert forged.status_code == 403, path
    api = client.patch(f"/api/v1/opportunities/{oid}", json={"title_pl": "Bez tokenu"})
    assert api.status_code == 403  # the session cookie alone is not enough for the API
    assert _fields(session, oid) == before


# --- attachments that lie ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("oferta.pdf", b"<html><body><script>alert(1)</script></body></html>"),
        ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("rysunek.jpg", b"GIF89a<script>alert(1)</script>"),
        ("plan.pdf", b"PK\x03\x04" + b"\x00" * 100),
        ("pusty.pdf", b""),
    ],
)
def test_an_attachment_lying_about_its_type_is_refused(
    session: Session, client: Any, files, name: str, content: bytes
):
    w = _world(session)
    caller = _as(session, client, w.owner_editor)
    answer = caller.client.post(
        f"/market/{w.anonymous.id}/attachments",
        data={"csrf_token": caller.csrf},
        files={"file": (name, content, "application/pdf")},
        follow_redirects=False,
    )
    assert answer.status_code == 422, answer.status_code
    assert session.scalar(select(Attachment.id)) is None


def test_a_polyglot_is_served_as_a_download_that_cannot_run(session: Session, client: Any, files):
    w = _world(session)
    caller = _as(session, client, w.owner_editor)
    polyglot = PDF + b"<html><script>alert(document.cookie)</script></html>"
    answer = caller.client.post(
        f"/market/{w.anonymous.id}/attachments",
        data={"csrf_token": caller.csrf},
        files={"file": ('..\\..\\..\\etc/"passwd".html\r\nX-Evil: 1', polyglot, "text/html")},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    attachment = session.scalars(select(Attachment)).one()
    assert "/" not in attachment.name and "\\" not in attachment.name
    assert "\r" not in attachment.name and "\n" not in attachment.name
    download = caller.send("GET", f"/market/attachments/{attachment.id}")
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"
    assert "X-Evil" not in download.headers and "x-evil" not in download.headers


def test_a_stranger_cannot_attach_to_or_remove_from_someone_elses(
    session: Session, client: Any, files
):
    w = _world(session)
    kept = market.add_attachment(
        session,
        factories.actor_of(session, w.owner_editor),
        w.anonymous.id,
        "a.pdf",
        io.BytesIO(PDF),
    )
    caller = _as(session, client, w.stranger_editor)
    answer = caller.client.post(
        f"/market/{w.anonymous.id}/attachments",
        data={"csrf_token": caller.csrf},
        files={"file": ("b.pdf", PDF, "application/pdf")},
        follow_redirects=False,
    )
    assert answer.status_code in (403, 404)
    assert caller.send("POST", f"/market/attachments/{kept.id}/delete", {}).status_code in (
        403,
        404,
    )
    assert caller.send("DELETE", f"/api/v1/attachments/{kept.id}").status_code in (403, 404)
    assert [a.id for a in session.scalars(select(Attachment))] == [kept.id]
