"""Missing ties, from the network's structure: pairs of organisations that have never had a
relation but share partners, scored by Adamic–Adar (each shared partner counts 1 / log of its
number of ties, so a partner of few counts more than a hub), raised for pairs that serve the
letter of intent's aims (across partner cities, science with business), and kept only where
the matching engine also finds the two fit as partners. Pure: the caller passes the ties, the
organisations' facts and the matching scores.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

Pair = tuple[int, int]  # the smaller id first

CROSS_CITY_BONUS = 0.5  # two partner areas: what the letter of intent wants more of
SCIENCE_BUSINESS_BONUS = 0.5  # a research organisation with a company
MIN_MATCH = 0.1  # the matching engine's least score for a pair to be suggested
RESEARCH, COMPANY = "research", "company"


def pair_of(a: int, b: int) -> Pair:
    return (a, b) if a < b else (b, a)


@dataclass(frozen=True)
class Org:
    """What the bonuses need of an organisation: its partner area (None: outside) and kind."""

    city: str | None
    kind: str | None


@dataclass(frozen=True)
class Candidate:
    """A pair without a tie that shares partners (`shared`, ascending)."""

    pair: Pair
    shared: tuple[int, ...]
    adamic_adar: float


@dataclass(frozen=True)
class Recommendation:
    pair: Pair
    shared: tuple[int, ...]
    adamic_adar: float
    cross_city: bool
    science_business: bool
    structure: float  # Adamic–Adar with the aims' bonuses
    match: float  # the matching engine's score of the pair
    score: float  # structure × match


def candidates(ties: Iterable[tuple[int, int]], never: Collection[Pair] = ()) -> list[Candidate]:
    """Every pair at distance two in the (undirected, simple) graph of `ties` that is not in
    `never` (pairs that ever had a relation), by Adamic–Adar, best first."""
    neighbours: dict[int, set[int]] = defaultdict(set)
    for a, b in ties:
        if a != b:
            neighbours[a].add(b)
            neighbours[b].add(a)
    tied = {pair_of(a, b) for a, b in ties} | set(never)
    score: dict[Pair, float] = defaultdict(float)
    shared: dict[Pair, list[int]] = defaultdict(list)
    for middle, around in neighbours.items():
        if len(around) < 2:
            continue
        weight = 1 / math.log(len(around))
        ordered = sorted(around)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if (a, b) not in tied:
                    score[(a, b)] += weight
                    shared[(a, b)].append(middle)
    found = [Candidate(p, tuple(sorted(shared[p])), s) for p, s in score.items()]
    found.sort(key=lambda c: (-c.adamic_adar, c.pair))
    return found


def cross_city(a: Org | None, b: Org | None) -> bool:
    """Two different partner areas ("outside" is no partner area)."""
    return bool(a and b and a.city and b.city and a.city != b.city)


def science_business(a: Org | None, b: Org | None) -> bool:
    return bool(a and b and {a.kind, b.kind} == {RESEARCH, COMPANY})


def structure(candidate: Candidate, orgs: Mapping[int, Org]) -> float:
    """Adamic–Adar raised by the aims' bonuses."""
    a, b = (orgs.get(i) for i in candidate.pair)
    bonus = 1.0
    bonus += CROSS_CITY_BONUS if cross_city(a, b) else 0.0
    bonus += SCIENCE_BUSINESS_BONUS if science_business(a, b) else 0.0
    return candidate.adamic_adar * bonus


def rank(
    found: Iterable[Candidate],
    orgs: Mapping[int, Org],
    match: Mapping[Pair, float],
    *,
    min_match: float = MIN_MATCH,
    limit: int | None = None,
) -> list[Recommendation]:
    """The candidates the matching engine also suggests (score at least `min_match`; a pair
    it did not score is left out), by structure × match, best first."""
    kept = []
    for c in found:
        fit = match.get(c.pair)
        if fit is None or fit < min_match:
            continue
        a, b = (orgs.get(i) for i in c.pair)
        lifted = structure(c, orgs)
        kept.append(
            Recommendation(
                c.pair,
                c.shared,
                c.adamic_adar,
                cross_city(a, b),
                science_business(a, b),
                lifted,
                fit,
                lifted * fit,
            )
        )
    kept.sort(key=lambda r: (-r.score, r.pair))
    return kept if limit is None else kept[:limit]
