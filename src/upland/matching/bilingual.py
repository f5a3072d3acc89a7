"""Where the lexicon learns (`lexicon.Lexicon`): the platform's texts written in both languages.

The reference data says every PKD 2025 activity in Polish and English (and the PKD hints give
everyday words in both); the catalogue adds the trade's own words: the descriptions and
capabilities organisations wrote in both languages and the titles, descriptions and
capabilities of opportunities. Only what its owner published for anybody to read is learnt
from: organisations an anonymous reader may open (`visible_to`), opportunities public and
live, expired or fulfilled (`market.queries.published_to_all_ids`: an expired listing's text
was anybody's to read while it was live, and most of a catalogue's English is in its history;
never a draft, nor one its owner withdrew). The rule is applied before the newest
`MOST_ITEMS` of each kind are taken, so other items neither teach nor crowd these out, which
also bounds the cost at any catalogue size. Each process learns at its first free-text ask
(under a second on the demo), and again whenever an item it learnt from no longer qualifies
(checked at every ask: one query per kind over at most `MOST_ITEMS` ids), so a text restricted
or withdrawn since never shapes an ask; items published later teach it at the next learning.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy.orm import Session

from upland.actor import ANONYMOUS
from upland.market import queries as market
from upland.matching.index import MatchIndex
from upland.matching.lexicon import Lexicon
from upland.matching.texts import OPPORTUNITY, ORGANISATION
from upland.organisations import queries as organisations
from upland.reference.pkd_files import load_shipped
from upland.reference.pkd_texts import pkd2025_hints
from upland.textkit.tables import pairs

__all__ = ["forget_lexicons", "lexicon_for", "parallel_texts", "public_items"]

MOST_ITEMS = 1_000
_CHUNK = 5_000

_PUBLISHED: dict[str, Callable[[Session, list[int]], set[int]]] = {
    ORGANISATION: lambda session, ids: organisations.visible_organisation_ids(
        session, ANONYMOUS, ids
    ),
    OPPORTUNITY: market.published_to_all_ids,
}


@dataclass(frozen=True)
class _Learnt:
    lexicon: Lexicon
    sources: dict[str, list[int]]  # kind -> the public items it learnt from


_lexicons: weakref.WeakKeyDictionary[MatchIndex, _Learnt] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def lexicon_for(session: Session, index: MatchIndex) -> Lexicon:
    """The lexicon of this index's public catalogue, learnt again when an item it learnt from
    is no longer public."""
    with _lock:
        learnt = _lexicons.get(index)
        if learnt is None or not _still_published(session, learnt.sources):
            items = public_items(session, index)
            learnt = _Learnt(Lexicon.learn(parallel_texts(session, items)), items)
            _lexicons[index] = learnt
        return learnt.lexicon


def forget_lexicons() -> None:
    with _lock:
        _lexicons.clear()


def _still_published(session: Session, sources: dict[str, list[int]]) -> bool:
    return all(
        len(_PUBLISHED[kind](session, ids)) == len(ids) for kind, ids in sources.items() if ids
    )


def public_items(session: Session, index: MatchIndex) -> dict[str, list[int]]:
    """Per kind, the newest (highest id) `MOST_ITEMS` items of the index with English text that
    their owners published for anybody to read."""
    found: dict[str, list[int]] = {}
    for kind in (ORGANISATION, OPPORTUNITY):
        bilingual = sorted(
            (
                item_id
                for (k, item_id), langs in index.languages.items()
                if k == kind and "en" in langs
            ),
            reverse=True,
        )
        kept: list[int] = []
        for start in range(0, len(bilingual), _CHUNK):
            chunk = bilingual[start : start + _CHUNK]
            visible = _PUBLISHED[kind](session, chunk)
            kept.extend(item_id for item_id in chunk if item_id in visible)
            if len(kept) >= MOST_ITEMS:
                break
        found[kind] = sorted(kept[:MOST_ITEMS])
    return found


def parallel_texts(session: Session, items: dict[str, list[int]]) -> Iterator[tuple[str, str]]:
    """(Polish, English) texts that say the same thing: reference names, then the texts of
    these items (`public_items`)."""
    yield from reference_texts()
    for profile in organisations.list_profile_texts(session, items.get(ORGANISATION, [])):
        yield profile.description_pl, profile.description_en
        yield from profile.capabilities
    for item in market.list_opportunity_texts(session, items.get(OPPORTUNITY, [])):
        yield item.title_pl, item.title_en
        yield item.description_pl, item.description_en
        yield from item.capabilities


def reference_texts() -> Iterator[tuple[str, str]]:
    """PKD 2025 names and hints, and the trades' glossary (the capability vocabulary's names
    come with the items that use them)."""
    for entry in load_shipped(2025):
        yield entry.name_pl, entry.name_en
    for keywords in pkd2025_hints().values():
        polish, _, english = keywords.partition(";")
        if english:
            yield polish, english
    yield from glossary()


def glossary() -> tuple[tuple[str, str], ...]:
    """The trades' everyday words, Polish and English (`data/textkit/glossary_pl_en.tsv`):
    each a parallel text of a word or two, which anchors a translation the catalogue's own
    texts say too seldom ("obudowa" for "enclosure")."""
    return pairs("glossary_pl_en.tsv")
