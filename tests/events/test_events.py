"""Events through the service: who may organise, the checks across fields (nothing stored on
a refusal), publication, who sees drafts, and the slots cut from the sessions."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests import factories
from tests.events.world import DAY, event, event_data
from upland.actor import ANONYMOUS, SYSTEM
from upland.errors import Conflict, Invalid, NotFound, PermissionDenied
from upland.events import queries, service
from upland.events.models import Event
from upland.events.slots import SessionSpec, slots_of


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Event)) or 0


def test_who_may_organise(session: Session):
    company = factories.organisation(session)
    agency = factories.organisation(session, kind="business_support")
    company_editor = factories.actor_of(
        session, factories.user(session, role="editor", org=company)
    )
    agency_editor = factories.actor_of(session, factories.user(session, role="editor", org=agency))
    agency_viewer = factories.actor_of(session, factories.user(session, role="viewer", org=agency))
    with pytest.raises(PermissionDenied):
        service.create_event(session, company_editor, event_data(organiser_id=company.id))
    with pytest.raises(PermissionDenied):
        service.create_event(session, agency_viewer, event_data(organiser_id=agency.id))
    with pytest.raises(PermissionDenied):  # the cluster's own: staff only
        service.create_event(session, agency_editor, event_data())
    made = service.create_event(session, agency_editor, event_data(organiser_id=agency.id))
    assert made.status == "draft" and made.organiser_id == agency.id
    assert [c[0] for c in queries.organiser_choices(session, agency_editor)] == [agency.id]
    assert queries.organiser_choices(session, company_editor) == []
    assert queries.organiser_choices(session, SYSTEM)[0] == (None, "")


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"title_pl": "", "title_en": ""}, "event.title_required"),
        ({"venue": "", "online": False}, "event.venue"),
        (
            {"registration_opens": DAY, "registration_closes": DAY - dt.timedelta(days=90)},
            "event.registration_window",
        ),
        (
            {"sessions": [{"day": DAY, "starts": "12:00", "ends": "09:00"}]},
            "session.order",
        ),
        (
            {
                "sessions": [
                    {
                        "day": DAY,
                        "starts": "09:00",
                        "ends": "10:00",
                        "breaks": [{"starts": "08:00", "ends": "08:30"}],
                    }
                ]
            },
            "session.break_outside",
        ),
        (
            {"sessions": [{"day": DAY, "starts": "09:00", "ends": "09:20", "slot_minutes": 30}]},
            "session.no_slot",
        ),
        ({"reserved_tables": [9]}, "event.reserved_table"),
        (
            {"table_names": ["A", "B", "C"], "table_count": 2, "reserved_tables": []},
            "event.table_names",
        ),
        ({"participant_types": []}, "event.no_types"),
        (
            {"request_rules": [{"requester": "visitor", "receiver": "company"}]},
            "event.rule_type",
        ),
    ],
)
def test_bad_input_is_refused_with_a_code_and_nothing_stored(session: Session, overrides, code):
    with pytest.raises(Invalid) as refused:
        service.create_event(session, SYSTEM, event_data(**overrides))
    assert code in [e.code for e in refused.value.errors]
    assert _count(session) == 0


def test_publication_and_who_sees_drafts(session: Session):
    agency = factories.organisation(session, kind="research")
    own = factories.actor_of(session, factories.user(session, role="viewer", org=agency))
    outsider = factories.actor_of(session, factories.user(session))
    draft = event(session, publish=False, organiser_id=agency.id)
    shown = event(session, organiser_id=agency.id)
    assert [e.id for e in queries.list_events(session, ANONYMOUS)] == [shown.id]
    assert {e.id for e in queries.list_events(session, own)} == {draft.id, shown.id}
    with pytest.raises(NotFound):
        queries.get_event(session, outsider, draft.id)
    with pytest.raises(PermissionDenied):
        service.publish_event(session, own, draft.id)  # a viewer does not run the event
    with pytest.raises(Conflict):
        service.publish_event(session, SYSTEM, shown.id)
    bare = event(
        session, publish=False, sessions=[], table_count=0, table_names=[], reserved_tables=[]
    )
    with pytest.raises(Conflict) as incomplete:
        service.publish_event(session, SYSTEM, bare.id)
    assert incomplete.value.code == "event.incomplete"
    service.cancel_event(session, SYSTEM, shown.id)
    with pytest.raises(Conflict):
        service.update_event(session, SYSTEM, shown.id, event_data())


def test_editing_replaces_sessions_and_keeps_the_organiser(session: Session):
    made = event(session)
    changed = service.update_event(
        session,
        SYSTEM,
        made.id,
        event_data(
            organiser_id=None,
            sessions=[
                {"day": DAY + dt.timedelta(days=1), "starts": "14:00", "ends": "15:00"},
                {"day": DAY, "starts": "09:00", "ends": "10:00", "slot_minutes": 20},
            ],
        ),
    )
    assert [s.day for s in changed.sessions] == [DAY, DAY + dt.timedelta(days=1)]
    assert changed.starts_on == DAY
    assert [s.id for s in queries.slots_of_event(changed)][:1] == [f"{changed.sessions[0].id}-1"]
    assert len(queries.slots_of_event(changed)) == 3 + 2


def test_slots_skip_breaks_and_never_overrun_the_session():
    spec = SessionSpec(
        7,
        DAY,
        dt.time(9),
        dt.time(12),
        30,
        ((dt.time(10, 15), dt.time(10, 45)),),
    )
    cut = [(s.starts.strftime("%H:%M"), s.ends.strftime("%H:%M")) for s in slots_of(spec)]
    assert cut == [
        ("09:00", "09:30"),
        ("09:30", "10:00"),
        ("10:45", "11:15"),
        ("11:15", "11:45"),
    ]
    assert [s.id for s in slots_of(spec)] == ["7-1", "7-2", "7-3", "7-4"]


def test_editing_keeps_each_session_so_choices_and_scheduled_slots_hold(session: Session):
    """Sessions' ids are in registrations' choices and meetings' slots ("<session>-<n>"): an
    edit (here: the capacity, a later start of the second session, a third session) keeps the
    stored rows, so nothing points at a session that is gone."""
    two = [
        {"day": DAY, "starts": "09:00", "ends": "12:00"},
        {"day": DAY + dt.timedelta(days=1), "starts": "09:00", "ends": "11:00"},
    ]
    made = event(session, sessions=two)
    first, second = (s.id for s in made.sessions)
    slot = queries.slots_of_event(made)[0].id
    moved = [
        two[0],
        {**two[1], "starts": "10:00"},
        {"day": DAY, "starts": "13:00", "ends": "14:00"},
    ]
    changed = service.update_event(
        session, SYSTEM, made.id, event_data(capacity=99, sessions=moved)
    )
    ids = [s.id for s in changed.sessions]
    assert ids[0] == first and ids[2] == second and len(set(ids)) == 3
    assert slot in {s.id for s in queries.slots_of_event(changed)}
    assert changed.sessions[2].starts.strftime("%H:%M") == "10:00"
    fewer = service.update_event(session, SYSTEM, made.id, event_data(sessions=[two[1]]))
    assert [s.id for s in fewer.sessions] == [second]
