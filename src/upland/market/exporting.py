"""Exports of the browse list (CSV, JSON): exactly the rows the same filter lists for the
reader, a teaser as a teaser, the owner only where `may_see_owner` allows."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from sqlalchemy.orm import Session

from upland.market.presenters import owners_of, summary
from upland.market.queries import Shown
from upland.organisations.imports.format import neutralise

COLUMNS = (
    "id",
    "kind",
    "title_pl",
    "title_en",
    "sections",
    "teaser",
    "owner",
    "owner_kind",
    "trl",
    "deadline",
    "expires_on",
    "published_at",
    "places",
)


def rows_of(session: Session, items: Iterable[Shown], batch: int = 500) -> Iterator[dict[str, Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, batch)):
        owners = owners_of(session, chunk)
        for item in chunk:
            read = summary(item, owners)
            yield {
                "id": read.id,
                "kind": read.kind,
                "title_pl": read.title_pl,
                "title_en": read.title_en,
                "sections": " ".join(read.sections),
                "teaser": read.teaser,
                "owner": read.owner.name if read.owner else "",
                "owner_kind": read.owner.kind if read.owner else "",
                "trl": read.trl,
                "deadline": read.deadline.isoformat() if read.deadline else "",
                "expires_on": read.expires_on.isoformat() if read.expires_on else "",
                "published_at": read.published_at.isoformat() if read.published_at else "",
                "places": " ".join(read.places),
            }


def csv_chunks(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(COLUMNS)
    for count, row in enumerate(rows, 1):
        writer.writerow([neutralise(row[c]) for c in COLUMNS])
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_chunks(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    yield '{"items": ['
    for index, row in enumerate(rows):
        yield ("," if index else "") + json.dumps(row, ensure_ascii=False)
    yield "]}"
