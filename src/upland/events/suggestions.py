"""“Suggested for you” at a brokerage day: the other participants ranked by the matching
engine as partners of the reader's organisation, each with the engine's explanation.

The engine is asked about the reader's organisation among the participants' organisations
only, so its own rules hold: the reader's organisations are never suggested, and neither is an
organisation the reader may not see (the registry's `visible_to`) or one that opted out of
suggestions. Left out besides: guests (no organisation to match), parties the reader's
delegation already has a request with (either way, whatever its answer) and those the event's
request rules do not let the reader ask.

Later areas add reasons to meet (`introduce_with`: the network's "the cluster invited you to
meet"): a participant so introduced comes first, the reason before the engine's."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland.actor import Actor
from upland.errors import NotFound, PermissionDenied
from upland.events.models import Event, EventRegistration, MeetingRequest
from upland.events.queries import Participant, list_participants
from upland.events.service.requests import participant_of, party_of
from upland.events.vocab import RequestStatus
from upland.i18n import Message
from upland.matching import engine
from upland.matching.engine import Ask
from upland.matching.explanations import Explanation
from upland.matching.index import MatchIndex
from upland.matching.texts import ORGANISATION
from upland.organisations import match_facts
from upland.organisations import queries as organisations
from upland.textkit.embedding import Embedder

LIMIT = 10

# For an event and the reader's organisation: the organisations it was asked to meet there,
# each with why (registered by a later area; the events area names none).
Introducer = Callable[[Session, int, int], Mapping[int, Message]]
_introducers: list[Introducer] = []


def introduce_with(introducer: Introducer) -> Introducer:
    """Register a further reason to suggest a participant (`Introducer`)."""
    if introducer not in _introducers:
        _introducers.append(introducer)
    return introducer


@dataclass(frozen=True)
class Suggestion:
    participant: Participant
    score: float
    why: Explanation | None
    introduced: tuple[Message, ...] = ()  # reasons of the `introduce_with` registry

    def reasons(self, language: str) -> tuple[list[str], list[str]]:
        """The sentences for (an introduction's, then the engine's) and against, in `language`."""
        raised = [m.render(language) for m in self.introduced]
        if self.why is None:
            return raised, []
        return (
            raised + [m.render(language) for m in self.why.raised],
            [m.render(language) for m in self.why.lowered],
        )


def _asked(session: Session, event: Event, mine: EventRegistration) -> set[str]:
    """The parties the reader's delegation has a request with (withdrawn ones aside)."""
    own = party_of(mine)
    rows = session.scalars(
        select(MeetingRequest).where(
            MeetingRequest.event_id == event.id,
            MeetingRequest.status != RequestStatus.WITHDRAWN.value,
        )
    )
    found = set()
    for r in rows:
        sides = {party_of(r.requester), party_of(r.receiver)}
        if own in sides:
            found |= sides - {own}
    return found


def suggest_participants(
    session: Session,
    actor: Actor,
    event: Event,
    *,
    limit: int = LIMIT,
    embedder: Embedder | None = None,
    index: MatchIndex | None = None,
) -> list[Suggestion]:
    """The best `limit` participants for the reader to meet, best first, one per registration
    (a delegation's people share their organisation's score). Empty for the organiser who does
    not take part, for a guest, and while the reader's organisation is not indexed yet;
    PermissionDenied for whoever may not browse the participants."""
    participants = list_participants(session, actor, event)
    try:
        mine = participant_of(session, actor, event)
    except PermissionDenied:
        return []  # the organiser browses but takes no part
    if mine.organisation_id is None:
        return []
    asked = _asked(session, event, mine)
    rules = event.request_rules
    by_organisation: dict[int, list[Participant]] = {}
    for p in participants:
        r = p.registration
        if r.organisation_id is None or r.organisation_id == mine.organisation_id:
            continue
        allowed = not rules or [mine.participant_type, r.participant_type] in rules
        if party_of(r) in asked or not allowed:
            continue
        by_organisation.setdefault(r.organisation_id, []).append(p)
    if not by_organisation:
        return []
    introduced: dict[int, list[Message]] = {}
    for introducer in _introducers:
        for org_id, why in introducer(session, event.id, mine.organisation_id).items():
            if org_id in by_organisation:
                introduced.setdefault(org_id, []).append(why)
    # An introduction was checked when it was made; a profile restricted since is out of the
    # reader's sight now, and one that opted out since asked not to be suggested: the engine's
    # rules hold for an introduced participant too.
    seen = organisations.visible_organisation_ids(session, actor, list(introduced))
    seen -= match_facts.not_suggested_ids(session, seen)
    introduced = {org_id: why for org_id, why in introduced.items() if org_id in seen}
    ask = Ask(
        source=(ORGANISATION, mine.organisation_id),
        kinds=(ORGANISATION,),
        limit=min(engine.MAX_LIMIT, len(by_organisation)),
        among=frozenset((ORGANISATION, org_id) for org_id in by_organisation),
    )
    try:
        hits = engine.match(session, actor, ask, embedder=embedder, index=index)
    except NotFound:  # the reader's organisation is not indexed yet
        hits = []
    scored = {hit.id: hit for hit in hits}
    first = [
        Suggestion(
            p,
            scored[org_id].score if org_id in scored else 0.0,
            scored[org_id].why if org_id in scored else None,
            tuple(introduced[org_id]),
        )
        for org_id in sorted(introduced, key=lambda o: (-scored[o].score if o in scored else 0, o))
        for p in by_organisation[org_id]
    ]
    rest = [
        Suggestion(p, hit.score, hit.why)
        for hit in hits
        if hit.id not in introduced
        for p in by_organisation[hit.id]
    ]
    return [*first, *rest][:limit]
