"""The dashboard for the mayor's office: every figure it shows as tables in the reader's
language, written as CSV (one long table: figure, period, group, value) or as XLSX (a sheet per
figure, numbers as numbers). A hidden cell reads "not shown", as on the page."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from openpyxl import Workbook

from upland.i18n import N_, gettext_in
from upland.market.dashboard.engagement import Engagement, Rate
from upland.market.dashboard.figures import Cell, Series
from upland.market.dashboard.queries import Dashboard

Value = int | float | str | None
NOT_SHOWN = N_("not shown")
TOTAL = N_("total")
SHEET_NAME_MAX = 31  # Excel's limit


@dataclass(frozen=True)
class Table:
    """One figure: `title` and the headings translated, rows of a group label and values."""

    title: str
    header: list[str]
    rows: list[list[Value]]


def _name(cell: Cell, language: str) -> str:
    return cell.label if cell.proper else gettext_in(language, cell.label)


def _value(count: int | float | None, language: str) -> Value:
    return gettext_in(language, NOT_SHOWN) if count is None else count


def _cells(title: str, head: str, cells: list[Cell], language: str) -> Table:
    t = gettext_in
    rows: list[list[Value]] = [[_name(c, language), _value(c.count, language)] for c in cells]
    return Table(t(language, title), [t(language, head), t(language, N_("opportunities"))], rows)


def _series(title: str, series: Series, language: str) -> Table:
    t = gettext_in
    header = [t(language, N_("period")), *(_name(c, language) for c in series.columns)]
    header.append(t(language, TOTAL))
    rows: list[list[Value]] = []
    for period, cells, whole in zip(series.periods, series.rows, series.totals, strict=True):
        values = [_value(c.count, language) for c in cells]
        rows.append([period, *values, _value(whole.count, language)])
    return Table(t(language, title), header, rows)


def _percent(rate: Rate) -> float | None:
    return None if rate.value is None else round(rate.value * 100, 1)


def _key_numbers(board: Dashboard, language: str) -> Table:
    t = gettext_in
    f = board.opportunities
    rows: list[list[Value]] = [
        [t(language, N_("Opportunities put forward")), _value(f.put_forward, language)],
        [t(language, N_("Published")), _value(f.published, language)],
        [t(language, N_("Open now")), _value(f.live, language)],
        [t(language, N_("Organisations behind them")), _value(f.owners, language)],
    ]
    e = board.engagement
    if e is not None:
        days = None if e.days_to_first_interest is None else round(e.days_to_first_interest, 1)
        rows += [
            [t(language, N_("Interest rate (%)")), _value(_percent(e.interest_rate), language)],
            [t(language, N_("Acceptance rate (%)")), _value(_percent(e.acceptance_rate), language)],
            [t(language, N_("Median days to first interest")), _value(days, language)],
            [t(language, N_("Introductions")), _value(e.introductions_total, language)],
        ]
    title = t(language, N_("Key numbers"))
    return Table(title, [t(language, N_("figure")), t(language, N_("value"))], rows)


def _engagement(e: Engagement, board: Dashboard, language: str) -> Table:
    t = gettext_in
    header = [
        t(language, N_("period")),
        t(language, N_("introductions")),
        t(language, N_("meetings held")),
        t(language, N_("agreements signed")),
        t(language, N_("abandoned")),
    ]
    rows: list[list[Value]] = []
    for i, period in enumerate(board.span):
        rows.append(
            [
                period,
                _value(e.introductions[i].count, language),
                *(
                    _value(e.outcomes[k][i].count, language)
                    for k in ("meeting", "agreement", "abandoned")
                ),
            ]
        )
    return Table(t(language, N_("Introductions and outcomes")), header, rows)


def tables(board: Dashboard, language: str) -> list[Table]:
    """Every figure of the dashboard, in the order the page shows them."""
    f = board.opportunities
    found = [
        _key_numbers(board, language),
        _cells(N_("Opportunities by kind"), N_("kind"), f.by_kind, language),
        _cells(N_("Opportunities by status"), N_("status"), f.by_status, language),
        _cells(N_("Opportunities by partner city"), N_("city"), f.by_area, language),
        _series(N_("Opportunities put forward per period, by kind"), f.over_time["kind"], language),
        _series(
            N_("Opportunities put forward per period, by status"), f.over_time["status"], language
        ),
        _series(N_("Opportunities put forward per period, by city"), f.over_time["area"], language),
        _series(N_("Opportunities published per period, by kind"), f.published_over_time, language),
    ]
    if board.engagement is not None:
        found.append(_engagement(board.engagement, board, language))
    return found


def csv_text(board: Dashboard, language: str) -> str:
    """One long table: figure, row (a period or a group), column, value; with a UTF-8 BOM so
    a spreadsheet opens Polish letters right."""
    out = io.StringIO()
    writer = csv.writer(out)
    t = gettext_in
    writer.writerow(
        [
            t(language, N_("figure")),
            t(language, N_("row")),
            t(language, N_("column")),
            t(language, N_("value")),
        ]
    )
    for table in tables(board, language):
        for row in table.rows:
            for heading, value in zip(table.header[1:], row[1:], strict=True):
                writer.writerow([table.title, row[0], heading, "" if value is None else value])
    return "\ufeff" + out.getvalue()


def _sheet_title(title: str, used: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:SHEET_NAME_MAX]
    name, n = base, 2
    while name in used:
        suffix = f" ({n})"
        name, n = base[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def xlsx_bytes(board: Dashboard, language: str) -> bytes:
    """A workbook with a sheet per figure, titled in the reader's language."""
    book = Workbook(write_only=True)
    used: set[str] = set()
    for table in tables(board, language):
        sheet = book.create_sheet(_sheet_title(table.title, used))
        sheet.append([table.title])
        sheet.append(table.header)
        for row in table.rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
