"""The municipalities the list page offers as a filter, kept briefly.

The filter offers the partner municipalities and every municipality some site is in: with the
whole TERYT register loaded that is one grouped query over the sites (an index-only scan of
`ix_site_teryt_org`) and a name look-up of those codes alone. Both are the same for every
reader, so they are kept (`upland.kept`) for a few seconds per database and forgotten when the
registry announces a change. Which municipalities are in use says nothing about who may see
an organisation there: the list itself still goes through `visible_to`.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland.kept import Kept
from upland.organisations.models import Site
from upland.organisations.signals import OrganisationChanged, OrganisationsImported
from upland.reference import queries as reference
from upland.reference.queries import MunicipalityChoice


def municipalities_in_use(session: Session) -> list[str]:
    """The TERYT codes of the municipalities at least one site is in."""
    return list(session.scalars(select(Site.teryt).group_by(Site.teryt)))


def _choices(session: Session) -> list[MunicipalityChoice]:
    return reference.municipality_choices(session, municipalities_in_use(session))


_kept = Kept(_choices, forget_on=(OrganisationChanged, OrganisationsImported))


def city_choices(session: Session) -> list[MunicipalityChoice]:
    """The city filter's choices: partners first, then the municipalities in use, by name."""
    return _kept.get(session)
