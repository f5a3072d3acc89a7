"""`upland market …`: the marketplace from the shell. Interests and introductions add their
commands from `market.interests.cli` (the core's list, show, export and expire join them)."""

from __future__ import annotations

import typer

from upland.market.interests import cli as interests_cli

market_app = typer.Typer(help="The marketplace: offers and requests.", no_args_is_help=True)
interests_cli.add_commands(market_app)


def register(app: typer.Typer, *, import_app: typer.Typer, export_app: typer.Typer) -> None:
    app.add_typer(market_app, name="market")
