"""The scheduling benchmark's events: the sizes the issue states, skewed, valid schedules."""

from __future__ import annotations

from collections import Counter

from upland.bench.scheduling import SIZES, Size, generate, late_changes, main
from upland.events.scheduling import solve
from upland.events.scheduling.checks import check_instance, violations


def test_generated_events_have_the_stated_size_and_skew():
    size = SIZES["small"]
    instance = generate(size)
    check_instance(instance)
    assert len(instance.participants) == size.participants
    assert len(instance.requests) == size.requests
    assert len(instance.slots) == size.slots
    asked = Counter(r.receiver for r in instance.requests)
    assert asked.most_common(1)[0][1] >= 5 * (size.requests / size.participants)  # popular few
    assert any(len(members) > 1 for members in instance.parties.values())  # delegations
    assert generate(size) == instance  # fixed seed


def test_people_not_tables_bind():
    instance = generate(Size(60, 300, 8, 30))
    result = solve(instance)
    assert violations(instance, result.meetings) == []
    assert "table_shortage" not in result.unplaced.values()


def test_main_prints_both_lines(capsys):
    main(size="small")
    out = capsys.readouterr().out
    assert "[small] first fit" in out and "[small] project" in out and "of the best bound" in out
    assert "proven optimal" in out and "[small] re-schedule after late changes" in out


def test_late_changes_give_a_valid_instance_with_the_schedule_as_previous():
    instance = generate(Size(60, 300, 8, 30))
    first = solve(instance, time_limit=10)
    changed, impossible = late_changes(instance, first)
    check_instance(changed)
    assert len(changed.previous) < len(first.meetings)
    assert {m.request for m in changed.previous} <= {m.request for m in first.meetings}
    assert impossible >= 0
    assert any(r.id.startswith("late") for r in changed.requests)
