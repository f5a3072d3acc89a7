"""The municipalities the list page's city filter offers, kept briefly.

The filter offers the partner municipalities and every municipality some site is in: with the
whole TERYT register loaded that is one grouped query over the sites (an index-only scan of
`ix_site_teryt_org`) and a name look-up of those codes alone. Both are the same for every
reader, so they are kept (`upland.kept`) for a few seconds per database and forgotten when the
registry announces a change. Which municipalities are in use says nothing about who may see
an organisation there: the list itself still goes through `visible_to`.

The page does not list them all (1 841 on the benchmark's data, ~100 kB a page): its field is
a text input whose suggestions (`suggest_cities`) come from these choices as one types.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland.kept import Kept
from upland.organisations.models import Site
from upland.organisations.signals import OrganisationChanged, OrganisationsImported
from upland.reference import queries as reference
from upland.reference.queries import MunicipalityChoice
from upland.textkit.folding import fold

SUGGESTIONS = 20


@dataclass(frozen=True)
class CityChoices:
    """The choices in the filter's order, each with its name's folded words (for matching)."""

    all: list[MunicipalityChoice]
    words: list[tuple[str, ...]]


def municipalities_in_use(session: Session) -> list[str]:
    """The TERYT codes of the municipalities at least one site is in."""
    return list(session.scalars(select(Site.teryt).group_by(Site.teryt)))


def _choices(session: Session) -> CityChoices:
    found = reference.municipality_choices(session, municipalities_in_use(session))
    return CityChoices(found, [tuple(fold(c.name).split()) for c in found])


_kept = Kept(_choices, forget_on=(OrganisationChanged, OrganisationsImported))


def city_choices(session: Session) -> list[MunicipalityChoice]:
    """The city filter's choices: partners first, then the municipalities in use, by name."""
    return _kept.get(session).all


def partner_choices(session: Session) -> list[MunicipalityChoice]:
    """The partner municipalities among the choices: offered before anything is typed."""
    return [c for c in city_choices(session) if c.is_partner]


def suggest_cities(
    session: Session, text: str, limit: int = SUGGESTIONS
) -> list[MunicipalityChoice]:
    """The choices whose TERYT code, name, or a word of the name begins with `text` (case and
    Polish diacritics aside: "zyrar" finds Żyrardów), in the filter's order; the partners when
    nothing is typed."""
    wanted = fold(text)
    if not wanted:
        return partner_choices(session)[:limit]
    kept = _kept.get(session)
    found = []
    for choice, words in zip(kept.all, kept.words, strict=True):
        if (
            choice.teryt.startswith(wanted)
            or " ".join(words).startswith(wanted)
            or any(word.startswith(wanted) for word in words)
        ):
            found.append(choice)
            if len(found) == limit:
                break
    return found
