"""Registry writes: invariants, derived columns, errors that name the field, audit entries."""

import pytest
from sqlalchemy import select
from tests import factories

from upland.audit import AuditEntry
from upland.errors import Conflict, Invalid, NotFound, PermissionDenied
from upland.organisations import service
from upland.organisations.schemas import CapabilityIn, OrganisationUpdate, PersonIn, SiteIn
from upland.organisations.signals import OrganisationChanged
from upland.signals import subscribe, unsubscribe


def test_create_fills_derived_columns(session):
    org = factories.organisation(
        session,
        short_name="Łożyska Świdnik",
        employees=260,
        sites=[{"teryt": "0617011", "is_headquarters": True}],
    )
    assert org.name_key == "lozyska swidnik"
    assert org.size_class == "large"
    assert org.teryt == "0617011"
    assert {"swidnik", "cnc", "milling"} <= set(org.search_text.split())


def test_first_site_becomes_headquarters(session):
    org = factories.organisation(session, sites=[{"teryt": "1463011"}, {"teryt": "0663011"}])
    assert [s.is_headquarters for s in org.sites] == [True, False]
    assert org.teryt == "1463011"


def test_duplicate_nip_is_a_conflict_naming_neither_number_nor_holder(session):
    first = factories.organisation(session)
    with pytest.raises(Conflict) as caught:
        factories.organisation(session, nip=first.nip)
    assert str(caught.value) == (
        "this NIP is already registered for another organisation; contact the cluster coordinator"
    )


@pytest.mark.parametrize(
    ("pkd", "message"),
    [
        ({"code": "29.99.Q", "version": 2025}, "29.99.Q is not a PKD 2025 class or subclass"),
        ({"code": "29", "version": 2025}, "29 is not a PKD 2025 class or subclass"),
        ({"code": "99.99.Z", "version": 2007}, "99.99.Z is not a PKD 2007 class or subclass"),
    ],
)
def test_unknown_pkd_code_names_the_field(session, pkd, message):
    with pytest.raises(Invalid) as caught:
        factories.organisation(session, pkd_codes=[pkd])
    assert caught.value.errors[0].field == "pkd_codes.0.code"
    assert message in caught.value.errors[0].message


def test_pkd_2007_subclass_accepted_when_its_group_exists(session):
    org = factories.organisation(session, pkd_codes=[{"code": "29.32.Z", "version": 2007}])
    assert [(p.code, p.version, p.section, p.is_primary) for p in org.pkd_codes] == [
        ("29.32.Z", 2007, "C", True)
    ]


def test_unknown_municipality_and_capability_term(session):
    with pytest.raises(Invalid, match="unknown municipality TERYT code 9999999"):
        factories.organisation(session, sites=[{"teryt": "9999999"}])
    with pytest.raises(Invalid, match="unknown capability term 'teleportation'"):
        factories.organisation(session, capabilities=[{"kind": "process", "term": "teleportation"}])
    with pytest.raises(Invalid, match="is a certification, not a process"):
        factories.organisation(session, capabilities=[{"kind": "process", "term": "iso-9001"}])


def test_update_records_only_changed_fields(session, system):
    org = factories.organisation(session)
    service.update_organisation(
        session, system, org.id, OrganisationUpdate(employees=300, legal_name=org.legal_name)
    )
    entry = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == "organisations.organisation.update")
        .order_by(AuditEntry.id.desc())
    ).first()
    assert entry.before == {"employees": 40, "size_class": "small"}
    assert entry.after == {"employees": 300, "size_class": "large"}


def test_editor_may_not_change_membership_status(session):
    org = factories.organisation(session)
    editor = factories.actor_of(session, factories.user(session, role="editor", org=org))
    service.update_organisation(session, editor, org.id, OrganisationUpdate(employees=12))
    with pytest.raises(PermissionDenied):
        service.update_organisation(
            session, editor, org.id, OrganisationUpdate(membership_status="former")
        )


def test_null_clears_text_but_keeps_required_fields(session, system):
    org = factories.organisation(session)
    service.update_organisation(
        session, system, org.id, OrganisationUpdate(description_pl=None, legal_name=None)
    )
    assert org.description_pl == ""
    assert org.legal_name.startswith("Zakład Testowy")


def test_sites_people_capabilities_lifecycle(session, system):
    org = factories.organisation(session)
    site = service.add_site(
        session,
        system,
        org.id,
        SiteIn(teryt="2611011", locality="Starachowice", is_headquarters=True),
    )
    assert org.teryt == "2611011"
    service.remove_site(session, system, site.id)
    assert org.teryt == "0663011" and org.sites[0].is_headquarters
    person = service.add_person(
        session, system, org.id, PersonIn(full_name="Ewa Nowak", email="ewa@x.example")
    )
    erased = service.erase_person(session, system, person.id)
    assert (erased.full_name, erased.email, erased.phone) == ("(erased)", None, None)
    capability = service.add_capability(
        session, system, org.id, CapabilityIn(kind="material", term="aluminium")
    )
    assert "aluminium" in org.search_text
    service.remove_capability(session, system, capability.id)
    with pytest.raises(NotFound):
        service.remove_capability(session, system, capability.id)


def test_linking_contact_rows_to_another_account_is_for_the_organisation_s_admins(session):
    people = [
        {"full_name": "Jan Nowak", "email": "jan@firma.example"},
        {"full_name": "Ewa Obca", "email": "ewa@firma.example"},
    ]
    org = factories.organisation(session, people=people)
    jan = factories.user(session, email="jan@firma.example", role="viewer", org=org)
    outsider = factories.user(session, email="ewa@firma.example")  # no role in org
    editor = factories.user(session, role="editor", org=org)
    other_admin = factories.user(session, role="admin", org=factories.organisation(session))
    admin = factories.actor_of(session, factories.user(session, role="admin", org=org))

    for who in (editor, other_admin, jan):
        with pytest.raises(PermissionDenied):
            service.link_people(session, factories.actor_of(session, who), org.id, user_id=jan.id)
    with pytest.raises(NotFound, match="no role"):
        service.link_people(session, admin, org.id, user_id=outsider.id)
    linked = service.link_people(session, admin, org.id, user_id=jan.id)

    assert [(p.full_name, p.user_id) for p in linked] == [("Jan Nowak", jan.id)]
    assert service.link_people(session, admin, org.id, user_id=jan.id) == []  # linked already
    assert [p.user_id for p in org.people if p.full_name == "Ewa Obca"] == [None]


def test_signal_delivered_only_after_commit(session):
    seen: list[OrganisationChanged] = []
    subscribe(OrganisationChanged, seen.append)
    try:
        factories.organisation(session)
        session.rollback()
        assert seen == []
        factories.organisation(session)
        assert seen == []
        session.commit()
        assert [s.action for s in seen] == ["created"]
    finally:
        unsubscribe(OrganisationChanged, seen.append)
