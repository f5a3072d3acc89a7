"""Every write of the events area (DESIGN rule 1): each function checks permission first,
records an audit entry and publishes its signal. Split by subject: `events` (create, edit,
publish, cancel)."""

from upland.events.service.events import (
    cancel_event,
    create_event,
    publish_event,
    update_event,
    visible_event,
)

__all__ = ["cancel_event", "create_event", "publish_event", "update_event", "visible_event"]
