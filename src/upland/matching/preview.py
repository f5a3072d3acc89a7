"""What a change of weights does before it is saved: each example ask's top ten under the
weights that rank now and under the candidate, with how far each suggestion moved."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from upland.actor import Actor
from upland.matching import engine
from upland.matching.presenters import describe
from upland.matching.scoring import Weights
from upland.matching.texts import ITEM_KINDS, OPPORTUNITY, ORGANISATION
from upland.matching.weights.models import MatchExample
from upland.textkit.embedding import Embedder

TOP = 10
KINDS = {"": ITEM_KINDS, "organisations": (ORGANISATION,), "opportunities": (OPPORTUNITY,)}


@dataclass(frozen=True)
class Moved:
    """One suggestion of the candidate's top ten (or one that left it: `after` is None)."""

    kind: str
    id: int
    name: str
    href: str
    before: int | None  # rank under the current weights, 1-based; None: not in their top ten
    after: int | None

    @property
    def change(self) -> int | None:
        """Places gained (positive) or lost; None when it entered or left the top ten."""
        if self.before is None or self.after is None:
            return None
        return self.before - self.after


@dataclass
class ExamplePreview:
    example_id: int
    text: str
    rows: list[Moved] = field(default_factory=list)
    left: list[Moved] = field(default_factory=list)  # in the current top ten, not the new one

    @property
    def changed(self) -> bool:
        return bool(self.left) or any(r.before != r.after for r in self.rows)


def preview(
    session: Session,
    actor: Actor,
    examples: list[MatchExample],
    candidate: Weights,
    language: str = "en",
    *,
    embedder: Embedder | None = None,
) -> list[ExamplePreview]:
    """Each example's top ten before (the weights that rank now) and after (`candidate`)."""
    found = []
    for example in examples:
        ask = engine.Ask(text=example.text, kinds=KINDS.get(example.kind, ITEM_KINDS), limit=TOP)
        before = describe(session, engine.match(session, actor, ask, embedder=embedder), language)
        after = describe(
            session,
            engine.match(session, actor, ask, embedder=embedder, features=candidate),
            language,
        )
        rank_before = {(r["kind"], r["id"]): i for i, r in enumerate(before, 1)}
        rank_after = {(r["kind"], r["id"]): i for i, r in enumerate(after, 1)}
        shown = ExamplePreview(example.id, example.text)
        shown.rows = [_moved(r, rank_before, rank_after) for r in after]
        shown.left = [
            _moved(r, rank_before, rank_after)
            for r in before
            if (r["kind"], r["id"]) not in rank_after
        ]
        found.append(shown)
    return found


def _moved(
    row: dict[str, Any], before: dict[tuple[str, int], int], after: dict[tuple[str, int], int]
) -> Moved:
    key = (row["kind"], row["id"])
    return Moved(row["kind"], row["id"], row["name"], row["href"], before.get(key), after.get(key))
