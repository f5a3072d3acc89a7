"""What the registry announces after commit: later areas reindex or react without reading it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from upland.signals import Signal


@dataclass(frozen=True)
class OrganisationChanged(Signal):
    organisation_id: int
    action: str


@dataclass(frozen=True)
class OrganisationsImported(Signal):
    """One bulk import: subscribers reindex these ids in one go, not one job per row.

    `created` may be a compact `array("q")`: a million-row import creates a million ids.
    """

    created: Sequence[int]
    updated: Sequence[int]
