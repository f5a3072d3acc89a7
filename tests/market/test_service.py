"""The marketplace's writers: validation with field errors, permission first, expiry, renewal,
access requests and attachments."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests import factories

from upland import storage
from upland.actor import SYSTEM, Actor
from upland.audit import AuditEntry
from upland.errors import Conflict, Invalid, NotFound, PermissionDenied
from upland.market import service as market
from upland.market.models import Opportunity
from upland.market.schemas import OpportunityUpdate
from upland.market.signals import OpportunityExpired, OpportunityPublished
from upland.signals import subscribe, unsubscribe

TODAY = dt.datetime.now(dt.UTC).date()
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")


def _editor(session: Session, org) -> Actor:
    return factories.actor_of(session, factories.user(session, role="editor", org=org))


def _codes(exc: Invalid) -> dict[str, str]:
    return {e.field: e.code for e in exc.errors}


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"trl": 5}, "trl", "opportunity.field_of_kind"),
        ({"ip_status": "know_how"}, "ip_status", "opportunity.field_of_kind"),
        ({"expires_on": TODAY - dt.timedelta(days=1)}, "expires_on", "expires_on.past"),
        (
            {
                "kind": "capacity_offer",
                "available_from": TODAY + dt.timedelta(days=9),
                "available_to": TODAY,
            },
            "available_to",
            "available.reversed",
        ),
        (
            {"title_pl": "", "title_en": "", "description_pl": "", "description_en": ""},
            "title_pl",
            "opportunity.no_language",
        ),
        ({"pkd_codes": [{"code": "99.99.Z"}]}, "pkd_codes.0.code", "pkd.unknown"),
        (
            {"capabilities": [{"term": "no-such-term"}]},
            "capabilities.0.term",
            "capability_term.unknown",
        ),
        ({"places": ["9999999"]}, "places.0", "teryt.unknown"),
        (
            {"kind": "technology_offer", "ip_status": "patent_pending"},
            "patent_number",
            "patent_number.missing",
        ),
        ({"hours_per_week": 20}, "hours_per_week", "opportunity.field_of_kind"),
        ({"named": ["other"]}, "named", "named.not_restricted"),
    ],
)
def test_invalid_values_are_field_errors(session: Session, overrides, field, code):
    owner, other = factories.organisation(session), factories.organisation(session)
    if "named" in overrides:
        overrides = {"named": [other.id]}
    with pytest.raises(Invalid) as refused:
        factories.opportunity(session, owner, **overrides)
    assert _codes(refused.value).get(field) == code, refused.value.errors


def test_a_technology_offer_keeps_its_fields(session: Session):
    owner = factories.organisation(session, kind="research")
    made = factories.opportunity(
        session,
        owner,
        kind="technology_offer",
        trl=6,
        ip_status="patent_granted",
        patent_number="PL 234567",
        pkd_codes=[{"code": "72.19.Z", "version": 2007}],
        capabilities=[{"term": "cnc-milling", "role": "offered"}],
        places=["06", "1463011"],
        partnership_types=["licence", "technical_cooperation"],
        expires_on=TODAY + dt.timedelta(days=30),
    )
    assert (made.trl, made.ip_status, made.patent_number) == (6, "patent_granted", "PL 234567")
    assert [p.section for p in made.pkd_codes] == ["M"]
    assert [p.teryt for p in made.places] == ["06", "1463011"]
    assert made.partnership_types == ["licence", "technical_cooperation"]
    assert made.teryt == "0663011" and "frezowanie" in made.search_title


def test_only_the_owners_editors_create_and_change(session: Session):
    owner, other = factories.organisation(session), factories.organisation(session)
    viewer = factories.actor_of(session, factories.user(session, role="viewer", org=owner))
    with pytest.raises(PermissionDenied):
        factories.opportunity(session, owner, viewer)
    with pytest.raises(PermissionDenied):
        factories.opportunity(session, owner, _editor(session, other))
    with pytest.raises(PermissionDenied):
        factories.opportunity(session, owner, SYSTEM)  # staff do not write for members
    made = factories.opportunity(session, owner, publish=True)
    change = OpportunityUpdate(title_pl="Nowy tytuł")
    with pytest.raises(PermissionDenied):  # sees it (members), may not change it
        market.update_opportunity(session, _editor(session, other), made.id, change, today=TODAY)
    with pytest.raises(PermissionDenied):
        market.update_opportunity(session, viewer, made.id, change, today=TODAY)
    assert session.get(Opportunity, made.id).title_pl != "Nowy tytuł"


def test_a_draft_is_hidden_from_everyone_but_its_owner(session: Session):
    owner, other = factories.organisation(session), factories.organisation(session)
    made = factories.opportunity(session, owner, visibility="public")
    with pytest.raises(NotFound):
        market.submit_opportunity(session, _editor(session, other), made.id)
    with pytest.raises(NotFound):
        market.approve_opportunity(session, SYSTEM, made.id)  # staff see no drafts


def test_an_edit_is_audited_with_what_changed(session: Session):
    owner = factories.organisation(session)
    editor = _editor(session, owner)
    made = factories.opportunity(session, owner, editor)
    market.update_opportunity(
        session, editor, made.id, OpportunityUpdate(title_pl="Inny tytuł"), today=TODAY
    )
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "market.opportunity.update")
    ).one()
    assert entry.after == {"title_pl": "Inny tytuł"}
    assert entry.organisation_id == owner.id
    assert "inny" in made.search_title


def test_expire_due_expires_published_ones_past_their_date(session: Session):
    owner = factories.organisation(session)
    editor = _editor(session, owner)
    due = factories.opportunity(session, owner, editor, publish=True, expires_on=TODAY)
    later = factories.opportunity(
        session, owner, editor, publish=True, expires_on=TODAY + dt.timedelta(days=2)
    )
    seen: list[object] = []
    subscribe(OpportunityExpired, seen.append)
    try:
        tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
        assert market.expire_due(session, SYSTEM, tomorrow) == [due.id]
    finally:
        unsubscribe(OpportunityExpired, seen.append)
    assert (due.status, later.status) == ("expired", "published")
    with pytest.raises(PermissionDenied):
        market.expire_due(session, editor, tomorrow)
    renewed = market.renew_opportunity(session, editor, due.id, TODAY + dt.timedelta(days=60))
    assert renewed.status == "published"
    with pytest.raises(Invalid):
        market.renew_opportunity(session, editor, due.id, TODAY - dt.timedelta(days=1))


def test_publishing_queues_its_signal(session: Session):
    owner = factories.organisation(session)
    made = factories.opportunity(session, owner, publish=True)
    pending = session.info.get("upland_pending_signals", [])
    assert OpportunityPublished(made.id, owner.id) in pending


def test_access_request_granted_names_the_organisation(session: Session):
    owner, asker = factories.organisation(session), factories.organisation(session)
    owner_editor, asker_editor = _editor(session, owner), _editor(session, asker)
    made = factories.opportunity(
        session, owner, owner_editor, publish=True, visibility="restricted"
    )
    with pytest.raises(PermissionDenied):  # only for an organisation one edits
        market.request_access(session, asker_editor, made.id, owner.id)
    request = market.request_access(session, asker_editor, made.id, asker.id, "Prosimy")
    with pytest.raises(Conflict):
        market.request_access(session, asker_editor, made.id, asker.id)
    with pytest.raises(NotFound):  # the asker does not see the opportunity whole yet
        market.decide_access(session, asker_editor, request.id, grant=True)
    market.decide_access(session, owner_editor, request.id, grant=True)
    assert asker.id in made.named_ids and request.status == "granted"
    with pytest.raises(Conflict):
        market.decide_access(session, owner_editor, request.id, grant=False)


def test_no_access_request_for_what_one_sees_whole(session: Session):
    owner, asker = factories.organisation(session), factories.organisation(session)
    made = factories.opportunity(session, owner, publish=True, visibility="members")
    with pytest.raises(NotFound):  # a members-only one shows no teaser: not even found
        market.request_access(session, Actor(user_id=99, label="outsider"), made.id, asker.id)
    with pytest.raises(PermissionDenied):
        market.request_access(session, _editor(session, asker), made.id, asker.id)


@pytest.fixture
def files(tmp_path) -> storage.LocalStorage:
    local = storage.LocalStorage(tmp_path / "files")
    storage.use(local)
    yield local
    storage.use(None)


def test_attachments_are_checked_by_content(session: Session, files):
    owner = factories.organisation(session)
    editor = _editor(session, owner)
    made = factories.opportunity(session, owner, editor)
    added = market.add_attachment(session, editor, made.id, "../../oferta.pdf", io.BytesIO(PDF))
    assert (added.name, added.content_type, added.size) == (
        "oferta.pdf",
        "application/pdf",
        len(PDF),
    )
    assert files.open(added.key).read() == PDF
    image = market.add_attachment(session, editor, made.id, "x.txt", io.BytesIO(PNG))
    assert image.content_type == "image/png"  # the content decides, not the name
    with pytest.raises(Invalid) as lying:
        market.add_attachment(
            session, editor, made.id, "fake.pdf", io.BytesIO(b"<script>1</script>")
        )
    assert lying.value.errors[0].code == "attachment.type"


def test_too_big_attachments_are_refused(session: Session, files, monkeypatch):
    from upland.settings import get_settings

    monkeypatch.setattr(get_settings(), "attachment_max_mb", 1)
    owner = factories.organisation(session)
    editor = _editor(session, owner)
    made = factories.opportunity(session, owner, editor)
    with pytest.raises(Invalid) as big:
        market.add_attachment(session, editor, made.id, "a.pdf", io.BytesIO(PDF + b"0" * 2**20))
    assert big.value.errors[0].code == "file.too_large"


def test_an_attachment_goes_with_its_draft_after_commit(session: Session, files):
    owner = factories.organisation(session)
    editor = _editor(session, owner)
    made = factories.opportunity(session, owner, editor)
    added = market.add_attachment(session, editor, made.id, "a.pdf", io.BytesIO(PDF))
    key = added.key
    market.delete_opportunity(session, editor, made.id)
    assert files.open(key)  # still there until the transaction commits
    from upland.market.service.attachments import _delete_forgotten

    _delete_forgotten(session)
    with pytest.raises(NotFound):
        files.open(key)
    assert session.scalar(select(func.count()).select_from(Opportunity)) == 0


def test_sweep_deletes_files_nothing_names(session: Session, files):
    orphan = files.put(io.BytesIO(PDF))
    owner = factories.organisation(session)
    editor = _editor(session, owner)
    made = factories.opportunity(session, owner, editor)
    kept = market.add_attachment(session, editor, made.id, "a.pdf", io.BytesIO(PDF)).key
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)
    assert market.sweep_files(session, SYSTEM, later) == [orphan]
    assert files.open(kept)
