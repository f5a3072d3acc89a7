"""Demo descriptions read true: what a firm makes, who buys it and how the text closes all
come from one record (the product's markets), in Polish and in English alike."""

from __future__ import annotations

import re

import pytest

from upland.demo.activities import ACTIVITIES
from upland.demo.markets import (
    BUS,
    CUSTOMERS,
    EV,
    EXTRAS,
    PRODUCT_MARKETS,
    customers_for,
    extras_for,
)
from upland.demo.world import build_world
from upland.organisations.vocab import SizeClass, SupplyTier

ALL_CUSTOMERS = [c for groups in CUSTOMERS.values() for c in groups]
EV_EXTRA = next(e for e in EXTRAS if e.markets)
FAMILY = next(e for e in EXTRAS if "family" in e.en)


def test_every_product_says_who_buys_it() -> None:
    for activity in ACTIVITIES:
        assert len(PRODUCT_MARKETS[activity.key]) == len(activity.products), activity.key
        for markets in PRODUCT_MARKETS[activity.key]:
            assert markets, activity.key
            for tier in activity.tiers:
                assert customers_for(tier, markets), (activity.key, tier)
            for size in SizeClass:
                assert extras_for(markets, size), (activity.key, size)


def test_a_farm_machine_is_never_sold_to_bus_makers() -> None:
    farm = PRODUCT_MARKETS["agri"][2]  # farm trailers and feed mixer wagons
    for tier in (SupplyTier.OEM, SupplyTier.TIER1):
        named = {c.en for c in customers_for(tier, farm)}
        assert "bus and electric-vehicle makers across Europe" not in named
        assert "agricultural machinery makers" in named or tier == SupplyTier.OEM
    assert EV_EXTRA not in extras_for(farm, SizeClass.MEDIUM)
    assert FAMILY not in extras_for(farm, SizeClass.LARGE)


def _product(text: str, activity_products: list[tuple[str, str, frozenset[str]]]):
    found = [p for p in activity_products if p[1] in text]
    assert len(found) == 1, text
    return found[0]


@pytest.mark.parametrize("seed", [2018, 7, 19032018])
def test_generated_descriptions_agree_with_their_product(seed: int) -> None:
    products = [
        (pl, en, PRODUCT_MARKETS[a.key][i])
        for a in ACTIVITIES
        for i, (pl, en) in enumerate(a.products)
    ]
    companies = [o for o in build_world(seed).organisations if o.kind == "company"]
    assert len(companies) > 100
    for org in companies:
        pl, _en, markets = _product(org.description_en, products)
        assert pl in org.description_pl, org.legal_name  # the same product in both languages
        named = [c for c in ALL_CUSTOMERS if f" for {c.en}." in org.description_en]
        assert len(named) == 1, org.description_en
        assert named[0].markets <= markets, org.description_en
        assert f" dla {named[0].pl}." in org.description_pl, org.description_pl
        if EV_EXTRA.en in org.description_en:
            assert markets & {EV, BUS}, org.description_en
        if FAMILY.en.split("{")[0] in org.description_en:
            assert org.employees is not None and org.employees < 50, org.description_en
        if org.pkd_codes[0].code == "28.30.Z":  # agricultural machinery makers
            assert not re.search(r"\b(bus|buses|electric|rail)\b", org.description_en)
