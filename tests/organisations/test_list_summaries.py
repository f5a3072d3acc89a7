"""The lean list (rows of `queries.SUMMARY_COLUMNS`, used by the list page and the API) pages
exactly as the list of organisations does: same rows, totals and cursors, every sort."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session
from tests import factories

from upland.actor import ANONYMOUS
from upland.organisations import presenters, queries
from upland.organisations.schemas import OrganisationFilter

TODAY = dt.date(2026, 6, 1)


@pytest.mark.parametrize("sort", ["name", "-name", "-updated", "-employees", "founded"])
def test_summaries_page_like_organisations(sort: str, session: Session) -> None:
    for n in range(7):
        factories.organisation(
            session,
            legal_name=f"Lista {n} sp. z o.o.",
            employees=None if n == 3 else n * 10,
            founded_year=None if n == 4 else 1990 + n,
        )
    flt = OrganisationFilter(sort=sort)
    pages: dict[bool, list[list[int]]] = {}
    for summaries in (False, True):
        after, seen = None, []
        while True:
            page = queries.list_organisations(
                session, ANONYMOUS, flt, today=TODAY, limit=3, after=after, summaries=summaries
            )
            seen.append([o.id for o in page.items] + [page.total])
            if page.next_cursor is None:
                break
            after = page.next_cursor
        pages[summaries] = seen
    assert pages[True] == pages[False]


def test_a_summary_row_presents_like_the_organisation(session: Session) -> None:
    org = factories.organisation(session, legal_name="Jedyna sp. z o.o.")
    page = queries.list_organisations(
        session, ANONYMOUS, OrganisationFilter(q="Jedyna"), today=TODAY, summaries=True
    )
    names = {"0663011": "Lublin"}
    assert [presenters.summary(r, names) for r in page.items] == [presenters.summary(org, names)]
    assert page.items[0].primary_pkd is not None
