"""The XLSX export a city officer hands on: headers and enum values in the reader's language,
numbers and dates as real cells, and the contacts and capabilities on sheets of their own.

The first sheet keeps the import's columns (`imports.format.FILE_COLUMNS`), and the import
reads the labels it writes in either language (`format.*_ALIASES` include them), so the
workbook still re-imports; the other sheets are for people and are ignored by the import (it
notes so).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from upland.actor import Actor
from upland.i18n import N_, gettext_in, label
from upland.organisations.exporting import Language, header, rows_of
from upland.organisations.imports.format import FILE_COLUMNS, LABELLED_COLUMNS, neutralise
from upland.organisations.models import Organisation, OrganisationCapability, Person
from upland.permissions import allowed
from upland.reference import queries as reference

BATCH = 500
SHEETS = (N_("organisations"), N_("contacts"), N_("capabilities"))
CONTACT_HEADER = (
    N_("organisation id"),
    N_("organisation"),
    N_("name"),
    N_("job title"),
    N_("e-mail"),
    N_("phone"),
)
CAPABILITY_HEADER = (
    N_("organisation id"),
    N_("organisation"),
    N_("kind"),
    N_("capability"),
    N_("valid until"),
    N_("notes"),
)


def human_cell(name: str, value: Any, language: Language) -> Any:
    """A value of the first sheet as a person reads it: an enum value as its label, a date as
    a date cell, numbers as numbers, formulas neutralised."""
    if value is None or value == "":
        return None
    if name in LABELLED_COLUMNS:
        return label(LABELLED_COLUMNS[name], value, language)
    if name == "member_since":
        return dt.date.fromisoformat(str(value))
    return neutralise(value)


def _texts(msgids: Iterable[str], language: Language) -> list[str]:
    return [gettext_in(language, m) for m in msgids]


def workbook_bytes(
    session: Session,
    actor: Actor,
    organisations: Iterable[Organisation],
    language: Language = "en",
) -> bytes:
    """The workbook of these organisations (those of a filtered list), written batch by batch."""
    book = Workbook(write_only=True)
    names = _texts(SHEETS, language)
    main, contacts, capabilities = (book.create_sheet(n) for n in names)
    main.append(header(language))
    contacts.append(_texts(CONTACT_HEADER, language))
    capabilities.append(_texts(CAPABILITY_HEADER, language))
    terms = {t.id: t for t in reference.list_capability_terms(session)}
    orgs = iter(organisations)
    while batch := list(islice(orgs, BATCH)):
        for row in rows_of(session, actor, batch):
            main.append([human_cell(c.name, row[c.name], language) for c in FILE_COLUMNS])
        names_by_id = {o.id: o.legal_name for o in batch}
        for values in _contact_rows(session, actor, names_by_id):
            contacts.append([neutralise(v) for v in values])
        for values in _capability_rows(session, names_by_id, terms, language):
            capabilities.append([neutralise(v) for v in values])
    with tempfile.TemporaryFile() as handle:
        book.save(handle)
        handle.seek(0)
        return handle.read()


def _contact_rows(
    session: Session, actor: Actor, names: dict[int, str]
) -> Iterator[tuple[Any, ...]]:
    """People whose contact data the reader may see (their consent, `contact_visibility`)."""
    stmt = (
        select(Person)
        .where(Person.organisation_id.in_(names), Person.erased_at.is_(None))
        .order_by(Person.organisation_id, Person.id)
    )
    for person in session.scalars(stmt):
        if allowed(actor, "organisations.person.view_contact", person):
            yield (
                person.organisation_id,
                names[person.organisation_id],
                person.full_name,
                person.role_title or None,
                person.email,
                person.phone,
            )


def _capability_rows(
    session: Session, names: dict[int, str], terms: dict[int, Any], language: Language
) -> Iterator[tuple[Any, ...]]:
    stmt = (
        select(OrganisationCapability)
        .where(OrganisationCapability.organisation_id.in_(names))
        .order_by(OrganisationCapability.organisation_id, OrganisationCapability.id)
    )
    for capability in session.scalars(stmt):
        term = terms.get(capability.term_id or 0)
        named = (term.name_pl if language == "pl" else term.name_en) if term else ""
        yield (
            capability.organisation_id,
            names[capability.organisation_id],
            label("capability_kind", capability.kind, language),
            named or capability.label or None,
            capability.valid_until,
            capability.notes or None,
        )
