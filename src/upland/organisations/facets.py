"""Facet tokens: every filterable fact of an organisation as one word of an inverted index.

Counting the 20 000+ matches of "city Lublin and PKD 29" by building and intersecting id sets
costs 50–100 ms on SQLite; FTS5 intersects the posting lists of `city0663011` and `pkd29` in a
few milliseconds. So `organisation.facets` (a derived column, kept with `search_text`) holds
one token per fact — kind, visibility, size, tier, membership, each site's municipality,
every level of every PKD code, every vocabulary capability — and SQLite's FTS table indexes
it beside the search text. Certifications are left out: whether one counts depends on today's
date, so that filter is counted in SQL. Of visibility the index holds only the level: who sees
what beyond the levels (own organisations, partner areas) is `upland.visibility`'s SQL.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, select, update
from sqlalchemy.orm import Session

from upland.organisations.models import (
    Organisation,
    OrganisationCapability,
    OrganisationPkd,
    Site,
)

_NOT_WORD = re.compile(r"[^0-9a-z]")
_TABLE = cast(Table, Organisation.__table__)
_ORG_COLUMNS = ("kind", "visibility", "size_class", "supply_tier", "membership_status")


def token(prefix: str, value: str) -> str:
    """`prefix` + `value` reduced to [0-9a-z], one word for FTS5's unicode61 tokenizer."""
    return prefix + _NOT_WORD.sub("", value.lower())


def kind(value: str) -> str:
    return token("kind", value)


def visibility(value: str) -> str:
    return token("vis", value)


def size(value: str) -> str:
    return token("size", value)


def tier(value: str) -> str:
    return token("tier", value)


def membership(value: str) -> str:
    return token("member", value)


def city(teryt: str) -> str:
    return token("city", teryt)


def capability(term_id: int) -> str:
    return f"cap{term_id}"


def pkd(code: str) -> str:
    """The token of a PKD filter value: a section letter, or a code at any level."""
    return token("pkd", code)


def pkd_tokens(section: str | None, code: str) -> list[str]:
    """A code's section and every prefix of it: 29.32.Z → pkd29, pkd293, pkd2932, pkd2932z."""
    compact = _NOT_WORD.sub("", code.lower())
    tokens = [pkd(compact[:end]) for end in range(2, len(compact) + 1)]
    if section:
        tokens.append(pkd(section))
    return tokens


def build(
    columns: dict[str, Any],
    teryts: Iterable[str | None],
    pkd_codes: Iterable[tuple[str | None, str]],
    term_ids: Iterable[int | None],
) -> str:
    """The facets of one organisation from its columns and its children's keys."""
    words = {
        kind(columns["kind"]),
        visibility(columns["visibility"]),
        membership(columns["membership_status"] or "none"),
    }
    if columns["size_class"]:
        words.add(size(columns["size_class"]))
    if columns["supply_tier"]:
        words.add(tier(columns["supply_tier"]))
    words.update(city(t) for t in teryts if t)
    for section, code in pkd_codes:
        words.update(pkd_tokens(section, code))
    words.update(capability(t) for t in term_ids if t is not None)
    return " ".join(sorted(words))


def of(org: Organisation) -> str:
    """The facets of a loaded organisation (the service's path)."""
    return build(
        {name: getattr(org, name) for name in _ORG_COLUMNS},
        (s.teryt for s in org.sites),
        ((p.section, p.code) for p in org.pkd_codes),
        (c.term_id for c in org.capabilities),
    )


def refresh(db: Session | Connection, org_ids: list[int]) -> int:
    """Recompute the facets of these organisations from the database; returns how many changed.

    For bulk writers that change children with Core statements (imports, migrations).
    """
    if not org_ids:
        return 0
    teryts: dict[int, list[str]] = defaultdict(list)
    codes: dict[int, list[tuple[str, str]]] = defaultdict(list)
    terms: dict[int, list[int | None]] = defaultdict(list)
    changed = []
    for start in range(0, len(org_ids), 500):
        ids = org_ids[start : start + 500]
        for org_id, teryt in db.execute(
            select(Site.organisation_id, Site.teryt).where(Site.organisation_id.in_(ids))
        ):
            teryts[org_id].append(teryt)
        for org_id, section, code in db.execute(
            select(
                OrganisationPkd.organisation_id, OrganisationPkd.section, OrganisationPkd.code
            ).where(OrganisationPkd.organisation_id.in_(ids))
        ):
            codes[org_id].append((section, code))
        for org_id, term_id in db.execute(
            select(OrganisationCapability.organisation_id, OrganisationCapability.term_id).where(
                OrganisationCapability.organisation_id.in_(ids)
            )
        ):
            terms[org_id].append(term_id)
        stmt = select(_TABLE.c.id, _TABLE.c.facets, *(_TABLE.c[n] for n in _ORG_COLUMNS)).where(
            _TABLE.c.id.in_(ids)
        )
        for row in db.execute(stmt).mappings():
            org_id = row["id"]
            facets = build(dict(row), teryts[org_id], codes[org_id], terms[org_id])
            if facets != row["facets"]:
                changed.append({"b_id": org_id, "facets": facets})
    if changed:
        db.execute(
            update(_TABLE)
            .where(_TABLE.c.id == bindparam("b_id"))
            .values(facets=bindparam("facets")),
            changed,
        )
    return len(changed)
