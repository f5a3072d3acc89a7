"""An item the reader cannot open must not move the scores of those they can: every score the
page, the API and the CLI show is scaled to the best candidate, so a hidden near-perfect match
would lower them all, and asking a secret phrase would tell whether a restricted profile says
it."""

from __future__ import annotations

import pytest
from tests import factories
from tests.matching.web import index_of, refresh

from upland.matching import engine
from upland.matching.engine import Ask
from upland.matching.lexical import terms
from upland.organisations import queries as organisation_queries
from upland.textkit.embedding import HashingEmbedder

EMBEDDER = HashingEmbedder(dimension=64)
ASK = "Kriogeniczne wymrażanie odkuwek tytanowych spawanie"


def scores(session, actor) -> list[tuple[int, float, float, float, float]]:
    refresh(session)
    hits = engine.match(
        session,
        actor,
        Ask(text=ASK, kinds=("organisation",), limit=5),
        embedder=EMBEDDER,
        index=index_of(session),
    )
    return [(h.id, round(h.score, 6), round(h.text, 6), round(h.dense, 6), h.lexical) for h in hits]


def test_a_restricted_match_leaves_the_visible_scores_as_they_were(session):
    factories.organisation(
        session, description_pl="Spawanie ram stalowych.", description_en="Welding of frames."
    )
    reader = factories.actor_of(session, factories.user(session))
    before = scores(session, reader)
    secret = factories.organisation(
        session,
        visibility="restricted",
        description_pl="Kriogeniczne wymrażanie odkuwek tytanowych.",
        description_en="Cryogenic freezing of titanium forgings.",
    )
    assert not organisation_queries.visible_organisation_ids(session, reader, [secret.id])
    after = scores(session, reader)
    assert [hit[:3] for hit in after] == [hit[:3] for hit in before]
    assert before and before[0][2] == 1.0  # the best the reader may open is the scale


def test_a_restricted_text_moves_no_raw_score_either(session):
    """BM25's statistics count only what an anonymous reader may open: with a restricted
    profile saying the asked words many times, the visible ones' raw BM25 scores (which the
    API returns) stay as they were, so they cannot tell how many restricted items say a word.
    A member who may open the restricted one still finds it."""
    for words in ("Spawanie ram stalowych.", "Wymrażanie i spawanie odkuwek."):
        factories.organisation(session, description_pl=words, description_en="Welding.")
    reader = factories.actor_of(session, factories.user(session))
    before = scores(session, reader)
    assert len(before) == 2 and all(hit[4] > 0 for hit in before)
    secret = factories.organisation(
        session,
        visibility="restricted",
        description_pl="Kriogeniczne wymrażanie odkuwek tytanowych. " * 5,
        description_en="Cryogenic freezing of titanium forgings.",
    )
    after = scores(session, reader)
    assert [(hit[0], hit[4]) for hit in after] == [(hit[0], hit[4]) for hit in before]
    # a cosine may differ in its last bit with the size of the matrix it is read from
    flat = [value for hit in before for value in hit[1:4]]
    assert [value for hit in after for value in hit[1:4]] == pytest.approx(flat, abs=1e-5)
    lexical = index_of(session).lexical
    assert lexical.idf(terms("Kriogeniczne")[0]) == lexical.idf("no-such-term")
    staff = factories.actor_of(session, factories.user(session, role="coordinator"))
    assert secret.id in [hit[0] for hit in scores(session, staff)]


def test_the_refresh_records_who_may_open_each_item(session):
    from tests.matching.web import EMBEDDER as WEB_EMBEDDER

    from upland.actor import SYSTEM
    from upland.matching import queries, service
    from upland.organisations.models import Organisation

    shown = factories.organisation(session, description_pl="Spawanie ram.")
    hidden = factories.organisation(session, visibility="restricted", description_pl="Odlewy.")
    inner = factories.organisation(session, visibility="members", description_pl="Tłoczenie.")
    refresh(session)
    flags = queries.reader_flags(session, "organisation", [shown.id, hidden.id, inner.id])
    # (an anonymous reader may open it, any member may)
    assert flags == {shown.id: (True, True), hidden.id: (False, False), inner.id: (False, True)}
    session.get(Organisation, hidden.id).visibility = "public"
    session.flush()
    done = service.refresh_items(
        session, SYSTEM, "organisation", [shown.id, hidden.id], embedder=WEB_EMBEDDER
    )
    assert (done.embedded, done.reclassified) == (0, 1)  # nothing embedded again
    assert queries.reader_flags(session, "organisation", [hidden.id]) == {hidden.id: (True, True)}


def test_items_the_reader_may_not_open_take_no_place_in_the_pool(session):
    """More unreadable items than the pool holds rank above the one readable match: the pool
    is asked again, wider, so the reader still gets it, with the same scores as without them
    (else the missing match would tell that many restricted items say the asked words)."""
    shown = factories.organisation(session, description_pl="Wymrażanie odkuwek, spawanie ram.")
    reader = factories.actor_of(session, factories.user(session))
    words = terms(ASK)

    def ranked(index):
        vector = EMBEDDER.embed([ASK])[0]
        allowed = engine.readable_keys(session, reader, set(index.languages))
        found = engine.rank(
            index, vector, words, "pl", pool=3, readable=lambda keys: keys & allowed
        )
        return found.orders["bm25"], found.orders["dense"]

    refresh(session)
    before = ranked(index_of(session))
    assert [key for key, _ in before[0]] == [("organisation", shown.id)]
    for _ in range(10):
        factories.organisation(
            session, visibility="restricted", description_pl="Kriogeniczne wymrażanie odkuwek."
        )
    refresh(session)
    lexical, dense = ranked(index_of(session))
    assert lexical == before[0]
    # the cosine of a matrix product may differ in its last bit with the matrix's size
    assert [key for key, _ in dense] == [key for key, _ in before[1]]
    assert [score for _, score in dense] == pytest.approx([score for _, score in before[1]])
