"""The domain's clock: the wall clock, or a replayed past that only moves forward and ends with
its block (`upland.clock`)."""

from __future__ import annotations

import datetime as dt

import pytest

from upland import clock
from upland.db import utcnow

START = dt.datetime(2018, 3, 19, tzinfo=dt.UTC)


def test_the_wall_clock_outside_a_replay() -> None:
    before = dt.datetime.now(dt.UTC)
    assert not clock.replaying()
    assert before <= clock.now() <= dt.datetime.now(dt.UTC)


def test_a_replay_sets_the_time_every_writer_reads_and_ends_with_its_block() -> None:
    later = START + dt.timedelta(days=400, hours=3)
    with clock.replay(START) as replay:
        assert clock.replaying() and clock.now() == utcnow() == START
        replay.at(later)
        assert clock.now() == later and clock.today() == later.date()
    assert not clock.replaying()
    assert clock.now().year >= 2026


def test_the_replayed_clock_never_runs_back_and_keeps_aware_times() -> None:
    with clock.replay(START) as replay:
        with pytest.raises(ValueError, match="cannot go back"):
            replay.at(START - dt.timedelta(seconds=1))
        with pytest.raises(ValueError, match="aware"):
            replay.at(dt.datetime(2019, 1, 1))
        assert clock.now() == START
    with pytest.raises(ValueError, match="aware"), clock.replay(dt.datetime(2019, 1, 1)):
        pass
