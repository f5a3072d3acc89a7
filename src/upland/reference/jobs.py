"""Background jobs of the reference area."""

from __future__ import annotations

from upland.db import reading
from upland.reference import queries


def warm_pkd_suggester() -> int:
    """Embed the PKD catalogue now (and cache it), so the first user request is fast."""
    with reading() as session:
        return len(queries.suggest_pkd(session, "obróbka skrawaniem metali", 1))
