"""Recommendations as plain dictionaries for the page, the API and the CLI: why each pair is
there and an introduction note, in the reader's language."""

from __future__ import annotations

from typing import Any

from upland.i18n import N_, Message, plural_message
from upland.network.recommendations.queries import Invitation, InvitedPair, Named, Shown


def _org(named: Named) -> dict[str, Any]:
    return {"id": named.id, "name": named.name, "href": f"/organisations/{named.id}"}


def reasons(shown: Shown) -> list[Message]:
    """Why the pair: the shared partners (named where the reader may open them), then the
    matching engine's reasons (among them the aims served: across cities, science with
    business)."""
    found: list[Message] = []
    if shown.shared:
        names = ", ".join(p.name for p in shown.shared)
        found.append(Message(N_("Partners in common: {names}"), {"names": names}))
    if shown.unnamed:
        found.append(
            plural_message(
                "{n} more partner in common",
                "{n} more partners in common",
                n=shown.unnamed,
            )
        )
    return [*found, *shown.reasons]


def note(shown: Shown, invitation: Invitation | None, language: str) -> Message:
    """A short introduction note the coordinator can send to both."""
    if invitation is None:
        return Message(
            N_(
                "{a} and {b} have not worked together yet, but they share partners and the "
                "matching engine finds they fit. We would like to introduce you to each other."
            ),
            {"a": shown.a.name, "b": shown.b.name},
        )
    title = invitation.title_en if language == "en" and invitation.title_en else invitation.title_pl
    return Message(
        N_(
            "{a} and {b} have not worked together yet, but they share partners and the "
            "matching engine finds they fit. We invite you both to {event} ({day}) to meet."
        ),
        {
            "a": shown.a.name,
            "b": shown.b.name,
            "event": title,
            "day": invitation.starts_on.isoformat() if invitation.starts_on else "",
        },
    )


def as_dict(shown: Shown, invitation: Invitation | None, language: str) -> dict[str, Any]:
    return {
        "a": _org(shown.a),
        "b": _org(shown.b),
        "score": round(shown.score, 4),
        "structure": round(shown.structure, 4),
        "match": round(shown.match, 4),
        "adamic_adar": round(shown.adamic_adar, 4),
        "cross_city": shown.cross_city,
        "science_business": shown.science_business,
        "shared": [_org(p) for p in shown.shared],
        "unnamed_shared": shown.unnamed,
        "why": [m.render(language) for m in reasons(shown)],
        "note": note(shown, invitation, language).render(language),
        "invited": invited_dict(shown.invited, language) if shown.invited else None,
    }


def invited_dict(invited: InvitedPair, language: str) -> dict[str, Any]:
    """A pair invited to a brokerage day: to what, when, and whether each side registered
    (null to a reader who may not see the event's registrations)."""
    return {
        "id": invited.id,
        "a": {**_org(invited.a), "registered": invited.a_registered},
        "b": {**_org(invited.b), "registered": invited.b_registered},
        "event": invitation_dict(invited.event, language),
        "invited_at": invited.invited_at.isoformat(),
    }


def invitation_dict(invitation: Invitation | None, language: str) -> dict[str, Any] | None:
    if invitation is None:
        return None
    title = invitation.title_en if language == "en" and invitation.title_en else invitation.title_pl
    return {
        "id": invitation.id,
        "title": title,
        "starts_on": invitation.starts_on.isoformat() if invitation.starts_on else None,
        "href": f"/events/{invitation.id}",
    }
