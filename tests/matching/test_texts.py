"""The one text an item is matched on (pure): every field that says what it does, in both
languages, and the languages of its own words."""

from __future__ import annotations

from upland.market.queries import OpportunityTexts
from upland.matching.texts import in_pool, item_text, query_text
from upland.organisations.queries import ProfileTexts


def profile(**changes: object) -> ProfileTexts:
    values: dict[str, object] = {
        "id": 7,
        "kind": "company",
        "legal_name": "Odlewnia Testowa sp. z o.o.",
        "short_name": "Odlewnia Testowa",
        "description_pl": "Odlewy z żeliwa szarego.",
        "description_en": "",
        "capabilities": (("Odlewanie ciśnieniowe", "Die casting"),),
        "labels": ("piece do 2 t",),
        "activities": (("Odlewnictwo żeliwa", "Casting of iron"),),
    }
    return ProfileTexts(**(values | changes))  # type: ignore[arg-type]


def opportunity(status: str = "published", **changes: object) -> OpportunityTexts:
    values: dict[str, object] = {
        "id": 3,
        "owner_id": 7,
        "kind": "business_request",
        "status": status,
        "title_pl": "Szukamy odlewni",
        "title_en": "",
        "description_pl": "Korpusy pomp z żeliwa.",
        "description_en": "",
        "kind_names": ("zapytanie", "business request"),
        "capabilities": (("Odlewanie", "Casting"),),
        "extra": (),
    }
    return OpportunityTexts(**(values | changes))  # type: ignore[arg-type]


def test_an_organisation_carries_its_capabilities_in_both_languages() -> None:
    text = item_text(profile())
    assert text.kind == "organisation" and text.id == 7
    for words in ("Odlewnia Testowa", "żeliwa szarego", "Die casting", "piece do 2 t"):
        assert words in text.text
    assert "Casting of iron" in text.text
    assert text.languages == "pl"
    assert item_text(profile(description_en="Grey iron castings.")).languages == "pl+en"


def test_the_hash_follows_the_text() -> None:
    assert item_text(profile()).text_hash == item_text(profile()).text_hash
    assert item_text(profile()).text_hash != item_text(profile(labels=())).text_hash


def test_an_opportunity_and_its_pool() -> None:
    text = item_text(opportunity())
    assert text.kind == "opportunity"
    assert "Szukamy odlewni" in text.text and "business request" in text.text
    assert text.languages == "pl"
    assert item_text(opportunity(title_en="Foundry wanted")).languages == "pl+en"
    assert in_pool(opportunity("expired")) and in_pool(opportunity("withdrawn"))
    assert not in_pool(opportunity("draft")) and not in_pool(opportunity("submitted"))
    assert in_pool(profile())


def test_an_item_asks_with_its_key_phrases_not_its_kind_or_descriptions() -> None:
    asked = query_text(opportunity(title_en="Foundry wanted", extra=("korpusy do 40 kg",)))
    for words in ("Szukamy odlewni", "Foundry wanted", "Odlewanie / Casting", "korpusy do 40 kg"):
        assert words in asked
    for words in ("Korpusy pomp", "zapytanie", "business request"):
        assert words not in asked
    organisation = query_text(profile())
    for words in ("Die casting", "piece do 2 t", "Casting of iron"):
        assert words in organisation
    assert "Odlewnia Testowa" not in organisation and "szarego" not in organisation
