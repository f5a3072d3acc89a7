"""Log-in, sessions, CSRF and API tokens through the web layer."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for, csrf_of, log_in

from upland.accounts import service
from upland.accounts.models import ApiToken, User
from upland.actor import SYSTEM
from upland.app import create_app
from upland.organisations.models import Organisation
from upland.settings import get_settings
from upland.web.deps import get_session


def session_cookie(response: Any) -> str:
    cookies = [c for c in response.headers.get_list("set-cookie") if "upland_session=" in c]
    assert cookies, "no session cookie set"
    return cookies[-1].lower()


def tokens_of(session: Session, account: User) -> int:
    stmt = select(func.count()).select_from(ApiToken).where(ApiToken.user_id == account.id)
    return session.scalar(stmt) or 0


# --- Logging in and out --------------------------------------------------------------------------


def test_log_in_and_out(session: Session, client: TestClient):
    factories.user(session, email="ola@test.example")
    page = client.get("/login", params={"next": "/account"})
    anonymous_token = csrf_of(page)
    assert 'name="next" value="/account"' in page.text

    response = client.post(
        "/login",
        data={
            "email": "Ola@Test.example",
            "password": factories.PASSWORD,
            "csrf_token": anonymous_token,
            "next": "/account",
        },
        follow_redirects=False,
    )

    assert (response.status_code, response.headers["location"]) == (303, "/account")
    cookie = session_cookie(response)
    # Secure: the test deployment's public URL is https://, which UPLAND_HTTPS follows.
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie
    account_page = client.get("/account")
    assert account_page.status_code == 200 and "ola@test.example" in account_page.text
    assert csrf_of(account_page) != anonymous_token  # a fresh token for the new session

    out = client.post("/logout", data={"csrf_token": csrf_of(account_page)}, follow_redirects=False)
    assert out.status_code == 303
    again = client.get("/account", follow_redirects=False)
    assert (again.status_code, again.headers["location"]) == (303, "/login?next=/account")
    assert client.get("/api/v1/me").status_code == 403


def test_session_cookie_is_secure_behind_https(session: Session):
    factories.user(session, email="ola@test.example")
    app = create_app(get_settings().model_copy(update={"https": True}))
    app.dependency_overrides[get_session] = lambda: session
    with TestClient(app, base_url="https://testserver") as client:
        response = log_in(client, "ola@test.example")
    assert response.status_code == 303
    cookie = session_cookie(response)
    assert "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie


@pytest.mark.parametrize("case", ["wrong password", "unknown e-mail", "inactive", "erased"])
def test_failed_log_ins_say_the_same_and_log_nobody_in(
    session: Session, client: TestClient, case: str
):
    account = factories.user(session, email="ola@test.example")
    email, password = account.email, factories.PASSWORD
    if case == "wrong password":
        password = "correct-horse-43"
    elif case == "unknown e-mail":
        email = "ala@test.example"
    elif case == "inactive":
        service.deactivate_user(session, SYSTEM, account.id)
    else:
        service.erase_user(session, SYSTEM, account.id)

    response = log_in(client, email, password)

    assert response.status_code == 401
    assert "nieprawidłowy e-mail lub hasło" in response.text
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_log_in_is_rate_limited_per_account(session: Session, client: TestClient):
    account = factories.user(session, email="ola@test.example")
    for _ in range(10):
        assert log_in(client, account.email, "wrong-password-1").status_code == 401
    response = log_in(client, account.email)
    assert response.status_code == 429
    assert "zbyt wiele nieudanych prób logowania" in response.text
    assert client.get("/account", follow_redirects=False).status_code == 303


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/organisations/7", "/organisations/7"),
        ("//evil.example/", "/start"),
        ("https://evil.example/", "/start"),
        ("/\\evil.example", "/start"),
        ("javascript:alert(1)", "/start"),
        ("", "/start"),
    ],
)
def test_log_in_redirects_only_within_the_site(
    session: Session, client: TestClient, target: str, expected: str
):
    account = factories.user(session)
    token = csrf_of(client.get("/login"))
    response = client.post(
        "/login",
        data={
            "email": account.email,
            "password": factories.PASSWORD,
            "csrf_token": token,
            "next": target,
        },
        follow_redirects=False,
    )
    assert (response.status_code, response.headers["location"]) == (303, expected)


@pytest.mark.parametrize(
    "target",
    [
        "/\tevil.example",
        "http:/evil.example",
        "/%0d%0aLocation:%20https://evil.example",
    ],
)
def test_odd_return_addresses_stay_on_the_site(session: Session, client: TestClient, target: str):
    account = factories.user(session)
    token = csrf_of(client.get("/login"))
    data = {"email": account.email, "password": factories.PASSWORD, "csrf_token": token}
    response = client.post("/login", data={**data, "next": target}, follow_redirects=False)
    location = response.headers["location"]
    assert location.startswith("/") and not location.startswith("//")
    assert "\n" not in location and "evil.example" not in location.split("?")[0].split("%")[0]


def test_logging_in_from_a_page_comes_back_to_it_with_its_query(
    session: Session, client: TestClient
):
    """The coordinator opens /vocabulary?kind=material while logged out: after logging in they
    are back on the same page with the same kind marked, not on the page without it."""
    coordinator = factories.user(session, email="koord@test.example", role="coordinator")
    asked = client.get("/vocabulary?kind=material&x=a%26b", follow_redirects=False)
    assert asked.status_code == 303
    assert asked.headers["location"] == "/login?next=/vocabulary%3Fkind%3Dmaterial%26x%3Da%2526b"

    login_page = client.get(asked.headers["location"])
    assert 'name="next" value="/vocabulary?kind=material&amp;x=a%26b"' in login_page.text
    response = client.post(
        "/login",
        data={
            "email": coordinator.email,
            "password": factories.PASSWORD,
            "csrf_token": csrf_of(login_page),
            "next": "/vocabulary?kind=material&x=a%26b",
        },
        follow_redirects=False,
    )
    assert (response.status_code, response.headers["location"]) == (
        303,
        "/vocabulary?kind=material&x=a%26b",
    )


def test_the_header_s_log_in_link_returns_to_the_page_and_its_query(client: TestClient):
    page = client.get("/organisations?q=spawanie&city=0663011")
    assert 'href="/login?next=/organisations%3Fq%3Dspawanie%26city%3D0663011"' in page.text
    assert 'href="/login" role="button"' in client.get("/").text  # home: the start page after
    assert 'href="/login" role="button"' in client.get("/password/forgot").text


def test_an_erased_or_deactivated_user_s_session_ends(session: Session, client: TestClient):
    account = factories.user(session)
    caller = caller_for(session, client, account)
    assert client.get("/account").status_code == 200
    service.deactivate_user(session, SYSTEM, account.id)
    assert client.get("/account", follow_redirects=False).status_code == 303
    assert caller.send("GET", "/api/v1/organisations").status_code == 403  # its token, too


# --- CSRF ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "", "forged-token", "żółw-ąę", "other session"])
@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/account/tokens", {"name": "ci"}),
        ("/account/erase", {}),
        ("/logout", {}),
        ("/organisations/{org}/edit", {"legal_name": "Przejęta sp. z o.o.", "pkd": "25.53.Z"}),
        ("/organisations/{org}/delete", {}),
    ],
)
def test_forms_without_the_session_s_csrf_token_change_nothing(
    session: Session,
    client: TestClient,
    app: Any,
    path: str,
    form: dict[str, str],
    token: str | None,
):
    org = factories.organisation(session, legal_name="Zakład Bez Zmian sp. z o.o.")
    account = factories.user(session, role="coordinator")
    caller_for(session, client, account)
    if token == "other session":  # a valid token, but of somebody else's session
        with TestClient(app, base_url="https://testserver") as other:
            token = csrf_of(other.get("/login"))
    data = {**form} if token is None else {**form, "csrf_token": token}

    response = client.post(path.format(org=org.id), data=data, follow_redirects=False)

    assert response.status_code == 403
    session.expire_all()
    assert tokens_of(session, account) == 1  # only the bearer token the caller was given
    assert session.get(User, account.id).is_active  # type: ignore[union-attr]
    assert session.get(Organisation, org.id).legal_name == "Zakład Bez Zmian sp. z o.o."  # type: ignore[union-attr]
    assert client.get("/account").status_code == 200  # still logged in


def test_log_in_form_needs_the_csrf_token(session: Session, client: TestClient):
    account = factories.user(session)
    client.get("/login")
    response = client.post(
        "/login",
        data={"email": account.email, "password": factories.PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_api_writes_with_the_session_cookie_need_the_csrf_header(
    session: Session, client: TestClient
):
    org = factories.organisation(session)
    caller = caller_for(session, client, factories.user(session, role="coordinator"))
    path = f"/api/v1/organisations/{org.id}"

    assert client.patch(path, json={"employees": 1}).status_code == 403
    wrong = client.patch(path, json={"employees": 2}, headers={"x-csrf-token": "forged"})
    assert wrong.status_code == 403
    session.expire_all()
    assert session.get(Organisation, org.id).employees == 40  # type: ignore[union-attr]

    with_header = client.patch(path, json={"employees": 3}, headers={"x-csrf-token": caller.csrf})
    assert with_header.status_code == 200 and with_header.json()["employees"] == 3
    client.cookies.clear()  # a bearer token alone needs no CSRF token
    assert caller.send("PATCH", path, {"employees": 4}).json()["employees"] == 4


# --- API tokens ----------------------------------------------------------------------------------


def test_token_made_on_the_account_page_is_shown_once_and_works(
    session: Session, client: TestClient
):
    account = factories.user(session, email="ola@test.example")
    caller = caller_for(session, client, account)

    created = caller.send("POST", "/account/tokens", {"name": "laptop"})

    assert created.status_code == 200  # shown in the answer to the POST itself
    plain = created.text.split('id="new-token">', 1)[1].split("<", 1)[0]
    assert plain.startswith("upl_")
    saved = dict(client.cookies)  # as the POST left them
    assert plain not in client.get("/account").text  # shown once
    client.cookies.clear()
    client.cookies.update(saved)
    assert plain not in client.get("/account").text  # replaying the saved cookie shows nothing
    stored = session.scalars(select(ApiToken).where(ApiToken.name == "laptop")).one()
    assert stored.token_hash != plain and plain not in stored.token_hash
    bearer = {"authorization": f"Bearer {plain}"}
    client.cookies.clear()
    assert client.get("/api/v1/me", headers=bearer).json()["email"] == "ola@test.example"


@pytest.mark.parametrize("how", ["revoked", "unknown", "user erased"])
def test_refused_tokens(session: Session, client: TestClient, how: str):
    account = factories.user(session)
    token, plain = service.issue_token(session, SYSTEM, account.id, "ci")
    if how == "revoked":
        service.revoke_token(session, SYSTEM, token.id)
    elif how == "unknown":
        plain = plain[:-2] + "xx"
    else:
        service.erase_user(session, SYSTEM, account.id)
    bearer = {"authorization": f"Bearer {plain}"}
    for path in ("/api/v1/me", "/api/v1/organisations"):
        response = client.get(path, headers=bearer)
        assert response.status_code == 403
        assert response.json()["detail"] == "the API token is unknown or revoked"


def test_revoking_a_token_on_the_account_page(session: Session, client: TestClient):
    account = factories.user(session)
    caller = caller_for(session, client, account)
    token = session.scalars(select(ApiToken).where(ApiToken.user_id == account.id)).one()
    assert client.get("/api/v1/me", headers={"authorization": f"Bearer {caller.bearer}"}).is_success

    response = caller.send("POST", f"/account/tokens/{token.id}/revoke")

    assert response.status_code == 303
    assert "unieważniony" in client.get("/account?lang=pl").text  # the label, translated
    client.cookies.clear()
    assert (
        client.get("/api/v1/me", headers={"authorization": f"Bearer {caller.bearer}"}).status_code
        == 403
    )


# --- Own data ------------------------------------------------------------------------------------


def test_download_own_data_and_erase_the_account(session: Session, client: TestClient):
    account = factories.user(session, email="ola@test.example")
    caller = caller_for(session, client, account)

    download = client.get("/account/data.json")

    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    data = download.json()
    assert data["account"]["email"] == "ola@test.example"
    assert [t["name"] for t in data["api_tokens"]] == ["tests"]
    assert "token_hash" not in download.text and caller.bearer not in download.text

    erased = caller.send("POST", "/account/erase")

    assert (erased.status_code, erased.headers["location"]) == (303, "/organisations")
    assert client.get("/account", follow_redirects=False).status_code == 303
    assert log_in(client, "ola@test.example").status_code == 401
    session.expire_all()
    assert session.get(User, account.id).email == f"erased-{account.id}@invalid"  # type: ignore[union-attr]
