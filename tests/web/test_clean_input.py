"""Control and direction-override characters are refused at the edge, for every text input, with a
422 naming the field (issue #6, item 9): on PostgreSQL a NUL byte used to reach the driver (500).
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for, csrf_of

FORBIDDEN = "U+0000"


@pytest.fixture
def coordinator(session: Session, client: Any) -> Any:
    return caller_for(session, client, factories.user(session, role="coordinator"))


def _refused_json(response: Any, field: str, code: str = FORBIDDEN) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/json"
    assert {
        "field": field,
        "message": f"contains a control or direction-override character ({code})",
        "code": "control_character",
    } in response.json()["errors"]


def _refused_page(response: Any, field: str, code: str = FORBIDDEN) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert (
        f"{field}: zawiera znak sterujący lub zmieniający kierunek tekstu ({code})" in response.text
    )


def test_log_in_with_a_nul_in_the_email(client: Any) -> None:
    token = csrf_of(client.get("/login"))
    response = client.post(
        "/login", data={"email": "a\x00b@x.example", "password": "x", "csrf_token": token}
    )
    _refused_page(response, "email")


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/pkd/2025/%00", "code"),
        ("/api/v1/users?q=%00", "q"),
        ("/api/v1/audit?action=%00", "action"),
        ("/api/v1/audit?object_type=%00", "object_type"),
        ("/api/v1/audit?object_id=%00", "object_id"),
        ("/api/v1/audit?actor=%00", "actor"),
        ("/api/v1/organisations?q=%E2%80%AEevil", "q"),
    ],
)
def test_nul_in_a_path_or_query_parameter(coordinator: Any, path: str, field: str) -> None:
    code = "U+202E" if "%E2%80%AE" in path else FORBIDDEN
    _refused_json(coordinator.send("GET", path), field, code)


def test_audit_page_filter(coordinator: Any) -> None:
    _refused_page(coordinator.send("GET", "/audit?actor=a%00"), "actor")


@pytest.mark.parametrize(
    ("name", "code"),
    [("tok\x00", FORBIDDEN), ("kot\u202egnp.exe", "U+202E"), ("tok\u200ben", "U+200B")],
)
def test_token_names(coordinator: Any, name: str, code: str) -> None:
    _refused_page(coordinator.send("POST", "/account/tokens", {"name": name}), "name", code)


def test_json_strings_and_keys_anywhere_in_the_body(coordinator: Any) -> None:
    body = {
        "legal_name": "Firma",
        "kind": "company",
        "sites": [{"teryt": "0663011", "locality": "Lub\x07lin"}],
    }
    _refused_json(
        coordinator.send("POST", "/api/v1/organisations", body), "sites.0.locality", "U+0007"
    )
    keyed = coordinator.send("POST", "/api/v1/organisations", {"a\u2066b": 1})
    _refused_json(keyed, "aU+2066b", "U+2066")


def test_multi_line_text_keeps_tabs_and_line_breaks(session: Session, coordinator: Any) -> None:
    org = factories.organisation(session)
    text = "Wiersz 1\r\nWiersz 2\tkolumna"
    response = coordinator.send(
        "PATCH", f"/api/v1/organisations/{org.id}", {"description_pl": text}
    )
    assert response.status_code == 200
    assert response.json()["description_pl"] == text


# Invisible formatting characters (Unicode Cf) that can make two names look alike.
INVISIBLE = [
    "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u00ad",
    "\u061c", "\u180e", "\ufff9", "\U000e0001", "\U0001d173",
]  # fmt: skip


@pytest.mark.parametrize("character", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_names_refuse_invisible_formatting_characters(
    session: Session, coordinator: Any, character: str
) -> None:
    org = factories.organisation(session)
    response = coordinator.send(
        "PATCH", f"/api/v1/organisations/{org.id}", {"short_name": f"Rol-Mech{character}Lublin"}
    )
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["field"] == "short_name"
    assert f"control or direction-override character (U+{ord(character):04X})" in error["message"]


def test_multi_line_text_refuses_bidirectional_controls_only(
    session: Session, coordinator: Any
) -> None:
    org = factories.organisation(session)
    url = f"/api/v1/organisations/{org.id}"
    refused = coordinator.send("PATCH", url, {"description_pl": "Opis\u200fukryty"})
    _refused_json(refused, "description_pl", "U+200F")
    family = "Zespół \U0001f468\u200d\U0001f469\u200d\U0001f467"  # joined by U+200D
    kept = coordinator.send("PATCH", url, {"description_pl": family})
    assert kept.status_code == 200, kept.text
    assert kept.json()["description_pl"] == family


def test_the_openapi_schema_states_the_same_rule(client: Any) -> None:
    import re

    schema = client.get("/api/v1/openapi.json").json()
    patch = schema["components"]["schemas"]["OrganisationUpdate"]["properties"]
    line = re.compile(patch["short_name"]["anyOf"][0]["pattern"])
    assert all(line.fullmatch(f"a{c}b") is None for c in INVISIBLE)
    text = re.compile(patch["description_pl"]["anyOf"][0]["pattern"])
    assert text.fullmatch("a\u200db\r\n") is not None
    assert text.fullmatch("a\u202eb") is None
