"""Every write to interests, introductions, outcomes and bookings (DESIGN rule 1): split by
subject, `interests` (answers and decisions, introductions), `outcomes`, `bookings`."""

from upland.market.interests.service.bookings import (
    accept_booking,
    cancel_booking,
    decline_booking,
    request_booking,
)
from upland.market.interests.service.interests import (
    accept_interest,
    decline_interest,
    express_interest,
    pass_on,
    withdraw_interest,
)
from upland.market.interests.service.outcomes import confirm_outcome, record_outcome

__all__ = [
    "accept_booking",
    "accept_interest",
    "cancel_booking",
    "confirm_outcome",
    "decline_booking",
    "decline_interest",
    "express_interest",
    "pass_on",
    "record_outcome",
    "request_booking",
    "withdraw_interest",
]
