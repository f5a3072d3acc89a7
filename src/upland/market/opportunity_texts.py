"""What later areas read of an opportunity's words (matching embeds and indexes them): titles,
descriptions, kind and capabilities in both languages, with its status, owner and languages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland.i18n import label
from upland.market.models import Opportunity, OpportunityCapability
from upland.reference import queries as reference


@dataclass(frozen=True)
class OpportunityTexts:
    """An opportunity's words as plain data. `kind_names` and each capability are (Polish,
    English); `extra` holds the kind-specific fields (process, machine, equipment…)."""

    id: int
    owner_id: int
    kind: str
    status: str
    title_pl: str
    title_en: str
    description_pl: str
    description_en: str
    kind_names: tuple[str, str]
    capabilities: tuple[tuple[str, str], ...]
    extra: tuple[str, ...]


def _capabilities(session: Session, ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    rows = session.execute(
        select(OpportunityCapability.opportunity_id, OpportunityCapability.term_id)
        .where(OpportunityCapability.opportunity_id.in_(ids))
        .order_by(OpportunityCapability.id)
    ).all()
    names = reference.term_names(session, (r.term_id for r in rows))
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for opportunity_id, term_id in rows:
        if term_id in names:
            found[opportunity_id].append(names[term_id])
    return found


def list_opportunity_texts(
    session: Session, ids: Iterable[int] | None = None, *, batch: int = 500
) -> Iterator[OpportunityTexts]:
    """The words of these opportunities (every one when `ids` is None), in every state, by id.
    Who may see them is `permissions.visible_to`, applied by the reading area."""
    wanted = (
        sorted(set(ids))
        if ids is not None
        else list(session.scalars(select(Opportunity.id).order_by(Opportunity.id)))
    )
    columns = (
        Opportunity.id,
        Opportunity.owner_id,
        Opportunity.kind,
        Opportunity.status,
        Opportunity.title_pl,
        Opportunity.title_en,
        Opportunity.description_pl,
        Opportunity.description_en,
        Opportunity.process,
        Opportunity.machine,
        Opportunity.equipment,
    )
    for start in range(0, len(wanted), batch):
        chunk = wanted[start : start + batch]
        capabilities = _capabilities(session, chunk)
        stmt = select(*columns).where(Opportunity.id.in_(chunk)).order_by(Opportunity.id)
        for row in session.execute(stmt):
            yield OpportunityTexts(
                id=row.id,
                owner_id=row.owner_id,
                kind=row.kind,
                status=row.status,
                title_pl=row.title_pl or "",
                title_en=row.title_en or "",
                description_pl=row.description_pl or "",
                description_en=row.description_en or "",
                kind_names=(
                    label("opportunity_kind", row.kind, "pl"),
                    label("opportunity_kind", row.kind, "en"),
                ),
                capabilities=tuple(capabilities[row.id]),
                extra=tuple(t for t in (row.process, row.machine, row.equipment) if t),
            )
