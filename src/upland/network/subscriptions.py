"""From the marketplace's signals to relations, in the publishing transaction: an accepted
interest's introduction and a confirmed agreement are ties as soon as they commit. (A meeting
held will plug in the same way: an `Origin` of source `meeting`, subscribed to its signal.)"""

from __future__ import annotations

from sqlalchemy.orm import Session

from upland.market import signals as market
from upland.network import service
from upland.signals import record_with


def on_introduction(session: Session, signal: market.IntroductionRecorded) -> None:
    service.derive_from_introductions(session, [signal.introduction_id])


def on_agreement(session: Session, signal: market.AgreementConfirmed) -> None:
    service.derive_from_agreements(session, [signal.report_id])


record_with(market.IntroductionRecorded, on_introduction)
record_with(market.AgreementConfirmed, on_agreement)
