"""`upland demo`: load the fictional Lublin–Radom–Starachowice cluster into an empty database."""

from __future__ import annotations

import datetime as dt

import typer
from sqlalchemy import func, select

from upland import clock
from upland.cli_support import cli_actor
from upland.db import transaction
from upland.matching import subscriptions
from upland.reference.cli import prepare_database


def ensure_demo(quiet: bool = False, on: dt.date | None = None) -> bool:
    """Load the demo world and its marketplace history if there are no organisations yet (one
    transaction, committed inside the replayed clock: no e-mail about the past), dated so that
    it ends the day before `on` (today); print the log-ins either way."""
    from upland.demo import dating
    from upland.demo.brokerage import load_brokerage_days
    from upland.demo.history import load_market
    from upland.demo.load import demo_logins, load_world
    from upland.demo.opportunities import build_market
    from upland.demo.opportunities.timeline import LETTER, day_start
    from upland.demo.relations import build_relations, load_relations
    from upland.demo.world import build_world
    from upland.organisations.models import Organisation

    by = dating.delta(on or clock.today())
    built = build_world()
    world = dating.shifted(built, by)
    with clock.replay(day_start(LETTER + by)) as replay, transaction() as session:
        empty = session.scalar(select(func.count(Organisation.id))) == 0
        if empty:
            counts = load_world(session, world, cli_actor())
            market = dating.shifted(build_market(built, built.seed), by)
            counts |= load_market(session, market, replay)
            counts |= load_brokerage_days(session, built, by)
            ties = dating.shifted(build_relations(built), by)
            counts |= load_relations(session, ties, cli_actor())
            if not quiet:
                summary = ", ".join(f"{v} {k}" for k, v in counts.items())
                typer.echo(f"demo world loaded: {summary}")
    if empty:
        # The history's changes queued no refreshes (the replay is silent): embed it all once.
        subscriptions.dispatch_all()
    if not quiet:
        typer.echo("\nDemo log-ins (fictional accounts):")
        for role, email, password in demo_logins(world):
            typer.echo(f"  {role:<38} {email:<36} {password}")
        typer.echo("")
    return empty


def demo(quiet: bool = typer.Option(False, "--quiet", "-q")) -> None:
    """Migrate, then load the demo world if the database has no organisations."""
    prepare_database()
    loaded = ensure_demo(quiet=quiet)
    if not loaded and not quiet:
        typer.echo("the database already has organisations; demo world not loaded again")


def register(app: typer.Typer, **_groups: typer.Typer) -> None:
    app.command("demo")(demo)
