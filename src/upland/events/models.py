"""Events' tables: an event (brokerage day, fair, open lab, training) with its sessions.

An event's time slots are not stored: they follow from its sessions (`events.slots`), so an
edited session re-cuts them in one place. Tables, participant types, who may request whom and
the languages are short lists kept as JSON on the event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from upland.db import Base, utcnow


class Event(Base):
    """An event the coordinator or an organising organisation runs."""

    __tablename__ = "event"
    __table_args__ = (Index("ix_event_status_starts", "status", "starts_on", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12), default="draft")
    organiser_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    title_pl: Mapped[str] = mapped_column(String(200), default="")
    title_en: Mapped[str] = mapped_column(String(200), default="")
    description_pl: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    online: Mapped[bool] = mapped_column(default=False)
    # The key of the event's video rooms (`events.video`): None until the organiser first issues
    # a new link; a new one makes every earlier link lead nowhere.
    video_secret: Mapped[str | None] = mapped_column(String(64))
    # How many times it was issued: added to each meeting's calendar SEQUENCE, so calendar apps
    # take the entry's new room instead of keeping the old one (`queries.calendar_meetings`).
    video_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    venue: Mapped[str] = mapped_column(String(300), default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    starts_on: Mapped[dt.date | None] = mapped_column(Date)  # the first session's day (derived)
    registration_opens: Mapped[dt.date | None] = mapped_column(Date)
    registration_closes: Mapped[dt.date | None] = mapped_column(Date)
    capacity: Mapped[int | None]  # people confirmed at most; None: no limit
    table_count: Mapped[int] = mapped_column(default=0)
    table_names: Mapped[list[str]] = mapped_column(JSON, default=list)
    reserved_tables: Mapped[list[int]] = mapped_column(JSON, default=list)
    participant_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    request_rules: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    meeting_cap: Mapped[int | None]  # meetings per participant; None: as many as slots
    request_mode: Mapped[str] = mapped_column(String(12), default="acceptance")
    # The last schedule's report: {"at", "figures", "unplaced": {request id: reason}}.
    schedule_report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    sessions: Mapped[list[EventSession]] = relationship(
        back_populates="event",
        cascade="all, delete-orphan",
        order_by="(EventSession.day, EventSession.starts)",
    )


class EventSession(Base):
    """A stretch of one day cut into meeting slots of `slot_minutes`, breaks left out
    (`breaks`: [["12:00", "12:30"], …], local time)."""

    __tablename__ = "event_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    starts: Mapped[dt.time] = mapped_column(Time)
    ends: Mapped[dt.time] = mapped_column(Time)
    slot_minutes: Mapped[int] = mapped_column(default=30)
    breaks: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    capacity: Mapped[int | None]  # people attending at most; None: the event's places only

    event: Mapped[Event] = relationship(back_populates="sessions")


class EventRegistration(Base):
    """A person's place at an event: a member user for their organisation (the people of one
    organisation form its delegation and meet together) or a guest (name, e-mail, the
    organisation's name) whom the organiser validates.

    `status`: pending (a guest awaiting validation), confirmed, waiting (past the capacity, in
    order of `created_at`), cancelled. `sessions`: the ids of the sessions attended (empty and
    none waited for: all of them); `waiting_sessions`: those chosen but full."""

    __tablename__ = "event_registration"
    __table_args__ = (
        Index("ix_event_registration_event_status", "event_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    guest_name: Mapped[str] = mapped_column(String(200), default="")
    guest_email: Mapped[str | None] = mapped_column(String(254))
    guest_organisation: Mapped[str] = mapped_column(String(200), default="")
    # The language of the form the guest sent (their e-mails are written in it); None: Polish.
    guest_language: Mapped[str | None] = mapped_column(String(2))
    participant_type: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12))
    sessions: Mapped[list[int]] = mapped_column(JSON, default=list)
    # Chosen sessions that were full: waited for in order of `created_at` (`events.service.places`).
    waiting_sessions: Mapped[list[int]] = mapped_column(JSON, default=list)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    offer: Mapped[str] = mapped_column(Text, default="")
    seek: Mapped[str] = mapped_column(Text, default="")
    mail_off: Mapped[bool] = mapped_column(default=False)  # a guest switched our e-mails off
    attendance: Mapped[str | None] = mapped_column(String(12))  # at the door: present, no_show
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship()

    @property
    def is_guest(self) -> bool:
        return self.user_id is None and self.guest_email is not None

    def attends(self, session_id: int) -> bool:
        """Whether the person has a place in the session."""
        return session_id in self.sessions or not (self.sessions or self.waiting_sessions)


class MeetingRequest(Base):
    """One participant asks another for a meeting at a brokerage day; `priority` 1 (high) to 3
    weighs it in the schedule. `status`: pending, accepted, declined, withdrawn."""

    __tablename__ = "meeting_request"
    __table_args__ = (Index("ix_meeting_request_event_status", "event_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    requester_id: Mapped[int] = mapped_column(
        ForeignKey("event_registration.id", ondelete="CASCADE"), index=True
    )
    receiver_id: Mapped[int] = mapped_column(
        ForeignKey("event_registration.id", ondelete="CASCADE"), index=True
    )
    message: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[int] = mapped_column(default=2)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[dt.datetime | None]

    event: Mapped[Event] = relationship()
    requester: Mapped[EventRegistration] = relationship(foreign_keys=[requester_id])
    receiver: Mapped[EventRegistration] = relationship(foreign_keys=[receiver_id])


class EventMeeting(Base):
    """An accepted request's place in the schedule: a slot (`events.slots` id) and a table
    (from 1). `sequence` counts its moves (the calendar's SEQUENCE); a locked meeting keeps
    its place when the event is scheduled again."""

    __tablename__ = "event_meeting"
    __table_args__ = (Index("ix_event_meeting_event_slot", "event_id", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    request_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_request.id", ondelete="CASCADE"), unique=True
    )
    slot: Mapped[str] = mapped_column(String(40))
    table_no: Mapped[int]
    locked: Mapped[bool] = mapped_column(default=False)
    sequence: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # After the event: follow_up, agreement (of `agreement_type`) or no_interest.
    outcome: Mapped[str | None] = mapped_column(String(20))
    agreement_type: Mapped[str | None] = mapped_column(String(30))
    outcome_at: Mapped[dt.datetime | None]
    # An agreement counts once confirmed: the side that reported it (None: the organiser),
    # and how and when it was confirmed (`vocab.Confirmation`); until then one side's word.
    agreement_side_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_registration.id", ondelete="SET NULL")
    )
    agreement_confirmed_as: Mapped[str | None] = mapped_column(String(12))
    agreement_confirmed_at: Mapped[dt.datetime | None]

    request: Mapped[MeetingRequest] = relationship()

    @property
    def agreement_confirmed(self) -> bool:
        return self.agreement_confirmed_at is not None


class FeedToken(Base):
    """A person's secret calendar-feed address (only its hash is kept): rotating it makes a
    new one and the old stops working; revoking deletes it."""

    __tablename__ = "event_feed_token"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
