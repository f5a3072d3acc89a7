"""Matrix rows of the app's own routes: health, the API schema and docs, the dev outbox."""

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


ROWS: tuple[Row, ...] = (
    row("healthz", "GET", "/healthz", EVERYONE, 200),
    row("openapi", "GET", "/api/v1/openapi.json", EVERYONE, 200, check=_openapi),
    row("api-docs", "GET", "/api/v1/docs", EVERYONE, 200),
    # Outside development mode the outbox does not exist, for staff too.
    Row("dev-outbox", "GET", "/dev/outbox", lambda actor, variant: 404, 200),
)
