"""The structured stage inside the engine: a required certificate excludes those without a
valid one, suggestions say why in the reader's language, an anonymous owner's facts never
reach scoring."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session
from tests import factories

from upland.actor import SYSTEM
from upland.matching import engine, profiles, service
from upland.matching.engine import Ask
from upland.matching.index import MatchIndex
from upland.matching.scoring import Need, Scored, Side
from upland.textkit.embedding import HashingEmbedder

EMBEDDER = HashingEmbedder(dimension=64)
TODAY = dt.date.today()
WELDING = {
    "description_pl": "Spawanie zrobotyzowane ram stalowych i konstrukcji.",
    "description_en": "Robotic welding of steel frames and structures.",
}


def _iatf(until: dt.date) -> list[dict]:
    return [{"kind": "certification", "term": "iatf-16949", "valid_until": until.isoformat()}]


def _world(session: Session) -> dict:
    orgs = {
        "valid": factories.organisation(
            session, capabilities=_iatf(TODAY + dt.timedelta(days=300)), **WELDING
        ),
        "expired": factories.organisation(
            session, capabilities=_iatf(TODAY - dt.timedelta(days=3)), **WELDING
        ),
        "none": factories.organisation(session, **WELDING),
    }
    for kind in ("organisation", "opportunity"):
        service.refresh_items(session, SYSTEM, kind, embedder=EMBEDDER)
    return orgs


def _hits(session: Session, text: str) -> list[engine.Hit]:
    index = MatchIndex(EMBEDDER.name, EMBEDDER.dimension, exact_below=10**6)
    index.sync(session)
    coordinator = factories.actor_of(session, factories.user(session, role="coordinator"))
    ask = Ask(text=text, kinds=("organisation",), limit=20)
    return engine.match(session, coordinator, ask, embedder=EMBEDDER, index=index, today=TODAY)


def test_a_required_certificate_excludes_those_without_a_valid_one(session: Session):
    orgs = _world(session)
    found = {hit.id for hit in _hits(session, "spawanie ram stalowych z IATF 16949")}
    assert orgs["valid"].id in found
    assert orgs["expired"].id not in found and orgs["none"].id not in found
    plain = {hit.id for hit in _hits(session, "spawanie ram stalowych")}
    assert {o.id for o in orgs.values()} <= plain


def test_an_opportunity_requiring_a_certificate_excludes_partners_without_one(session: Session):
    """Its suggested partners hold what it requires, as a free text's do."""
    orgs = _world(session)
    buyer = factories.organisation(session)
    request = factories.opportunity(
        session,
        buyer,
        publish=True,
        kind="business_request",
        title_pl="Spawanie ram stalowych",
        capabilities=[{"term": "iatf-16949", "role": "required"}],
    )
    coordinator = factories.actor_of(session, factories.user(session, role="coordinator"))
    source = ("opportunity", request.id)
    need = profiles.need_for(session, coordinator, TODAY, source=source)
    assert need.required_certifications == {"iatf-16949"}
    service.refresh_items(session, SYSTEM, "opportunity", embedder=EMBEDDER)
    index = MatchIndex(EMBEDDER.name, EMBEDDER.dimension, exact_below=10**6)
    index.sync(session)
    ask = Ask(source=source, kinds=("organisation",), limit=20)
    found = {
        hit.id
        for hit in engine.match(
            session, coordinator, ask, embedder=EMBEDDER, index=index, today=TODAY
        )
    }
    assert orgs["valid"].id in found
    assert orgs["expired"].id not in found and orgs["none"].id not in found


def test_an_offer_comes_with_its_named_owners_certificates_not_an_anonymous_ones(
    session: Session,
):
    """Found by the review pass: a capacity offer rarely repeats its owner's IATF, and was left
    out of an IATF-only request's partners. A named owner's valid certificate counts; an
    anonymous owner's would tell who it is. A training offer's certificate is what it
    teaches: an IATF auditor course answers "IATF 16949 internal auditor training", whatever
    its provider holds, and says so. A request supplies nothing: its owner's do not count."""
    orgs = _world(session)
    valid, expired = orgs["valid"], orgs["expired"]
    iatf = [{"term": "iatf-16949", "role": "offered"}]
    keys = {
        "named": factories.opportunity(session, valid, publish=True, kind="capacity_offer"),
        "anonymous": factories.opportunity(
            session, valid, publish=True, kind="capacity_offer", anonymous=True
        ),
        "lapsed": factories.opportunity(session, expired, publish=True, kind="capacity_offer"),
        "course": factories.opportunity(
            session, orgs["none"], publish=True, kind="training_offer", capabilities=iatf
        ),
        "other course": factories.opportunity(session, valid, publish=True, kind="training_offer"),
        "request": factories.opportunity(session, valid, publish=True, kind="business_request"),
    }
    found = profiles.sides(session, [("opportunity", o.id) for o in keys.values()], TODAY)
    side = {name: found[("opportunity", o.id)] for name, o in keys.items()}
    need = Need(
        Side("opportunity", opportunity_kind="business_request"),
        required_certifications=frozenset({"iatf-16949"}),
    )

    def scored(name: str) -> Scored:
        return engine.score_pair(need, side[name], 0.5, engine.FeatureWeights())

    assert scored("named").excluded is None
    assert scored("anonymous").excluded.code == "certification_missing"
    assert scored("lapsed").excluded.code == "certification_expired"
    assert scored("other course").excluded.code == "certification_missing"
    assert scored("request").excluded.code == "certification_missing"  # it supplies nothing
    (part,) = [c for c in scored("course").contributions if c.feature == "certification"]
    assert part.reason.code == "certifications_taught"


def test_a_free_text_seeks_what_it_says_not_what_the_askers_firm_does(session: Session):
    """A machining shop (CNC milling, PKD 25.53.Z) asking for castings is not shown its own
    competitors first: its firm's capabilities and PKD codes are not the need's."""
    shop, competitor = factories.organisation(session), factories.organisation(session)
    member = factories.actor_of(session, factories.user(session, role="editor", org=shop))
    need = profiles.need_for(session, member, TODAY, text="odlewy aluminiowe")
    assert need.asker.org_kind == "company" and need.asker.partner_city is not None
    assert need.capabilities == {"casting", "aluminium"}  # what the text says, by its words
    assert need.materials == {"aluminium"}  # what the casting is made of, not the work
    assert not need.asker.capabilities and not need.asker.pkd
    key = ("organisation", competitor.id)
    peer = profiles.sides(session, [key], TODAY)[key]
    assert peer.capabilities and peer.pkd and not peer.capabilities & need.capabilities
    scored = engine.score_pair(need, peer, 0.5, engine.FeatureWeights())
    assert "pkd" not in {c.feature for c in scored.contributions}
    assert all(c.points == 0 for c in scored.contributions if c.feature == "capability")
    # an organisation's own suggested partners still start from what it does
    own = profiles.need_for(session, member, TODAY, source=("organisation", shop.id))
    assert own.capabilities == peer.capabilities


def test_a_certificate_not_valid_yet_is_missing_not_expired(session: Session):
    """Found by the attack pass: its organisation's page shows it valid until a later date,
    so calling it expired would be wrong."""
    soon = (TODAY + dt.timedelta(days=30)).isoformat()
    later = (TODAY + dt.timedelta(days=400)).isoformat()
    cert = {"kind": "certification", "term": "iatf-16949", "valid_from": soon, "valid_until": later}
    org = factories.organisation(session, capabilities=[cert], **WELDING)
    key = ("organisation", org.id)
    side = profiles.sides(session, [key], TODAY)[key]
    assert "iatf-16949" not in side.certifications | side.expired_certifications
    need = Need(Side("organisation"), required_certifications=frozenset({"iatf-16949"}))
    excluded = engine.score_pair(need, side, 0.5, engine.FeatureWeights()).excluded
    assert excluded is not None and excluded.code == "certification_missing"


def test_suggestions_say_why(session: Session):
    orgs = _world(session)
    (hit,) = [h for h in _hits(session, "spawanie ram z IATF 16949") if h.id == orgs["valid"].id]
    assert hit.why is not None
    english = [m.render("en") for m in hit.why.raised]
    polish = [m.render("pl") for m in hit.why.raised]
    assert "Holds the required certificates: IATF 16949" in english
    assert "Ma wymagane certyfikaty: IATF 16949" in polish


def test_an_anonymous_owner_gives_scoring_nothing_of_its_own(session: Session):
    owner = factories.organisation(session, **WELDING)
    named = factories.opportunity(session, owner, publish=True, title_pl="Spawanie ram")
    hidden = factories.opportunity(
        session, owner, publish=True, title_pl="Spawanie ram", anonymous=True
    )
    found = profiles.sides(session, [("opportunity", named.id), ("opportunity", hidden.id)], TODAY)
    assert found[("opportunity", named.id)].org_kind == "company"
    assert found[("opportunity", named.id)].partner_city is not None
    side = found[("opportunity", hidden.id)]
    assert (side.org_kind, side.partner_city, side.location) == (None, None, None)


def test_the_need_of_a_text_reads_its_constraints(session: Session):
    coordinator = factories.actor_of(session, factories.user(session, role="coordinator"))
    need = profiles.need_for(
        session, coordinator, TODAY, text="odlewy z IATF 16949, do 80 km od Radomia lub Kielc"
    )
    assert need.required_certifications == {"iatf-16949"}
    assert need.max_km == 80 and len(need.places) == 2


def test_text_is_scaled_to_the_best_candidate_of_the_kinds_asked_for(session: Session):
    orgs = _world(session)
    org, other = ("organisation", orgs["valid"].id), ("organisation", orgs["none"].id)
    ordered = [(("opportunity", 1), 1.0), (org, 0.5), (other, 0.25)]
    kept, scored = engine.rescore(
        session, ordered, Need(Side("organisation")), TODAY, kinds=("organisation",)
    )
    assert [key for key, _ in kept] == [org, other]
    text = {key: engine._text_of(s) for key, s in scored.items()}
    assert text == {org: 1.0, other: 0.5}


def test_the_full_system_retrieves_on_the_topic_not_the_constraints(session: Session):
    index = MatchIndex("none", 8)
    words = engine.text_terms(session, index, "odlewnia z IATF 16949, do 50 km od Radomia")
    assert {"odlewnia", "foundri"} <= set(words)  # and in English, through the lexicon
    assert not {"iatf", "16949", "50", "km", "radom"} & set(words)
    # a need that is nothing but constraints still has words to look with
    assert engine.text_terms(session, index, "ISO 9001")[:2] == engine.terms("ISO 9001")


def test_an_organisations_partners_are_the_requests_for_what_it_does(session: Session):
    orgs = _world(session)
    coordinator = factories.actor_of(session, factories.user(session, role="coordinator"))
    source = ("organisation", orgs["valid"].id)
    need = profiles.need_for(session, coordinator, TODAY, source=source)
    assert need.side == "offer"
    request = Side("opportunity", opportunity_kind="business_request")
    offer = Side("opportunity", opportunity_kind="business_offer")
    weights = engine.FeatureWeights()
    assert (
        engine.score_pair(need, request, 0.5, weights).total
        > engine.score_pair(need, offer, 0.5, weights).total
    )


def test_a_term_added_to_the_vocabulary_is_read_at_the_next_ask(session: Session):
    """Texts are read once per vocabulary (three reads per ask); a new term is a new one."""
    from upland.reference.models import CapabilityTerm

    text = "szukamy kriogenicznego wymrażania"
    assert not profiles.constraints_of(session, text).capabilities
    session.add(
        CapabilityTerm(
            kind="process", slug="cryo", name_pl="Kriogeniczne wymrażanie", name_en="Cryogenic"
        )
    )
    session.flush()
    assert profiles.constraints_of(session, text).capabilities == {"cryo"}


def test_a_firm_is_suggested_for_what_its_offer_says_never_through_an_anonymous_one(
    session: Session,
):
    """A firm's profile is worded broadly; its capacity offer names the process asked for. The
    firm is a partner through that offer and says so. An anonymous offer lifts nothing: its
    owner ranking would tell whose it is; nor does a request (what a firm needs, not does)."""
    broad = {
        "description_pl": "Rodzinna firma produkcyjna z tradycjami.",
        "description_en": "A family manufacturing business.",
    }
    firms = {name: factories.organisation(session, **broad) for name in ("named", "anon", "buyer")}
    smt = {"title_pl": "Montaż SMD płytek drukowanych", "title_en": "SMD assembly of PCBs"}
    factories.opportunity(session, firms["named"], publish=True, kind="capacity_offer", **smt)
    factories.opportunity(
        session, firms["anon"], publish=True, kind="capacity_offer", anonymous=True, **smt
    )
    factories.opportunity(session, firms["buyer"], publish=True, kind="business_request", **smt)
    for kind in ("organisation", "opportunity"):
        service.refresh_items(session, SYSTEM, kind, embedder=EMBEDDER)
    hits = {hit.id: hit for hit in _hits(session, "montaż SMD płytek drukowanych")}
    named = hits[firms["named"].id]
    assert named.why is not None
    english = [m.render("en") for m in named.why.raised]
    assert "Its offer fits: SMD assembly of PCBs" in english
    assert "Pasuje jej oferta: Montaż SMD płytek drukowanych" in [
        m.render("pl") for m in named.why.raised
    ]
    for other in (firms["anon"], firms["buyer"]):
        hit = hits.get(other.id)
        if hit is not None:
            assert hit.score < named.score
            assert not any("offer" in m.render("en") for m in hit.why.raised)


def test_on_an_organisations_panel_a_buyer_is_there_for_its_request_and_says_so(
    session: Session,
):
    """For someone offering (an organisation's own panel asks with its capabilities: CNC
    milling), a firm's request is what makes it a partner: "Its request fits", never "Its
    offer fits"."""
    shop = factories.organisation(session)
    buyer = factories.organisation(
        session,
        description_pl="Rodzinna firma produkcyjna z tradycjami.",
        description_en="A family manufacturing business.",
        capabilities=[],
        pkd_codes=[{"code": "29.32.Z", "version": 2025, "is_primary": True}],
    )
    factories.opportunity(
        session,
        buyer,
        publish=True,
        kind="business_request",
        title_pl="Frezowanie CNC obudów łożysk",
        title_en="CNC milling of bearing housings",
    )
    for kind in ("organisation", "opportunity"):
        service.refresh_items(session, SYSTEM, kind, embedder=EMBEDDER)
    index = MatchIndex(EMBEDDER.name, EMBEDDER.dimension, exact_below=10**6)
    index.sync(session)
    coordinator = factories.actor_of(session, factories.user(session, role="coordinator"))
    ask = Ask(source=("organisation", shop.id), kinds=("organisation",), limit=20)
    hits = engine.match(session, coordinator, ask, embedder=EMBEDDER, index=index, today=TODAY)
    (hit,) = [h for h in hits if h.id == buyer.id]
    said = [m.render("en") for m in hit.why.raised]
    assert "Its request fits: CNC milling of bearing housings" in said
    assert not any(s.startswith("Its offer fits") for s in said)


def test_a_named_firms_offers_come_first_never_its_anonymous_or_hidden_ones(session: Session):
    """ "Kuźnia Zielińska offers": its offers do not say whose they are, yet they are what is
    asked about. An anonymous one is not found through the name (that would tell whose it
    is), and a firm the reader may not open lifts nothing of its own."""
    forge = factories.organisation(
        session, short_name="Kuźnia Zielińska", legal_name="Kuźnia Zielińska sp. z o.o."
    )
    hidden = factories.organisation(
        session,
        short_name="Odlewnia Tajna",
        legal_name="Odlewnia Tajna S.A.",
        visibility="restricted",
    )
    rings = {"title_pl": "Pierścienie walcowane", "title_en": "Rolled rings"}
    offer = factories.opportunity(session, forge, publish=True, visibility="public", **rings)
    secret = factories.opportunity(
        session, forge, publish=True, visibility="public", anonymous=True, **rings
    )
    hidden_offer = factories.opportunity(
        session, hidden, publish=True, visibility="public", **rings
    )
    for kind in ("organisation", "opportunity"):
        service.refresh_items(session, SYSTEM, kind, embedder=EMBEDDER)
    index = MatchIndex(EMBEDDER.name, EMBEDDER.dimension, exact_below=10**6)
    index.sync(session)
    reader = factories.actor_of(session, factories.user(session))

    def ask(text: str) -> list[engine.Hit]:
        asked = Ask(text=text, kinds=("organisation", "opportunity"), limit=20)
        return engine.match(session, reader, asked, embedder=EMBEDDER, index=index, today=TODAY)

    hits = ask("Kuźnia Zielińska offers")
    assert {(h.kind, h.id) for h in hits[:2]} == {
        ("organisation", forge.id),
        ("opportunity", offer.id),
    }
    first = {(h.kind, h.id): [m.render("en") for m in h.why.raised] for h in hits[:2]}
    assert "Named in your question" in first[("organisation", forge.id)]
    assert "Its organisation is named in your question" in first[("opportunity", offer.id)]
    lifted = [
        h for h in hits if h.why and any("named" in m.render("en").lower() for m in h.why.raised)
    ]
    assert {(h.kind, h.id) for h in lifted} == set(first)
    assert ("opportunity", secret.id) not in {(h.kind, h.id) for h in lifted}
    # what the name brings in beside retrieval: never the anonymous one
    need = profiles.need_for(session, reader, TODAY, text="Kuźnia Zielińska offers")
    brought = {key for key, _ in engine._named_items(session, need, set())}
    assert ("opportunity", offer.id) in brought and ("opportunity", secret.id) not in brought
    for hit in ask("Odlewnia Tajna offers"):
        assert (hit.kind, hit.id) != ("organisation", hidden.id)
        if hit.id == hidden_offer.id and hit.kind == "opportunity":
            assert not any("named" in m.render("en").lower() for m in hit.why.raised)


def test_what_the_name_or_an_offer_brings_in_is_asked_for_feedback_too(session: Session):
    """Found by the attack pass: feedback was looked up for retrieval's candidates only, so an
    offer rejected before came back when its owner was named (and a firm when its offer
    lent it a score)."""
    forge = factories.organisation(
        session, short_name="Kuźnia Zielińska", legal_name="Kuźnia Zielińska sp. z o.o."
    )
    offer = factories.opportunity(session, forge, publish=True, visibility="public")
    reader = factories.actor_of(session, factories.user(session))
    need = profiles.need_for(session, reader, TODAY, text="Kuźnia Zielińska offers")
    key = ("opportunity", offer.id)
    asked: list = []

    def said(keys):
        asked.extend(keys)
        return {key: -1.0}

    kept, scored = engine.rescore(session, [], need, TODAY, feedback=said, reader=reader)
    assert key in asked and ("organisation", forge.id) in asked
    assert key not in dict(kept) and scored[key].excluded.code == "rejected"
