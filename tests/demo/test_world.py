"""The demo world is deterministic, plausible, fictional and valid against the shipped data."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from importlib import resources
from urllib.parse import urlparse

import pytest
from stdnum.pl import nip as stdnum_nip
from stdnum.pl import regon as stdnum_regon

from upland.accounts.passwords import check_strength
from upland.demo.load import demo_logins
from upland.demo.places import BY_TERYT, LUBLIN, RADOM, STARACHOWICE
from upland.demo.profiles import AS_OF, CLUSTER_FOUNDED
from upland.demo.world import PASSWORD, World, build_world
from upland.organisations.vocab import (
    MembershipStatus,
    OrganisationKind,
    SizeClass,
    SupplyTier,
    Visibility,
    size_class_for,
)
from upland.reference.pkd_files import load_shipped, load_shipped_correspondence
from upland.reference.pkd_key import read_key_csv
from upland.reference.pkd_structure import read_structure_xls

REAL_NAMES = (
    "Ursus",
    "Politechnika Lubelska",
    "Uniwersytet Marii Curie",
    "Solaris",
    "Autosan",
    "Katolicki Uniwersytet",
    "Uniwersytet Przyrodniczy",
    "Politechnika Świętokrzyska",
    "Uniwersytet Technologiczno-Humanistyczny",
    "Pronar",
    "Mesko",
    "Łucznik",
    "PZL",
    "Jelcz",
    "Stokota",
    "Star Trucks",
    "Volkswagen",
    "Scania",
)
REAL_WORDS = re.compile(r"\b(MAN|FSC|WSK|UMCS|KUL|UTH)\b")


@pytest.fixture(scope="module")
def world() -> World:
    return build_world()


@pytest.fixture
def pkd(request: pytest.FixtureRequest) -> tuple[dict[tuple[int, str], int], set[tuple[str, str]]]:
    """(version, code) -> level, and the 2007 -> 2025 key: shipped tables, else the GUS files."""
    try:
        entries = [*load_shipped(2025), *load_shipped(2007)]
        pairs = load_shipped_correspondence()
    except FileNotFoundError:
        gus = request.getfixturevalue("gus_data_dir")
        entries = read_structure_xls(gus / "StrukturaPKD2025.xls")
        key_entries, pairs = read_key_csv(next(gus.glob("KluczePKD_2007_2025*.csv")))
        entries += key_entries
    levels = {(e.version, e.code): e.level for e in entries}
    return levels, {(p.code_2007, p.code_2025) for p in pairs}


def _shipped(name: str) -> list[dict[str, str]]:
    with resources.files("upland.data").joinpath(name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _companies(world: World) -> list:
    return [o for o in world.organisations if o.kind == OrganisationKind.COMPANY]


def test_same_seed_same_world() -> None:
    assert build_world(2018) == build_world(2018)
    assert build_world(7) != build_world(2018)


def test_about_150_organisations_with_unique_names(world: World) -> None:
    assert 140 <= len(world.organisations) <= 160
    for field in ("legal_name", "short_name"):
        names = [getattr(o, field) for o in world.organisations]
        assert len(names) == len(set(names)), field


def test_every_kind_tier_and_size_class_is_present(world: World) -> None:
    kinds = Counter(o.kind for o in world.organisations)
    assert set(kinds) == set(OrganisationKind)
    assert 3 <= kinds[OrganisationKind.RESEARCH] <= 4
    assert 3 <= kinds[OrganisationKind.SCHOOL] <= 5
    assert kinds[OrganisationKind.LOCAL_GOVERNMENT] == 3
    assert kinds[OrganisationKind.COORDINATOR] == 1
    companies = _companies(world)
    assert {o.supply_tier for o in companies} == set(SupplyTier)
    assert {size_class_for(o.employees) for o in companies} == set(SizeClass)
    assert all(o.supply_tier is None for o in world.organisations if o not in companies)


def test_most_organisations_sit_in_the_three_cities(world: World) -> None:
    cities = Counter(o.sites[0].teryt for o in world.organisations)
    partners = cities[LUBLIN] + cities[RADOM] + cities[STARACHOWICE]
    assert partners >= 0.7 * len(world.organisations)
    assert min(cities[LUBLIN], cities[RADOM], cities[STARACHOWICE]) >= 15
    assert len(cities) > 6
    assert any(len(o.sites) > 1 for o in world.organisations)


def test_sites_look_like_their_municipality(world: World) -> None:
    for org in world.organisations:
        assert sum(s.is_headquarters for s in org.sites) == 1
        for site in org.sites:
            place = BY_TERYT[site.teryt]
            prefix, low, high = place.postal
            head, tail = site.postal_code.split("-")
            assert head == prefix and low <= int(tail) <= high, (org.legal_name, site)
            assert site.locality == place.name
            if site.latitude is not None and site.longitude is not None:
                assert abs(site.latitude - place.lat) < 0.1
                assert abs(site.longitude - place.lon) < 0.1


def test_identifiers_are_valid_and_unique(world: World) -> None:
    nips = [o.nip for o in world.organisations if o.nip]
    regons = [o.regon for o in world.organisations if o.regon]
    krs = [o.krs for o in world.organisations if o.krs]
    assert all(stdnum_nip.is_valid(n) for n in nips)
    assert all(stdnum_regon.is_valid(r) and len(r) in (9, 14) for r in regons)
    assert any(len(r) == 14 for r in regons)
    assert all(len(k) == 10 and k.isdigit() for k in krs)
    for values in (nips, regons, krs):
        assert len(values) == len(set(values))
    for org in _companies(world):
        assert org.nip and org.regon
        if org.legal_name.endswith(("sp. z o.o.", "S.A.", "sp. j.", "sp. k.")):
            assert org.krs
        else:
            assert org.krs is None
    assert all(  # a municipality has both, so the registry's export of it imports back
        o.nip and o.regon
        for o in world.organisations
        if o.kind == OrganisationKind.LOCAL_GOVERNMENT
    )
    forms = Counter(o.legal_name.rsplit(" ", 1)[-1] for o in _companies(world))
    assert forms["S.A."] and forms["j."] and forms["o.o."]


def test_every_pkd_code_exists_in_the_classification(world: World, pkd) -> None:
    levels, key = pkd
    has_2007_subclasses = any(v == 2007 and level == 5 for (v, _), level in levels.items())
    seen_2007 = False
    for org in world.organisations:
        assert sum(p.is_primary for p in org.pkd_codes) == 1, org.legal_name
        assert org.pkd_codes[0].version == 2025 and org.pkd_codes[0].is_primary
        groups_2025 = {p.code[:4] for p in org.pkd_codes if p.version == 2025}
        for code in org.pkd_codes:
            if code.version == 2025:
                assert levels.get((2025, code.code)) == 5, code.code
                continue
            seen_2007 = True
            if has_2007_subclasses:
                assert levels.get((2007, code.code)) == 5, code.code
            group = code.code[:4]
            assert levels.get((2007, group)) == 3, code.code
            assert any((group, g) in key for g in groups_2025), (org.legal_name, code.code)
    assert seen_2007


def test_every_teryt_and_capability_slug_exists(world: World) -> None:
    teryts = {row["teryt"] for row in _shipped("municipalities.csv")}
    terms = {row["slug"]: row["kind"] for row in _shipped("capabilities.csv")}
    assert {LUBLIN, RADOM, STARACHOWICE} <= teryts
    assert set(BY_TERYT) <= teryts
    used_kinds = set()
    for org in world.organisations:
        assert all(site.teryt in teryts for site in org.sites)
        for capability in org.capabilities:
            used_kinds.add(capability.kind)
            if capability.term:
                assert terms.get(capability.term) == capability.kind, capability.term
            else:
                assert capability.label
    assert used_kinds == {"process", "material", "certification", "equipment", "infrastructure"}


def test_research_organisations_offer_infrastructure(world: World) -> None:
    for org in world.organisations:
        if org.kind == OrganisationKind.RESEARCH:
            assert any(c.kind == "infrastructure" for c in org.capabilities), org.legal_name


def test_some_certificates_have_lapsed(world: World) -> None:
    certificates = [
        c for o in world.organisations for c in o.capabilities if c.kind == "certification"
    ]
    assert all(c.valid_from and c.valid_until for c in certificates)
    lapsed = [c for c in certificates if c.valid_until and c.valid_until < AS_OF]
    assert {c.term for c in certificates} >= {"iso-9001", "iatf-16949", "iso-iec-17025"}
    assert 0 < len(lapsed) < 0.25 * len(certificates)


def test_membership_visibility_and_capacity_vary(world: World) -> None:
    statuses = Counter(o.membership_status for o in world.organisations)
    assert statuses[MembershipStatus.MEMBER] > len(world.organisations) / 2
    assert statuses[MembershipStatus.APPLICANT] and statuses[MembershipStatus.NONE]
    visibility = Counter(o.visibility for o in world.organisations)
    assert visibility[Visibility.PUBLIC] > len(world.organisations) / 2
    assert visibility[Visibility.MEMBERS] and visibility[Visibility.RESTRICTED]
    for org in world.organisations:
        if org.membership_status == MembershipStatus.MEMBER:
            assert org.member_since is not None
            assert CLUSTER_FOUNDED <= org.member_since <= AS_OF
            assert org.member_since.year >= (org.founded_year or 0)
    assert sum(bool(o.capacity_notes) for o in world.organisations) >= 20


def test_people_are_reachable_on_fictional_domains(world: World) -> None:
    languages: Counter[str] = Counter()
    visibilities: Counter[str] = Counter()
    for org in world.organisations:
        assert 1 <= len(org.people) <= 3
        if org.website:
            assert str(urlparse(str(org.website)).hostname).endswith(".example")
        for person in org.people:
            assert str(person.email).endswith(".example")
            assert str(person.phone).startswith("+48 ")
            languages[person.language] += 1
            visibilities[person.contact_visibility] += 1
    assert languages["pl"] > languages["en"] > 0
    assert len(visibilities) == 3


def test_no_real_firm_or_university_names(world: World) -> None:
    for org in world.organisations:
        text = f"{org.legal_name} {org.short_name} {org.description_pl} {org.description_en}"
        for name in REAL_NAMES:
            assert name.lower() not in text.lower(), (name, org.legal_name)
        assert not REAL_WORDS.search(text), org.legal_name


def test_every_organisation_is_described_in_polish_and_english(world: World) -> None:
    for org in world.organisations:
        assert org.description_pl and org.description_en, org.legal_name
        assert org.description_pl != org.description_en
        assert org.description_pl.count(".") >= 2 and org.description_en.count(".") >= 2
        assert "{" not in org.description_pl + org.description_en
    assert all(re.search(r"[ąćęłńóśźż]", o.description_pl) for o in _companies(world))


def test_demo_users_cover_every_role(world: World) -> None:
    names = {o.legal_name for o in world.organisations}
    grants = [(g.role, g.organisation, g.teryt) for u in world.users for g in u.roles]
    roles = {role for role, _, _ in grants}
    assert {"platform-admin", "coordinator", "officer", "admin", "editor", "viewer"} <= roles
    assert {t for r, _, t in grants if r == "officer"} == {LUBLIN, RADOM, STARACHOWICE}
    assert all(org in names for _, org, _ in grants if org)
    emails = [u.email for u in world.users]
    assert len(emails) == len(set(emails))
    assert {
        "admin@upland.example",
        "koordynator@upland.example",
        "urzednik.lublin@upland.example",
    } <= set(emails)
    research = {o.legal_name for o in world.organisations if o.kind == OrganisationKind.RESEARCH}
    assert any(r == "admin" and org in research for r, org, _ in grants)
    member_orgs = {org for r, org, _ in grants if org and r in ("admin", "editor", "viewer")}
    for org in member_orgs:
        assert world.organisation(org).membership_status == MembershipStatus.MEMBER


def test_demo_logins_share_one_documented_password(world: World) -> None:
    logins = demo_logins(world)
    assert len(logins) == len(world.users)
    assert {password for _, _, password in logins} == {PASSWORD}
    assert check_strength(PASSWORD) is None
    assert all(who for who, _, _ in logins)


def test_world_is_as_of_a_fixed_date() -> None:
    assert dt.date(2018, 2, 15) == CLUSTER_FOUNDED < AS_OF
