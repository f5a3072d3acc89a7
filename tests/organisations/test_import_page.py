"""The upload page: check first, then import everything or only the valid rows."""

import re

from sqlalchemy import func, select
from tests import factories

from upland.organisations.models import Organisation

GOOD = "kind,legal_name,nip,teryt,pkd\ncompany,Nowa Firma sp. z o.o.,5260250995,Lublin,29.32.Z\n"
MIXED = GOOD + "company,Zła Firma,5260250996,Lubln,29.99.Q\n"


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
