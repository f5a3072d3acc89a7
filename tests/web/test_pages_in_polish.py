"""Polish pages show error messages in Polish, English pages and the JSON API in English: one
bad form (or request) through each route module and the error page."""

from __future__ import annotations

import html
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for, csrf_of

from upland.accounts import service as account_service
from upland.actor import SYSTEM
from upland.organisations.models import Organisation

BAD_FILE = (
    "kind,legal_name,nip,teryt,pkd\n"
    "company,Nowa Firma sp. z o.o.,5260250995,Lublin,29.32.Z\n"
    "company,Zła Firma,5260250996,Lubln,29.99.Q\n"
)


def _text(response: Any) -> str:
    return html.unescape(response.text)


@pytest.fixture
def org(session: Session) -> Organisation:
    return factories.organisation(session)


@pytest.fixture
def coordinator(session: Session, client: TestClient) -> Any:
    return caller_for(session, client, factories.user(session, role="coordinator"))


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [
        (
            "pl",
            ["najwyżej 300 znaków", "NIP 5260250996 ma nieprawidłową cyfrę kontrolną"],
            ["String should have at most", "has a wrong check digit"],
        ),
        (
            "en",
            ["enter at most 300 characters", "NIP 5260250996 has a wrong check"],
            ["najwyżej", "cyfrę kontrolną", "String should"],
        ),
    ],
)
def test_profile_form_errors_follow_the_page_language(
    client: TestClient,
    coordinator: Any,
    org: Organisation,
    language: str,
    shown: list[str],
    hidden: list[str],
):
    client.cookies.set("lang", language)

    response = coordinator.send(
        "POST", f"/organisations/{org.id}/edit", {"legal_name": "x" * 301, "nip": "5260250996"}
    )

    assert response.status_code == 422
    assert [s for s in shown if s not in _text(response)] == []
    assert [h for h in hidden if h in _text(response)] == []


def test_a_conflict_on_the_new_organisation_form(coordinator: Any, org: Organisation):
    response = coordinator.send(
        "POST",
        "/organisations/new?lang=pl",
        {"kind": "company", "legal_name": "Druga Firma", "nip": org.nip, "teryt": "0663011"},
    )

    assert response.status_code == 422
    assert (
        "ten NIP jest już zarejestrowany dla innej organizacji; "
        "skontaktuj się z koordynatorem klastra"
    ) in _text(response)


def test_a_site_with_an_unknown_municipality(coordinator: Any, org: Organisation):
    response = coordinator.send("POST", f"/organisations/{org.id}/sites", {"teryt": "9999999"})

    assert response.status_code == 422
    assert "nieznany kod TERYT gminy 9999999" in _text(response)
    assert "unknown municipality" not in _text(response)


def test_a_bad_filter_on_the_list(client: TestClient):
    response = client.get("/organisations", params={"pkd": "zzz"})

    assert "'zzz' nie jest kodem PKD (np. C, 29, 29.3, 29.32, 29.32.Z)" in _text(response)


def test_the_import_report(client: TestClient, coordinator: Any):
    response = client.post(
        "/organisations/import",
        data={"csrf_token": coordinator.csrf},
        files={"file": ("firmy.csv", BAD_FILE.encode(), "text/csv")},
    )

    text = _text(response)
    assert response.status_code == 200
    for polish in [
        "NIP 5260250996 ma nieprawidłową cyfrę kontrolną",
        "nieznana gmina 'Lubln'",
        "nieznany kod PKD 2025: 29.99.Q",
        "Próbny import (tylko poprawne wiersze) – nic nie zapisano. Import objąłby 2 wiersze: "
        "utworzone 1, zaktualizowane 0, bez zmian 0, pominięte 1; 3 błędy w 1 wierszu.",
    ]:
        assert polish in text
    for english in ["wrong check digit", "unknown municipality", "Dry run", "rows:"]:
        assert english not in text


@pytest.mark.parametrize(
    ("files", "polish"),
    [
        ({"file": ("pusty.csv", b"", "text/csv")}, "plik jest pusty"),
        ({"file": ("notatki.pdf", b"%PDF-1.7", "application/pdf")}, "to dokument PDF, a nie"),
        (None, "wybierz plik CSV lub XLSX"),
    ],
)
def test_a_file_that_cannot_be_imported(
    client: TestClient, coordinator: Any, files: dict | None, polish: str
):
    response = client.post(
        "/organisations/import", data={"csrf_token": coordinator.csrf}, files=files or {}
    )

    assert response.status_code == 422
    assert polish in _text(response)


def test_the_log_in_form(session: Session, client: TestClient):
    account = factories.user(session)
    csrf = csrf_of(client.get("/login"))

    response = client.post(
        "/login", data={"email": account.email, "password": "zle-haslo-1", "csrf_token": csrf}
    )

    assert response.status_code == 401
    assert "nieprawidłowy e-mail lub hasło" in _text(response)


def test_the_members_page(session: Session, client: TestClient, org: Organisation):
    admin = factories.user(session, role="admin", org=org)
    caller = caller_for(session, client, admin)

    taken = caller.send("POST", f"/organisations/{org.id}/members", {"email": admin.email})
    last = caller.send("POST", f"/organisations/{org.id}/members/{admin.id}/remove")

    assert f"{admin.email} ma już rolę w tej organizacji; zmień ją na liście" in _text(taken)
    assert "ostatnim administratorem tej organizacji" in _text(last)


def test_the_invitation_form(session: Session, client: TestClient, org: Organisation):
    token = account_service.add_member(session, SYSTEM, org.id, "ewa@firma.example", "viewer").token
    csrf = csrf_of(client.get(f"/invitations/{token}"))
    form = {"full_name": "", "password": "krotkie", "csrf_token": csrf}

    differ = client.post(f"/invitations/{token}", data={**form, "password_repeat": "inne"})
    weak = client.post(f"/invitations/{token}", data={**form, "password_repeat": "krotkie"})

    assert "podane hasła się różnią" in _text(differ)
    assert "wpisz imię i nazwisko" in _text(weak)
    assert "musi mieć co najmniej 10 znaków" in _text(weak)


def test_the_pkd_suggestions(client: TestClient):
    csrf = csrf_of(client.get("/login"))

    response = client.post("/pkd/suggest", data={"text": "a", "csrf_token": csrf})

    assert response.status_code == 422
    assert "opisz w kilku słowach, czym zajmuje się firma" in _text(response)


@pytest.mark.parametrize(
    ("path", "status", "polish", "english"),
    [
        ("/organisations/999999999", 404, "organizacja 999999999 nie istnieje", "does not"),
        ("/organisations?limit=0", 422, "limit: wpisz liczbę nie mniejszą niż 1", "greater"),
        ("/organisations/abc", 422, "org_id: wpisz liczbę całkowitą", "valid integer"),
        ("/nie-ma-takiej-strony", 404, "Nie znaleziono", "Not Found"),
        (
            "/organisations/export.csv?size_class=huge",
            422,
            "size_class: wybierz wielkość z listy",
            "should match",
        ),
    ],
)
def test_the_error_page(client: TestClient, path: str, status: int, polish: str, english: str):
    response = client.get(path, headers={"accept-language": "pl"})

    assert response.status_code == status
    assert polish in _text(response) and english not in _text(response)


def test_the_error_page_in_english(client: TestClient):
    response = client.get("/organisations/999999999?lang=en")

    assert "organisation 999999999 does not exist" in _text(response)


def test_the_api_keeps_the_english(client: TestClient, coordinator: Any, org: Organisation):
    headers = {"accept-language": "pl", "cookie": "lang=pl"}

    missing = client.get("/api/v1/organisations/999999999", headers=headers)
    invalid = client.patch(
        f"/api/v1/organisations/{org.id}",
        json={"nip": "5260250996", "legal_name": "x" * 301},
        headers={**headers, "authorization": f"Bearer {coordinator.bearer}"},
    )

    assert missing.json()["detail"] == "organisation 999999999 does not exist"
    assert invalid.status_code == 422
    messages = {e["message"] for e in invalid.json()["errors"]}
    assert messages == {
        "enter at most 300 characters",
        "NIP 5260250996 has a wrong check digit",
    }
