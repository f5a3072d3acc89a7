"""The event report's pure figures: what is requested, accepted, scheduled, held and missed;
the no-show rate; outcomes by agreement type; breakdowns by type, area and event; small cells
hidden for readers who cannot see the rows."""

from __future__ import annotations

import pytest

from upland.events.report.figures import (
    OUTSIDE,
    MeetingRow,
    ParticipantRow,
    RequestRow,
    Rows,
    counts,
    report,
)

LUBLIN, RADOM = "0663011", "1463011"


def _p(rid: int, org: str, kind: str, area: str, attendance=None, status="confirmed", event=1):
    return ParticipantRow(rid, event, org, org, kind, area, status, attendance)


# Event 1: a (Lublin company, present), b (Radom company, two people: one no-show, one present),
# c (Lublin research, no-show), g (a guest investor, not marked), x (cancelled).
PEOPLE = [
    _p(1, "oa", "company", LUBLIN, "present"),
    _p(2, "ob", "company", RADOM, "no_show"),
    _p(3, "ob", "company", RADOM, "present"),
    _p(4, "oc", "research", LUBLIN, "no_show"),
    _p(5, "r5", "investor", OUTSIDE),
    _p(6, "ox", "company", RADOM, status="cancelled"),
]
REQUESTS = [
    RequestRow(10, 1, 1, 2, "accepted"),  # a–b: held (outcome), agreement
    RequestRow(11, 1, 4, 3, "accepted"),  # c–b: c no-show, missed
    RequestRow(12, 1, 1, 5, "accepted"),  # a–guest: scheduled, guest unmarked: not known
    RequestRow(13, 1, 5, 4, "declined"),
    RequestRow(14, 1, 1, 4, "withdrawn"),
    RequestRow(15, 1, 3, 1, "accepted"),  # b–a: both present, no outcome: held
    RequestRow(16, 1, 1, 6, "pending"),
]
MEETINGS = [
    MeetingRow(10, "agreement", "licence"),
    MeetingRow(11),
    MeetingRow(12, "follow_up"),
    MeetingRow(15),
]
ROWS = Rows(PEOPLE, REQUESTS, MEETINGS)


def test_the_whole_event():
    c = counts(ROWS, lambda p: True)
    assert (c.organisations, c.participants) == (5, 5)
    assert (c.requested, c.accepted, c.scheduled) == (6, 4, 4)
    # a–b by its outcome, a–guest by its outcome, b–a both present; c–b missed.
    assert (c.held, c.missed) == (3, 1)
    assert (c.checked, c.no_shows, c.no_show_rate) == (4, 2, 0.5)
    assert (c.follow_up, c.agreements, c.no_interest) == (1, 1, 0)
    assert dict(c.by_agreement) == {"licence": 1}


@pytest.mark.parametrize(
    ("chosen", "requested", "scheduled", "held", "missed"),
    [
        ("company", 5, 4, 3, 1),  # every request but c–guest involves a or b
        ("research", 2, 1, 0, 1),  # c–b, guest–c (declined); a–c withdrawn: left out
        ("investor", 2, 1, 1, 0),
    ],
)
def test_a_meeting_counts_for_each_of_its_sides(chosen, requested, scheduled, held, missed):
    c = counts(ROWS, lambda p: p.kind == chosen)
    assert (c.requested, c.scheduled, c.held, c.missed) == (requested, scheduled, held, missed)


def test_no_rate_when_nobody_was_checked():
    c = counts(Rows([_p(1, "oa", "company", LUBLIN)], [], []), lambda p: True)
    assert c.no_show_rate is None and c.checked == 0


def test_breakdowns_by_type_area_and_event():
    found = report(ROWS, types=["company", "research"], areas=[LUBLIN, RADOM, OUTSIDE])
    assert [g.key for g in found.by_type] == ["company", "research", "investor"]
    by_area = {g.key: g.counts for g in found.by_area}
    assert by_area[LUBLIN].organisations == 2 and by_area[RADOM].organisations == 2
    assert by_area[OUTSIDE].participants == 1
    assert found.by_event == [] and not found.hidden


def _many(area: str, n: int, first: int, event: int = 1) -> list[ParticipantRow]:
    return [_p(first + i, f"o{first + i}", "company", area, event=event) for i in range(n)]


def test_small_cells_are_hidden_for_readers_who_cannot_see_the_rows():
    people = [*_many(LUBLIN, 6, 100), *_many(RADOM, 5, 200), *_many(OUTSIDE, 2, 300)]
    rows = Rows(people, [], [])
    shown = report(rows, types=["company"], areas=[LUBLIN, RADOM, OUTSIDE], hide=False)
    assert all(g.counts is not None for g in shown.by_area)
    hidden = report(rows, types=["company"], areas=[LUBLIN, RADOM, OUTSIDE], hide=True)
    by_area = {g.key: g.counts for g in hidden.by_area}
    assert by_area[OUTSIDE] is None
    # With the total shown, one hidden cell would follow by subtraction: the next smallest goes.
    assert by_area[RADOM] is None and by_area[LUBLIN] is not None
    assert hidden.total is not None and hidden.total.organisations == 13


def test_a_small_total_is_hidden_too():
    rows = Rows(_many(LUBLIN, 4, 1), [], [])
    found = report(rows, types=["company"], areas=[LUBLIN], hide=True, within=None)
    assert found.total is None and found.by_area[0].counts is None


def test_within_restricts_to_an_area_and_events_break_down():
    people = [*_many(LUBLIN, 5, 1, event=1), *_many(LUBLIN, 6, 10, event=2), *_many(RADOM, 5, 30)]
    requests = [RequestRow(1, 1, 1, 30, "accepted"), RequestRow(2, 1, 31, 32, "accepted")]
    found = report(
        Rows(people, requests, []),
        types=["company"],
        areas=[],
        events=["1", "2"],
        within=lambda p: p.area == LUBLIN,
        hide=True,
    )
    assert found.total is not None and found.total.organisations == 11
    assert found.total.requested == 1  # Radom's own request is not Lublin's
    assert [g.counts.organisations for g in found.by_event if g.counts] == [5, 6]
