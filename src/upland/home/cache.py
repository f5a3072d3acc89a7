"""A short-lived copy of the public home page's figures.

The figures tally every member of the registry (four grouped queries): the same for every
visitor, and read far more often than the registry changes. They are kept (`upland.kept`) for
`TTL` seconds per database, and forgotten at once when the registry announces a change in
this process (`OrganisationChanged`, `OrganisationsImported`); another worker process sees the
change when its copy expires. What is kept is `cluster_figures(hide_small=True)`'s result
itself, suppression included, so a cached page never shows a cell the rule hides.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from upland.home.figures import Figures, cluster_figures
from upland.kept import Kept
from upland.organisations.signals import OrganisationChanged, OrganisationsImported

TTL = 30.0  # seconds


def _suppressed_figures(session: Session) -> Figures:
    return cluster_figures(session, hide_small=True)


_figures = Kept(
    _suppressed_figures, forget_on=(OrganisationChanged, OrganisationsImported), ttl=TTL
)


def public_figures(session: Session) -> Figures:
    """The cluster's figures with small cells suppressed, at most `TTL` seconds old."""
    return _figures.get(session)


def forget(_signal: Any = None) -> None:
    """Drop every kept copy (the registry changed, or a test starts afresh)."""
    _figures.forget()
