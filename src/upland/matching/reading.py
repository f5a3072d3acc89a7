"""What Upland read from a free-text question, said back to the asker.

A question such as "odlewy z IATF 16949, do 100 km od Radomia lub Kielc" carries constraints
that scoring honours strictly (a firm without the certificate, or farther than 100 km from
both towns, is left out). Said back ("Certificates required: IATF 16949 · Within 100 km of:
Radom, Kielce"), the asker sees why a firm they expected is missing and can reword the
question, instead of guessing at an empty list.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from upland.actor import Actor
from upland.i18n import N_, Joined, Message
from upland.matching import engine, profiles
from upland.matching.asks import OFFER, REQUEST, Constraints
from upland.matching.explanations import Names
from upland.permissions import require

__all__ = ["Reading", "read_back", "read_question"]


@dataclass(frozen=True)
class Reading:
    """A question's constraints, what their terms are called, and the sentences that say them."""

    constraints: Constraints
    names: Names
    sentences: tuple[Message, ...]


_SIDES = {
    REQUEST: N_("You need it: offers and firms that can do it come first"),
    OFFER: N_("You offer it: requests come first"),
}


def read_back(found: Constraints, names: Names) -> tuple[Message, ...]:
    """The constraints as sentences, hard ones first (a pure function: `names` from the
    caller)."""
    said: list[Message] = []
    if found.certifications:
        terms = names.term_list(sorted(found.certifications))
        said.append(Message(N_("Certificates required: {terms}"), {"terms": terms}))
    if found.towns:
        places = Joined(tuple(town.name for town in found.towns), ", ")
        if found.max_km is not None:
            limit = {"km": round(found.max_km), "places": places}
            said.append(Message(N_("Within {km} km of: {places}"), limit))
        else:
            said.append(Message(N_("Near: {places}"), {"places": places}))
    if found.min_trl is not None:
        said.append(Message(N_("Technology readiness at least {trl}"), {"trl": found.min_trl}))
    if found.capabilities:
        terms = names.term_list(sorted(found.capabilities))
        # someone offering names what they do, not what they seek
        sentence = (
            N_("Capabilities you offer: {terms}")
            if found.side == OFFER
            else N_("Capabilities sought: {terms}")
        )
        said.append(Message(sentence, {"terms": terms}))
    if found.side in _SIDES:
        said.append(Message(_SIDES[found.side]))
    return tuple(said)


def read_question(session: Session, actor: Actor, text: str) -> Reading:
    """What this database's vocabulary and municipalities read from `text`, for whoever may
    ask `match` (the same clear errors for an empty or too long question)."""
    require(actor, "matching.match")
    engine.check_ask(engine.Ask(text=text))
    found = profiles.constraints_of(session, text)
    names = profiles.names_for(session, found.certifications | found.capabilities)
    return Reading(found, names, read_back(found, names))
