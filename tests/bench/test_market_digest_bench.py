"""The digest benchmark at a tiny size: it runs, and the real fan-out and the naive per-person
loop produce the same digests (no timing assertions)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from upland.bench import market_data as data
from upland.bench import market_digest as bench
from upland.bench.harness import Report
from upland.db import make_engine
from upland.market.saved.models import SavedSearch


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    path = Path(tmp_path_factory.mktemp("bench")) / "digest.db"
    engine = make_engine(f"sqlite:///{path}")
    data.build(engine, 400, lambda _message: None, organisations=40)
    bench.add_people(engine, 300)
    yield engine
    engine.dispose()


def test_people_have_saved_searches(engine):
    with Session(engine) as session:
        people = session.scalar(select(func.count(func.distinct(SavedSearch.user_id))))
    assert people == 300


def test_fast_and_naive_produce_the_same_digests(engine):
    lines: list[str] = []
    report = Report("tiny", bench.COLUMNS, out=lines.append)
    fast, naive = bench.run(engine, 300, report, lambda _message: None, new=40)
    assert fast == naive
    assert sum(len(v) for v in fast.values()) > 10  # the world tells some people something
    assert len(lines) == 1 and "naive loop" in lines[0]
    assert len(report.rows) == 1
