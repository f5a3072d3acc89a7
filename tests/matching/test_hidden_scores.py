"""An item the reader cannot open must not move the scores of those they can: every score the
page, the API and the CLI show is scaled to the best candidate, so a hidden near-perfect match
would lower them all, and asking a secret phrase would tell whether a restricted profile says
it."""

from __future__ import annotations

from tests import factories
from tests.matching.web import index_of, refresh

from upland.matching import engine
from upland.matching.engine import Ask
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
