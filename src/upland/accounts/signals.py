"""What accounts announce (later areas subscribe; none reads its tables)."""

from __future__ import annotations

from dataclasses import dataclass

from upland.signals import Signal


@dataclass(frozen=True)
class MembershipEnded(Signal):
    """A person no longer has a role in an organisation (removed, or left): what they did for
    it that is still to come (an event registration) ends with it."""

    user_id: int
    organisation_id: int
