"""What the lexicon learns from: reference names and the public catalogue's bilingual texts,
never a text that an anonymous reader could not open."""

from __future__ import annotations

from sqlalchemy.orm import Session
from tests import factories
from tests.matching.web import index_of as exact_index_of
from tests.matching.web import refresh

from upland.actor import Actor
from upland.matching import bilingual, engine
from upland.matching.engine import Ask
from upland.matching.index import MatchIndex
from upland.textkit.embedding import HashingEmbedder

EMBEDDER = HashingEmbedder(dimension=64)
SECRET = ("Kriogeniczne wygrzewanie", "Cryogenic soaking")


def index_of(session: Session) -> MatchIndex:
    refresh(session)
    return exact_index_of(session)


def test_public_texts_are_learnt_from_and_restricted_ones_are_not(session: Session) -> None:
    public = factories.organisation(
        session, description_pl="Odlewnia żeliwa", description_en="Iron foundry"
    )
    factories.organisation(
        session, visibility="restricted", description_pl=SECRET[0], description_en=SECRET[1]
    )
    factories.opportunity(
        session,
        public,
        publish=True,
        visibility="restricted",
        title_pl=SECRET[0] + " wałów",
        title_en=SECRET[1] + " of shafts",
    )
    factories.opportunity(
        session,
        public,
        publish=True,
        visibility="public",
        title_pl="Hartowanie wałów",
        title_en="Hardening of shafts",
    )
    pairs = list(
        bilingual.parallel_texts(session, bilingual.public_items(session, index_of(session)))
    )
    assert ("Odlewnia żeliwa", "Iron foundry") in pairs
    assert ("Hartowanie wałów", "Hardening of shafts") in pairs
    assert not [pair for pair in pairs if "ryogeni" in pair[1]]
    assert any("Obróbka" in polish for polish, _ in pairs)  # PKD names come with the platform


def test_a_polish_only_item_is_found_by_an_english_ask(session: Session) -> None:
    teacher = factories.organisation(
        session,
        description_pl="Prognozowanie trwałości zmęczeniowej ram maszyn.",
        description_en="Fatigue life prediction of machine frames.",
    )
    factories.opportunity(
        session,
        teacher,
        publish=True,
        visibility="public",
        title_pl="Badania zmęczeniowe wałów",
        title_en="Fatigue testing of shafts",
    )
    polish_only = factories.organisation(
        session, description_pl="Trwałość zmęczeniowa wahaczy i belek osi.", description_en=""
    )
    index = index_of(session)
    asker = Actor(user_id=0, label="coordinator", is_coordinator=True)
    ask = Ask(text="fatigue", kinds=("organisation",), limit=5)
    hits = engine.match(session, asker, ask, embedder=EMBEDDER, index=index)
    assert polish_only.id in [hit.id for hit in hits if hit.lexical > 0]
    found = next(hit for hit in hits if hit.id == polish_only.id)
    assert found.why is not None
    said = [message.render("en") for message in found.why.raised]
    assert "Matching words: zmęczeniowa" in said  # the item's own word, found through English


def test_the_trades_glossary_anchors_words_the_catalogue_says_too_seldom() -> None:
    from upland.matching.bilingual import glossary, reference_texts
    from upland.matching.lexicon import Lexicon

    pairs = glossary()
    assert len(pairs) > 250 and all(polish and english for polish, english in pairs)
    assert ("obudowa", "enclosure") in pairs
    lexicon = Lexicon.learn(reference_texts())
    assert "obudowa" in lexicon.translate("sheet-metal enclosures")
    assert "enclosur" in lexicon.translate("obudowy szaf sterowniczych")
