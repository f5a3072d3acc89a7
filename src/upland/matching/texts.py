"""The one text an item is matched on, from its words as the registry and the marketplace give
them (pure: no session). Capabilities and PKD activities are written in both languages, so a
Polish-only profile still carries the English names of what it does, and the other way round.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from upland.market.queries import OpportunityTexts
from upland.organisations.queries import ProfileTexts

ORGANISATION = "organisation"
OPPORTUNITY = "opportunity"
ITEM_KINDS = (ORGANISATION, OPPORTUNITY)

# Opportunities in the pool: ever published (closed ones stay matchable for whoever may open
# them: staff; `visible_to` decides who that is). Drafts and those in review never are.
POOL_STATUSES = frozenset({"published", "expired", "fulfilled", "withdrawn"})


@dataclass(frozen=True)
class ItemText:
    """What is embedded and indexed for one item, and in which languages its own words are."""

    kind: str
    id: int
    text: str
    languages: str  # "pl" or "pl+en" (capability names are bilingual whatever this says)

    @property
    def text_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def _pairs(pairs: tuple[tuple[str, str], ...]) -> list[str]:
    return [" / ".join(dict.fromkeys(name for name in pair if name)) for pair in pairs]


def _join(*parts: str | list[str]) -> str:
    lines: list[str] = []
    for part in parts:
        text = "; ".join(p for p in part if p) if isinstance(part, list) else part
        if text.strip():
            lines.append(text.strip())
    return "\n".join(lines)


def _languages(*english: str) -> str:
    return "pl+en" if any(text.strip() for text in english) else "pl"


def item_text(source: ProfileTexts | OpportunityTexts) -> ItemText:
    """The text of an organisation (names, descriptions, capabilities, PKD activities) or of an
    opportunity (titles, descriptions, kind, capabilities, process/machine/equipment)."""
    if isinstance(source, ProfileTexts):
        names = list(dict.fromkeys(n for n in (source.short_name, source.legal_name) if n))
        text = _join(
            names,
            source.description_pl,
            source.description_en,
            _pairs(source.capabilities),
            list(source.labels),
            _pairs(source.activities),
        )
        return ItemText(ORGANISATION, source.id, text, _languages(source.description_en))
    text = _join(
        [source.title_pl, source.title_en],
        source.description_pl,
        source.description_en,
        _pairs((source.kind_names,)),
        _pairs(source.capabilities),
        list(source.extra),
    )
    return ItemText(
        OPPORTUNITY, source.id, text, _languages(source.title_en, source.description_en)
    )


def in_pool(source: ProfileTexts | OpportunityTexts) -> bool:
    """Whether an item can be suggested at all (to someone allowed to open it)."""
    return isinstance(source, ProfileTexts) or source.status in POOL_STATUSES


def query_text(source: ProfileTexts | OpportunityTexts) -> str:
    """The words an item asks with when its partners are sought: its key phrases, not its
    whole text. An opportunity's titles (they name the need), capabilities and
    process/machine/equipment; an organisation's capabilities, its own labels for them and its
    PKD activities. Left out: descriptions (long, full of words every firm writes), names
    and the opportunity's kind ("zapytanie biznesowe / business request" would find other
    requests of the same kind, the opposite of a partner)."""
    if isinstance(source, ProfileTexts):
        return _join(_pairs(source.capabilities), list(source.labels), _pairs(source.activities))
    titles = [source.title_pl, source.title_en]
    return _join(titles, _pairs(source.capabilities), list(source.extra))
