"""Who may ask for suggestions and who maintains the index. Default deny.

What a suggestion may contain is not decided here: every candidate is intersected with the
registry's and the marketplace's own `visible_to` (through their `queries`), so a user never
gets a suggestion they could not open.
"""

from __future__ import annotations

from typing import Any

from upland.actor import Actor
from upland.permissions import rule


@rule("matching.match")
def can_match(actor: Actor, _obj: Any = None) -> bool:
    """Any logged-in user, officer or staff (embedding a query costs; visitors browse)."""
    return not actor.is_anonymous


@rule("matching.index.refresh")
def can_refresh_index(actor: Actor, _obj: Any = None) -> bool:
    """The system (jobs), coordinators and platform admins."""
    return actor.is_staff


@rule("matching.feedback.give")
def can_give_feedback(actor: Actor, _obj: Any = None) -> bool:
    """Whoever may ask for suggestions says whether one was useful."""
    return not actor.is_anonymous


@rule("matching.feedback.report")
def can_read_feedback_report(actor: Actor, _obj: Any = None) -> bool:
    """Coordinators and platform admins read what users said of suggestions."""
    return actor.is_staff


@rule("matching.weights.manage")
def can_manage_weights(actor: Actor, _obj: Any = None) -> bool:
    """Coordinators and platform admins tune what ranks."""
    return actor.is_staff
