"""“Suggested for you” at a brokerage day: the other participants ranked by the matching
engine as partners of the reader's organisation, each with the engine's explanation.

The engine is asked about the reader's organisation among the participants' organisations
only, so its own rules hold: the reader's organisations are never suggested, and neither is an
organisation the reader may not see (the registry's `visible_to`) or one that opted out of
suggestions. Left out besides: guests (no organisation to match), parties the reader's
delegation already has a request with (either way, whatever its answer) and those the event's
request rules do not let the reader ask."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland.actor import Actor
from upland.errors import NotFound, PermissionDenied
from upland.events.models import Event, EventRegistration, MeetingRequest
from upland.events.queries import Participant, list_participants
from upland.events.service.requests import participant_of, party_of
from upland.events.vocab import RequestStatus
from upland.matching import engine
from upland.matching.engine import Ask
from upland.matching.explanations import Explanation
from upland.matching.index import MatchIndex
from upland.matching.texts import ORGANISATION
from upland.textkit.embedding import Embedder

LIMIT = 10


@dataclass(frozen=True)
class Suggestion:
    participant: Participant
    score: float
    why: Explanation | None

    def reasons(self, language: str) -> tuple[list[str], list[str]]:
        """The engine's sentences for and against, in `language`."""
        if self.why is None:
            return [], []
        return (
            [m.render(language) for m in self.why.raised],
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
    ask = Ask(
        source=(ORGANISATION, mine.organisation_id),
        kinds=(ORGANISATION,),
        limit=min(engine.MAX_LIMIT, len(by_organisation)),
        among=frozenset((ORGANISATION, org_id) for org_id in by_organisation),
    )
    try:
        hits = engine.match(session, actor, ask, embedder=embedder, index=index)
    except NotFound:  # the reader's organisation is not indexed yet
        return []
    found = [Suggestion(p, hit.score, hit.why) for hit in hits for p in by_organisation[hit.id]]
    return found[:limit]
