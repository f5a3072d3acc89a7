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


# --- bad input: a clear error or safe rendering, never a 500 ------------------------------------

NASTY_WORDS = [
    '"',
    '"unclosed',
    "*",
    "a*",
    "NEAR(odlew wał)",
    "odlew OR",
    "AND NOT",
    "-odlew",
    "^odlew",
    "title_pl:odlew",
    "search_text:x",
    "{search_title}:x",
    "'; DROP TABLE opportunity; --",
    "%_\\",
    "odlew\x00",
    "😀 łódź ŻÓŁĆ",
    "\u202eodlew",
    "a" * 5000,
    "(((((",
    "!:&|<->",
]


@pytest.mark.parametrize("q", NASTY_WORDS)
def test_any_search_text_is_answered_never_a_500(session: Session, client: Any, q: str):
    _world(session)
    caller = _as(session, client, None)
    for path in ("/api/v1/opportunities", "/market", "/market/export.csv"):
        for sort in ("relevance", "deadline", "newest"):
            answer = caller.client.get(path, params={"q": q, "sort": sort})
            assert answer.status_code in (200, 422), (path, sort, answer.status_code)


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "0"},
        {"limit": "-1"},
        {"limit": "abc"},
        {"limit": str(10**20)},
        {"after": "!!!"},
        {"after": "eyJvIjogMTAwMDAwMDAwMH0"},  # {"o": 1000000000}
        {"after": "eyJvIjogLTF9"},  # {"o": -1}
        {"after": "eyJvIjogIjEwIn0"},  # {"o": "10"}
        {"after": "W10"},  # []
        {"before": "bnVsbA"},  # null
        {"sort": "evil"},
        {"kind": "<script>"},
        {"trl_min": "abc"},
        {"trl_min": "99"},
        {"trl_min": "7", "trl_max": "2"},
        {"published_since": "2024-02-30"},
        {"published_since": "99999-01-01"},
        {"published_until": "0001-01-01"},
        {"city": "<script>alert(1)</script>"},
        {"pkd": "%"},
        {"pkd": "29.3%"},
        {"pkd": "x" * 1000},
        {"capability": "../../etc/passwd"},
        {"certification": "cnc-milling"},
        {"owner_kind": "government"},
    ],
)
def test_any_list_parameter_is_answered_never_a_500(session: Session, client: Any, params):
    _world(session)
    caller = _as(session, client, None)
    for path in ("/api/v1/opportunities", "/market", "/market/export.csv", "/market/export.json"):
        answer = caller.client.get(path, params=params)
        assert answer.status_code in (200, 422), (path, answer.status_code)
        if path != "/market" and answer.status_code == 200 and path.startswith("/api"):
            assert isinstance(answer.json()["items"], list)


def test_bad_ids_in_paths_are_not_found_or_invalid(session: Session, client: Any):
    caller = _as(session, client, None)
    for path in (
        "/market/99999999999999999999999",
        "/market/0",
        "/api/v1/opportunities/-1",
        "/api/v1/opportunities/99999999999999999999999",
        "/market/attachments/abc",
        "/market/attachments/99999999999999999999999",
        "/api/v1/interests/1e9",
        "/market/dashboard?by=century",
    ):
        assert caller.client.get(path).status_code in (401, 403, 404, 422), path


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"expires_on": (TODAY - dt.timedelta(days=1)).isoformat()}, "expires_on"),
        ({"expires_on": "2024-02-30"}, "expires_on"),
        ({"expires_on": "99999-12-31"}, "expires_on"),
        ({"deadline": 20250101}, "deadline"),
        ({"title_pl": "x" * 201}, "title_pl"),
        ({"title_pl": ["a", "b"]}, "title_pl"),
        ({"title_pl": "Ti\x00tle"}, "title_pl"),
        ({"title_pl": "line\nbreak"}, "title_pl"),
        ({"description_pl": "x" * 10_001}, "description_pl"),
        ({"description_pl": "bell\x07"}, "description_pl"),
        ({"trl": 10**30}, "trl"),
        ({"trl": True}, "trl"),
        ({"hours_per_week": "forty"}, "hours_per_week"),
        ({"places": ["<script>"]}, "places"),
        ({"named": [10**30]}, "named"),
        ({"visibility": "everyone"}, "visibility"),
        ({"anonymous": "maybe"}, "anonymous"),
        ({"pkd_codes": [{"code": "29.32.Z", "version": 1999}]}, "pkd_codes"),
        ({"capabilities": [{"term": "x" * 81}]}, "capabilities"),
    ],
)
def test_bad_api_input_is_a_422_naming_the_field(
    session: Session, client: Any, change: dict[str, Any], field: str
):
    w = _world(session)
    before = _fields(session, w.anonymous.id)
    caller = _as(session, client, w.owner_editor)
    answer = caller.send("PATCH", f"/api/v1/opportunities/{w.anonymous.id}", change)
    assert answer.status_code == 422, answer.text
    fields = {str(e.get("field", "")) for e in answer.json()["errors"]}
    assert any(f.split(".")[0] == field for f in fields), fields
    assert _fields(session, w.anonymous.id) == before


@pytest.mark.parametrize(
    "form",
    [
        {"trl": "abc", "kind": "technology_offer"},
        {"expires_on": "yesterday"},
        {"expires_on": "2024-13-01"},
        {"expires_on": (TODAY - dt.timedelta(days=3)).isoformat()},
        {"hours_per_week": "1e9", "kind": "capacity_offer"},
        {"deadline": "0000-00-00"},
        {"kind": "nonsense"},
        {"owner_id": "abc"},
        {"owner_id": "99999999999999999999"},
        {"title_pl": "x" * 5000},
        {"title_pl": "a\x00b"},
        {"named": "; ; 99999999999999999999"},
        {"places": "<script>"},
        {"pkd": "29.32.Z@abc"},
        {"pkd": "29.32.Z@99999999999999999999"},
        {"capabilities_offered": "no-such-term"},
        {"partnership_types": "marriage"},
    ],
)
def test_bad_form_input_is_a_page_with_errors(session: Session, client: Any, form: dict[str, str]):
    w = _world(session)
    caller = _as(session, client, w.owner_editor)
    body = {
        "kind": "business_offer",
        "owner_id": str(w.owner.id),
        "title_pl": "Tytuł",
        "description_pl": "Opis",
        "visibility": "members",
        **form,
    }
    made = caller.send("POST", "/market/new", body)
    assert made.status_code == 422, (made.status_code, made.text[:300])
    if "owner_id" not in form:  # the edit form never reads an owner: nothing to refuse
        edited = caller.send("POST", f"/market/{w.anonymous.id}/edit", body)
        assert edited.status_code == 422, (edited.status_code, edited.text[:300])


def test_script_in_every_text_field_is_rendered_as_text(session: Session, client: Any):
    owner = factories.organisation(session, short_name=SCRIPT)
    editor = factories.user(session, role="editor", org=owner)
    texts = {
        "title_pl": SCRIPT,
        "title_en": SCRIPT,
        "description_pl": SCRIPT,
        "description_en": SCRIPT,
        "advantages": SCRIPT,
        "innovation": SCRIPT,
        "process": SCRIPT,
        "machine": SCRIPT,
    }
    made = factories.opportunity(
        session,
        owner,
        factories.actor_of(session, editor),
        publish=True,
        kind="capacity_offer",
        hours_per_week=10,
        visibility="public",
        **texts,
    )
    for account in (None, editor):
        caller = _as(session, client, account)
        for path in (f"/market/{made.id}", "/market", f"/market?q={SCRIPT}", "/market/mine"):
            page = caller.send("GET", path)
            if page.status_code in (303, 401, 403):  # /market/mine sends a visitor to log in
                continue
            assert page.status_code == 200, path
            assert SCRIPT not in page.text, path
        exported = caller.send("GET", "/market/export.csv").text
        assert exported.count("&lt;") == 0  # CSV holds the text as written, not HTML


def test_the_pages_about_one_opportunity_do_not_confirm_a_hidden_one(session: Session, client: Any):
    """Its interests and bookings answer an outsider exactly as for an id that never was."""
    w = _world(session)
    draft = factories.opportunity(session, w.owner)
    for account in (None, w.stranger_editor):
        caller = _as(session, client, account)
        for suffix in ("interests", "bookings", "calendar"):
            nothing = caller.send("GET", f"/api/v1/opportunities/999999999/{suffix}").status_code
            for oid in (w.hidden.id, draft.id):
                answer = caller.send("GET", f"/api/v1/opportunities/{oid}/{suffix}")
                assert answer.status_code == nothing, (suffix, oid, answer.text)
        for suffix in ("interests", "bookings"):
            nothing = caller.send("GET", f"/market/999999999/{suffix}").status_code
            for oid in (w.hidden.id, draft.id):
                answer = caller.send("GET", f"/market/{oid}/{suffix}")
                assert answer.status_code == nothing, (suffix, oid)


def test_the_dashboard_is_for_the_coordinator_and_officers_only(session: Session, client: Any):
    w = _world(session)
    for account in (None, w.stranger_editor, w.owner_editor):
        caller = _as(session, client, account)
        for path in ("/market/dashboard", "/market/dashboard/export.csv"):
            assert caller.send("GET", path).status_code in (303, 401, 403, 404), path
    officer = _as(session, client, factories.user(session, role="officer", teryt="1463011"))
    for path in ("/market/dashboard", "/market/dashboard/export.csv"):
        answer = officer.send("GET", path)
        assert answer.status_code == 200 and OWNER_NAME not in answer.text, path


def test_the_starting_page_panel_shows_no_hidden_detail_or_owner(session: Session, client: Any):
    w = _world(session)
    for account in (w.stranger_editor, factories.user(session, role="officer", teryt="1463011")):
        caller = _as(session, client, account)
        for path in ("/", "/start"):
            page = caller.send("GET", path)
            assert page.status_code in (200, 303), path
            assert SECRET not in page.text and OWNER_NAME not in page.text, path


def test_filtering_by_an_organisation_does_not_reveal_an_anonymous_owner(session: Session):
    """The interested side filtered its interests (and the booker its bookings) by an
    organisation as receiver or owner (`?organisation_id=X&direction=received`): its own
    answer to an anonymous opportunity came back only for X its owner, so trying every
    organisation named it. Such a filter matches an owner only where the reader knows it."""
    from tests.market.interest_world import pair

    from upland.market.interests import queries as interests
    from upland.market.interests import service as answers
    from upland.market.interests.schemas import BookingIn, InterestIn

    lab = pair(
        session,
        owner_kind="research",
        kind="infrastructure_offer",
        equipment="Hamownia podwoziowa",
        anonymous=True,
    )
    bystander = factories.organisation(session)
    answers.express_interest(session, lab.other_editor, lab.opportunity.id, InterestIn())
    day = TODAY + dt.timedelta(days=3)
    answers.request_booking(
        session,
        lab.other_editor,
        lab.opportunity.id,
        BookingIn(starts_on=day, ends_on=day, purpose="Testy"),
    )
    asker = lab.other_editor
    for org in (lab.owner, bystander):
        received = interests.list_interests(
            session, asker, organisation_id=org.id, direction="received"
        )
        counted = interests.count_interests(
            session, asker, organisation_id=org.id, direction="received"
        )
        booked = interests.list_bookings(session, asker, organisation_id=org.id)
        assert (len(received), counted, len(booked)) == (0, 0, 0), org.id
    assert len(interests.list_bookings(session, asker, organisation_id=lab.other.id)) == 1
    owner = lab.owner_editor
    assert (
        interests.count_interests(
            session, owner, organisation_id=lab.owner.id, direction="received"
        )
        == 1
    )
    assert len(interests.list_bookings(session, owner, organisation_id=lab.owner.id)) == 1


def test_a_person_answers_only_for_the_organisation_the_opportunity_names(session: Session):
    """Someone who edits both the named organisation and another one answers (or books) only
    on the named one's behalf: the other was never shown the restricted opportunity."""
    from upland.accounts import service as accounts
    from upland.actor import SYSTEM
    from upland.errors import PermissionDenied
    from upland.market.interests import service as answers
    from upland.market.interests.schemas import InterestIn

    w = _world(session)
    accounts.grant_role(session, SYSTEM, w.named_editor.id, "editor", w.stranger.id, None)
    both = factories.actor_of(session, w.named_editor)
    with pytest.raises(PermissionDenied):
        answers.express_interest(
            session, both, w.hidden.id, InterestIn(organisation_id=w.stranger.id)
        )
    made = answers.express_interest(
        session, both, w.hidden.id, InterestIn(organisation_id=w.named.id)
    )
    assert made.organisation_id == w.named.id
