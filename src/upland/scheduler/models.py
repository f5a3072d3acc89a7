"""The claim of each periodic job's latest tick: the row a process must win to run it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from upland.db import Base


class ScheduleClaim(Base):
    __tablename__ = "schedule_claim"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    claimed_at: Mapped[dt.datetime]
    claimed_by: Mapped[str] = mapped_column(String(120))
    """host:pid of the process that won the tick."""
