"""`upland.kept`: one result per database, forgotten on the signals it listens to."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from upland import kept, signals


@dataclass(frozen=True)
class Changed(signals.Signal):
    pass


@dataclass(frozen=True)
class Unrelated(signals.Signal):
    pass


def test_one_result_per_database_until_a_change_is_announced(tmp_path):
    calls: list[str] = []

    def compute(session: Session) -> str:
        calls.append(str(session.get_bind().engine.url))
        return f"result {len(calls)}"

    first_db = create_engine(f"sqlite:///{tmp_path / 'a.db'}")
    second_db = create_engine(f"sqlite:///{tmp_path / 'b.db'}")
    results = kept.Kept(compute, forget_on=(Changed,))
    try:
        with Session(first_db) as one, Session(second_db) as other:
            assert results.get(one) == "result 1"
            assert results.get(other) == "result 2"  # another database: its own result
            assert results.get(one) == "result 1"
            signals.publish(one, Unrelated())
            one.commit()
            assert results.get(one) == "result 1"
            signals.publish(one, Changed())
            assert results.get(one) == "result 1"  # announced only after commit
            one.commit()
            assert results.get(one) == "result 3"
            assert results.get(other) == "result 4"  # every database's copy is dropped
            kept.forget_all()
            assert results.get(other) == "result 5"
    finally:
        signals.unsubscribe(Changed, results.forget)
        first_db.dispose()
        second_db.dispose()
