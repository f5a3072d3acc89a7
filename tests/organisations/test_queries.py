"""Registry lists: every filter, free text, keyset pages in every sort order, visibility."""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlalchemy import func
from sqlalchemy.orm import Session
from tests import factories

from upland.actor import ANONYMOUS, Actor, OrgRole
from upland.errors import Invalid
from upland.organisations import queries
from upland.organisations.models import Organisation
from upland.organisations.schemas import OrganisationFilter

TODAY = dt.date(2026, 6, 1)
LUBLIN, SWIDNIK, RADOM = "0663011", "0617011", "1463011"
COORDINATOR = Actor(user_id=-1, label="coordinator", is_cluster_member=True, is_coordinator=True)
MEMBER = Actor(user_id=-2, label="member", is_cluster_member=True)
DB_SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# The sort orders by definition (missing numbers sort first), written independently of queries.
REFERENCE_SORTS: dict[str, Any] = {
    "name": Organisation.name_key,
    "updated": Organisation.updated_at,
    "founded": func.coalesce(Organisation.founded_year, 0),
    "employees": func.coalesce(Organisation.employees, -1),
}
SORTS = [s for key in REFERENCE_SORTS for s in (key, f"-{key}")]


def hq(teryt: str) -> dict[str, Any]:
    return {"teryt": teryt, "is_headquarters": True}


def pkd(code: str, version: int = 2025, primary: bool = True) -> dict[str, Any]:
    return {"code": code, "version": version, "is_primary": primary}


def listed(session: Session, actor: Actor = COORDINATOR, **filters: Any) -> set[int]:
    """Ids on the (single, large) first page; its total agrees with the items."""
    page = queries.list_organisations(
        session, actor, OrganisationFilter(**filters), today=TODAY, limit=200
    )
    assert page.total == len(page.items)
    return {o.id for o in page.items}


def ids_of(orgs: dict[str, Organisation], *keys: str) -> set[int]:
    return {orgs[k].id for k in keys}


def cursor_of(payload: Any) -> str:
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# --- filters ------------------------------------------------------------------------------------


def test_kind_filter(session):
    company = factories.organisation(session, kind="company")
    research = factories.organisation(session, kind="research")
    assert listed(session, kind="company") == {company.id}
    assert listed(session, kind="research") == {research.id}
    assert listed(session, kind="school") == set()


@pytest.fixture
def city_world(session) -> dict[str, Organisation]:
    return {
        "lublin_with_swidnik_plant": factories.organisation(
            session, sites=[hq(LUBLIN), {"teryt": SWIDNIK, "name": "Zakład 2"}]
        ),
        "swidnik": factories.organisation(session, sites=[hq(SWIDNIK)]),
        "radom": factories.organisation(session, sites=[hq(RADOM)]),
        "no_sites": factories.organisation(session, sites=[]),
    }


@pytest.mark.parametrize(
    ("city", "expected"),
    [
        (SWIDNIK, {"lublin_with_swidnik_plant", "swidnik"}),
        ("Świdnik", {"lublin_with_swidnik_plant", "swidnik"}),
        ("świdnik", {"lublin_with_swidnik_plant", "swidnik"}),
        ("ŚWIDNIK", {"lublin_with_swidnik_plant", "swidnik"}),
        ("Swidnik", {"lublin_with_swidnik_plant", "swidnik"}),
        (LUBLIN, {"lublin_with_swidnik_plant"}),
        ("lublin", {"lublin_with_swidnik_plant"}),
        (RADOM, {"radom"}),
        ("Kielce", set()),
    ],
)
def test_city_filter_matches_headquarters_or_any_site(session, city_world, city, expected):
    assert listed(session, city=city) == ids_of(city_world, *expected)


@pytest.mark.parametrize("city", ["Atlantyda", "9999999", "06"])
def test_unknown_city_is_invalid(session, city):
    with pytest.raises(Invalid) as exc:
        listed(session, city=city)
    assert [e.field for e in exc.value.errors] == ["city"]


@pytest.fixture
def pkd_world(session) -> dict[str, Organisation]:
    return {
        "parts_2025": factories.organisation(session, pkd_codes=[pkd("29.32.Z")]),
        "electrics_2025": factories.organisation(session, pkd_codes=[pkd("29.31.Z")]),
        "cars_2025": factories.organisation(session, pkd_codes=[pkd("29.10.B")]),
        "parts_2007": factories.organisation(session, pkd_codes=[pkd("29.32.Z", 2007)]),
        "locks_and_it_2025": factories.organisation(
            session, pkd_codes=[pkd("25.62.Z"), pkd("62.90.Z", primary=False)]
        ),
        "software_2007": factories.organisation(session, pkd_codes=[pkd("62.01.Z", 2007)]),
        "research_2025": factories.organisation(session, pkd_codes=[pkd("72.10.Z")]),
        "none": factories.organisation(session, pkd_codes=[]),
    }


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("C", {"parts_2025", "electrics_2025", "cars_2025", "parts_2007", "locks_and_it_2025"}),
        ("c", {"parts_2025", "electrics_2025", "cars_2025", "parts_2007", "locks_and_it_2025"}),
        ("K", {"locks_and_it_2025"}),
        ("J", {"software_2007"}),
        ("N", {"research_2025"}),
        ("29", {"parts_2025", "electrics_2025", "cars_2025", "parts_2007"}),
        ("29.3", {"parts_2025", "electrics_2025", "parts_2007"}),
        ("29.32", {"parts_2025", "parts_2007"}),
        ("29.32.Z", {"parts_2025", "parts_2007"}),
        ("29.32.z", {"parts_2025", "parts_2007"}),
        ("29.31.Z", {"electrics_2025"}),
        ("29.1", {"cars_2025"}),
        ("29.10.A", set()),
        ("62", {"locks_and_it_2025", "software_2007"}),
        ("25.6", {"locks_and_it_2025"}),
        ("25.61", set()),
        ("28", set()),
    ],
)
def test_pkd_filter_at_every_level_and_both_versions(session, pkd_world, code, expected):
    assert listed(session, pkd=code) == ids_of(pkd_world, *expected)


@pytest.mark.parametrize("code", ["2X", "2", "X", "29.", "29.321", "29.3.Z", "29-32", "29.32.ZZ"])
def test_malformed_pkd_is_invalid_naming_the_field(session, code):
    with pytest.raises(Invalid) as exc:
        listed(session, pkd=code)
    assert [e.field for e in exc.value.errors] == ["pkd"]


def _certification(valid_until: dt.date | None) -> dict[str, Any]:
    return {"kind": "certification", "term": "iatf-16949", "valid_until": valid_until}


@pytest.fixture
def capability_world(session) -> dict[str, Organisation]:
    return {
        "welder": factories.organisation(
            session, capabilities=[{"kind": "process", "term": "welding-tig"}]
        ),
        "miller": factories.organisation(
            session, capabilities=[{"kind": "process", "term": "cnc-milling"}]
        ),
        "certified": factories.organisation(
            session, capabilities=[_certification(dt.date(2099, 1, 1))]
        ),
        "valid_until_today": factories.organisation(session, capabilities=[_certification(TODAY)]),
        "open_ended": factories.organisation(session, capabilities=[_certification(None)]),
        "expired": factories.organisation(
            session, capabilities=[_certification(TODAY - dt.timedelta(days=1))]
        ),
        "labelled_only": factories.organisation(
            session, capabilities=[{"kind": "process", "label": "welding-tig"}]
        ),
    }


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"capability": "welding-tig"}, {"welder"}),
        ({"capability": "cnc-milling"}, {"miller"}),
        ({"capability": "no-such-term"}, set()),
        ({"certification": "iatf-16949"}, {"certified", "valid_until_today", "open_ended"}),
        ({"certification": "welding-tig"}, set()),
        ({"certification": "iso-9001"}, set()),
        ({"capability": "cnc-milling", "certification": "iatf-16949"}, set()),
    ],
)
def test_capability_and_certification_filters(session, capability_world, filters, expected):
    assert listed(session, **filters) == ids_of(capability_world, *expected)


def test_size_tier_and_membership_filters(session):
    orgs = {
        "micro": factories.organisation(session, employees=5, supply_tier="tier1"),
        "small": factories.organisation(session, employees=49, membership_status="applicant"),
        "medium": factories.organisation(session, employees=50, supply_tier="tier2"),
        "large": factories.organisation(
            session, employees=250, supply_tier="tier1", membership_status="none"
        ),
        "unknown": factories.organisation(session, employees=None),
    }
    for size in ("micro", "small", "medium", "large"):
        assert listed(session, size_class=size) == ids_of(orgs, size)
    assert listed(session, tier="tier1") == ids_of(orgs, "micro", "large")
    assert listed(session, tier="tier2") == ids_of(orgs, "medium")
    assert listed(session, tier="oem") == set()
    assert listed(session, membership="applicant") == ids_of(orgs, "small")
    assert listed(session, membership="none") == ids_of(orgs, "large")
    assert listed(session, membership="member") == ids_of(orgs, "micro", "medium", "unknown")
    assert listed(session, size_class="large", tier="tier1", membership="none") == ids_of(
        orgs, "large"
    )


# --- free text ----------------------------------------------------------------------------------


@pytest.fixture
def text_world(session) -> dict[str, Organisation]:
    def make(legal_name: str, description: str) -> Organisation:
        return factories.organisation(
            session,
            legal_name=legal_name,
            short_name="",
            description_pl=description,
            description_en="",
            capabilities=[],
            sites=[hq(RADOM)],
        )

    return {
        "welding": make("Stalmet sp. z o.o.", "Spawanie konstrukcji stalowych"),
        "lodz": make("Zakład Łódź sp. z o.o.", "Frezowanie korpusów"),
        "lodz_plain": make("Oddzial Lodz SA", "Toczenie wałków"),
        "welding_lodz": make("Metalbud", "Spawanie ram w Łodzi"),
        "school": make("Centrum Kształcenia", "Kursy: spawalnictwo i cięcie"),
    }


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("spawanie", {"welding", "welding_lodz"}),
        ("SPAWANIE", {"welding", "welding_lodz"}),
        ("Spawanie", {"welding", "welding_lodz"}),
        ("lodz", {"lodz", "lodz_plain", "welding_lodz"}),
        ("Łódź", {"lodz", "lodz_plain", "welding_lodz"}),
        ("ŁÓDŹ", {"lodz", "lodz_plain", "welding_lodz"}),
        ("wałków", {"lodz_plain"}),
        ("walkow", {"lodz_plain"}),
        ("spaw", {"welding", "welding_lodz", "school"}),
        ("spawalnictwo", {"school"}),
        ("spaw lodz", {"welding_lodz"}),
        ("Spawanie ŁÓDŹ", {"welding_lodz"}),
        ("spaw radom", {"welding", "welding_lodz", "school"}),
        ("spaw frezowanie", set()),
        ("kształcenia", {"school"}),
        ("walnictwo", set()),
        ("xyzzy", set()),
    ],
)
def test_free_text_folds_diacritics_prefixes_and_ands(session, text_world, q, expected):
    assert listed(session, q=q) == ids_of(text_world, *expected)


def test_free_text_finds_identifiers(session, text_world):
    target = text_world["school"]
    assert listed(session, q=target.nip) == {target.id}


@pytest.mark.parametrize(
    "q",
    ['"spaw', "spaw*", "(spaw)", "-spaw", "spaw)", '"spaw"*', "spaw:", "^spaw", "+spaw", "'spaw'"],
)
def test_fts_syntax_around_a_word_is_ignored(session, text_world, q):
    assert listed(session, q=q) == listed(session, q="spaw")


@pytest.mark.parametrize(
    "q",
    [
        '"',
        "*",
        "(",
        ")",
        "-",
        "NEAR",
        "NEAR(spaw lodz, 2)",
        "spaw OR lodz",
        "NOT spaw",
        "spaw AND",
        "search_text: spaw",
        "{search_text}: spaw",
        "%",
        "_",
        "\\",
        "'",
        '"*"',
        "a" * 200,
    ],
)
def test_fts_syntax_in_queries_never_raises(session, text_world, q):
    assert listed(session, q=q) <= {o.id for o in text_world.values()}


def test_punctuation_only_query_filters_nothing(session, text_world):
    assert listed(session, q='"*()-') == {o.id for o in text_world.values()}


@DB_SETTINGS
@given(q=st.text(max_size=40))
def test_any_free_text_is_a_valid_query(session, q):
    try:
        flt = OrganisationFilter(q=q)
    except ValidationError:
        reject()
    queries.list_organisations(session, ANONYMOUS, flt, today=TODAY)


def test_free_text_combines_with_filters(session, text_world):
    factories.organisation(session, description_pl="Spawanie", kind="research")
    assert listed(session, q="spawanie", kind="company") == ids_of(
        text_world, "welding", "welding_lodz"
    )


# --- sorting and keyset pages ------------------------------------------------------------------


def reference_ids(session: Session, actor: Actor, flt: OrganisationFilter) -> list[int]:
    """The whole list, by OFFSET pages over the defined order (ties broken by id)."""
    key = REFERENCE_SORTS[flt.sort.lstrip("-")]
    order = (
        [key.desc(), Organisation.id.desc()]
        if flt.sort.startswith("-")
        else [key.asc(), Organisation.id.asc()]
    )
    stmt = queries.filtered(session, actor, flt, TODAY).order_by(*order)
    result: list[int] = []
    while True:
        chunk = list(session.scalars(stmt.offset(len(result)).limit(3)))
        result += [o.id for o in chunk]
        if len(chunk) < 3:
            return result


def walk(
    session: Session, actor: Actor, flt: OrganisationFilter, limit: int
) -> tuple[list[list[int]], list[list[int]]]:
    """All pages forward with `after`, then all pages backward with `before` from the last."""
    forward: list[queries.Page] = []
    after = None
    while True:
        page = queries.list_organisations(
            session, actor, flt, today=TODAY, limit=limit, after=after
        )
        forward.append(page)
        assert (page.prev_cursor is None) == (after is None)
        if page.next_cursor is None:
            break
        assert len(page.items) == limit
        after = page.next_cursor
    backward = [forward[-1]]
    while backward[-1].prev_cursor is not None:
        page = queries.list_organisations(
            session, actor, flt, today=TODAY, limit=limit, before=backward[-1].prev_cursor
        )
        assert page.next_cursor is not None
        backward.append(page)
    total = sum(len(p.items) for p in forward)
    assert {p.total for p in forward + backward} == {total}
    return [[o.id for o in p.items] for p in forward], [
        [o.id for o in p.items] for p in reversed(backward)
    ]


def assert_keyset_matches_offset(
    session: Session, actor: Actor, flt: OrganisationFilter, limit: int
) -> None:
    expected = reference_ids(session, actor, flt)
    forward, backward = walk(session, actor, flt, limit)
    assert [i for page in forward for i in page] == expected
    assert forward == [expected[i : i + limit] for i in range(0, len(expected), limit)] or (
        forward == [[]] and expected == []
    )
    assert [i for page in backward for i in page] == expected
    assert all(len(page) == limit for page in backward[1:-1])


@pytest.fixture
def tied_world(session) -> list[Organisation]:
    """Equal names (also equal once folded), equal and missing head-counts and years."""
    rows = [
        ("Alfa", 10, 2000),
        ("alfa", 10, None),
        ("Ąlfa", None, 2000),
        ("Beta", 300, 1990),
        ("Łuk", 10, 2000),
        ("Luk", 5, None),
        ("Zeta", None, 1990),
        ("Alfa", 40, 2010),
        ("Omega", 40, 2000),
        ("beta", 0, 1990),
        ("Ćma", 5, None),
    ]
    return [
        factories.organisation(session, short_name=name, employees=employees, founded_year=year)
        for name, employees, year in rows
    ]


@pytest.mark.parametrize("sort", SORTS)
def test_keyset_pages_walk_every_row_once_in_order(session, tied_world, sort):
    flt = OrganisationFilter(sort=sort)
    for limit in (1, 2, 3, 4, 5, 10, 11, 12, 25):
        assert_keyset_matches_offset(session, COORDINATOR, flt, limit)


def test_ties_are_broken_by_id(session, tied_world):
    ids = reference_ids(session, COORDINATOR, OrganisationFilter(sort="name"))
    alfas = [o.id for o in tied_world if o.name_key == "alfa"]
    assert len(alfas) == 4
    assert ids[:4] == sorted(alfas)
    descending = reference_ids(session, COORDINATOR, OrganisationFilter(sort="-name"))
    assert descending == list(reversed(ids))


def test_keyset_pages_with_filters_and_text(session, tied_world):
    for flt in (
        OrganisationFilter(q="alfa", sort="-employees"),
        OrganisationFilter(size_class="small", sort="founded"),
        OrganisationFilter(q="nothing-matches", sort="name"),
    ):
        for limit in (1, 2, 3):
            assert_keyset_matches_offset(session, COORDINATOR, flt, limit)


@DB_SETTINGS
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["Alfa", "alfa", "Ąlfa", "Beta", "Łoś", "Los"]),
            st.sampled_from([None, 0, 5, 5, 300]),
            st.sampled_from([None, 1990, 2000]),
            st.sampled_from(["public", "members", "restricted"]),
        ),
        max_size=9,
    ),
    sort=st.sampled_from(SORTS),
    limit=st.integers(min_value=1, max_value=4),
    actor=st.sampled_from([ANONYMOUS, MEMBER, COORDINATOR]),
)
def test_keyset_pages_match_offset_for_any_data(session, rows, sort, limit, actor):
    savepoint = session.begin_nested()
    try:
        for name, employees, year, visibility in rows:
            factories.organisation(
                session,
                short_name=name,
                employees=employees,
                founded_year=year,
                visibility=visibility,
            )
        assert_keyset_matches_offset(session, actor, OrganisationFilter(sort=sort), limit)
    finally:
        savepoint.rollback()


def test_iter_organisations_yields_the_list_in_order(session, tied_world):
    flt = OrganisationFilter(sort="-employees")
    exported = [o.id for o in queries.iter_organisations(session, COORDINATOR, flt, TODAY, 2)]
    assert exported == reference_ids(session, COORDINATOR, flt)


DAMAGED_CURSORS = [
    "not a cursor!",
    "%%%",
    cursor_of(b"\xff\xfe\x00"),
    cursor_of(b"[1"),
    cursor_of([1]),
    cursor_of([1, 2, 3]),
    cursor_of({"a": 1}),
    cursor_of("text"),
    cursor_of(["alfa", "x"]),
    cursor_of(["alfa", None]),
    cursor_of(["alfa", 1.5]),
    cursor_of([None, 1]),
    cursor_of([[1], 1]),
    cursor_of([{"a": 1}, 1]),
    cursor_of([True, 1]),
    cursor_of(["alfa", True]),
    cursor_of(["alfa", 10**30]),
    cursor_of(b'["\\ud800", 1]'),
    cursor_of(["a\x00b", 1]),
]


@pytest.mark.parametrize("cursor", DAMAGED_CURSORS)
def test_damaged_cursor_is_invalid(session, cursor):
    factories.organisation(session)
    for sort, direction in itertools.product(
        ("name", "-updated", "employees"), ("after", "before")
    ):
        with pytest.raises(Invalid) as exc:
            queries.list_organisations(
                session,
                COORDINATOR,
                OrganisationFilter(sort=sort),
                today=TODAY,
                **{direction: cursor},
            )
        assert [e.field for e in exc.value.errors] == ["cursor"]


@pytest.mark.parametrize(
    ("sort", "payload"),
    [
        ("name", [1, 1]),
        ("name", [1.5, 1]),
        ("employees", ["alfa", 1]),
        ("founded", ["1990", 1]),
        ("founded", b"[1e400, 1]"),
        ("employees", [5.0, 1]),
        ("employees", [2**70, 1]),
        ("updated", ["yesterday", 1]),
        ("updated", [12, 1]),
        ("updated", ["2026-01-01T10:00:00", 1]),
    ],
)
def test_cursor_of_the_wrong_type_for_the_sort_is_invalid(session, sort, payload):
    factories.organisation(session)
    cursor = cursor_of(payload)
    with pytest.raises(Invalid) as exc:
        queries.list_organisations(
            session, COORDINATOR, OrganisationFilter(sort=sort), today=TODAY, after=cursor
        )
    assert [e.field for e in exc.value.errors] == ["cursor"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)


@DB_SETTINGS
@given(
    cursor=st.one_of(
        st.text(max_size=60),
        st.binary(max_size=60).map(cursor_of),
        json_values.map(lambda v: cursor_of(json.dumps(v).encode())),
        st.tuples(json_values, json_values).map(lambda v: cursor_of(json.dumps(v).encode())),
    ),
    sort=st.sampled_from(SORTS),
)
def test_any_cursor_gives_a_page_or_invalid(session, cursor, sort):
    try:
        queries.list_organisations(
            session, COORDINATOR, OrganisationFilter(sort=sort), today=TODAY, after=cursor
        )
    except Invalid as exc:
        assert [e.field for e in exc.errors] == ["cursor"]


# --- visibility ---------------------------------------------------------------------------------


@pytest.fixture
def visibility_world(session) -> dict[str, Organisation]:
    def make(visibility: str, teryt: str) -> Organisation:
        return factories.organisation(
            session,
            visibility=visibility,
            description_pl="Spawanie ram",
            sites=[hq(teryt)],
        )

    return {
        "public": make("public", LUBLIN),
        "members": make("members", LUBLIN),
        "restricted": make("restricted", RADOM),
        "restricted_lublin": make("restricted", LUBLIN),
    }


def _actors(orgs: dict[str, Organisation]) -> dict[str, tuple[Actor, set[str]]]:
    everything = set(orgs)
    return {
        "anonymous": (ANONYMOUS, {"public"}),
        "member": (MEMBER, {"public", "members"}),
        "restricted org's viewer": (
            Actor(user_id=-3, label="viewer", org_roles={orgs["restricted"].id: OrgRole.VIEWER}),
            {"public", "restricted"},
        ),
        "officer of Radom": (  # the members-only organisation is in Lublin: outside the area
            Actor(user_id=-4, label="officer", officer_teryt=RADOM),
            {"public", "restricted"},
        ),
        "coordinator": (COORDINATOR, everything),
    }


@pytest.mark.parametrize(
    "who", ["anonymous", "member", "restricted org's viewer", "officer of Radom", "coordinator"]
)
def test_lists_totals_and_exports_show_only_visible_rows(session, visibility_world, who):
    actor, keys = _actors(visibility_world)[who]
    expected = ids_of(visibility_world, *keys)
    for filters in ({}, {"q": "spawanie"}, {"city": LUBLIN}, {"sort": "-updated"}):
        flt = OrganisationFilter(**filters)
        visible = expected & listed(session, COORDINATOR, **filters)
        assert listed(session, actor, **filters) == visible
        assert queries.count_organisations(session, actor, flt, TODAY) == len(visible)
        exported = {o.id for o in queries.iter_organisations(session, actor, flt, TODAY, 1)}
        assert exported == visible
        forward, _ = walk(session, actor, flt, 1)
        assert {i for page in forward for i in page} == visible


def test_anonymous_never_sees_hidden_rows_even_when_filtering_for_them(session, visibility_world):
    hidden = ids_of(visibility_world, "members", "restricted", "restricted_lublin")
    for q in ("spawanie", visibility_world["restricted"].nip, visibility_world["members"].nip):
        page = queries.list_organisations(session, ANONYMOUS, OrganisationFilter(q=q), today=TODAY)
        assert not {o.id for o in page.items} & hidden
        assert page.total == len(page.items)
