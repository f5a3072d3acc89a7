"""The plain facts scoring weighs, read through the registry's and marketplace's queries.

An organisation's side is its kind, headquarters (partner city, position), PKD codes,
capabilities and certificates valid on the day. An opportunity's side is its own facts (kind,
TRL, PKD codes, what it offers or requires) and, only when its owner is named, the owner's
kind and place: an anonymous owner's kind or city would say who it is in an explanation. The
need is the asker's side (their organisation, or the item whose partners are sought) with the
constraints its text states (`asks`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from sqlalchemy.orm import Session

from upland.actor import Actor
from upland.i18n import Texts
from upland.market import match_facts as market
from upland.matching.asks import (
    OFFER,
    Constraints,
    Term,
    Town,
    Towns,
    named_organisations,
    read_constraints,
)
from upland.matching.explanations import Names
from upland.matching.index import Key
from upland.matching.scoring import OFFERS, TRAINING, Need, Side
from upland.matching.texts import OPPORTUNITY, ORGANISATION
from upland.organisations import match_facts as organisations
from upland.organisations import queries as registry
from upland.reference import queries as reference
from upland.reference.locations import location_of
from upland.settings import get_settings
from upland.textkit.tables import pairs

__all__ = ["constraints_of", "names_for", "need_for", "sides"]


def _organisation_side(facts: organisations.OrganisationFacts) -> Side:
    return Side(
        ORGANISATION,
        org_kind=facts.kind,
        capabilities=frozenset(facts.capabilities),
        certifications=frozenset(facts.certifications),
        expired_certifications=frozenset(facts.expired_certifications),
        pkd=frozenset(facts.pkd),
        partner_city=get_settings().partner_of(facts.teryt),
        location=location_of(facts.teryt),
        opted_out=facts.not_suggested,
        owner=facts.id,
    )


def _opportunity_side(
    facts: market.OpportunityFacts, owner: organisations.OrganisationFacts | None
) -> Side:
    named = owner if owner is not None and not facts.anonymous else None
    # The certificates an offer comes with: those it states and, when its owner is named, the
    # owner's valid ones (a capacity offer rarely repeats them); an anonymous owner's would
    # tell who it is. A request supplies nothing, so its owner's say nothing of it; a training
    # offer's are its course's subjects (scoring says "teaches"), whatever its provider holds.
    stated = frozenset(facts.certifications_offered)
    supplies = facts.kind in OFFERS and facts.kind != TRAINING
    held = stated | frozenset(named.certifications if named and supplies else ())
    return Side(
        OPPORTUNITY,
        org_kind=named.kind if named else None,
        opportunity_kind=facts.kind,
        capabilities=frozenset(facts.offered | facts.required),
        certifications=held,
        expired_certifications=frozenset(named.expired_certifications if named and supplies else ())
        - held,
        required_certifications=frozenset(facts.certifications_required),
        pkd=frozenset(facts.pkd),
        partner_city=get_settings().partner_of(named.teryt) if named else None,
        location=location_of(named.teryt) if named else None,
        trl=facts.trl,
        owner=facts.owner_id if named else None,
        ended=facts.status != PUBLISHED,
    )


def sides(
    session: Session, keys: Iterable[Key], today: dt.date, reader: Actor | None = None
) -> dict[Key, Side]:
    """The side of each item (organisations and opportunities by key). With `reader`, an
    opportunity whose owner's profile the reader may not open gives nothing of its owner, as
    an anonymous one does: its certificates, kind and town would show in the reasons ("Holds
    the required certificates", "153 km away") of a firm the reader may not look at."""
    keys = list(keys)
    opportunities = market.list_match_facts(
        session, [item_id for kind, item_id in keys if kind == OPPORTUNITY]
    )
    owners = {f.owner_id for f in opportunities.values()}
    if reader is not None:
        owners = registry.visible_organisation_ids(session, reader, owners)
    org_ids = {item_id for kind, item_id in keys if kind == ORGANISATION} | owners
    orgs = organisations.list_match_facts(session, org_ids, today)
    found: dict[Key, Side] = {}
    for kind, item_id in keys:
        if kind == ORGANISATION and item_id in orgs:
            found[(kind, item_id)] = _organisation_side(orgs[item_id])
        elif kind == OPPORTUNITY and item_id in opportunities:
            facts = opportunities[item_id]
            owner = orgs.get(facts.owner_id) if facts.owner_id in owners else None
            found[(kind, item_id)] = _opportunity_side(facts, owner)
    return found


@dataclass(frozen=True, eq=False)
class _Reader:
    """The vocabulary and the municipalities as `asks` reads them (hashed by identity)."""

    terms: tuple[Term, ...]
    towns: Towns
    materials: frozenset[str] = frozenset()  # the terms that name a material ("steel")


_readers: dict[tuple[str, int, int], _Reader] = {}


@lru_cache(maxsize=1)
def capability_aliases() -> dict[str, tuple[str, ...]]:
    """The everyday names of capabilities by slug (`data/textkit/capability_aliases.tsv`):
    a need says "hartowanie" or "powder coating", not the vocabulary's "Obróbka cieplna" or
    "Surface treatment and painting"."""
    found: dict[str, list[str]] = {}
    for slug, alias in pairs("capability_aliases.tsv"):
        found.setdefault(slug, []).append(alias)
    return {slug: tuple(names) for slug, names in found.items()}


def _reader(session: Session) -> _Reader:
    """Built once per process and database, again when the vocabulary or the municipalities
    change size (a term or a municipality register added); two counts, not the 2 500
    municipalities, are read to tell."""
    url = session.get_bind().engine.url.render_as_string(hide_password=True)
    key = (url, *reference.choice_counts(session))
    reader = _readers.get(key)
    if reader is None:
        terms = tuple(
            Term(t.slug, t.kind, (t.name_pl, t.name_en), capability_aliases().get(t.slug, ()))
            for t in reference.list_capability_terms(session)
        )
        reader = _Reader(
            terms,
            Towns(
                Town(m.teryt, m.name, str(m.kind), m.population or 0, bool(m.is_partner))
                for m in reference.list_municipalities(session)
            ),
            frozenset(t.slug for t in terms if t.kind == MATERIAL),
        )
        _readers.clear()
        _readers[key] = reader
        _read.cache_clear()
    return reader


@lru_cache(maxsize=256)
def _read(reader: _Reader, text: str) -> Constraints:
    """A text read once per reader: one ask reads its text for the need, for its topic and
    for the reading said back."""
    return read_constraints(text, reader.terms, reader.towns)


def constraints_of(session: Session, text: str) -> Constraints:
    """The constraints a free-text need states (certificates, capabilities, town, distance,
    TRL), read with this database's vocabulary and municipalities."""
    return _read(_reader(session), text)


def _materials(session: Session, slugs: frozenset[str]) -> frozenset[str]:
    """Those of `slugs` that the vocabulary calls materials."""
    return slugs & _reader(session).materials if slugs else frozenset()


MATERIAL = "material"
PUBLISHED = "published"


def need_for(
    session: Session,
    actor: Actor,
    today: dt.date,
    *,
    text: str = "",
    source: Key | None = None,
) -> Need:
    """What is sought: a free text's constraints with the asker's own organisation as their
    side, or the item whose partners are sought as the side."""
    if source is not None:
        asker = sides(session, [source], today, actor).get(source, Side(source[0]))
        if source[0] == OPPORTUNITY:
            return Need(
                asker=asker,
                capabilities=asker.capabilities,
                required_certifications=asker.required_certifications,
                materials=_materials(session, asker.capabilities),
            )
        # An organisation's profile says what it does: the opportunities that answer it are
        # requests for that (its customers), weighed as a stated side, not a fact.
        return Need(
            asker=asker,
            capabilities=asker.capabilities,
            side=OFFER,
            materials=_materials(session, asker.capabilities),
        )
    own = [org_id for org_id, role in actor.org_roles.items() if role]
    firm = (
        sides(session, [(ORGANISATION, own[0])], today).get((ORGANISATION, own[0]))
        if len(own) == 1
        else None
    )
    # A free text states what is sought; what the asker's own firm does (its capabilities and
    # PKD codes) is not it: a welding shop asking for a foundry wants foundries, not its
    # competitors. Its kind and town still weigh (science-business, cross-city).
    asker = replace(firm, capabilities=frozenset(), pkd=frozenset()) if firm else Side(ORGANISATION)
    reader = _reader(session) if text.strip() else None
    found = _read(reader, text) if reader is not None else Constraints()
    located = [
        (place, town.name) for town in found.towns if (place := location_of(town.teryt)) is not None
    ]
    return Need(
        asker=asker,
        capabilities=found.capabilities,
        materials=found.capabilities & reader.materials if reader is not None else frozenset(),
        required_certifications=found.certifications,
        places=tuple(place for place, _ in located),
        place_names=tuple(name for _, name in located),
        max_km=found.max_km,
        min_trl=found.min_trl,
        side=found.side,
        named=named_organisations(text, organisations.list_names(session))
        if text.strip()
        else frozenset(),
    )


def names_for(session: Session, slugs: Iterable[str]) -> Names:
    """What explanations call these terms and the partner cities."""
    wanted = set(slugs)
    terms = {
        t.slug: Texts({"pl": t.name_pl, "en": t.name_en})
        for t in reference.list_capability_terms(session)
        if t.slug in wanted
    }
    cities = reference.municipality_names(session, get_settings().partner_municipalities)
    return Names(terms=terms, cities=cities)
