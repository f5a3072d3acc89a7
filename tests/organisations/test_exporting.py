"""Exports hold exactly the rows the list shows the actor; cells and pages are never executable."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

import pytest
from openpyxl import load_workbook
from tests import factories

from upland.accounts import service as account_service
from upland.actor import SYSTEM
from upland.organisations.imports.format import unneutralise
from upland.organisations.imports.header import normalise_header

FORMULAS = {
    "legal_name": '=HYPERLINK("http://x","y")',
    "short_name": "+cmd",
    "description_pl": "-1+1",
    "description_en": "@SUM(A1)",
}
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def bearer(session, role: str = "coordinator") -> dict[str, str]:
    account = factories.user(session, role=role)
    _, plain = account_service.issue_token(session, SYSTEM, account.id, "tests")
    session.flush()
    return {"authorization": f"Bearer {plain}"}


def export_url(source: str, fmt: str) -> tuple[str, dict[str, str]]:
    if source == "api":
        return "/api/v1/organisations/export", {"format": fmt}
    return f"/organisations/export.{fmt}", {}


def parse(fmt: str, content: bytes) -> list[dict[str, Any]]:
    """Rows of an export as dicts of the cell values (text as stored, numbers as numbers),
    keyed by column name whatever the header language (pages export in the page's)."""
    if fmt == "json":
        return json.loads(content)["items"]
    if fmt == "csv":
        text = content.decode("utf-8")
        assert text.startswith("\ufeff")
        reader = csv.reader(io.StringIO(text[1:]))
        names = [normalise_header(name) for name in next(reader)]
        return [dict(zip(names, row, strict=True)) for row in reader]
    sheet = load_workbook(io.BytesIO(content)).active
    header, *rows = sheet.iter_rows()
    for row in rows:
        assert all(cell.data_type != "f" for cell in row)
    names = [normalise_header(cell.value) for cell in header]
    return [dict(zip(names, (cell.value for cell in row), strict=True)) for row in rows]


def listed_ids(client, params: dict[str, Any], headers: dict[str, str]) -> list[int]:
    response = client.get("/api/v1/organisations", params={**params, "limit": 200}, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == len(body["items"])
    return [item["id"] for item in body["items"]]


@pytest.fixture
def world(session) -> dict[str, Any]:
    def make(visibility: str, employees: int, kind: str = "company") -> int:
        return factories.organisation(
            session, visibility=visibility, employees=employees, kind=kind
        ).id

    return {
        "public_small": make("public", 20),
        "public_large": make("public", 900),
        "public_medium": make("public", 120),
        "members": make("members", 300),
        "restricted": make("restricted", 60),
        "public_research": make("public", 500, kind="research"),
    }


@pytest.mark.parametrize("source", ["api", "page"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
@pytest.mark.parametrize("who", ["anonymous", "coordinator"])
def test_export_holds_exactly_the_listed_rows_in_list_order(
    client, session, world, source, fmt, who
):
    headers = bearer(session) if who == "coordinator" else {}
    filters = {"kind": "company", "sort": "-employees"}
    url, params = export_url(source, fmt)
    response = client.get(url, params={**params, **filters}, headers=headers)
    assert response.status_code == 200
    assert f".{fmt}" in response.headers["content-disposition"]
    rows = parse(fmt, response.content)
    exported = [int(row["id"]) for row in rows]
    expected = (
        ["public_large", "members", "public_medium", "restricted", "public_small"]
        if who == "coordinator"
        else ["public_large", "public_medium", "public_small"]
    )
    assert exported == [world[key] for key in expected]
    assert exported == listed_ids(client, filters, headers)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_anonymous_export_of_everything_leaks_no_hidden_row(client, world, fmt):
    response = client.get(f"/organisations/export.{fmt}")
    exported = {int(row["id"]) for row in parse(fmt, response.content)}
    public = ("public_small", "public_large", "public_medium", "public_research")
    assert exported == {world[key] for key in public}


CONSENTED = [
    ("Prywatna Osoba", "priv@contact.example", "+48 81 555 00 01", "private"),
    ("Członkowska Osoba", "mem@contact.example", "+48 81 555 00 02", "members"),
    ("Publiczna Osoba", "pub@contact.example", "+48 81 555 00 03", "public"),
]


def _people(*rows: tuple[str, str, str, str]) -> list[dict[str, str]]:
    keys = ("full_name", "email", "phone", "contact_visibility")
    return [dict(zip(keys, row, strict=True)) for row in rows]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
@pytest.mark.parametrize(("who", "shown"), [("anonymous", 2), ("coordinator", 0)])
def test_export_contact_is_the_first_person_the_reader_may_see(client, session, fmt, who, shown):
    """Contact data follows consent in exports as on the profile page."""
    several = factories.organisation(session, people=_people(*CONSENTED)).nip
    factories.organisation(session, people=_people(CONSENTED[0]))
    headers = bearer(session) if who == "coordinator" else {}
    url, params = export_url("api", fmt)

    export_rows = client.get(url, params=params, headers=headers).content
    first, second = sorted(parse(fmt, export_rows), key=lambda row: row["nip"] != several)

    def contact(row: dict[str, Any]) -> tuple[Any, ...]:
        cells = (row[c] for c in ("contact_name", "contact_email", "contact_phone"))
        return tuple(unneutralise(v) if isinstance(v, str) else v for v in cells)

    assert contact(first) == CONSENTED[shown][:3]
    private = contact(second)
    if who == "anonymous":
        assert private == (("", "", "") if fmt == "csv" else (None, None, None))
        assert b"priv@contact.example" not in export_rows or fmt == "xlsx"
    else:
        assert private == CONSENTED[0][:3]


def test_export_with_a_filter_the_list_rejects_is_refused(client):
    assert client.get("/api/v1/organisations/export", params={"pkd": "2X"}).status_code == 422
    assert client.get("/organisations/export.csv", params={"size_class": "huge"}).status_code == 422


@pytest.fixture
def formula_org(session) -> int:
    return factories.organisation(session, **FORMULAS).id


@pytest.mark.parametrize("source", ["api", "page"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_spreadsheet_exports_neutralise_formulas(client, formula_org, source, fmt):
    url, params = export_url(source, fmt)
    response = client.get(url, params=params)
    (row,) = parse(fmt, response.content)
    for field, value in FORMULAS.items():
        assert row[field] == "'" + value
    assert int(row["id"]) == formula_org
    if fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
            assert not any(b"<f>" in archive.read(name) for name in sheets)
        assert isinstance(row["id"], int)
        assert isinstance(row["employees"], int)


def test_json_export_keeps_text_as_entered(client, formula_org):
    (row,) = parse("json", client.get("/organisations/export.json").content)
    for field, value in FORMULAS.items():
        assert row[field] == value


@pytest.fixture
def script_org(session) -> int:
    return factories.organisation(
        session,
        legal_name=SCRIPT,
        short_name=SCRIPT,
        description_pl=SCRIPT,
        capacity_notes=SCRIPT,
        people=[{"full_name": SCRIPT, "role_title": SCRIPT}],
        capabilities=[{"kind": "process", "label": SCRIPT}],
        sites=[{"teryt": "0663011", "name": SCRIPT, "locality": SCRIPT, "is_headquarters": True}],
    ).id


def assert_escaped(text: str) -> None:
    assert SCRIPT not in text
    assert ESCAPED in text


@pytest.mark.parametrize(
    "path",
    [
        "/organisations",
        "/organisations?q=script",
        "/organisations?sort=-updated",
        "/organisations/{id}",
        "/organisations/{id}/edit",
    ],
)
def test_a_script_in_a_name_is_escaped_on_every_page(client, session, script_org, path):
    headers = bearer(session)
    response = client.get(path.format(id=script_org), headers=headers)
    assert response.status_code == 200
    assert_escaped(response.text)


def test_a_script_is_escaped_in_the_htmx_results_fragment(client, script_org):
    response = client.get("/organisations", headers={"hx-request": "true"})
    assert response.status_code == 200
    assert_escaped(response.text)


def test_a_script_in_the_query_is_escaped_when_echoed(client):
    response = client.get("/organisations", params={"q": SCRIPT})
    assert response.status_code == 200
    assert_escaped(response.text)


def test_a_script_is_escaped_when_the_edit_form_is_shown_again_with_errors(
    client, session, script_org
):
    response = client.post(
        f"/organisations/{script_org}/edit",
        data={"legal_name": SCRIPT, "short_name": SCRIPT, "employees": "-5"},
        headers=bearer(session),
    )
    assert response.status_code == 422
    assert_escaped(response.text)
