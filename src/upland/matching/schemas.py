"""What the matching API answers."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class SuggestionRead(BaseModel):
    """One suggestion: an organisation (`name`) or an opportunity (`name` is its title,
    `what` its kind), with the fused score and each side's own (cosine, BM25)."""

    kind: str
    id: int
    name: str
    what: str
    score: float
    dense: float
    lexical: float
    text: float = 0.0  # the retrieval score as the structured stage took it (feedback's `text`)

    @classmethod
    def of(cls, row: dict[str, Any]) -> SuggestionRead:
        return cls.model_validate(row)
