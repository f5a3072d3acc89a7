"""`upland market list|show|export|expire|sweep-files|interests|introductions`: the
marketplace from the shell, as a platform admin sees it (the browse list: published,
unexpired opportunities)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import typer

from upland.cli_support import cli_actor
from upland.db import transaction
from upland.errors import UplandError
from upland.market.interests import cli as interests_cli

market_app = typer.Typer(help="The marketplace: offers and requests.", no_args_is_help=True)
interests_cli.add_commands(market_app)  # interests and introductions


def _filter(**values: Any) -> Any:
    from pydantic import ValidationError

    from upland.market.schemas import OpportunityFilter
    from upland.validation import field_of, pydantic_message

    try:
        return OpportunityFilter.model_validate({k: v for k, v in values.items() if v})
    except ValidationError as exc:
        said = (f"{field_of(e)}: {pydantic_message(e)}" for e in exc.errors())
        raise typer.BadParameter("; ".join(said)) from None


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _fail(exc: UplandError) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(1)


@market_app.command("list")
def list_command(
    q: str | None = typer.Option(None, help="free text, Polish or English"),
    kind: str | None = typer.Option(None, help="e.g. technology_offer"),
    pkd: str | None = typer.Option(None, help="PKD code at any level"),
    city: str | None = typer.Option(None, help="a city of interest: TERYT code or name"),
    sort: str = typer.Option("newest", help="newest, deadline or relevance"),
    limit: int = typer.Option(25, min=1, max=200),
) -> None:
    """List published opportunities (id, kind, deadline, title), newest first."""
    from upland.market import queries

    flt = _filter(q=q, kind=kind, pkd=pkd, city=city, sort=sort)
    with transaction() as session:
        try:
            page = queries.list_opportunities(session, cli_actor(), flt, on=_today(), limit=limit)
        except UplandError as exc:
            raise _fail(exc) from None
        for item in page.items:
            o = item.opportunity
            deadline = o.deadline.isoformat() if o.deadline else "-"
            typer.echo(f"{o.id}\t{o.kind}\t{deadline}\t{o.title_pl or o.title_en}")
        typer.echo(f"{page.total} opportunit{'y' if page.total == 1 else 'ies'}", err=True)


@market_app.command("show")
def show_command(opportunity_id: int = typer.Argument(..., min=1)) -> None:
    """One opportunity, in every state, as JSON."""
    from upland.market import presenters, queries

    with transaction() as session:
        try:
            actor = cli_actor()
            read = presenters.detail(
                session, actor, queries.get_opportunity(session, actor, opportunity_id)
            )
        except UplandError as exc:
            raise _fail(exc) from None
        typer.echo(json.dumps(read.model_dump(mode="json"), ensure_ascii=False, indent=2))


@market_app.command("export")
def export_command(
    output: Path | None = typer.Option(None, "--output", "-o", help="file (default: stdout)"),
    format: str = typer.Option("csv", "--format", "-f", help="csv or json"),
    q: str | None = typer.Option(None, help="free text"),
    kind: str | None = typer.Option(None),
    pkd: str | None = typer.Option(None),
    city: str | None = typer.Option(None),
) -> None:
    """Export the opportunities the filter lists, as the API's export does."""
    from upland.market import exporting, queries

    if format not in ("csv", "json"):
        raise typer.BadParameter("format must be csv or json")
    flt = _filter(q=q, kind=kind, pkd=pkd, city=city)
    with transaction() as session:
        actor = cli_actor()
        try:
            queries.filtered(session, actor, flt, _today())
        except UplandError as exc:
            raise _fail(exc) from None
        rows = exporting.rows_of(session, queries.iter_opportunities(session, actor, flt, _today()))
        chunks = exporting.csv_chunks(rows) if format == "csv" else exporting.json_chunks(rows)
        handle = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            for chunk in chunks:
                handle.write(chunk)
        finally:
            if output:
                handle.close()


@market_app.command("expire")
def expire_command() -> None:
    """Expire published opportunities past their expiry date (the scheduler runs this daily),
    then delete stored attachment files nothing names any more."""
    from upland.market import service

    now = dt.datetime.now(dt.UTC)
    with transaction() as session:
        expired = service.expire_due(session, cli_actor(), now)
        swept = service.sweep_files(session, cli_actor(), now)
    typer.echo(f"expired {len(expired)} opportunit{'y' if len(expired) == 1 else 'ies'}")
    typer.echo(f"deleted {len(swept)} stored file{'' if len(swept) == 1 else 's'} nothing named")


def register(app: typer.Typer, *, import_app: typer.Typer, export_app: typer.Typer) -> None:
    app.add_typer(market_app, name="market")
