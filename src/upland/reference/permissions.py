"""Who may change reference data (classifications, municipalities, vocabulary)."""

from __future__ import annotations

from upland.actor import Actor
from upland.permissions import rule


@rule("reference.manage")
def can_manage_reference(actor: Actor, _obj: object = None) -> bool:
    """The coordinator extends the vocabulary; classifications come from official files."""
    return actor.is_staff
