"""What came of the opportunities: interest and acceptance rates, time to first interest,
introductions and outcomes by period. Pure functions over plain rows.

The rows come from whoever keeps interests, introductions and outcomes (issue 9, part c): it
registers a `Source` (`register_source`) that reads them through its own queries for the
opportunities a dashboard covers; until one is registered the dashboard shows opportunity
figures only. Organisation ids travel with every row so small cells can be hidden
(`upland.small_cells`), like every figure shown to someone who cannot see the rows.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Select
from sqlalchemy.orm import Session

from upland.market.dashboard.figures import Cell, Grain, Group, cells_of, period_of, single, slot
from upland.small_cells import MIN_CELL

ACCEPTED, DECLINED = "accepted", "declined"
OUTCOME_KINDS = ("meeting", "agreement", "abandoned")


@dataclass(frozen=True)
class PublishedRow:
    """An opportunity that was published: when, and whose."""

    opportunity_id: int
    owner_id: int
    published_at: dt.datetime


@dataclass(frozen=True)
class InterestRow:
    """An expression of interest: by which organisation, when, and the owner's answer
    (`pending`, `accepted`, `declined`; withdrawn ones are not rows)."""

    opportunity_id: int
    organisation_id: int
    created_at: dt.datetime
    status: str


@dataclass(frozen=True)
class IntroductionRow:
    """Two organisations introduced through an opportunity (an accepted interest)."""

    id: int
    opportunity_id: int
    organisations: tuple[int, int]
    created_at: dt.datetime


@dataclass(frozen=True)
class OutcomeRow:
    """What an introduction led to (`meeting`, `agreement`, `abandoned`), counted once per
    introduction and kind when it counts (an agreement: both sides or the coordinator
    confirmed it)."""

    introduction_id: int
    kind: str
    recorded_at: dt.datetime
    organisations: tuple[int, int]


class Source(Protocol):
    """Reads the engagement rows of the opportunities selected by `opportunities` (a SELECT of
    opportunity ids the dashboard covers)."""

    def interests(self, session: Session, opportunities: Select[Any]) -> list[InterestRow]: ...

    def introductions(
        self, session: Session, opportunities: Select[Any]
    ) -> list[IntroductionRow]: ...

    def outcomes(self, session: Session, opportunities: Select[Any]) -> list[OutcomeRow]: ...


_sources: list[Source] = []


def register_source(source: Source) -> Source:
    """The area that keeps interests registers its reader here, once."""
    if source not in _sources:
        _sources.append(source)
    return source


def unregister_source(source: Source) -> None:
    if source in _sources:
        _sources.remove(source)


def source() -> Source | None:
    return _sources[-1] if _sources else None


@dataclass(frozen=True)
class Rate:
    """`part` of `whole` (None when suppressed or when there is nothing to divide)."""

    part: int | None
    whole: int | None

    @property
    def value(self) -> float | None:
        if self.part is None or not self.whole:
            return None
        return self.part / self.whole


def _enough(organisations: set[int], hide: bool) -> bool:
    return not hide or len(organisations) >= MIN_CELL


def interest_rate(
    published: Sequence[PublishedRow], interests: Sequence[InterestRow], hide: bool
) -> Rate:
    """Of the published opportunities, how many received at least one interest."""
    interested = {i.opportunity_id for i in interests}
    hit = [p for p in published if p.opportunity_id in interested]
    owners = {p.owner_id for p in published}
    if not (_enough(owners, hide) and _enough({p.owner_id for p in hit}, hide)):
        return Rate(None, None)
    return Rate(len(hit), len(published))


def acceptance_rate(interests: Sequence[InterestRow], hide: bool) -> Rate:
    """Of the interests the owners answered, how many they accepted."""
    decided = [i for i in interests if i.status in (ACCEPTED, DECLINED)]
    accepted = [i for i in decided if i.status == ACCEPTED]
    if not (
        _enough({i.organisation_id for i in decided}, hide)
        and _enough({i.organisation_id for i in accepted}, hide)
    ):
        return Rate(None, None)
    return Rate(len(accepted), len(decided))


def days_to_first_interest(
    published: Sequence[PublishedRow], interests: Sequence[InterestRow], hide: bool
) -> float | None:
    """The median time from publication to the first interest, in days, over the opportunities
    that received one (interests dated before publication count from publication)."""
    first: dict[int, dt.datetime] = {}
    for i in interests:
        if i.opportunity_id not in first or i.created_at < first[i.opportunity_id]:
            first[i.opportunity_id] = i.created_at
    waits: list[float] = []
    owners: set[int] = set()
    for p in published:
        if p.opportunity_id in first:
            seconds = max((first[p.opportunity_id] - p.published_at).total_seconds(), 0.0)
            waits.append(seconds / 86_400)
            owners.add(p.owner_id)
    if not waits or not _enough(owners, hide):
        return None
    return statistics.median(waits)


def _per_period(
    items: Iterable[tuple[dt.datetime, tuple[int, ...]]], grain: Grain, span: list[str]
) -> dict[str, Group]:
    groups: dict[str, Group] = defaultdict(Group)
    for moment, organisations in items:
        key = slot(period_of(moment.year, moment.month, grain), span)
        before = groups[key]
        # Every organisation of a hidden-rows figure counts as unseen (`Group.unseen_owners`).
        groups[key] = Group(
            before.count + 1,
            before.owners | set(organisations),
            before.unseen_owners | set(organisations),
        )
    return groups


def introductions_by_period(
    introductions: Sequence[IntroductionRow], grain: Grain, span: list[str], hide: bool
) -> list[Cell]:
    items = ((i.created_at, i.organisations) for i in introductions)
    return cells_of(span, {}, _per_period(items, grain, span), hide)


def outcomes_by_period(
    outcomes: Sequence[OutcomeRow], grain: Grain, span: list[str], hide: bool
) -> dict[str, list[Cell]]:
    """Per outcome kind, one cell per period."""
    found = {}
    for kind in OUTCOME_KINDS:
        items = ((o.recorded_at, o.organisations) for o in outcomes if o.kind == kind)
        found[kind] = cells_of(span, {}, _per_period(items, grain, span), hide)
    return found


def introductions_total(introductions: Sequence[IntroductionRow], hide: bool) -> int | None:
    """Every introduction of the dashboard, hidden only when fewer than `MIN_CELL`
    organisations stand behind all of them: the per-period cells are suppressed knowing the
    total is shown (`cells_of`), so a hidden period cannot be recovered from it."""
    organisations = frozenset(o for i in introductions for o in i.organisations)
    return single(Group(len(introductions), organisations, organisations), hide)


@dataclass(frozen=True)
class Engagement:
    interest_rate: Rate
    acceptance_rate: Rate
    days_to_first_interest: float | None
    introductions: list[Cell]  # per period
    outcomes: dict[str, list[Cell]]  # per kind, per period
    introductions_total: int | None


def engagement_figures(
    published: Sequence[PublishedRow],
    interests: Sequence[InterestRow],
    introductions: Sequence[IntroductionRow],
    outcomes: Sequence[OutcomeRow],
    *,
    grain: Grain,
    span: list[str],
    hide: bool,
) -> Engagement:
    return Engagement(
        interest_rate=interest_rate(published, interests, hide),
        acceptance_rate=acceptance_rate(interests, hide),
        days_to_first_interest=days_to_first_interest(published, interests, hide),
        introductions=introductions_by_period(introductions, grain, span, hide),
        outcomes=outcomes_by_period(outcomes, grain, span, hide),
        introductions_total=introductions_total(introductions, hide),
    )
