"""`upland network rebuild|metrics|export`: the cooperation network from the shell, as a
platform admin (who sees every relation)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

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


def register(app: typer.Typer, **_groups: typer.Typer) -> None:
    app.add_typer(network_app, name="network")
