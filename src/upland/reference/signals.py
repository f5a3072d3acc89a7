"""What the reference area announces after commit (`upland.signals`)."""

from __future__ import annotations

from dataclasses import dataclass

from upland.signals import Signal


@dataclass(frozen=True)
class MunicipalitiesLoaded(Signal):
    """The municipality register was loaded or reloaded (names may have changed)."""
