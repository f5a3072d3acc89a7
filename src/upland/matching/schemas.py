"""What the matching API answers."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


def _no_reasons() -> dict[str, list[str]]:
    return {"for": [], "against": []}


class SuggestionRead(BaseModel):
    """One suggestion: an organisation (`name`) or an opportunity (`name` is its title,
    `what` its kind), with the fused score and each side's own (cosine, BM25), and why, in
    the reader's language: `why.for` and `why.against` are sentences (matching words, shared
    capabilities, certificates, PKD relation, kind, distance, city…)."""

    kind: str
    id: int
    href: str
    name: str
    what: str
    score: float
    dense: float
    lexical: float
    text: float = 0.0  # the retrieval score as the structured stage took it (feedback's `text`)
    why: dict[str, list[str]] = Field(default_factory=_no_reasons)

    @classmethod
    def of(cls, row: dict[str, Any]) -> SuggestionRead:
        return cls.model_validate(row)


class NamedTerm(BaseModel):
    slug: str
    name: str


class NamedTown(BaseModel):
    teryt: str
    name: str


class ReadingRead(BaseModel):
    """What Upland read from a question: the certificates it requires (a firm without a valid
    one is left out), the towns any of which will do (and at most how far from the nearest,
    `max_km`, also a hard limit), the least TRL, the capabilities that weigh, the asker's side
    of the market (`request`: they need it; `offer`: they offer it), and all of that as
    sentences in the reader's language."""

    certifications: list[NamedTerm]
    towns: list[NamedTown]
    max_km: float | None
    min_trl: int | None
    capabilities: list[NamedTerm]
    side: str | None
    sentences: list[str]
