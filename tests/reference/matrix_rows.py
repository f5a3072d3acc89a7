"""Matrix rows of the reference data: classifications, municipalities, the vocabulary and PKD
suggestions are open to everyone, read-only (their changes go through the CLI only)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests import factories
from tests.matrix import ELSEWHERE, EVERYONE, STAFF, Fields, Row, World, make_accounts, row

from upland.reference.models import CapabilityTerm

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


def _lodz(response, fields, actor, variant) -> None:
    assert [m["name"] for m in response.json()][:1] == ["Łódź"]


def _lubin_options(response, fields, actor, variant) -> None:
    assert 'value="0211011"' in response.text and 'value="0211022"' in response.text


def _kozienice(response, fields, actor, variant) -> None:
    assert [m["teryt"] for m in response.json()] == ["1407053"]


def _terms(response, fields, actor, variant) -> None:
    assert "cnc-milling" in {t["slug"] for t in response.json()}


def _options(response, fields, actor, variant) -> None:
    assert '<option value="Frezowanie CNC">' in response.text


def _terms_added(session: Session, f: Fields) -> int:
    stmt = (
        select(func.count()).select_from(CapabilityTerm).where(CapabilityTerm.slug == "iso-22301")
    )
    return session.scalar(stmt) or 0


NEW_TERM = {
    "kind": "certification",
    "slug": "iso-22301",
    "name_pl": "ISO 22301 (ciągłość działania)",
    "name_en": "ISO 22301 (business continuity)",
}

ROWS: tuple[Row, ...] = (
    row(
        "term-options",
        "GET",
        "/capability-terms/options?term=frezowanie&kind=process&lang=pl",
        EVERYONE,
        200,
        check=_options,
    ),
    row("vocabulary", "GET", "/vocabulary", STAFF, 200),
    row("add-term", "POST", "/vocabulary", STAFF, 303, body=NEW_TERM, observe=_terms_added),
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
    row(
        "api-municipalities-typed",
        "GET",
        "/api/v1/municipalities?q=kozienice",
        EVERYONE,
        200,
        check=_kozienice,
    ),
    row("api-terms", "GET", "/api/v1/capability-terms", EVERYONE, 200, check=_terms),
    row(
        "municipalities-typed",
        "GET",
        "/reference/municipalities?q=lodz",
        EVERYONE,
        200,
        check=_lodz,
    ),
    row(
        "municipality-options",
        "GET",
        "/reference/municipalities/options?teryt=Lubin",
        EVERYONE,
        200,
        check=_lubin_options,
    ),
)
