"""PKD suggestions a firm can trust (issue 8, §6): guesses are marked as such, every activity of a
description is covered, the process outweighs the material, each suggestion says which words
matched where, and a too-short text gets advice.

The descriptions are written for these tests from the way cluster firms describe themselves;
none is taken from the hint table or from the evaluation set (`upland eval pkd` measures the
ranking; these check behaviour, with the suggester as served: real model, shipped catalogue and
hints).
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests.browsing import caller_for

from upland.reference.pkd_explain import highlight, matched_terms
from upland.reference.pkd_files import load_shipped
from upland.reference.pkd_suggest import CONFIDENT_SCORE, PkdSuggester
from upland.reference.pkd_wording import ACTIVITY_WEIGHT, WordingIndex, weighted_stems
from upland.textkit.embedding import get_embedder


@pytest.fixture(scope="module")
def suggester() -> PkdSuggester:
    return PkdSuggester(load_shipped(2025), get_embedder())


def _codes(suggestions: Any) -> list[str]:
    return [s.code for s in suggestions]


# --- low confidence -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "rozrzutniki obornika",  # the example: nothing in the catalogue says manure
        "kompleksowe rozwiązania dla wymagających klientów",  # a slogan, no activity
    ],
)
def test_no_confident_match_is_said_and_the_guesses_still_listed(suggester, text):
    analysis = suggester.analyse(text)
    assert not analysis.confident
    assert analysis.suggestions, "the guesses are still shown"
    assert not any(s.confident for s in analysis.suggestions)
    assert all(s.score < CONFIDENT_SCORE for s in analysis.suggestions)
    assert "pkd.no_confident_match" in [code for code, _ in analysis.notices()]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Spawamy konstrukcje stalowe hal i wiat", "25.11.Z"),
        ("Malowanie proszkowe i cynkowanie elementów stalowych", "25.51.Z"),
        ("Welding of steel frames for trailers", "25.11.Z"),
    ],
)
def test_a_clear_description_is_a_confident_match(suggester, text, code):
    analysis = suggester.analyse(text)
    assert analysis.confident and analysis.suggestions[0].code == code
    assert "pkd.no_confident_match" not in [c for c, _ in analysis.notices()]


# --- every activity ---------------------------------------------------------------------------


def test_each_activity_is_ranked_and_an_unmatched_one_is_named(suggester):
    analysis = suggester.analyse("Produkujemy przyczepy rolnicze i rozrzutniki obornika")
    assert [a.text for a in analysis.activities] == [
        "Produkujemy przyczepy rolnicze",
        "rozrzutniki obornika",
    ]
    trailers, spreaders = analysis.activities
    assert trailers.confident and not spreaders.confident
    assert not any(s.confident for s in spreaders.suggestions)
    assert all(s.matched_text == "rozrzutniki obornika" for s in spreaders.suggestions)
    unmatched = [m.english() for c, m in analysis.notices() if c == "pkd.activity_unmatched"]
    assert unmatched == [
        "no confident match for “rozrzutniki obornika”: try describing what you make or do there"
    ]


def test_every_activity_gets_into_the_list_with_the_part_it_came_from(suggester):
    text = "Naprawiamy skrzynie biegów i spawamy ramy"
    analysis = suggester.analyse(text)
    by_code = {s.code: s for s in analysis.suggestions}
    for activity in analysis.activities:
        best = activity.suggestions[0]
        assert best.code in by_code, activity.text
    assert by_code["25.11.Z"].matched_text == "spawamy ramy"  # welding, from its own part


def test_a_short_list_keeps_the_ranking_of_the_whole(suggester):
    text = "Toczymy wałki ze stali i lakierujemy proszkowo obudowy maszyn"
    whole = suggester.analyse(text, limit=10).suggestions
    assert _codes(suggester.analyse(text, limit=3).suggestions) == _codes(whole)[:3]


# --- the process outweighs the material -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "CNC machining of aluminium housings",
        "Obróbka skrawaniem odlewów aluminiowych",
        "Frezowanie CNC korpusów z aluminium",
    ],
)
def test_machining_outranks_making_the_metal(suggester, text):
    ranked = _codes(suggester.suggest(text, limit=10))
    assert ranked[0] == "25.53.Z"
    assert ranked.index("25.53.Z") < ranked.index("24.42.A")


def test_process_words_weigh_more_than_materials_in_the_wording_score():
    assert weighted_stems("frezowanie aluminium") == [("frezow", ACTIVITY_WEIGHT), ("alumin", 1.0)]
    assert weighted_stems("machining of aluminium housings") == [
        ("machin", ACTIVITY_WEIGHT),
        ("alumin", 1.0),
        ("hous", 1.0),
    ]
    # Finite verbs are met as their verbal nouns, but only introduce the activity.
    assert weighted_stems("frezujemy") == [("frezow", 1.0)]
    index = WordingIndex([{"frezow": 1.0}, {"alumin": 1.0}])
    process, material = index.scores("frezowanie aluminium")
    assert process == pytest.approx(ACTIVITY_WEIGHT / (ACTIVITY_WEIGHT + 1))
    assert material == pytest.approx(1 / (ACTIVITY_WEIGHT + 1))


# --- explanations ---------------------------------------------------------------------------


def test_each_suggestion_says_which_words_matched_and_where(suggester):
    top = suggester.suggest("Spawamy konstrukcje stalowe hal i wiat", limit=1)[0]
    assert top.code == "25.11.Z"
    found = {t.word: t.source for t in top.matched_terms}
    assert found["konstrukcje"] == "name"  # "Produkcja konstrukcji metalowych"
    assert found["Spawamy"] == "hint"  # "spawanie" is a keyword hint of 25.11.Z
    assert all(top.matched_text[t.start : t.end] == t.word for t in top.matched_terms)


def test_highlight_cuts_the_text_at_the_matched_words():
    sources = {"spawan": "hint", "konstr": "name"}
    terms = matched_terms("Spawanie konstrukcji, też nocą", sources)  # type: ignore[arg-type]
    assert highlight("Spawanie konstrukcji, też nocą", terms) == [
        ("Spawanie", "hint"),
        (" ", None),
        ("konstrukcji", "name"),
        (", też nocą", None),
    ]


# --- too short ------------------------------------------------------------------------------


def test_a_too_short_text_gets_advice_and_still_suggestions(suggester):
    analysis = suggester.analyse("spawanie")
    assert analysis.too_short and analysis.suggestions
    assert next(c for c, _ in analysis.notices()) == "pkd.description_short"
    assert not suggester.analyse("spawanie ram przyczep").too_short


# --- the page and the API -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "pl",
            [
                "brak pewnego dopasowania dla „rozrzutniki obornika”",
                "niepewne",
                "w nazwie kodu",
                "Najbliższe znaczeniowo:",
            ],
        ),
        (
            "en",
            [
                "no confident match for “rozrzutniki obornika”",
                "low confidence",
                "in the code",
                "Closest in meaning:",
            ],
        ),
    ],
)
def test_the_page_marks_guesses_and_explains(session: Session, client: Any, lang, words):
    caller = caller_for(session, client, None)
    text = "Produkujemy przyczepy rolnicze i rozrzutniki obornika"
    page = caller.send("POST", f"/pkd/suggest?lang={lang}", {"text": text})
    assert page.status_code == 200
    for word in words:
        assert word in page.text
    assert ("<h3>„rozrzutniki" if lang == "pl" else "<h3>“rozrzutniki") in page.text
    assert '<mark class="pkd-name"' in page.text
    again = client.get(f"/pkd/suggest?lang={lang}&text=spawanie")
    assert again.status_code == 200
    assert 'data-notice="pkd.description_short"' in again.text


def test_the_api_answers_notices_activities_and_explanations(session: Session, client: Any):
    caller = caller_for(session, client, None)
    body = {"text": "Produkujemy przyczepy rolnicze i rozrzutniki obornika", "limit": 5}
    answer = caller.send("POST", "/api/v1/pkd/suggestions", body)
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert data["confident"] is True and data["too_short"] is False
    assert [n["code"] for n in data["notices"]] == ["pkd.activity_unmatched"]
    assert [a["confident"] for a in data["activities"]] == [True, False]
    first = data["suggestions"][0]
    assert first["confident"] is True
    assert {"word": "przyczepy", "source": "name"} in first["matched_terms"]
    assert first["closest_phrase"]  # the app's suggester runs with E5
    plain = caller.send("POST", "/api/v1/pkd/suggest", {"text": "rozrzutniki obornika"})
    assert plain.status_code == 200
    assert not any(s["confident"] for s in plain.json())
