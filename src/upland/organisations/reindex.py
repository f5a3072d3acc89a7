"""Re-analyse every organisation's search columns, after the analyser (`textkit.analysis`) or its
override list changed. Only the derived search columns change: no audit entry, no new
`updated_at`, facets untouched."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from upland.actor import Actor
from upland.organisations.derived import SOURCE_COLUMNS, Children, derive
from upland.organisations.models import Organisation
from upland.organisations.profile_texts import capability_rows
from upland.permissions import require
from upland.reference import queries as reference

_TABLE = cast(Table, Organisation.__table__)
_SEARCH = ("search_name", "search_text")


def _labels(session: Session, ids: list[int], terms: dict[int, str]) -> dict[int, list[str]]:
    """Capability labels, then vocabulary names, as `service.refresh_derived` lists them."""
    own: dict[int, list[str]] = defaultdict(list)
    names: dict[int, list[str]] = defaultdict(list)
    for org_id, label, term_id in capability_rows(session, ids):
        own[org_id].append(label or "")
        if term_id in terms:
            names[org_id].append(terms[term_id])
    return {org_id: own[org_id] + names[org_id] for org_id in ids}


def reindex_search(
    session: Session,
    actor: Actor,
    *,
    batch: int = 1000,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute the search columns of every organisation; returns how many changed."""
    require(actor, "organisations.organisation.import")
    cities = {m.teryt: m.name for m in reference.list_municipalities(session)}
    terms = {t.id: f"{t.name_pl} {t.name_en}" for t in reference.list_capability_terms(session)}
    ids = list(session.scalars(select(Organisation.id).order_by(Organisation.id)))
    changed = 0
    columns = [_TABLE.c[name] for name in ("id", "teryt", *SOURCE_COLUMNS, *_SEARCH)]
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        labels = _labels(session, chunk, terms)
        updates: list[dict[str, Any]] = []
        for row in session.execute(select(*columns).where(_TABLE.c.id.in_(chunk))).mappings():
            teryt = row["teryt"]
            children = Children(
                teryt, cities.get(teryt, "") if teryt else "", labels[row["id"]], None
            )
            values = derive(dict(row), children)
            if any(values[name] != row[name] for name in _SEARCH):
                updates.append({"b_id": row["id"], **{n: values[n] for n in _SEARCH}})
        if updates:
            stmt = (
                update(_TABLE)
                .where(_TABLE.c.id == bindparam("b_id"))
                .values({name: bindparam(name) for name in _SEARCH})
            )
            session.execute(stmt, updates)
        changed += len(updates)
        if progress:
            progress(min(start + batch, len(ids)), len(ids))
    return changed
