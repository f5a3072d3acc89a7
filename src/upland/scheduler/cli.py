"""`upland schedule …`: the periodic jobs, when they run next, and running one now."""

from __future__ import annotations

import typer

from upland.db import utcnow
from upland.scheduler import claims, registry, runner

schedule_app = typer.Typer(help="Periodic jobs (digests, retries).", no_args_is_help=True)


@schedule_app.command("list")
def list_jobs() -> None:
    """Every periodic job: its schedule, its next tick and when a process last ran it."""
    last = claims.last_claims()
    now = utcnow()
    for periodic in registry.registered():
        upcoming = periodic.next_after(now)
        claim = last.get(periodic.name)
        ran = f"{claim.claimed_at:%Y-%m-%d %H:%M} UTC by {claim.claimed_by}" if claim else "never"
        nxt = f"{upcoming:%Y-%m-%d %H:%M} UTC" if upcoming else "-"
        typer.echo(f"{periodic.name}\t{periodic.when()}\tnext {nxt}\tlast {ran}")
        if periodic.description:
            typer.echo(f"    {periodic.description}")


@schedule_app.command("run")
def run_job(
    name: str = typer.Argument(..., help="the job's name, as `schedule list` shows"),
) -> None:
    """Run one periodic job now, in this process (its tick schedule is untouched)."""
    if registry.get(name) is None:
        typer.echo(
            f"error: no periodic job is called {name!r} (see `upland schedule list`)", err=True
        )
        raise typer.Exit(1)
    result = runner.run_now(name)
    typer.echo(f"{name}: {result}")


def register(app: typer.Typer, **_groups: typer.Typer) -> None:
    app.add_typer(schedule_app, name="schedule")
