"""The bilingual lexicon: learnt from parallel texts, it lets a query ask in both languages."""

from __future__ import annotations

from upland.matching.lexical import Bm25Index, terms
from upland.matching.lexicon import Lexicon, english_words, polish_words

PARALLEL = [
    ("Prognozowanie trwałości zmęczeniowej ram", "Fatigue life prediction of frames"),
    ("Badania zmęczeniowe wałów", "Fatigue testing of shafts"),
    ("Toczenie wałów i tulei", "Turning of shafts and bushings"),
    ("Tuleje gumowo-metalowe", "Rubber-metal bushings"),
    ("Spawanie ram stalowych", "Welding of steel frames"),
    ("Obudowy z blachy", "Sheet-metal enclosures"),
]


def test_a_word_learns_its_translation_in_both_directions():
    lexicon = Lexicon.learn(PARALLEL)
    assert polish_words("zmęczeniowej")[0] in lexicon.translate("fatigue")
    assert english_words("bushings")[0] in lexicon.translate("tuleje")
    assert english_words("shafts")[0] in lexicon.translate("wałów")


def test_a_word_no_pair_explains_is_not_translated():
    lexicon = Lexicon.learn(PARALLEL)
    assert lexicon.translate("odlewnia") == []
    assert lexicon.translate("") == []


def test_nothing_to_learn_from_gives_an_empty_lexicon():
    empty = Lexicon.learn([("", "Welding"), ("Spawanie", ""), ("i w z", "of the and")])
    assert len(empty) == 0 and empty.translate("welding") == []


def test_translations_are_terms_of_the_bm25_analyser():
    lexicon = Lexicon.learn(PARALLEL)
    for word in lexicon.translate("fatigue bushings welding"):
        assert word == word.lower() and word.isascii()


def test_an_english_need_finds_a_polish_only_text_through_the_lexicon():
    lexicon = Lexicon.learn(PARALLEL)
    index = Bm25Index()
    index.add("pl-only", terms("Prognozowanie trwałości zmęczeniowej wahaczy i belek osi"))
    index.add("other", terms("Lakierowanie proszkowe obudów"))
    query = "fatigue of axle beams"
    assert index.search(terms(query), 5)[0] == []
    found, _ = index.search(terms(query) + lexicon.translate(query), 5)
    assert [key for key, _ in found] == ["pl-only"]


def test_learning_is_deterministic():
    assert Lexicon.learn(PARALLEL) == Lexicon.learn(list(PARALLEL))
