"""The search analyser: one token set for every inflected form, English stems, joined names,
and Polish data shipped in the installed packages (nothing fetched at run time)."""

from __future__ import annotations

from importlib import resources

import pytest

from upland.textkit.analysis import (
    compact,
    index_tokens,
    lemma_overrides,
    name_tokens,
    query_words,
    word_tokens,
)


def _shared(*words: str) -> set[str]:
    sets = [set(word_tokens(w)) for w in words]
    return set.intersection(*sets)


@pytest.mark.parametrize(
    "forms",
    [
        ("spawanie", "spawania", "spawaniem", "spawaniu"),
        ("obróbka", "obróbki", "obróbką", "obróbce"),
        ("maszyna", "maszyny", "maszyn", "maszynach"),
        ("lublin", "lublinie"),
        ("radom", "radomiu"),
        ("starachowice", "starachowicach"),
        ("welding", "welded", "welds"),
    ],
)
def test_inflected_forms_share_a_token(forms):
    assert _shared(*forms), forms


def test_tokens_are_folded_words_the_index_can_hold():
    for token in index_tokens(["Łożyska ŚWIDNIK – spawalnictwo, ISO 9001!"]).split():
        assert token.isascii() and token.isalnum() and token == token.lower()


def test_names_are_also_indexed_joined():
    assert "rolmech" in name_tokens(["Rol-Mech Lublin"]).split()
    assert compact("Rol-Mech") == compact("rol mech") == "rolmech"


def test_a_query_word_keeps_its_surface_form_as_a_prefix():
    (word,) = query_words("Spawania")
    assert word.prefix == "spawania"
    assert set(word.exact) & set(word_tokens("spawanie"))


def test_queries_are_cut_at_eight_words():
    assert len(query_words(" ".join(["stal"] * 20))) == 8


def test_overrides_and_dictionaries_ship_with_the_packages():
    assert lemma_overrides()["lublinie"] == "lublin"
    data = resources.files("simplemma") / "strategies" / "dictionaries" / "data"
    assert (data / "pl.plzma").is_file()


def test_warm_up_loads_the_frugal_polish_dictionary_once():
    from simplemma.strategies.dictionaries import LOW_MEMORY_DICTIONARY_FACTORY

    from upland.textkit.analysis import warm_up

    warm_up()
    loaded = LOW_MEMORY_DICTIONARY_FACTORY.get_dictionary("pl")
    assert loaded.get("spawania") == "spawanie"
    warm_up()
    assert LOW_MEMORY_DICTIONARY_FACTORY.get_dictionary("pl") is loaded
