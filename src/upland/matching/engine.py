"""Suggestions: a text or an item in, ranked organisations and opportunities out, each one the
asker may open.

`rank` is the retrieval itself over one process's `MatchIndex` (no session): the lexical and
dense candidate lists and their fusion, in every variant the evaluation compares. `match` adds
what needs the database: the item asked about, the asker's own organisations left out, and the
registry's and the marketplace's `visible_to` (through their `queries`), widening the candidate
list until `limit` suggestions survive or the index is exhausted. Structured re-scoring
(capabilities, certificates, distance, feedback) is a later stage between the two.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from sqlalchemy.orm import Session

from upland import clock
from upland.actor import Actor
from upland.errors import Invalid, NotFound
from upland.i18n import N_, Texts
from upland.market import match_facts as market_facts
from upland.market import queries as market
from upland.market.queries import OpportunityTexts
from upland.matching import profiles, queries
from upland.matching.bilingual import forget_lexicons, lexicon_for
from upland.matching.explanations import Explanation, explain
from upland.matching.feedback import queries as feedback
from upland.matching.fusion import Weights, detect_language, fuse, rrf
from upland.matching.index import MEMBERS, PUBLIC, Key, MatchIndex, Reach
from upland.matching.lexical import matching_words, terms
from upland.matching.scoring import OFFERS, Need, Reason, Scored, Side, speaks_for_owner
from upland.matching.scoring import Weights as FeatureWeights
from upland.matching.scoring import score as score_pair
from upland.matching.texts import (
    ITEM_KINDS,
    OPPORTUNITY,
    ORGANISATION,
    POOL_STATUSES,
    item_text,
    query_text,
)
from upland.matching.weights import queries as weights_queries
from upland.organisations import match_facts as org_facts
from upland.organisations import queries as organisations
from upland.organisations.queries import ProfileTexts
from upland.permissions import require
from upland.settings import get_settings
from upland.textkit.embedding import Embedder, get_embedder

VARIANTS = ("bm25", "dense", "rrf", "hybrid")
FULL = "hybrid+structured"  # the hybrid re-scored with the structured features (`rescore`)
MAX_QUERY_CHARS = 2000
MAX_LIMIT = 100
POOL = 200  # candidates taken from each side before fusion
# A side is asked for WIDEN times more while items the reader may not open take the pool's
# places, up to MOST_CANDIDATES: beyond, unreadable items could still crowd readable ones out.
WIDEN = 4
MOST_CANDIDATES = 32 * POOL


@dataclass(frozen=True)
class Hit:
    kind: str
    id: int
    score: float
    dense: float
    lexical: float
    why: Explanation | None = None
    text: float = 0.0  # the retrieval score as scoring took it (the `text` feature)


@dataclass(frozen=True)
class Ask:
    """What is asked: a text, or an item (kind, id) whose partners are sought."""

    text: str = ""
    source: Key | None = None
    kinds: tuple[str, ...] = ITEM_KINDS
    limit: int = 10
    # Only these items may be suggested (e.g. an event's participants), each one scored however
    # far down the whole index it ranks; None: any item.
    among: frozenset[Key] | None = None


@dataclass
class Ranked:
    """One query's candidates in every variant, best first (before visibility)."""

    language: str
    dense: dict[Key, float] = field(default_factory=dict)
    lexical: dict[Key, float] = field(default_factory=dict)
    orders: dict[str, list[tuple[Key, float]]] = field(default_factory=dict)


def check_ask(ask: Ask) -> None:
    """A clear error for a query that cannot be answered (never a 500)."""
    if ask.source is None and not ask.text.strip():
        raise Invalid.one("q", N_("Type what you are looking for."), code="matching.empty")
    if len(ask.text) > MAX_QUERY_CHARS:
        raise Invalid.one(
            "q",
            N_("The query is too long: at most {limit} characters."),
            code="matching.too_long",
            limit=MAX_QUERY_CHARS,
        )
    if not 1 <= ask.limit <= MAX_LIMIT:
        raise Invalid.one(
            "limit",
            N_("Ask for between 1 and {limit} suggestions."),
            code="matching.limit",
            limit=MAX_LIMIT,
        )
    unknown = set(ask.kinds) - set(ITEM_KINDS)
    if unknown or not ask.kinds:
        raise Invalid.one("kind", N_("Unknown kind of result."), code="matching.kind")


def rank(
    index: MatchIndex,
    vector: np.ndarray,
    words: list[str],
    language: str,
    *,
    pool: int = POOL,
    weights: Weights = Weights(),
    among: frozenset[Key] | None = None,
    readable: Callable[[set[Key]], set[Key]] | None = None,
    reach: Reach | None = None,
) -> Ranked:
    """Both candidate lists for a query's vector and BM25 terms, fused in every variant; with
    `among`, every one of those items scored (however far down it would rank) and no other.
    With `readable` (the candidates the reader may open), the others are dropped before
    anything is scaled to the best candidate: an item the reader cannot open must not show
    in the scores of those they can (a hidden near-perfect match would lower them all), nor
    take a readable one's place in the pool (`_readable_best`). `reach` (the reader's, see
    `reach_of`) narrows both searches to what they may open before the rule decides."""
    if among is None:
        dense = dict(_readable_best(lambda k: index.search_dense(vector, k, reach), pool, readable))
        ceilings: list[float] = []

        def lexical_search(k: int) -> list[tuple[Key, float]]:
            hits, best_possible = index.search_lexical(words, k, reach)
            ceilings.append(best_possible)
            return hits

        lexical_hits = _readable_best(lexical_search, pool, readable)
        ceiling = ceilings[-1]
    else:
        dense = dict(index.score_dense(vector, among))
        lexical_hits, ceiling = index.score_lexical(words, among)
    if readable is not None:
        allowed = readable({*dense, *(key for key, _ in lexical_hits)})
        dense = {key: value for key, value in dense.items() if key in allowed}
        lexical_hits = [(key, value) for key, value in lexical_hits if key in allowed]
    lexical = dict(lexical_hits)
    has_language = {
        key: language in index.languages.get(key, "pl").split("+") for key in {*dense, *lexical}
    }
    ranked = Ranked(language, dense, lexical)
    ranked.orders["dense"] = list(dense.items())
    ranked.orders["bm25"] = lexical_hits
    ranked.orders["rrf"] = rrf([list(dense), [key for key, _ in lexical_hits]])
    ranked.orders["hybrid"] = fuse(dense, lexical, ceiling, has_language, weights)
    return ranked


def _readable_best(
    search: Callable[[int], list[tuple[Key, float]]],
    pool: int,
    readable: Callable[[set[Key]], set[Key]] | None,
) -> list[tuple[Key, float]]:
    """The `pool` best hits of `search` (best first, asked for `k`) that the reader may open:
    asked again for more while unreadable items take places, so that a reader's candidates do
    not depend on how many items they may not open rank above them (up to MOST_CANDIDATES)."""
    wanted = pool
    while True:
        hits = search(wanted)
        if readable is None:
            return hits
        allowed = readable({key for key, _ in hits})
        kept = [(key, score) for key, score in hits if key in allowed]
        if len(kept) >= pool or len(hits) < wanted or wanted >= MOST_CANDIDATES:
            return kept[:pool]
        wanted = min(wanted * WIDEN, MOST_CANDIDATES)


# --- the process's index -----------------------------------------------------------------------

_indexes: dict[tuple[str, str], MatchIndex] = {}
_indexes_lock = threading.Lock()


def graph_path(model: str) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in model)
    return Path(get_settings().matching_index_dir) / f"{safe}.usearch"


def current_index(session: Session, embedder: Embedder) -> MatchIndex:
    """This process's index of the session's database, brought up to date."""
    url = session.get_bind().engine.url.render_as_string(hide_password=True)
    with _indexes_lock:
        index = _indexes.get((url, embedder.name))
        if index is None:
            index = MatchIndex(
                embedder.name,
                embedder.dimension,
                exact_below=get_settings().matching_exact_below,
                dtype=get_settings().matching_graph_dtype,
                graph=graph_path(embedder.name),
            )
            _indexes[(url, embedder.name)] = index
    index.sync(session)
    return index


def forget_indexes() -> None:
    """Drop every process index (tests; after `upland index rebuild` in this process)."""
    with _indexes_lock:
        _indexes.clear()
    forget_lexicons()


# --- asking ------------------------------------------------------------------------------------


def _query(
    session: Session,
    actor: Actor,
    index: MatchIndex,
    embedder: Embedder,
    ask: Ask,
    variant: str,
) -> tuple[np.ndarray, list[str], str]:
    """The query's vector, BM25 terms and language, from its text or its item; a free text's
    terms are its topic's for the full system (`text_terms`), all its words for the others."""
    if ask.source is None:
        text = ask.text.strip()
        words = (
            text_terms(session, index, text) if variant == FULL else ask_terms(session, index, text)
        )
        return embedder.embed([text])[0], words, detect_language(text)
    kind, item_id = ask.source
    if not _visible(session, actor, kind, [item_id]):
        raise NotFound(
            "{kind} {id} does not exist", code="matching.not_found", kind=kind, id=item_id
        )
    stored = queries.get_vector(session, kind, item_id)
    if stored is None or stored.vector is None or stored.model != index.model:
        raise NotFound(
            "{kind} {id} is not indexed yet", code="matching.not_indexed", kind=kind, id=item_id
        )
    return stored.vector, source_terms(session, ask.source, stored.text), "pl"


def text_terms(session: Session, index: MatchIndex, text: str) -> list[str]:
    """The BM25 terms a free-text need asks with: its topic, without the words that state a
    certificate, a distance or a place (`asks`): those are constraints the structured stage
    honours (a missing certificate excludes, distance weighs), and as words they would only
    favour texts that repeat "ISO 9001" or name the town, whatever they do. Only for the full
    system: retrieval alone has nothing else to honour them with. The topic's words ask in
    the other language too (`bilingual`)."""
    topic = profiles.constraints_of(session, text).topic
    words = terms(topic)
    if not words:
        topic, words = text, terms(text)
    return words + lexicon_for(session, index).translate(topic)


def ask_terms(session: Session, index: MatchIndex, text: str) -> list[str]:
    """The BM25 terms of a free text, its words' translations included (`bilingual`)."""
    return terms(text) + lexicon_for(session, index).translate(text)


def source_terms(session: Session, source: Key, stored_text: str) -> list[str]:
    """The BM25 terms an item asks with: its key phrases (`texts.query_text`), or its stored
    text when its words cannot be read (an item that left the registry since it was stored)."""
    kind, item_id = source
    found = (
        organisations.list_profile_texts(session, [item_id])
        if kind == ORGANISATION
        else market.list_opportunity_texts(session, [item_id])
    )
    for item in found:
        words = terms(query_text(item))
        if words:
            return words
    return terms(stored_text)


def _visible(session: Session, actor: Actor, kind: str, ids: list[int]) -> set[int]:
    if kind == ORGANISATION:
        return organisations.visible_organisation_ids(session, actor, ids)
    return market.visible_opportunity_ids(session, actor, ids)


def _excluded(session: Session, actor: Actor, ask: Ask) -> tuple[set[int], set[Key]]:
    """The asker's own organisations (and the item's owner, when the asker may know it: an
    anonymous owner left out would be the one firm never suggested) and the item itself."""
    own = {org_id for org_id, role in actor.org_roles.items() if role}
    items: set[Key] = set()
    if ask.source is not None:
        items.add(ask.source)
        kind, item_id = ask.source
        if kind == ORGANISATION:
            own.add(item_id)
        else:
            own.update(market.known_owners(session, actor, [item_id]).values())
    return own, items


# Beyond this many items opened for who they are (an officer's area), a reader's searches
# are not narrowed: they walk everything and the rule filters (`_readable_best`).
OWN_MOST = 5_000


def reach_of(session: Session, actor: Actor) -> Reach | None:
    """What a reader's searches may be narrowed to (`index.Reach`); None for staff, who open
    every item in the index, and for a reader who opens too many for who they are."""
    if actor.is_staff:
        return None
    organisation_ids = organisations.opened_beyond_levels_ids(session, actor, most=OWN_MOST + 1)
    opportunity_ids = market.opened_beyond_levels_ids(session, actor, most=OWN_MOST + 1)
    if len(organisation_ids) + len(opportunity_ids) > OWN_MOST:
        return None
    own = {(ORGANISATION, i) for i in organisation_ids}
    own.update((OPPORTUNITY, i) for i in opportunity_ids)
    return Reach(MEMBERS if actor.is_cluster_member else PUBLIC, frozenset(own))


def readable_keys(session: Session, actor: Actor, keys: set[Key]) -> set[Key]:
    """Those of `keys` the actor may open (the core visibility rule, per kind)."""
    found: set[Key] = set()
    for kind in ITEM_KINDS:
        ids = sorted(item_id for k, item_id in keys if k == kind)
        found.update((kind, item_id) for item_id in _visible(session, actor, kind, ids))
    return found


def admit(
    session: Session,
    actor: Actor,
    ordered: list[tuple[Key, float]],
    ask: Ask,
    readable: set[Key] | None = None,
) -> list[tuple[Key, float]]:
    """The first `ask.limit` candidates of the asked kinds the actor may open, none of their
    own (nor the item asked about, nor its owner's), no organisation that opted out of
    suggestions. `readable`: those the actor may open, when already known (`readable_keys`)."""
    own, items = _excluded(session, actor, ask)
    wanted = [(key, s) for key, s in ordered if key[0] in ask.kinds and key not in items]
    opted_out = org_facts.not_suggested_ids(
        session, [key[1] for key, _ in wanted if key[0] == ORGANISATION]
    )
    # Owners only where the asker may know them: an anonymous opportunity left out as the
    # asked-about organisation's own would name that organisation as its owner.
    owners = market.known_owners(
        session, actor, [key[1] for key, _ in wanted if key[0] == OPPORTUNITY]
    )
    kept: list[tuple[Key, float]] = []
    step = max(ask.limit * 3, 30)
    for start in range(0, len(wanted), step):
        chunk = wanted[start : start + step]
        visible = (
            readable
            if readable is not None
            else readable_keys(session, actor, {key for key, _ in chunk})
        )
        for key, score in chunk:
            kind, item_id = key
            owner = item_id if kind == ORGANISATION else owners.get(item_id)
            opted = kind == ORGANISATION and item_id in opted_out
            if key in visible and owner not in own and not opted:
                kept.append((key, score))
                if len(kept) == ask.limit:
                    return kept
    return kept


def rescore(
    session: Session,
    ordered: list[tuple[Key, float]],
    need: Need,
    today: dt.date,
    weights: FeatureWeights = FeatureWeights(),
    feedback: Callable[[list[Key]], Mapping[Key, float]] | None = None,
    kinds: tuple[str, ...] = ITEM_KINDS,
    reader: Actor | None = None,
    lent: dict[Key, Key] | None = None,
) -> tuple[list[tuple[Key, float]], dict[Key, Scored]]:
    """The fused candidates of the asked `kinds` re-scored with the structured features, best
    first; those a hard constraint excludes (or feedback rejected) are left out. The retrieval
    score scaled to the best asked-for candidate's is the `text` feature: an item of a kind
    not asked for (an organisation's own near-identical request, when only organisations are
    wanted) must not squash the differences between those that are. An organisation scores
    at least a share of its best fitting offer (`_with_owners`); `lent` receives which offer
    that was, by organisation. `feedback` gives what users said of the candidates, asked once
    they are all known: one brought in by its name or by its offer and rejected before is
    left out as any other is."""
    everything = ordered + _named_items(session, need, {key for key, _ in ordered})
    ordered = [(key, score) for key, score in everything if key[0] in kinds]
    if not ordered:
        return [], {}
    found = profiles.sides(session, [key for key, _ in everything], today, reader)
    if ORGANISATION in kinds:  # owners the reader may open: the scale below tells nothing
        ordered = _with_owners(session, ordered, everything, found, need, today, reader, lent)
    best = max(score for _, score in ordered) or 1.0
    said = feedback([key for key, _ in ordered]) if feedback is not None else {}
    scored: dict[Key, Scored] = {}
    for key, fused in ordered:
        side = found.get(key)
        if side is not None:
            text = max(0.0, fused / best)
            scored[key] = score_pair(need, side, text, weights, said.get(key, 0.0))
    kept = [(key, s.total) for key, s in scored.items() if s.excluded is None]
    kept.sort(key=lambda item: (-item[1], item[0]))
    return kept, scored


def _named_items(session: Session, need: Need, known: set[Key]) -> list[tuple[Key, float]]:
    """The organisations the need names and their published opportunities that name them,
    those retrieval missed, as candidates that the words found nothing in (scoring ranks
    what the need names first: "Tłocznia Kozłowski offers" asks about its offers, whose
    texts need not say whose they are). The reader's rules still apply after (`admit`)."""
    if not need.named:
        return []
    ids = market_facts.named_ids_of_owners(session, need.named, POOL_STATUSES)
    keys = [(ORGANISATION, org_id) for org_id in sorted(need.named)]
    keys += [(OPPORTUNITY, item_id) for item_id in ids]
    return [(key, 0.0) for key in keys if key not in known]


INHERITED = 0.6  # dev: 0.4 0.876, 0.5-0.7 0.881, 0.8 0.875, 1.0 0.870


def _with_owners(
    session: Session,
    ordered: list[tuple[Key, float]],
    everything: list[tuple[Key, float]],
    found: dict[Key, Side],
    need: Need,
    today: dt.date,
    reader: Actor | None,
    lent: dict[Key, Key] | None,
) -> list[tuple[Key, float]]:
    """The organisations' fused scores raised to `INHERITED` of their best fitting offer's
    (`scoring.speaks_for_owner`; `found` gains the sides of owners retrieval missed): a firm
    whose capacity offer is the answer is a partner, even when its profile is worded more
    broadly. Only offers whose owner the reader may know count: an anonymous one must not
    lift, and so name, its owner."""
    best_item: dict[int, tuple[float, Key]] = {}
    for key, fused in everything:
        side = found.get(key)
        if side is None or side.owner is None or not speaks_for_owner(need, side):
            continue
        if fused > best_item.get(side.owner, (0.0, key))[0]:
            best_item[side.owner] = (fused, key)
    if not best_item:
        return ordered
    fused_of = dict(ordered)
    missing = [(ORGANISATION, o) for o in best_item if (ORGANISATION, o) not in fused_of]
    found.update(profiles.sides(session, missing, today, reader))
    for owner, (fused, item) in best_item.items():
        key = (ORGANISATION, owner)
        if INHERITED * fused > fused_of.get(key, 0.0):
            fused_of[key] = INHERITED * fused
            if lent is not None:
                lent[key] = item
    return sorted(fused_of.items(), key=lambda item: (-item[1], item[0]))


def match(
    session: Session,
    actor: Actor,
    ask: Ask,
    *,
    embedder: Embedder | None = None,
    index: MatchIndex | None = None,
    weights: Weights = Weights(),
    features: FeatureWeights | None = None,
    variant: str = FULL,
    today: dt.date | None = None,
    left_out: list[Hit] | None = None,
) -> list[Hit]:
    """The best `ask.limit` suggestions for a text or an item that `actor` may open, each with
    why it is there (for the full variant). The structured stage weighs the features with
    `features`, by default the coordinator's saved weights, and what feedback says. With
    `left_out`, it receives the best-worded candidates the need's requirements left out (a
    missing or expired certificate, too far), those the reader may open, each with why: the
    firm the asker expected, and why it is not among the suggestions."""
    require(actor, "matching.match")
    check_ask(ask)
    model = embedder or get_embedder()
    found = index or current_index(session, model)
    vector, words, language = _query(session, actor, found, model, ask, variant)
    readable: set[Key] = set()
    asked: set[Key] = set()

    def openable(keys: set[Key]) -> set[Key]:
        # Each key asked once per ask (the pools may widen): `admit` reuses the answer.
        new = keys - asked
        if new:
            readable.update(readable_keys(session, actor, new))
            asked.update(new)
        return readable

    reach = reach_of(session, actor) if ask.among is None else None
    ranked = rank(
        found,
        vector,
        words,
        language,
        weights=weights,
        among=ask.among,
        readable=openable,
        reach=reach,
    )
    scored: dict[Key, Scored] = {}
    lent: dict[Key, Key] = {}
    if variant == FULL:
        day = today or clock.today()
        need = profiles.need_for(session, actor, day, text=ask.text, source=ask.source)
        candidates = ranked.orders["hybrid"]

        def said(keys: list[Key]) -> Mapping[Key, float]:
            return feedback.feedback_values(session, actor, ask.source, ask.text, keys)

        chosen = features or weights_queries.current_weights(session)
        ordered, scored = rescore(
            session, candidates, need, day, chosen, said, ask.kinds, reader=actor, lent=lent
        )
        openable({key for key, _ in ordered})  # owners their offers brought in
    else:
        ordered = ranked.orders[variant]
    kept = admit(session, actor, ordered, ask, readable)
    missed = _left_out(session, actor, ask, scored, readable) if left_out is not None else []
    names = profiles.names_for(
        session, _slugs(scored[key] for key, _ in [*kept, *missed] if key in scored)
    )

    def hit(key: Key, score: float, why: Explanation | None, text: float) -> Hit:
        dense, lexical = ranked.dense.get(key, 0.0), ranked.lexical.get(key, 0.0)
        return Hit(key[0], key[1], score, dense, lexical, why, text)

    if left_out is not None:
        left_out.extend(hit(key, text, explain(scored[key], names), text) for key, text in missed)
    matched = _matched_words(session, [key for key, _ in kept if key in scored], words)
    for key, reasons in _offers_that_fit(session, [key for key, _ in kept], lent).items():
        matched.setdefault(key, []).extend(reasons)
    return [
        hit(
            key,
            score,
            explain(scored[key], names, matched.get(key, ())) if key in scored else None,
            _text_of(scored.get(key)),
        )
        for key, score in kept
    ]


LEFT_OUT = 3
# What a need's requirements leave out, as opposed to what the reader or the item's owner
# decided (an opt-out, an earlier rejection), which is never shown.
REQUIREMENTS = frozenset({"certification_missing", "certification_expired", "too_far"})


def _left_out(
    session: Session, actor: Actor, ask: Ask, scored: Mapping[Key, Scored], readable: set[Key]
) -> list[tuple[Key, float]]:
    """The `LEFT_OUT` candidates with the best text score that a requirement left out and the
    reader may open (`admit`'s rules), with that score."""
    excluded = {
        key: s.excluded.code
        for key, s in scored.items()
        if s.excluded is not None and s.excluded.code in REQUIREMENTS
    }
    # A request supplies nothing: that it lacks a certificate says nothing worth showing.
    facts = market_facts.list_match_facts(
        session, [item_id for kind, item_id in excluded if kind == OPPORTUNITY]
    )
    requests = {(OPPORTUNITY, item_id) for item_id, f in facts.items() if f.kind not in OFFERS}
    missed = sorted(
        (
            (key, _text_of(scored[key]))
            for key, code in excluded.items()
            if not (key in requests and code != "too_far")
        ),
        key=lambda item: (-item[1], item[0]),
    )
    return admit(session, actor, missed, replace(ask, limit=LEFT_OUT), readable)


def _matched_words(session: Session, keys: list[Key], words: list[str]) -> dict[Key, list[Reason]]:
    """Per suggestion, the reason naming its words the ask found, in its text as it is now
    (titles, descriptions, capabilities: what the reader may open; an anonymous opportunity's
    text never names its owner), not as last embedded: an edit's old words are gone."""
    ids = {kind: [item_id for k, item_id in keys if k == kind] for kind in ITEM_KINDS}
    live: list[ProfileTexts | OpportunityTexts] = [
        *organisations.list_profile_texts(session, ids[ORGANISATION]),
        *market.list_opportunity_texts(session, ids[OPPORTUNITY]),
    ]
    found: dict[Key, list[Reason]] = {}
    for source in live:
        text = item_text(source)
        shown = matching_words(text.text, words)
        if shown:
            found[(text.kind, text.id)] = [Reason("matched_words", {"words": tuple(shown)})]
    return found


def _offers_that_fit(
    session: Session, keys: list[Key], lent: Mapping[Key, Key]
) -> dict[Key, list[Reason]]:
    """Per organisation ranked by its opportunity's fit, the reason naming it: an offer, or a
    request (for someone offering, a buyer is ranked by what it asks for)."""
    wanted = {key: lent[key] for key in keys if key in lent}
    found = {
        source.id: source
        for source in market.list_opportunity_texts(session, [i for _, i in wanted.values()])
    }
    return {
        key: [
            Reason(
                "offer_fits" if found[item_id].kind in OFFERS else "request_fits",
                {"title": Texts({"pl": found[item_id].title_pl, "en": found[item_id].title_en})},
            )
        ]
        for key, (_, item_id) in wanted.items()
        if item_id in found
    }


def _text_of(scored: Scored | None) -> float:
    if scored is None:
        return 0.0
    return next((c.value for c in scored.contributions if c.feature == "text"), 0.0)


def _slugs(scored: Iterable[Scored]) -> set[str]:
    """The vocabulary slugs the reasons name (to look their names up once)."""
    found: set[str] = set()
    for s in scored:
        reasons = [part.reason for part in s.contributions]
        for reason in [*reasons, s.excluded]:
            terms = reason.params.get("terms") if reason is not None else None
            if isinstance(terms, tuple):
                found.update(str(t) for t in terms)
    return found
