"""A short-lived copy of the public home page's figures.

The figures tally every member of the registry (four grouped queries): the same for every
visitor, and read far more often than the registry changes. They are kept for `TTL` seconds
per database, and forgotten at once when the registry announces a change in this process
(`OrganisationChanged`, `OrganisationsImported`); another worker process sees the change
when its copy expires. What is kept is `cluster_figures(hide_small=True)`'s result itself,
suppression included, so a cached page never shows a cell the rule hides.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from sqlalchemy.orm import Session

from upland import signals
from upland.home.figures import Figures, cluster_figures
from upland.organisations.signals import OrganisationChanged, OrganisationsImported

TTL = 30.0  # seconds

_lock = threading.Lock()
_kept: dict[str, tuple[float, Figures]] = {}
_generation = 0  # bumped by every change: a result computed before it is not kept


def public_figures(session: Session) -> Figures:
    """The cluster's figures with small cells suppressed, at most `TTL` seconds old."""
    key = session.get_bind().engine.url.render_as_string(hide_password=True)
    now = time.monotonic()
    with _lock:
        kept = _kept.get(key)
        generation = _generation
    if kept is not None and now - kept[0] < TTL:
        return kept[1]
    figures = cluster_figures(session, hide_small=True)
    with _lock:
        if generation == _generation:
            _kept[key] = (now, figures)
    return figures


def forget(_signal: Any = None) -> None:
    """Drop every kept copy (the registry changed, or a test starts afresh)."""
    global _generation
    with _lock:
        _generation += 1
        _kept.clear()


signals.subscribe(OrganisationChanged, forget)
signals.subscribe(OrganisationsImported, forget)
