"""The video rooms of an online event. A room's name is keyed (an HMAC), so nobody finds a room
by counting ids: the event's room (the plenary, shown to the organiser and the confirmed
participants: `queries.video_links`) and, for its online B2B meetings, one room per meeting,
shown only to the meeting's two sides (their agenda and calendar), so a person learns the rooms
of their own meetings only.

The key is the event's own `video_secret` once the organiser has issued a new link
(`service.issue_video_link`), else the deployment's secret key as before. A new secret renames
every room of the event: a link that leaked, or that a participant since cancelled still has,
leads to an empty room, and only the new names are shown anywhere (pages, API, calendar)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from upland.events.models import Event
from upland.settings import get_settings

PURPOSE = b"upland.events.video-room:"
MEETING = b"upland.events.meeting-room:"


def new_secret() -> str:
    """A fresh key for an event's rooms (64 hex digits)."""
    return secrets.token_hex(32)


def _key(event: Event) -> bytes:
    return (event.video_secret or get_settings().secret_key).encode()


def _name(event: Event, what: bytes) -> str:
    return hmac.new(_key(event), what, hashlib.sha256).hexdigest()[:24]


def room_name(event: Event) -> str:
    """24 hex digits that only the key's holder derives from the event's id."""
    return _name(event, PURPOSE + str(event.id).encode())


def _link(name: str) -> str:
    """The deployment's template (`UPLAND_EVENTS_VIDEO_URL`) with the room's name filled in;
    `{event}`, the older placeholder, gets the keyed name too, never the bare id."""
    return get_settings().events_video_url.format(room=name, event=name)


def room_link(event: Event) -> str:
    return _link(room_name(event))


def meeting_room_link(event: Event, request_id: int) -> str:
    """The room of one B2B meeting (keyed by its request, which a new schedule keeps)."""
    return _link(_name(event, MEETING + str(event.id).encode() + b":" + str(request_id).encode()))
