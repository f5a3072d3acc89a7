"""Closed vocabularies of events (stored as strings, validated by schemas)."""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    BROKERAGE = "brokerage"  # a B2B brokerage day: pre-arranged one-to-one meetings
    FAIR = "fair"
    OPEN_LAB = "open_lab"
    TRAINING = "training"


class EventStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class RequestMode(StrEnum):
    """Whether a meeting request waits for the receiver's acceptance."""

    ACCEPTANCE = "acceptance"
    AUTOMATIC = "automatic"


class ParticipantType(StrEnum):
    """Who takes part; an event names the types it admits and who may request whom."""

    COMPANY = "company"
    RESEARCH = "research"
    INVESTOR = "investor"
    PUBLIC_BODY = "public_body"
    VISITOR = "visitor"


class Language(StrEnum):
    PL = "pl"
    EN = "en"
    DE = "de"
    UK = "uk"
    FR = "fr"
    IT = "it"


class RegistrationStatus(StrEnum):
    PENDING = "pending"  # a guest, until the organiser validates
    CONFIRMED = "confirmed"
    WAITING = "waiting"  # past the capacity, in order of registration
    CANCELLED = "cancelled"


ACTIVE = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)


class RequestStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


# Priority 1 (high) to 3 (low) as the scheduler's weight of a request.
WEIGHTS = {1: 3.0, 2: 2.0, 3: 1.0}


class Presence(StrEnum):
    """Marked at the door on the day."""

    PRESENT = "present"
    NO_SHOW = "no_show"


class MeetingOutcome(StrEnum):
    """What came of a meeting, said by one of its sides after the event."""

    FOLLOW_UP = "follow_up"
    AGREEMENT = "agreement"
    NO_INTEREST = "no_interest"


# A held meeting's outcome, for the areas that read it, while only one side has reported an
# agreement: it counts as an agreement once confirmed.
AGREEMENT_REPORTED = "agreement_reported"


class Confirmation(StrEnum):
    """Who confirmed a meeting's agreement so that it counts (as in the marketplace)."""

    PARTNER = "partner"  # the other side of the meeting
    ORGANISER = "organiser"  # the organiser's staff, coordinator or platform admin
