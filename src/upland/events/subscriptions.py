"""From other areas' signals to events, in the publishing transaction: a person who leaves an
organisation no longer holds a place at its coming events."""

from __future__ import annotations

from sqlalchemy.orm import Session

from upland.accounts.signals import MembershipEnded
from upland.actor import SYSTEM
from upland.events.service.registrations import end_registrations_for
from upland.signals import record_with


def on_membership_ended(session: Session, signal: MembershipEnded) -> None:
    end_registrations_for(session, SYSTEM, signal.user_id, signal.organisation_id)


record_with(MembershipEnded, on_membership_ended)
