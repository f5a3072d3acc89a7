"""Reference data for the import, in memory: municipalities, PKD codes, capability terms.

`ReferenceCells` reads the cells that need them (a municipality, a list of PKD codes, a list
of capabilities), remembering each distinct cell: files repeat them from row to row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy.orm import Session

from upland.i18n import Message, plural_message
from upland.organisations.columns import MAX_CAPABILITIES, MAX_PKD_CODES
from upland.organisations.imports.format import DEFAULT_PKD_VERSION
from upland.organisations.schemas import PKD_VERSIONS
from upland.reference import queries as reference
from upland.reference.teryt_names import MunicipalityIndex

CACHE_LIMIT = 50_000
VALUE_LIMIT = 200
_PKD_CODE = re.compile(r"^(\d{2})\.?(\d)(\d)?(?:\.?([A-Z]))?$")


class PkdRef(NamedTuple):
    version: int
    code: str
    section: str


class Term(NamedTuple):
    id: int
    kind: str
    name_pl: str
    name_en: str


@dataclass(frozen=True)
class ImportLookups:
    """Reference data prepared for the validator: plain dicts, folded names, active terms."""

    source: reference.Lookups
    municipalities: Mapping[str, str]
    municipality_index: MunicipalityIndex
    terms: Mapping[str, Term]
    terms_by_id: Mapping[int, Term]

    @classmethod
    def load(cls, session: Session) -> ImportLookups:
        return cls.prepare(reference.load_lookups(session))

    @classmethod
    def prepare(cls, lookups: reference.Lookups | ImportLookups) -> ImportLookups:
        if isinstance(lookups, ImportLookups):
            return lookups
        terms = {
            slug: Term(t.id, t.kind, t.name_pl, t.name_en)
            for slug, t in lookups.terms.items()
            if t.is_active
        }
        return cls(
            source=lookups,
            municipalities={
                teryt: m.name for teryt, m in lookups.municipalities.items() if m.is_selectable
            },
            municipality_index=lookups.municipality_index,
            terms=terms,
            terms_by_id={t.id: t for t in terms.values()},
        )


class ReferenceCells:
    """Reads the cells that name reference data, each distinct cell once per file."""

    def __init__(self, lookups: ImportLookups) -> None:
        self.lookups = lookups
        self._pkd_cache: dict[str, tuple[tuple[PkdRef, ...], list[tuple[str, Message]]]] = {}
        self._capability_cache: dict[str, tuple[tuple[int, ...], list[tuple[str, Message]]]] = {}
        self._teryt_cache: dict[str, tuple[str | None, Message | None]] = {}
        self._pkd_items: dict[str, tuple[PkdRef | None, Message | None]] = {}

    def municipality(self, cell: str) -> tuple[str | None, Message | None]:
        """The TERYT code a cell names (a code, a name, "Lubin (gmina wiejska)"), or None and
        why not: unknown, a name several municipalities share, a part of a municipality."""
        found = self._teryt_cache.get(cell)
        if found is None:
            found = self.lookups.municipality_index.resolve(cell)
            if len(self._teryt_cache) < CACHE_LIMIT:
                self._teryt_cache[cell] = found
        return found

    def pkd(self, cell: str) -> tuple[tuple[PkdRef, ...], list[tuple[str, Message]]]:
        """The codes of a PKD cell and the (value, message) of each problem."""
        parsed = self._pkd_cache.get(cell)
        if parsed is None:
            parsed = self._parse_pkd(cell)
            if len(self._pkd_cache) < CACHE_LIMIT:
                self._pkd_cache[cell] = parsed
        return parsed

    def capabilities(self, cell: str) -> tuple[tuple[int, ...], list[tuple[str, Message]]]:
        """The term ids of a capabilities cell and the (value, message) of each problem."""
        found = self._capability_cache.get(cell)
        if found is None:
            found = self._parse_capabilities(cell)
            if len(self._capability_cache) < CACHE_LIMIT:
                self._capability_cache[cell] = found
        return found

    def _parse_pkd(self, cell: str) -> tuple[tuple[PkdRef, ...], list[tuple[str, Message]]]:
        items = self._pkd_items
        codes: list[PkdRef] = []
        problems: list[tuple[str, Message]] = []
        for part in cell.replace("|", ";").split(";"):
            item = part.strip()
            if not item:
                continue
            known = items.get(item)
            if known is None:
                known = self._parse_pkd_item(item)
                if len(items) < CACHE_LIMIT:
                    items[item] = known
            found, problem = known
            if found is None:
                problems.append((item, problem or Message("{value} is not valid", {"value": item})))
            elif found not in codes:
                codes.append(found)
        if len(codes) > MAX_PKD_CODES:
            problems.append(
                (
                    clip(cell),
                    plural_message(
                        "at most {n} PKD code per organisation",
                        "at most {n} PKD codes per organisation",
                        n=MAX_PKD_CODES,
                    ),
                )
            )
        return tuple(codes), problems

    def _parse_pkd_item(self, item: str) -> tuple[PkdRef | None, Message | None]:
        """One code of a PKD cell (`29.32.Z`, `2932Z@2007`): the code, or None and why not.

        Cached per item, not per cell: with 1–3 codes of hundreds per cell, whole cells
        rarely repeat but single codes do.
        """
        ref = self.lookups.source
        code, _, suffix = item.upper().partition("@")
        code = code.strip()
        version = DEFAULT_PKD_VERSION
        if suffix:
            suffix = suffix.strip()
            if not (suffix.isdigit() and int(suffix) in PKD_VERSIONS):
                return None, Message(
                    "unknown PKD version in {item} (use @2007 or @2025)", {"item": repr(item)}
                )
            version = int(suffix)
        code = _pkd_code(code)
        section = ref.pkd_section(version, code)
        if section is not None:
            return PkdRef(version, code, section), None
        if (version, code) in ref.pkd_sections:
            return None, Message(
                "PKD {version} code {code} is too general: give a class "
                "(e.g. 29.32) or a subclass (e.g. 29.32.Z)",
                {"version": version, "code": code},
            )
        return None, ref.explain_pkd(version, code) or Message(
            "unknown PKD {version} code {code}", {"version": version, "code": code}
        )

    def _parse_capabilities(self, cell: str) -> tuple[tuple[int, ...], list[tuple[str, Message]]]:
        terms = self.lookups.terms
        ids: list[int] = []
        problems: list[tuple[str, Message]] = []
        for part in cell.replace("|", ";").replace(",", ";").split(";"):
            slug = part.strip().lower()
            if not slug:
                continue
            term = terms.get(slug)
            if term is None:
                problems.append(
                    (
                        part.strip(),
                        Message(
                            "unknown capability {value} (use vocabulary slugs such as {example})",
                            {"value": repr(part.strip()), "example": "cnc-milling"},
                        ),
                    )
                )
            elif term.id not in ids:
                ids.append(term.id)
        if len(ids) > MAX_CAPABILITIES:
            problems.append(
                (
                    clip(cell),
                    plural_message(
                        "at most {n} capability per organisation",
                        "at most {n} capabilities per organisation",
                        n=MAX_CAPABILITIES,
                    ),
                )
            )
        return tuple(ids), problems


def clip(value: str) -> str:
    """A cell as an error shows it: at most VALUE_LIMIT characters."""
    return value if len(value) <= VALUE_LIMIT else value[: VALUE_LIMIT - 1] + "…"


def _pkd_code(code: str) -> str:
    """'2932Z', '29.32.z', '29.32 Z' -> '29.32.Z'; anything else is returned as written."""
    match = _PKD_CODE.match(code.replace(" ", ""))
    if not match:
        return code
    division, group, klass, subclass = match.groups()
    if klass is None:
        return code if subclass else f"{division}.{group}"
    return f"{division}.{group}{klass}" + (f".{subclass}" if subclass else "")
