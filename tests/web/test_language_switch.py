"""The language switch returns to the same page with the same query: the list keeps its
filters, `/audit` (whose query allows no unknown parameter) answers instead of 422, and the
switch never leads to another site."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for

from upland.web.language import local_target, switch_href, without_language

SWITCH = re.compile(r'<a href="([^"]+)"[^>]*data-language-switch')


def _switch_of(page: Any) -> str:
    found = SWITCH.search(page.text)
    assert found, "no language switch on the page"
    return html.unescape(found.group(1))


def test_the_list_keeps_its_filters_across_the_switch(client: Any) -> None:
    client.cookies.set("lang", "pl")
    listed = client.get("/organisations?q=spawanie&kind=company&sort=name")
    link = _switch_of(listed)
    back = client.get(link, follow_redirects=False)
    assert back.status_code == 303
    assert back.headers["location"] == "/organisations?q=spawanie&kind=company&sort=name"
    page = client.get(back.headers["location"])
    assert page.status_code == 200
    assert '<html lang="en">' in page.text
    assert 'value="spawanie"' in page.text
    assert 'value="company" selected' in page.text


def test_the_audit_log_answers_in_the_other_language(session: Session, client: Any) -> None:
    coordinator = factories.user(session, role="coordinator")
    session.commit()
    caller_for(session, client, coordinator)
    client.cookies.set("lang", "en")
    audit = client.get("/audit?action=accounts.")
    assert audit.status_code == 200
    page = client.get(_switch_of(audit), follow_redirects=True)
    assert page.status_code == 200, page.text[:300]
    assert str(page.url).endswith("/audit?action=accounts.")
    assert '<html lang="pl">' in page.text
    assert "<h1>Dziennik zmian</h1>" in page.text


def test_a_lang_parameter_in_the_address_does_not_override_the_switch(client: Any) -> None:
    client.cookies.set("lang", "pl")
    page = client.get("/organisations?lang=pl&q=frez")
    link = _switch_of(page)
    assert "lang%3Dpl" not in link and "lang=pl" not in link.split("next=")[1]
    back = client.get(link, follow_redirects=False)
    assert back.headers["location"] == "/organisations?q=frez"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/x",
        "https://evil.example/",
        "/\\evil.example",
        "evil.example",
        "",
        "/\t/evil.example",
        None,
    ],
)
def test_the_switch_never_leaves_the_site(target: str | None) -> None:
    assert local_target(target) == "/organisations"


def test_the_switch_keeps_a_local_path_and_its_query() -> None:
    assert local_target("/audit?action=accounts.&lang=en") == "/audit?action=accounts."
    assert without_language("/organisations?lang=en") == "/organisations"
    assert switch_href("/organisations", "city=0663011&lang=pl", "en") == (
        "/language?lang=en&next=%2Forganisations%3Fcity%3D0663011"
    )
