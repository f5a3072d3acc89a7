"""The figures of an event report, computed from plain rows (no session, no clock).

What is counted, for the participants a group chooses (a participant type, a partner area, an
event):

- **requested**: meeting requests sent or received by the group (withdrawn ones left out);
  **accepted**: of them, those accepted; **scheduled**: accepted requests given a slot and a
  table;
- **held**: scheduled meetings whose outcome was recorded, or whose two sides were both
  checked in at the door; **missed**: scheduled meetings without an outcome where a side was a
  no-show (a delegation comes when any of its people is checked in present);
- **no-show rate**: confirmed participants marked no-show out of those whose attendance was
  marked (none marked: no rate);
- **outcomes**: of the scheduled meetings, follow-up agreed, agreement signed (and by
  agreement type), no interest. An agreement counts once confirmed (by both sides, or the
  organiser); until then it is **reported by one side** and counted apart.

A meeting counts in the group of each of its sides, so the rows of a breakdown add up to more
than the total when the two sides belong to different groups. A guest is an organisation of
their own and lies outside every partner area.

Small cells: when the reader cannot see the rows behind the figures, a group of fewer than
`small_cells.MIN_CELL` organisations is not shown (nor enough others for the hidden ones not to
follow from the total), as everywhere else on the platform.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from upland import small_cells

OUTSIDE = "outside"
PRESENT, NO_SHOW = "present", "no_show"
CONFIRMED, ACCEPTED, WITHDRAWN = "confirmed", "accepted", "withdrawn"
FOLLOW_UP, AGREEMENT, NO_INTEREST = "follow_up", "agreement", "no_interest"
REPORTED = "agreement_reported"


@dataclass(frozen=True)
class ParticipantRow:
    """One registration: `party` is who meets (an organisation's delegation, or a guest
    alone), `organisation` the key counted for small cells, `area` the partner municipality
    of the organisation's headquarters (or OUTSIDE)."""

    registration_id: int
    event_id: int
    party: str
    organisation: str
    kind: str
    area: str
    status: str
    attendance: str | None = None


@dataclass(frozen=True)
class RequestRow:
    id: int
    event_id: int
    requester: int  # registration ids
    receiver: int
    status: str


@dataclass(frozen=True)
class MeetingRow:
    """A scheduled meeting (an accepted request with a slot) and what came of it."""

    request_id: int
    outcome: str | None = None
    agreement_type: str | None = None
    agreement_confirmed: bool = True  # an agreement counts once both sides or the organiser say so


@dataclass(frozen=True)
class Rows:
    participants: Sequence[ParticipantRow]
    requests: Sequence[RequestRow]
    meetings: Sequence[MeetingRow]


@dataclass(frozen=True)
class Counts:
    organisations: int = 0
    participants: int = 0
    requested: int = 0
    accepted: int = 0
    scheduled: int = 0
    held: int = 0
    missed: int = 0
    checked: int = 0  # confirmed participants whose attendance was marked
    no_shows: int = 0
    follow_up: int = 0
    agreements: int = 0
    no_interest: int = 0
    agreements_reported: int = 0  # agreements only one side has reported so far
    by_agreement: Mapping[str, int] = field(default_factory=dict)

    @property
    def no_show_rate(self) -> float | None:
        return self.no_shows / self.checked if self.checked else None


@dataclass(frozen=True)
class Group:
    """A row of a breakdown: its key (a type, an area, an event id) and its counts (None:
    not shown, a small cell)."""

    key: str
    counts: Counts | None


@dataclass(frozen=True)
class Report:
    total: Counts | None
    by_type: list[Group]
    by_area: list[Group]
    by_event: list[Group]
    hidden: bool  # small cells were suppressed for this reader


Choose = Callable[[ParticipantRow], bool]


def _attendance(rows: Rows) -> dict[tuple[int, str], str]:
    """Per (event, party): PRESENT when any of its people came, NO_SHOW when some were marked
    and none came."""
    marks: dict[tuple[int, str], set[str]] = {}
    for p in rows.participants:
        if p.status == CONFIRMED and p.attendance:
            marks.setdefault((p.event_id, p.party), set()).add(p.attendance)
    return {k: PRESENT if PRESENT in v else NO_SHOW for k, v in marks.items()}


def counts(rows: Rows, choose: Choose) -> Counts:
    """The figures of the participants `choose` picks and of their requests and meetings."""
    by_id = {p.registration_id: p for p in rows.participants}
    chosen = [p for p in rows.participants if choose(p)]
    confirmed = [p for p in chosen if p.status == CONFIRMED]
    requests = {
        r.id: r
        for r in rows.requests
        if r.status != WITHDRAWN
        and any(side in by_id and choose(by_id[side]) for side in (r.requester, r.receiver))
    }
    attended = _attendance(rows)
    held = missed = 0
    outcomes: Counter[str] = Counter()
    agreements: Counter[str] = Counter()
    meetings = [m for m in rows.meetings if m.request_id in requests]
    for m in meetings:
        request = requests[m.request_id]
        came = [
            attended.get((request.event_id, by_id[side].party)) if side in by_id else None
            for side in (request.requester, request.receiver)
        ]
        if m.outcome or came == [PRESENT, PRESENT]:
            held += 1
        elif NO_SHOW in came:
            missed += 1
        if m.outcome == AGREEMENT and not m.agreement_confirmed:
            outcomes[REPORTED] += 1
        elif m.outcome:
            outcomes[m.outcome] += 1
            if m.outcome == AGREEMENT and m.agreement_type:
                agreements[m.agreement_type] += 1
    return Counts(
        organisations=len({p.organisation for p in chosen}),
        participants=len(confirmed),
        requested=len(requests),
        accepted=sum(1 for r in requests.values() if r.status == ACCEPTED),
        scheduled=len(meetings),
        held=held,
        missed=missed,
        checked=sum(1 for p in confirmed if p.attendance),
        no_shows=sum(1 for p in confirmed if p.attendance == NO_SHOW),
        follow_up=outcomes[FOLLOW_UP],
        agreements=outcomes[AGREEMENT],
        no_interest=outcomes[NO_INTEREST],
        agreements_reported=outcomes[REPORTED],
        by_agreement=dict(sorted(agreements.items())),
    )


def _breakdown(
    rows: Rows, within: Choose, keys: Iterable[str], key_of: Callable[[ParticipantRow], str]
) -> list[tuple[str, Counts]]:
    return [
        (key, counts(rows, lambda p, key=key: within(p) and key_of(p) == key))  # type: ignore[misc]
        for key in keys
    ]


def _shown(found: list[tuple[str, Counts]], hide: bool) -> list[Group]:
    if not hide:
        return [Group(k, c) for k, c in found]
    kept = small_cells.suppress([c.organisations for _, c in found], total_known=True)
    return [Group(k, c if n is not None else None) for (k, c), n in zip(found, kept, strict=True)]


def report(
    rows: Rows,
    *,
    types: Sequence[str],
    areas: Sequence[str],
    events: Sequence[str] = (),
    within: Choose | None = None,
    hide: bool = False,
) -> Report:
    """The figures of the participants `within` chooses (all: None), in total and broken down
    by participant type, by partner area (`areas`, OUTSIDE among them when wanted) and by
    event (`events`: ids as text; none, no such breakdown). `hide`: suppress small cells."""
    pick: Choose = within or (lambda _p: True)
    seen_types = [*types, *sorted({p.kind for p in rows.participants if pick(p)} - set(types))]
    total = counts(rows, pick)
    return Report(
        total=None if hide and total.organisations < small_cells.MIN_CELL else total,
        by_type=_shown(_breakdown(rows, pick, seen_types, lambda p: p.kind), hide),
        by_area=_shown(_breakdown(rows, pick, areas, lambda p: p.area), hide),
        by_event=_shown(_breakdown(rows, pick, events, lambda p: str(p.event_id)), hide),
        hidden=hide,
    )
