"""The structured stage of matching: exclusions, each feature, and the explanation it gives."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from upland.matching.scoring import (
    FEATURES,
    Need,
    Reason,
    Side,
    Weights,
    complements,
    distance_km,
    pkd_relation,
    score,
    side_complements,
    speaks_for_owner,
)

LUBLIN = (51.2465, 22.5684)
RADOM = (51.4027, 21.1471)
STARACHOWICE = (51.0374, 21.0712)

BUYER = Side("organisation", org_kind="company", partner_city="0663011", location=LUBLIN)
FOUNDRY = Side(
    "organisation",
    org_kind="company",
    capabilities=frozenset({"casting-aluminium", "machining-cnc"}),
    certifications=frozenset({"iatf-16949"}),
    expired_certifications=frozenset({"iso-14001"}),
    pkd=frozenset({"24.53.Z"}),
    partner_city="1463011",
    location=RADOM,
)
LAB = Side("organisation", org_kind="research", partner_city="0663011", location=LUBLIN)
TECH_REQUEST = Side("opportunity", org_kind="company", opportunity_kind="technology_request")


def need(**kw) -> Need:
    return Need(asker=kw.pop("asker", BUYER), **kw)


@pytest.mark.parametrize(
    ("wanted", "candidate", "reason"),
    [
        (need(required_certifications=frozenset({"iso-9001"})), FOUNDRY, "certification_missing"),
        (need(required_certifications=frozenset({"iso-14001"})), FOUNDRY, "certification_expired"),
        (need(places=(LUBLIN,), max_km=100), FOUNDRY, "too_far"),  # Radom is ~100 km+ away
        (need(), Side("organisation", opted_out=True), "opted_out"),
    ],
    ids=["missing certificate", "expired certificate", "beyond the distance", "opted out"],
)
def test_hard_constraints_exclude_with_a_reason(wanted, candidate, reason):
    scored = score(wanted, candidate, text=0.9, weights=Weights())
    assert scored.excluded is not None and scored.excluded.code == reason
    assert scored.total == -math.inf and not scored.raised and not scored.lowered
    # how well it was worded is kept, for "left out by what you require"
    assert [(c.feature, c.value) for c in scored.contributions] == [("text", 0.9)]


def test_rejected_feedback_excludes_and_useful_feedback_raises():
    assert score(need(), FOUNDRY, 0.5, Weights(), feedback=-1.0).excluded == Reason("rejected")
    plain = score(need(), FOUNDRY, 0.5, Weights())
    liked = score(need(), FOUNDRY, 0.5, Weights(), feedback=0.5)
    assert liked.total > plain.total
    assert [c.feature for c in liked.raised if c.feature == "feedback"] == ["feedback"]
    # ... as much as the words fit: not in a search its text has nothing to do with
    unrelated = score(need(), FOUNDRY, 0.0, Weights(), feedback=0.5)
    assert unrelated.total == score(need(), FOUNDRY, 0.0, Weights()).total
    (part,) = [c for c in liked.contributions if c.feature == "feedback"]
    assert part.value == pytest.approx(0.25)


def test_of_several_places_asked_the_nearest_counts():
    """ "do 100 km od Lublina lub Radomia": a Radom firm is near enough, as near as if Radom
    alone had been asked."""
    either = need(places=(LUBLIN, RADOM), max_km=100)
    assert score(either, FOUNDRY, 0.5, Weights()).excluded is None
    assert score(need(places=(LUBLIN,), max_km=100), FOUNDRY, 0.5, Weights()).excluded
    distance = {
        c.feature: c.value
        for c in score(either, FOUNDRY, 0.5, Weights()).contributions
        if c.feature == "distance"
    }
    alone = score(need(places=(RADOM,), max_km=100), FOUNDRY, 0.5, Weights())
    assert distance == {c.feature: c.value for c in alone.contributions if c.feature == "distance"}


def test_a_held_certificate_and_a_near_enough_candidate_pass():
    wanted = need(required_certifications=frozenset({"iatf-16949"}), places=(RADOM,), max_km=60)
    scored = score(wanted, FOUNDRY, 0.5, Weights())
    assert scored.excluded is None
    codes = {c.reason.code for c in scored.raised if c.reason}
    assert {"certifications_held", "distance", "cross_city"} <= codes


@pytest.mark.parametrize(
    ("left", "right", "value"),
    [
        ({"25.62.Z"}, {"25.62.Z"}, 1.0),
        ({"25.62.Z"}, {"25.62.A"}, 0.75),
        ({"25.62.Z"}, {"25.61.Z"}, 0.5),
        ({"25.62.Z"}, {"25.11.Z"}, 0.25),
        ({"25.62.Z"}, {"28.30.Z"}, 0.0),
        ({"28.30.Z", "25.62.Z"}, {"25.61.Z"}, 0.5),
        (set(), {"25.61.Z"}, 0.0),
    ],
)
def test_pkd_relation_is_the_closest_level_of_the_best_pair(left, right, value):
    assert pkd_relation(frozenset(left), frozenset(right)) == value


@pytest.mark.parametrize(
    ("asker_kind", "candidate", "value"),
    [
        ("business_request", Side("opportunity", opportunity_kind="business_offer"), 1.0),
        ("business_request", Side("opportunity", opportunity_kind="capacity_offer"), 1.0),
        ("business_request", Side("opportunity", opportunity_kind="business_request"), -1.0),
        ("business_offer", Side("opportunity", opportunity_kind="capacity_offer"), -1.0),
        # two requests of different kinds are still both asking
        ("technology_request", Side("opportunity", opportunity_kind="rnd_request"), -1.0),
        ("rnd_request", Side("opportunity", opportunity_kind="business_request"), -1.0),
        ("capacity_offer", Side("opportunity", opportunity_kind="business_request"), 1.0),
        ("technology_request", Side("opportunity", opportunity_kind="technology_offer"), 1.0),
        ("rnd_request", Side("opportunity", opportunity_kind="infrastructure_offer"), 1.0),
        ("rnd_request", Side("organisation", org_kind="research"), 1.0),
        ("rnd_request", Side("organisation", org_kind="company"), 0.0),
        ("rnd_request", Side("organisation"), None),  # an owner the reader may not know
        # a research organisation's own R&D request seeks firms, not other laboratories
        (("rnd_request", "research"), Side("organisation", org_kind="company"), 1.0),
        (("technology_request", "research"), Side("organisation", org_kind="research"), 0.0),
        # ... and a firm's technology request may be its partner, not a rival request
        (
            ("rnd_request", "research"),
            Side("opportunity", org_kind="company", opportunity_kind="technology_request"),
            0.0,
        ),
        (
            ("rnd_request", "research"),
            Side("opportunity", org_kind="research", opportunity_kind="rnd_request"),
            -1.0,
        ),
        # a request is answered by the organisations that can do it, an offer says nothing
        ("business_request", Side("organisation", org_kind="company"), 1.0),
        ("business_request", Side("organisation", org_kind="research"), 0.0),
        ("technology_request", Side("organisation", org_kind="company"), 0.0),
        ("business_offer", Side("organisation", org_kind="company"), None),
        ("capacity_offer", Side("organisation", org_kind="research"), None),
        ("business_request", Side("organisation"), None),
        (None, Side("opportunity", opportunity_kind="business_offer"), None),
        ("training_offer", Side("opportunity", opportunity_kind="business_request"), 0.0),
    ],
)
def test_kinds_complement(asker_kind, candidate, value):
    asker_kind, owner = asker_kind if isinstance(asker_kind, tuple) else (asker_kind, None)
    asker = Side("opportunity", org_kind=owner, opportunity_kind=asker_kind)
    assert complements(asker, candidate) == value


def test_distance_is_great_circle_kilometres():
    assert distance_km(LUBLIN, LUBLIN) == 0
    assert 95 < distance_km(LUBLIN, RADOM) < 105
    assert 35 < distance_km(RADOM, STARACHOWICE) < 45


@pytest.mark.parametrize(
    ("asker", "candidate", "feature", "value"),
    [
        (BUYER, FOUNDRY, "cross_city", 1.0),
        (BUYER, LAB, "cross_city", 0.0),
        (BUYER, LAB, "science_business", 1.0),
        (BUYER, FOUNDRY, "science_business", 0.0),
        (LAB, FOUNDRY, "science_business", 1.0),
        (BUYER, Side("opportunity"), "science_business", None),  # anonymous: nothing inferred
        (BUYER, Side("opportunity"), "cross_city", None),
    ],
)
def test_letter_preferences(asker, candidate, feature, value):
    scored = score(Need(asker=asker), candidate, 0.5, Weights())
    found = {c.feature: c.value for c in scored.contributions}
    assert found.get(feature) == value


@pytest.mark.parametrize(
    ("min_trl", "trl", "value", "code"),
    [
        (5, 7, 1.0, "trl_fits"),
        (5, 5, 1.0, "trl_fits"),
        (6, 4, -2 / 3, "trl_low"),
        (9, 1, -1.0, "trl_low"),
    ],
)
def test_trl_fit(min_trl, trl, value, code):
    scored = score(need(min_trl=min_trl), Side("opportunity", trl=trl), 0.5, Weights())
    (part,) = [c for c in scored.contributions if c.feature == "trl"]
    assert part.value == pytest.approx(value) and part.reason and part.reason.code == code


def test_capabilities_shared_are_named_and_weigh_by_the_share_met():
    wanted = need(capabilities=frozenset({"casting-aluminium", "painting-powder"}))
    scored = score(wanted, FOUNDRY, 0.5, Weights())
    (part,) = [c for c in scored.contributions if c.feature == "capability"]
    assert part.value == 0.5
    assert part.reason == Reason("capabilities_shared", {"terms": ("casting-aluminium",)})
    request = Side(
        "opportunity", opportunity_kind="business_request", capabilities=FOUNDRY.capabilities
    )
    (asked,) = [
        c for c in score(wanted, request, 0.5, Weights()).contributions if c.feature == "capability"
    ]
    assert asked.value == 0.5  # a request needs it: said so, not "offers what is needed"
    assert asked.reason == Reason("capabilities_asked", {"terms": ("casting-aluminium",)})


def test_unknown_location_lowers_and_says_so():
    scored = score(need(places=(RADOM,)), Side("organisation", org_kind="company"), 0.5, Weights())
    assert [c.reason.code for c in scored.lowered if c.reason] == ["location_unknown"]


def test_total_is_the_weighted_sum_and_weights_change_the_order():
    near_one = Side("organisation", org_kind="company", location=RADOM)
    far_one = Side("organisation", org_kind="company", location=LUBLIN)
    wanted = need(places=(RADOM,))  # a place wished for, no limit
    default = Weights()
    a, b = score(wanted, near_one, 0.20, default), score(wanted, far_one, 0.95, default)
    assert a.total == pytest.approx(sum(c.value * c.weight for c in a.contributions))
    assert b.total > a.total  # a far better text outweighs the distance by default
    heavy = default.with_values({"distance": 1.0})
    assert score(wanted, near_one, 0.20, heavy).total > score(wanted, far_one, 0.95, heavy).total


def test_weights_refuse_unknown_features():
    with pytest.raises(ValueError, match="unknown"):
        Weights().with_values({"charm": 1.0})
    assert "text" in FEATURES and "feedback" in FEATURES


@pytest.mark.parametrize(
    ("side", "candidate", "value"),
    [
        ("request", Side("opportunity", opportunity_kind="business_offer"), 0.5),
        ("request", Side("opportunity", opportunity_kind="capacity_offer"), 0.5),
        ("request", Side("opportunity", opportunity_kind="technology_offer"), 0.5),
        ("request", Side("opportunity", opportunity_kind="business_request"), 0.0),
        ("offer", Side("opportunity", opportunity_kind="business_request"), 0.5),
        ("offer", Side("opportunity", opportunity_kind="rnd_request"), 0.5),
        # a course answers a wish to learn, neither a need for a supplier nor an offer's rival
        ("offer", Side("opportunity", opportunity_kind="training_offer"), None),
        ("request", Side("opportunity", opportunity_kind="training_offer"), None),
        # a firm answers a need for a supplier; a city hall or the cluster's office never
        # does (found by a user walk: "inwestor szuka poddostawcy odkuwek" put the city hall
        # first); a school or a lab may
        ("request", Side("organisation", org_kind="company"), 0.5),
        ("request", Side("organisation", org_kind="local_government"), -0.5),
        ("request", Side("organisation", org_kind="coordinator"), -0.5),
        ("request", Side("organisation", org_kind="school"), None),
        ("request", Side("organisation", org_kind="research"), None),
        ("offer", Side("organisation", org_kind="company"), None),
        (None, Side("opportunity", opportunity_kind="business_offer"), None),
        ("request", Side("opportunity"), None),
    ],
)
def test_a_stated_side_of_the_market_meets_the_other(side, candidate, value):
    assert side_complements(side, candidate) == value


def test_a_free_text_side_raises_the_other_side_with_a_true_reason():
    offer = Side("opportunity", opportunity_kind="business_offer")
    wanted = need(side="request")
    scored = score(wanted, offer, 0.5, Weights())
    assert scored.total > score(need(), offer, 0.5, Weights()).total
    assert [c.reason for c in scored.raised if c.feature == "complement"] == [
        Reason("complements", {"kind": "business_offer"})
    ]
    # the same side is not pushed down on a guess read from the words
    same = score(wanted, Side("opportunity", opportunity_kind="business_request"), 0.5, Weights())
    assert not same.lowered
    # an opportunity's own kind, a fact, goes before what a text says
    asker = Side("opportunity", opportunity_kind="business_offer")
    as_item = score(need(asker=asker, side="request"), offer, 0.5, Weights())
    assert [c.value for c in as_item.contributions if c.feature == "complement"] == [-1.0]


def test_the_other_side_of_the_market_outweighs_a_better_worded_same_side_item():
    """A default weight from first principles: an offer answering a request with half the
    best text score ranks above another request worded exactly like it."""
    asker = Side("opportunity", opportunity_kind="business_request")
    same = score(
        need(asker=asker), Side("opportunity", opportunity_kind="business_request"), 1.0, Weights()
    )
    other = score(
        need(asker=asker), Side("opportunity", opportunity_kind="business_offer"), 0.5, Weights()
    )
    assert other.total > same.total


def test_an_unknown_location_costs_far_less_than_a_far_one():
    """An anonymous opportunity hides its owner's town: with a place asked, it must not sink
    below every located candidate however far (the weight is 0.5 by default)."""
    wanted = need(places=(RADOM,), max_km=None)
    unknown = score(wanted, Side("opportunity", opportunity_kind="business_offer"), 0.8, Weights())
    far = Side("organisation", org_kind="company", location=LUBLIN)
    (part,) = [c for c in unknown.contributions if c.feature == "distance"]
    assert part.points == pytest.approx(-0.1 * Weights().distance)
    assert unknown.total > score(wanted, far, 0.8, Weights()).total


@pytest.mark.parametrize(
    ("wanted", "kind", "rival"),
    [
        # an opportunity's partners: another request for the same is a rival, an offer is not
        (
            need(asker=Side("opportunity", opportunity_kind="business_request")),
            "business_request",
            True,
        ),
        (
            need(asker=Side("opportunity", opportunity_kind="business_request")),
            "capacity_offer",
            False,
        ),
        # a free text stating its side: offering, other offers and firms that do it compete
        (need(side="offer"), "business_offer", True),
        (need(side="offer"), None, True),  # an organisation: its profile says what it offers
        (need(side="offer"), "business_request", False),
        (need(side="request"), "business_request", True),  # another buyer
        (need(side="request"), None, False),  # a firm that does it answers a need
        (need(), "business_offer", False),  # no side stated: nothing to tell
        # a firm's technology request: science answers it; a firm of the same trade, or its
        # offer of that trade, is the asker's peer (machining shops for a tool-wear study)
        (need(asker=TECH_REQUEST), None, True),
        (need(asker=TECH_REQUEST), "business_offer", True),
        (need(asker=TECH_REQUEST), "technology_offer", False),
        (need(asker=replace(TECH_REQUEST, org_kind="research")), None, False),
    ],
)
def test_what_a_rival_shares_does_not_raise_it(wanted, kind, rival):
    """Found walking the find page as a firm that offers: its competitors came first, each
    "Offers what is needed"."""
    wanted = replace(
        wanted,
        capabilities=frozenset({"casting-aluminium"}),
        asker=replace(wanted.asker, pkd=frozenset({"24.53.Z"})),
    )
    candidate = (
        FOUNDRY if kind is None else replace(FOUNDRY, item="opportunity", opportunity_kind=kind)
    )
    features = {c.feature: c.value for c in score(wanted, candidate, 0.5, Weights()).contributions}
    if rival:
        assert "capability" not in features and "pkd" not in features
    else:
        assert features["capability"] == 1.0 and features["pkd"] == 1.0


def test_the_distance_says_from_where_and_never_rounds_into_the_limit():
    named = need(places=(RADOM, LUBLIN), place_names=("Radom", "Lublin"), max_km=150)
    (part,) = [
        c for c in score(named, FOUNDRY, 0.5, Weights()).contributions if c.feature == "distance"
    ]
    assert part.reason == Reason("distance", {"km": 0, "place": "Radom"})  # the nearest
    limit = distance_km(LUBLIN, RADOM) - 0.2  # 100.1 km asked, Radom 100.3 km away
    excluded = score(need(places=(LUBLIN,), max_km=limit), FOUNDRY, 0.5, Weights()).excluded
    assert excluded is not None and excluded.code == "too_far"
    assert excluded.params == {"km": 101, "limit": 100}  # not "100 km, beyond the 100 km"


@pytest.mark.parametrize(
    ("wanted", "kind", "owner", "speaks"),
    [
        (need(), "capacity_offer", 7, True),  # no side stated: what a firm offers, it does
        (need(), "business_request", 7, False),  # ... what it asks for, it does not
        (need(side="request"), "business_offer", 7, True),
        (need(side="offer"), "business_request", 7, True),  # the buyer, for someone offering
        (need(side="offer"), "business_offer", 7, False),
        (need(asker=TECH_REQUEST), "technology_offer", 7, True),
        (need(asker=TECH_REQUEST), "business_offer", 7, False),
        (need(), "capacity_offer", None, False),  # an owner the reader may not know
    ],
)
def test_which_opportunities_speak_for_their_owner(wanted, kind, owner, speaks):
    item = Side("opportunity", org_kind="company", opportunity_kind=kind, owner=owner)
    assert speaks_for_owner(wanted, item) is speaks


def test_what_the_need_names_is_what_it_asks_about():
    """ "Tłocznia Kozłowski offers": the firm and what it published come first, and say why;
    an opportunity whose owner the reader may not know is not lifted by the owner's name."""
    wanted = need(named=frozenset({7}))
    firm = replace(FOUNDRY, owner=7)
    offer = Side("opportunity", opportunity_kind="business_offer", owner=7)
    unknown = Side("opportunity", opportunity_kind="business_offer", owner=None)
    other = replace(FOUNDRY, owner=8)
    for side, code in ((firm, "named"), (offer, "owner_named")):
        (text,) = [
            c for c in score(wanted, side, 0.1, Weights()).contributions if c.feature == "text"
        ]
        assert text.value == 1.0 and text.reason == Reason(code)
    for side in (unknown, other):
        (text,) = [
            c for c in score(wanted, side, 0.1, Weights()).contributions if c.feature == "text"
        ]
        assert text.value == 0.1 and text.reason is None


@pytest.mark.parametrize(
    ("offered", "value", "named"),
    [
        # "cynkowanie detali stalowych": galvanising is the work, steel what it is done on
        ({"galvanising", "steel"}, 1.0, ("galvanising", "steel")),
        ({"galvanising"}, 1 / 1.5, ("galvanising",)),
        # a steel shop: weighs a little, and never says "Offers what is needed: Steel"
        ({"steel", "welding"}, 0.5 / 1.5, None),
        (set(), 0.0, None),
    ],
)
def test_a_material_is_what_the_work_is_done_on_not_the_work(offered, value, named):
    """Found by a user walk: steel shops were "Offers what is needed: Steel" for a
    galvanising need."""
    wanted = need(capabilities=frozenset({"galvanising", "steel"}), materials=frozenset({"steel"}))
    candidate = replace(FOUNDRY, capabilities=frozenset(offered))
    (part,) = [
        c
        for c in score(wanted, candidate, 0.5, Weights()).contributions
        if c.feature == "capability"
    ]
    assert part.value == pytest.approx(value)
    assert (part.reason.params["terms"] if part.reason else None) == named


def test_a_need_of_materials_only_is_met_by_them():
    wanted = need(
        capabilities=frozenset({"stainless-steel"}), materials=frozenset({"stainless-steel"})
    )
    candidate = replace(FOUNDRY, capabilities=frozenset({"stainless-steel"}))
    (part,) = [
        c
        for c in score(wanted, candidate, 0.5, Weights()).contributions
        if c.feature == "capability"
    ]
    assert part.value == 1.0 and part.reason.params["terms"] == ("stainless-steel",)


def test_within_the_limit_asked_for_the_distance_never_counts_against():
    """Found by a user walk: a forge 41 km away for "w promieniu 50 km od Radomia" carried a
    minus, though it is where the asker said the partner may be."""
    wanted = need(places=(RADOM,), max_km=50)
    values = []
    for km_north in (0.0, 0.2, 0.37):  # about 0, 22 and 41 km
        near = replace(FOUNDRY, location=(RADOM[0] + km_north, RADOM[1]))
        (part,) = [
            c for c in score(wanted, near, 0.5, Weights()).contributions if c.feature == "distance"
        ]
        values.append(part.value)
    assert values[0] == pytest.approx(1.0) and values == sorted(values, reverse=True)
    assert min(values) >= 0


def test_too_far_says_from_where():
    """Found by a user walk: the left-out list said "100 km away" without the town."""
    wanted = need(places=(LUBLIN,), place_names=("Lublin",), max_km=50)
    excluded = score(wanted, FOUNDRY, 0.5, Weights()).excluded
    assert excluded.code == "too_far" and excluded.params["place"] == "Lublin"
    assert excluded.params["km"] > 50


def test_an_opportunity_no_longer_open_ranks_a_little_below_an_open_one():
    """Found by a user walk: the coordinator, who is shown ended opportunities too, got 19
    closed ones of 20 for "free CNC capacity right now"."""
    offer = Side("opportunity", opportunity_kind="capacity_offer")
    live, ended = (
        score(need(), offer, 0.8, Weights()),
        score(need(), replace(offer, ended=True), 0.8, Weights()),
    )
    assert live.total > ended.total
    assert [c.reason for c in ended.lowered] == [Reason("ended")]
    # a little: a far better worded ended one still comes before a poorly worded open one
    poor = score(need(), offer, 0.6, Weights())
    assert score(need(), replace(offer, ended=True), 0.95, Weights()).total > poor.total


def test_for_a_firms_technology_request_another_trade_keeps_what_it_shares():
    """An automation integrator (another PKD group) for a welding shop's seam-tracking
    request may well be the partner: its capabilities still count; a welding shop's do not."""
    wanted = need(
        asker=replace(TECH_REQUEST, pkd=frozenset({"25.62.Z"})),
        capabilities=frozenset({"welding-robotic"}),
    )
    integrator = replace(
        FOUNDRY, capabilities=frozenset({"welding-robotic"}), pkd=frozenset({"28.99.Z"})
    )
    peer = replace(integrator, pkd=frozenset({"25.61.Z"}))
    features = {c.feature: c.value for c in score(wanted, integrator, 0.5, Weights()).contributions}
    assert features["capability"] == 1.0
    assert "capability" not in {
        c.feature for c in score(wanted, peer, 0.5, Weights()).contributions
    }


def test_a_firm_for_a_free_text_need_weighs_without_saying_it_is_a_firm():
    """Found by a user walk: "Its kind answers this need: company" stood under nearly every
    firm; for an opportunity's partners it still says so (a lab for an R&D request)."""
    (part,) = [
        c
        for c in score(need(side="request"), FOUNDRY, 0.5, Weights()).contributions
        if c.feature == "complement"
    ]
    assert part.points > 0 and part.reason is None
    rnd = need(asker=TECH_REQUEST)
    (part,) = [
        c for c in score(rnd, LAB, 0.5, Weights()).contributions if c.feature == "complement"
    ]
    assert part.reason == Reason("kind_answers", {"kind": "research"})
