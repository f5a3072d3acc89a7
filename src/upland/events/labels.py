"""How the events' enum values read on pages and in messages (gettext msgids)."""

from __future__ import annotations

from upland.events.vocab import (
    AGREEMENT_REPORTED,
    EventKind,
    EventStatus,
    Language,
    MeetingOutcome,
    ParticipantType,
    Presence,
    RegistrationStatus,
    RequestMode,
    RequestStatus,
)
from upland.i18n import N_, register_labels

LABELS: dict[str, dict[str, str]] = {
    "event_kind": {
        EventKind.BROKERAGE: N_("B2B brokerage day"),
        EventKind.FAIR: N_("fair"),
        EventKind.OPEN_LAB: N_("open lab"),
        EventKind.TRAINING: N_("training"),
    },
    "event_status": {
        EventStatus.DRAFT: N_("draft"),
        EventStatus.PUBLISHED: N_("published"),
        EventStatus.CANCELLED: N_("cancelled"),
    },
    "registration_status": {
        RegistrationStatus.PENDING: N_("waiting for the organiser's validation"),
        RegistrationStatus.CONFIRMED: N_("confirmed"),
        RegistrationStatus.WAITING: N_("on the waiting list"),
        RegistrationStatus.CANCELLED: N_("cancelled"),
    },
    "request_status": {
        RequestStatus.PENDING: N_("waiting for an answer"),
        RequestStatus.ACCEPTED: N_("accepted"),
        RequestStatus.DECLINED: N_("declined"),
        RequestStatus.WITHDRAWN: N_("withdrawn"),
    },
    "unplaced_reason": {
        "no_common_availability": N_("the two sides attend no common session time"),
        "both_sides_full": N_("both sides have all the meetings they may have"),
        "one_side_full": N_("one side has all the meetings it may have"),
        "table_shortage": N_("no table is free when both sides are"),
        "no_common_free_slot": N_("no slot is free for both sides"),
    },
    "attendance": {
        Presence.PRESENT: N_("present"),
        Presence.NO_SHOW: N_("no-show"),
    },
    "meeting_outcome": {
        MeetingOutcome.FOLLOW_UP: N_("follow-up agreed"),
        MeetingOutcome.AGREEMENT: N_("agreement signed"),
        MeetingOutcome.NO_INTEREST: N_("no interest"),
        AGREEMENT_REPORTED: N_("agreement reported by one side"),
    },
    "request_mode": {
        RequestMode.ACCEPTANCE: N_("the receiver accepts or declines"),
        RequestMode.AUTOMATIC: N_("accepted automatically"),
    },
    "participant_type": {
        ParticipantType.COMPANY: N_("company"),
        ParticipantType.RESEARCH: N_("research organisation"),
        ParticipantType.INVESTOR: N_("investor"),
        ParticipantType.PUBLIC_BODY: N_("public body"),
        ParticipantType.VISITOR: N_("visitor"),
    },
    "event_language": {
        Language.PL: N_("Polish"),
        Language.EN: N_("English"),
        Language.DE: N_("German"),
        Language.UK: N_("Ukrainian"),
        Language.FR: N_("French"),
        Language.IT: N_("Italian"),
    },
}

for _vocabulary, _labels in LABELS.items():
    register_labels(_vocabulary, _labels)
