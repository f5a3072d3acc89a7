"""From other areas' signals to relations, in the publishing transaction: an accepted
interest's introduction, a confirmed agreement, a brokerage-day meeting held (its outcome
recorded, or both sides marked present) and an agreement that came of it are ties as soon as
they commit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from upland.events import signals as events
from upland.market import signals as market
from upland.network import service
from upland.signals import record_with


def on_introduction(session: Session, signal: market.IntroductionRecorded) -> None:
    service.derive_from_introductions(session, [signal.introduction_id])


def on_agreement(session: Session, signal: market.AgreementConfirmed) -> None:
    service.derive_from_agreements(session, [signal.report_id])


def on_meeting_outcome(session: Session, signal: events.MeetingOutcomeRecorded) -> None:
    service.derive_from_meetings(session, ids=[signal.meeting_id])


def on_attendance(session: Session, signal: events.AttendanceMarked) -> None:
    """Somebody's attendance changed: a meeting whose two sides are now present was held, one
    whose side is no longer present (and has no outcome) was not."""
    if signal.organisation_id is not None:
        service.derive_from_meetings(session, event_id=signal.event_id)


record_with(market.IntroductionRecorded, on_introduction)
record_with(market.AgreementConfirmed, on_agreement)
record_with(events.MeetingOutcomeRecorded, on_meeting_outcome)
record_with(events.AttendanceMarked, on_attendance)
