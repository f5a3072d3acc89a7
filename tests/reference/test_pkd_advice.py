"""A PKD 2007 code typed where PKD 2025 is expected is refused with its PKD 2025 equivalents
from the official GUS key; every refused code of a form, an API call or an import cell is
reported at once (issue 8, §4)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for

from upland.errors import Invalid
from upland.organisations.imports import ImportLookups, RawRow, validate_row
from upland.reference.pkd_advice import MAX_LISTED, explain_unknown_pkd
from upland.reference.pkd_files import load_shipped, load_shipped_correspondence


@pytest.fixture(scope="module")
def shipped() -> tuple[dict[tuple[int, str], str], dict[str, tuple[str, ...]]]:
    sections = {(e.version, e.code): e.section for v in (2007, 2025) for e in load_shipped(v)}
    key: dict[str, tuple[str, ...]] = {}
    for pair in load_shipped_correspondence():
        key[pair.code_2007] = (*key.get(pair.code_2007, ()), pair.code_2025)
    return sections, key


def _explain(shipped: Any, version: int, code: str, language: str = "en") -> str | None:
    message = explain_unknown_pkd(version, code, *shipped)
    return None if message is None else message.render(language)


def test_a_2007_subclass_names_its_2025_equivalent(shipped):
    # PKD 2007 25.50.Z (forging, pressing) is group 25.5, which the key maps to 2025 group 25.4.
    assert (
        _explain(shipped, 2025, "25.50.Z")
        == "25.50.Z is a PKD 2007 code; in PKD 2025 it is 25.40.Z"
    )
    assert _explain(shipped, 2025, "25.50.Z", "pl") == (
        "25.50.Z to kod PKD 2007; w PKD 2025 odpowiada mu 25.40.Z"
    )


def test_several_equivalents_are_listed_with_or(shipped):
    # PKD 2007 29.30.Z (parts for motor vehicles) is group 29.3, split in 2025 into electrical
    # and other parts.
    assert _explain(shipped, 2025, "29.30.Z") == (
        "29.30.Z is a PKD 2007 code; in PKD 2025 it is 29.31.Z or 29.32.Z"
    )
    assert _explain(shipped, 2025, "29.30.Z", "pl").endswith("29.31.Z lub 29.32.Z")
    assert _explain(shipped, 2025, "24.50.Z") == (
        "24.50.Z is a PKD 2007 code; in PKD 2025 it is "
        "24.51.Z, 24.52.Z, 24.53.Z, 24.54.A or 24.54.B"
    )


def test_a_2007_class_gets_2025_classes(shipped):
    assert _explain(shipped, 2025, "29.30") == (
        "29.30 is a PKD 2007 code; in PKD 2025 it is 29.31 or 29.32"
    )


def test_many_equivalents_are_summarised_by_group(shipped):
    # PKD 2007 group 28.9 (other special-purpose machinery) went to 2025 groups 28.3 and 28.9.
    assert len([c for v, c in shipped[0] if v == 2025 and c[:4] in {"28.3", "28.9"}]) > MAX_LISTED
    assert _explain(shipped, 2025, "28.90.Z") == (
        "28.90.Z is a PKD 2007 code; in PKD 2025 it falls in groups 28.3 or 28.9: choose the "
        "code there that fits (the PKD suggestions page helps)"
    )


def test_a_code_valid_in_its_version_needs_no_explaining(shipped):
    # 25.62.Z was machining in PKD 2007 and is locks and hinges in PKD 2025: both accept it.
    assert _explain(shipped, 2025, "25.62.Z") is None
    assert _explain(shipped, 2007, "25.62.Z") is None


def test_unknown_codes_and_2025_codes_get_no_version_hint(shipped):
    assert _explain(shipped, 2025, "29.99.Q") is None  # 2007 has no group 29.9 either
    assert _explain(shipped, 2025, "25") is None  # a division is too general in any version
    assert _explain(shipped, 2025, "abc") is None


def test_a_2025_code_entered_as_2007_is_named(shipped):
    # A PKD 2007 class or subclass is accepted when its group exists, so take a 2025 subclass
    # whose group PKD 2007 does not have.
    only_2025 = next(
        c
        for v, c in sorted(shipped[0])
        if v == 2025 and len(c) == 7 and (2007, c[:4]) not in shipped[0]
    )
    assert _explain(shipped, 2007, only_2025) == (
        f"{only_2025} is a PKD 2025 code, not a PKD 2007 one: enter it as PKD 2025"
    )


# --- where codes are validated: the service (API and forms) and the import --------------------


def test_the_service_reports_every_bad_code_with_its_hint(session: Session):
    codes = [
        {"code": "29.32.Z"},
        {"code": "25.50.Z"},
        {"code": "29.99.Q"},
        {"code": "29.30.Z"},
    ]
    with pytest.raises(Invalid) as caught:
        factories.organisation(session, pkd_codes=codes)
    found = {e.field: (e.code, e.message) for e in caught.value.errors}
    assert found == {
        "pkd_codes.1.code": (
            "pkd.other_version",
            "25.50.Z is a PKD 2007 code; in PKD 2025 it is 25.40.Z",
        ),
        "pkd_codes.2.code": ("pkd.unknown", "29.99.Q is not a PKD 2025 class or subclass"),
        "pkd_codes.3.code": (
            "pkd.other_version",
            "29.30.Z is a PKD 2007 code; in PKD 2025 it is 29.31.Z or 29.32.Z",
        ),
    }


def test_the_api_answers_every_bad_code(session: Session, client: Any):
    caller = caller_for(session, client, factories.user(session, role="coordinator"))
    body = {
        "kind": "company",
        "legal_name": "Kuźnia Radomska sp. z o.o.",
        "sites": [{"teryt": "1463011", "is_headquarters": True}],
        "pkd_codes": [{"code": "25.50.Z"}, {"code": "29.99.Q"}],
    }
    response = caller.send("POST", "/api/v1/organisations", body)
    assert response.status_code == 422, response.text
    messages = [e["message"] for e in response.json()["errors"]]
    assert "25.50.Z is a PKD 2007 code; in PKD 2025 it is 25.40.Z" in messages
    assert "29.99.Q is not a PKD 2025 class or subclass" in messages


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("pl", ["25.50.Z to kod PKD 2007; w PKD 2025 odpowiada mu 25.40.Z", "29.99.Q"]),
        ("en", ["25.50.Z is a PKD 2007 code; in PKD 2025 it is 25.40.Z", "29.99.Q"]),
    ],
)
def test_the_form_shows_every_bad_code_beside_the_field(
    session: Session, client: Any, lang: str, expected: list[str]
):
    org = factories.organisation(session)
    caller = caller_for(session, client, factories.user(session, role="coordinator"))
    form = {"legal_name": "Zakład", "pkd": "29.32.Z; 25.50.Z; 29.99.Q"}
    response = caller.send("POST", f"/organisations/{org.id}/edit?lang={lang}", form)
    assert response.status_code == 422
    start = response.text.index('id="e-pkd"')
    shown = response.text[start : response.text.index("</small>", start)]
    assert all(part in shown for part in expected), shown


def test_the_import_reports_every_bad_code_of_a_cell(session: Session):
    row = RawRow(
        2,
        {
            "kind": "company",
            "legal_name": "Zakład Importowy 2 sp. z o.o.",
            "teryt": "0663011",
            "pkd": "29.32.Z; 25.50.Z; 29.99.Q; 28.30.Z@2007",
        },
    )
    valid, errors = validate_row(row, ImportLookups.load(session))
    assert valid is None
    assert [(e.value, e.message) for e in errors if e.column == "pkd"] == [
        ("25.50.Z", "25.50.Z is a PKD 2007 code; in PKD 2025 it is 25.40.Z"),
        ("29.99.Q", "unknown PKD 2025 code 29.99.Q"),
    ]
