"""Input and output shapes of relations, shared by the web forms, the JSON API and the CLI."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from upland.db import RowId
from upland.network.vocab import Declared

NOTE_MAX = 1_000
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=NOTE_MAX)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RelationDeclare(Strict):
    """`organisation_id` declares that it is `kind` of `partner_id` since `starts_on`."""

    organisation_id: RowId
    partner_id: RowId
    kind: Declared
    starts_on: dt.date
    ends_on: dt.date | None = None
    note: Note = ""


class RelationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    type: str
    source: str
    status: str
    from_id: int
    to_id: int
    directed: bool
    weight: float
    starts_on: dt.date
    ends_on: dt.date | None
    detail: str
