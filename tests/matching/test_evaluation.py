"""`upland eval matching` end to end on the demo world (the fast hashing embedder: this checks
the pipeline, not the figures): every judged item resolves, every variant is scored."""

from __future__ import annotations

from sqlalchemy.orm import Session

from upland.actor import SYSTEM
from upland.matching import service
from upland.matching.engine import FULL, VARIANTS
from upland.matching.eval_data import load_eval_set
from upland.matching.evaluation import evaluate, item_keys
from upland.matching.index import MatchIndex
from upland.textkit.embedding import HashingEmbedder


def test_the_evaluation_runs_on_the_demo_world(demo_session: Session) -> None:
    embedder = HashingEmbedder(dimension=128)
    for kind in ("organisation", "opportunity"):
        service.refresh_items(demo_session, SYSTEM, kind, embedder=embedder)
    index = MatchIndex(embedder.name, embedder.dimension)
    index.sync(demo_session)
    eval_set = load_eval_set()
    keys = item_keys(demo_session)
    assert all(j.item in keys for j in eval_set.judgments)
    chosen = eval_set.split("dev")[:12]
    report = evaluate(demo_session, index, embedder, eval_set, chosen)
    assert report.unresolved == []
    scored = report.subsets["all"]
    assert set(scored) == {*VARIANTS, FULL}
    assert all(s.n == len(chosen) - len(report.skipped) > 0 for s in scored.values())
    assert scored["bm25"].mean("ndcg") > 0.2
