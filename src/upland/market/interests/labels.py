"""How the enum values of interests, introductions, outcomes and bookings read (gettext msgids)."""

from __future__ import annotations

from upland.i18n import N_, register_labels
from upland.market.interests.vocab import (
    BookingAction,
    BookingStatus,
    Confirmation,
    DeclineReason,
    InterestAction,
    InterestStatus,
    OutcomeKind,
    Response,
)

LABELS: dict[str, dict[str, str]] = {
    "interest_response": {
        Response.INTEREST: N_("expression of interest"),
        Response.PASS: N_("pass"),
    },
    "interest_status": {
        InterestStatus.PENDING: N_("waiting for the owner"),
        InterestStatus.ACCEPTED: N_("accepted"),
        InterestStatus.DECLINED: N_("declined"),
        InterestStatus.WITHDRAWN: N_("withdrawn"),
        InterestStatus.PASSED: N_("passed on"),
    },
    "interest_action": {
        InterestAction.ACCEPT: N_("Accept"),
        InterestAction.DECLINE: N_("Decline"),
        InterestAction.WITHDRAW: N_("Withdraw"),
    },
    "decline_reason": {
        DeclineReason.TOO_EARLY: N_("too early stage"),
        DeclineReason.BENEFIT_UNCLEAR: N_("benefit over existing technology unclear"),
        DeclineReason.COMMERCIAL_ROUTE_UNCLEAR: N_("commercial route unclear"),
        DeclineReason.DESCRIPTION_UNCLEAR: N_("description unclear"),
        DeclineReason.NOT_STRATEGIC: N_("not a strategic fit"),
    },
    "outcome_kind": {
        OutcomeKind.MEETING_HELD: N_("meeting held"),
        OutcomeKind.AGREEMENT_SIGNED: N_("agreement signed"),
        OutcomeKind.ABANDONED: N_("abandoned"),
    },
    "confirmation": {
        Confirmation.PARTNER: N_("confirmed by the partner"),
        Confirmation.COORDINATOR: N_("confirmed by the coordinator"),
    },
    "booking_status": {
        BookingStatus.PENDING: N_("waiting for the owner"),
        BookingStatus.ACCEPTED: N_("accepted"),
        BookingStatus.DECLINED: N_("declined"),
        BookingStatus.CANCELLED: N_("cancelled"),
    },
    "booking_action": {
        BookingAction.ACCEPT: N_("Accept"),
        BookingAction.DECLINE: N_("Decline"),
        BookingAction.CANCEL: N_("Cancel"),
    },
}

for _vocabulary, _labels in LABELS.items():
    register_labels(_vocabulary, {str(k): v for k, v in _labels.items()})
