"""Where the lexicon learns (`lexicon.Lexicon`): the platform's texts written in both languages.

The reference data says every PKD 2025 activity and every capability in Polish and English
(and the PKD hints give everyday words in both); the catalogue adds the trade's own words: the
descriptions organisations wrote in both languages and the titles and descriptions of
opportunities. Only what anybody may read is learnt from (`visible_to` of an anonymous
reader), so a restricted text never shapes another user's query, and at most `MOST_ITEMS` of
each kind (the newest), which bounds the cost at any catalogue size. Each process learns once,
when it first matches a free text (about a second for the demo); items published later teach
it at the next start.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator

from sqlalchemy.orm import Session

from upland.actor import ANONYMOUS
from upland.market import queries as market
from upland.matching.index import MatchIndex
from upland.matching.lexicon import Lexicon
from upland.matching.texts import OPPORTUNITY, ORGANISATION
from upland.organisations import queries as organisations
from upland.reference.pkd_files import load_shipped
from upland.reference.pkd_texts import pkd2025_hints

__all__ = ["forget_lexicons", "lexicon_for", "parallel_texts"]

MOST_ITEMS = 5_000

_lexicons: weakref.WeakKeyDictionary[MatchIndex, Lexicon] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def lexicon_for(session: Session, index: MatchIndex) -> Lexicon:
    """The lexicon of this index's catalogue, learnt at the first call in this process."""
    with _lock:
        found = _lexicons.get(index)
        if found is None:
            found = Lexicon.learn(parallel_texts(session, index))
            _lexicons[index] = found
        return found


def forget_lexicons() -> None:
    with _lock:
        _lexicons.clear()


def parallel_texts(session: Session, index: MatchIndex) -> Iterator[tuple[str, str]]:
    """(Polish, English) texts that say the same thing: reference names, then the public
    catalogue's bilingual texts among the index's items."""
    yield from reference_texts()
    bilingual = sorted((key for key, languages in index.languages.items() if "en" in languages))
    newest = {
        kind: [item_id for k, item_id in bilingual if k == kind][-MOST_ITEMS:]
        for kind in (ORGANISATION, OPPORTUNITY)
    }
    public = organisations.visible_organisation_ids(session, ANONYMOUS, newest[ORGANISATION])
    for profile in organisations.list_profile_texts(session, sorted(public)):
        yield profile.description_pl, profile.description_en
        yield from profile.capabilities
    public = market.visible_opportunity_ids(session, ANONYMOUS, newest[OPPORTUNITY])
    for item in market.list_opportunity_texts(session, sorted(public)):
        yield item.title_pl, item.title_en
        yield item.description_pl, item.description_en
        yield from item.capabilities


def reference_texts() -> Iterator[tuple[str, str]]:
    """PKD 2025 names and hints (the capability vocabulary's names come with the items that
    use them)."""
    for entry in load_shipped(2025):
        yield entry.name_pl, entry.name_en
    for keywords in pkd2025_hints().values():
        polish, _, english = keywords.partition(";")
        if english:
            yield polish, english
