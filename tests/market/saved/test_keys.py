"""A saved search is filed under its most selective condition, and an opportunity that
satisfies a search lists the key that search is filed under (or the fan-out would miss it)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from upland.market.saved.keys import EVERYONE, key_of, keys_for, words_of


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"capability": "cnc-milling", "q": "frezowanie", "pkd": "25"}, "t:cnc-milling"),
        ({"certification": "iso-9001", "kind": "business_offer"}, "t:iso-9001"),
        (
            {"q": "frezowanie korpusów", "pkd": "25", "kind": "business_offer"},
            "q:frezowanie korpusów",
        ),
        ({"pkd": "25.62", "city_teryt": "0663011"}, "p:25.62"),
        ({"city_teryt": "0663011", "kind": "business_offer"}, "c:06"),
        ({"kind": "business_offer", "owner_kind": "company"}, "k:business_offer"),
        ({"owner_kind": "research", "trl_min": 4}, "o:research"),
        ({"trl_min": 4, "trl_max": 6}, EVERYONE),
        ({"q": "", "pkd": None, "trl_max": 6}, EVERYONE),
    ],
)
def test_the_most_selective_condition_files_a_search(fields, key):
    assert key_of(fields) == key


def test_the_words_of_a_key():
    assert words_of("q:frezowanie korpusów") == "frezowanie korpusów"
    assert words_of("p:25") is None


SLUG = st.sampled_from(["cnc-milling", "laser-cutting", "iso-9001", "welding"])
TERYT = st.sampled_from(["0663011", "1463011", "2611011", "0664011"])


@st.composite
def search_and_opportunity(draw):
    """A saved search, and the facts of an opportunity that satisfies every field of it."""
    fields = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "capability": SLUG,
                "certification": SLUG,
                "q": st.sampled_from(["frezowanie", "spawanie ram"]),
                "pkd": st.sampled_from(["C", "25", "25.6", "25.62"]),
                "city_teryt": TERYT,
                "kind": st.sampled_from(["business_offer", "capacity_offer"]),
                "owner_kind": st.sampled_from(["company", "research"]),
                "trl_min": st.integers(1, 9),
            },
        )
    )
    kind = fields.get("kind") or draw(st.sampled_from(["business_offer", "technology_request"]))
    slugs = {fields[f] for f in ("capability", "certification") if f in fields}
    slugs |= draw(st.sets(SLUG, max_size=2))
    pkd = {"C", "25", "25.6", "25.62"} if "pkd" in fields else draw(st.sets(st.just("C")))
    places = draw(st.sets(TERYT, max_size=2))
    if "city_teryt" in fields:  # the city itself, or its county or voivodeship
        places.add(fields["city_teryt"][: draw(st.sampled_from([2, 4, 7]))])
    owner_kind = fields.get("owner_kind") or draw(st.sampled_from([None, "company"]))
    words = [fields["q"]] if "q" in fields else []
    return fields, (kind, slugs, pkd, places, owner_kind, words)


@given(search_and_opportunity())
def test_an_opportunity_satisfying_a_search_has_its_key(case):
    fields, (kind, slugs, pkd, places, owner_kind, words) = case
    assert key_of(fields) in keys_for(kind, slugs, pkd, places, owner_kind, words)


def test_an_opportunity_of_another_kind_does_not_reach_a_search_filed_under_its_kind():
    keys = keys_for("capacity_offer", [], ["C"], ["0663011"], "company", [])
    assert key_of({"kind": "business_offer", "owner_kind": "company"}) not in keys
    assert key_of({"pkd": "26"}) not in keys
    assert key_of({"q": "frezowanie"}) not in keys
