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

A partner area's reader may ask several reports of the same participants (across all events,
at each event, each broken down by type), and subtract one from another. So the area report
hides cells by one decision over the whole two-way table those reports are cut from (`ALL`
marks a margin): `hidden_cells` hides every small cell, then more until no hidden cell follows
from the others by sums along any row or column (with the margins negated, every row and column
of the table sums to zero, and a hidden cell is determined exactly when it is a bridge in the
graph of hidden cells), and no row or column with its sum shown hides a small number in all.
Rows of events the reader organises are known to them: the decision is taken on the rest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
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


ALL = ""  # the margin of a row or column of the area table (every event, every type)
Cell = tuple[str, str]  # (an event id as text, or ALL; a participant type, or ALL)


def organisation_grid(rows: Rows, within: Choose, events: Iterable[str]) -> dict[Cell, int]:
    """Organisations per (event, participant type) among the participants `within` chooses at
    `events`, with the margins (ALL) as the reports count them (an organisation at two events
    counts once across them). A cell that is not there holds nobody."""
    keys = set(events)
    found: dict[Cell, set[str]] = {}
    for p in rows.participants:
        e = str(p.event_id)
        if e in keys and within(p):
            for cell in ((e, p.kind), (e, ALL), (ALL, p.kind), (ALL, ALL)):
                found.setdefault(cell, set()).add(p.organisation)
    return {cell: len(orgs) for cell, orgs in found.items()}


Node = tuple[str, str]  # ("r", a row's key) or ("c", a column's key)


def _reached(edges: set[Cell], start: Node, without: Cell) -> set[Node]:
    """The nodes reached from `start` over the hidden cells (edges), leaving one out."""
    seen, todo = {start}, [start]
    while todo:
        side, key = todo.pop()
        for r, c in edges:
            if (r, c) == without:
                continue
            if side == "r" and r == key:
                other = ("c", c)
            elif side == "c" and c == key:
                other = ("r", r)
            else:
                continue
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def hidden_cells(grid: Mapping[Cell, int]) -> frozenset[Cell]:
    """The cells of an area table (`organisation_grid` of the events the reader does not
    organise) to hide so that no combination of the reports cut from it gives a small cell
    back: small cells, then more while a row or column whose sum is shown hides a small number
    in all, or a hidden cell is a bridge of the graph of hidden cells (it follows by sums)."""
    hidden = {cell for cell, n in grid.items() if small_cells.is_small(n)}
    row_keys = {r for r, _ in grid}
    column_keys = {c for _, c in grid}
    # Each line: its cells other than the margin, and its margin (the sum of the others).
    lines = [
        ([(r, c) for c in column_keys if c != ALL and (r, c) in grid], (r, ALL)) for r in row_keys
    ] + [([(r, c) for r in row_keys if r != ALL and (r, c) in grid], (ALL, c)) for c in column_keys]

    def smallest(cells: Iterable[Cell]) -> Cell | None:
        open_ = sorted((grid[c], c) for c in cells if c not in hidden)
        return open_[0][1] if open_ else None

    while True:
        more: Cell | None = None
        for members, margin in lines:
            inside = [c for c in members if c in hidden]
            in_all = sum(grid[c] for c in inside)
            if inside and margin not in hidden and small_cells.is_small(in_all):
                more = smallest(members) or margin
                break
        if more is None:
            for r, c in sorted(hidden):
                one = _reached(hidden, ("r", r), (r, c))
                if ("c", c) in one:
                    continue  # on a cycle of hidden cells: it does not follow
                other = _reached(hidden, ("c", c), (r, c))
                across = [
                    (x, y)
                    for (x, y) in grid
                    if (("r", x) in one and ("c", y) in other)
                    or (("r", x) in other and ("c", y) in one)
                ]
                line = [cell for cell in grid if cell[0] == r or cell[1] == c]
                more = smallest(across) or smallest(line) or smallest(grid)
                if more:
                    break
        if more is None:
            return frozenset(hidden)
        hidden.add(more)


def masked(found: Report, hidden: frozenset[Cell], row: str, *, shown: bool) -> Report:
    """An area report cut from the table at `row` (ALL: across the events, with a column per
    event; an event id: that event), its cells in `hidden` not shown. `shown`: whether the
    reader could see every row counted (then nothing is hidden)."""

    def cut(cell: Cell, counts: Counts | None) -> Counts | None:
        return None if cell in hidden else counts

    return Report(
        total=cut((row, ALL), found.total),
        by_type=[Group(g.key, cut((row, g.key), g.counts)) for g in found.by_type],
        by_area=found.by_area,
        by_event=[Group(g.key, cut((g.key, ALL), g.counts)) for g in found.by_event],
        hidden=not shown,
    )


def area_report(
    rows: Rows, within: Choose, events: Sequence[str], *, one: str | None, known: Collection[str]
) -> Report:
    """A partner area's report: the participants `within` chooses (the area's) across `events`
    (ids as text, a column each), or at event `one` alone. `known`: the events whose rows the
    reader sees (they organise them). One decision over every report of the area (all events,
    each event, each broken down by type), taken on the events not known: no report, nor any
    difference of reports, gives a small cell back."""
    counted = {one} if one is not None else set(events)
    found = report(
        rows,
        types=[],  # the types of the area's participants only
        areas=[],
        events=[] if one is not None else list(events),
        within=lambda p: within(p) and str(p.event_id) in counted,
    )
    grid = organisation_grid(rows, within, [e for e in events if e not in known])
    row = ALL if one is None else one
    return masked(found, hidden_cells(grid), row, shown=counted <= set(known))


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
