"""An organisation's user accounts: adding people, invitations, roles and the last admin."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests import factories

from upland.accounts import queries, service
from upland.accounts.actor import SYSTEM, Actor
from upland.accounts.models import AuditEntry, Membership, User
from upland.db import utcnow
from upland.errors import Conflict, Gone, Invalid, NotFound, PermissionDenied
from upland.organisations.models import Organisation, Person

NEW_PASSWORD = "nowe-haslo-2026"


def actor(session: Session, **grant: Any) -> Actor:
    return factories.actor_of(session, factories.user(session, **grant))


def role_of(session: Session, user_id: int, org: Organisation) -> str | None:
    return session.scalar(
        select(Membership.role).where(
            Membership.user_id == user_id, Membership.organisation_id == org.id
        )
    )


def invite(session: Session, org: Organisation, email: str = "nowa@firma.example", **kw: Any):
    """An invitation made by the organisation's staff; (invitation, plain token)."""
    return service.invite_member(
        session, SYSTEM, org.id, email, kw.get("full_name", ""), kw.get("role", "viewer")
    )


# --- Adding people and inviting them ------------------------------------------------------------


def test_an_invitation_makes_an_account_nobody_can_log_in_to_yet(session: Session):
    org = factories.organisation(session)
    admin = actor(session, role="admin", org=org)

    added = service.add_member(session, admin, org.id, " Nowa@Firma.example ", "editor", "Ewa")

    assert added.token and added.invitation
    user = session.get(User, added.user_id)
    assert user is not None
    assert (user.email, user.full_name, user.is_active, user.password_hash) == (
        "nowa@firma.example",
        "Ewa",
        False,
        None,
    )
    assert role_of(session, user.id, org) == "editor"
    invitation = added.invitation
    assert invitation.token_hash == hashlib.sha256(added.token.encode()).hexdigest()
    assert added.token not in invitation.token_hash
    assert invitation.expires_at - utcnow() > dt.timedelta(days=13, hours=23)
    assert invitation.expires_at - utcnow() <= dt.timedelta(days=14)
    assert invitation.invited_by_user_id == admin.user_id
    with pytest.raises(Invalid):
        service.authenticate(session, "nowa@firma.example", "", "10.0.0.1")
    actions = [
        e.action
        for e in session.scalars(
            select(AuditEntry).where(AuditEntry.actor_user_id == admin.user_id)
        )
    ]
    assert actions == [
        "accounts.user.invite",
        "accounts.membership.grant",
        "accounts.invitation.create",
    ]
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "accounts.invitation.create")
    ).one()
    assert "token_hash" not in (entry.after or {}) and added.token not in str(entry.after)


def test_an_existing_account_gets_the_role_without_an_invitation(session: Session):
    org = factories.organisation(session)
    existing = factories.user(session, email="jan@firma.example")

    added = service.add_member(session, SYSTEM, org.id, "JAN@firma.example", "viewer")

    assert (added.user_id, added.token, added.invitation) == (existing.id, None, None)
    assert role_of(session, existing.id, org) == "viewer"
    with pytest.raises(Conflict, match="has a role here already"):
        service.add_member(session, SYSTEM, org.id, "jan@firma.example", "admin")
    assert role_of(session, existing.id, org) == "viewer"


def test_adding_an_existing_account_links_its_contact_rows(session: Session):
    org = factories.organisation(
        session,
        people=[
            {"full_name": "Jan Nowak", "email": "Jan@Firma.example"},
            {"full_name": "Ktoś Inny", "email": "inny@firma.example"},
        ],
    )
    elsewhere = factories.organisation(
        session, people=[{"full_name": "Jan Nowak", "email": "jan@firma.example"}]
    )
    existing = factories.user(session, email="jan@firma.example")
    admin = actor(session, role="admin", org=org)

    service.add_member(session, admin, org.id, "JAN@firma.example", "viewer")

    linked = {(p.organisation_id, p.full_name): p.user_id for p in session.scalars(select(Person))}
    assert linked[(org.id, "Jan Nowak")] == existing.id
    assert linked[(org.id, "Ktoś Inny")] is None
    assert linked[(elsewhere.id, "Jan Nowak")] is None  # not the organisation that added him
    entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert [(e.action, e.actor_user_id) for e in entries[-2:]] == [
        ("accounts.membership.grant", admin.user_id),
        ("organisations.person.link", admin.user_id),
    ]
    data = queries.personal_data(session, factories.actor_of(session, existing), existing.id)
    assert [p["full_name"] for p in data["contact_profiles"]] == ["Jan Nowak"]


def test_a_deactivated_account_gets_the_role_but_no_way_back_in(session: Session):
    org = factories.organisation(session)
    existing = factories.user(session, email="jan@firma.example")
    service.deactivate_user(session, SYSTEM, existing.id)

    added = service.add_member(session, SYSTEM, org.id, "jan@firma.example", "viewer")

    assert added.token is None
    with pytest.raises(Conflict):
        invite(session, org, "jan@firma.example")


def test_inviting_a_pending_person_again_gives_a_new_link(session: Session):
    org, other = factories.organisation(session), factories.organisation(session)
    first, first_token = invite(session, org)

    again = service.add_member(session, SYSTEM, org.id, "nowa@firma.example", "admin")
    elsewhere = service.add_member(session, SYSTEM, other.id, "nowa@firma.example", "viewer")

    assert again.user_id == elsewhere.user_id == first.user_id
    assert again.token and elsewhere.token and len({first_token, again.token, elsewhere.token}) == 3
    assert role_of(session, first.user_id, org) == "admin"
    assert role_of(session, first.user_id, other) == "viewer"


@pytest.mark.parametrize(
    ("email", "role", "full_name", "field"),
    [
        ("no-at-sign.example", "viewer", "", "email"),
        ("a@b", "viewer", "", "email"),
        ("ewa@firma.example\u202e", "viewer", "", "email"),
        ("x" * 250 + "@a.pl", "viewer", "", "email"),
        ("ewa@firma.example", "coordinator", "", "role"),
        ("ewa@firma.example", "owner", "", "role"),
        ("ewa@firma.example", "viewer", "Ewa\x00", "full_name"),
        ("ewa@firma.example", "viewer", "E" * 201, "full_name"),
    ],
)
def test_add_member_refuses_bad_input_and_writes_nothing(
    session: Session, email: str, role: str, full_name: str, field: str
):
    org = factories.organisation(session)
    users = session.scalar(select(func.count()).select_from(User))

    with pytest.raises(Invalid) as caught:
        service.add_member(session, SYSTEM, org.id, email, role, full_name)

    assert caught.value.errors[0].field == field
    assert session.scalar(select(func.count()).select_from(User)) == users


# actor kind -> may manage the user accounts of `own`
MAY_MANAGE = {
    "anonymous": False,
    "own_viewer": False,
    "own_editor": False,
    "own_admin": True,
    "other_admin": False,
    "officer": False,
    "coordinator": True,
    "platform_admin": True,
}


@pytest.mark.parametrize("kind", list(MAY_MANAGE))
def test_who_may_manage_an_organisation_s_accounts(session: Session, kind: str):
    own, other = factories.organisation(session), factories.organisation(session)
    grants: dict[str, dict[str, Any]] = {
        "own_viewer": {"role": "viewer", "org": own},
        "own_editor": {"role": "editor", "org": own},
        "own_admin": {"role": "admin", "org": own},
        "other_admin": {"role": "admin", "org": other},
        "officer": {"role": "officer", "teryt": "0663011"},
        "coordinator": {"role": "coordinator"},
        "platform_admin": {"role": "platform-admin"},
    }
    who = actor(session, **grants[kind]) if kind != "anonymous" else Actor(None, "anonymous")
    member = factories.user(session, role="editor", org=own)
    writes = [
        lambda: queries.list_members(session, who, own.id),
        lambda: service.add_member(session, who, own.id, "nowa@firma.example", "viewer"),
        lambda: service.invite_member(session, who, own.id, "inna@firma.example", "", "viewer"),
        lambda: service.change_member_role(session, who, own.id, member.id, "viewer"),
        lambda: service.remove_member(session, who, own.id, member.id),
    ]
    for write in writes:
        if MAY_MANAGE[kind]:
            write()
        else:
            with pytest.raises(PermissionDenied):
                write()
    assert (role_of(session, member.id, own) is None) is MAY_MANAGE[kind]


def test_an_admin_cannot_reach_people_of_another_organisation(session: Session):
    own, other = factories.organisation(session), factories.organisation(session)
    admin = actor(session, role="admin", org=own)
    stranger = factories.user(session, role="editor", org=other)

    with pytest.raises(PermissionDenied):
        service.remove_member(session, admin, other.id, stranger.id)
    with pytest.raises(PermissionDenied):
        service.revoke_role(session, admin, stranger.id, "editor", other.id)
    with pytest.raises(NotFound):  # through their own organisation: not a member there
        service.remove_member(session, admin, own.id, stranger.id)
    with pytest.raises(NotFound):  # a role change never adds a stranger by id
        service.change_member_role(session, admin, own.id, stranger.id, "viewer")
    assert role_of(session, stranger.id, other) == "editor"
    assert role_of(session, stranger.id, own) is None


def test_members_are_listed_with_their_state(session: Session):
    org = factories.organisation(session)
    active = factories.user(session, role="admin", org=org)
    service.authenticate(session, active.email, factories.PASSWORD, "10.0.0.1")
    switched_off = factories.user(session, role="viewer", org=org)
    service.deactivate_user(session, SYSTEM, switched_off.id)
    invitation, _ = invite(session, org, role="editor")
    factories.user(session, role="viewer", org=factories.organisation(session))  # elsewhere

    listed = {m.user_id: m for m in queries.list_members(session, SYSTEM, org.id)}

    assert set(listed) == {active.id, switched_off.id, invitation.user_id}
    assert listed[active.id].status == "active" and listed[active.id].last_login_at
    assert listed[switched_off.id].status == "inactive"
    pending = listed[invitation.user_id]
    assert (pending.status, pending.role, pending.invitation_expires_at) == (
        "invited",
        "editor",
        invitation.expires_at,
    )
    with pytest.raises(NotFound):
        queries.list_members(session, SYSTEM, org.id + 1000)


# --- The last admin -----------------------------------------------------------------------------


@pytest.mark.parametrize("change", ["demote", "remove"])
def test_the_last_admin_cannot_leave_the_organisation_without_one(session: Session, change: str):
    org = factories.organisation(session)
    account = factories.user(session, role="admin", org=org)
    admin = factories.actor_of(session, account)
    invite(session, org, role="admin")  # a pending invitee is no admin yet

    def leave(who: Actor) -> None:
        if change == "demote":
            service.change_member_role(session, who, org.id, account.id, "editor")
        else:
            service.remove_member(session, who, org.id, account.id)

    with pytest.raises(Conflict, match="last admin"):
        leave(admin)
    with pytest.raises(Conflict, match="last admin"):  # nor through the older service
        service.revoke_role(session, admin, account.id, "admin", org.id)
    assert role_of(session, account.id, org) == "admin"

    second = factories.user(session, role="admin", org=org)
    leave(admin)
    assert role_of(session, account.id, org) == ("editor" if change == "demote" else None)
    with pytest.raises(Conflict):
        service.remove_member(session, factories.actor_of(session, second), org.id, second.id)


def test_staff_may_remove_the_last_admin(session: Session):
    org = factories.organisation(session)
    account = factories.user(session, role="admin", org=org)
    service.remove_member(session, actor(session, role="coordinator"), org.id, account.id)
    assert role_of(session, account.id, org) is None


# --- Accepting an invitation --------------------------------------------------------------------


def test_accepting_sets_up_the_account_and_links_its_contact_rows(session: Session):
    org = factories.organisation(
        session,
        people=[
            {"full_name": "Ewa Nowa", "email": "Nowa@Firma.example"},
            {"full_name": "Ktoś Inny", "email": "inny@firma.example"},
        ],
    )
    elsewhere = factories.organisation(
        session, people=[{"full_name": "Ewa Nowa", "email": "nowa@firma.example"}]
    )
    invitation, token = invite(session, org, full_name="E. Nowa")

    user = service.accept_invitation(session, token, " Ewa Nowa ", NEW_PASSWORD)

    assert (user.id, user.full_name, user.is_active) == (invitation.user_id, "Ewa Nowa", True)
    assert user.last_login_at is not None
    assert invitation.accepted_at is not None
    assert service.authenticate(session, "nowa@firma.example", NEW_PASSWORD, "10.0.0.1")
    linked = {(p.organisation_id, p.full_name): p.user_id for p in session.scalars(select(Person))}
    assert linked[(org.id, "Ewa Nowa")] == user.id
    assert linked[(org.id, "Ktoś Inny")] is None
    assert linked[(elsewhere.id, "Ewa Nowa")] is None  # not an organisation that invited her
    me = factories.actor_of(session, user)
    data = queries.personal_data(session, me, user.id)
    assert [p["full_name"] for p in data["contact_profiles"]] == ["Ewa Nowa"]
    assert data["invitations"][0]["accepted_at"] is not None
    actions = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[-2:] == ["accounts.invitation.accept", "organisations.person.link"]


def test_a_link_works_once_and_uses_up_the_account_s_other_links(session: Session):
    org, other = factories.organisation(session), factories.organisation(session)
    _, token = invite(session, org)
    _, other_token = invite(session, other)
    service.accept_invitation(session, token, "Ewa", NEW_PASSWORD)

    for used in (token, other_token):
        with pytest.raises(Gone, match="used already"):
            service.accept_invitation(session, used, "Intruz", "przejete-haslo-1")
    assert service.authenticate(session, "nowa@firma.example", NEW_PASSWORD, "10.0.0.1")


def test_expired_unknown_and_withdrawn_links_are_refused(session: Session):
    org = factories.organisation(session)
    expired, expired_token = invite(session, org, "stara@firma.example")
    expired.expires_at = utcnow() - dt.timedelta(seconds=1)
    withdrawn, withdrawn_token = invite(session, org, "wycofana@firma.example")
    service.remove_member(session, SYSTEM, org.id, withdrawn.user_id)

    with pytest.raises(Gone, match="expired"):
        service.accept_invitation(session, expired_token, "Ewa", NEW_PASSWORD)
    with pytest.raises(Gone, match="withdrawn"):
        service.accept_invitation(session, withdrawn_token, "Ewa", NEW_PASSWORD)
    with pytest.raises(NotFound):
        service.accept_invitation(session, expired_token[:-2] + "xx", "Ewa", NEW_PASSWORD)
    for user_id in (expired.user_id, withdrawn.user_id):
        user = session.get(User, user_id)
        assert user is not None and not user.is_active and user.password_hash is None


@pytest.mark.parametrize("how", ["deactivated", "erased"])
def test_a_switched_off_account_cannot_come_back_through_its_link(session: Session, how: str):
    org = factories.organisation(session)
    invitation, token = invite(session, org)
    if how == "deactivated":
        service.deactivate_user(session, SYSTEM, invitation.user_id)
    else:
        service.erase_user(session, SYSTEM, invitation.user_id)

    with pytest.raises(NotFound):
        service.accept_invitation(session, token, "Ewa", NEW_PASSWORD)


def test_accepting_checks_the_name_and_the_password(session: Session):
    org = factories.organisation(session)
    invitation, token = invite(session, org)

    with pytest.raises(Invalid) as caught:
        service.accept_invitation(session, token, "  ", "short-1")

    assert {e.field for e in caught.value.errors} == {"full_name", "password"}
    assert queries.open_invitation(session, token).id == invitation.id  # still usable
