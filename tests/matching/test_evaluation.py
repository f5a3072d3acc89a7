"""`upland eval matching` end to end on the demo world (the fast hashing embedder: this checks
the pipeline, not the figures): every judged item resolves, every variant is scored."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy.orm import Session

from upland.actor import SYSTEM
from upland.matching import service
from upland.matching.engine import FULL, VARIANTS
from upland.matching.eval_data import load_eval_set
from upland.matching.evaluation import evaluate, item_keys, write_pool
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

    # The pool to judge: exactly what some variant ranked in a top ten without a grade.
    judged = {(j.query_id, j.item) for j in eval_set.judgments}
    assert any(report.unjudged.values())
    for query_id, refs in report.unjudged.items():  # empty for a query judged to the full
        assert not any((query_id, ref) in judged for ref in refs)


def test_the_pool_is_written_in_an_order_that_tells_no_rank(tmp_path: Path) -> None:
    from upland.matching.eval_data import ItemRef

    refs = [ItemRef("organisation", f"Firma {n}") for n in range(20)]
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert write_pool({"q002": set(refs[:3]), "q001": set(refs)}, first) == 23
    assert write_pool({"q001": set(reversed(refs)), "q002": set(refs[:3])}, second) == 23
    rows = list(csv.reader(first.open(encoding="utf-8")))
    assert rows[0] == ["query_id", "item_kind", "item_key"]
    assert [r[0] for r in rows[1:]] == ["q001"] * 20 + ["q002"] * 3
    assert first.read_bytes() == second.read_bytes()
    assert [r[2] for r in rows[1:21]] != [r.key for r in refs]
