"""From the registry's and the marketplace's signals to a refresh of the items' vectors: an
edit is matchable seconds after it commits (a job: RQ on Redis, else this process's job
thread), without rebuilding anything else."""

from __future__ import annotations

from upland import clock, jobs
from upland.market import signals as market_signals
from upland.matching.texts import OPPORTUNITY, ORGANISATION
from upland.organisations import signals as organisation_signals
from upland.signals import subscribe

JOB = "upland.matching.service.refresh_job"
ALL_JOB = "upland.matching.service.refresh_all_job"

OPPORTUNITY_SIGNALS = (
    market_signals.OpportunityPublished,
    market_signals.OpportunityChanged,
    market_signals.OpportunityWithdrawn,
    market_signals.OpportunityFulfilled,
    market_signals.OpportunityExpired,
    market_signals.OpportunityRenewed,
    market_signals.OpportunityDeleted,
)


def dispatch(kind: str, ids: list[int]) -> None:
    """Queue the refresh of these items (tests replace this). Not while the demo writes its
    history: it queues one refresh of everything when it is done (`refresh_all_job`)."""
    if not clock.replaying():
        jobs.enqueue(JOB, kind, ids)


def dispatch_all() -> None:
    """Queue the refresh of every item (after the demo's history; tests replace this)."""
    jobs.enqueue(ALL_JOB)


def on_organisation(signal: organisation_signals.OrganisationChanged) -> None:
    dispatch(ORGANISATION, [signal.organisation_id])


def on_import(signal: organisation_signals.OrganisationsImported) -> None:
    ids = sorted({*signal.created, *signal.updated})
    if ids:
        dispatch(ORGANISATION, ids)


def on_opportunity(signal: market_signals.OpportunityEvent) -> None:
    dispatch(OPPORTUNITY, [signal.opportunity_id])


subscribe(organisation_signals.OrganisationChanged, on_organisation)
subscribe(organisation_signals.OrganisationsImported, on_import)
for _signal in OPPORTUNITY_SIGNALS:
    subscribe(_signal, on_opportunity)
