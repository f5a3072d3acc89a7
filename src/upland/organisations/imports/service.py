"""Import organisations in bulk: the only module of the import that writes (DESIGN rule 1).

Rows stream through in chunks: each chunk is validated in memory, matched against the
registry by NIP, then REGON (one query), and written with a few executemany statements
(SQLAlchemy Core, no ORM objects), filling the derived columns the way
`organisations.service.refresh_derived` does. The caller owns the transaction.

Audit: one entry per import with its counts. Per-organisation entries would double the
writes of a 100,000-row file, so the import is recorded as one action (who, when, mode, counts).
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, Literal

from sqlalchemy import bindparam, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from upland.accounts import audit
from upland.accounts.actor import Actor
from upland.db import utcnow
from upland.organisations import permissions as _rules  # noqa: F401 - registers the rules
from upland.organisations.imports.folding import fast_fold, fast_search_text
from upland.organisations.imports.reader import RawRow, read_rows
from upland.organisations.imports.validate import (
    ImportLookups,
    RowError,
    RowValidator,
    ValidRow,
)
from upland.organisations.models import (
    Organisation,
    OrganisationCapability,
    OrganisationPkd,
    Person,
    Site,
)
from upland.organisations.vocab import size_class_for
from upland.permissions import require

Mode = Literal["all_or_nothing", "valid_only"]
RowSource = Callable[[], Iterable[RawRow]] | Iterable[RawRow]
MODES: tuple[str, ...] = ("all_or_nothing", "valid_only")
CHUNK_SIZE = 5000
MAX_STORED_ERRORS = 1000

_ORG = Organisation.__table__
_PKD = OrganisationPkd.__table__
_SITE = Site.__table__
_PERSON = Person.__table__
_CAPABILITY = OrganisationCapability.__table__
# Profile columns an import sets or keeps; derived ones are recomputed from them.
_PROFILE = (
    "kind",
    "legal_name",
    "short_name",
    "nip",
    "regon",
    "krs",
    "website",
    "description_pl",
    "description_en",
    "capacity_notes",
    "founded_year",
    "employees",
    "supply_tier",
    "membership_status",
    "member_since",
    "visibility",
)
_DERIVED = ("name_key", "size_class", "teryt", "search_text", "updated_at")
_DEFAULTS: dict[str, Any] = {
    "short_name": "",
    "description_pl": "",
    "description_en": "",
    "capacity_notes": "",
    "membership_status": "none",
    "visibility": "public",
}


@dataclass
class ImportReport:
    """What an import did (or, in a dry run or a refused all-or-nothing import, would do)."""

    mode: str
    dry_run: bool
    rows_total: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    error_count: int = 0
    invalid_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False
    max_errors: int = MAX_STORED_ERRORS

    def add(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.error_count += 1
            if len(self.errors) < self.max_errors:
                self.errors.append(error)

    @property
    def summary(self) -> str:
        """One line for people: what happened and what to do next."""
        counts = (
            f"{self.rows_total} rows: {self.created} created, {self.updated} updated, "
            f"{self.skipped} skipped; {self.error_count} errors in {self.invalid_rows} rows"
        )
        if self.dry_run:
            return f"Dry run ({self.mode}), nothing written. Would import {counts}."
        if self.mode == "all_or_nothing" and self.invalid_rows:
            return (
                f"Nothing imported: {self.invalid_rows} of {self.rows_total} rows have errors "
                f"({self.error_count} errors); fix them and import the file again."
            )
        return f"Imported {counts}."

    def as_text(self) -> str:
        """The row-level report (row, column, value, message), then the summary line."""
        lines = ["row\tcolumn\tvalue\tmessage"]
        for error in self.errors:
            value = error.value.replace("\t", " ").replace("\r", " ").replace("\n", " ")
            lines.append(f"{error.row}\t{error.column}\t{value}\t{error.message}")
        if self.error_count > len(self.errors):
            lines.append(f"… and {self.error_count - len(self.errors)} more errors not listed")
        lines.append(self.summary)
        return "\n".join(lines) + "\n"


def import_organisations(
    session: Session,
    actor: Actor,
    rows: RowSource,
    *,
    mode: Mode = "all_or_nothing",
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    chunk_size: int = CHUNK_SIZE,
    max_errors: int = MAX_STORED_ERRORS,
) -> ImportReport:
    """Create or update organisations from import rows; returns the report.

    `rows` is a function returning a fresh iterator of rows (e.g. `lambda: read_rows(path)`)
    or a re-iterable collection; all-or-nothing imports read it twice (check, then write)
    so a one-shot iterator is refused there. Existing organisations are matched by NIP,
    then REGON. `all_or_nothing` writes nothing if any row is invalid; `valid_only` writes
    the valid rows and reports the others; `dry_run` writes nothing either way.
    `progress` gets the number of rows read so far in the current pass after each chunk.
    """
    require(actor, "organisations.organisation.import")
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    two_passes = mode == "all_or_nothing" and not dry_run
    source = _source(rows, two_passes)
    session.flush()
    lookups = ImportLookups.load(session)
    report = ImportReport(mode, dry_run, max_errors=max_errors)
    if two_passes:
        _run(_Run(session, lookups, report, write=False), source(), chunk_size, progress)
        if report.invalid_rows:
            report.created = report.updated = 0
            report.skipped = report.rows_total
        else:
            report = ImportReport(mode, dry_run, max_errors=max_errors)
            _run(_Run(session, lookups, report, write=True), source(), chunk_size, progress)
    else:
        _run(_Run(session, lookups, report, write=not dry_run), source(), chunk_size, progress)
    if not dry_run:
        _expire_registry_objects(session)
        audit.record(
            session, actor, "organisations.organisation.import", "organisation", None,
            after={
                "mode": mode,
                "rows_total": report.rows_total,
                "created": report.created,
                "updated": report.updated,
                "skipped": report.skipped,
                "error_count": report.error_count,
            },
            summary=report.summary,
        )
        session.flush()
    return report


def import_file(
    session: Session,
    actor: Actor,
    source: str | os.PathLike[str] | IO[bytes],
    *,
    filename: str = "",
    mode: Mode = "all_or_nothing",
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import a CSV or XLSX file given as a path or a seekable binary file."""
    if isinstance(source, str | os.PathLike):
        path = source

        def rows() -> Iterator[RawRow]:
            return read_rows(path, filename)
    else:
        handle, start = source, source.tell()

        def rows() -> Iterator[RawRow]:
            handle.seek(start)
            return read_rows(handle, filename)

    return import_organisations(session, actor, rows, mode=mode, dry_run=dry_run, progress=progress)


def _source(rows: RowSource, two_passes: bool) -> Callable[[], Iterable[RawRow]]:
    if callable(rows):
        return rows
    if two_passes and iter(rows) is rows:
        raise ValueError(
            "an all-or-nothing import reads the rows twice (check, then write): pass a function "
            "returning a fresh iterator, e.g. lambda: read_rows(path), or a list"
        )
    return lambda: rows


def _run(
    run: _Run,
    rows: Iterable[RawRow],
    chunk_size: int,
    progress: Callable[[int], None] | None,
) -> None:
    report = run.report
    validate = RowValidator(run.lookups).validate
    chunk: list[ValidRow] = []
    for raw in rows:
        report.rows_total += 1
        valid, errors = validate(raw)
        if valid is None:
            report.invalid_rows += 1
            report.add(errors)
        else:
            chunk.append(valid)
            if len(chunk) >= chunk_size:
                run.chunk(chunk)
                chunk = []
                if progress is not None:
                    progress(report.rows_total)
    if chunk:
        run.chunk(chunk)
    if progress is not None:
        progress(report.rows_total)
    report.skipped = report.invalid_rows
    report.written = run.write and (report.created + report.updated) > 0


class _Run:
    """One pass over the rows: matches each chunk against the registry and maybe writes it."""

    def __init__(
        self, session: Session, lookups: ImportLookups, report: ImportReport, *, write: bool
    ) -> None:
        self.session = session
        self.lookups = lookups
        self.report = report
        self.write = write
        self.matched_rows: dict[int, int] = {}

    def chunk(self, rows: list[ValidRow]) -> None:
        creates, updates = self._match(rows)
        self.report.created += len(creates)
        self.report.updated += len(updates)
        if self.write:
            now = utcnow()
            if creates:
                self._create(creates, now)
            if updates:
                self._update(updates, now)

    # --- matching ------------------------------------------------------------------------

    def _match(
        self, rows: list[ValidRow]
    ) -> tuple[list[ValidRow], list[tuple[ValidRow, dict[str, Any]]]]:
        """Split rows into new and existing organisations (by NIP, then REGON)."""
        nips = [r.nip for r in rows if r.nip]
        regons = [r.regon for r in rows if r.regon]
        by_nip: dict[str, dict[str, Any]] = {}
        by_regon: dict[str, dict[str, Any]] = {}
        conditions = []
        if nips:
            conditions.append(_ORG.c.nip.in_(nips))
        if regons:
            conditions.append(_ORG.c.regon.in_(regons))
        if conditions:
            columns = [_ORG.c.id, *(_ORG.c[name] for name in _PROFILE), _ORG.c.teryt]
            for found in self.session.execute(select(*columns).where(or_(*conditions))).mappings():
                current = dict(found)
                if current["nip"]:
                    by_nip[current["nip"]] = current
                if current["regon"]:
                    by_regon[current["regon"]] = current
        creates: list[ValidRow] = []
        updates: list[tuple[ValidRow, dict[str, Any]]] = []
        for row in rows:
            by_n = by_nip.get(row.nip) if row.nip else None
            by_r = by_regon.get(row.regon) if row.regon else None
            if by_n is not None and by_r is not None and by_n["id"] != by_r["id"]:
                self._reject(
                    RowError(
                        row.row, "regon", row.regon or "",
                        f"NIP {row.nip} belongs to organisation {by_n['id']} "
                        f"({by_n['legal_name']}) but REGON {row.regon} to organisation "
                        f"{by_r['id']} ({by_r['legal_name']})",
                    )
                )
                continue
            current = by_n if by_n is not None else by_r
            if current is None:
                creates.append(row)
                continue
            first = self.matched_rows.setdefault(current["id"], row.row)
            if first != row.row:
                self._reject(
                    RowError(
                        row.row, "nip" if by_n is not None else "regon",
                        (row.nip if by_n is not None else row.regon) or "",
                        f"matches organisation {current['id']} ({current['legal_name']}), "
                        f"which row {first} already updates",
                    )
                )
                continue
            updates.append((row, current))
        return creates, updates

    def _reject(self, error: RowError) -> None:
        self.report.invalid_rows += 1
        self.report.add([error])

    # --- writing -------------------------------------------------------------------------

    def _create(self, rows: list[ValidRow], now: Any) -> None:
        lookups = self.lookups
        terms = lookups.terms_by_id
        cities = lookups.municipalities
        values = []
        for row in rows:
            data = {**_DEFAULTS, **row.fields}
            for name in _PROFILE:
                data.setdefault(name, None)
            if not data["short_name"]:
                data["short_name"] = data["legal_name"][:120]
            labels = [f"{terms[t].name_pl} {terms[t].name_en}" for t in row.capabilities or ()]
            values.append(_with_derived(data, row.teryt, cities[row.teryt], labels, now, created=True))
        session = self.session
        stmt = insert(_ORG).returning(_ORG.c.id, sort_by_parameter_order=True)
        ids = session.execute(stmt, values).scalars().all()
        pkd_rows: list[dict[str, Any]] = []
        site_rows: list[dict[str, Any]] = []
        person_rows: list[dict[str, Any]] = []
        capability_rows: list[dict[str, Any]] = []
        for org_id, row in zip(ids, rows, strict=True):
            if row.pkd:
                pkd_rows.extend(_pkd_values(org_id, row))
            site_rows.append(_site_values(org_id, row.teryt, row.address))
            if row.contact:
                person_rows.append(_person_values(org_id, row.contact))
            for term_id in row.capabilities or ():
                capability_rows.append(_capability_values(org_id, terms[term_id]))
        for table, batch in (
            (_PKD, pkd_rows),
            (_SITE, site_rows),
            (_PERSON, person_rows),
            (_CAPABILITY, capability_rows),
        ):
            if batch:
                session.execute(insert(table), batch)

    def _update(self, pairs: list[tuple[ValidRow, dict[str, Any]]], now: Any) -> None:
        session = self.session
        lookups = self.lookups
        terms = lookups.terms_by_id
        ids = [current["id"] for _, current in pairs]
        capabilities: dict[int, list[tuple[int, int | None, str]]] = defaultdict(list)
        for cap_id, org_id, term_id, label in session.execute(
            select(_CAPABILITY.c.id, _CAPABILITY.c.organisation_id, _CAPABILITY.c.term_id,
                   _CAPABILITY.c.label).where(_CAPABILITY.c.organisation_id.in_(ids))
            .order_by(_CAPABILITY.c.id)
        ):
            capabilities[org_id].append((cap_id, term_id, label))
        values = []
        drop_caps: list[int] = []
        new_caps: list[dict[str, Any]] = []
        replace_pkd: list[int] = []
        pkd_rows: list[dict[str, Any]] = []
        for row, current in pairs:
            org_id = current["id"]
            data = {name: current[name] for name in _PROFILE}
            data.update(row.fields)
            existing = capabilities.get(org_id, [])
            if row.capabilities is not None:
                wanted = set(row.capabilities)
                kept = [c for c in existing if c[1] is None or c[1] in wanted]
                drop_caps.extend(c[0] for c in existing if c[1] is not None and c[1] not in wanted)
                have = {c[1] for c in kept}
                new_caps.extend(
                    _capability_values(org_id, terms[t]) for t in row.capabilities if t not in have
                )
                final = [*[(c[1], c[2]) for c in kept],
                         *[(t, "") for t in row.capabilities if t not in have]]
            else:
                final = [(c[1], c[2]) for c in existing]
            labels = [label or "" for _, label in final]
            labels += [f"{terms[t].name_pl} {terms[t].name_en}" for t, _ in final if t in terms]
            if row.pkd is not None:
                replace_pkd.append(org_id)
                pkd_rows.extend(_pkd_values(org_id, row))
            city = lookups.municipalities[row.teryt]
            values.append({"b_id": org_id, **_with_derived(data, row.teryt, city, labels, now)})
        stmt = (
            update(_ORG)
            .where(_ORG.c.id == bindparam("b_id"))
            .values({name: bindparam(name) for name in (*_PROFILE, *_DERIVED)})
        )
        session.execute(stmt, values)
        if drop_caps:
            session.execute(delete(_CAPABILITY).where(_CAPABILITY.c.id.in_(drop_caps)))
        if new_caps:
            session.execute(insert(_CAPABILITY), new_caps)
        if replace_pkd:
            session.execute(delete(_PKD).where(_PKD.c.organisation_id.in_(replace_pkd)))
            if pkd_rows:
                session.execute(insert(_PKD), pkd_rows)
        self._update_sites(pairs)
        self._update_people(pairs)

    def _update_sites(self, pairs: list[tuple[ValidRow, dict[str, Any]]]) -> None:
        """Point each organisation's headquarters at the municipality and address in the file."""
        session = self.session
        headquarters: dict[int, dict[str, Any]] = {}
        for site in session.execute(
            select(_SITE.c.id, _SITE.c.organisation_id, _SITE.c.teryt, _SITE.c.street,
                   _SITE.c.postal_code, _SITE.c.locality, _SITE.c.is_headquarters)
            .where(_SITE.c.organisation_id.in_([c["id"] for _, c in pairs]))
            .order_by(_SITE.c.organisation_id, _SITE.c.is_headquarters.desc(), _SITE.c.id)
        ).mappings():
            headquarters.setdefault(site["organisation_id"], dict(site))
        changed: list[dict[str, Any]] = []
        created: list[dict[str, Any]] = []
        for row, current in pairs:
            site = headquarters.get(current["id"])
            if site is None:
                created.append(_site_values(current["id"], row.teryt, row.address))
                continue
            moved = site["teryt"] != row.teryt
            new = {
                key: row.address.get(key, "" if moved else site[key])
                for key in ("street", "postal_code", "locality")
            }
            if moved or not site["is_headquarters"] or any(new[k] != site[k] for k in new):
                changed.append({"b_id": site["id"], "teryt": row.teryt, **new})
        if changed:
            stmt = (
                update(_SITE)
                .where(_SITE.c.id == bindparam("b_id"))
                .values(teryt=bindparam("teryt"), street=bindparam("street"),
                        postal_code=bindparam("postal_code"), locality=bindparam("locality"),
                        is_headquarters=True)
            )
            session.execute(stmt, changed)
        if created:
            session.execute(insert(_SITE), created)

    def _update_people(self, pairs: list[tuple[ValidRow, dict[str, Any]]]) -> None:
        """Update the contact person with the same e-mail or name, or add them."""
        wanted = [(row, current["id"]) for row, current in pairs if row.contact]
        if not wanted:
            return
        people: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for person in self.session.execute(
            select(_PERSON.c.id, _PERSON.c.organisation_id, _PERSON.c.full_name, _PERSON.c.email,
                   _PERSON.c.phone)
            .where(_PERSON.c.organisation_id.in_([org_id for _, org_id in wanted]),
                   _PERSON.c.erased_at.is_(None))
            .order_by(_PERSON.c.id)
        ).mappings():
            people[person["organisation_id"]].append(dict(person))
        changed: list[dict[str, Any]] = []
        created: list[dict[str, Any]] = []
        for row, org_id in wanted:
            contact = row.contact or {}
            email = (contact.get("email") or "").lower()
            name = fast_fold(contact["full_name"])
            same = next(
                (p for p in people[org_id] if email and (p["email"] or "").lower() == email),
                None,
            ) or next((p for p in people[org_id] if fast_fold(p["full_name"]) == name), None)
            if same is None:
                created.append(_person_values(org_id, contact))
                continue
            new = {
                "full_name": contact["full_name"],
                "email": contact.get("email", same["email"]),
                "phone": contact.get("phone", same["phone"]),
            }
            if any(new[k] != same[k] for k in new):
                changed.append({"b_id": same["id"], **new})
        if changed:
            stmt = (
                update(_PERSON)
                .where(_PERSON.c.id == bindparam("b_id"))
                .values(full_name=bindparam("full_name"), email=bindparam("email"),
                        phone=bindparam("phone"))
            )
            self.session.execute(stmt, changed)
        if created:
            self.session.execute(insert(_PERSON), created)


def _with_derived(
    data: dict[str, Any], teryt: str, city: str, labels: list[str], now: Any, *, created: bool = False
) -> dict[str, Any]:
    """Add the columns `refresh_derived` keeps: sort key, size class, HQ, search text, times."""
    data["name_key"] = fast_fold(data["short_name"] or data["legal_name"])[:120]
    size = size_class_for(data["employees"])
    data["size_class"] = size.value if size is not None else None
    data["teryt"] = teryt
    data["search_text"] = fast_search_text(
        [data["legal_name"], data["short_name"], data["nip"], data["regon"], city,
         data["description_pl"], data["description_en"], data["capacity_notes"], *labels]
    )
    data["updated_at"] = now
    if created:
        data["created_at"] = now
    return data


def _pkd_values(org_id: int, row: ValidRow) -> Iterator[dict[str, Any]]:
    for index, ref in enumerate(row.pkd or ()):
        yield {
            "organisation_id": org_id,
            "version": ref.version,
            "code": ref.code,
            "section": ref.section,
            "is_primary": index == 0,
        }


def _site_values(org_id: int, teryt: str, address: dict[str, str]) -> dict[str, Any]:
    return {
        "organisation_id": org_id,
        "name": "",
        "street": address.get("street", ""),
        "postal_code": address.get("postal_code", ""),
        "locality": address.get("locality", ""),
        "teryt": teryt,
        "latitude": None,
        "longitude": None,
        "is_headquarters": True,
    }


def _person_values(org_id: int, contact: dict[str, str]) -> dict[str, Any]:
    return {
        "organisation_id": org_id,
        "full_name": contact["full_name"],
        "role_title": "",
        "email": contact.get("email"),
        "phone": contact.get("phone"),
        "contact_visibility": "private",
        "language": "pl",
        "user_id": None,
        "erased_at": None,
    }


def _capability_values(org_id: int, term: Any) -> dict[str, Any]:
    return {
        "organisation_id": org_id,
        "kind": term.kind,
        "term_id": term.id,
        "label": "",
        "valid_from": None,
        "valid_until": None,
        "notes": "",
    }


def _expire_registry_objects(session: Session) -> None:
    """Core writes bypass the identity map: let loaded registry objects reload their state."""
    registry = (Organisation, OrganisationPkd, Site, Person, OrganisationCapability)
    for obj in list(session.identity_map.values()):
        if isinstance(obj, registry):
            session.expire(obj)
