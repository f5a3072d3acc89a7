"""The reports in the JSON API: counts as numbers, a small cell as null."""

from __future__ import annotations

from pydantic import BaseModel, Field

from upland.events.report.figures import Counts, Group


class ReportCounts(BaseModel):
    """One column of a report (`events.report.figures` says what each number counts)."""

    organisations: int
    participants: int = Field(description="confirmed participants")
    requested: int
    accepted: int
    scheduled: int
    held: int
    missed: int = Field(description="scheduled meetings a side did not come to")
    checked: int = Field(description="confirmed participants whose attendance was marked")
    no_shows: int
    no_show_rate: float | None = Field(description="no-shows / checked; null: none checked")
    follow_up: int
    agreements: int = Field(description="confirmed by both sides or the organiser")
    no_interest: int
    agreements_reported: int = Field(description="agreements reported by one side only")
    agreements_by_type: dict[str, int]


class ReportGroup(BaseModel):
    key: str = Field(description="a participant type, a partner municipality, or an event id")
    name: str
    counts: ReportCounts | None = Field(description="null: not shown (under 5 organisations)")


class EventReportRead(BaseModel):
    event_id: int
    title: str
    total: ReportCounts
    by_type: list[ReportGroup]
    by_area: list[ReportGroup]


class AreaReportRead(BaseModel):
    area: str = Field(description="the partner municipality's TERYT, or `outside`")
    area_name: str
    event_id: int | None
    small_cells_hidden: bool
    total: ReportCounts | None
    by_type: list[ReportGroup]
    by_event: list[ReportGroup]


def read_counts(c: Counts | None) -> ReportCounts | None:
    if c is None:
        return None
    return ReportCounts(
        organisations=c.organisations,
        participants=c.participants,
        requested=c.requested,
        accepted=c.accepted,
        scheduled=c.scheduled,
        held=c.held,
        missed=c.missed,
        checked=c.checked,
        no_shows=c.no_shows,
        no_show_rate=c.no_show_rate,
        follow_up=c.follow_up,
        agreements=c.agreements,
        no_interest=c.no_interest,
        agreements_reported=c.agreements_reported,
        agreements_by_type=dict(c.by_agreement),
    )


def read_groups(groups: list[Group], names: dict[str, str]) -> list[ReportGroup]:
    return [
        ReportGroup(key=g.key, name=names.get(g.key, g.key), counts=read_counts(g.counts))
        for g in groups
    ]
