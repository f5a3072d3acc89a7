"""The reports as the API and the command line give them (English names)."""

from __future__ import annotations

from upland.events.report.exporting import area_name, event_title
from upland.events.report.queries import AreaReport, EventReport
from upland.events.report.schemas import (
    AreaReportRead,
    EventReportRead,
    read_counts,
    read_groups,
)
from upland.i18n import labels_of


def _types() -> dict[str, str]:
    return dict(labels_of("participant_type"))


def event_report_read(found: EventReport) -> EventReportRead:
    r = found.report
    total = read_counts(r.total)
    assert total is not None  # the organiser's report hides nothing
    areas = {k: area_name(k, found.areas, "en") for k in found.areas}
    return EventReportRead(
        event_id=found.event.id,
        title=found.event.title_en or found.event.title_pl,
        total=total,
        by_type=read_groups(r.by_type, _types()),
        by_area=read_groups(r.by_area, areas),
    )


def area_report_read(found: AreaReport) -> AreaReportRead:
    r = found.report
    titles = {str(e.id): event_title(e, "en") for e in found.events}
    return AreaReportRead(
        area=found.area,
        area_name=area_name(found.area, {found.area: found.area_name}, "en"),
        event_id=found.event.id if found.event else None,
        small_cells_hidden=r.hidden,
        total=read_counts(r.total),
        by_type=read_groups(r.by_type, _types()),
        by_event=read_groups(r.by_event, titles),
    )
