"""`upland network rebuild|metrics|export|recommend`: the cooperation network from the shell,
as a platform admin (who sees every relation)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import typer

from upland.cli_support import cli_actor
from upland.db import transaction

network_app = typer.Typer(
    help="The cooperation network (relations, metrics).", no_args_is_help=True
)


@network_app.command("rebuild")
def rebuild() -> None:
    """Derive the relations of every existing introduction, confirmed agreement and meeting
    held at a brokerage day."""
    from upland.network import service

    with transaction() as session:
        made = service.rebuild_relations(session, cli_actor())
    typer.echo(
        f"relations made: {made.introductions} introductions, {made.agreements} agreements, "
        f"{made.meetings} meetings"
    )


@network_app.command("metrics")
def metrics_command(
    day: str | None = typer.Option(None, help="the day (YYYY-MM-DD; default today)"),
) -> None:
    """Every network figure on a day, and the quarterly trend since March 2018, as JSON."""
    from upland import clock
    from upland.network import graph, snapshots

    on = dt.date.fromisoformat(day) if day else clock.today()
    with transaction() as session:
        loaded = graph.load_graph(session, cli_actor())
    figures = snapshots.compute(loaded, on)
    typer.echo(json.dumps(figures, indent=2, ensure_ascii=False))


@network_app.command("export")
def export(
    format: str = typer.Option("gexf", "--format", help="gexf, graphml, nodes.csv or edges.csv"),
    output: Path | None = typer.Option(None, help="write to this file (default: stdout)"),
) -> None:
    """The network (confirmed relations) for Gephi or a spreadsheet."""
    from upland.network import exporting, graph

    if format not in exporting.FORMATS:
        raise typer.BadParameter(f"choose from {', '.join(exporting.FORMATS)}")
    with transaction() as session:
        loaded = graph.load_graph(session, cli_actor())
    text = exporting.FORMATS[format][0](loaded)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"{len(loaded.edges)} ties written to {output}")


@network_app.command("recommend")
def recommend(
    limit: int = typer.Option(20, min=1, max=100, help="how many pairs at most"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
) -> None:
    """Missing ties: pairs with shared partners that the matching engine also suggests, but
    that never had a relation, best first, each with why."""
    from upland.network.recommendations import presenters, queries

    actor = cli_actor()
    with transaction() as session:
        shown = queries.list_recommendations(session, actor, limit=limit)
        invitation = queries.next_brokerage_day(session, actor)
    items = [presenters.as_dict(s, invitation, "en") for s in shown]
    if as_json:
        typer.echo(json.dumps(items, indent=2, ensure_ascii=False))
        return
    for item in items:
        typer.echo(f"{item['score']:.3f}  {item['a']['name']} — {item['b']['name']}")
        for why in item["why"]:
            typer.echo(f"       {why}")
        if invited := item["invited"]:
            typer.echo(f"       invited to {invited['event']['title']}{_registered(invited)}")
    if not items:
        typer.echo("no missing ties to suggest")


def _registered(invited: dict[str, Any]) -> str:
    """Whether each side registered, when the reader may see it (the shell always may)."""
    if invited["a"]["registered"] is None:
        return ""
    said = {True: "registered", False: "not registered yet"}
    return "".join(
        f"; {side['name']}: {said[side['registered']]}" for side in (invited["a"], invited["b"])
    )


@network_app.command("invite")
def invite(
    a: int = typer.Argument(..., help="one organisation's id"),
    b: int = typer.Argument(..., help="the other organisation's id"),
) -> None:
    """Invite both organisations to the next published brokerage day (a notice to their
    editors, the invitation recorded), as the "Missing ties" page does."""
    from upland.network.recommendations import service as invitations

    with transaction() as session:
        invited = invitations.invite_pair(session, cli_actor(), a, b)
    typer.echo(
        f"invitation {invited.invitation_id}: both invited to event {invited.event_id}, "
        f"{invited.recipients} people notified"
    )


def register(app: typer.Typer, **_groups: typer.Typer) -> None:
    app.add_typer(network_app, name="network")
