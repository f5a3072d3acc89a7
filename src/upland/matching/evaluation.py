"""`upland eval matching`: the engine's ranking against the frozen graded set (`eval_data`).

Metrics at 10 (pure functions): nDCG with gain 2^grade − 1 against the ideal order of every
judged item; recall of the relevant items (grade ≥ 1); MRR of the first relevant item; and
judged@10, the share of the top ten that has a judgment at all. An unjudged result counts as
gain 0 in nDCG but is reported through judged@10, not hidden: a low judged@10 means the
figure is a lower bound. The run is the coordinator's, who may open every item of the pool.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from upland import clock
from upland.actor import Actor
from upland.market import queries as market
from upland.matching import profiles, queries
from upland.matching.engine import (
    FULL,
    VARIANTS,
    Ask,
    admit,
    ask_terms,
    rank,
    rescore,
    source_terms,
    text_terms,
)
from upland.matching.eval_data import EvalQuery, EvalSet, ItemRef, opportunity_key
from upland.matching.fusion import Weights, detect_language
from upland.matching.index import Key, MatchIndex
from upland.matching.texts import ITEM_KINDS, OPPORTUNITY, ORGANISATION
from upland.organisations import queries as organisations
from upland.textkit.embedding import Embedder

K = 10
COORDINATOR = Actor(user_id=0, label="evaluation", is_coordinator=True)
RESULT_KINDS = {
    "organisations": (ORGANISATION,),
    "opportunities": (OPPORTUNITY,),
    "both": ITEM_KINDS,
}


def ndcg(ranked: Sequence[int | None], judged: Sequence[int], k: int = K) -> float:
    """nDCG@k of grades in ranked order (None: unjudged, gain 0) against all judged grades."""
    gains = [(2**g - 1) if g else 0 for g in ranked[:k]]
    dcg = sum(gain / math.log2(i + 2) for i, gain in enumerate(gains))
    ideal = sorted(((2**g - 1) for g in judged), reverse=True)[:k]
    best = sum(gain / math.log2(i + 2) for i, gain in enumerate(ideal))
    return dcg / best if best else 0.0


def recall(ranked: Sequence[int | None], judged: Sequence[int], k: int = K) -> float:
    relevant = sum(1 for g in judged if g >= 1)
    found = sum(1 for g in ranked[:k] if g is not None and g >= 1)
    return found / relevant if relevant else 0.0


def reciprocal_rank(ranked: Sequence[int | None], k: int = K) -> float:
    for position, grade in enumerate(ranked[:k], start=1):
        if grade is not None and grade >= 1:
            return 1.0 / position
    return 0.0


def judged_share(ranked: Sequence[int | None], k: int = K) -> float:
    top = ranked[:k]
    return sum(1 for g in top if g is not None) / len(top) if top else 0.0


@dataclass
class Scores:
    """Sums of each metric over queries, for one variant and one subset of queries."""

    n: int = 0
    sums: dict[str, float] = field(
        default_factory=lambda: dict.fromkeys(("ndcg", "recall", "mrr", "judged"), 0.0)
    )

    def add(self, ranked: Sequence[int | None], judged: Sequence[int]) -> None:
        self.n += 1
        self.sums["ndcg"] += ndcg(ranked, judged)
        self.sums["recall"] += recall(ranked, judged)
        self.sums["mrr"] += reciprocal_rank(ranked)
        self.sums["judged"] += judged_share(ranked)

    def mean(self, metric: str) -> float:
        return self.sums[metric] / self.n if self.n else 0.0


@dataclass
class Report:
    """Per subset ("all", "cross-language", "same-language"), per variant."""

    subsets: dict[str, dict[str, Scores]] = field(default_factory=dict)
    unresolved: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    # The pool still to judge: per query, the items some variant put in its top ten that the
    # set has no grade for (no rank, no variant: judges grade them blind).
    unjudged: dict[str, set[ItemRef]] = field(default_factory=dict)

    def add(self, subset: str, variant: str, ranked: list[int | None], judged: list[int]) -> None:
        self.subsets.setdefault(subset, {}).setdefault(variant, Scores()).add(ranked, judged)

    def lines(self) -> list[str]:
        out = []
        for subset, variants in self.subsets.items():
            n = next(iter(variants.values())).n
            out.append(f"{subset} ({n} queries)")
            out.append(f"  {'variant':<17} nDCG@10 recall@10   MRR  judged@10")
            for variant in (*VARIANTS, FULL):
                s = variants.get(variant)
                if s is not None:
                    out.append(
                        f"  {variant:<17} {s.mean('ndcg'):7.3f} {s.mean('recall'):9.3f} "
                        f"{s.mean('mrr'):5.3f} {s.mean('judged'):10.3f}"
                    )
        return out


def item_keys(session: Session) -> dict[ItemRef, Key]:
    """The evaluation set's names of items (legal name; owner's legal name|Polish title)."""
    names: dict[int, str] = {}
    found: dict[ItemRef, Key] = {}
    for org in organisations.list_profile_texts(session):
        names[org.id] = org.legal_name
        found[ItemRef(ORGANISATION, org.legal_name)] = (ORGANISATION, org.id)
    for opp in market.list_opportunity_texts(session):
        ref = ItemRef(OPPORTUNITY, opportunity_key(names.get(opp.owner_id, ""), opp.title_pl))
        found[ref] = (OPPORTUNITY, opp.id)
    return found


def write_pool(unjudged: dict[str, set[ItemRef]], path: Path) -> int:
    """The pooled items to judge as CSV rows `query_id,item_kind,item_key`, each query's items
    in an order that tells nothing of rank or variant (by a digest of the key); their count."""
    rows = [
        (query_id, ref.kind, ref.key)
        for query_id in sorted(unjudged)
        for ref in sorted(
            unjudged[query_id], key=lambda r: hashlib.sha256(f"{r.kind}|{r.key}".encode()).digest()
        )
    ]
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(("query_id", "item_kind", "item_key"))
        writer.writerows(rows)
    return len(rows)


def evaluate(
    session: Session,
    index: MatchIndex,
    embedder: Embedder,
    eval_set: EvalSet,
    chosen: list[EvalQuery],
    *,
    weights: Weights = Weights(),
    today: dt.date | None = None,
) -> Report:
    """Every variant's top ten for every chosen query, scored against its judgments.
    Certificates are valid or expired on `today` (default: the domain clock's day, the demo's
    dates being set relative to the day it was loaded)."""
    today = today or clock.today()
    keys = item_keys(session)
    refs = {key: ref for ref, key in keys.items()}
    report = Report()
    texts = [q.text for q in chosen if q.kind == "text"]
    vectors = dict(zip(texts, embedder.embed(texts), strict=True)) if texts else {}
    for query in chosen:
        grades = {keys[ref]: g for ref, g in eval_set.grades(query.query_id).items() if ref in keys}
        report.unresolved.extend(
            f"{query.query_id}: {ref.key}"
            for ref in eval_set.grades(query.query_id)
            if ref not in keys
        )
        if not any(g >= 1 for g in grades.values()):
            report.skipped.append(query.query_id)
            continue
        if query.kind == "text":
            ask = Ask(text=query.text, kinds=RESULT_KINDS[query.results], limit=K)
            vector, language = vectors[query.text], detect_language(query.text)
            words = ask_terms(session, index, query.text)
        else:
            assert query.source is not None
            source = keys.get(query.source)
            stored = queries.get_vector(session, *source) if source else None
            if source is None or stored is None or stored.vector is None:
                report.skipped.append(query.query_id)
                continue
            ask = Ask(source=source, kinds=RESULT_KINDS[query.results], limit=K)
            vector, words, language = (
                stored.vector,
                source_terms(session, source, stored.text),
                "pl",
            )
        ranked = rank(index, vector, words, language, weights=weights)
        subset = "cross-language" if query.cross_language else "same-language"
        need = profiles.need_for(session, COORDINATOR, today, text=ask.text, source=ask.source)
        orders = dict(ranked.orders)
        full = ranked
        if query.kind == "text":  # the full system retrieves on the need's topic (`text_terms`)
            full = rank(
                index, vector, text_terms(session, index, query.text), language, weights=weights
            )
        orders[FULL] = rescore(session, full.orders["hybrid"], need, today, kinds=ask.kinds)[0]
        for variant in (*VARIANTS, FULL):
            top = admit(session, COORDINATOR, orders[variant], ask)
            found = [grades.get(key) for key, _ in top]
            report.unjudged.setdefault(query.query_id, set()).update(
                refs[key] for key, _ in top if key not in grades and key in refs
            )
            report.add("all", variant, found, list(grades.values()))
            report.add(subset, variant, found, list(grades.values()))
    return report
