"""A database set up as the README says for production (`upland db upgrade`, no demo) is
complete: the reference data is there and the main journeys work on it, on the backend of this
run. Before, only `upland run` and `upland demo` loaded PKD, municipalities and the vocabulary."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from tests import factories
from tests.browsing import log_in
from tests.databases import engine_for, reset_settings_and_engine, scratch_database
from upland.accounts.service import issue_token
from upland.actor import SYSTEM
from upland.app import create_app
from upland.cli import app as cli_app
from upland.jobs.models import QUEUED, RUNNING, Job
from upland.organisations.models import Organisation

runner = CliRunner()
CSV = "kind,legal_name,nip,teryt,pkd\ncompany,Nowa Firma sp. z o.o.,5260250995,Lublin,29.32.Z\n"


@pytest.fixture
def upgraded_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A new database on which only `upland db upgrade` ran, and the settings pointing at it."""
    with scratch_database("upland_fresh_test", tmp_path) as url:
        monkeypatch.setenv("UPLAND_DATABASE_URL", url)
        monkeypatch.setenv("UPLAND_UPLOAD_DIR", str(tmp_path / "uploads"))
        reset_settings_and_engine()
        result = runner.invoke(cli_app, ["db", "upgrade"])
        assert result.exit_code == 0, result.output
        assert "reference data:" in result.output
        try:
            yield url
        finally:
            reset_settings_and_engine()


def test_upgrade_loads_reference_data_once(upgraded_url: str) -> None:
    again = runner.invoke(cli_app, ["db", "upgrade"])
    assert again.exit_code == 0, again.output
    assert "reference data: already loaded" in again.output


def test_journeys_on_a_database_set_up_by_db_upgrade(upgraded_url: str) -> None:
    with engine_for(upgraded_url) as engine, Session(engine) as session, session.begin():
        coordinator = factories.user(session, role="coordinator")
        _, bearer = issue_token(session, SYSTEM, coordinator.id, "journeys")
        email = coordinator.email
    api = {"authorization": f"Bearer {bearer}"}

    with TestClient(create_app(), base_url="https://testserver") as client:
        lookup = client.get("/api/v1/pkd/2025/25.53.Z")
        assert lookup.status_code == 200, lookup.text

        suggest = client.post(
            "/api/v1/pkd/suggest", json={"text": "obróbka skrawaniem wałów stalowych"}, headers=api
        )
        assert suggest.status_code == 200, suggest.text
        assert suggest.json()

        created = client.post(
            "/api/v1/organisations",
            json={
                "kind": "company",
                "legal_name": "Odlewnia Świeża sp. z o.o.",
                "pkd_codes": [{"code": "24.52.Z", "is_primary": True}],
                "sites": [{"teryt": "1463011", "is_headquarters": True}],
                "capabilities": [],
            },
            headers=api,
        )
        assert created.status_code == 201, created.text

        assert log_in(client, email).status_code == 303
        csrf = re.search(
            r'name="csrf_token" value="([^"]+)"', client.get("/organisations/import").text
        )
        assert csrf is not None
        checked = client.post(
            "/organisations/import",
            data={"csrf_token": csrf.group(1)},
            files={"file": ("firms.csv", CSV.encode(), "text/csv")},
        )
        assert checked.status_code == 200, checked.text
        upload = re.search(r'action="/organisations/import/([0-9a-f]+)"', checked.text)
        assert upload is not None
        done = client.post(
            f"/organisations/import/{upload.group(1)}",
            data={"csrf_token": csrf.group(1), "mode": "all_or_nothing"},
        )
        assert done.status_code == 200, done.text

    with engine_for(upgraded_url) as engine:
        _wait_for_the_jobs(engine)  # the import runs in a background thread, as in production
    with engine_for(upgraded_url) as engine, Session(engine) as session:
        names = set(session.scalars(select(Organisation.legal_name)))
        assert names == {"Odlewnia Świeża sp. z o.o.", "Nowa Firma sp. z o.o."}
        assert session.scalar(select(func.count(Organisation.id))) == 2


def _wait_for_the_jobs(engine: Engine, patience: float = 120.0) -> None:
    """Until no job is queued or running (a wait, not a speed check: a busy machine is slow)."""
    deadline = time.monotonic() + patience
    while True:
        with Session(engine) as session:
            busy = session.scalar(
                select(func.count(Job.id)).where(Job.state.in_((QUEUED, RUNNING)))
            )
        if not busy:
            return
        assert time.monotonic() < deadline, f"{busy} jobs still unfinished"
        time.sleep(0.2)
