"""Why a suggestion is there, in the reader's language: scoring's reasons as sentences.

`scoring` gives reasons as codes with parameters (capability slugs, a PKD level, kilometres);
here each becomes a `Message` whose parameters are the names people see: capability terms by
their Polish or English name, a partner city by its name, an opportunity kind by its label.
The caller passes those names (`Names`), read through the registry's queries; nothing here
names an anonymous opportunity's owner, because scoring is never given its owner's facts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import upland.market.labels
import upland.organisations.labels  # noqa: F401  (the kinds' labels are registered there)
from upland.i18n import N_, Joined, Message, Texts, label_message, plural_message
from upland.matching.scoring import Reason, Scored

__all__ = ["Explanation", "Names", "explain", "sentence"]


@dataclass(frozen=True)
class Names:
    """What things are called: capability and certificate slugs, partner cities by TERYT."""

    terms: Mapping[str, Texts] = field(default_factory=dict)
    cities: Mapping[str, str] = field(default_factory=dict)

    def term_list(self, slugs: object) -> Joined:
        return Joined(tuple(self.terms.get(s, Texts({"en": s})) for s in _strings(slugs)), ", ")


def _strings(value: object) -> tuple[str, ...]:
    """A reason's list parameter (slugs, words) as strings."""
    if isinstance(value, tuple | list | set | frozenset):
        return tuple(str(v) for v in value)
    return (str(value),)


@dataclass(frozen=True)
class Explanation:
    """A suggestion's score and the sentences for and against it (or why it is left out)."""

    score: float
    raised: tuple[Message, ...] = ()
    lowered: tuple[Message, ...] = ()
    excluded: Message | None = None


_LEVELS = {
    "subclass": N_("the same PKD subclass"),
    "class": N_("the same PKD class"),
    "group": N_("the same PKD group"),
    "division": N_("the same PKD division"),
}


def _kind(value: object) -> Message:
    """An opportunity kind's label, or an organisation kind's (research organisation)."""
    try:
        return label_message("opportunity_kind", value)
    except KeyError:
        return label_message("organisation_kind", value)


_Sentence = Callable[[Reason, Names], Message]

_SENTENCES: dict[str, _Sentence] = {
    "capabilities_shared": lambda r, n: Message(
        N_("Offers what is needed: {terms}"), {"terms": n.term_list(r.params["terms"])}
    ),
    "capabilities_asked": lambda r, n: Message(
        N_("Asks for: {terms}"), {"terms": n.term_list(r.params["terms"])}
    ),
    "certifications_held": lambda r, n: Message(
        N_("Holds the required certificates: {terms}"), {"terms": n.term_list(r.params["terms"])}
    ),
    "certifications_taught": lambda r, n: Message(
        N_("Teaches the required certificates: {terms}"), {"terms": n.term_list(r.params["terms"])}
    ),
    "certification_missing": lambda r, n: Message(
        N_("Lacks a required certificate: {terms}"), {"terms": n.term_list(r.params["terms"])}
    ),
    "certification_expired": lambda r, n: Message(
        N_("A required certificate has expired: {terms}"),
        {"terms": n.term_list(r.params["terms"])},
    ),
    "pkd_related": lambda r, n: Message(
        N_("Activity in {level}"), {"level": Message(_LEVELS[str(r.params["level"])])}
    ),
    "complements": lambda r, n: Message(
        N_("Answers this kind of need: {kind}"), {"kind": _kind(r.params["kind"])}
    ),
    "kind_answers": lambda r, n: Message(
        N_("Its kind answers this need: {kind}"), {"kind": _kind(r.params["kind"])}
    ),
    "kind_does_not_answer": lambda r, n: Message(
        N_("Its kind does not supply this need: {kind}"), {"kind": _kind(r.params["kind"])}
    ),
    "same_side": lambda r, n: Message(
        N_("The same side of the market: {kind}"), {"kind": _kind(r.params["kind"])}
    ),
    "trl_fits": lambda r, n: Message(
        N_("Technology readiness {trl}, at least {wanted} wanted"), dict(r.params)
    ),
    "trl_low": lambda r, n: Message(
        N_("Technology readiness {trl}, below the {wanted} wanted"), dict(r.params)
    ),
    "distance": lambda r, n: (
        plural_message(
            "{n} km from {place}",
            "{n} km from {place}",
            n=int(str(r.params["km"])),
            place=r.params["place"],
        )
        if "place" in r.params
        else plural_message("{n} km away", "{n} km away", n=int(str(r.params["km"])))
    ),
    "too_far": lambda r, n: Message(
        N_("{km} km from {place}, beyond the {limit} km asked for")
        if "place" in r.params
        else N_("{km} km away, beyond the {limit} km asked for"),
        dict(r.params),
    ),
    "location_unknown": lambda r, n: Message(N_("Location unknown")),
    "ended": lambda r, n: Message(N_("No longer open")),
    "cross_city": lambda r, n: Message(
        N_("A partner from another partner city: {city}"),
        {"city": n.cities.get(str(r.params["city"]), str(r.params["city"]))},
    ),
    "science_business": lambda r, n: Message(N_("Science and business together")),
    "feedback_useful": lambda r, n: Message(N_("Marked useful or introduced before")),
    "rejected": lambda r, n: Message(N_("Marked not relevant before")),
    "opted_out": lambda r, n: Message(N_("Does not want to be suggested")),
    "named": lambda r, n: Message(N_("Named in your question")),
    "owner_named": lambda r, n: Message(N_("Its organisation is named in your question")),
    "offer_fits": lambda r, n: Message(N_("Its offer fits: {title}"), {"title": r.params["title"]}),
    "request_fits": lambda r, n: Message(
        N_("Its request fits: {title}"), {"title": r.params["title"]}
    ),
    "matched_words": lambda r, n: Message(
        N_("Matching words: {words}"), {"words": ", ".join(_strings(r.params["words"]))}
    ),
}


def sentence(reason: Reason, names: Names) -> Message:
    """The sentence of one reason (an unknown code is a programming error: KeyError)."""
    return _SENTENCES[reason.code](reason, names)


def explain(scored: Scored, names: Names, extra: Iterable[Reason] = ()) -> Explanation:
    """The explanation of a scored suggestion; `extra` reasons (the words retrieval matched)
    come first among those for it."""
    if scored.excluded is not None:
        return Explanation(scored.total, excluded=sentence(scored.excluded, names))
    raised = [sentence(r, names) for r in extra]
    raised += [sentence(c.reason, names) for c in scored.raised if c.reason]
    lowered = [sentence(c.reason, names) for c in scored.lowered if c.reason]
    return Explanation(scored.total, tuple(raised), tuple(lowered))
