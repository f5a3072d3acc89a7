"""When things happen in the demo market: publication days growing year by year from the
letter of intent to `AS_OF`, and aware UTC moments in working hours."""

from __future__ import annotations

import datetime as dt
from random import Random

from upland.demo.profiles import AS_OF

LETTER = dt.date(2018, 3, 19)  # the mayors' letter of intent
END = dt.datetime.combine(AS_OF, dt.time(18), tzinfo=dt.UTC)  # nothing happens after this
PER_YEAR = {2018: 9, 2019: 18, 2020: 24, 2021: 30, 2022: 35, 2023: 40, 2024: 45, 2025: 50,
            2026: 49}  # fmt: skip  # 2026 ends on AS_OF (31 October): still the busiest pace


def publication_days(rng: Random) -> list[dt.date]:
    """The days opportunities are created on, sorted: `PER_YEAR[y]` in each year."""
    days: list[dt.date] = []
    for year, count in PER_YEAR.items():
        first = max(dt.date(year, 1, 1), LETTER)
        last = min(dt.date(year, 12, 31), AS_OF)
        span = (last - first).days
        days += [first + dt.timedelta(days=rng.randint(0, span)) for _ in range(count)]
    return sorted(days)


def moment(rng: Random, day: dt.date) -> dt.datetime:
    """A time in working hours (Warsaw 8–16 is 6–15 UTC at most) on `day`."""
    return dt.datetime.combine(day, dt.time(rng.randint(6, 14), rng.randrange(60)), tzinfo=dt.UTC)


def between(rng: Random, start: dt.datetime, end: dt.datetime) -> dt.datetime | None:
    """A moment strictly after `start` and before `end`, in whole minutes; None if no room."""
    minutes = int((end - start).total_seconds() // 60)
    if minutes < 2:
        return None
    return start + dt.timedelta(minutes=rng.randint(1, minutes - 1))


def after(rng: Random, start: dt.datetime, low_days: int, high_days: int) -> dt.datetime | None:
    """A moment some days after `start`, if it is still before the end of the demo."""
    when = start + dt.timedelta(days=rng.randint(low_days, high_days), minutes=rng.randint(5, 600))
    return when if when < END else None


def day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)
