"""Matrix rows of the reference data: classifications, municipalities, the vocabulary and PKD
suggestions are open to everyone, read-only (their changes go through the CLI only)."""

from __future__ import annotations

from sqlalchemy.orm import Session
from tests import factories
from tests.matrix import ELSEWHERE, EVERYONE, Row, World, make_accounts, row

VARIANTS = ("",)
DESCRIPTION = "Produkcja wiązek elektrycznych do samochodów osobowych"


def build_world(session: Session, variant: str) -> World:
    own = factories.organisation(session)
    other = factories.organisation(
        session, sites=[{"teryt": ELSEWHERE, "is_headquarters": True}], people=[]
    )
    return World(make_accounts(session, own.id, other.id), {})


def _suggested(response, fields, actor, variant) -> None:
    assert response.json() and all("code" in s for s in response.json())


def _analysed(response, fields, actor, variant) -> None:
    data = response.json()
    assert data["suggestions"] and {"confident", "notices", "activities"} <= set(data)


def _pkd(response, fields, actor, variant) -> None:
    assert response.json()["code"] == "29.32.Z"


def _partners(response, fields, actor, variant) -> None:
    assert "0663011" in {m["teryt"] for m in response.json()}


def _terms(response, fields, actor, variant) -> None:
    assert "cnc-milling" in {t["slug"] for t in response.json()}


ROWS: tuple[Row, ...] = (
    row("suggest-page", "GET", "/pkd/suggest", EVERYONE, 200),
    row("suggest-form", "POST", "/pkd/suggest", EVERYONE, 200, body={"text": DESCRIPTION}),
    row(
        "api-suggest",
        "POST",
        "/api/v1/pkd/suggest",
        EVERYONE,
        200,
        body={"text": DESCRIPTION},
        check=_suggested,
    ),
    row(
        "api-suggestions",
        "POST",
        "/api/v1/pkd/suggestions",
        EVERYONE,
        200,
        body={"text": DESCRIPTION},
        check=_analysed,
    ),
    row("suggest-page-text", "GET", "/pkd/suggest?text=spawanie+ram", EVERYONE, 200),
    row("api-pkd", "GET", "/api/v1/pkd/2025/29.32.Z", EVERYONE, 200, check=_pkd),
    row(
        "api-municipalities",
        "GET",
        "/api/v1/municipalities?partners=true",
        EVERYONE,
        200,
        check=_partners,
    ),
    row("api-terms", "GET", "/api/v1/capability-terms", EVERYONE, 200, check=_terms),
)
