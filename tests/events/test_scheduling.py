"""The scheduler on random instances: always valid, locked meetings stay, the bound holds."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from upland.errors import Invalid
from upland.events.scheduling import Instance, Meeting, Participant, Request, Slot, solve
from upland.events.scheduling.checks import violations
from upland.events.scheduling.solve import solve_first_fit, upper_bound


@st.composite
def instances(draw, max_parties=8, max_slots=5, max_requests=14):
    n_slots = draw(st.integers(1, max_slots))
    slots = tuple(
        Slot(f"s{i}", session=f"d{i // 3}", tables=draw(st.integers(0, 3))) for i in range(n_slots)
    )
    if sum(s.tables for s in slots) == 0:
        slots = (Slot(slots[0].id, slots[0].session, 1), *slots[1:])
    n = draw(st.integers(2, max_parties))
    participants = []
    for i in range(n):
        available = draw(st.sets(st.sampled_from([s.id for s in slots]), min_size=0))
        cap = draw(st.one_of(st.none(), st.integers(0, n_slots)))
        delegation = draw(st.sampled_from([None, None, None, f"g{i % 2}"]))
        participants.append(Participant(f"p{i}", frozenset(available), cap, delegation))
    parties = {p.id: p.party for p in participants}
    pairs = [
        (a.id, b.id)
        for a, b in itertools.combinations(participants, 2)
        if parties[a.id] != parties[b.id]
    ]
    chosen = (
        draw(
            st.lists(
                st.sampled_from(pairs),
                unique_by=lambda ab: frozenset({parties[ab[0]], parties[ab[1]]}),
                max_size=max_requests,
            )
        )
        if pairs
        else []
    )
    requests = tuple(
        Request(f"r{i}", a, b, draw(st.sampled_from([1.0, 1.0, 2.0, 3.0])))
        for i, (a, b) in enumerate(chosen)
    )
    return Instance(tuple(participants), slots, requests)


def _exact_best(instance: Instance) -> float:
    """The best weight by trying every assignment (tiny instances only)."""
    best = 0.0
    choices = [None, *range(len(instance.slots))]
    for assignment in itertools.product(choices, repeat=len(instance.requests)):
        meetings = [
            Meeting(r.id, instance.slots[s].id, 0)
            for r, s in zip(instance.requests, assignment, strict=True)
            if s is not None
        ]
        tables: dict[str, int] = {}
        numbered = []
        for m in meetings:
            tables[m.slot] = tables.get(m.slot, -1) + 1
            numbered.append(Meeting(m.request, m.slot, tables[m.slot]))
        if not violations(instance, numbered):
            best = max(best, sum(instance.requests_by_id[m.request].weight for m in numbered))
    return best


FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(instances())
def test_every_schedule_is_valid_and_reasons_cover_the_rest(instance):
    for result in (solve(instance), solve_first_fit(instance)):
        assert violations(instance, result.meetings) == []
        placed = {m.request for m in result.meetings}
        assert placed | set(result.unplaced) == {r.id for r in instance.requests}
        assert result.figures.weight <= result.figures.bound + 1e-9


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_parties=5, max_slots=3, max_requests=5))
def test_the_bound_is_never_below_the_best_schedule(instance):
    best = _exact_best(instance)
    assert upper_bound(instance) >= best - 1e-9
    assert solve(instance).figures.weight <= best + 1e-9


@FAST
@given(instances(), st.data())
def test_locked_meetings_never_move(instance, data):
    first = solve(instance)
    if not first.meetings:
        return
    locked = tuple(data.draw(st.lists(st.sampled_from(first.meetings), unique=True, max_size=3)))
    again = solve(Instance(instance.participants, instance.slots, instance.requests, locked))
    assert violations(instance, again.meetings) == []
    kept = {(m.request, m.slot) for m in again.meetings}
    assert {(m.request, m.slot) for m in locked} <= kept


@FAST
@given(instances(), st.data())
def test_a_cancellation_keeps_the_rest_in_place(instance, data):
    first = solve(instance)
    if not first.meetings:
        return
    cancelled = data.draw(st.sampled_from(first.meetings)).request
    requests = tuple(r for r in instance.requests if r.id != cancelled)
    previous = tuple(m for m in first.meetings if m.request != cancelled)
    changed = Instance(instance.participants, instance.slots, requests, (), previous)
    again = solve(changed)
    assert violations(changed, again.meetings) == []
    lost = instance.requests_by_id[cancelled].weight
    assert again.figures.weight >= first.figures.weight - lost - 1e-9
    newly = {m.request for m in again.meetings} - {m.request for m in previous}
    if not newly:
        assert again.figures.moved == 0


def _simple(**kw) -> Instance:
    slots = (Slot("a", "d1", 2), Slot("b", "d1", 2))
    people = (
        Participant("x", frozenset({"a", "b"})),
        Participant("y", frozenset({"a", "b"})),
        Participant("z", frozenset({"b"})),
    )
    return Instance(kw.get("participants", people), slots, kw["requests"])


@pytest.mark.parametrize(
    ("requests", "field"),
    [
        ((Request("r1", "x", "x"),), "requests[0]"),
        ((Request("r1", "x", "nobody"),), "requests[0].receiver"),
        ((Request("r1", "x", "y"), Request("r2", "y", "x")), "requests[1]"),
        ((Request("r1", "x", "y", weight=0),), "requests[0].weight"),
        ((Request("r1", "x", "y"), Request("r1", "x", "z")), "requests"),
    ],
    ids=["oneself", "unknown", "duplicate pair", "zero weight", "same id"],
)
def test_bad_requests_are_refused_with_where(requests, field):
    with pytest.raises(Invalid) as caught:
        solve(_simple(requests=requests))
    assert field in [e.field for e in caught.value.errors]


def test_availability_outside_the_event_and_no_tables_are_refused():
    people = (Participant("x", frozenset({"a", "zz"})), Participant("y", frozenset({"a"})))
    bad = Instance(people, (Slot("a", "d", 0),), (Request("r", "x", "y"),))
    with pytest.raises(Invalid) as caught:
        solve(bad)
    fields = {e.field for e in caught.value.errors}
    assert {"participants[0].available", "slots"} <= fields


def test_unplaced_requests_say_why():
    people = (
        Participant("x", frozenset({"a"})),
        Participant("y", frozenset({"b"})),
        Participant("z", frozenset({"a"}), cap=0),
        Participant("w", frozenset({"a", "b"})),
        Participant("u", frozenset({"a"})),
    )
    slots = (Slot("a", "d", 1), Slot("b", "d", 1))
    requests = (
        Request("no-time", "x", "y"),
        Request("full", "u", "z"),
        Request("heavy", "w", "x", weight=5),
        Request("tables", "w", "y", weight=1),
    )
    result = solve(Instance(people, slots, requests))
    assert result.unplaced["no-time"] == "no_common_availability"
    assert result.unplaced["full"] == "one_side_full"
    assert {m.request for m in result.meetings} == {"heavy", "tables"}


def test_kempe_chain_makes_a_common_slot():
    """x is free only in a, y only in b; moving x–w and y–v around frees a slot for x–y."""
    people = tuple(Participant(p, frozenset({"a", "b"})) for p in "xywv")
    slots = (Slot("a", "d", 4), Slot("b", "d", 4))
    first = (Meeting("xw", "b", 0), Meeting("yv", "a", 0))
    requests = (Request("xw", "x", "w"), Request("yv", "y", "v"), Request("xy", "x", "y", 3))
    result = solve(Instance(people, slots, requests, (), first))
    assert {m.request for m in result.meetings} == {"xw", "yv", "xy"}
    assert violations(Instance(people, slots, requests), result.meetings) == []
