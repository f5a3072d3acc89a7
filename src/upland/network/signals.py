"""What the network announces after commit: its metric snapshots are invalidated by these."""

from __future__ import annotations

from dataclasses import dataclass

from upland.signals import Signal


@dataclass(frozen=True)
class RelationChanged(Signal):
    """A relation was derived, declared, confirmed or withdrawn (`status` is its new one)."""

    relation_id: int
    from_id: int
    to_id: int
    status: str
