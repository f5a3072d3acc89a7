"""Snapshots: computed by the job, kept per view and day (a relation change makes new keys for
the views that see it, and no other view's snapshot is dropped), read for a day; anonymous
readers get aggregates only. Exports: GEXF, GraphML and CSV of what one sees. The
CLI: rebuild, metrics, export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session
from tests import factories
from tests.databases import engine_for
from tests.jobrunner import run_jobs_within
from tests.market.interest_world import editor
from tests.network.test_relations import declare, introduce
from typer.testing import CliRunner

from upland import clock, jobs, migrate
from upland.actor import SYSTEM, Actor
from upland.cli import app
from upland.network import exporting, graph, service, snapshots
from upland.network.models import NetworkSnapshot
from upland.reference.service import seed_reference
from upland.settings import DEFAULT_PARTNERS

ANONYMOUS = Actor(user_id=None, label="anonymous")
DAY = dt.date.today()


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch, connection: Connection) -> list[tuple[object, ...]]:
    """Jobs are recorded, not run; run by hand, their transaction is the test's."""
    found: list[tuple[object, ...]] = []
    run_jobs_within(monkeypatch, connection)
    monkeypatch.setattr(jobs, "enqueue", lambda path, *args, **_: found.append((path, *args)))
    return found


def world(session: Session) -> tuple[Actor, Actor]:
    lublin = factories.organisation(session)
    radom = factories.organisation(session, kind="research")
    third = factories.organisation(session)
    introduce(session, lublin, radom, visibility="public")
    introduce(session, radom, third, visibility="public")
    return editor(session, lublin), editor(session, third, "viewer")


def test_the_job_computes_once_and_a_change_forgets(session: Session, queued: list) -> None:
    member, _ = world(session)
    assert snapshots.figures_for(session, member, DAY) is None
    [(path, key, ids, day)] = queued
    assert path == snapshots.JOB and len(ids) == 2
    snapshots.compute_job(key, ids, day)
    session.expire_all()
    figures = snapshots.figures_for(session, member, DAY)
    assert figures is not None
    assert figures["counts"]["ties"] == 2 and figures["science"]["ties"] == 2
    assert figures["trend"][0]["day"] == "2018-04-01" and figures["trend"][-1]["ties"] == 2
    assert [b["betweenness"] for b in figures["brokers"]] == [1.0]
    anonymous = snapshots.figures_for(session, ANONYMOUS, DAY, queue=False)
    assert anonymous is not None and anonymous["brokers"] == []  # same ties, no names
    kept = session.scalar(select(func.count()).select_from(NetworkSnapshot))
    org = factories.organisation(session)
    declare(session, org, factories.organisation(session), "rd_partner")
    assert session.scalar(select(func.count()).select_from(NetworkSnapshot)) == kept
    assert snapshots.figures_for(session, member, DAY) == figures  # the view did not change


def test_trend_days_are_quarters_since_the_letter() -> None:
    days = snapshots.trend_days(dt.date(2019, 2, 1))
    assert days == [
        dt.date(2018, 4, 1),
        dt.date(2018, 7, 1),
        dt.date(2018, 10, 1),
        dt.date(2019, 1, 1),
        dt.date(2019, 2, 1),
    ]


def test_exports_hold_what_the_reader_sees(session: Session) -> None:
    owner, named, outsider = (factories.organisation(session) for _ in range(3))
    introduce(session, owner, named, visibility="restricted", named=[named.id])
    declared = declare(session, owner, outsider, "supplier_of")
    service.confirm_relation(session, editor(session, outsider), declared.id)
    seen = graph.load_graph(session, SYSTEM)
    assert len(seen.edges) == 2
    mine = graph.load_graph(session, editor(session, outsider, "viewer"))
    assert [(e.source, e.target, e.type) for e in mine.edges] == [
        (str(owner.id), str(outsider.id), "supply")
    ]
    rows = list(csv.DictReader(io.StringIO(exporting.edges_csv(mine))))
    assert rows[0]["directed"] == "true" and rows[0]["type"] == "supply"
    nodes = list(csv.DictReader(io.StringIO(exporting.nodes_csv(mine))))
    assert {n["id"] for n in nodes} == {str(owner.id), str(outsider.id)}
    gexf = ET.fromstring(exporting.gexf(seen))
    ns = {"g": "http://gexf.net/1.3"}
    assert len(gexf.findall(".//g:edge", ns)) == 2
    graphml = ET.fromstring(exporting.graphml(seen))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(graphml.findall(".//g:node", ns)) == 3
    public = graph.load_graph(session, ANONYMOUS)  # counted in the aggregates: no restricted tie
    assert [e.type for e in public.edges] == ["supply"]


def test_cli_rebuild_metrics_export(cli_database: str, tmp_path) -> None:
    with engine_for(cli_database) as engine:
        migrate.upgrade(engine)
        with Session(engine) as session, session.begin():
            seed_reference(session, SYSTEM, DEFAULT_PARTNERS)
            a, b = factories.organisation(session), factories.organisation(session)
            introduce(session, a, b)
    runner = CliRunner()
    rebuilt = runner.invoke(app, ["network", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "0 introductions" in rebuilt.output  # derived when the introduction was recorded
    shown = runner.invoke(app, ["network", "metrics"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["counts"]["ties"] == 1
    path = tmp_path / "network.gexf"
    exported = runner.invoke(app, ["network", "export", "--format", "gexf", "--output", str(path)])
    assert exported.exit_code == 0, exported.output
    assert "<gexf" in path.read_text(encoding="utf-8")


def test_the_coordinators_and_officers_start_page_shows_the_network(
    session: Session, client
) -> None:
    from tests.browsing import log_in

    world(session)
    coordinator = factories.user(session, role="coordinator")
    session.commit()
    assert log_in(client, coordinator.email).status_code == 303
    first = client.get("/start?lang=en")  # queues the job (run at once in tests)
    assert "Cooperation network" in first.text
    shown = client.get("/start?lang=en")
    assert "Science–business ties" in shown.text and "<strong>2</strong>" in shown.text
    member = factories.user(session, role="viewer", org=factories.organisation(session))
    session.commit()
    client.cookies.clear()
    assert log_in(client, member.email).status_code == 303
    assert "Cooperation network" not in client.get("/start?lang=en").text


def test_days_without_a_change_between_them_share_one_snapshot(
    session: Session, queued: list
) -> None:
    member, _ = world(session)  # its ties began today: nothing changed between earlier days
    loaded = graph.load_graph(session, member)
    asked = [dt.date(2019, 1, 1), dt.date(2021, 5, 5), dt.date(2023, 7, 9), dt.date(1999, 1, 1)]
    later = [DAY, DAY + dt.timedelta(days=400)]  # the future is today
    assert {snapshots.snap(loaded, d) for d in asked} == {snapshots.LETTER_OF_INTENT}
    assert {snapshots.snap(loaded, d) for d in later} == {DAY}
    for day in [*asked, *later]:
        assert snapshots.figures_for(session, member, day) is None
    assert len({key for _, key, _, _ in queued}) == 2  # not one job per asked day
    for _, key, ids, day in queued[:1] + queued[-1:]:
        snapshots.compute_job(key, ids, day)
    session.expire_all()
    figures = snapshots.figures_for(session, member, dt.date(2023, 7, 9))
    assert figures is not None and figures["window"]["end"] == "2023-07-09"
    assert [p["day"] for p in figures["trend"][-2:]] == ["2023-07-01", "2023-07-09"]
    assert figures["counts"]["ties"] == 0 and "nodes" not in figures
    today = snapshots.figures_for(session, member, DAY)
    assert today is not None and today["counts"]["ties"] == 2


def test_a_tie_the_reader_may_not_see_leaves_its_snapshot_as_it_was(
    session: Session, queued: list
) -> None:
    """Attack pass (4 December): every relation change used to drop every kept snapshot, so a
    reader polling the figures saw them computed again (202) whenever any tie changed — one it
    may not see too (a brokerage-day meeting of others, counted as it was recorded). Now only
    the views that see the change get a new key."""
    world(session)
    stranger = editor(session, factories.organisation(session), "viewer")
    assert snapshots.figures_for(session, stranger, DAY) is None
    [(_, key, ids, day)] = queued
    snapshots.compute_job(key, ids, day)
    session.expire_all()
    before = snapshots.figures_for(session, stranger, DAY)
    assert before is not None
    hidden, named = factories.organisation(session), factories.organisation(session)
    _, owner_editor, _ = introduce(
        session, hidden, named, visibility="restricted", named=[named.id]
    )
    mine = graph.load_graph(session, owner_editor)
    assert len(mine.relation_ids) == 3  # the owner's side sees its new tie: a new key
    assert snapshots.figures_for(session, stranger, DAY, queue=False) == before
    assert snapshots.figures_for(session, owner_editor, DAY, queue=False) is None


def test_a_snapshot_is_read_for_a_day_then_computed_again(
    session: Session, queued: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    member, _ = world(session)
    assert snapshots.figures_for(session, member, DAY) is None
    [(_, key, ids, day)] = queued
    snapshots.compute_job(key, ids, day)
    session.expire_all()
    assert snapshots.figures_for(session, member, DAY) is not None
    later = clock.now() + snapshots.KEPT_FOR + dt.timedelta(minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert snapshots.figures_for(session, member, DAY) is None  # queued again
    snapshots.compute_job(*queued[-1][1:])
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(NetworkSnapshot)) == 1  # old dropped
    assert snapshots.figures_for(session, member, DAY) is not None
