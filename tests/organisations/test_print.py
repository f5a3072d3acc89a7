"""The printable one-page profile: in both languages, what the profile shows this reader
(visibility and contact consent: the permission matrix's "print" rows), fits one A4 page for a
typical profile, with no inline code."""

from __future__ import annotations

import pytest
from tests import factories

from upland.i18n import gettext_in


@pytest.mark.parametrize(
    ("lang", "kind", "button"), [("pl", "firma", "Drukuj"), ("en", "company", "Print")]
)
def test_the_print_page_speaks_the_readers_language(client, session, lang, kind, button) -> None:
    org = factories.organisation(session)

    page = client.get(f"/organisations/{org.id}/print?lang={lang}")

    assert page.status_code == 200
    assert f'<html lang="{lang}">' in page.text
    assert org.legal_name in page.text and kind in page.text and button in page.text
    assert gettext_in(lang, "Capabilities") in page.text
    assert "<form" not in page.text and "style=" not in page.text
    assert "<script>" not in page.text  # only the external print.js
    assert "/static/print.css" in page.text


def test_the_profile_links_to_its_print_view(client, session) -> None:
    org = factories.organisation(session)

    assert f'href="/organisations/{org.id}/print"' in client.get(f"/organisations/{org.id}").text


def test_a_hidden_organisation_has_no_print_view(client, session) -> None:
    org = factories.organisation(session, visibility="members")

    assert client.get(f"/organisations/{org.id}/print").status_code == 404


def test_print_css_sets_a4() -> None:
    from pathlib import Path

    import upland

    css = (Path(upland.__file__).parent / "static" / "print.css").read_text(encoding="utf-8")
    assert "size: A4" in css and "@media print" in css
