"""Why a suggestion was not relevant: the pick list, with labels."""

from __future__ import annotations

from upland.i18n import N_, register_labels

REASONS: dict[str, str] = {
    "wrong_field": N_("Another field of work"),
    "wrong_kind": N_("Not the kind of partner we need"),
    "too_far": N_("Too far away"),
    "known": N_("We know them already"),
    "inactive": N_("Not active any more"),
    "other": N_("Another reason"),
}
register_labels("match_feedback_reason", REASONS)
register_labels(
    "match_item_kind", {"organisation": N_("Organisation"), "opportunity": N_("Opportunity")}
)
