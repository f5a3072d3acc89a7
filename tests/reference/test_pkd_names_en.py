"""Every PKD 2025 code has an English name, so English pages never show Polish PKD titles."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories

from upland.reference.models import PkdCode


def test_every_pkd_2025_code_has_an_english_name(session: Session):
    codes = session.scalars(select(PkdCode).where(PkdCode.version == 2025)).all()

    assert len([c for c in codes if c.level == 5]) == 728
    assert [c.code for c in codes if not c.name_en.strip()] == []


def test_a_national_subclass_is_named_by_what_sets_it_apart(session: Session):
    names = dict(
        session.execute(
            select(PkdCode.code, PkdCode.name_en).where(
                PkdCode.version == 2025, PkdCode.code.in_(["29.10", "29.10.B", "29.32.Z"])
            )
        ).all()
    )

    assert names["29.10.B"] == "Manufacture of passenger cars"
    assert names["29.10.B"] != names["29.10"]
    assert names["29.32.Z"] == "Manufacture of other parts and accessories for motor vehicles"


def test_the_english_profile_shows_the_english_pkd_name(session: Session, client: TestClient):
    org = factories.organisation(
        session, pkd_codes=[{"code": "29.10.B", "version": 2025, "is_primary": True}]
    )

    page = html.unescape(client.get(f"/organisations/{org.id}?lang=en").text)

    assert "Manufacture of passenger cars" in page
    assert "Produkcja samochodów osobowych" not in page
