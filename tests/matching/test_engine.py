"""Vectors per text version, and suggestions: never an item the asker could not open, never
their own, bad input a clear error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy.orm import Session
from tests import factories
from tests.matching.web import index_of, refresh

from upland import clock, jobs
from upland.actor import ANONYMOUS, SYSTEM, Actor
from upland.errors import Invalid, NotFound, PermissionDenied
from upland.market import permissions as market_permissions
from upland.market import service as market_service
from upland.market.schemas import OpportunityUpdate
from upland.matching import engine, service, subscriptions
from upland.matching.dense import vectors_path
from upland.matching.engine import Ask
from upland.matching.index import MatchIndex, bm25_prefix
from upland.matching.lexical import Bm25Index, terms
from upland.matching.subscriptions import dispatch as real_dispatch
from upland.organisations import permissions as organisation_permissions
from upland.organisations import service as organisation_service
from upland.organisations.models import Organisation
from upland.organisations.schemas import OrganisationUpdate
from upland.textkit.embedding import HashingEmbedder

EMBEDDER = HashingEmbedder(dimension=64)
WELDING = {
    "description_pl": "Spawanie zrobotyzowane ram stalowych i konstrukcji.",
    "description_en": "Robotic welding of steel frames and structures.",
}


def suggest(session: Session, actor: Actor, ask: Ask) -> list[tuple[str, int]]:
    hits = engine.match(session, actor, ask, embedder=EMBEDDER, index=index_of(session))
    return [(hit.kind, hit.id) for hit in hits]


@pytest.fixture
def world(session: Session) -> dict[str, Organisation]:
    orgs = {
        "public": factories.organisation(session, **WELDING),
        "members": factories.organisation(session, visibility="members", **WELDING),
        "restricted": factories.organisation(session, visibility="restricted", **WELDING),
        "asker": factories.organisation(session, **WELDING),
    }
    for name, org in orgs.items():
        factories.opportunity(
            session,
            org,
            publish=True,
            visibility="restricted" if name == "restricted" else "members",
            title_pl="Spawanie ram stalowych",
            title_en="Welding of steel frames",
        )
    refresh(session)
    return orgs


def test_only_changed_texts_are_embedded_again(session: Session, world: dict) -> None:
    again = service.refresh_items(session, SYSTEM, "organisation", embedder=EMBEDDER)
    assert (again.embedded, again.removed) == (0, 0)
    org = world["public"]
    organisation_service.update_organisation(
        session, SYSTEM, org.id, OrganisationUpdate(description_pl="Lakierowanie proszkowe.")
    )
    changed = service.refresh_items(session, SYSTEM, "organisation", [org.id], embedder=EMBEDDER)
    assert (changed.embedded, changed.unchanged) == (1, 0)
    found = suggest(session, SYSTEM, Ask(text="lakierowanie proszkowe", limit=1))
    assert found == [("organisation", org.id)]


def test_an_unpublished_opportunity_is_not_in_the_pool(session: Session, world: dict) -> None:
    draft = factories.opportunity(session, world["public"], title_pl="Lakierowanie kataforetyczne")
    done = service.refresh_items(session, SYSTEM, "opportunity", [draft.id], embedder=EMBEDDER)
    assert (done.embedded, done.unchanged, done.removed) == (0, 0, 0)
    index = index_of(session)
    assert ("opportunity", draft.id) not in index


def test_a_withdrawn_opportunity_stays_for_staff_only(session: Session, world: dict) -> None:
    org = world["public"]
    editor = factories.actor_of(session, factories.user(session, role="editor", org=org))
    opportunity = factories.opportunity(
        session, org, editor, publish=True, title_pl="Cynkowanie ogniowe", title_en="Galvanising"
    )
    market_service.update_opportunity(
        session,
        editor,
        opportunity.id,
        OpportunityUpdate(title_pl="Cynkowanie ogniowe konstrukcji"),
        today=dt.datetime.now(dt.UTC).date(),
    )
    refresh(session)
    member = factories.actor_of(session, factories.user(session, role="viewer", org=world["asker"]))
    ask = Ask(text="cynkowanie ogniowe", kinds=("opportunity",), limit=1)
    assert suggest(session, member, ask) == [("opportunity", opportunity.id)]
    market_service.withdraw_opportunity(session, editor, opportunity.id)
    refresh(session)
    assert ("opportunity", opportunity.id) not in suggest(session, member, ask)
    assert suggest(session, SYSTEM, ask) == [("opportunity", opportunity.id)]


ROLES = ["other_viewer", "own_editor", "officer_same_city", "officer_other_city", "coordinator"]


def _actor(session: Session, role: str, world: dict[str, Organisation]) -> Actor:
    if role == "other_viewer":
        account = factories.user(session, role="viewer", org=world["asker"])
    elif role == "own_editor":
        account = factories.user(session, role="editor", org=world["restricted"])
    elif role == "officer_same_city":
        account = factories.user(session, role="officer", teryt="0663011")
    elif role == "officer_other_city":
        account = factories.user(session, role="officer", teryt="1463011")
    else:
        account = factories.user(session, role="coordinator")
    return factories.actor_of(session, account)


@pytest.mark.parametrize("role", ROLES)
def test_suggestions_are_only_what_the_asker_may_open(
    session: Session, world: dict, role: str
) -> None:
    actor = _actor(session, role, world)
    hits = engine.match(
        session,
        actor,
        Ask(text="spawanie ram", limit=50),
        embedder=EMBEDDER,
        index=index_of(session),
    )
    assert hits
    for hit in hits:
        if hit.kind == "organisation":
            org = session.get(Organisation, hit.id)
            assert organisation_permissions.can_view_organisation(actor, org)
        else:
            from upland.market.models import Opportunity

            opp = session.get(Opportunity, hit.id)
            assert market_permissions.can_view_opportunity(actor, opp)
    own = {org_id for org_id in actor.org_roles}
    assert not any(hit.id in own for hit in hits if hit.kind == "organisation")


def test_a_restricted_item_is_missing_for_another_member(session: Session, world: dict) -> None:
    member = _actor(session, "other_viewer", world)
    found = suggest(session, member, Ask(text="spawanie ram", limit=50))
    assert ("organisation", world["restricted"].id) not in found
    assert ("organisation", world["public"].id) in found
    assert ("organisation", world["asker"].id) not in found  # their own


def test_partners_for_an_opportunity_exclude_it_and_its_owner(
    session: Session, world: dict
) -> None:
    owner = world["public"]
    mine = factories.opportunity(session, owner, publish=True, title_pl="Spawanie ram")
    refresh(session)
    found = suggest(session, SYSTEM, Ask(source=("opportunity", mine.id), limit=50))
    assert found
    assert ("opportunity", mine.id) not in found
    assert ("organisation", owner.id) not in found


def test_an_item_the_asker_cannot_open_is_not_found(session: Session, world: dict) -> None:
    member = _actor(session, "other_viewer", world)
    with pytest.raises(NotFound):
        suggest(session, member, Ask(source=("organisation", world["restricted"].id)))


@pytest.mark.parametrize(
    ("ask", "code"),
    [
        (Ask(text=""), "matching.empty"),
        (Ask(text="   "), "matching.empty"),
        (Ask(text="x" * 100_000), "matching.too_long"),
        (Ask(text="spawanie", limit=0), "matching.limit"),
        (Ask(text="spawanie", kinds=("people",)), "matching.kind"),
    ],
)
def test_bad_input_is_a_clear_error(session: Session, world: dict, ask: Ask, code: str) -> None:
    with pytest.raises(Invalid) as caught:
        suggest(session, SYSTEM, ask)
    assert caught.value.errors[0].code == code


@pytest.mark.parametrize(
    "text",
    [
        "'; DROP TABLE organisation; --",
        "<script>alert(1)</script> spawanie",
        "i w z na the of",
        "Сварка рам 焊接 spawanie",
    ],
)
def test_odd_input_gets_sensible_results(session: Session, world: dict, text: str) -> None:
    found = suggest(session, SYSTEM, Ask(text=text, limit=5))
    assert len(found) <= 5


def test_visitors_may_not_ask(session: Session, world: dict) -> None:
    with pytest.raises(PermissionDenied):
        suggest(session, ANONYMOUS, Ask(text="spawanie"))


def test_changes_queue_a_refresh_of_their_items(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    queued: list[tuple[str, list[int]]] = []
    monkeypatch.setattr(subscriptions, "dispatch", lambda kind, ids: queued.append((kind, ids)))
    org = factories.organisation(session)
    opportunity = factories.opportunity(session, org, publish=True)
    session.commit()
    assert ("organisation", [org.id]) in queued
    assert ("opportunity", [opportunity.id]) in queued


def test_a_saved_graph_answers_as_the_exact_index(
    session: Session, world: dict, tmp_path: Path
) -> None:
    exact = index_of(session)
    built = index_of(session, tmp_path / "g.usearch")
    assert built.dense.approximate and built.save_graph()
    mapped = index_of(session, tmp_path / "g.usearch")
    assert mapped.dense.approximate and len(mapped) == len(exact)
    ask = Ask(text="spawanie ram stalowych", limit=20)
    answers = [
        [(h.kind, h.id) for h in engine.match(session, SYSTEM, ask, embedder=EMBEDDER, index=i)]
        for i in (exact, mapped)
    ]
    assert answers[0] and answers[0] == answers[1]
    # the BM25 index was mapped from the save, not analysed again from the texts
    assert Bm25Index.saved_note(bm25_prefix(tmp_path / "g.usearch")) is not None
    assert isinstance(mapped.lexical._docs, np.memmap)


def test_a_saved_bm25_index_follows_later_edits(
    session: Session, world: dict, tmp_path: Path
) -> None:
    built = index_of(session, tmp_path / "g.usearch")
    assert built.save_graph()
    # an edit after the save reaches the next process through its walk of the newer rows
    org = world["public"]
    organisation_service.update_organisation(
        session, SYSTEM, org.id, OrganisationUpdate(description_pl="Cynkowanie ogniowe.")
    )
    refresh(session)
    mapped = index_of(session, tmp_path / "g.usearch")
    assert isinstance(mapped.lexical._docs, np.memmap)
    found, _ = mapped.search_lexical(terms("cynkowanie ogniowe"), 5)
    assert [key for key, _ in found] == [("organisation", org.id)]
    welding = [key for key, _ in mapped.search_lexical(terms("spawanie zrobotyzowane"), 50)[0]]
    assert welding and ("organisation", org.id) not in welding  # its old words left with it


def test_a_bm25_index_saved_by_another_analyser_is_not_read(
    session: Session, world: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = index_of(session, tmp_path / "g.usearch")
    assert built.save_graph()
    monkeypatch.setattr("upland.matching.lexical.ANALYSER_VERSION", 0)
    loaded = index_of(session, tmp_path / "g.usearch")  # analyses the texts again
    assert not isinstance(loaded.lexical._docs, np.memmap)
    assert len(loaded.lexical) == len(built.lexical)


def test_a_graph_saved_without_its_base_matrix_is_not_mapped(
    session: Session, world: dict, tmp_path: Path
) -> None:
    built = index_of(session, tmp_path / "g.usearch")
    assert built.save_graph()
    vectors_path(tmp_path / "g.usearch").unlink()  # as an older rebuild left it
    loaded = index_of(
        session, tmp_path / "g.usearch"
    )  # reads the rows and builds a graph of its own
    assert loaded.dense.approximate and len(loaded) == len(built)


def test_the_demo_history_queues_no_refresh_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    queued: list[tuple[object, ...]] = []
    monkeypatch.setattr(jobs, "enqueue", lambda *args: queued.append(args))
    with clock.replay(dt.datetime(2020, 1, 1, tzinfo=dt.UTC)):
        real_dispatch("organisation", [1])
    assert queued == []
    real_dispatch("organisation", [1])
    assert queued == [(subscriptions.JOB, "organisation", [1])]


def test_an_ask_among_named_items_scores_each_however_far_down(
    session: Session, world: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An event's "suggested for you" names its participants: each is scored (and only they
    are), not just those among the whole index's first candidates."""
    unrelated = factories.organisation(
        session,
        short_name="Piekarnia Zdrowa",
        description_pl="Pieczywo i ciasta na zamówienie.",
        description_en="Bread and cakes to order.",
    )
    refresh(session)
    monkeypatch.setattr(engine, "POOL", 1)  # the whole-index lists would miss it

    def walked(*_args: object) -> None:
        raise AssertionError("an ask among named items searched the whole index")

    monkeypatch.setattr(MatchIndex, "search_dense", walked)
    monkeypatch.setattr(MatchIndex, "search_lexical", walked)
    coordinator = _actor(session, "coordinator", world)
    among = frozenset({("organisation", unrelated.id), ("organisation", world["public"].id)})
    hits = engine.match(
        session,
        coordinator,
        Ask(text="spawanie ram", kinds=("organisation",), limit=10, among=among),
        embedder=EMBEDDER,
        index=index_of(session),
    )
    assert {(hit.kind, hit.id) for hit in hits} <= among
    assert ("organisation", world["public"].id) in {(hit.kind, hit.id) for hit in hits}


def test_an_item_asks_with_its_key_phrases(session: Session, world: dict) -> None:
    owner = world["public"]
    mine = factories.opportunity(
        session,
        owner,
        publish=True,
        title_pl="Spawanie ram",
        description_pl="Opis pełen ogólników o współpracy i terminach dostaw.",
    )
    refresh(session)
    words = engine.source_terms(session, ("opportunity", mine.id), "fallback text")
    assert "spawac" in words or "spawanie" in words
    assert not {"opis", "ogolnik", "termin"} & set(words)
    assert engine.source_terms(session, ("opportunity", 10**9), "fallback text") == [
        *engine.terms("fallback text")
    ]
