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
register_labels(
    "match_feature",
    {
        "text": N_("Text similarity"),
        "capability": N_("Capabilities needed"),
        "certification": N_("Certificates required"),
        "pkd": N_("PKD relation"),
        "complement": N_("Complementary kind"),
        "trl": N_("Technology readiness"),
        "distance": N_("Distance"),
        "cross_city": N_("Another partner city"),
        "science_business": N_("Science with business"),
        "feedback": N_("Feedback and introductions"),
        "open": N_("Still open"),
    },
)
register_labels(
    "match_weights_status",
    {
        "saved": N_("saved"),
        "proposed": N_("proposed"),
        "accepted": N_("accepted"),
        "rejected": N_("rejected"),
    },
)
