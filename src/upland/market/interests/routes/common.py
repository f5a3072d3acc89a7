"""What the API and the pages of interests share."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from upland.actor import Actor
from upland.market.interests import presenters, queries
from upland.market.interests.schemas import IntroductionRead


def introduction_read(session: Session, actor: Actor, introduction_id: int) -> IntroductionRead:
    row = queries.get_introduction(session, actor, introduction_id)
    names = presenters.introduction_names(session, [row])
    return presenters.introduction(session, actor, row, names, with_contacts=True)


def month_of(text: str | None, today: dt.date) -> dt.date:
    """The first day of a `YYYY-MM` month (validated by the caller's pattern), or this month."""
    if not text:
        return today.replace(day=1)
    year, month = text.split("-")
    return dt.date(int(year), int(month), 1)
