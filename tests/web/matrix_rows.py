"""Matrix rows of the app's own routes: health, the API schema and docs, the dev outbox, the
accessibility statement and the language switch."""

from __future__ import annotations

from sqlalchemy.orm import Session
from tests import factories
from tests.matrix import ELSEWHERE, EVERYONE, Row, World, make_accounts, row

VARIANTS = ("",)


def build_world(session: Session, variant: str) -> World:
    own = factories.organisation(session)
    other = factories.organisation(
        session, sites=[{"teryt": ELSEWHERE, "is_headquarters": True}], people=[]
    )
    return World(make_accounts(session, own.id, other.id), {})


def _openapi(response, fields, actor, variant) -> None:
    assert "/api/v1/organisations" in response.json()["paths"]


def _statement(response, fields, actor, variant) -> None:
    assert 'id="a11y-status"' in response.text


def _back_to_next(response, fields, actor, variant) -> None:
    assert response.headers["location"] == "/login?next=/language"
    assert "lang=en" in response.headers["set-cookie"]


ROWS: tuple[Row, ...] = (
    row("healthz", "GET", "/healthz", EVERYONE, 200),
    row("openapi", "GET", "/api/v1/openapi.json", EVERYONE, 200, check=_openapi),
    row("api-docs", "GET", "/api/v1/docs", EVERYONE, 200),
    # Outside development mode the outbox does not exist, for staff too.
    Row("dev-outbox", "GET", "/dev/outbox", lambda actor, variant: 404, 200),
    row("accessibility", "GET", "/accessibility", EVERYONE, 200, check=_statement),
    row("accessibility-pl", "GET", "/dostepnosc", EVERYONE, 200, check=_statement),
    # The switch returns to `next`; here the log-in page, where the matrix expects an
    # anonymous visitor sent by a GET page (`/login?next=<the path asked>`).
    row(
        "language",
        "GET",
        "/language?lang=en&next=/login?next=/language",
        EVERYONE,
        303,
        check=_back_to_next,
    ),
)
