"""The dashboard for the mayor's office: every figure it shows as tables in the reader's
language, written as CSV (one long table: figure, period, group, value) or as XLSX (a sheet per
figure, numbers as numbers). A hidden cell reads "not shown", as on the page."""

from __future__ import annotations

from upland import spreadsheets
from upland.i18n import N_, gettext_in
from upland.market.dashboard.engagement import Engagement, Rate
from upland.market.dashboard.figures import Cell, Series
from upland.market.dashboard.queries import Dashboard

NOT_SHOWN = N_("not shown")
TOTAL = N_("total")
Table = spreadsheets.Table
Value = spreadsheets.Value


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
    """One long table: figure, row (a period or a group), column, value."""
    words = (N_("figure"), N_("row"), N_("column"), N_("value"))
    heading = [gettext_in(language, h) for h in words]
    return spreadsheets.csv_text(tables(board, language), heading)


def xlsx_bytes(board: Dashboard, language: str) -> bytes:
    """A workbook with a sheet per figure, titled in the reader's language."""
    return spreadsheets.xlsx_bytes(tables(board, language))
