"""Write one chunk of checked import rows: new organisations and changes to matched ones.

Derived columns come from `derived.derive`, as in the service; the statements are the bulk
ones of `bulk`. Every method writes only when `write` is set (in a check-only pass it still
works out what would change, so the report counts it).
"""

from __future__ import annotations

import functools
from array import array
from collections import defaultdict
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from upland.organisations import facets
from upland.organisations.derived import Children, derive
from upland.organisations.imports import bulk
from upland.organisations.imports.folding import fast_fold
from upland.organisations.imports.format import PROFILE_COLUMNS
from upland.organisations.imports.lookups import ImportLookups
from upland.organisations.imports.rows import ValidRow

_PROFILE = PROFILE_COLUMNS
_DERIVED = ("name_key", "size_class", "teryt", "search_name", "search_text", "updated_at")
_COMPARED = ("name_key", "size_class", "teryt", "search_name", "search_text")
# `not_suggested` is no column of the file: a new organisation starts suggested (an existing
# one keeps its choice, which only its profile form and the API change).
INSERT_COLUMNS = (*_PROFILE, *_DERIVED, "created_at", "facets", "not_suggested")
# Columns of a matched organisation read before it is updated.
CURRENT_COLUMNS = (*_PROFILE, *_COMPARED)
# A new organisation's columns before the file's values go in.
_BLANK: dict[str, Any] = {
    **dict.fromkeys(_PROFILE),
    "short_name": "",
    "description_pl": "",
    "description_en": "",
    "capacity_notes": "",
    "membership_status": "none",
    "visibility": "public",
    "not_suggested": False,
}


@functools.lru_cache(maxsize=4096)
def _cached_fold(text: str) -> str:
    return fast_fold(text)


def _derive(data: dict[str, Any], children: Children) -> dict[str, Any]:
    """`derive` with the import's faster fold; cities and labels repeat, so their folds are
    cached."""
    return derive(data, children, fold=fast_fold, fold_name=_cached_fold)


class ChunkWriter:
    """Writes (or, with `write` off, only weighs) the chunks of one import."""

    def __init__(self, session: Session, lookups: ImportLookups, *, write: bool) -> None:
        self.session = session
        self.lookups = lookups
        self.write = write
        self.created = array("q")  # 8 bytes an id: a million-row import keeps them all
        self.updated: set[int] = set()

    def create(self, rows: list[ValidRow], now: Any) -> None:
        session = self.session
        lookups = self.lookups
        terms = lookups.terms_by_id
        cities = lookups.municipalities
        processors = bulk.Processors(session, bulk.ORG, INSERT_COLUMNS)
        stamp = processors.value("created_at", now)
        values = []
        for row in rows:
            data = {**_BLANK, **row.fields}
            if not data["short_name"]:
                data["short_name"] = data["legal_name"][:120]
            labels = [f"{terms[t].name_pl} {terms[t].name_en}" for t in row.capabilities or ()]
            children = Children(
                row.teryt,
                cities[row.teryt],
                labels,
                (row.teryt,),
                [(p.section, p.code) for p in row.pkd or ()],
                row.capabilities or (),
            )
            data.update(_derive(data, children))
            data["created_at"] = data["updated_at"] = stamp
            values.append(processors.row(data))
        # Rows come back in no guaranteed order (that keeps the INSERT batched on every
        # backend); each carries a NIP or REGON unique in the file, which finds its id.
        by_nip: dict[str, int] = {}
        by_regon: dict[str, int] = {}
        for org_id, nip, regon in bulk.insert_returning(
            session, bulk.ORG, INSERT_COLUMNS, values, ("id", "nip", "regon")
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
                pkd_rows.extend(bulk.pkd_values(org_id, row.pkd or ()))
            site_rows.append(bulk.site_values(org_id, row.teryt, row.address))
            if row.contact:
                person_rows.append(bulk.person_values(org_id, row.contact))
            for term_id in row.capabilities or ():
                capability_rows.append(bulk.capability_values(org_id, terms[term_id]))
        bulk.insert_many(session, bulk.PKD, bulk.PKD_COLUMNS, pkd_rows)
        bulk.insert_many(session, bulk.SITE, bulk.SITE_COLUMNS, site_rows)
        bulk.insert_many(session, bulk.PERSON, bulk.PERSON_COLUMNS, person_rows)
        bulk.insert_many(session, bulk.CAPABILITY, bulk.CAPABILITY_COLUMNS, capability_rows)

    def update(self, pairs: list[tuple[ValidRow, dict[str, Any]]], now: Any) -> int:
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
                bulk.CAPABILITY.c.id,
                bulk.CAPABILITY.c.organisation_id,
                bulk.CAPABILITY.c.term_id,
                bulk.CAPABILITY.c.label,
            )
            .where(bulk.in_(session, bulk.CAPABILITY.c.organisation_id, ids))
            .order_by(bulk.CAPABILITY.c.id)
        ):
            capabilities[org_id].append((cap_id, term_id, label))
        pkd_now: dict[int, list[tuple[int, str, bool]]] = defaultdict(list)
        with_pkd = [current["id"] for row, current in pairs if row.pkd is not None]
        if with_pkd:
            for org_id, version, code, primary in session.execute(
                select(
                    bulk.PKD.c.organisation_id,
                    bulk.PKD.c.version,
                    bulk.PKD.c.code,
                    bulk.PKD.c.is_primary,
                )
                .where(bulk.in_(session, bulk.PKD.c.organisation_id, with_pkd))
                .order_by(bulk.PKD.c.id)
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
                    new_caps.extend(bulk.capability_values(org_id, terms[t]) for t in added)
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
                    pkd_rows.extend(bulk.pkd_values(org_id, row.pkd or ()))
            city = lookups.municipalities[row.teryt]
            values = data | _derive(data, Children(row.teryt, city, labels, None))
            values["updated_at"] = now
            changed = any(values[k] != current[k] for k in _PROFILE) or any(
                values[k] != current[k] for k in _COMPARED
            )
            search_changed = any(values[k] != current[k] for k in ("search_name", "search_text"))
            profiles.append((org_id, values, changed, search_changed))
        touched |= self._update_sites(pairs)
        touched |= self._update_people(pairs)
        if self.write:
            if drop_caps:
                session.execute(
                    delete(bulk.CAPABILITY).where(
                        bulk.in_(session, bulk.CAPABILITY.c.id, drop_caps)
                    )
                )
            bulk.insert_many(session, bulk.CAPABILITY, bulk.CAPABILITY_COLUMNS, new_caps)
            if replace_pkd:
                session.execute(
                    delete(bulk.PKD).where(
                        bulk.in_(session, bulk.PKD.c.organisation_id, replace_pkd)
                    )
                )
                bulk.insert_many(session, bulk.PKD, bulk.PKD_COLUMNS, pkd_rows)
        # The FTS trigger of SQLite fires only when the search columns are set: leave them
        # out when they stay the same.
        with_text = [{"b_id": i, **v} for i, v, c, s in profiles if s]
        without_text = [
            {"b_id": i, **v} for i, v, c, s in profiles if not s and (c or i in touched)
        ]
        if self.write:
            for batch, columns in (
                (with_text, (*_PROFILE, *_DERIVED)),
                (
                    without_text,
                    tuple(c for c in (*_PROFILE, *_DERIVED) if not c.startswith("search_")),
                ),
            ):
                if batch:
                    stmt = (
                        update(bulk.ORG)
                        .where(bulk.ORG.c.id == bindparam("b_id"))
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
                bulk.SITE.c.id,
                bulk.SITE.c.organisation_id,
                bulk.SITE.c.teryt,
                bulk.SITE.c.street,
                bulk.SITE.c.postal_code,
                bulk.SITE.c.locality,
                bulk.SITE.c.is_headquarters,
            )
            .where(bulk.in_(session, bulk.SITE.c.organisation_id, [c["id"] for _, c in pairs]))
            .order_by(
                bulk.SITE.c.organisation_id, bulk.SITE.c.is_headquarters.desc(), bulk.SITE.c.id
            )
        ).mappings():
            headquarters.setdefault(found["organisation_id"], dict(found))
        changed: list[dict[str, Any]] = []
        created: list[tuple[Any, ...]] = []
        touched: set[int] = set()
        for row, current in pairs:
            site = headquarters.get(current["id"])
            if site is None:
                created.append(bulk.site_values(current["id"], row.teryt, row.address))
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
                    update(bulk.SITE)
                    .where(bulk.SITE.c.id == bindparam("b_id"))
                    .values(
                        teryt=bindparam("teryt"),
                        street=bindparam("street"),
                        postal_code=bindparam("postal_code"),
                        locality=bindparam("locality"),
                        is_headquarters=True,
                    )
                )
                session.execute(stmt, changed)
            bulk.insert_many(session, bulk.SITE, bulk.SITE_COLUMNS, created)
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
                bulk.PERSON.c.id,
                bulk.PERSON.c.organisation_id,
                bulk.PERSON.c.full_name,
                bulk.PERSON.c.email,
                bulk.PERSON.c.phone,
            )
            .where(
                bulk.in_(
                    self.session, bulk.PERSON.c.organisation_id, [org_id for _, org_id in wanted]
                ),
                bulk.PERSON.c.erased_at.is_(None),
            )
            .order_by(bulk.PERSON.c.id)
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
                created.append(bulk.person_values(org_id, contact))
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
                    update(bulk.PERSON)
                    .where(bulk.PERSON.c.id == bindparam("b_id"))
                    .values(
                        full_name=bindparam("full_name"),
                        email=bindparam("email"),
                        phone=bindparam("phone"),
                    )
                )
                self.session.execute(stmt, changed)
            bulk.insert_many(self.session, bulk.PERSON, bulk.PERSON_COLUMNS, created)
        return touched
