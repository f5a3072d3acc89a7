"""Suggestions as plain dictionaries for the CLI and the API: what each item is called in the
reader's language. An opportunity's owner is never named here (an anonymous one's must not
be); its page says who owns it to whoever may know."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from upland.i18n import label
from upland.market import queries as market
from upland.matching.engine import Hit
from upland.matching.reading import Reading
from upland.matching.texts import OPPORTUNITY, ORGANISATION
from upland.organisations import queries as organisations

PUBLISHED = "published"


def describe(session: Session, hits: list[Hit], language: str = "en") -> list[dict[str, Any]]:
    org_ids = [h.id for h in hits if h.kind == ORGANISATION]
    opp_ids = [h.id for h in hits if h.kind == OPPORTUNITY]
    names = {f.id: f.name for f in organisations.owner_facts(session, org_ids).values()}
    titles: dict[int, tuple[str, str]] = {}
    for opp in market.list_opportunity_texts(session, opp_ids):
        title = (opp.title_en or opp.title_pl) if language == "en" else opp.title_pl
        what = opp.kind_names[1 if language == "en" else 0]
        if opp.status != PUBLISHED:  # staff are suggested ended ones too: say so
            what = f"{what} · {label('opportunity_status', opp.status, language)}"
        titles[opp.id] = (title, what)
    described = []
    for hit in hits:
        if hit.kind == ORGANISATION:
            name, what = names.get(hit.id, ""), ""
        else:
            name, what = titles.get(hit.id, ("", ""))
        described.append(
            {
                "kind": hit.kind,
                "id": hit.id,
                "href": f"/organisations/{hit.id}"
                if hit.kind == ORGANISATION
                else f"/market/{hit.id}",
                "name": name,
                "what": what,
                "score": round(hit.score, 4),
                "dense": round(hit.dense, 4),
                "lexical": round(hit.lexical, 4),
                "text": round(hit.text, 4),
                "why": _why(hit, language),
            }
        )
    return described


def _why(hit: Hit, language: str) -> dict[str, list[str]]:
    """The explanation's sentences in the reader's language: for and against."""
    if hit.why is None:
        return {"for": [], "against": []}
    if hit.why.excluded is not None:  # a candidate a requirement left out (`left_out`)
        return {"for": [], "against": [hit.why.excluded.render(language)]}
    return {
        "for": [m.render(language) for m in hit.why.raised],
        "against": [m.render(language) for m in hit.why.lowered],
    }


def describe_reading(reading: Reading, language: str = "en") -> dict[str, Any]:
    """What a question was read to state, with names and sentences in the reader's language."""
    found, terms = reading.constraints, reading.names.terms

    def named(slugs: frozenset[str]) -> list[dict[str, str]]:
        return [
            {"slug": slug, "name": terms[slug].render(language) if slug in terms else slug}
            for slug in sorted(slugs)
        ]

    return {
        "certifications": named(found.certifications),
        "towns": [{"teryt": town.teryt, "name": town.name} for town in found.towns],
        "max_km": found.max_km,
        "min_trl": found.min_trl,
        "capabilities": named(found.capabilities),
        "side": found.side,
        "sentences": [sentence.render(language) for sentence in reading.sentences],
    }
