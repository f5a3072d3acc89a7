"""The accessibility statement (deklaracja dostępności): the parts the ministry's template
requires, in Polish and English, with the deployment's values from settings, linked from the
footer of every page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from upland.settings import get_settings

PARTS = (
    "a11y-wstep",
    "a11y-podmiot",
    "a11y-url",
    "a11y-data-publikacja",
    "a11y-data-aktualizacja",
    "a11y-status",
    "a11y-data-sporzadzenie",
    "a11y-kontakt",
    "a11y-email",
    "a11y-procedura",
    "a11y-architektura",
)


@pytest.mark.parametrize(
    ("language", "heading", "words"),
    [
        ("pl", "Deklaracja dostępności", ("częściowo zgodna", "samooceny", "7 dni")),
        ("en", "Accessibility statement", ("partially compliant", "self-assessment", "7 days")),
    ],
)
def test_the_statement_has_every_part_in_both_languages(
    client: Any, language: str, heading: str, words: tuple[str, ...]
) -> None:
    client.cookies.set("lang", language)
    for path in ("/accessibility", "/dostepnosc"):
        page = client.get(path)
        assert page.status_code == 200
        assert f"<h1>{heading}</h1>" in page.text
        for part in PARTS:
            assert f'id="{part}"' in page.text, part
        for word in words:
            assert word in page.text, word


def test_deployment_values_come_from_settings(client: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("UPLAND_ACCESSIBILITY_OPERATOR", "Gmina Miasto Radom")
    monkeypatch.setenv("UPLAND_ACCESSIBILITY_CONTACT_EMAIL", "a11y@radom.example")
    monkeypatch.setenv("UPLAND_ACCESSIBILITY_CONTACT_PHONE", "+48 48 362 00 00")
    monkeypatch.setenv("UPLAND_ACCESSIBILITY_PUBLISHED", "2027-01-15")
    get_settings.cache_clear()
    try:
        assert get_settings().accessibility_published == dt.date(2027, 1, 15)
        page = client.get("/accessibility").text
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert '<span id="a11y-podmiot">Gmina Miasto Radom</span>' in page
    assert 'href="mailto:a11y@radom.example"' in page
    assert '<span id="a11y-telefon">+48 48 362 00 00</span>' in page
    assert '<span id="a11y-data-publikacja">2027-01-15</span>' in page


def test_every_page_links_to_the_statement(client: Any) -> None:
    for path in ("/organisations", "/login", "/pkd/suggest", "/no-such-page"):
        assert 'href="/accessibility"' in client.get(path).text, path
