"""How well a candidate answers a need, from plain facts: the structured stage after retrieval.

Retrieval (lexical + dense) says the texts are about the same thing; this stage says whether
the pair makes sense as partners: the certificates a need requires (a missing or expired one
excludes), the capabilities it needs and the candidate offers, how close their PKD codes are,
whether the opportunity kinds complement each other (a request meets offers, not requests),
TRL fit, distance, the letter's preferences (partners from another partner city, science with
business), whether an opportunity is still open, and what users said of earlier suggestions.
An organisation the need names takes the full text score.

The total is a weighted sum of features, each in [-1, 1], so that every suggestion can be
explained feature by feature, the coordinator can tune the weights and see what they do, and
weights can be learnt from feedback with a linear model. A pure function: no session, no
clock, no settings; the caller passes the facts and the weights.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

from upland.reference.locations import distance_km

__all__ = [
    "COMPLEMENTS",
    "FEATURES",
    "Contribution",
    "Need",
    "Reason",
    "Scored",
    "Side",
    "Weights",
    "complements",
    "distance_km",
    "pkd_relation",
    "score",
    "side_complements",
    "speaks_for_owner",
]

ORGANISATION = "organisation"
OPPORTUNITY = "opportunity"
RESEARCH = "research"
COMPANY = "company"

# Which opportunity kinds answer which (both directions are listed): a request meets offers
# and capacity, an offer meets requests; an R&D or technology request also meets research
# organisations themselves (see `complements`).
COMPLEMENTS: Mapping[str, frozenset[str]] = {
    "business_request": frozenset({"business_offer", "capacity_offer"}),
    "business_offer": frozenset({"business_request"}),
    "capacity_offer": frozenset({"business_request"}),
    "technology_request": frozenset({"technology_offer", "infrastructure_offer"}),
    "technology_offer": frozenset({"technology_request", "rnd_request"}),
    "rnd_request": frozenset({"technology_offer", "infrastructure_offer"}),
    "infrastructure_offer": frozenset({"technology_request", "rnd_request"}),
    "training_offer": frozenset(),
}
OFFERS = frozenset(
    {
        "business_offer",
        "capacity_offer",
        "technology_offer",
        "infrastructure_offer",
        "training_offer",
    }
)
SCIENCE_NEEDS = frozenset({"technology_request", "rnd_request"})
TRAINING = "training_offer"
# Which organisations answer a (firm's) request by what they are.
ANSWERED_BY: Mapping[str, frozenset[str]] = {
    "business_request": frozenset({COMPANY}),
    "technology_request": frozenset({RESEARCH}),
    "rnd_request": frozenset({RESEARCH}),
}
REQUESTS = frozenset(COMPLEMENTS) - OFFERS
SIDES = {"request": REQUESTS, "offer": OFFERS}
# Organisations that supply nobody: a city hall, the cluster's office.
NEVER_SUPPLIERS = frozenset({"local_government", "coordinator"})
# A side read from a text's words is a guess, an opportunity's kind a fact: the guess counts
# half (and never lowers the same side).
STATED_SIDE = 0.5


@dataclass(frozen=True)
class Reason:
    """A sentence of an explanation as a code and its parameters; words come at display."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Side:
    """What scoring knows of a candidate (or of the item whose partners are sought).

    `org_kind` is None for an anonymous owner the reader may not know: nothing is inferred
    from it then. Certificates are split by validity on the caller's day.
    """

    item: str
    org_kind: str | None = None
    opportunity_kind: str | None = None
    capabilities: frozenset[str] = frozenset()
    certifications: frozenset[str] = frozenset()
    expired_certifications: frozenset[str] = frozenset()
    # What an opportunity requires its partner to hold (an IATF-only request).
    required_certifications: frozenset[str] = frozenset()
    pkd: frozenset[str] = frozenset()
    partner_city: str | None = None
    location: tuple[float, float] | None = None
    trl: int | None = None
    opted_out: bool = False
    # Whose it is when the reader may know (an organisation is its own; an opportunity's
    # owner unless anonymous or a profile they may not open): an organisation answers a need
    # at least as its own offer does, and a need may name the organisation it asks about.
    owner: int | None = None
    # An opportunity no longer open (expired, fulfilled, withdrawn): staff are shown them,
    # below the open ones.
    ended: bool = False


@dataclass(frozen=True)
class Need:
    """What is sought: the asker's side plus the constraints read from the text or the item."""

    asker: Side
    capabilities: frozenset[str] = frozenset()
    required_certifications: frozenset[str] = frozenset()
    # Where the partner is wanted ("Radom lub Kielce": either will do), and how far from the
    # nearest of them at most.
    places: tuple[tuple[float, float], ...] = ()
    place_names: tuple[str, ...] = ()  # the places' names, in order, for "12 km from Radom"
    max_km: float | None = None
    min_trl: int | None = None
    # The asker's side of the market as a free text states it ("request": they need, "offer":
    # they offer), for a need that is not an opportunity of a known kind.
    side: str | None = None
    # The organisations the need names ("Tłocznia Kozłowski offers"): they and what they
    # published are what it asks about.
    named: frozenset[int] = frozenset()
    # Those of `capabilities` that are materials ("detali stalowych"): what the work is done
    # on, not the work; sharing only them says nothing of a partner.
    materials: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Weights:
    """The weight of each feature in the total; the coordinator's copy is what ranks."""

    text: float = 1.0
    capability: float = 0.35
    certification: float = 0.2
    pkd: float = 0.2
    complement: float = 0.5
    trl: float = 0.15
    distance: float = 0.5
    cross_city: float = 0.1
    science_business: float = 0.1
    feedback: float = 0.3
    open: float = 0.1  # dev, all judged: 0 0.884, 0.05 0.887, 0.1 0.888

    def with_values(self, values: Mapping[str, float]) -> Weights:
        """These weights with some replaced (unknown names are an error, not ignored)."""
        unknown = set(values) - set(FEATURES)
        if unknown:
            raise ValueError(f"unknown features: {sorted(unknown)}")
        return replace(self, **values)


FEATURES: tuple[str, ...] = tuple(f.name for f in fields(Weights))


@dataclass(frozen=True)
class Contribution:
    feature: str
    value: float
    weight: float
    reason: Reason | None = None

    @property
    def points(self) -> float:
        return self.value * self.weight


@dataclass(frozen=True)
class Scored:
    """A candidate's total and its parts, or why it is excluded (`excluded` is then set)."""

    total: float
    contributions: tuple[Contribution, ...] = ()
    excluded: Reason | None = None

    @property
    def raised(self) -> tuple[Contribution, ...]:
        return tuple(c for c in self.contributions if c.points > 0 and c.reason)

    @property
    def lowered(self) -> tuple[Contribution, ...]:
        return tuple(c for c in self.contributions if c.points < 0 and c.reason)


def pkd_relation(left: frozenset[str], right: frozenset[str]) -> float:
    """1 for a shared subclass, 0.75 class, 0.5 group, 0.25 division, 0 otherwise (best pair).

    Codes are PKD 2025 subclasses as stored ("25.62.Z"); a shorter code is its own level.
    """
    best = 0.0
    for a in left:
        for b in right:
            best = max(best, _pkd_pair(a, b))
    return best


def _pkd_pair(a: str, b: str) -> float:
    a, b = a.upper(), b.upper()
    if a == b:
        return 1.0
    levels = ((5, 0.75), (4, 0.5), (2, 0.25))  # "25.62" class, "25.6" group, "25" division
    for length, value in levels:
        if len(a) >= length and len(b) >= length and a[:length] == b[:length]:
            return value
    return 0.0


def complements(asker: Side, candidate: Side) -> float | None:
    """1 when the candidate answers the asker's opportunity kind, -1 when it is the same side
    of the market (an offer for an offer), None when kinds say nothing (free text, two
    organisations)."""
    need = asker.opportunity_kind
    if need is None:
        return None
    if candidate.item == OPPORTUNITY and candidate.opportunity_kind:
        if candidate.opportunity_kind in COMPLEMENTS.get(need, frozenset()):
            return 1.0
        # A laboratory's R&D request and a firm's technology request: each may be the other's
        # partner (the firm that will use the result, the science it needs).
        lab_and_firm = _research_seeks_firms(asker) and candidate.org_kind == COMPANY
        if lab_and_firm and candidate.opportunity_kind in SCIENCE_NEEDS:
            return 0.0
        same_side = any(
            need in side and candidate.opportunity_kind in side for side in (OFFERS, REQUESTS)
        )
        return -1.0 if same_side else 0.0
    if candidate.item == ORGANISATION and candidate.org_kind is not None:
        return _organisation_answers(asker, need, candidate.org_kind)
    return None


def _research_seeks_firms(asker: Side) -> bool:
    return asker.opportunity_kind in SCIENCE_NEEDS and asker.org_kind == RESEARCH


def _organisation_answers(asker: Side, need: str, org_kind: str) -> float | None:
    """Whether an organisation itself answers the asker's opportunity: a request is answered
    by those who can do it (a business request by firms; a firm's technology or R&D request
    by research — firms too was tried for technology and ranked worse on the dev split),
    while a research organisation's own R&D or technology request seeks the firms that will
    build and use the result. An organisation's profile states what it offers, not what it
    needs, so it says nothing about an offer."""
    if need in SCIENCE_NEEDS and asker.org_kind == RESEARCH:
        return 1.0 if org_kind == COMPANY else 0.0
    wanted = ANSWERED_BY.get(need)
    if wanted is None:
        return None
    return 1.0 if org_kind in wanted else 0.0


def side_complements(side: str | None, candidate: Side) -> float | None:
    """For a free-text need whose side of the market is stated: `STATED_SIDE` when the
    candidate is on the other side (an offer or a firm for someone who needs, a request for
    someone who offers), 0 when on the same side, None for unstated sides, courses and other
    organisations."""
    if side == "request" and candidate.item == ORGANISATION:
        if candidate.org_kind == COMPANY:
            return STATED_SIDE
        if candidate.org_kind in NEVER_SUPPLIERS:  # a city hall found by "inwestor"
            return -STATED_SIDE
        return None
    if side not in SIDES or candidate.item != OPPORTUNITY or not candidate.opportunity_kind:
        return None
    if candidate.opportunity_kind == TRAINING:  # a course answers a wish to learn, not a need
        return None  # for a supplier ("szukamy dostawcy wałów" is not "kurs operatora CNC")
    if candidate.opportunity_kind in SIDES[side]:
        return 0.0
    return STATED_SIDE if candidate.opportunity_kind in (OFFERS | REQUESTS) else None


def _is_research(side: Side) -> bool | None:
    """True for a research organisation, False for a company, None for anything else (a
    school, a city, an anonymous owner): science–business pairs are the letter's aim."""
    return {RESEARCH: True, COMPANY: False}.get(side.org_kind or "")


def score(
    need: Need, candidate: Side, text: float, weights: Weights, feedback: float = 0.0
) -> Scored:
    """The candidate's total for `need`, given its retrieval score `text` in [0, 1] and the
    feedback users gave on this pair in [-1, 1] (-1: rejected, which excludes)."""
    excluded = _exclusion(need, candidate, feedback)
    if candidate.owner is not None and candidate.owner in need.named:
        # its own name, or its owner's: the words found what the need asks about
        code = "named" if candidate.item == ORGANISATION else "owner_named"
        retrieval = Contribution("text", 1.0, weights.text, Reason(code))
    else:
        retrieval = Contribution("text", text, weights.text, None)
    if excluded is not None:  # how well it was worded is kept: "left out" lists the best
        return Scored(total=float("-inf"), contributions=(retrieval,), excluded=excluded)
    parts = [retrieval]
    # Earlier praise weighs as much as the words fit: a firm marked useful once must not rise
    # in every unrelated search (found by a user walk).
    for part in _features(need, candidate, feedback * text if feedback > 0 else 0.0, weights):
        if part is not None:
            parts.append(part)
    return Scored(total=sum(p.points for p in parts), contributions=tuple(parts))


def _exclusion(need: Need, candidate: Side, feedback: float) -> Reason | None:
    if candidate.opted_out:
        return Reason("opted_out")
    if feedback <= -1.0:
        return Reason("rejected")
    expired = need.required_certifications & candidate.expired_certifications
    if expired:
        return Reason("certification_expired", {"terms": tuple(sorted(expired))})
    missing = need.required_certifications - candidate.certifications
    if missing:
        return Reason("certification_missing", {"terms": tuple(sorted(missing))})
    if need.max_km is not None and need.places and candidate.location:
        km, nearest = _nearest(need, candidate.location)
        if km > need.max_km:  # never "100 km away, beyond the 100 km asked for"
            limit = round(need.max_km)
            params: dict[str, object] = {"km": max(round(km), limit + 1), "limit": limit}
            if nearest < len(need.place_names):  # from where: the asker may be elsewhere
                params["place"] = need.place_names[nearest]
            return Reason("too_far", params)
    return None


def _features(
    need: Need, candidate: Side, feedback: float, weights: Weights
) -> list[Contribution | None]:
    asker = need.asker
    rival = _rival(need, candidate)
    return [
        None if rival else _capability(need, candidate, weights),
        _certification(need, candidate, weights),
        None if rival else _pkd(asker, candidate, weights),
        _complement(need, candidate, weights),
        _trl(need, candidate, weights),
        _distance(need, candidate, weights),
        _cross_city(asker, candidate, weights),
        _science_business(asker, candidate, weights),
        Contribution("open", -1.0, weights.open, Reason("ended")) if candidate.ended else None,
        Contribution("feedback", feedback, weights.feedback, Reason("feedback_useful"))
        if feedback > 0
        else None,
    ]


def _rival(need: Need, candidate: Side) -> bool:
    """On the asker's own side of the market: another request for what a request needs, or,
    for someone offering, another offer or a firm that does it (an organisation's profile says
    what it offers). What they share says they compete, not that they fit: neither the shared
    capabilities nor the shared trade (PKD) raise them."""
    if need.asker.opportunity_kind is not None:
        if _firm_for_science(need.asker, candidate):
            return True
        if need.asker.opportunity_kind in OFFERS and candidate.item == ORGANISATION:
            return True  # an offer's page: firms that do the same are its competitors
        return complements(need.asker, candidate) == -1.0
    if need.side == "offer" and candidate.item == ORGANISATION:
        return True
    return side_complements(need.side, candidate) == 0.0


def _firm_for_science(asker: Side, candidate: Side) -> bool:
    """A firm of the asker's own trade (its PKD group), or such a firm's offer, for a firm's
    technology or R&D request: science or a technology on offer answers it, and the machining
    a tool-wear study is about makes a machining shop the asker's peer, not its partner (an
    automation integrator is another trade, and may well be the partner)."""
    return (
        asker.opportunity_kind in SCIENCE_NEEDS
        and asker.org_kind != RESEARCH
        and candidate.org_kind == COMPANY
        and complements(asker, candidate) != 1.0
        and pkd_relation(asker.pkd, candidate.pkd) >= SAME_TRADE
    )


SAME_TRADE = 0.5  # the same PKD group


MATERIAL_SHARE = 0.5


def _capability(need: Need, candidate: Side, weights: Weights) -> Contribution | None:
    wanted = need.capabilities
    if not wanted or candidate.opportunity_kind == TRAINING:
        return None  # a CNC operator's course does not machine: it "offers" nothing needed
    shared = wanted & candidate.capabilities
    # The work asked for, when it names any ("galvanising steel parts": galvanising, not
    # steel); only materials, when that is all it names ("stainless sheet"). A material
    # shared beside the work counts half: it says the shop works that metal.
    work = (wanted - need.materials) or wanted
    done = work & candidate.capabilities
    if not shared:
        return Contribution("capability", 0.0, weights.capability, None)
    on = wanted - work
    value = (len(done) + MATERIAL_SHARE * len(on & shared)) / (len(work) + MATERIAL_SHARE * len(on))
    if not done:  # a steel shop for a galvanising need: it weighs a little, and says nothing
        return Contribution("capability", value, weights.capability, None)
    # A request names what it needs, not what it offers: said so, whoever it suits.
    code = "capabilities_asked" if candidate.opportunity_kind in REQUESTS else "capabilities_shared"
    reason = Reason(code, {"terms": tuple(sorted(shared))})
    return Contribution("capability", value, weights.capability, reason)


def _certification(need: Need, candidate: Side, weights: Weights) -> Contribution | None:
    if not need.required_certifications:
        return None
    terms = tuple(sorted(need.required_certifications))
    # a training offer's certificates are what it teaches ("IATF 16949 internal auditor")
    code = (
        "certifications_taught" if candidate.opportunity_kind == TRAINING else "certifications_held"
    )
    return Contribution("certification", 1.0, weights.certification, Reason(code, {"terms": terms}))


def _pkd(asker: Side, candidate: Side, weights: Weights) -> Contribution | None:
    if not asker.pkd or not candidate.pkd:
        return None
    value = pkd_relation(asker.pkd, candidate.pkd)
    reason = Reason("pkd_related", {"level": _PKD_LEVELS[value]}) if value else None
    return Contribution("pkd", value, weights.pkd, reason)


_PKD_LEVELS = {1.0: "subclass", 0.75: "class", 0.5: "group", 0.25: "division"}


def _complement_value(need: Need, candidate: Side) -> float | None:
    value = complements(need.asker, candidate)
    if value is None and need.asker.opportunity_kind is None:
        value = side_complements(need.side, candidate)
    return value


def speaks_for_owner(need: Need, item: Side) -> bool:
    """Whether an opportunity that fits `need` says its owner fits too: one that answers the
    need, or, where the need's side is unknown, an offer (what a firm offers is what it
    does; what it asks for is not)."""
    if item.item != OPPORTUNITY or item.owner is None:
        return False
    value = _complement_value(need, item)
    if value is None:
        return item.opportunity_kind in OFFERS
    return value > 0


def _complement(need: Need, candidate: Side, weights: Weights) -> Contribution | None:
    value = _complement_value(need, candidate)
    if value is None:
        return None
    reason = None
    if value > 0:
        if candidate.opportunity_kind:
            reason = Reason("complements", {"kind": candidate.opportunity_kind})
        elif need.asker.opportunity_kind is not None:  # an organisation answers by what it
            reason = Reason("kind_answers", {"kind": candidate.org_kind})  # is ("research")
        # a firm for a free text wanting a supplier: true of every firm listed, so unsaid
    elif value < 0 and candidate.item == ORGANISATION:
        reason = Reason("kind_does_not_answer", {"kind": candidate.org_kind})
    elif value < 0:
        reason = Reason("same_side", {"kind": candidate.opportunity_kind})
    return Contribution("complement", value, weights.complement, reason)


def _trl(need: Need, candidate: Side, weights: Weights) -> Contribution | None:
    if need.min_trl is None or candidate.trl is None:
        return None
    if candidate.trl >= need.min_trl:
        reason = Reason("trl_fits", {"trl": candidate.trl, "wanted": need.min_trl})
        return Contribution("trl", 1.0, weights.trl, reason)
    gap = need.min_trl - candidate.trl
    reason = Reason("trl_low", {"trl": candidate.trl, "wanted": need.min_trl})
    return Contribution("trl", -min(1.0, gap / 3), weights.trl, reason)


UNKNOWN_LOCATION = -0.1
# With no limit asked for ("koło Radomia"), a place this far is as bad as it gets.
NEAR_KM = 150.0


def _distance(need: Need, candidate: Side, weights: Weights) -> Contribution | None:
    if not need.places:
        return None
    if candidate.location is None:
        # A little under a known place nearby, far less than a far one: an anonymous
        # opportunity hides its owner's town, and anonymity must not sink it.
        return Contribution(
            "distance", UNKNOWN_LOCATION, weights.distance, Reason("location_unknown")
        )
    km, nearest = _nearest(need, candidate.location)
    if need.max_km:  # within the limit asked for: nearer is better, never a minus
        value = max(0.0, 1.0 - km / need.max_km)
    else:
        value = max(-1.0, 1.0 - 2 * km / NEAR_KM) if km <= NEAR_KM else -1.0
    params: dict[str, object] = {"km": round(km)}
    if nearest < len(need.place_names):  # from where: the asker may be elsewhere
        params["place"] = need.place_names[nearest]
    return Contribution("distance", value, weights.distance, Reason("distance", params))


def _nearest(need: Need, location: tuple[float, float]) -> tuple[float, int]:
    """The distance to the nearest place the need names, and which it is."""
    return min((distance_km(place, location), i) for i, place in enumerate(need.places))


def _cross_city(asker: Side, candidate: Side, weights: Weights) -> Contribution | None:
    if asker.partner_city is None or candidate.partner_city is None:
        return None
    if asker.partner_city == candidate.partner_city:
        return Contribution("cross_city", 0.0, weights.cross_city, None)
    reason = Reason("cross_city", {"city": candidate.partner_city})
    return Contribution("cross_city", 1.0, weights.cross_city, reason)


def _science_business(asker: Side, candidate: Side, weights: Weights) -> Contribution | None:
    mine, theirs = _is_research(asker), _is_research(candidate)
    if mine is None or theirs is None:
        return None
    if mine == theirs:
        return Contribution("science_business", 0.0, weights.science_business, None)
    return Contribution(
        "science_business", 1.0, weights.science_business, Reason("science_business")
    )
