"""An organisation's user accounts: invitations by e-mail that grant nothing until the
invitee accepts, role offers to existing accounts, roles and the last admin (issue #6 items 1
and 4)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests import factories
from tests.mailbox import Mailbox, links_in, text_of

from upland.accounts import invitations, mailing, queries, service
from upland.accounts.models import Invitation, Membership, User
from upland.actor import SYSTEM, Actor
from upland.audit import AuditEntry
from upland.db import utcnow
from upland.errors import Conflict, Gone, Invalid, NotFound, PermissionDenied
from upland.mail.models import MailMessage
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


def invite(session: Session, org: Organisation, email: str = "nowa@firma.example", role="viewer"):
    return service.add_member(session, SYSTEM, org.id, email, role)


def user_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


# --- Item 1: nobody but the invited address ever holds a link --------------------------------


def test_a_second_organisation_cannot_take_over_a_pending_invitee(
    session: Session, mailbox: Mailbox
):
    """Issue #6 item 1: the research admin invites a new address as admin of their
    organisation; another organisation's admin adds the same address. Neither gets a link,
    no account or role exists until the person accepts, and each invitation reaches only the
    address and gives only its own organisation's role."""
    research, rolmech = factories.organisation(session), factories.organisation(session)
    research_admin = actor(session, role="admin", org=research)
    rolmech_admin = actor(session, role="admin", org=rolmech)
    email = "nowy.pracownik@politechnika-wyzynna.example"
    users = user_count(session)

    service.add_member(session, research_admin, research.id, email, "admin")
    session.commit()
    service.add_member(session, rolmech_admin, rolmech.id, email, "viewer")
    session.commit()

    assert user_count(session) == users  # no placeholder account holds the admin role
    assert {m["To"] for m in mailbox.messages} == {email}
    [first, second] = mailbox.messages
    link_of = {1: links_in(first)[0], 2: links_in(second)[0]}
    assert link_of[1] != link_of[2]
    # The person follows the viewer invitation: they become a viewer of Rol-Mech only.
    user = service.accept_invitation(
        session, link_of[2].rsplit("/", 1)[1], "Nowy Pracownik", NEW_PASSWORD
    )
    assert role_of(session, user.id, rolmech) == "viewer"
    assert role_of(session, user.id, research) is None
    # The research offer waits on their account page for them to agree.
    [offer] = invitations.list_offers(session, user.id)
    assert (offer.organisation_id, offer.role) == (research.id, "admin")


def test_an_invitation_is_e_mailed_and_stored_only_as_a_hash(session: Session, mailbox: Mailbox):
    org = factories.organisation(session)
    admin = actor(session, role="admin", org=org)

    invited = service.add_member(session, admin, org.id, " Nowa@Firma.example ", "editor")
    session.commit()

    invitation = invited.invitation
    assert (invitation.email, invitation.role, invitation.organisation_id) == (
        "nowa@firma.example",
        "editor",
        org.id,
    )
    assert invitation.token_hash == hashlib.sha256(invited.token.encode()).hexdigest()
    assert dt.timedelta(days=13, hours=23) < invitation.expires_at - utcnow() <= dt.timedelta(14)
    assert invitation.invited_by_user_id == admin.user_id
    [message] = mailbox.to("nowa@firma.example")
    assert f"https://upland.test/invitations/{invited.token}" in text_of(message)
    assert message["List-Unsubscribe"] is None  # a security message
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "accounts.invitation.create")
    ).one()
    assert invited.token not in str(entry.after)
    stored = session.scalars(select(MailMessage)).one()
    assert stored.kind == "security"


# --- Item 4: the same answer for everybody, and consent before a role ------------------------


def test_adding_looks_the_same_whoever_the_address_belongs_to(session: Session):
    org = factories.organisation(session)
    admin = actor(session, role="admin", org=org)
    factories.user(session, email="jest@firma.example")
    invite(session, org, "czeka@firma.example")

    answers = [
        service.add_member(session, admin, org.id, email, "viewer")
        for email in ("jest@firma.example", "czeka@firma.example", "nikt@firma.example")
    ]

    assert [type(a) for a in answers] == [service.Invited] * 3
    assert all(a.invitation.accepted_at is None and a.token for a in answers)
    listed = [(i.email, i.role) for i in invitations.list_invitations(session, admin, org.id)]
    assert listed == [
        ("czeka@firma.example", "viewer"),
        ("jest@firma.example", "viewer"),
        ("nikt@firma.example", "viewer"),
    ]


def test_an_existing_account_gets_the_role_only_when_it_accepts(session: Session, mailbox: Mailbox):
    org = factories.organisation(
        session, people=[{"full_name": "Jan Nowak", "email": "Jan@Firma.example"}]
    )
    admin = actor(session, role="admin", org=org)
    existing = factories.user(session, email="jan@firma.example")

    invited = service.add_member(session, admin, org.id, "JAN@firma.example", "editor")
    session.commit()

    assert role_of(session, existing.id, org) is None
    [message] = mailbox.to("jan@firma.example")
    assert "https://upland.test/account#offers" in text_of(message)
    assert invited.token not in text_of(message)  # the offer is answered logged in, no link
    me = factories.actor_of(session, existing)
    with pytest.raises(Conflict, match="log in and accept"):
        service.accept_invitation(session, invited.token, "Intruz", NEW_PASSWORD)

    service.accept_offer(session, me, invited.invitation.id)

    assert role_of(session, existing.id, org) == "editor"
    person = session.scalars(select(Person).where(Person.organisation_id == org.id)).first()
    assert person is not None and person.user_id == existing.id
    assert invitations.list_offers(session, existing.id) == []
    with pytest.raises(Gone, match="used already"):
        service.accept_offer(session, me, invited.invitation.id)


def test_an_offer_can_be_declined_and_only_by_its_addressee(session: Session):
    org = factories.organisation(session)
    existing = factories.user(session, email="jan@firma.example")
    someone = actor(session, role="admin", org=org)
    invited = invite(session, org, "jan@firma.example", "admin")

    for wrong in (someone, Actor(None, "anonymous")):
        with pytest.raises((NotFound, PermissionDenied)):
            service.accept_offer(session, wrong, invited.invitation.id)
    service.decline_offer(session, factories.actor_of(session, existing), invited.invitation.id)

    assert role_of(session, existing.id, org) is None
    assert session.get(Invitation, invited.invitation.id) is None


def test_adding_again_replaces_the_invitation_with_a_new_e_mail(session: Session, mailbox: Mailbox):
    org = factories.organisation(session)
    first = invite(session, org, role="viewer")
    session.commit()
    again = invite(session, org, role="admin")
    session.commit()

    assert len(mailbox.to("nowa@firma.example")) == 2
    open_ones = select(func.count()).select_from(Invitation).where(Invitation.open())
    assert session.scalar(open_ones) == 1
    with pytest.raises(Gone, match="withdrawn"):  # the replaced link says so (410)
        service.accept_invitation(session, first.token, "Ewa", NEW_PASSWORD)
    user = service.accept_invitation(session, again.token, "Ewa", NEW_PASSWORD)
    assert role_of(session, user.id, org) == "admin"


def test_someone_with_a_role_here_is_changed_in_the_list(session: Session):
    org = factories.organisation(session)
    member = factories.user(session, email="jan@firma.example", role="viewer", org=org)
    with pytest.raises(Conflict, match="has a role here already"):
        invite(session, org, "jan@firma.example", "admin")
    assert role_of(session, member.id, org) == "viewer"


@pytest.mark.parametrize(
    ("email", "role", "field"),
    [
        ("no-at-sign.example", "viewer", "email"),
        ("a@b", "viewer", "email"),
        ("ewa@firma.example\u202e", "viewer", "email"),
        ("x" * 250 + "@a.pl", "viewer", "email"),
        ("ewa@firma.example", "coordinator", "role"),
        ("ewa@firma.example", "owner", "role"),
    ],
)
def test_add_member_refuses_bad_input_and_writes_nothing(
    session: Session, email: str, role: str, field: str
):
    org = factories.organisation(session)
    with pytest.raises(Invalid) as caught:
        service.add_member(session, SYSTEM, org.id, email, role)
    assert caught.value.errors[0].field == field
    assert session.scalar(select(func.count()).select_from(Invitation)) == 0


# --- Who may manage ----------------------------------------------------------------------------

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
    pending = invite(session, own, "czeka@firma.example").invitation
    writes = [
        lambda: queries.list_members(session, who, own.id),
        lambda: invitations.list_invitations(session, who, own.id),
        lambda: service.add_member(session, who, own.id, "nowa@firma.example", "viewer"),
        lambda: service.cancel_invitation(session, who, own.id, pending.id),
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
    session.refresh(pending)
    assert (pending.cancelled_at is not None) is MAY_MANAGE[kind]


def test_an_admin_cannot_reach_people_or_invitations_of_another_organisation(session: Session):
    own, other = factories.organisation(session), factories.organisation(session)
    admin = actor(session, role="admin", org=own)
    stranger = factories.user(session, role="editor", org=other)
    theirs = invite(session, other, "ich@firma.example").invitation

    with pytest.raises(PermissionDenied):
        service.remove_member(session, admin, other.id, stranger.id)
    with pytest.raises(NotFound):  # through their own organisation: not a member there
        service.remove_member(session, admin, own.id, stranger.id)
    with pytest.raises(NotFound):  # a role change never adds a stranger by id
        service.change_member_role(session, admin, own.id, stranger.id, "viewer")
    with pytest.raises(NotFound):
        service.cancel_invitation(session, admin, own.id, theirs.id)
    assert role_of(session, stranger.id, other) == "editor"
    assert session.get(Invitation, theirs.id) is not None


def test_members_are_listed_with_their_state_and_invitations_apart(session: Session):
    org = factories.organisation(session)
    active = factories.user(session, role="admin", org=org)
    service.authenticate(session, active.email, factories.PASSWORD, "10.0.0.1")
    switched_off = factories.user(session, role="viewer", org=org)
    service.deactivate_user(session, SYSTEM, switched_off.id)
    invite(session, org, role="editor")

    listed = {m.user_id: m for m in queries.list_members(session, SYSTEM, org.id)}

    assert set(listed) == {active.id, switched_off.id}
    assert listed[active.id].status == "active" and listed[active.id].last_login_at
    assert listed[switched_off.id].status == "inactive"
    [pending] = invitations.list_invitations(session, SYSTEM, org.id)
    assert (pending.email, pending.role) == ("nowa@firma.example", "editor")


# --- Notices about one's roles ---------------------------------------------------------------


def test_role_changes_are_noticed_with_an_unsubscribe_link(session: Session, mailbox: Mailbox):
    org = factories.organisation(session, short_name="Rol-Mech")
    admin = actor(session, role="admin", org=org)
    member = factories.user(session, email="jan@firma.example", role="viewer", org=org)
    quiet = factories.user(session, email="cisza@firma.example", role="viewer", org=org)
    service.set_mail_notices(session, factories.actor_of(session, quiet), quiet.id, False)

    service.change_member_role(session, admin, org.id, member.id, "editor")
    service.change_member_role(session, admin, org.id, quiet.id, "editor")
    session.commit()
    service.remove_member(session, admin, org.id, member.id)
    session.commit()

    assert mailbox.to("cisza@firma.example") == []
    changed, removed = mailbox.to("jan@firma.example")
    assert "Rol-Mech" in changed["Subject"] and "redaktor" in text_of(changed)
    assert "Odebrano" in text_of(removed)
    unsubscribe = str(changed["List-Unsubscribe"]).strip().strip("<>")
    assert unsubscribe.startswith("https://upland.test/notices/")
    assert unsubscribe in text_of(changed)

    service.unsubscribe(session, unsubscribe.rsplit("/", 1)[1])
    assert session.get(User, member.id).mail_notices is False
    with pytest.raises(NotFound):
        service.unsubscribe(session, "forged-token")


# --- The last admin -----------------------------------------------------------------------------


@pytest.mark.parametrize("change", ["demote", "remove"])
def test_the_last_admin_cannot_leave_the_organisation_without_one(session: Session, change: str):
    org = factories.organisation(session)
    account = factories.user(session, role="admin", org=org)
    admin = factories.actor_of(session, account)
    invite(session, org, role="admin")  # an invitee is no admin yet

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
    invited = invite(session, org, role="editor")

    user = service.accept_invitation(session, invited.token, " Ewa Nowa ", NEW_PASSWORD)

    assert (user.email, user.full_name, user.is_active) == ("nowa@firma.example", "Ewa Nowa", True)
    assert role_of(session, user.id, org) == "editor"
    assert invited.invitation.accepted_at is not None
    assert service.authenticate(session, "nowa@firma.example", NEW_PASSWORD, "10.0.0.1")
    linked = {(p.organisation_id, p.full_name): p.user_id for p in session.scalars(select(Person))}
    assert linked[(org.id, "Ewa Nowa")] == user.id
    assert linked[(org.id, "Ktoś Inny")] is None
    assert linked[(elsewhere.id, "Ewa Nowa")] is None
    data = queries.personal_data(session, factories.actor_of(session, user), user.id)
    assert [p["full_name"] for p in data["contact_profiles"]] == ["Ewa Nowa"]
    assert data["invitations"][0]["accepted_at"] is not None


def test_a_link_works_once(session: Session):
    org = factories.organisation(session)
    invited = invite(session, org)
    service.accept_invitation(session, invited.token, "Ewa", NEW_PASSWORD)

    with pytest.raises(Gone, match="used already"):
        service.accept_invitation(session, invited.token, "Intruz", "przejete-haslo-1")
    assert service.authenticate(session, "nowa@firma.example", NEW_PASSWORD, "10.0.0.1")


def test_expired_unknown_and_cancelled_links_are_refused(session: Session):
    org = factories.organisation(session)
    expired = invite(session, org, "stara@firma.example")
    expired.invitation.expires_at = utcnow() - dt.timedelta(seconds=1)
    cancelled = invite(session, org, "wycofana@firma.example")
    service.cancel_invitation(session, SYSTEM, org.id, cancelled.invitation.id)

    with pytest.raises(Gone, match="expired"):
        service.accept_invitation(session, expired.token, "Ewa", NEW_PASSWORD)
    with pytest.raises(Gone, match="withdrawn"):
        service.accept_invitation(session, cancelled.token, "Ewa", NEW_PASSWORD)
    with pytest.raises(NotFound):
        service.accept_invitation(session, expired.token[:-2] + "xx", "Ewa", NEW_PASSWORD)
    assert session.scalar(select(User.id).where(User.email.like("%@firma.example"))) is None


@pytest.mark.parametrize("how", ["deactivated", "erased"])
def test_a_switched_off_account_loses_its_open_offers(session: Session, how: str):
    org = factories.organisation(session)
    existing = factories.user(session, email="jan@firma.example")
    invited = invite(session, org, "jan@firma.example")
    if how == "deactivated":
        service.deactivate_user(session, SYSTEM, existing.id)
    else:
        service.erase_user(session, SYSTEM, existing.id)

    assert session.get(Invitation, invited.invitation.id) is None


def test_accepting_checks_the_name_and_the_password(session: Session):
    org = factories.organisation(session)
    invited = invite(session, org)

    with pytest.raises(Invalid) as caught:
        service.accept_invitation(session, invited.token, "  ", "short-1")

    assert {e.field for e in caught.value.errors} == {"full_name", "password"}
    assert invitations.open_invitation(session, invited.token).id == invited.invitation.id


@pytest.mark.parametrize("how", ["demoted", "deactivated"])
def test_an_invitation_ends_with_its_senders_right_to_invite(session: Session, how: str):
    org = factories.organisation(session)
    inviter = factories.user(session, role="admin", org=org)
    keeper = actor(session, role="admin", org=org)  # the organisation keeps an admin
    sender = factories.actor_of(session, inviter)
    invited = service.add_member(session, sender, org.id, "nowy@firma.example", "admin")
    existing = factories.user(session, email="jan@firma.example")
    offer = service.add_member(session, sender, org.id, existing.email, "admin")

    if how == "demoted":
        service.change_member_role(session, keeper, org.id, inviter.id, "viewer")
    else:
        service.deactivate_user(session, SYSTEM, inviter.id)

    with pytest.raises(Gone, match="no longer valid"):
        service.accept_invitation(session, invited.token, "Nowy", NEW_PASSWORD)
    with pytest.raises(Gone, match="no longer valid"):
        service.accept_offer(session, factories.actor_of(session, existing), offer.invitation.id)
    assert role_of(session, existing.id, org) is None


def test_an_invitation_from_the_command_line_names_no_sender_and_stays_valid(session: Session):
    org = factories.organisation(session)
    invited = service.add_member(session, SYSTEM, org.id, "nowy@firma.example", "admin")
    user = service.accept_invitation(session, invited.token, "Nowy", NEW_PASSWORD)
    assert role_of(session, user.id, org) == "admin"


@pytest.mark.parametrize(
    "email",
    [
        "ceo,attacker@evil.example",
        '"ceo,attacker"@evil.example',
        "Ceo <ceo@firma.example>",
        "ceo@firma.example;x@evil.example",
    ],
)
def test_only_one_plain_address_can_be_invited(session: Session, email: str):
    org = factories.organisation(session)
    admin = actor(session, role="admin", org=org)
    with pytest.raises(Invalid, match="e-mail address like"):
        service.add_member(session, admin, org.id, email, "viewer")
    with pytest.raises(Invalid, match="e-mail address like"):
        service.create_user(session, SYSTEM, email, "Ktoś", NEW_PASSWORD)


def test_an_unsubscribe_link_we_did_not_sign_says_so_before_the_button(
    session: Session, client: TestClient
):
    account = factories.user(session, email="jan@firma.example")
    good = mailing.unsubscribe_url(account).rsplit("/", 1)[1]

    forged = client.get("/notices/forged-token?lang=en")
    genuine = client.get(f"/notices/{good}")

    assert forged.status_code == 404 and "this link is not valid" in forged.text
    assert 'action="/notices/' not in forged.text
    assert genuine.status_code == 200 and f'action="/notices/{good}"' in genuine.text
