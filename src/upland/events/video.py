"""The video room of an online event. Its name is keyed with the deployment's secret key (an
HMAC of the event's id), so nobody finds a room by counting event ids; who is shown the link
is `queries.video_links`' rule (the organiser and the confirmed participants)."""

from __future__ import annotations

import hashlib
import hmac

from upland.settings import get_settings

PURPOSE = b"upland.events.video-room:"


def room_name(event_id: int) -> str:
    """24 hex digits that only the secret key's holder derives from the event's id."""
    key = get_settings().secret_key.encode()
    return hmac.new(key, PURPOSE + str(event_id).encode(), hashlib.sha256).hexdigest()[:24]


def room_link(event_id: int) -> str:
    """The deployment's template (`UPLAND_EVENTS_VIDEO_URL`) with the room's name filled in;
    `{event}`, the older placeholder, gets the keyed name too, never the bare id."""
    name = room_name(event_id)
    return get_settings().events_video_url.format(room=name, event=name)
