"""A reader's searches are narrowed to what the index's flags and their own organisations let
them open (`engine.reach_of`, `index.Reach`), instead of walking past everything else: the
narrowed set must hold every item the core rule lets them open (else an item they may open is
never found), for every role, and the suggestions must be those the unnarrowed search gives."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session
from tests import factories
from tests.matching.web import EMBEDDER, index_of, refresh

from upland.actor import Actor
from upland.market.models import Opportunity
from upland.matching import engine
from upland.matching.dense import DenseIndex
from upland.matching.engine import Ask
from upland.matching.index import MEMBERS, PUBLIC, Key
from upland.matching.lexical import Bm25Index

WELDING = {"description_pl": "Spawanie ram stalowych.", "description_en": "Welding of frames."}
YESTERDAY = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)


@pytest.fixture
def world(session: Session) -> dict[str, object]:
    """Organisations of every visibility, each with opportunities of every visibility, live,
    past their expiry, withdrawn and fulfilled; a restricted one naming another firm."""
    orgs = {
        level: factories.organisation(session, visibility=level, **WELDING)
        for level in ("public", "members", "restricted")
    }
    named = factories.organisation(session, visibility="restricted", **WELDING)
    ended: list[int] = []
    for org in orgs.values():
        for level in ("public", "members", "restricted"):
            for state in ("live", "past", "withdrawn", "fulfilled"):
                made = factories.opportunity(
                    session,
                    org,
                    publish=True,
                    visibility=level,
                    title_pl="Spawanie ram stalowych",
                    title_en="Welding of steel frames",
                    named=[named.id] if level == "restricted" else [],
                )
                if state != "live":
                    ended.append(made.id)
                    values = {"expires_on": YESTERDAY} if state == "past" else {"status": state}
                    session.execute(
                        update(Opportunity).where(Opportunity.id == made.id).values(**values)
                    )
    session.flush()
    refresh(session)
    return {"orgs": orgs, "named": named, "ended": ended}


def _actors(session: Session, world: dict) -> dict[str, Actor]:
    orgs = world["orgs"]
    accounts = {
        "anonymous": None,
        "user of no organisation": factories.user(session),
        "member": factories.user(
            session, role="viewer", org=factories.organisation(session, **WELDING)
        ),
        "editor of the restricted firm": factories.user(
            session, role="editor", org=orgs["restricted"]
        ),
        "viewer of the named firm": factories.user(session, role="viewer", org=world["named"]),
        "officer of the same city": factories.user(session, role="officer", teryt="0663011"),
        "officer of another city": factories.user(session, role="officer", teryt="1463011"),
        "coordinator": factories.user(session, role="coordinator"),
    }
    return {
        name: Actor(user_id=None, label="anonymous")
        if account is None
        else factories.actor_of(session, account)
        for name, account in accounts.items()
    }


def test_the_narrowed_set_holds_everything_a_reader_may_open(session: Session, world: dict) -> None:
    index = index_of(session)
    everything = set(index.languages)
    assert {("opportunity", i) for i in world["ended"]} <= everything  # ended: still indexed
    for name, actor in _actors(session, world).items():
        readable = engine.readable_keys(session, actor, everything)
        reach = engine.reach_of(session, actor)
        if actor.is_staff:
            assert reach is None, name
            continue
        assert reach is not None, name
        narrowed = {key for key in everything if index.readers(key) & reach.level} | reach.own
        assert readable <= narrowed, (name, sorted(readable - narrowed))
        assert readable and narrowed & everything < everything, name  # it narrows


def test_a_narrowed_ask_suggests_what_the_unnarrowed_one_does(
    session: Session, world: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = index_of(session)
    ask = Ask(text="spawanie ram stalowych", limit=50)
    for name, actor in _actors(session, world).items():
        if actor.is_anonymous:
            continue  # visitors browse; asking is for those logged in
        narrowed = engine.match(session, actor, ask, embedder=EMBEDDER, index=index)
        with monkeypatch.context() as patched:
            patched.setattr(engine, "reach_of", lambda *_: None)
            walked = engine.match(session, actor, ask, embedder=EMBEDDER, index=index)
        assert narrowed, name
        # the same items, in the same order, with the same scores (to a float32 dot product's
        # last digits: an item scored alone and one scored in a matrix product may differ)
        assert [(h.kind, h.id) for h in narrowed] == [(h.kind, h.id) for h in walked], name
        assert [h.score for h in narrowed] == pytest.approx([h.score for h in walked], abs=1e-6)


def test_an_officer_of_a_large_area_is_not_narrowed(
    session: Session, world: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    officer = factories.actor_of(session, factories.user(session, role="officer", teryt="0663011"))
    assert engine.reach_of(session, officer) is not None
    monkeypatch.setattr(engine, "OWN_MOST", 3)
    assert engine.reach_of(session, officer) is None  # walks everything, the rule filters


def test_the_flags_follow_a_change_of_visibility(session: Session, world: dict) -> None:
    from upland.organisations import service as organisation_service
    from upland.organisations.schemas import OrganisationUpdate

    org = world["orgs"]["restricted"]
    key: Key = ("organisation", org.id)
    index = index_of(session)
    assert index.readers(key) == 0
    before = index.of_level(PUBLIC)
    organisation_service.update_organisation(
        session, factories.SYSTEM, org.id, OrganisationUpdate(visibility="public")
    )
    refresh(session)
    index.sync(session)
    assert index.readers(key) == PUBLIC | MEMBERS
    after = index.of_level(PUBLIC)
    assert before is not None and after is not None  # a few of the index
    assert key not in before[0] and key in after[0]


# --- the searches' own narrowing ----------------------------------------------------------------


def _unit_rows(rng: np.random.Generator, n: int, dimension: int = 24) -> np.ndarray:
    rows = rng.normal(size=(n, dimension)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _best_among(matrix: np.ndarray, keys: np.ndarray, q: np.ndarray, allowed, k: int):
    scores = matrix @ (q / np.linalg.norm(q))
    ranked = sorted(
        ((int(key), float(s)) for key, s in zip(keys, scores, strict=True) if int(key) in allowed),
        key=lambda item: (-item[1], item[0]),
    )
    return [key for key, _ in ranked[:k]]


@pytest.mark.parametrize("every", [16, 2])  # scored row by row; the graph's answers filtered
def test_a_narrowed_dense_search_is_the_exact_one_among_those_keys(every: int) -> None:
    rng = np.random.default_rng(7)
    n = 3000
    matrix = _unit_rows(rng, n)
    keys = np.arange(n, dtype=np.uint64) * 3 + 5
    index = DenseIndex.from_matrix(keys, matrix, exact_below=100)
    assert index.approximate
    within = frozenset(int(key) for key in keys[::every])
    also = [int(keys[1])]  # not in `within`: one of the reader's own
    changed = int(keys[0])  # in `within`, its vector replaced after the graph was built
    index.put(changed, matrix[3])
    matrix[0] = matrix[3]
    for q in _unit_rows(rng, 20):
        found = [key for key, _ in index.search(q, 10, within=within, also=also)]
        assert found == _best_among(matrix, keys, q, within | set(also), 10)


def test_a_narrowed_exact_dense_search_keeps_to_those_keys() -> None:
    rng = np.random.default_rng(8)
    matrix = _unit_rows(rng, 300)
    keys = np.arange(300, dtype=np.uint64)
    index = DenseIndex.from_matrix(keys, matrix.copy(), exact_below=10**6)
    within = frozenset(range(0, 300, 7))
    index.remove(7)  # removed: never found, in `within` or not
    q = matrix[7]
    found = [key for key, _ in index.search(q, 5, within=within)]
    assert found == _best_among(matrix, keys, q, within - {7}, 5)


def test_a_narrowed_bm25_search_keeps_to_those_keys_across_a_merge() -> None:
    bm25 = Bm25Index(merge_min=1)
    for i in range(40):
        bm25.add(("organisation", i), ["spawanie", "ram"] + ["stal"] * (i % 5))
    within = frozenset(("organisation", i) for i in range(0, 40, 4))
    found, _ = bm25.search(["stal"], 40, within=within, also=[("organisation", 1)])
    expected = {("organisation", i) for i in [*range(0, 40, 4), 1] if i % 5}
    assert {key for key, _ in found} == expected
    for i in range(0, 40, 3):  # removals, then a merge numbers the documents anew
        bm25.remove(("organisation", i))
    bm25.prepare()
    found, _ = bm25.search(["stal"], 40, within=within)
    assert {key for key, _ in found} == {
        ("organisation", i) for i in range(0, 40, 4) if i % 5 and i % 3
    }


# --- the flags the narrowing trusts -------------------------------------------------------------


def test_a_refresh_that_read_earlier_does_not_write_over_a_later_one(session: Session) -> None:
    """Two refresh jobs at once (RQ workers, or web processes' job threads): the one that read
    the flags first writes last, and must not put back what the other found outdated."""
    from upland.matching import queries, service
    from upland.organisations import service as organisation_service
    from upland.organisations.schemas import OrganisationUpdate

    target = factories.organisation(session, **WELDING)
    refresh(session)
    organisation_service.update_organisation(
        session, factories.SYSTEM, target.id, OrganisationUpdate(visibility="restricted")
    )
    first = service._visibility_changes(session, "organisation", [target.id])
    organisation_service.update_organisation(
        session, factories.SYSTEM, target.id, OrganisationUpdate(visibility="members")
    )
    second = service._visibility_changes(session, "organisation", [target.id])
    assert service._reclassify(session, "organisation", second) == 1
    assert service._reclassify(session, "organisation", first) == 0  # read before: not written
    assert queries.reader_flags(session, "organisation", [target.id]) == {target.id: (False, True)}


class _Failing:
    name, dimension = EMBEDDER.name, EMBEDDER.dimension

    def embed(self, texts: list[str]) -> np.ndarray:
        raise RuntimeError("model unavailable")


def test_who_may_open_an_item_is_recorded_even_when_its_text_cannot_be_embedded(
    session: Session,
) -> None:
    from upland.matching import queries, service
    from upland.organisations import service as organisation_service
    from upland.organisations.schemas import OrganisationUpdate

    org = factories.organisation(session, visibility="restricted", description_pl="Odlewy.")
    refresh(session)
    change = OrganisationUpdate(visibility="members", description_pl="Odlewy żeliwne.")
    organisation_service.update_organisation(session, factories.SYSTEM, org.id, change)
    with pytest.raises(RuntimeError):
        service.refresh_items(
            session, factories.SYSTEM, "organisation", [org.id], embedder=_Failing()
        )
    assert queries.reader_flags(session, "organisation", [org.id]) == {org.id: (False, True)}


def test_a_level_that_opens_most_of_the_index_is_not_narrowed() -> None:
    from upland.matching.index import MatchIndex

    index = MatchIndex("model", 4)
    for i in range(10):
        index.languages[("organisation", i)] = "pl"
        index.set_readers(("organisation", i), (PUBLIC if i < 4 else 0) | MEMBERS)
    assert index.of_level(MEMBERS) is None  # ten of ten: walk everything, the rule filters
    public = index.of_level(PUBLIC)
    assert public is not None and public[0] == {("organisation", i) for i in range(4)}
    index.set_readers(("organisation", 0), 0)
    assert index.of_level(PUBLIC)[0] == {("organisation", i) for i in range(1, 4)}  # anew


@pytest.mark.parametrize("graph", [False, True])
def test_ties_at_the_last_place_go_to_the_lower_key_on_every_path(graph: bool) -> None:
    """Forty items with the same vector, scattered: the three asked for are the three lowest
    keys, exact or narrowed (a narrowed set is scored exactly, graph or not). The graph's own
    walk is approximate: which of forty ties it proposes is its recall's business."""
    rng = np.random.default_rng(9)
    matrix = _unit_rows(rng, 4000)
    tied_rows = rng.choice(4000, size=40, replace=False)
    matrix[tied_rows] = matrix[tied_rows[0]]
    keys = np.arange(4000, dtype=np.uint64) * 100
    index = DenseIndex.from_matrix(keys, matrix, exact_below=100 if graph else 10**6)
    tied = sorted(int(keys[row]) for row in tied_rows)
    q = matrix[tied_rows[0]]
    if not graph:
        assert [key for key, _ in index.search(q, 3)] == tied[:3]
    within = frozenset(tied) | frozenset(int(k) for k in keys[::16])  # small: scored exactly
    assert [key for key, _ in index.search(q, 3, within=within)] == tied[:3]
