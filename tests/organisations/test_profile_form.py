"""The profile form (create and edit): a bad PKD entry is a 422 page with the message beside the
PKD field, never a 500 (issue #6, item 8)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for

BAD_PKD = {
    "29.32.Z@1999": "wybierz jedną z wartości: 2007 lub 2025",
    "29.32.Z@abc": "wybierz jedną z wartości: 2007 lub 2025",
    "29.32.Z.12345": "najwyżej 10",
}


def _pkd_error(page: str) -> str:
    start = page.index('id="e-pkd"')
    return page[start : page.index("</small>", start)]


@pytest.mark.parametrize(("pkd", "message"), BAD_PKD.items())
def test_bad_pkd_on_the_edit_form_is_shown_beside_the_field(
    session: Session, client: Any, pkd: str, message: str
) -> None:
    org = factories.organisation(session)
    caller = caller_for(session, client, factories.user(session, role="coordinator"))
    response = caller.send(
        "POST", f"/organisations/{org.id}/edit", {"legal_name": "Zakład", "pkd": pkd}
    )
    assert response.status_code == 422
    assert message in _pkd_error(response.text)
    assert f'value="{pkd}"' in response.text


@pytest.mark.parametrize(("pkd", "message"), BAD_PKD.items())
def test_bad_pkd_on_the_create_form_is_shown_beside_the_field(
    session: Session, client: Any, pkd: str, message: str
) -> None:
    caller = caller_for(session, client, factories.user(session, role="coordinator"))
    form = {"legal_name": "Nowy Zakład", "kind": "company", "teryt": "0663011", "pkd": pkd}
    response = caller.send("POST", "/organisations/new", form)
    assert response.status_code == 422
    assert message in _pkd_error(response.text)


def test_pkd_2007_codes_are_saved_from_the_edit_form(session: Session, client: Any) -> None:
    org = factories.organisation(session)
    caller = caller_for(session, client, factories.user(session, role="coordinator"))
    form = {"legal_name": "Zakład", "pkd": "29.32.Z; 28.30.Z@2007"}
    response = caller.send("POST", f"/organisations/{org.id}/edit", form)
    assert response.status_code == 303, response.text
    session.expire_all()
    assert {(p.code, p.version) for p in org.pkd_codes} == {("29.32.Z", 2025), ("28.30.Z", 2007)}
