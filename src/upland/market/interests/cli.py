"""`upland market interests|introductions`: answers to opportunities and the introductions
they led to, from the shell, as a platform admin sees them (everything)."""

from __future__ import annotations

import json

import typer

from upland.cli_support import cli_actor
from upland.db import transaction


def interests_command(
    organisation: int | None = typer.Option(None, help="an organisation's id"),
    direction: str | None = typer.Option(
        None, help="sent (by the organisation) or received (on its opportunities)"
    ),
    status: str | None = typer.Option(
        None, help="pending, accepted, declined, withdrawn or passed"
    ),
    as_json: bool = typer.Option(False, "--json", help="one JSON document"),
    limit: int = typer.Option(50, min=1, max=200),
) -> None:
    """List expressions of interest and passes, newest first."""
    from upland.market.interests import presenters, queries

    if direction not in (None, "sent", "received"):
        raise typer.BadParameter("direction is sent or received")
    with transaction() as session:
        actor = cli_actor()
        rows = queries.list_interests(
            session,
            actor,
            organisation_id=organisation,
            direction=direction,  # type: ignore[arg-type]
            status=status,
            limit=limit,
        )
        names = presenters.interest_names(session, rows)
        items = [presenters.interest(actor, r, names) for r in rows]
    if as_json:
        typer.echo(json.dumps([i.model_dump(mode="json") for i in items], ensure_ascii=False))
        return
    for i in items:
        reason = f" ({i.decline_reason})" if i.decline_reason else ""
        typer.echo(
            f"{i.id}\t{i.created_at:%Y-%m-%d}\t{i.status}{reason}\t"
            f"{i.organisation.name}\t→ {i.opportunity_title}"
        )


def introductions_command(
    organisation: int | None = typer.Option(None, help="an organisation's id (either side)"),
    as_json: bool = typer.Option(False, "--json", help="one JSON document"),
    limit: int = typer.Option(50, min=1, max=200),
) -> None:
    """List introductions with their outcomes and agreements counted, newest first."""
    from upland.market.interests import presenters, queries

    with transaction() as session:
        actor = cli_actor()
        rows = queries.list_introductions(session, actor, organisation_id=organisation, limit=limit)
        items = presenters.introductions(session, actor, rows)
    if as_json:
        typer.echo(json.dumps([i.model_dump(mode="json") for i in items], ensure_ascii=False))
        return
    for i in items:
        typer.echo(
            f"{i.id}\t{i.created_at:%Y-%m-%d}\t{i.owner.name} ↔ {i.interested.name}\t"
            f"{i.opportunity_title}\toutcomes: {len(i.outcomes)}\t"
            f"agreements: {i.agreements_counted}"
        )


def add_commands(market_app: typer.Typer) -> None:
    """Add the commands to the marketplace's `upland market` group."""
    market_app.command("interests")(interests_command)
    market_app.command("introductions")(introductions_command)
