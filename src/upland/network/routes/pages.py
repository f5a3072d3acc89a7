"""The network's pages: the figures the cities follow (`/network/metrics`, aggregates only for an
anonymous visitor, a page that refreshes itself while the job computes them), the interactive
graph (`/network`) and the same network as an accessible table (`/network/table`), both for
signed-in users and within what they may see."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Query, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from upland import clock
from upland.i18n import N_, gettext_in, label, labels_of
from upland.network import exporting, presenting, snapshots, table
from upland.network.graph import OTHER_KIND
from upland.network.vocab import RelationType
from upland.permissions import require
from upland.web.deps import ActorDep, SessionDep
from upland.web.routing import Router
from upland.web.templating import language_of, render

router = Router(include_in_schema=False)


class PageParams(BaseModel):
    """A page's query: the language switch (`?lang=en`) must not 422; an empty field of a
    submitted filter form means no filter."""

    model_config = ConfigDict(extra="forbid")

    lang: str | None = Field(default=None, max_length=5)

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if value == "" else value


class MetricsPageParams(PageParams):
    day: dt.date | None = None


class TablePageParams(PageParams):
    type: RelationType | None = None
    start: dt.date | None = None
    end: dt.date | None = None


@router.get("/network/metrics", response_class=HTMLResponse)
def network_metrics_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    params: Annotated[MetricsPageParams, Query()],
) -> Response:
    """The figures of the ties the reader may see on a day, and their quarterly trend; while
    the job computes them, a page that asks again every few seconds."""
    day = params.day or clock.today()
    figures = snapshots.figures_for(session, actor, day)
    shown = None if figures is None else presenting.page(session, figures, actor.is_anonymous)
    context = {
        "day": day,
        "today": clock.today(),
        "first": snapshots.LETTER_OF_INTENT,
        "shown": shown,
        "signed_in": not actor.is_anonymous,
    }
    return render(request, "network/metrics.html", context)


@router.get("/network/table", response_class=HTMLResponse)
def network_table_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    params: Annotated[TablePageParams, Query()],
) -> Response:
    """The organisations and ties of the network as tables, filtered by tie type and window."""
    require(actor, "network.relation.list")
    found = table.tabulate(
        session,
        actor,
        type=params.type.value if params.type else None,
        start=params.start,
        end=params.end,
    )
    context = {
        "table": found,
        "flt": params,
        "types": list(labels_of("relation_type")),
        "places": presenting.place_names(session),
        "first": snapshots.LETTER_OF_INTENT,
        "today": clock.today(),
    }
    return render(request, "network/table.html", context)


def _graph_words(session: Any, language: str) -> dict[str, Any]:
    """What the graph's script shows, in the reader's language: the names of the partner areas,
    kinds and tie types, and its messages."""
    places = presenting.place_names(session)
    words = {
        "shown": N_("%(nodes)s organisations, %(edges)s ties"),
        "sampled": N_(
            "The network has %(all)s organisations: the %(shown)s with the most ties are shown."
        ),
        "not_found": N_("No organisation called “%(q)s” in the network."),
        "profile": N_("Profile of %(name)s"),
        "ties": N_("Ties shown now"),
        "none": N_("No tie in the chosen period and types."),
        "since": N_("since %(day)s"),
        "outside": N_("outside the partner areas"),
        "slow": N_("Too many organisations to compute betweenness in the browser."),
        "unnamed": exporting.UNNAMED,
    }
    return {
        "text": {key: gettext_in(language, msgid) for key, msgid in words.items()},
        "cities": places,
        "kinds": {
            **{k: label("organisation_kind", k, language) for k in labels_of("organisation_kind")},
            OTHER_KIND: gettext_in(language, N_("other")),  # an unnamed organisation's kind
        },
        "types": {t: label("relation_type", t, language) for t in labels_of("relation_type")},
        "first_year": snapshots.LETTER_OF_INTENT.year,
        "today": clock.today().isoformat(),
    }


@router.get("/network", response_class=HTMLResponse)
def network_graph_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """The interactive graph of the ties the reader may see (its data from the graph API)."""
    require(actor, "network.relation.list")
    words = _graph_words(session, language_of(request))
    return render(request, "network/graph.html", {"words": words})
