"""Account writes: users, roles, log-in, tokens, the audit log, personal data and erasure."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests import factories
from tests.mailbox import Mailbox, text_of

from upland.accounts import passwords, queries, service
from upland.accounts.models import ApiToken, Membership, User
from upland.accounts.schemas import AuditFilter
from upland.actor import ANONYMOUS, SYSTEM, Actor
from upland.audit import AuditEntry
from upland.errors import Conflict, Invalid, NotFound, PermissionDenied
from upland.organisations import service as organisation_service
from upland.organisations.models import Organisation, Person
from upland.organisations.schemas import CapabilityIn, OrganisationUpdate, PersonIn, SiteIn

LUBLIN = "0663011"


def audit_entries(session: Session, **where: Any) -> list[AuditEntry]:
    stmt = select(AuditEntry).filter_by(**where).order_by(AuditEntry.id)
    return list(session.scalars(stmt))


def last_entry(session: Session) -> AuditEntry:
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    assert entry is not None
    return entry


def actor(session: Session, role: str | None = None, **kwargs: Any) -> Actor:
    return factories.actor_of(session, factories.user(session, role=role, **kwargs))


# --- Creating users ------------------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2id(session: Session, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.undo()  # the production parameters, not the suite's cheap ones
    account = service.create_user(session, SYSTEM, "Hash@Test.example", "Ala", "zielony-las-77")
    assert account.password_hash is not None
    assert account.password_hash.startswith("$argon2id$")
    assert "zielony-las-77" not in account.password_hash
    assert passwords.verify_password(account.password_hash, "zielony-las-77")
    assert not passwords.verify_password(account.password_hash, "zielony-las-78")


def test_create_user_normalises_the_email_and_records_no_secret(session: Session):
    account = service.create_user(
        session, SYSTEM, "  Ala.Nowak@Test.Example ", " Ala ", "abc-def-123"
    )
    assert (account.email, account.full_name) == ("ala.nowak@test.example", "Ala")
    entry = last_entry(session)
    assert (entry.action, entry.object_id, entry.before) == (
        "accounts.user.create",
        str(account.id),
        None,
    )
    assert entry.after is not None and entry.after["email"] == "ala.nowak@test.example"
    assert "password_hash" not in entry.after
    assert account.password_hash not in str(entry.after)


@pytest.mark.parametrize("email", ["dup@test.example", "DUP@test.example", " dup@Test.Example"])
def test_a_second_account_with_the_same_email_conflicts(session: Session, email: str):
    service.create_user(session, SYSTEM, "dup@test.example", "First", factories.PASSWORD)
    with pytest.raises(Conflict):
        service.create_user(session, SYSTEM, email, "Second", factories.PASSWORD)
    assert session.scalar(select(func.count()).select_from(User)) == 1


@pytest.mark.parametrize("password", ["short-1", "onlyletterslong", "12345678901234", ""])
def test_weak_passwords_are_refused(session: Session, password: str):
    with pytest.raises(Invalid) as caught:
        service.create_user(session, SYSTEM, "weak@test.example", "Weak", password)
    assert [e.field for e in caught.value.errors] == ["password"]
    assert session.scalar(select(User.id).where(User.email == "weak@test.example")) is None


@pytest.mark.parametrize("role", [None, "admin", "officer"])
def test_only_staff_create_users(session: Session, role: str | None):
    org = factories.organisation(session)
    who = actor(session, role, org=org if role == "admin" else None, teryt=LUBLIN)
    with pytest.raises(PermissionDenied):
        service.create_user(session, who, "new@test.example", "New", factories.PASSWORD)
    coordinator = actor(session, "coordinator")
    assert service.create_user(session, coordinator, "new@test.example", "New", factories.PASSWORD)


# --- Roles ---------------------------------------------------------------------------------------

ROLE_STATE: dict[str, Callable[[User], Any]] = {
    "viewer": lambda u: [m.role for m in u.memberships],
    "editor": lambda u: [m.role for m in u.memberships],
    "admin": lambda u: [m.role for m in u.memberships],
    "coordinator": lambda u: u.is_coordinator,
    "officer": lambda u: u.officer_teryt,
    "platform-admin": lambda u: u.is_platform_admin,
}
GRANTED = {
    "viewer": ["viewer"],
    "editor": ["editor"],
    "admin": ["admin"],
    "coordinator": True,
    "officer": LUBLIN,
    "platform-admin": True,
}
REVOKED = {"coordinator": False, "officer": None, "platform-admin": False}
# what the role means for a request's actor, holding and not holding it
ACTOR_STATE: dict[str, Callable[[Actor, int], Any]] = {
    "viewer": lambda a, org_id: a.org_roles.get(org_id),
    "editor": lambda a, org_id: a.org_roles.get(org_id),
    "admin": lambda a, org_id: a.org_roles.get(org_id),
    "coordinator": lambda a, org_id: a.is_staff,
    "officer": lambda a, org_id: a.officer_teryt,
    "platform-admin": lambda a, org_id: a.is_admin,
}


@pytest.mark.parametrize("role", list(ROLE_STATE))
def test_grant_and_revoke_each_role(session: Session, role: str):
    org = factories.organisation(session)
    account = factories.user(session)
    org_id = org.id if role in {"viewer", "editor", "admin"} else None
    teryt = LUBLIN if role == "officer" else None

    service.grant_role(session, SYSTEM, account.id, role, org_id, teryt)
    session.expire_all()
    assert ROLE_STATE[role](queries.get_user(session, account.id)) == GRANTED[role]
    holding = ACTOR_STATE[role](factories.actor_of(session, account), org.id)
    assert holding == (GRANTED[role][0] if role in {"viewer", "editor", "admin"} else GRANTED[role])
    granted = last_entry(session)
    assert granted.action.endswith(".grant") and granted.object_id == str(account.id)
    assert granted.before != granted.after

    service.revoke_role(session, SYSTEM, account.id, role, org_id)
    session.expire_all()
    assert ROLE_STATE[role](queries.get_user(session, account.id)) == REVOKED.get(role, [])
    assert not ACTOR_STATE[role](factories.actor_of(session, account), org.id)
    revoked = last_entry(session)
    assert revoked.action.endswith(".revoke") and revoked.before != revoked.after


def test_granting_again_changes_the_role_in_place(session: Session):
    org = factories.organisation(session)
    account = factories.user(session, role="viewer", org=org)
    service.grant_role(session, SYSTEM, account.id, "admin", org.id)
    rows = session.scalars(select(Membership).where(Membership.user_id == account.id)).all()
    assert [(m.organisation_id, m.role) for m in rows] == [(org.id, "admin")]
    entry = last_entry(session)
    assert (entry.before, entry.after) == (
        {"organisation_id": org.id, "role": "viewer"},
        {"organisation_id": org.id, "role": "admin"},
    )


@pytest.mark.parametrize(
    ("role", "org", "teryt", "field"),
    [
        ("viewer", False, None, "organisation"),
        ("admin", False, None, "organisation"),
        ("officer", False, None, "city"),
        ("officer", False, "9999999", "city"),
        ("officer", False, "06630", "city"),
        ("owner", True, None, "role"),
    ],
)
def test_grant_refuses_incomplete_roles(
    session: Session, role: str, org: bool, teryt: str | None, field: str
):
    organisation = factories.organisation(session)
    account = factories.user(session)
    with pytest.raises(Invalid) as caught:
        service.grant_role(
            session, SYSTEM, account.id, role, organisation.id if org else None, teryt
        )
    assert [e.field for e in caught.value.errors] == [field]


@pytest.mark.parametrize("role", ["viewer", "owner"])
def test_revoke_refuses_incomplete_roles(session: Session, role: str):
    account = factories.user(session)
    with pytest.raises(Invalid):
        service.revoke_role(session, SYSTEM, account.id, role, None)


def test_grant_to_an_unknown_organisation_or_user_is_not_found(session: Session):
    org = factories.organisation(session)
    account = factories.user(session)
    with pytest.raises(NotFound):
        service.grant_role(session, SYSTEM, account.id, "viewer", org.id + 1000)
    with pytest.raises(NotFound):
        service.grant_role(session, SYSTEM, account.id + 1000, "viewer", org.id)


def test_revoking_a_role_the_user_does_not_have_is_not_found(session: Session):
    org = factories.organisation(session)
    account = factories.user(session)
    with pytest.raises(NotFound):
        service.revoke_role(session, SYSTEM, account.id, "editor", org.id)


# granter: roles they may grant (and revoke); "viewer@own" is a role in the granter's org
WHO_MAY_GRANT: dict[str, set[str]] = {
    "own_viewer": set(),
    "own_editor": set(),
    "own_admin": {"viewer@own"},
    "other_admin": set(),
    "officer": set(),
    "coordinator": {"viewer@own", "coordinator", "officer"},
    "platform_admin": {"viewer@own", "coordinator", "officer", "platform-admin"},
}


@pytest.mark.parametrize("granter", list(WHO_MAY_GRANT))
@pytest.mark.parametrize("role", ["viewer@own", "coordinator", "officer", "platform-admin"])
def test_who_may_grant_and_revoke_which_role(session: Session, granter: str, role: str):
    own, other = factories.organisation(session), factories.organisation(session)
    grants = {
        "own_viewer": {"role": "viewer", "org": own},
        "own_editor": {"role": "editor", "org": own},
        "own_admin": {"role": "admin", "org": own},
        "other_admin": {"role": "admin", "org": other},
        "officer": {"role": "officer", "teryt": LUBLIN},
        "coordinator": {"role": "coordinator"},
        "platform_admin": {"role": "platform-admin"},
    }
    who = actor(session, **grants[granter])
    target = factories.user(session)
    name, _, scope = role.partition("@")
    args = (target.id, name, own.id if scope else None)
    teryt = LUBLIN if name == "officer" else None

    if role in WHO_MAY_GRANT[granter]:
        service.grant_role(session, who, *args, teryt)
        service.revoke_role(session, who, *args)
    else:
        with pytest.raises(PermissionDenied):
            service.grant_role(session, who, *args, teryt)
        service.grant_role(session, SYSTEM, *args, teryt)
        with pytest.raises(PermissionDenied):
            service.revoke_role(session, who, *args)


# --- Log-in --------------------------------------------------------------------------------------


def test_authenticate_with_the_right_password(session: Session):
    account = factories.user(session, email="ola@test.example")
    assert account.last_login_at is None
    found = service.authenticate(session, " OLA@test.example ", factories.PASSWORD, "10.0.0.1")
    assert found.id == account.id
    assert found.last_login_at is not None


@pytest.mark.parametrize("case", ["wrong password", "unknown e-mail", "inactive", "erased"])
def test_authenticate_refuses(session: Session, case: str):
    account = factories.user(session, email="ola@test.example")
    email, password = "ola@test.example", factories.PASSWORD
    if case == "wrong password":
        password = "correct-horse-43"
    elif case == "unknown e-mail":
        email = "ala@test.example"
    elif case == "inactive":
        service.deactivate_user(session, SYSTEM, account.id)
    else:
        service.erase_user(session, SYSTEM, account.id)
        email = account.email
    with pytest.raises(Invalid) as caught:
        service.authenticate(session, email, password, "10.0.0.1")
    assert caught.value.errors[0].message == "wrong e-mail or password"


def test_the_holder_is_told_by_e_mail_when_the_account_is_switched_off(
    session: Session, mailbox: Mailbox
):
    account = factories.user(session, email="ola@test.example")
    account.language = "pl"

    service.deactivate_user(session, SYSTEM, account.id)
    session.commit()

    [message] = mailbox.to("ola@test.example")
    assert message["Subject"] == "Twoje konto w Upland zostało wyłączone"
    assert message["List-Unsubscribe"] is None  # a security message, always sent
    assert "ola@test.example" in text_of(message)


def fail_logins(session: Session, email: str, address: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(Invalid):
            service.authenticate(session, email, "wrong-password-1", address)


def test_failed_logins_are_limited_per_account_and_address(session: Session):
    """login_rate_per_account_address is 10/15minute: the 11th attempt from that address is
    refused even when right; the owner elsewhere and other accounts are not affected. The right
    password before that starts the count again."""
    ola = factories.user(session, email="ola@test.example")
    factories.user(session, email="ala@test.example")
    fail_logins(session, ola.email, "10.0.0.1", 9)
    assert service.authenticate(session, ola.email, factories.PASSWORD, "10.0.0.1")
    fail_logins(session, ola.email, "10.0.0.1", 10)
    with pytest.raises(PermissionDenied):
        service.authenticate(session, "OLA@test.example", factories.PASSWORD, "10.0.0.1")
    assert service.authenticate(session, ola.email, factories.PASSWORD, "10.0.0.2")
    assert service.authenticate(session, "ala@test.example", factories.PASSWORD, "10.0.0.1")


def test_failed_logins_are_limited_per_address(session: Session):
    """login_rate_per_address is 30/15minute, whichever accounts the attempts were for."""
    for _ in range(3):
        fail_logins(session, factories.user(session).email, "10.0.0.1", 10)
    account = factories.user(session, email="ola@test.example")
    with pytest.raises(PermissionDenied):
        service.authenticate(session, account.email, factories.PASSWORD, "10.0.0.1")
    assert service.authenticate(session, account.email, factories.PASSWORD, "10.0.0.2")


# --- API tokens ----------------------------------------------------------------------------------


def test_tokens_are_stored_only_as_hashes(session: Session):
    account = factories.user(session)
    token, plain = service.issue_token(
        session, factories.actor_of(session, account), account.id, "ci"
    )
    assert plain.startswith("upl_") and len(plain) > 40
    assert token.token_hash == hashlib.sha256(plain.encode()).hexdigest()
    stored = session.execute(select(ApiToken.__table__).where(ApiToken.id == token.id)).one()
    assert plain not in [str(v) for v in stored]
    assert plain[:12] == token.prefix  # the shown prefix, too short to be used
    assert all(plain not in f"{e.summary}{e.before}{e.after}" for e in audit_entries(session))
    assert service.touch_token(session, plain) is token
    assert service.touch_token(session, plain + "x") is None


def test_revoked_tokens_stop_working(session: Session):
    account = factories.user(session)
    token, plain = service.issue_token(session, SYSTEM, account.id, "ci")
    service.revoke_token(session, factories.actor_of(session, account), token.id)
    assert token.revoked_at is not None
    assert service.touch_token(session, plain) is None


@pytest.mark.parametrize("role", [None, "admin"])
def test_tokens_of_others_are_out_of_reach(session: Session, role: str | None):
    org = factories.organisation(session)
    owner = factories.user(session, role="viewer", org=org)
    token, _ = service.issue_token(session, SYSTEM, owner.id, "ci")
    other = actor(session, role, org=org)  # even their organisation's admin
    with pytest.raises(PermissionDenied):
        service.issue_token(session, other, owner.id, "mine now")
    with pytest.raises(NotFound, match=f"token {token.id} does not exist"):
        service.revoke_token(session, other, token.id)  # as an unknown id answers
    with pytest.raises(NotFound):
        service.revoke_token(session, other, token.id + 1000)
    with pytest.raises(PermissionDenied):
        queries.personal_data(session, other, owner.id)
    assert token.revoked_at is None
    service.revoke_token(session, actor(session, "coordinator"), token.id)
    assert token.revoked_at is not None


# --- The audit log -------------------------------------------------------------------------------


def _org_write(name: str) -> Callable[[Session, Organisation], Any]:
    def write(session: Session, org: Organisation) -> Any:
        site, person, capability = org.sites[0], org.people[0], org.capabilities[0]
        calls: dict[str, Callable[[], Any]] = {
            "update": lambda: organisation_service.update_organisation(
                session, SYSTEM, org.id, OrganisationUpdate(employees=41)
            ),
            "delete": lambda: organisation_service.delete_organisation(session, SYSTEM, org.id),
            "add_site": lambda: organisation_service.add_site(
                session, SYSTEM, org.id, SiteIn(teryt=LUBLIN, street="ul. Druga 2")
            ),
            "update_site": lambda: organisation_service.update_site(
                session, SYSTEM, site.id, SiteIn(teryt=LUBLIN, street="ul. Trzecia 3")
            ),
            "remove_site": lambda: organisation_service.remove_site(session, SYSTEM, site.id),
            "add_person": lambda: organisation_service.add_person(
                session, SYSTEM, org.id, PersonIn(full_name="Ewa")
            ),
            "update_person": lambda: organisation_service.update_person(
                session, SYSTEM, person.id, PersonIn(full_name="Ewa")
            ),
            "remove_person": lambda: organisation_service.remove_person(session, SYSTEM, person.id),
            "erase_person": lambda: organisation_service.erase_person(session, SYSTEM, person.id),
            "add_capability": lambda: organisation_service.add_capability(
                session, SYSTEM, org.id, CapabilityIn(kind="equipment", label="Prasa")
            ),
            "remove_capability": lambda: organisation_service.remove_capability(
                session, SYSTEM, capability.id
            ),
        }
        return calls[name]()

    return write


def _account_write(name: str) -> Callable[[Session, Organisation], Any]:
    def write(session: Session, org: Organisation) -> Any:
        account = factories.user(session, email="audited@test.example")
        token, _ = service.issue_token(session, SYSTEM, account.id, "ci")
        calls: dict[str, Callable[[], Any]] = {
            "create_user": lambda: service.create_user(
                session, SYSTEM, "fresh@test.example", "Fresh", factories.PASSWORD
            ),
            "grant_membership": lambda: service.grant_role(
                session, SYSTEM, account.id, "editor", org.id
            ),
            "grant_role": lambda: service.grant_role(session, SYSTEM, account.id, "coordinator"),
            "revoke_role": lambda: (
                service.grant_role(session, SYSTEM, account.id, "coordinator"),
                service.revoke_role(session, SYSTEM, account.id, "coordinator"),
            ),
            "issue_token": lambda: service.issue_token(session, SYSTEM, account.id, "cd"),
            "revoke_token": lambda: service.revoke_token(session, SYSTEM, token.id),
            "deactivate_user": lambda: service.deactivate_user(session, SYSTEM, account.id),
            "set_password": lambda: service.set_password(
                session, SYSTEM, account.id, "nowe-haslo-99"
            ),
            "erase_user": lambda: service.erase_user(session, SYSTEM, account.id),
            "add_member": lambda: service.add_member(
                session, SYSTEM, org.id, "invited@test.example", "editor"
            ),
            "change_member_role": lambda: (
                service.grant_role(session, SYSTEM, account.id, "editor", org.id),
                service.change_member_role(session, SYSTEM, org.id, account.id, "admin"),
            ),
            "remove_member": lambda: (
                service.grant_role(session, SYSTEM, account.id, "editor", org.id),
                service.remove_member(session, SYSTEM, org.id, account.id),
            ),
        }
        return calls[name]()

    return write


# write, audit action, has `before`, has `after` (secrets and personal data are never copied)
AUDITED = [
    (_org_write("update"), "organisations.organisation.update", True, True),
    (_org_write("delete"), "organisations.organisation.delete", True, False),
    (_org_write("add_site"), "organisations.site.add", False, True),
    (_org_write("update_site"), "organisations.site.update", True, True),
    (_org_write("remove_site"), "organisations.site.remove", True, False),
    (_org_write("add_person"), "organisations.person.add", False, True),
    (_org_write("update_person"), "organisations.person.update", True, True),
    (_org_write("remove_person"), "organisations.person.remove", True, False),
    (_org_write("erase_person"), "organisations.person.erase", False, False),
    (_org_write("add_capability"), "organisations.capability.add", False, True),
    (_org_write("remove_capability"), "organisations.capability.remove", True, False),
    (_account_write("create_user"), "accounts.user.create", False, True),
    (_account_write("grant_membership"), "accounts.membership.grant", True, True),
    (_account_write("grant_role"), "accounts.role.grant", True, True),
    (_account_write("revoke_role"), "accounts.role.revoke", True, True),
    (_account_write("issue_token"), "accounts.token.issue", False, True),
    (_account_write("revoke_token"), "accounts.token.revoke", True, True),
    (_account_write("deactivate_user"), "accounts.user.deactivate", True, True),
    (_account_write("set_password"), "accounts.user.set_password", False, False),
    (_account_write("erase_user"), "accounts.user.erase", False, False),
    (_account_write("add_member"), "accounts.invitation.create", False, True),
    (_account_write("change_member_role"), "accounts.membership.grant", True, True),
    (_account_write("remove_member"), "accounts.membership.revoke", True, False),
]


@pytest.mark.parametrize(
    ("write", "action", "has_before", "has_after"),
    AUDITED,
    ids=[a[1] for a in AUDITED],
)
def test_every_write_is_audited(
    session: Session, write: Callable, action: str, has_before: bool, has_after: bool
):
    org = factories.organisation(session)
    write(session, org)  # may do set-up writes of its own first
    session.flush()
    entry = last_entry(session)
    assert (entry.action, entry.actor_label) == (action, "system")
    assert entry.object_id is not None
    assert (bool(entry.before), bool(entry.after)) == (has_before, has_after)
    for snapshot in (entry.before or {}, entry.after or {}):
        assert not [k for k in snapshot if k.endswith("_hash")]
        assert not {"search_text", "name_key", "facets"} & snapshot.keys()


def test_update_organisation_records_only_changed_fields(session: Session):
    org = factories.organisation(
        session, description_pl="Stary opis.", employees=40, pkd_codes=[{"code": "25.53.Z"}]
    )
    organisation_service.update_organisation(
        session,
        SYSTEM,
        org.id,
        OrganisationUpdate(description_pl="Nowy opis.", employees=40, visibility="public"),
    )
    entry = last_entry(session)
    assert entry.before == {"description_pl": "Stary opis."}
    assert entry.after == {"description_pl": "Nowy opis."}

    organisation_service.update_organisation(
        session, SYSTEM, org.id, OrganisationUpdate(pkd_codes=[{"code": "29.32.Z"}])
    )
    entry = last_entry(session)
    assert entry.before == {"pkd_codes": ["25.53.Z/2025"]}
    assert entry.after == {"pkd_codes": ["29.32.Z/2025"]}


@pytest.fixture
def audit_world(session: Session) -> dict[str, Any]:
    """A few writes by two people, so each filter has something to keep and to drop."""
    coordinator = factories.user(session, role="coordinator", email="koordynator@test.example")
    staff = factories.actor_of(session, coordinator)
    org = factories.organisation(session, actor=staff)
    other = factories.organisation(session)
    organisation_service.update_organisation(
        session, staff, org.id, OrganisationUpdate(employees=99)
    )
    organisation_service.update_organisation(
        session, SYSTEM, other.id, OrganisationUpdate(employees=7)
    )
    service.issue_token(session, staff, coordinator.id, "ci")
    return {"staff": staff, "org": org, "other": other}


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (
            {"action": "organisations."},
            ["other.update", "org.update", "other.create", "org.create"],
        ),
        ({"action": "organisations.organisation.update"}, ["other.update", "org.update"]),
        ({"action": "organisations_"}, []),  # wildcards are literal
        ({"action": "%"}, []),
        ({"object_type": "organisation", "object_id": "{org}"}, ["org.update", "org.create"]),
        ({"actor": "koordynator@"}, ["token", "org.update", "org.create"]),
        ({"actor": "koordynator@", "action": "accounts."}, ["token"]),
    ],
)
def test_audit_log_filters(
    session: Session, audit_world: dict[str, Any], flt: dict[str, str], expected: list[str]
):
    org, other = audit_world["org"], audit_world["other"]
    flt = {k: v.format(org=org.id) for k, v in flt.items()}
    entries = queries.list_audit(session, audit_world["staff"], AuditFilter(**flt), limit=200)
    names = {str(org.id): "org", str(other.id): "other"}
    seen = [
        "token"
        if e.action == "accounts.token.issue"
        else f"{names.get(e.object_id or '', '?')}.{e.action.rsplit('.', 1)[1]}"
        for e in entries
    ]
    assert seen == expected  # newest first


def test_audit_log_pages_backwards_by_id(session: Session, audit_world: dict[str, Any]):
    staff = audit_world["staff"]
    everything = queries.list_audit(session, staff, AuditFilter(), limit=200)
    first = queries.list_audit(session, staff, AuditFilter(), limit=2)
    rest = queries.list_audit(session, staff, AuditFilter(), before_id=first[-1].id, limit=200)
    assert [e.id for e in first + rest] == [e.id for e in everything]


@pytest.mark.parametrize("role", [None, "admin", "officer"])
def test_only_staff_read_the_audit_log(session: Session, role: str | None):
    org = factories.organisation(session)
    with pytest.raises(PermissionDenied):
        queries.list_audit(session, actor(session, role, org=org, teryt=LUBLIN), AuditFilter())
    with pytest.raises(PermissionDenied):
        queries.list_audit(session, ANONYMOUS, AuditFilter())


# --- Personal data -------------------------------------------------------------------------------


def test_personal_data_export(session: Session):
    org = factories.organisation(session)
    account = factories.user(session, role="editor", org=org, email="ola@test.example")
    me = factories.actor_of(session, account)
    service.issue_token(session, me, account.id, "laptop")
    revoked, plain = service.issue_token(session, me, account.id, "old")
    service.revoke_token(session, me, revoked.id)
    organisation_service.update_organisation(session, me, org.id, OrganisationUpdate(employees=5))
    org.people[0].user_id = account.id  # the contact profile is this user (no service links it)
    session.flush()

    data = queries.personal_data(session, me, account.id)

    assert data["account"]["email"] == "ola@test.example"
    assert data["account"]["roles"]["memberships"] == [
        {"organisation_id": org.id, "role": "editor"}
    ]
    assert [(t["name"], t["revoked"]) for t in data["api_tokens"]] == [
        ("laptop", False),
        ("old", True),
    ]
    assert [a["action"] for a in data["actions"]] == [
        "accounts.token.issue",
        "accounts.token.issue",
        "accounts.token.revoke",
        "organisations.organisation.update",
    ]
    assert [p["email"] for p in data["contact_profiles"]] == [org.people[0].email]
    text = str(data)
    assert plain not in text and revoked.token_hash not in text
    assert "hash" not in text and str(account.password_hash) not in text


def test_erase_user_keeps_the_row_and_the_audit_trail_but_not_the_person(session: Session):
    org = factories.organisation(session)
    account = service.create_user(
        session, SYSTEM, "ola@test.example", "Ola Wymazana", factories.PASSWORD
    )
    service.grant_role(session, SYSTEM, account.id, "editor", org.id)
    me = factories.actor_of(session, account)
    token, plain = service.issue_token(session, me, account.id, "laptop")
    organisation_service.update_organisation(session, me, org.id, OrganisationUpdate(employees=5))
    entries_before = len(audit_entries(session))

    service.erase_user(session, me, account.id)

    session.expire_all()
    erased = session.get(User, account.id)
    assert erased is not None
    assert (erased.email, erased.full_name, erased.password_hash, erased.is_active) == (
        f"erased-{account.id}@invalid",
        "(erased)",
        None,
        False,
    )
    assert token.revoked_at is not None and service.touch_token(session, plain) is None
    assert queries.actor_for(session, erased) == ANONYMOUS
    entries = audit_entries(session)
    assert len(entries) == entries_before + 1
    assert [e.action for e in entries if e.actor_user_id == account.id] == [
        "accounts.token.issue",
        "organisations.organisation.update",
        "accounts.user.erase",
    ]
    for entry in entries:
        recorded = f"{entry.actor_label} {entry.summary} {entry.before} {entry.after}"
        assert "ola@test.example" not in recorded and "Ola Wymazana" not in recorded


@pytest.mark.parametrize("role", [None, "admin"])
def test_only_the_user_or_staff_erase_an_account(session: Session, role: str | None):
    org = factories.organisation(session)
    account = factories.user(session, role="viewer", org=org)
    with pytest.raises(PermissionDenied):
        service.erase_user(session, actor(session, role, org=org), account.id)
    assert session.get(User, account.id).is_active  # type: ignore[union-attr]


def test_erase_person_keeps_the_row_without_personal_data(session: Session):
    org = factories.organisation(session)
    person = org.people[0]
    editor = actor(session, "editor", org=org)

    organisation_service.erase_person(session, editor, person.id)

    session.expire_all()
    row = session.get(Person, person.id)
    assert row is not None and row.organisation_id == org.id
    assert (row.full_name, row.email, row.phone, row.role_title) == ("(erased)", None, None, "")
    assert row.erased_at is not None
    assert last_entry(session).action == "organisations.person.erase"


def _entry_text(entry: AuditEntry) -> str:
    return f"{entry.actor_label} {entry.summary} {entry.before} {entry.after}"


@pytest.mark.parametrize("name", ["test.example", "Lublin", "U", "Testowy", "editor"])
def test_erasure_changes_only_the_entries_about_the_person(session: Session, name: str):
    """Whatever the erased person called themselves, nobody else's audit entry changes."""
    org = factories.organisation(session)
    colleague = actor(session, "admin", org=org)
    invited = service.add_member(session, colleague, org.id, "scrub@x.example", "editor")
    account = service.accept_invitation(session, invited.token, name, factories.PASSWORD)
    me = factories.actor_of(session, account)
    service.issue_token(session, me, account.id, "laptop")
    organisation_service.update_organisation(session, me, org.id, OrganisationUpdate(employees=5))
    others = {e.id: _entry_text(e) for e in audit_entries(session)}

    service.erase_user(session, me, account.id)

    session.expire_all()
    alias = f"erased-{account.id}@invalid"
    changed = {e.id for e in audit_entries(session) if others.get(e.id, "") != _entry_text(e)}
    about = {
        e.id
        for e in audit_entries(session)
        if e.actor_user_id == account.id
        or (e.object_type, e.object_id) == ("user", str(account.id))
        or e.summary.startswith(alias)
    }
    assert changed <= about
    assert any(e.summary.startswith("Zakład Testowy") for e in audit_entries(session))
    for entry in audit_entries(session):
        assert "scrub@x.example" not in _entry_text(entry)
        for fields in (entry.before or {}, entry.after or {}):
            assert fields.get("full_name") != name
