"""The agenda offline, as the server serves it: the page links its manifest, loads the script
that registers the service worker and says when it was updated (Warsaw time); the worker is
JavaScript whose scope covers every agenda; logging out tells the browser to clear what it
kept. The browser's side is tests/test_browser_agenda_offline.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from tests.browsing import caller_for
from tests.events.world import event, registered
from upland.accounts import queries as accounts
from upland.web.templating import local_time


def test_agenda_manifest_worker_and_logout(session: Session, client: Any):
    day = event(session, title_en="Brokerage day")
    _, reader = registered(session, day.id)
    user = accounts.get_user(session, reader.user_id)
    session.commit()
    caller = caller_for(session, client, user)
    before = dt.datetime.now(dt.UTC)
    page = caller.send("GET", f"/events/{day.id}/agenda?lang=en")
    after = dt.datetime.now(dt.UTC)
    assert f'<link rel="manifest" href="/events/{day.id}/agenda.webmanifest">' in page.text
    assert 'src="/static/agenda-offline.js"' in page.text
    shown = {f"Updated {local_time(moment)}" for moment in (before, after)}  # Warsaw time
    assert any(said in page.text for said in shown)
    manifest = caller.send("GET", f"/events/{day.id}/agenda.webmanifest?lang=en")
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    found = manifest.json()
    assert found["start_url"] == f"/events/{day.id}/agenda"
    assert found["start_url"].startswith(found["scope"])
    assert found["name"] == "My agenda: Brokerage day"
    worker = caller.send("GET", "/events/agenda-sw.js")
    assert worker.headers["content-type"].startswith("text/javascript")
    assert worker.headers["service-worker-allowed"] == "/events/"
    assert "upland-agenda-v1" in worker.text
    policy = worker.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    out = caller.send("POST", "/logout", {})
    assert out.status_code == 303
    assert out.headers["clear-site-data"] == '"cache", "storage"'
