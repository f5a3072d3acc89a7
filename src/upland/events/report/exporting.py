"""The reports as tables in the reader's language: one figure per row, a column for all the
participants counted and one per group (participant type, partner city, event). The pages show
these tables and the exports write them (`upland.spreadsheets`: CSV or XLSX, formulas
neutralised), so a page and its download never disagree. A small cell reads "not shown"."""

from __future__ import annotations

from collections.abc import Callable

from upland import spreadsheets
from upland.events.models import Event
from upland.events.report.figures import OUTSIDE, Counts, Group
from upland.events.report.queries import AreaReport, EventReport
from upland.i18n import N_, gettext_in, label
from upland.spreadsheets import Table, Value

NOT_SHOWN = N_("not shown")
HEADING = (N_("figure"), N_("row"), N_("column"), N_("value"))


def _rate(c: Counts) -> Value:
    rate = c.no_show_rate
    return None if rate is None else round(rate * 100, 1)


FIGURES: tuple[tuple[str, Callable[[Counts], Value]], ...] = (
    (N_("Organisations"), lambda c: c.organisations),
    (N_("Confirmed participants"), lambda c: c.participants),
    (N_("Meetings requested"), lambda c: c.requested),
    (N_("Requests accepted"), lambda c: c.accepted),
    (N_("Meetings scheduled"), lambda c: c.scheduled),
    (N_("Meetings held"), lambda c: c.held),
    (N_("Meetings missed (a side did not come)"), lambda c: c.missed),
    (N_("Participants checked at the door"), lambda c: c.checked),
    (N_("No-shows"), lambda c: c.no_shows),
    (N_("No-show rate (%)"), _rate),
    (N_("Follow-up agreed"), lambda c: c.follow_up),
    (N_("Agreements signed"), lambda c: c.agreements),
    (N_("Agreements reported by one side"), lambda c: c.agreements_reported),
    (N_("No interest"), lambda c: c.no_interest),
)


def _agreement_types(columns: list[Counts | None]) -> list[str]:
    return sorted({t for c in columns if c is not None for t in c.by_agreement})


def table(title: str, first: str, groups: list[tuple[str, Counts | None]], language: str) -> Table:
    """Figures as rows, `groups` (a column heading and its counts) as columns."""
    t = gettext_in
    columns = [c for _, c in groups]
    rows: list[list[Value]] = []
    hidden = t(language, NOT_SHOWN)
    for msgid, value in FIGURES:
        rows.append([t(language, msgid), *(hidden if c is None else value(c) for c in columns)])
    for kind in _agreement_types(columns):
        name = t(language, N_("Agreements: %(type)s")) % {
            "type": label("partnership_type", kind, language)
        }
        rows.append(
            [name, *(hidden if c is None else c.by_agreement.get(kind, 0) for c in columns)]
        )
    return Table(title, [first, *(heading for heading, _ in groups)], rows)


def _kept(groups: list[Group]) -> list[Group]:
    """Groups with somebody in them (a hidden one stays: its emptiness is not told)."""
    return [g for g in groups if g.counts is None or g.counts.organisations > 0]


def event_title(event: Event, language: str) -> str:
    title = (event.title_en or event.title_pl) if language == "en" else event.title_pl
    title = title or event.title_pl or event.title_en
    return f"{event.starts_on.isoformat()} {title}" if event.starts_on else title


def area_name(key: str, names: dict[str, str], language: str) -> str:
    """A partner city's own name; "outside the partner areas" in the reader's language."""
    return gettext_in(language, names[key]) if key == OUTSIDE else names[key]


def event_tables(found: EventReport, language: str) -> list[Table]:
    t = gettext_in
    r = found.report
    all_ = t(language, N_("all participants"))
    by_type = [(label("participant_type", g.key, language), g.counts) for g in _kept(r.by_type)]
    by_area = [(area_name(g.key, found.areas, language), g.counts) for g in r.by_area]
    figure = t(language, N_("figure"))
    return [
        table(
            t(language, N_("By participant type")), figure, [(all_, r.total), *by_type], language
        ),
        table(t(language, N_("By partner city")), figure, [(all_, r.total), *by_area], language),
    ]


def area_tables(found: AreaReport, language: str) -> list[Table]:
    t = gettext_in
    r = found.report
    all_ = t(language, N_("all from the area"))
    figure = t(language, N_("figure"))
    by_type = [(label("participant_type", g.key, language), g.counts) for g in _kept(r.by_type)]
    found_tables = [
        table(t(language, N_("By participant type")), figure, [(all_, r.total), *by_type], language)
    ]
    if r.by_event:
        titles = {str(e.id): event_title(e, language) for e in found.events}
        by_event = [(titles[g.key], g.counts) for g in r.by_event]
        found_tables.append(
            table(t(language, N_("By event")), figure, [(all_, r.total), *by_event], language)
        )
    return found_tables


def heading(language: str) -> list[str]:
    return [gettext_in(language, h) for h in HEADING]


def csv_text(tables: list[Table], language: str) -> str:
    return spreadsheets.csv_text(tables, heading(language))


def xlsx_bytes(tables: list[Table]) -> bytes:
    return spreadsheets.xlsx_bytes(tables)
