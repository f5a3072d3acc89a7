"""Shared by matching's tests: a small world embedded with the hashing embedder, which the
app's engine uses too (no model is loaded), and an index of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests import factories

from upland.actor import SYSTEM
from upland.matching import engine, service
from upland.matching.index import MatchIndex
from upland.textkit.embedding import HashingEmbedder

EMBEDDER = HashingEmbedder(dimension=64)
WELDING = {
    "description_pl": "Spawanie zrobotyzowane ram stalowych i konstrukcji.",
    "description_en": "Robotic welding of steel frames and structures.",
}


def use_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "get_embedder", lambda: EMBEDDER)


def refresh(session: Session) -> None:
    """Embed every item whose text changed (as the refresh job does)."""
    for kind in ("organisation", "opportunity"):
        service.refresh_items(session, SYSTEM, kind, embedder=EMBEDDER)


def embed_all(session: Session) -> None:
    refresh(session)
    engine.forget_indexes()


def index_of(session: Session, graph: Path | None = None) -> MatchIndex:
    """A fresh index of the database: exact, or with a graph (saved to `graph`) from one item."""
    if graph is None:
        index = MatchIndex(EMBEDDER.name, EMBEDDER.dimension, exact_below=10**6)
    else:
        index = MatchIndex(EMBEDDER.name, EMBEDDER.dimension, exact_below=1, graph=graph)
    index.sync(session)
    return index


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
