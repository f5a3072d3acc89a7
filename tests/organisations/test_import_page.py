"""The upload page: check first, then import everything or only the valid rows; uploads are
deleted once imported, refused or cancelled, and expire when left waiting."""

import csv
import datetime as dt
import io
import os
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from tests import factories

from upland import settings
from upland.organisations.models import Organisation

GOOD = "kind,legal_name,nip,teryt,pkd\ncompany,Nowa Firma sp. z o.o.,5260250995,Lublin,29.32.Z\n"
MIXED = GOOD + "company,Zła Firma,5260250996,Lubln,29.99.Q\n"


@pytest.fixture(autouse=True)
def upload_dir(tmp_path, monkeypatch):
    directory = tmp_path / "uploads"
    monkeypatch.setenv("UPLAND_UPLOAD_DIR", str(directory))
    settings.get_settings.cache_clear()
    yield directory
    monkeypatch.undo()
    settings.get_settings.cache_clear()


def _files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def _check(client, token, content, name="firms.csv"):
    return client.post(
        "/organisations/import", data={"csrf_token": token}, files={"file": (name, content)}
    )


def _upload_of(response) -> str:
    return re.search(r'action="/organisations/import/([0-9a-f]+)"', response.text).group(1)


def _header_of(fmt: str, content: bytes) -> list[str]:
    if fmt == "csv":
        return next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    return [c.value for c in next(load_workbook(io.BytesIO(content)).active.iter_rows())]


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _login(client, session, role="coordinator"):
    user = factories.user(session, role=role)
    token = _csrf(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": user.email, "password": factories.PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    return _csrf(client.get("/organisations/import").text)


def _count(session):
    return session.scalar(select(func.count(Organisation.id)))


def test_check_then_import_valid_rows_only(client, session):
    token = _login(client, session)
    before = _count(session)
    checked = client.post(
        "/organisations/import",
        data={"csrf_token": token},
        files={"file": ("firms.csv", MIXED.encode(), "text/csv")},
    )
    assert checked.status_code == 200
    assert "NIP 5260250996 ma nieprawidłową cyfrę kontrolną" in checked.text
    assert "nieznana gmina" in checked.text
    assert _count(session) == before
    upload = re.search(r'action="/organisations/import/([0-9a-f]+)"', checked.text).group(1)
    done = client.post(
        f"/organisations/import/{upload}", data={"csrf_token": token, "mode": "valid_only"}
    )
    assert done.status_code == 200
    assert _count(session) == before + 1


def test_all_or_nothing_refuses_a_file_with_errors(client, session):
    token = _login(client, session)
    before = _count(session)
    checked = client.post(
        "/organisations/import",
        data={"csrf_token": token},
        files={"file": ("firms.csv", MIXED.encode(), "text/csv")},
    )
    upload = re.search(r'action="/organisations/import/([0-9a-f]+)"', checked.text).group(1)
    client.post(
        f"/organisations/import/{upload}", data={"csrf_token": token, "mode": "all_or_nothing"}
    )
    assert _count(session) == before


def test_only_staff_may_import(client, session):
    org = factories.organisation(session)
    user = factories.user(session, role="admin", org=org)
    token = _csrf(client.get("/login").text)
    client.post(
        "/login", data={"email": user.email, "password": factories.PASSWORD, "csrf_token": token}
    )
    assert client.get("/organisations/import").status_code == 403


def test_a_file_refused_as_a_whole_is_deleted_at_once(client, session, upload_dir):
    token = _login(client, session)
    refused = _check(client, token, b"kind,legal_name,nip,teryt\r\n")
    assert refused.status_code == 422
    assert "plik ma wiersz nagłówka, ale nie ma wierszy z danymi" in refused.text
    assert _files(upload_dir) == []


def test_cancel_deletes_the_upload(client, session, upload_dir):
    token = _login(client, session)
    upload = _upload_of(_check(client, token, GOOD.encode()))
    assert _files(upload_dir) == [upload]
    cancelled = client.post(
        "/organisations/import/cancel", data={"csrf_token": token}, follow_redirects=False
    )
    assert cancelled.status_code == 303
    assert _files(upload_dir) == []
    again = client.post(f"/organisations/import/{upload}", data={"csrf_token": token})
    assert again.status_code == 422


def test_a_new_upload_replaces_the_one_left_waiting(client, session, upload_dir):
    token = _login(client, session)
    _check(client, token, GOOD.encode())
    second = _upload_of(_check(client, token, MIXED.encode()))
    assert _files(upload_dir) == [second]


def test_an_expired_upload_answers_410_and_imports_nothing(client, session, upload_dir):
    token = _login(client, session)
    before = _count(session)
    upload = _upload_of(_check(client, token, GOOD.encode()))
    stamp = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=25)).timestamp()
    os.utime(upload_dir / upload, (stamp, stamp))

    expired = client.post(
        f"/organisations/import/{upload}", data={"csrf_token": token, "mode": "all_or_nothing"}
    )

    assert expired.status_code == 410
    assert "przesłany plik wygasł; prześlij go ponownie" in expired.text
    assert _count(session) == before
    assert _files(upload_dir) == []


def test_an_imported_upload_is_deleted(client, session, upload_dir):
    token = _login(client, session)
    upload = _upload_of(_check(client, token, GOOD.encode()))
    client.post(f"/organisations/import/{upload}", data={"csrf_token": token})
    assert _files(upload_dir) == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_page_export_in_polish_imports_back_unchanged(client, session, fmt):
    org = factories.organisation(session, legal_name="-Minus sp. z o.o.", visibility="members")
    token = _login(client, session)
    exported = client.get(f"/organisations/export.{fmt}")
    assert exported.status_code == 200
    assert _header_of(fmt, exported.content)[:3] == ["id", "rodzaj", "nazwa"]
    stamp = org.updated_at

    checked = _check(client, token, exported.content, f"export.{fmt}")
    assert checked.status_code == 200
    assert "<table" not in checked.text  # no errors
    assert "kolumny pominięte przy imporcie (zapisuje je eksport): id, size_class, city" in (
        checked.text
    )
    done = client.post(
        f"/organisations/import/{_upload_of(checked)}",
        data={"csrf_token": token, "mode": "all_or_nothing"},
    )

    assert done.status_code == 200
    session.expire_all()
    again = session.get(Organisation, org.id)
    assert (again.legal_name, again.visibility, again.updated_at) == (
        "-Minus sp. z o.o.",
        "members",
        stamp,
    )
