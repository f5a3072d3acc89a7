"""`upland bench matchlearn`: what feedback and learnt weights add to matching.

Generates (fixed seed) an asking organisation's feedback history: `rows` verdicts (default
10 000) over 2 000 candidate organisations, a third of them "not relevant", each with ten
feature values, and a few saved weight versions. Then, in the same run:

- **feedback lookup per query** (what `engine.match` adds to every ask): the project's
  `feedback.queries.feedback_values` for 200 candidates (the hybrid's pool), the marketplace's
  introductions included, against a naive baseline that reads all the organisation's verdict
  rows (`SELECT target_kind, target_id, useful … WHERE organisation_id = ?`) and keeps the
  pool's;
- **the weights that rank** (`weights.queries.current_weights`, one row read per query);
- **learning a proposal**: `weights.learning.learn` (L2 logistic regression, Newton) on every
  verdict against ordinary least squares on the same matrix (`numpy.linalg.lstsq`).

Prints p50/p95 in milliseconds (or seconds for learning) and the ratio to the baseline.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import numpy as np
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from upland.actor import Actor, OrgRole
from upland.bench.harness import (
    Report,
    machine,
    measure,
    number,
    prepare_database,
    sqlite_database,
    write_section,
)
from upland.matching.feedback import queries as feedback
from upland.matching.feedback.models import MatchFeedback
from upland.matching.scoring import FEATURES, Weights
from upland.matching.weights import learning
from upland.matching.weights import queries as weights
from upland.matching.weights.models import MatchWeights
from upland.organisations.models import Organisation

SEED = 2026
ROWS = 10_000
TARGETS = 2_000
POOL = 200
COLUMNS = ("Figure", "Upland", "Baseline", "Ratio")


def _prepare(session: Session, rows: int) -> tuple[int, list[tuple[str, int]]]:
    rng = random.Random(SEED)
    orgs = [
        Organisation(kind="company", legal_name=f"Firma {i}", short_name=f"F{i}", name_key=f"f{i}")
        for i in range(TARGETS + 1)
    ]
    session.add_all(orgs)
    session.flush()
    asker, targets = orgs[0].id, [o.id for o in orgs[1:]]
    for start in range(0, rows, 2000):
        batch = []
        for _ in range(start, min(rows, start + 2000)):
            useful = rng.random() > 1 / 3
            batch.append(
                MatchFeedback(
                    organisation_id=asker,
                    query_hash=f"{rng.randrange(50):064x}",
                    target_kind="organisation",
                    target_id=rng.choice(targets),
                    useful=useful,
                    reason="" if useful else "wrong_field",
                    features={f: round(rng.uniform(-1, 1), 3) for f in FEATURES},
                )
            )
        session.add_all(batch)
        session.flush()
    for version in range(5):
        session.add(MatchWeights(status="saved", values={"pkd": 0.2 + version / 100}))
    session.flush()
    return asker, [("organisation", t) for t in rng.sample(targets, POOL)]


def _ratio(project: float, baseline: float) -> str:
    """How many times faster (or slower) the project is than the baseline."""
    if not project or not baseline:
        return "-"
    if project <= baseline:
        return f"{baseline / project:.1f}x faster"
    return f"{project / baseline:.1f}x slower"


def main(
    rows: int | None = None,
    database_url: str | None = None,
    quiet: bool = False,
    markdown: Path | None = None,
) -> dict[str, Report]:
    """SQLite only (`database_url` is accepted for the harness and ignored here)."""
    count = rows or ROWS
    print(
        f"matchlearn: {number(count)} verdicts of one organisation over {number(TARGETS)} "
        f"candidates (seed {SEED}), lookups for a pool of {POOL}; {machine()}"
    )
    report = Report(f"SQLite, {number(count)} verdicts", COLUMNS)
    with sqlite_database("matchlearn.db") as url:
        engine = prepare_database(url)
        try:
            with Session(engine) as session, session.begin():
                asker, keys = _prepare(session, count)
                actor = Actor(user_id=1, label="bench", org_roles={asker: OrgRole.VIEWER})

                def project() -> object:
                    return feedback.feedback_values(session, actor, None, "spawanie", keys)

                pool = set(keys)

                def baseline() -> object:
                    rows = session.execute(
                        text(
                            "SELECT target_kind, target_id, useful FROM match_feedback "
                            "WHERE organisation_id = :org"
                        ),
                        {"org": asker},
                    )
                    return [r for r in rows if (r[0], r[1]) in pool]

                ours, theirs = measure(project, 30, 3), measure(baseline, 30, 3)
                report.line(
                    f"feedback lookup p50 {ours.p50:.2f} ms (baseline {theirs.p50:.2f} ms, "
                    f"{_ratio(ours.p50, theirs.p50)}); p95 {ours.p95:.2f} ms "
                    f"(baseline {theirs.p95:.2f} ms, {_ratio(ours.p95, theirs.p95)})",
                    "feedback lookup per query, p95",
                    f"{ours.p95:.2f} ms",
                    f"{theirs.p95:.2f} ms (read all, keep the pool's)",
                    _ratio(ours.p95, theirs.p95),
                )
                read = measure(lambda: weights.current_weights(session), 200, 10)
                report.line(f"weights that rank p50 {read.p50:.3f} ms")
                built = measure(Weights, 200, 10)
                report.line(
                    f"weights that rank p95 {read.p95:.3f} ms (the defaults built in memory "
                    f"{built.p95:.4f} ms)",
                    "weights that rank, p95",
                    f"{read.p95:.3f} ms",
                    f"{built.p95:.4f} ms (defaults in memory)",
                    _ratio(read.p95, built.p95),
                )
                examples = [
                    (dict(f), bool(u))
                    for f, u in session.execute(
                        select(MatchFeedback.features, MatchFeedback.useful)
                    )
                ]
                started = time.perf_counter()
                learnt = learning.learn(examples, Weights())
                ours_s = time.perf_counter() - started
                x = np.array([[f[n] for n in FEATURES] for f, _ in examples])
                y = np.array([float(u) for _, u in examples])
                started = time.perf_counter()
                np.linalg.lstsq(np.hstack([x, np.ones((len(x), 1))]), y, rcond=None)
                theirs_s = time.perf_counter() - started
                assert learnt is not None
                report.line(
                    f"learning a proposal from {number(len(examples))} verdicts {ours_s:.3f} s "
                    f"(least squares {theirs_s:.4f} s, {_ratio(ours_s, theirs_s)})",
                    f"learn from {number(len(examples))} verdicts",
                    f"{ours_s:.3f} s",
                    f"{theirs_s:.4f} s (least squares)",
                    _ratio(ours_s, theirs_s),
                )
        finally:
            engine.dispose()
    if markdown is not None:
        write_section(markdown, "matchlearn", f"{machine()}\n\n{report.markdown()}")
    return {"sqlite": report}
