"""New opportunities reach the people whose saved search they match and who may see them, once;
followers hear of changes, renewals, deadlines and closing. The set-based matching gives the
same answer as running every person's every search."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories

from upland.accounts import service as account_service
from upland.actor import SYSTEM
from upland.market import service as market
from upland.market.saved import fanout, matching, notices, service
from upland.market.saved.schemas import SavedSearchCreate
from upland.market.schemas import OpportunityUpdate
from upland.notifications import kinds
from upland.notifications import service as notifications
from upland.notifications.models import Notification

TODAY = dt.datetime.now(dt.UTC).date()


def _saves(session: Session, actor, **fields) -> int:
    return service.save_search(session, actor, SavedSearchCreate(name="Moje", **fields)).id


def _told(session: Session, kind: str = notices.NEW_MATCH.code) -> dict[int, Notification]:
    rows = session.scalars(select(Notification).where(Notification.kind == kind))
    return {n.recipient_id: n for n in rows}


@pytest.fixture
def world(session: Session):
    owner = factories.organisation(
        session, legal_name="Tajny Właściciel sp. z o.o.", short_name="Tajny"
    )
    member = factories.organisation(session)
    outsider_org = factories.organisation(session, membership_status="none")
    return {
        "owner": owner,
        "member": factories.user(session, role="viewer", org=member),
        "member_org": member,
        "loner": factories.user(session),  # logged in, in no organisation
        "outsider": factories.user(session, role="viewer", org=outsider_org),
        "own": factories.user(session, role="viewer", org=owner),
    }


def _actor(session, world, who):
    return factories.actor_of(session, world[who])


def test_members_only_reaches_members_not_others(session: Session, world):
    for who in ("member", "loner", "own"):
        _saves(session, _actor(session, world, who), q="frezowanie")
    made = factories.opportunity(session, world["owner"], publish=True, visibility="members")
    fanout.announce(session, [made.id], TODAY)
    told = _told(session)
    assert set(told) == {world["member"].id}
    assert told[world["member"].id].link == f"/market/{made.id}"


def test_restricted_reaches_only_the_named(session: Session, world):
    named_org = factories.organisation(session)
    named = factories.user(session, role="viewer", org=named_org)
    for account in (named, world["member"]):
        _saves(session, factories.actor_of(session, account), kind="business_offer")
    made = factories.opportunity(
        session, world["owner"], publish=True, visibility="restricted", named=[named_org.id]
    )
    fanout.announce(session, [made.id], TODAY)
    assert set(_told(session)) == {named.id}


def test_public_reaches_everyone_logged_in(session: Session, world):
    for who in ("member", "loner", "outsider"):
        _saves(session, _actor(session, world, who), q="frezowanie")
    made = factories.opportunity(session, world["owner"], publish=True, visibility="public")
    fanout.announce(session, [made.id], TODAY)
    assert set(_told(session)) == {world[w].id for w in ("member", "loner", "outsider")}


def test_public_leaves_out_the_owners_people_and_closed_accounts(session: Session, world):
    gone = factories.user(session, role="viewer", org=world["member_org"])
    for account in (world["member"], world["own"], gone):
        _saves(session, factories.actor_of(session, account), q="frezowanie")
    account_service.deactivate_user(session, SYSTEM, gone.id)
    made = factories.opportunity(session, world["owner"], publish=True, visibility="public")
    found = matching.find_matches(session, [made.id], TODAY)
    assert [m.user_id for m in found] == [world["member"].id]
    assert found == matching.naive_matches(session, [made.id], TODAY)


def test_an_anonymous_owner_stays_anonymous(session: Session, world):
    _saves(session, _actor(session, world, "member"), q="frezowanie")
    made = factories.opportunity(session, world["owner"], publish=True, anonymous=True)
    fanout.announce(session, [made.id], TODAY)
    note = _told(session)[world["member"].id]
    for language in ("pl", "en"):
        said = kinds.sentence(note.kind, note.params, language)
        assert "Tajny" not in said and "Moje" in said
    assert "Tajny" not in str(note.params) and str(world["owner"].id) not in str(note.params)


def test_the_sentence_names_the_search_and_the_title_in_the_readers_language(
    session: Session, world
):
    _saves(session, _actor(session, world, "member"), q="frezowanie")
    made = factories.opportunity(session, world["owner"], publish=True)
    fanout.announce(session, [made.id], TODAY)
    note = _told(session)[world["member"].id]
    assert kinds.sentence(note.kind, note.params, "pl").startswith("Nowa")
    assert "Frezowanie CNC korpusów przekładni" in kinds.sentence(note.kind, note.params, "pl")


def test_each_field_of_a_search_narrows(session: Session, world):
    me = _actor(session, world, "member")
    wanted = {
        _saves(session, me, kind="technology_offer", trl_min=4): False,
    }
    del wanted
    searches = {
        "kind": dict(kind="capacity_offer"),
        "pkd-hit": dict(pkd="25.62"),
        "section-hit": dict(pkd="C"),
        "pkd-miss": dict(pkd="26"),
        "city-hit": dict(city="Lublin"),
        "city-miss": dict(city="Radom"),
        "term-hit": dict(capability="cnc-milling"),
        "term-miss": dict(capability="laser-cutting"),
        "words-hit": dict(q="frezowan pięcioosiowych"),
        "words-miss": dict(q="frezowanie laser"),
        "owner-hit": dict(owner_kind="company"),
        "owner-miss": dict(owner_kind="research"),
        "trl-miss": dict(trl_min=3),
    }
    ids = {}
    for n, (name, fields) in enumerate(searches.items()):
        account = factories.user(session, role="viewer", org=world["member_org"])
        ids[name] = account.id
        service.save_search(
            session, factories.actor_of(session, account), SavedSearchCreate(name=f"s{n}", **fields)
        )
    made = factories.opportunity(
        session,
        world["owner"],
        publish=True,
        pkd_codes=[{"code": "25.62.Z", "version": 2025}],
        capabilities=[{"term": "cnc-milling"}],
        places=["06"],
    )
    found = matching.find_matches(session, [made.id], TODAY)
    hit = {m.user_id for m in found}
    expected = {ids[n] for n in ids if n.endswith("-hit")}
    assert hit - {world["member"].id} == expected
    assert sorted(found, key=lambda m: (m.user_id, m.opportunity_id)) == matching.naive_matches(
        session, [made.id], TODAY
    )


def test_a_saved_owner_kind_never_tells_an_anonymous_owners_kind(session: Session, world):
    """A search for companies' offers matches an anonymous company's offer for staff only,
    who know the owner; a member saving the search learns nothing of the owner's kind."""
    company = _saves(session, _actor(session, world, "member"), owner_kind="company")
    research = _saves(session, _actor(session, world, "loner"), owner_kind="research")
    anyone = factories.user(session, role="viewer", org=world["member_org"])
    _saves(session, factories.actor_of(session, anyone), q="frezowanie")
    coordinator = factories.user(session, role="coordinator")
    _saves(session, factories.actor_of(session, coordinator), owner_kind="company")
    made = factories.opportunity(
        session, world["owner"], publish=True, visibility="public", anonymous=True
    )
    found = matching.find_matches(session, [made.id], TODAY)
    assert {m.user_id for m in found} == {anyone.id, coordinator.id}
    assert {company, research}.isdisjoint(m.search_id for m in found)
    assert sorted(found, key=lambda m: (m.user_id, m.opportunity_id)) == matching.naive_matches(
        session, [made.id], TODAY
    )
    named = factories.opportunity(session, world["owner"], publish=True, visibility="public")
    told = {m.user_id for m in matching.find_matches(session, [named.id], TODAY)}
    assert told == {
        world["member"].id,
        anyone.id,
        coordinator.id,
    }  # a named owner's kind is no secret


def test_told_once_even_when_renewed(session: Session, world):
    _saves(session, _actor(session, world, "member"), q="frezowanie")
    made = factories.opportunity(session, world["owner"], publish=True)
    assert len(fanout.announce(session, [made.id], TODAY)) == 1
    assert fanout.announce(session, [made.id], TODAY) == []
    assert matching.naive_matches(session, [made.id], TODAY) == []


def test_drafts_and_closed_ones_are_not_announced(session: Session, world):
    _saves(session, _actor(session, world, "member"), q="frezowanie")
    draft = factories.opportunity(session, world["owner"])
    assert fanout.announce(session, [draft.id], TODAY) == []


def test_delivery_follows_the_persons_choice(session: Session, world):
    member = _actor(session, world, "member")
    notifications.set_preferences(session, member, member.user_id, {notices.NEW_MATCH.code: "off"})
    loner = _actor(session, world, "loner")
    notifications.set_preferences(
        session, loner, loner.user_id, {notices.NEW_MATCH.code: "immediate"}
    )
    _saves(session, member, q="frezowanie")
    _saves(session, loner, q="frezowanie")
    made = factories.opportunity(session, world["owner"], publish=True, visibility="public")
    fanout.announce(session, [made.id], TODAY)
    told = _told(session)
    assert set(told) == {world["loner"].id}
    assert told[world["loner"].id].delivery == "immediate"
    assert told[world["loner"].id].mail_message_id is not None


def test_fast_and_naive_agree_on_a_mixed_world(session: Session, world):
    named_org = factories.organisation(session)
    people = [factories.user(session, role="viewer", org=named_org) for _ in range(3)]
    people += [world["member"], world["loner"], world["outsider"], world["own"]]
    variants = [
        dict(q="frezowanie"),
        dict(kind="business_offer", city="Lublin"),
        dict(pkd="25"),
        dict(q="spawanie"),
        dict(capability="cnc-milling", trl_max=5),
    ]
    for i, account in enumerate(people):
        actor = factories.actor_of(session, account)
        for j in range(2):
            fields = variants[(i + j) % len(variants)]
            service.save_search(session, actor, SavedSearchCreate(name=f"v{j}", **fields))
    made = [
        factories.opportunity(session, world["owner"], publish=True, visibility="public"),
        factories.opportunity(
            session, world["owner"], publish=True, visibility="restricted", named=[named_org.id]
        ),
        factories.opportunity(
            session,
            world["owner"],
            publish=True,
            pkd_codes=[{"code": "25.62.Z", "version": 2025}],
            title_pl="Spawanie ram",
            title_en="Welding of frames",
            places=["0663011"],
        ),
    ]
    ids = [m.id for m in made]
    fast = matching.find_matches(session, ids, TODAY)
    assert fast == matching.naive_matches(session, ids, TODAY)
    assert fast  # the world is not empty


def test_followers_hear_of_changes_and_closing(session: Session, world):
    editor = factories.actor_of(session, factories.user(session, role="editor", org=world["owner"]))
    made = factories.opportunity(session, world["owner"], editor, publish=True)
    member = _actor(session, world, "member")
    service.follow(session, member, made.id)
    service.follow(session, _actor(session, world, "own"), made.id)
    market.update_opportunity(
        session, editor, made.id, OpportunityUpdate(title_pl="Nowy tytuł"), today=TODAY
    )
    assert fanout.tell_followers(session, made.id, notices.CHANGED.code) == 1
    market.withdraw_opportunity(session, editor, made.id)
    fanout.tell_followers(session, made.id, notices.CLOSED.code, {"status": "withdrawn"})
    note = _told(session, notices.CLOSED.code)[world["member"].id]
    assert "wycofan" in kinds.sentence(note.kind, note.params, "pl")
    assert "withdrawn" in kinds.sentence(note.kind, note.params, "en")
    assert set(_told(session, notices.CHANGED.code)) == {world["member"].id}


def test_a_follower_who_lost_sight_hears_nothing(session: Session, world):
    editor = factories.actor_of(session, factories.user(session, role="editor", org=world["owner"]))
    made = factories.opportunity(session, world["owner"], editor, publish=True)
    service.follow(session, _actor(session, world, "member"), made.id)
    market.update_opportunity(
        session, editor, made.id, OpportunityUpdate(visibility="restricted"), today=TODAY
    )
    assert fanout.tell_followers(session, made.id, notices.CHANGED.code) == 0


def test_deadline_reminders(session: Session, world):
    made = factories.opportunity(
        session,
        world["owner"],
        publish=True,
        deadline=(TODAY + dt.timedelta(days=fanout.DEADLINE_DAYS)).isoformat(),
    )
    factories.opportunity(
        session, world["owner"], publish=True, deadline=(TODAY + dt.timedelta(days=9)).isoformat()
    )
    service.follow(session, _actor(session, world, "member"), made.id)
    assert fanout.remind_deadlines(session, TODAY) == 1
    assert set(_told(session, notices.DEADLINE.code)) == {world["member"].id}


@pytest.mark.usefixtures("market_notices")
def test_publishing_and_closing_tell_searchers_and_followers_after_commit(session: Session, world):
    """Through the marketplace's news (`market.notify.on`): the saved searches' and the
    followers' news is delivered by the job after commit, like every market notice."""
    _saves(session, _actor(session, world, "member"), kind="business_offer")
    editor = factories.actor_of(session, factories.user(session, role="editor", org=world["owner"]))
    made = factories.opportunity(session, world["owner"], editor)
    session.commit()
    market.submit_opportunity(session, editor, made.id)
    if made.status == "submitted":
        market.approve_opportunity(session, SYSTEM, made.id)
    assert _told(session) == {}  # nothing before the commit
    session.commit()
    assert set(_told(session)) == {world["member"].id}
    service.follow(session, _actor(session, world, "member"), made.id)
    session.commit()
    market.fulfil_opportunity(session, editor, made.id)
    session.commit()
    assert set(_told(session, notices.CLOSED.code)) == {world["member"].id}
