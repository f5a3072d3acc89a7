"""Import organisations in bulk: the only module of the import that writes (DESIGN rule 1).

Rows stream through in chunks: each chunk is validated in memory, matched against the
registry by NIP, then REGON (one query), and written with multi-row INSERT statements of
plain tuples sent to the driver on the session's own connection (no ORM objects, no
per-row SQLAlchemy processing), filling the derived columns exactly as
`organisations.service.refresh_derived` does. Updates go through SQLAlchemy Core. The
caller owns the transaction.

Audit: one entry per import with its counts. Per-organisation entries would double the
writes of a 100,000-row file, so the import is recorded as one action (who, when, mode, counts).
"""

from __future__ import annotations

import functools
import itertools
import json
import operator
import os
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, Literal, cast

from sqlalchemy import (
    ARRAY,
    Table,
    any_,
    bindparam,
    delete,
    func,
    insert,
    literal_column,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from upland import audit
from upland.actor import Actor
from upland.db import utcnow
from upland.i18n import Message
from upland.organisations import facets
from upland.organisations import permissions as _rules  # noqa: F401 - registers the rules
from upland.organisations.imports.folding import fast_fold
from upland.organisations.imports.format import PROFILE_COLUMNS
from upland.organisations.imports.reader import RawRow, RowStream, read_rows
from upland.organisations.imports.report import MAX_STORED_ERRORS, ImportReport
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
from upland.organisations.signals import OrganisationsImported
from upland.organisations.vocab import size_class_for
from upland.permissions import require
from upland.signals import publish

Mode = Literal["all_or_nothing", "valid_only"]
RowSource = Callable[[], Iterable[RawRow]] | Iterable[RawRow]
MODES: tuple[str, ...] = ("all_or_nothing", "valid_only")
CHUNK_SIZE = 5000
ANALYZE_AFTER = 10_000

_ORG = cast(Table, Organisation.__table__)
_PKD = cast(Table, OrganisationPkd.__table__)
_SITE = cast(Table, Site.__table__)
_PERSON = cast(Table, Person.__table__)
_CAPABILITY = cast(Table, OrganisationCapability.__table__)
# Profile columns an import sets or keeps; derived ones are recomputed from them.
_PROFILE = PROFILE_COLUMNS
_DERIVED = ("name_key", "size_class", "teryt", "search_text", "updated_at")
_STAMPS = ("created_at", "updated_at")
_MARKS = {"qmark": "?", "format": "%s", "pyformat": "%s"}
_COMPARED = ("name_key", "size_class", "teryt", "search_text")
_INSERT_COLUMNS = (*_PROFILE, *_DERIVED, "created_at", "facets")
# A new organisation's columns before the file's values go in.
_BLANK: dict[str, Any] = {
    **dict.fromkeys(_PROFILE),
    "short_name": "",
    "description_pl": "",
    "description_en": "",
    "capacity_notes": "",
    "membership_status": "none",
    "visibility": "public",
}


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

    `rows` is an iterable of rows or a function returning one (e.g. `lambda:
    read_rows(path)`); it is read once. Existing organisations are matched by NIP, then
    REGON. `all_or_nothing` writes nothing if any row is invalid; `valid_only` writes the
    valid rows and reports the others; `dry_run` writes nothing either way.
    `progress` gets the number of rows read so far, every `chunk_size` rows and at the end.
    """
    require(actor, "organisations.organisation.import")
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if session.get_bind().dialect.name == "postgresql":
        # The per-chunk match query is prepared after a few runs; a generic plan would scan
        # the growing table for every chunk (measured: 343 s instead of 65 s for 100k rows).
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    session.flush()
    lookups = ImportLookups.load(session)
    report = ImportReport(mode, dry_run, max_errors=max_errors)
    all_or_nothing = mode == "all_or_nothing" and not dry_run
    # All-or-nothing in one pass: write inside a savepoint while every row is valid; after
    # the first invalid row only check the rest (every error is still reported), then roll
    # the savepoint back. A valid file is read, checked and written once, not twice.
    savepoint = session.begin_nested() if all_or_nothing else None
    run = _Run(session, lookups, report, write=not dry_run, stop_on_error=all_or_nothing)
    _run(run, rows() if callable(rows) else rows, chunk_size, progress)
    if savepoint is not None:
        if report.invalid_rows:
            savepoint.rollback()
            report.created = report.updated = report.unchanged = 0
            report.skipped = report.rows_total
            report.written = False
        else:
            savepoint.commit()
    if report.written:
        publish(session, OrganisationsImported(run.created, sorted(run.updated)))
    if not dry_run:
        _expire_registry_objects(session)
        if report.created >= ANALYZE_AFTER:
            # Fresh statistics, so the planner picks the list indexes for the new volume.
            session.execute(text("ANALYZE"))
        audit.record(
            session,
            actor,
            "organisations.organisation.import",
            "organisation",
            None,
            after={
                "mode": mode,
                "rows_total": report.rows_total,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
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


def _run(
    run: _Run,
    rows: Iterable[RawRow],
    chunk_size: int,
    progress: Callable[[int], None] | None,
) -> None:
    report = run.report
    if isinstance(rows, RowStream):
        report.notes.extend(rows.notes)
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
        if progress is not None and report.rows_total % chunk_size == 0:
            progress(report.rows_total)
    if chunk:
        run.chunk(chunk)
    if progress is not None:
        progress(report.rows_total)
    report.skipped = report.invalid_rows
    report.written = run.write


class _Run:
    """One pass over the rows: matches each chunk against the registry and maybe writes it."""

    def __init__(
        self,
        session: Session,
        lookups: ImportLookups,
        report: ImportReport,
        *,
        write: bool,
        stop_on_error: bool = False,
    ) -> None:
        self.session = session
        self.lookups = lookups
        self.report = report
        self.write = write
        self.stop_on_error = stop_on_error
        self.matched_rows: dict[int, int] = {}
        self.created = array("q")  # 8 bytes an id: a million-row import keeps them all
        self.updated: set[int] = set()

    def chunk(self, rows: list[ValidRow]) -> None:
        creates, updates = self._match(rows)
        if self.stop_on_error and self.report.invalid_rows:
            self.write = False  # the file will be rolled back: only check the rest
        report = self.report
        report.created += len(creates)
        if creates and self.write:
            self._create(creates, utcnow())
        if updates:
            changed = self._update(updates, utcnow())
            report.updated += changed
            report.unchanged += len(updates) - changed

    # --- matching ------------------------------------------------------------------------

    def _match(
        self, rows: list[ValidRow]
    ) -> tuple[list[ValidRow], list[tuple[ValidRow, dict[str, Any]]]]:
        """Split rows into new and existing organisations (by NIP, then REGON)."""
        nips = [r.nip for r in rows if r.nip]
        regons = [r.regon for r in rows if r.regon]
        by_nip: dict[str, dict[str, Any]] = {}
        by_regon: dict[str, dict[str, Any]] = {}
        found = _identifier_matches(self.session, nips, regons)
        if found:
            columns = [_ORG.c.id, *(_ORG.c[name] for name in (*_PROFILE, *_COMPARED))]
            stmt = select(*columns).where(_in(self.session, _ORG.c.id, found))
            for mapping in self.session.execute(stmt).mappings():
                org = dict(mapping)
                if org["nip"]:
                    by_nip[org["nip"]] = org
                if org["regon"]:
                    by_regon[org["regon"]] = org
        creates: list[ValidRow] = []
        updates: list[tuple[ValidRow, dict[str, Any]]] = []
        for row in rows:
            by_n = by_nip.get(row.nip) if row.nip else None
            by_r = by_regon.get(row.regon) if row.regon else None
            if by_n is not None and by_r is not None and by_n["id"] != by_r["id"]:
                self._reject(
                    RowError(
                        row.row,
                        "regon",
                        row.regon or "",
                        Message(
                            "NIP {nip} belongs to organisation {a} ({name_a}) but REGON "
                            "{regon} to organisation {b} ({name_b})",
                            {
                                "nip": row.nip,
                                "a": by_n["id"],
                                "name_a": by_n["legal_name"],
                                "regon": row.regon,
                                "b": by_r["id"],
                                "name_b": by_r["legal_name"],
                            },
                        ),
                    )
                )
                continue
            match = by_n if by_n is not None else by_r
            if match is None:
                creates.append(row)
                continue
            first = self.matched_rows.setdefault(match["id"], row.row)
            if first != row.row:
                self._reject(
                    RowError(
                        row.row,
                        "nip" if by_n is not None else "regon",
                        (row.nip if by_n is not None else row.regon) or "",
                        Message(
                            "matches organisation {id} ({name}), which row {row} already updates",
                            {"id": match["id"], "name": match["legal_name"], "row": first},
                        ),
                    )
                )
                continue
            updates.append((row, match))
        return creates, updates

    def _reject(self, error: RowError) -> None:
        self.report.invalid_rows += 1
        self.report.add([error])

    # --- writing -------------------------------------------------------------------------

    def _create(self, rows: list[ValidRow], now: Any) -> None:
        session = self.session
        lookups = self.lookups
        terms = lookups.terms_by_id
        cities = lookups.municipalities
        processors = _Processors(session, _ORG, _INSERT_COLUMNS)
        stamp = processors.value("created_at", now)
        values = []
        for row in rows:
            data = {**_BLANK, **row.fields}
            if not data["short_name"]:
                data["short_name"] = data["legal_name"][:120]
            labels = [f"{terms[t].name_pl} {terms[t].name_en}" for t in row.capabilities or ()]
            _with_derived(data, row.teryt, cities[row.teryt], labels, stamp, created=True)
            data["facets"] = facets.build(
                data,
                (row.teryt,),
                ((p.section, p.code) for p in row.pkd or ()),
                row.capabilities or (),
            )
            values.append(processors.row(data))
        # Rows come back in no guaranteed order (that keeps the INSERT batched on every
        # backend); each carries a NIP or REGON unique in the file, which finds its id.
        by_nip: dict[str, int] = {}
        by_regon: dict[str, int] = {}
        for org_id, nip, regon in _insert_returning(
            session, _ORG, _INSERT_COLUMNS, values, ("id", "nip", "regon")
        ):
            if nip:
                by_nip[nip] = org_id
            else:
                by_regon[regon] = org_id
        ids = [by_nip[r.nip] if r.nip else by_regon[r.regon] for r in rows]  # type: ignore[index]
        self.created.extend(ids)
        pkd_rows: list[tuple[Any, ...]] = []
        site_rows: list[tuple[Any, ...]] = []
        person_rows: list[tuple[Any, ...]] = []
        capability_rows: list[tuple[Any, ...]] = []
        for org_id, row in zip(ids, rows, strict=True):
            if row.pkd:
                pkd_rows.extend(_pkd_values(org_id, row))
            site_rows.append(_site_values(org_id, row.teryt, row.address))
            if row.contact:
                person_rows.append(_person_values(org_id, row.contact))
            for term_id in row.capabilities or ():
                capability_rows.append(_capability_values(org_id, terms[term_id]))
        _insert_many(session, _PKD, _PKD_COLUMNS, pkd_rows)
        _insert_many(session, _SITE, _SITE_COLUMNS, site_rows)
        _insert_many(session, _PERSON, _PERSON_COLUMNS, person_rows)
        _insert_many(session, _CAPABILITY, _CAPABILITY_COLUMNS, capability_rows)

    def _update(self, pairs: list[tuple[ValidRow, dict[str, Any]]], now: Any) -> int:
        """Apply the file to matched organisations; returns how many actually change.

        Unchanged organisations are not written at all (so a repeated import is cheap and
        leaves `updated_at` alone); in a check-only pass nothing is written either way.
        """
        session = self.session
        lookups = self.lookups
        terms = lookups.terms_by_id
        ids = [current["id"] for _, current in pairs]
        capabilities: dict[int, list[tuple[int, int | None, str]]] = defaultdict(list)
        for cap_id, org_id, term_id, label in session.execute(
            select(
                _CAPABILITY.c.id,
                _CAPABILITY.c.organisation_id,
                _CAPABILITY.c.term_id,
                _CAPABILITY.c.label,
            )
            .where(_in(session, _CAPABILITY.c.organisation_id, ids))
            .order_by(_CAPABILITY.c.id)
        ):
            capabilities[org_id].append((cap_id, term_id, label))
        pkd_now: dict[int, list[tuple[int, str, bool]]] = defaultdict(list)
        with_pkd = [current["id"] for row, current in pairs if row.pkd is not None]
        if with_pkd:
            for org_id, version, code, primary in session.execute(
                select(_PKD.c.organisation_id, _PKD.c.version, _PKD.c.code, _PKD.c.is_primary)
                .where(_in(session, _PKD.c.organisation_id, with_pkd))
                .order_by(_PKD.c.id)
            ):
                pkd_now[org_id].append((version, code, bool(primary)))
        touched: set[int] = set()
        drop_caps: list[int] = []
        new_caps: list[tuple[Any, ...]] = []
        replace_pkd: list[int] = []
        pkd_rows: list[tuple[Any, ...]] = []
        profiles: list[tuple[int, dict[str, Any], bool, bool]] = []
        for row, current in pairs:
            org_id = current["id"]
            data = {name: current[name] for name in _PROFILE}
            data.update(row.fields)
            existing = capabilities.get(org_id, [])
            if row.capabilities is not None:
                wanted = set(row.capabilities)
                kept = [c for c in existing if c[1] is None or c[1] in wanted]
                dropped = [c[0] for c in existing if c[1] is not None and c[1] not in wanted]
                have = {c[1] for c in kept}
                added = [t for t in row.capabilities if t not in have]
                if dropped or added:
                    touched.add(org_id)
                    drop_caps.extend(dropped)
                    new_caps.extend(_capability_values(org_id, terms[t]) for t in added)
                final = [*[(c[1], c[2]) for c in kept], *[(t, "") for t in added]]
            else:
                final = [(c[1], c[2]) for c in existing]
            labels = [label or "" for _, label in final]
            labels += [
                f"{terms[t].name_pl} {terms[t].name_en}"
                for t, _ in final
                if t is not None and t in terms
            ]
            if row.pkd is not None:
                wanted_pkd = [(p.version, p.code, i == 0) for i, p in enumerate(row.pkd)]
                if wanted_pkd != pkd_now.get(org_id, []):
                    touched.add(org_id)
                    replace_pkd.append(org_id)
                    pkd_rows.extend(_pkd_values(org_id, row))
            city = lookups.municipalities[row.teryt]
            values = _with_derived(data, row.teryt, city, labels, now)
            changed = any(values[k] != current[k] for k in _PROFILE) or any(
                values[k] != current[k] for k in _COMPARED
            )
            search_changed = values["search_text"] != current["search_text"]
            profiles.append((org_id, values, changed, search_changed))
        touched |= self._update_sites(pairs)
        touched |= self._update_people(pairs)
        if self.write:
            if drop_caps:
                session.execute(
                    delete(_CAPABILITY).where(_in(session, _CAPABILITY.c.id, drop_caps))
                )
            _insert_many(session, _CAPABILITY, _CAPABILITY_COLUMNS, new_caps)
            if replace_pkd:
                session.execute(
                    delete(_PKD).where(_in(session, _PKD.c.organisation_id, replace_pkd))
                )
                _insert_many(session, _PKD, _PKD_COLUMNS, pkd_rows)
        # The FTS trigger of SQLite fires only when search_text is set: leave it out
        # when it stays the same.
        with_text = [{"b_id": i, **v} for i, v, c, s in profiles if s]
        without_text = [
            {"b_id": i, **v} for i, v, c, s in profiles if not s and (c or i in touched)
        ]
        if self.write:
            for batch, columns in (
                (with_text, (*_PROFILE, *_DERIVED)),
                (without_text, tuple(c for c in (*_PROFILE, *_DERIVED) if c != "search_text")),
            ):
                if batch:
                    stmt = (
                        update(_ORG)
                        .where(_ORG.c.id == bindparam("b_id"))
                        .values({name: bindparam(name) for name in columns})
                    )
                    session.execute(stmt, batch)
            # Children changed through Core above: recount the facets from the database.
            written = [i for i, _, changed, searched in profiles if changed or searched]
            self.updated.update(written, touched)
            facets.refresh(session, sorted({*written, *touched}))
        return len(with_text) + len(without_text)

    def _update_sites(self, pairs: list[tuple[ValidRow, dict[str, Any]]]) -> set[int]:
        """Point each headquarters at the municipality and address in the file.

        Returns the organisations whose headquarters change (written unless check-only).
        """
        session = self.session
        headquarters: dict[int, dict[str, Any]] = {}
        for found in session.execute(
            select(
                _SITE.c.id,
                _SITE.c.organisation_id,
                _SITE.c.teryt,
                _SITE.c.street,
                _SITE.c.postal_code,
                _SITE.c.locality,
                _SITE.c.is_headquarters,
            )
            .where(_in(session, _SITE.c.organisation_id, [c["id"] for _, c in pairs]))
            .order_by(_SITE.c.organisation_id, _SITE.c.is_headquarters.desc(), _SITE.c.id)
        ).mappings():
            headquarters.setdefault(found["organisation_id"], dict(found))
        changed: list[dict[str, Any]] = []
        created: list[tuple[Any, ...]] = []
        touched: set[int] = set()
        for row, current in pairs:
            site = headquarters.get(current["id"])
            if site is None:
                created.append(_site_values(current["id"], row.teryt, row.address))
                touched.add(current["id"])
                continue
            moved = site["teryt"] != row.teryt
            new = {
                key: row.address.get(key, "" if moved else site[key])
                for key in ("street", "postal_code", "locality")
            }
            if moved or not site["is_headquarters"] or any(new[k] != site[k] for k in new):
                changed.append({"b_id": site["id"], "teryt": row.teryt, **new})
                touched.add(current["id"])
        if self.write:
            if changed:
                stmt = (
                    update(_SITE)
                    .where(_SITE.c.id == bindparam("b_id"))
                    .values(
                        teryt=bindparam("teryt"),
                        street=bindparam("street"),
                        postal_code=bindparam("postal_code"),
                        locality=bindparam("locality"),
                        is_headquarters=True,
                    )
                )
                session.execute(stmt, changed)
            _insert_many(session, _SITE, _SITE_COLUMNS, created)
        return touched

    def _update_people(self, pairs: list[tuple[ValidRow, dict[str, Any]]]) -> set[int]:
        """Update the contact person with the same e-mail (or name), or add the contact.

        Returns the organisations whose people change (written unless check-only).
        """
        wanted = [(row, current["id"]) for row, current in pairs if row.contact]
        if not wanted:
            return set()
        people: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for person in self.session.execute(
            select(
                _PERSON.c.id,
                _PERSON.c.organisation_id,
                _PERSON.c.full_name,
                _PERSON.c.email,
                _PERSON.c.phone,
            )
            .where(
                _in(self.session, _PERSON.c.organisation_id, [org_id for _, org_id in wanted]),
                _PERSON.c.erased_at.is_(None),
            )
            .order_by(_PERSON.c.id)
        ).mappings():
            people[person["organisation_id"]].append(dict(person))
        changed: list[dict[str, Any]] = []
        created: list[tuple[Any, ...]] = []
        touched: set[int] = set()
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
                touched.add(org_id)
                continue
            new = {
                "full_name": contact["full_name"],
                "email": contact.get("email", same["email"]),
                "phone": contact.get("phone", same["phone"]),
            }
            if any(new[k] != same[k] for k in new):
                changed.append({"b_id": same["id"], **new})
                touched.add(org_id)
        if self.write:
            if changed:
                stmt = (
                    update(_PERSON)
                    .where(_PERSON.c.id == bindparam("b_id"))
                    .values(
                        full_name=bindparam("full_name"),
                        email=bindparam("email"),
                        phone=bindparam("phone"),
                    )
                )
                self.session.execute(stmt, changed)
            _insert_many(self.session, _PERSON, _PERSON_COLUMNS, created)
        return touched


def _with_derived(
    data: dict[str, Any],
    teryt: str,
    city: str,
    labels: list[str],
    now: Any,
    *,
    created: bool = False,
) -> dict[str, Any]:
    """Add the columns `refresh_derived` keeps: sort key, size class, HQ, search text, times.

    The search text is built part by part exactly like `build_search_text`, folding each
    distinct text once (the short name is often the legal name; cities and vocabulary
    labels repeat from row to row).
    """
    legal = data["legal_name"]
    short = data["short_name"]
    folded_legal = fast_fold(legal)
    folded_short = folded_legal if short == legal else fast_fold(short)
    data["name_key"] = (folded_short if short else folded_legal)[:120]
    size = size_class_for(data["employees"])
    data["size_class"] = size.value if size is not None else None
    data["teryt"] = teryt
    parts = [folded_legal, folded_short if short else None]
    for value in (data["nip"], data["regon"]):
        if value:
            parts.append(value)
    parts.append(_cached_fold(city))
    for column in ("description_pl", "description_en", "capacity_notes"):
        if data[column]:
            parts.append(fast_fold(data[column]))
    parts.extend(_cached_fold(label) for label in labels if label)
    data["search_text"] = " ".join(p for p in parts if p is not None)
    data["updated_at"] = now
    if created:
        data["created_at"] = now
    return data


@functools.lru_cache(maxsize=4096)
def _cached_fold(text: str) -> str:
    return fast_fold(text)


_PKD_COLUMNS = ("organisation_id", "version", "code", "section", "is_primary")
_SITE_COLUMNS = (
    "organisation_id",
    "name",
    "street",
    "postal_code",
    "locality",
    "teryt",
    "is_headquarters",
)
_PERSON_COLUMNS = (
    "organisation_id",
    "full_name",
    "role_title",
    "email",
    "phone",
    "contact_visibility",
    "language",
)
_CAPABILITY_COLUMNS = ("organisation_id", "kind", "term_id", "label", "notes")


def _pkd_values(org_id: int, row: ValidRow) -> Iterator[tuple[Any, ...]]:
    for index, ref in enumerate(row.pkd or ()):
        yield (org_id, ref.version, ref.code, ref.section, index == 0)


def _site_values(org_id: int, teryt: str, address: dict[str, str]) -> tuple[Any, ...]:
    get = address.get
    return (org_id, "", get("street", ""), get("postal_code", ""), get("locality", ""), teryt, True)


def _person_values(org_id: int, contact: dict[str, str]) -> tuple[Any, ...]:
    return (
        org_id,
        contact["full_name"],
        "",
        contact.get("email"),
        contact.get("phone"),
        "private",
        "pl",
    )


def _capability_values(org_id: int, term: Any) -> tuple[Any, ...]:
    return (org_id, term.kind, term.id, "", "")


class _Processors:
    """The bind processing SQLAlchemy would do, for the few columns that need any (dates and
    times on SQLite), so rows can go to the driver as plain tuples."""

    def __init__(self, session: Session, table: Table, columns: tuple[str, ...]) -> None:
        dialect = session.connection().dialect
        self.columns = columns
        self.getter = operator.itemgetter(*columns)
        self.processors = {
            name: processor
            for name in columns
            if (processor := table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
        }
        self.per_row = [(name, p) for name, p in self.processors.items() if name not in _STAMPS]

    def value(self, column: str, value: Any) -> Any:
        processor = self.processors.get(column)
        return processor(value) if processor and value is not None else value

    def row(self, data: dict[str, Any]) -> tuple[Any, ...]:
        """`data` as a tuple in column order; creation and update stamps come pre-processed."""
        for name, processor in self.per_row:
            value = data[name]
            if value is not None:
                data[name] = processor(value)
        row: tuple[Any, ...] = self.getter(data)
        return row


def _identifier_matches(session: Session, nips: list[str], regons: list[str]) -> list[int]:
    """Ids of registered organisations having one of these NIPs or REGONs (one query)."""
    conditions = []
    if nips:
        conditions.append(_in(session, _ORG.c.nip, nips))
    if regons:
        conditions.append(_in(session, _ORG.c.regon, regons))
    if not conditions:
        return []
    return list(session.scalars(select(_ORG.c.id).where(or_(*conditions))).all())


def _in(session: Session, column: Any, values: list[Any]) -> Any:
    """`column IN (values)` for thousands of values, as one bound parameter.

    PostgreSQL gets `= ANY(array)`; SQLite `IN (SELECT value FROM json_each(?))`. Either way
    the SQL text stays the same from chunk to chunk (so drivers reuse prepared statements
    instead of caching one per list) and no limit on the number of parameters applies.
    """
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, values, type_=ARRAY(column.type)))
    items: Any = select(literal_column("value")).select_from(
        func.json_each(bindparam(None, json.dumps(values)))
    )
    return column.in_(items.scalar_subquery())


def _driver_rows(session: Session, sql: str, params: tuple[Any, ...]) -> list[Any]:
    """Run one statement on the session's own DBAPI connection (same transaction), skipping
    SQLAlchemy's per-row result handling; returns the fetched rows, if any."""
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(sql, params)
        return list(cursor.fetchall()) if cursor.description else []
    finally:
        cursor.close()


def _insert_returning(
    session: Session,
    table: Table,
    columns: tuple[str, ...],
    rows: list[tuple[Any, ...]],
    returning: tuple[str, ...] = (),
) -> list[Any]:
    """Insert plain tuples with multi-row INSERT statements straight to the driver.

    A thousand rows per statement (and no SQLAlchemy per-row parameter handling) makes this
    several times faster than executemany, above all on SQLite, whose FTS trigger flushes
    its buffer after every statement; PostgreSQL gets one INSERT … SELECT FROM unnest(arrays).
    Values must already be in driver form (`_Processors`).
    """
    if not rows:
        return []
    dialect = session.connection().dialect
    mark = _MARKS.get(dialect.paramstyle)
    if mark is None:
        stmt = insert(table)
        dicts = [dict(zip(columns, row, strict=True)) for row in rows]
        if not returning:
            session.execute(stmt, dicts)
            return []
        return list(session.execute(stmt.returning(*(table.c[n] for n in returning)), dicts))
    quote = dialect.identifier_preparer.quote
    head = f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
    tail = f" RETURNING {', '.join(quote(c) for c in returning)}" if returning else ""
    if dialect.name == "postgresql":
        # One array per column: a single short statement whatever the number of rows.
        arrays = ", ".join(f"%b::{table.c[c].type.compile(dialect=dialect)}[]" for c in columns)
        sql = f"{head}SELECT * FROM unnest({arrays}){tail}"
        return _driver_rows(session, sql, tuple(list(column) for column in zip(*rows, strict=True)))
    head += "VALUES "
    group = f"({', '.join([mark] * len(columns))})"
    per = max(1, min(1000, 30_000 // len(columns)))  # SQLite takes up to 32,766 parameters
    out: list[Any] = []
    for start in range(0, len(rows), per):
        batch = rows[start : start + per]
        sql = head + ", ".join([group] * len(batch)) + tail
        out.extend(_driver_rows(session, sql, tuple(itertools.chain.from_iterable(batch))))
    return out


def _insert_many(
    session: Session, table: Table, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    _insert_returning(session, table, columns, rows)


def _expire_registry_objects(session: Session) -> None:
    """Core writes bypass the identity map: let loaded registry objects reload their state."""
    registry = (Organisation, OrganisationPkd, Site, Person, OrganisationCapability)
    for obj in list(session.identity_map.values()):
        if isinstance(obj, registry):
            session.expire(obj)
