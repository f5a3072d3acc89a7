"""Every reason scoring gives reads as a sentence in Polish and English, with names, not codes."""

from __future__ import annotations

import pytest

from upland.i18n import Texts
from upland.matching.explanations import _SENTENCES, Names, explain, sentence
from upland.matching.scoring import Need, Reason, Side, Weights, score

NAMES = Names(
    terms={
        "iatf-16949": Texts({"pl": "IATF 16949", "en": "IATF 16949"}),
        "casting-aluminium": Texts({"pl": "Odlewanie aluminium", "en": "Aluminium casting"}),
    },
    cities={"1463011": "Radom"},
)
REASONS = [
    Reason("capabilities_shared", {"terms": ("casting-aluminium",)}),
    Reason("capabilities_asked", {"terms": ("casting-aluminium",)}),
    Reason("certifications_held", {"terms": ("iatf-16949",)}),
    Reason("certifications_taught", {"terms": ("iatf-16949",)}),
    Reason("certification_missing", {"terms": ("iatf-16949",)}),
    Reason("certification_expired", {"terms": ("iatf-16949",)}),
    Reason("pkd_related", {"level": "group"}),
    Reason("complements", {"kind": "business_offer"}),
    Reason("kind_answers", {"kind": "research"}),
    Reason("same_side", {"kind": "business_request"}),
    Reason("kind_does_not_answer", {"kind": "local_government"}),
    Reason("trl_fits", {"trl": 7, "wanted": 5}),
    Reason("trl_low", {"trl": 3, "wanted": 6}),
    Reason("distance", {"km": 42}),
    Reason("distance", {"km": 12, "place": "Radom"}),
    Reason("too_far", {"km": 180, "limit": 100}),
    Reason("too_far", {"km": 180, "limit": 100, "place": "Radom"}),
    Reason("location_unknown"),
    Reason("ended"),
    Reason("cross_city", {"city": "1463011"}),
    Reason("science_business"),
    Reason("feedback_useful"),
    Reason("rejected"),
    Reason("opted_out"),
    Reason("matched_words", {"words": ("odlewy", "aluminium")}),
    Reason("offer_fits", {"title": Texts({"pl": "Wolne moce SMT", "en": "SMT capacity"})}),
    Reason("named"),
    Reason("owner_named"),
    Reason("request_fits", {"title": Texts({"pl": "Szukamy odlewni", "en": "Foundry wanted"})}),
]


def test_every_reason_code_has_a_case_here():
    assert {r.code for r in REASONS} == set(_SENTENCES)


@pytest.mark.parametrize("reason", REASONS, ids=lambda r: r.code)
def test_each_reason_reads_in_both_languages(reason):
    polish, english = (sentence(reason, NAMES).render(lang) for lang in ("pl", "en"))
    assert polish and english and polish != english
    for text in (polish, english):
        assert "{" not in text and "_" not in text  # no placeholder, no raw code left


def test_names_replace_slugs_in_the_reader_language():
    shared = sentence(REASONS[0], NAMES)
    assert "Odlewanie aluminium" in shared.render("pl")
    assert "Aluminium casting" in shared.render("en")
    assert "Radom" in sentence(Reason("cross_city", {"city": "1463011"}), NAMES).render("pl")


def test_an_explanation_splits_what_raised_and_what_lowered():
    asker = Side("opportunity", opportunity_kind="technology_request", org_kind="company")
    candidate = Side("organisation", org_kind="research", trl=3)
    scored = score(Need(asker=asker, min_trl=6), candidate, 0.7, Weights())
    explained = explain(scored, NAMES, extra=[Reason("matched_words", {"words": ("laser",)})])
    raised = [m.render("en") for m in explained.raised]
    assert raised[0] == "Matching words: laser"
    assert "Science and business together" in raised
    assert [m.render("en") for m in explained.lowered] == [
        "Technology readiness 3, below the 6 wanted"
    ]
    assert explained.excluded is None


def test_an_excluded_candidate_says_only_why():
    need = Need(asker=Side("organisation"), required_certifications=frozenset({"iatf-16949"}))
    explained = explain(score(need, Side("organisation"), 0.9, Weights()), NAMES)
    assert explained.excluded is not None and not explained.raised
    assert explained.excluded.render("pl") != explained.excluded.render("en")


def test_a_distance_says_from_which_place():
    """Found walking the find page: "0 km away" read as from the asker, who was in Lublin."""
    said = sentence(Reason("distance", {"km": 12, "place": "Radom"}), NAMES)
    assert (said.render("en"), said.render("pl")) == ("12 km from Radom", "12 km od: Radom")
