"""Exports of exactly what a filtered list shows: CSV and JSON streamed row by row (the XLSX,
for people, is `workbook`).

The columns are the import's (`imports.format.FILE_COLUMNS`), so an export re-imports: CSV and
XLSX carry the header in English or Polish, and text a spreadsheet would run as a formula
gets a leading quote that the import takes off again.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland.actor import Actor
from upland.organisations import permissions as _rules  # noqa: F401 - registers the rules
from upland.organisations.imports.format import FILE_COLUMNS, Exported, neutralise
from upland.organisations.models import Organisation, OrganisationCapability, Person, Site
from upland.permissions import allowed
from upland.reference import queries as reference

Language = Literal["en", "pl"]
BATCH = 500


def header(language: Language = "en") -> list[str]:
    """The header row: column names in English, or the Polish headers."""
    return [c.name if language == "en" else c.polish for c in FILE_COLUMNS]


def rows_of(
    session: Session, actor: Actor, organisations: Iterable[Organisation]
) -> Iterator[dict[str, Any]]:
    """Export rows (column name -> value) of organisations the actor sees.

    Headquarters, vocabulary capabilities and the first contact person whose contact data
    the actor may see are loaded with one query each per batch of organisations.
    """
    slugs = {t.id: t.slug for t in reference.list_capability_terms(session)}
    orgs = iter(organisations)
    while batch := list(islice(orgs, BATCH)):
        ids = [o.id for o in batch]
        cities = reference.municipality_names(session, (o.teryt for o in batch))
        headquarters = _headquarters(session, ids)
        capabilities = _capabilities(session, ids, slugs)
        contacts = _contacts(session, actor, ids)
        for org in batch:
            exported = Exported(
                org,
                cities.get(org.teryt or ""),
                headquarters.get(org.id),
                capabilities.get(org.id, ()),
                contacts.get(org.id),
            )
            yield {c.name: c.value(exported) for c in FILE_COLUMNS}


def _headquarters(session: Session, ids: list[int]) -> dict[int, Site]:
    """The site the import reads and writes as the headquarters (as `imports.service` picks it)."""
    found: dict[int, Site] = {}
    stmt = (
        select(Site)
        .where(Site.organisation_id.in_(ids))
        .order_by(Site.organisation_id, Site.is_headquarters.desc(), Site.id)
    )
    for site in session.scalars(stmt):
        found.setdefault(site.organisation_id, site)
    return found


def _capabilities(
    session: Session, ids: list[int], slugs: dict[int, str]
) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = defaultdict(list)
    stmt = (
        select(OrganisationCapability.organisation_id, OrganisationCapability.term_id)
        .where(
            OrganisationCapability.organisation_id.in_(ids),
            OrganisationCapability.term_id.is_not(None),
        )
        .order_by(OrganisationCapability.id)
    )
    for org_id, term_id in session.execute(stmt):
        if term_id in slugs:  # retired terms are not offered for import either
            found[org_id].append(slugs[term_id])
    return {org_id: tuple(values) for org_id, values in found.items()}


def _contacts(session: Session, actor: Actor, ids: list[int]) -> dict[int, Person]:
    found: dict[int, Person] = {}
    stmt = (
        select(Person)
        .where(Person.organisation_id.in_(ids), Person.erased_at.is_(None))
        .order_by(Person.id)
    )
    for person in session.scalars(stmt):
        if person.organisation_id not in found and allowed(
            actor, "organisations.person.view_contact", person
        ):
            found[person.organisation_id] = person
    return found


def csv_chunks(rows: Iterable[dict[str, Any]], language: Language = "en") -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(header(language))
    for count, row in enumerate(rows, 1):
        writer.writerow([neutralise(row[c.name]) for c in FILE_COLUMNS])
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
