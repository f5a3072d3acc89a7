"""Which municipality a user means: a TERYT code, a name, or a name qualified by its kind,
county or voivodeship ("Lubin (gmina wiejska)", "Brody (starachowicki)").

228 names are shared by several municipalities of Poland, often in one county (the urban and
the rural municipality of Lubin), so a bare shared name is never guessed: the answer lists the
candidates with what tells them apart. Pure and in memory, so the bulk import resolves a cell
with a dictionary look-up; the web and the CLI use the same index.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from upland.i18n import Joined, Message, label_message
from upland.reference.teryt import KIND_NAMES, KIND_NAMES_PL, SELECTABLE_KINDS
from upland.textkit.folding import fold

QUALIFIED = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<qualifiers>[^()]*)\)\s*$")


@dataclass(frozen=True)
class Place:
    """What resolving needs to know of one TERYT unit."""

    teryt: str
    name: str
    kind: str
    county_name: str
    voivodeship: str
    is_current: bool = True
    search_name: str = ""

    @property
    def is_selectable(self) -> bool:
        return self.kind in SELECTABLE_KINDS and self.is_current

    def words(self) -> frozenset[str]:
        """Every folded qualifier that describes this unit."""
        county = fold(self.county_name)
        voivodeship = fold(self.voivodeship)
        return frozenset(
            {
                fold(KIND_NAMES_PL[self.kind]),
                fold(KIND_NAMES[self.kind]),
                county,
                f"powiat {county}",
                f"{county} county",
                voivodeship,
                f"wojewodztwo {voivodeship}",
                f"{voivodeship} voivodeship",
                self.teryt,
            }
        )


def describe(place: Place) -> Message:
    """ "Lubin (rural municipality, lubiński county, dolnośląskie): 0211022", in any language."""
    return Message(
        "{name} ({kind}, {county} county, {voivodeship}): {teryt}",
        {
            "name": place.name,
            "kind": label_message("municipality_kind", place.kind),
            "county": place.county_name,
            "voivodeship": place.voivodeship,
            "teryt": place.teryt,
        },
    )


class MunicipalityIndex:
    """Folded names of every unit, ready to resolve what a user typed."""

    def __init__(self, places: Iterable[Place]) -> None:
        self.by_code: dict[str, Place] = {}
        self.by_name: dict[str, list[Place]] = {}
        self.parts_by_name: dict[str, list[Place]] = {}
        for place in places:
            self.by_code[place.teryt] = place
        for place in sorted(self.by_code.values(), key=lambda p: p.teryt):
            key = place.search_name or fold(place.name)
            target = self.by_name if place.is_selectable else self.parts_by_name
            target.setdefault(key, []).append(place)

    def resolve(self, text: str) -> tuple[str | None, Message | None]:
        """The TERYT code of the municipality `text` names, or None and a message saying why."""
        value = text.strip()
        if value.isdigit():
            return self._by_code(value)
        match = QUALIFIED.match(value)
        if fold(value) in self.by_name:  # "Dobra (Szczecińska)" is a municipality's own name
            match = None
        name, qualifiers = (match["name"], match["qualifiers"]) if match else (value, "")
        key = fold(name)
        candidates = self.by_name.get(key, [])
        wanted = [fold(q) for q in qualifiers.split(",") if fold(q)]
        if wanted:
            candidates = [c for c in candidates if all(w in c.words() for w in wanted)]
        if len(candidates) > 1:  # "Miedźna" is not "Miedzna": the exact spelling decides
            exact = [c for c in candidates if c.name.lower() == name.strip().lower()]
            candidates = exact if len(exact) == 1 else candidates
        if len(candidates) == 1:
            return candidates[0].teryt, None
        if candidates:
            return None, Message(
                "{name} names several municipalities: {candidates}; give the TERYT code or "
                "qualify the name, e.g. {example}",
                {
                    "name": repr(value),
                    "candidates": Joined(tuple(describe(c) for c in candidates)),
                    "example": repr(qualified_name(candidates[0], candidates)),
                },
            )
        parts = self.parts_by_name.get(key, [])
        if parts and not wanted:
            return None, self._part_message(parts[0], repr(value))
        if wanted and self.by_name.get(key):
            return None, Message(
                "no municipality {name} is {qualifiers}: {candidates}",
                {
                    "name": repr(name.strip()),
                    "qualifiers": qualifiers.strip(),
                    "candidates": Joined(tuple(describe(c) for c in self.by_name[key])),
                },
            )
        return None, Message("unknown municipality {name}", {"name": repr(value)})

    def _by_code(self, code: str) -> tuple[str | None, Message | None]:
        place = self.by_code.get(code)
        if place is None:
            return None, Message("unknown municipality TERYT code {teryt}", {"teryt": code})
        if place.is_selectable:
            return code, None
        if place.kind in SELECTABLE_KINDS:
            return None, Message(
                "municipality {teryt} ({name}) is no longer in the TERYT register",
                {"teryt": code, "name": place.name},
            )
        return None, self._part_message(place, code)

    def _part_message(self, part: Place, given: str) -> Message:
        municipality = self.municipality_of(part)
        if municipality is None:
            return Message("unknown municipality {name}", {"name": given})
        return Message(
            "{given} is not a municipality but the {what} {part}: choose the municipality "
            "{municipality} ({teryt})",
            {
                "given": given,
                "what": label_message("municipality_kind", part.kind),
                "part": part.name,
                "municipality": municipality.name,
                "teryt": municipality.teryt,
            },
        )

    def municipality_of(self, part: Place) -> Place | None:
        """The municipality a part belongs to: an urban-rural one (4, 5), a city (8, 9)."""
        if part.kind in ("4", "5"):
            return self.by_code.get(part.teryt[:6] + "3")
        county = part.teryt[:4]
        return next(
            (p for p in self.by_code.values() if p.teryt.startswith(county) and p.kind == "1"),
            None,
        )


def qualified_name(place: Place, siblings: Iterable[Place]) -> str:
    """The shortest name that tells `place` from the others of its name, as users write it."""
    others = [s for s in siblings if s.teryt != place.teryt]
    if not any(s.kind == place.kind for s in others):
        return f"{place.name} ({KIND_NAMES_PL[place.kind]})"
    if not any(s.county_name == place.county_name for s in others):
        return f"{place.name} ({place.county_name})"
    if not any(s.voivodeship == place.voivodeship for s in others):
        return f"{place.name} ({place.voivodeship})"
    return place.teryt
