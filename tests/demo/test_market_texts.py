"""The marketplace's demo texts read true: every one different, Polish with its diacritics and
no English left in it, English where the owner writes English; codes from the shipped
vocabularies; each opportunity follows what its owner really does; technology offers carry
TRL and a plausible Polish patent number."""

from __future__ import annotations

import re
from collections import Counter

from upland.demo.activities import ACTIVITIES
from upland.demo.opportunities import MarketWorld
from upland.demo.opportunities.capacity_tables import CAPACITY_PROCESSES
from upland.demo.opportunities.common import plural_pl
from upland.demo.opportunities.firms import vocabulary
from upland.demo.opportunities.specs import TECHNOLOGY_KINDS, Decision, IpStatus, Kind
from upland.demo.opportunities.trade_tables import NEEDS
from upland.demo.world import World
from upland.organisations.vocab import OrganisationKind
from upland.reference.pkd_files import load_shipped

POLISH = re.compile("[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")
ENGLISH_WORDS = re.compile(r"\b(the|and|with|of|for|our|are|from|per)\b")  # not "to", "we"
POLISH_WORDS = re.compile(r"\b(się|oraz|jest|dla|przez|który|które|oferujemy|szukamy)\b")


def _polish_texts(market: MarketWorld) -> list[str]:
    texts = []
    for o in market.opportunities:
        texts += [o.title_pl, o.description_pl, o.advantages_pl, o.return_reason]
        if o.capacity:
            texts.append(o.capacity.machine_pl)
        if o.infrastructure:
            texts += [o.infrastructure.equipment_pl, o.infrastructure.conditions_pl]
    texts += [i.message_pl for i in market.interests]
    texts += [o.abandon_reason_pl for o in market.outcomes]
    texts += [b.purpose_pl for b in market.bookings]
    return [t for t in texts if t]


def _english_texts(market: MarketWorld) -> list[str]:
    texts = []
    for o in market.opportunities:
        texts += [o.title_en, o.description_en, o.advantages_en]
    texts += [i.message_en for i in market.interests]
    texts += [o.abandon_reason_en for o in market.outcomes]
    texts += [b.purpose_en for b in market.bookings]
    return [t for t in texts if t]


def test_no_two_descriptions_are_the_same(market: MarketWorld) -> None:
    for field in ("description_pl", "description_en"):
        texts = [getattr(o, field) for o in market.opportunities if getattr(o, field)]
        duplicates = [t for t, n in Counter(texts).items() if n > 1]
        assert not duplicates, duplicates[:1]
    titles = Counter(o.title_pl for o in market.opportunities)
    assert len(titles) > 0.8 * len(market.opportunities)


def test_polish_texts_are_polish(market: MarketWorld) -> None:
    for opp in market.opportunities:
        assert POLISH.search(opp.description_pl), opp.key
    for text in _polish_texts(market):
        match = ENGLISH_WORDS.search(text)
        assert match is None, (match.group(0), text)


def test_english_texts_are_english(market: MarketWorld) -> None:
    for text in _english_texts(market):
        match = POLISH_WORDS.search(text)
        assert match is None, (match.group(0), text)
        assert "{" not in text and "}" not in text, text
    for text in _polish_texts(market):
        assert "{" not in text and "}" not in text, text


def test_both_languages_where_flagged_and_some_only_in_polish(
    demo_world: World, market: MarketWorld
) -> None:
    languages = Counter(o.languages for o in market.opportunities)
    assert set(languages) == {("pl",), ("pl", "en")}
    assert languages["pl", "en"] > languages["pl",] > 0
    for opp in market.opportunities:
        english = "en" in opp.languages
        assert opp.title_pl and opp.description_pl
        assert bool(opp.title_en) == english and bool(opp.description_en) == english, opp.key
        assert bool(opp.advantages_en) == (english and bool(opp.advantages_pl)), opp.key
        if not english:  # only small firms write in Polish alone
            org = demo_world.organisation(opp.owner)
            assert org.kind == OrganisationKind.COMPANY and (org.employees or 0) < 50


def test_codes_come_from_the_shipped_vocabularies(market: MarketWorld) -> None:
    pkd = {e.code for e in load_shipped(2025)}
    kinds = {slug: kind for slug, (kind, _, _) in vocabulary().items()}
    for opp in market.opportunities:
        assert opp.pkd_codes and set(opp.pkd_codes) <= pkd, opp.key
        for slug in opp.capabilities:
            assert kinds[slug] != "certification", (opp.key, slug)
        for slug in opp.certifications:
            assert kinds[slug] == "certification", (opp.key, slug)
        if opp.capacity:
            assert kinds[opp.capacity.process] == "process"
        if opp.infrastructure:
            assert kinds[opp.infrastructure.term] in ("infrastructure", "equipment")


def test_technology_fields_and_patent_numbers(market: MarketWorld) -> None:
    offers = [o for o in market.opportunities if o.kind == Kind.TECHNOLOGY_OFFER]
    assert {o.ip_status for o in offers} == set(IpStatus)
    for opp in market.opportunities:
        if opp.kind not in TECHNOLOGY_KINDS:
            assert opp.trl is None and opp.ip_status is None and opp.patent_number is None
            continue
        assert opp.trl is not None and 1 <= opp.trl <= 9, opp.key
        if opp.kind != Kind.TECHNOLOGY_OFFER:
            continue
        assert opp.advantages_pl, opp.key
        number = opp.patent_number
        if opp.ip_status == IpStatus.PATENT_PENDING:
            assert number and re.fullmatch(r"P\.4\d{5}", number), number
        elif opp.ip_status == IpStatus.KNOW_HOW:
            assert number is None
        else:
            assert number and re.fullmatch(r"PL 2\d{5} B1", number), number
        if number:
            assert number in opp.description_pl


def test_typed_fields_belong_to_their_kind(market: MarketWorld) -> None:
    for opp in market.opportunities:
        assert (opp.capacity is not None) == (opp.kind == Kind.CAPACITY_OFFER), opp.key
        assert (opp.infrastructure is not None) == (opp.kind == Kind.INFRASTRUCTURE_OFFER)
        assert opp.partnership_types, opp.key
        if opp.capacity:
            assert 0 < opp.capacity.hours_per_week <= 60
            assert opp.capacity.available_from < opp.capacity.available_to
            assert opp.capacity.available_to == opp.expires_on
            assert f"{opp.capacity.hours_per_week} h" in opp.description_pl


def test_texts_follow_the_owners_activity(demo_world: World, market: MarketWorld) -> None:
    """A foundry offers castings and is asked for them; a plough maker asks, never offers."""
    product_of = {}
    for org in demo_world.organisations:
        for activity in ACTIVITIES:
            for pl, _ in activity.products:
                if (org.description_pl or "").startswith(f"{org.short_name} {pl}."):
                    product_of[org.legal_name] = (activity.key, pl)
    needs = {need.title[0].split(":")[0]: need for need in NEEDS}
    answered = 0
    for opp in market.opportunities:
        if opp.kind in (Kind.BUSINESS_OFFER, Kind.BUSINESS_REQUEST, Kind.CAPACITY_OFFER):
            key, product = product_of[opp.owner]
            if opp.kind == Kind.BUSINESS_OFFER:
                assert product in opp.description_pl, opp.key
            if opp.capacity is not None:
                assert opp.capacity.process in CAPACITY_PROCESSES[key], opp.key
            if opp.kind == Kind.BUSINESS_REQUEST:
                need = needs[opp.title_pl.split(":")[0]]
                assert key in need.buyers, (opp.key, key, need.key)
                for interest in market.interests:
                    if interest.opportunity == opp.key:
                        assert product_of[interest.organisation][0] in need.suppliers
                        answered += 1
        if opp.anonymous:
            org = demo_world.organisation(opp.owner)
            for text in (opp.title_pl, opp.description_pl, opp.title_en, opp.description_en):
                assert org.short_name not in text and opp.owner not in text, opp.key
    assert answered > 20


def test_firms_pass_on_science_offers_with_a_reason(market: MarketWorld) -> None:
    passes = [i for i in market.interests if i.decision == Decision.PASSED]
    assert passes and all(i.pass_reason is not None for i in passes)
    assert all(i.decision == Decision.PASSED for i in market.interests if i.pass_reason)


def test_polish_counts_take_their_plural() -> None:
    cases = {2: "2 tygodnie", 4: "4 tygodnie", 5: "5 tygodni", 12: "12 tygodni", 22: "22 tygodnie"}
    for count, expected in cases.items():
        assert plural_pl(count, "tygodnie", "tygodni") == expected
