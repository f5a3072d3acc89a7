"""Shared by matching's page tests: a small world embedded with the hashing embedder, which the
app's engine uses too (no model is loaded)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests import factories

from upland.actor import SYSTEM
from upland.matching import engine, service
from upland.textkit.embedding import HashingEmbedder

EMBEDDER = HashingEmbedder(dimension=64)
WELDING = {
    "description_pl": "Spawanie zrobotyzowane ram stalowych i konstrukcji.",
    "description_en": "Robotic welding of steel frames and structures.",
}


def use_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "get_embedder", lambda: EMBEDDER)


def embed_all(session: Session) -> None:
    for kind in ("organisation", "opportunity"):
        service.refresh_items(session, SYSTEM, kind, embedder=EMBEDDER)
    engine.forget_indexes()


def welding_world(session: Session) -> dict[str, Any]:
    """The asker's organisation, two welders (one with an opportunity) and a request."""
    asker = factories.organisation(session, **WELDING)
    welders = [factories.organisation(session, **WELDING) for _ in range(2)]
    offer = factories.opportunity(
        session,
        welders[0],
        publish=True,
        title_pl="Spawanie ram stalowych",
        description_pl="Spawanie zrobotyzowane ram stalowych.",
    )
    embed_all(session)
    return {"asker": asker, "welders": welders, "offer": offer}
