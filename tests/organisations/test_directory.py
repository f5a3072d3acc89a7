"""The registry's answers to accounts: what accounts may know of organisations without reading
the registry's tables (accounts sit below it)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from tests import factories

from upland.accounts.directory import directory
from upland.errors import PermissionDenied
from upland.organisations import directory as registry_directory


def test_the_registry_is_the_provided_directory() -> None:
    assert directory().find is registry_directory.find


def test_finds_an_organisation_by_id_nip_or_regon(session: Session) -> None:
    org = factories.organisation(session)
    other = factories.organisation(session)
    assert directory().find(session, str(org.id)) == org.id
    assert directory().find(session, f" {org.nip} ") == org.id
    assert directory().find(session, org.regon or "") == org.id
    assert directory().find(session, other.nip or "") == other.id
    assert directory().find(session, "999999999") is None


def test_names_prefer_the_short_name(session: Session) -> None:
    org = factories.organisation(session)
    bare = factories.organisation(session, short_name="")
    assert directory().name_of(session, org.id) == org.short_name
    assert directory().name_of(session, bare.id) == bare.legal_name
    assert directory().name_of(session, bare.id + 1000) is None


def test_only_members_make_an_actor_a_cluster_member(session: Session) -> None:
    member = factories.organisation(session)
    applicant = factories.organisation(session, membership_status="applicant")
    inside = factories.user(session, role="viewer", org=member)
    outside = factories.user(session, role="viewer", org=applicant)
    assert factories.actor_of(session, inside).is_cluster_member
    assert not factories.actor_of(session, outside).is_cluster_member


def test_contacts_are_claimed_by_a_user_with_a_role_there(session: Session) -> None:
    org = factories.organisation(session)
    email = org.people[0].email
    stranger = factories.user(session, email=email)
    with pytest.raises(PermissionDenied):
        directory().claim_contacts(session, factories.actor_of(session, stranger), org.id)
    assert directory().contacts_of(session, stranger.id) == []
    session.delete(stranger)
    session.flush()
    viewer = factories.user(session, email=email, role="viewer", org=org)
    directory().claim_contacts(session, factories.actor_of(session, viewer), org.id)
    [profile] = directory().contacts_of(session, viewer.id)
    assert profile["organisation_id"] == org.id
    assert profile["email"] == email
