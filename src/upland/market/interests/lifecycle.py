"""The steps of an interest and of a booking, each as one table (pure: no session, no clock).

An interest waits for the owner, who accepts (an introduction is recorded) or declines it; the
interested side may withdraw it while it waits. A pass is final when it is made. A booking
waits for the owner, who accepts (its days are then held) or declines it; the requester may
cancel it while it waits or after acceptance, and the owner may cancel an accepted one, until
its last day has passed (`booking_over`).
Who may take a step is the permission rules' question, not this table's.
"""

from __future__ import annotations

import datetime as dt

from upland.errors import Conflict
from upland.i18n import label_message
from upland.market.interests.vocab import (
    BookingAction,
    BookingStatus,
    InterestAction,
    InterestStatus,
)

S, IA = InterestStatus, InterestAction
B, BA = BookingStatus, BookingAction

INTEREST_STEPS: dict[tuple[InterestStatus, InterestAction], InterestStatus] = {
    (S.PENDING, IA.ACCEPT): S.ACCEPTED,
    (S.PENDING, IA.DECLINE): S.DECLINED,
    (S.PENDING, IA.WITHDRAW): S.WITHDRAWN,
}

BOOKING_STEPS: dict[tuple[BookingStatus, BookingAction], BookingStatus] = {
    (B.PENDING, BA.ACCEPT): B.ACCEPTED,
    (B.PENDING, BA.DECLINE): B.DECLINED,
    (B.PENDING, BA.CANCEL): B.CANCELLED,
    (B.ACCEPTED, BA.CANCEL): B.CANCELLED,
}


def next_interest_status(status: str, action: str) -> InterestStatus:
    """The state `action` leads an interest to, or Conflict (code `interest.transition`)."""
    found = INTEREST_STEPS.get((InterestStatus(status), InterestAction(action)))
    if found is None:
        raise Conflict(
            "an interest that is {status} cannot be changed this way ({action})",
            code="interest.transition",
            status=label_message("interest_status", status),
            action=label_message("interest_action", action),
        )
    return found


def next_booking_status(status: str, action: str) -> BookingStatus:
    """The state `action` leads a booking to, or Conflict (code `booking.transition`)."""
    found = BOOKING_STEPS.get((BookingStatus(status), BookingAction(action)))
    if found is None:
        raise Conflict(
            "a booking that is {status} cannot be changed this way ({action})",
            code="booking.transition",
            status=label_message("booking_status", status),
            action=label_message("booking_action", action),
        )
    return found


def interest_actions(status: str) -> list[InterestAction]:
    return [a for a in InterestAction if (InterestStatus(status), a) in INTEREST_STEPS]


def booking_over(ends_on: dt.date, today: dt.date) -> bool:
    """The booked days are over: what happened is not cancelled afterwards."""
    return ends_on < today


def booking_actions(status: str) -> list[BookingAction]:
    return [a for a in BookingAction if (BookingStatus(status), a) in BOOKING_STEPS]
