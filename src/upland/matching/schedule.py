"""Matching's periodic job (`upland schedule list|run`, the in-process scheduler or `upland
worker`): every hour, who may open each stored item is read again from the areas' rules and
written where it changed. The searches are narrowed by these flags (`engine.reach_of`), so a
flag a lost or failed refresh job left wrong would hide an item from readers who may open it;
this bounds that to an hour, without loading the model."""

from __future__ import annotations

import datetime as dt

from upland.scheduler.registry import Periodic, register

RECONCILE = "matching.reconcile-readers"


def reconcile_readers() -> str:
    """The task of `matching.reconcile-readers`."""
    from upland.matching import service

    return f"reclassified {service.reconcile_readers()}"


register(
    Periodic(
        RECONCILE,
        f"{__name__}.reconcile_readers",
        every=dt.timedelta(hours=1),
        description="write again who may open each matched item, where a refresh missed it",
    )
)
