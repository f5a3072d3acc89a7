"""Free-text search: inflection, English stems, joined names, relevance order and its pages,
visibility of words, and one answer on every backend (checked against a reference matcher)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories

from upland.actor import ANONYMOUS, SYSTEM, Actor
from upland.organisations import queries
from upland.organisations.models import Organisation
from upland.organisations.reindex import reindex_search
from upland.organisations.schemas import OrganisationFilter
from upland.organisations.search import query_terms

TODAY = dt.date(2026, 6, 1)
COORDINATOR = Actor(user_id=-1, label="coordinator", is_cluster_member=True, is_coordinator=True)


def found(session: Session, q: str, actor: Actor = COORDINATOR, **filters: Any) -> list[int]:
    """Ids of every match in list order (one large page); the total agrees."""
    page = queries.list_organisations(
        session, actor, OrganisationFilter(q=q, **filters), today=TODAY, limit=500
    )
    assert page.total == len(page.items)
    assert queries.count_organisations(
        session, actor, OrganisationFilter(q=q, **filters), TODAY
    ) == len(page.items)
    return [o.id for o in page.items]


def org(session: Session, name: str, pl: str = "", en: str = "", **extra: Any) -> int:
    return factories.organisation(
        session,
        legal_name=name,
        short_name=name,
        description_pl=pl,
        description_en=en,
        capabilities=[],
        **extra,
    ).id


@pytest.fixture
def trades(session: Session) -> dict[str, int]:
    return {
        "welder": org(session, "Zakład Kowalski", "Spawanie ram i konstrukcji.", "Welded frames."),
        "cutter": org(session, "Obróbka Skrawaniem Jasiński", "Toczenie wałów."),
        "painter": org(session, "Lakiernia Nowak", "Lakierowanie proszkowe elementów stalowych."),
    }


@pytest.mark.parametrize("q", ["spawanie", "spawania", "spawaniem", "Spawaniu", "SPAWANIE"])
def test_every_case_of_a_polish_word_finds_the_same_firm(session, trades, q):
    assert found(session, q) == [trades["welder"]]


@pytest.mark.parametrize("q", ["obróbka skrawaniem", "obróbki skrawaniem", "obróbką skrawaniem"])
def test_an_inflected_name_finds_the_firm(session, trades, q):
    assert found(session, q) == [trades["cutter"]]


@pytest.mark.parametrize("q", ["welding", "welded", "welds", "weld"])
def test_english_words_are_stemmed(session, trades, q):
    assert found(session, q) == [trades["welder"]]


def test_a_city_in_the_locative_finds_firms_there(session, trades):
    radom = org(session, "Zakład Radomski", "Montaż.", sites=[{"teryt": "1463011"}])
    assert found(session, "Radomiu") == [radom]
    assert set(found(session, "Lublinie")) == set(trades.values())


def test_a_word_typed_half_way_still_finds(session, trades):
    assert found(session, "lakier") == [trades["painter"]]
    assert found(session, "spaw") == [trades["welder"]]


def test_unrelated_words_find_nothing(session, trades):
    assert found(session, "spawanie tokarki") == []
    assert found(session, "hydraulika") == []


@pytest.mark.parametrize("q", ["Rol-Mech", "rolmech", "rol mech", "ROL-MECH", "rol-mech lublin"])
def test_a_hyphenated_name_is_found_however_it_is_written(session, q):
    rolmech = org(session, "Rol-Mech Lublin", "Części do maszyn rolniczych.")
    org(session, "Agro Serwis", "Dystrybutor części.")
    assert rolmech in found(session, q)


def test_a_name_that_begins_with_the_query_comes_first(session):
    ids = {
        "a": org(session, "Agro Serwis", "Autoryzowany serwis Rol-Mech."),
        "b": org(session, "Bud Rol", "Dostawca Rol-Mech i innych."),
        "c": org(session, "Części Mech Rol", "Rol-Mech."),
        "rolmech": org(session, "Rol-Mech Lublin", "Części do maszyn rolniczych."),
    }
    order = found(session, "Rol-Mech")
    assert order[0] == ids["rolmech"]
    # Then names holding every word ("Części Mech Rol"), then the rest by name.
    assert order == [ids["rolmech"], ids["c"], ids["a"], ids["b"]]
    assert found(session, "rolmech")[0] == ids["rolmech"]


def test_an_explicit_sort_overrides_relevance(session):
    a = org(session, "Agro Rol-Mech serwis")
    z = org(session, "Rol-Mech Zamość")
    assert found(session, "rol mech", sort="name") == [a, z]
    assert found(session, "rol mech") == [z, a]


def _walk(session: Session, flt: OrganisationFilter, limit: int) -> tuple[list[int], list[int]]:
    """Every page forwards from the first, then backwards from the last; ids in order."""
    forward: list[int] = []
    after = None
    pages = []
    while True:
        page = queries.list_organisations(
            session, COORDINATOR, flt, today=TODAY, limit=limit, after=after
        )
        forward += [o.id for o in page.items]
        pages.append(page)
        if page.next_cursor is None:
            break
        after = page.next_cursor
    backward: list[int] = [o.id for o in pages[-1].items]
    before = pages[-1].prev_cursor
    while before is not None:
        page = queries.list_organisations(
            session, COORDINATOR, flt, today=TODAY, limit=limit, before=before
        )
        backward = [o.id for o in page.items] + backward
        before = page.prev_cursor
    return forward, backward


@pytest.mark.parametrize("limit", [1, 3, 4, 7])
def test_relevance_pages_have_no_duplicates_or_gaps(session, limit):
    names = ["Stal Lublin", "Stalmet", "Stal-Pol Radom", "Zakład Stalowy", "Anex Stal"]
    names += [f"Firma {letter}" for letter in "ABCDEFGH"]
    ids = [org(session, name, "Konstrukcje ze stali i stalowe ramy.") for name in names]
    everything = found(session, "stal")
    assert sorted(everything) == sorted(ids)
    forward, backward = _walk(session, OrganisationFilter(q="stal"), limit)
    assert forward == everything
    assert backward == everything


def test_a_relevance_cursor_from_elsewhere_is_refused(session):
    from upland.errors import Invalid

    for bad in ([[7, "x"], 1], [["0", "x"], 1], ["x", 1]):
        cursor = queries.encode_cursor(bad)
        with pytest.raises(Invalid):
            queries.list_organisations(
                session, COORDINATOR, OrganisationFilter(q="stal"), today=TODAY, after=cursor
            )


def test_restricted_words_stay_hidden_from_who_cannot_see_them(session):
    hidden = org(session, "Tajny Żyrafex", "Spawanie żyraf.", visibility="restricted")
    shown = org(session, "Jawny Zakład", "Spawanie ram.")
    assert found(session, "żyrafex") == [hidden]
    for actor in (ANONYMOUS, Actor(user_id=-2, label="member", is_cluster_member=True)):
        assert found(session, "żyrafex", actor) == []
        assert found(session, "żyraf", actor, city="Lublin") == []
        assert found(session, "spawanie", actor) == [shown]
        assert found(session, "spawanie", actor, city="Lublin", pkd="25") == [shown]


def test_edits_keep_the_index_current_and_reindex_restores_it(session):
    from upland.organisations import service
    from upland.organisations.schemas import OrganisationUpdate

    firm = org(session, "Zakład Kowalski", "Toczenie.")
    assert found(session, "frezowania") == []
    service.update_organisation(
        session, SYSTEM, firm, OrganisationUpdate(description_pl="Frezowanie CNC.")
    )
    session.flush()
    assert found(session, "frezowania") == [firm]
    session.execute(
        Organisation.__table__.update().values(search_name="", search_text="")  # type: ignore[attr-defined]
    )
    assert found(session, "kowalski") == []
    assert reindex_search(session, SYSTEM) >= 1
    assert found(session, "kowalski") == [firm]
    assert found(session, "frezowania") == [firm]


# --- one answer on every backend ----------------------------------------------------------------


def reference_match(name_tokens: str, text_tokens: str, q: str) -> bool:
    """The search's meaning, in Python: every query word is one of the row's tokens or begins
    one of them. The SQL of each backend must return exactly the rows this accepts."""
    tokens = set(name_tokens.split()) | set(text_tokens.split())
    return all(
        any(t in tokens for t in word.exact) or any(t.startswith(word.prefix) for t in tokens)
        for word in query_terms(q)
    )


CROSS_QUERIES = [
    "spawanie",
    "spawalnicze stanowiska",
    "maszyn rolniczych",
    "przyczepy",
    "welding robots",
    "agricultural machinery",
    "lakiernia proszkowa",
    "Radomiu",
    "Starachowicach",
    "hydraulika siłowa",
    "cnc",
    "iso 9001",
    "autobusów elektrycznych",
    "laser",
    "zz-nothing",
]


def test_the_backend_returns_what_the_reference_matcher_accepts(demo_session):
    """Over the demo registry (tests/demo_database.py)."""
    session = demo_session
    rows = session.execute(
        select(Organisation.id, Organisation.search_name, Organisation.search_text)
    ).all()
    for q in CROSS_QUERIES:
        expected = {i for i, n, t in rows if reference_match(n, t, q)}
        assert set(found(session, q)) == expected, q


@pytest.mark.parametrize("q", ['"spawanie', 'spawanie"', 'spaw"anie', "„spawanie”", '"spawanie" "'])
def test_quote_marks_are_ignored_and_the_words_are_searched(session, trades, q):
    """A stray quote mark once made a query of no words, which listed every organisation."""
    assert found(session, q) == [trades["welder"]]


@pytest.mark.parametrize("q", ['"', '" "', "&& ||", "*", "„”"])
def test_a_query_of_no_words_lists_everything_and_the_page_says_why(session, client, trades, q):
    assert set(found(session, q)) >= set(trades.values())
    page = client.get("/organisations", params={"q": q, "lang": "en"})
    assert page.status_code == 200
    assert "holds no words to look for" in page.text
    assert "holds no words" not in client.get("/organisations?q=spawanie&lang=en").text
    polish = client.get("/organisations", params={"q": q, "lang": "pl"})
    assert "nie zawiera słów" in polish.text
