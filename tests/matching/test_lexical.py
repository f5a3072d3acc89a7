"""BM25 over the shared analyser: inflection does not matter, updates are incremental."""

from __future__ import annotations

import pytest

from upland.matching.lexical import Bm25Index, matching_words, terms


@pytest.fixture
def index() -> Bm25Index:
    built = Bm25Index()
    built.add("machining", terms("Obróbka skrawaniem wałów i tulei stalowych"))
    built.add("welding", terms("Spawanie zrobotyzowane ram stalowych"))
    built.add("english", terms("Robotic welding of steel frames for trailers"))
    built.add("rubber", terms("Uszczelki i tuleje gumowo-metalowe"))
    return built


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("obróbka", "machining"),
        ("obróbki", "machining"),
        ("obróbką", "machining"),
        ("obrobki walow", "machining"),
        ("spawania ramy", "welding"),
        ("spawaniem", "welding"),
        ("welded frame", "english"),
        ("uszczelek", "rubber"),
    ],
)
def test_inflected_and_unaccented_forms_find_the_same_document(
    index: Bm25Index, query: str, first: str
) -> None:
    found, _ = index.search(terms(query), 3)
    assert found[0][0] == first


def test_stop_words_alone_have_no_terms_and_find_nothing(index: Bm25Index) -> None:
    assert terms("i w z na the of and") == []
    assert index.search(terms("i w z na the of and"), 5) == ([], 0.0)


def test_add_replaces_and_remove_forgets(index: Bm25Index) -> None:
    index.add("machining", terms("Lakierowanie proszkowe"))
    assert [k for k, _ in index.search(terms("obróbka"), 5)[0]] == []
    assert index.search(terms("lakierowania"), 5)[0][0][0] == "machining"
    index.remove("machining")
    assert "machining" not in index
    assert len(index) == 3
    assert index.search(terms("lakierowanie"), 5)[0] == []


def test_rarer_terms_weigh_more_and_ceiling_bounds_every_score(index: Bm25Index) -> None:
    assert index.idf("uszczelka") > index.idf("stalowy")
    found, ceiling = index.search(terms("tuleje gumowo-metalowe uszczelki"), 5)
    assert found[0][0] == "rubber"
    assert all(0 < score <= ceiling for _, score in found)


def test_an_empty_index_answers_nothing() -> None:
    assert Bm25Index().search(terms("spawanie"), 5) == ([], 0.0)


def test_prepared_arrays_answer_as_lazy_ones_and_follow_later_edits(index: Bm25Index) -> None:
    lazy = index.search(terms("stalowych ram tulei"), 5)
    index.prepare()
    assert index.search(terms("stalowych ram tulei"), 5) == lazy
    index.add("frames", terms("Ramy stalowe"))
    assert "frames" in [k for k, _ in index.search(terms("ramy"), 5)[0]]


def test_matching_words_name_the_texts_own_words_once_per_meaning():
    from upland.matching.lexical import matching_words

    text = "Odlewnia aluminium. Odlewy ciśnieniowe, odlewanie; Castings and casting of aluminium."
    query = [*terms("odlewy z aluminium"), "cast"]
    assert matching_words(text, query) == ["Odlewnia", "aluminium", "Castings"]
    assert matching_words(text, terms("frezowanie CNC")) == []
    assert matching_words(text, query, most=1) == ["Odlewnia"]


def test_question_words_and_single_letters_are_no_matching_words():
    """Found by a user walk: "what does Techno-Wał offer" listed R&D requests for "does",
    and explanations named "r", "an", "about", "co" as matching words."""
    asked = terms("what does the firm have about B+R projects, co oferuje?")
    text = "Firma does have a B+R project about co-operation; what it offers"
    shown = matching_words(text, asked)
    assert not {"does", "have", "about", "what", "B", "R", "co", "a"} & set(shown)
    assert "project" in shown and "Firma" in shown
