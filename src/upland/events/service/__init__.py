"""Every write of the events area (DESIGN rule 1): each function checks permission first,
records an audit entry and publishes its signal. Split by subject: `events` (create, edit,
publish, cancel), `registrations` (members, guests, validation, waiting list),
`requests` (meeting requests and their answers), `schedule` (the scheduling job, locking
and moving meetings), `outcomes` (what came of a meeting, an agreement confirmed),
`feeds` (calendar-feed addresses)."""

from upland.events.service.events import (
    cancel_event,
    create_event,
    issue_video_link,
    publish_event,
    update_event,
    visible_event,
)
from upland.events.service.feeds import revoke_feed_token, rotate_feed_token, token_hash
from upland.events.service.guests import (
    erase_guest,
    erase_guest_of_link,
    export_guest,
    export_guest_of_link,
)
from upland.events.service.outcomes import (
    can_confirm_agreement,
    confirm_agreement,
    record_outcome,
)
from upland.events.service.registrations import (
    ask_for_guest_place,
    cancel_registration,
    end_registrations_for,
    guest_of_link,
    mark_attendance,
    own_registration,
    profile_offer,
    register,
    register_guest,
    registration_open,
    switch_guest_mail_off,
    validate_registration,
)
from upland.events.service.requests import decide_request, send_request, visible_request
from upland.events.service.schedule import (
    lock_meeting,
    meeting_event_id,
    move_meeting,
    queue_schedule,
    run_schedule,
    store_schedule,
)

__all__ = [
    "ask_for_guest_place",
    "can_confirm_agreement",
    "cancel_event",
    "cancel_registration",
    "confirm_agreement",
    "create_event",
    "decide_request",
    "end_registrations_for",
    "erase_guest",
    "erase_guest_of_link",
    "export_guest",
    "export_guest_of_link",
    "guest_of_link",
    "issue_video_link",
    "lock_meeting",
    "mark_attendance",
    "meeting_event_id",
    "move_meeting",
    "own_registration",
    "profile_offer",
    "publish_event",
    "queue_schedule",
    "record_outcome",
    "register",
    "register_guest",
    "registration_open",
    "revoke_feed_token",
    "rotate_feed_token",
    "run_schedule",
    "send_request",
    "store_schedule",
    "switch_guest_mail_off",
    "token_hash",
    "update_event",
    "validate_registration",
    "visible_event",
    "visible_request",
]
