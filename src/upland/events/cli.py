"""`upland events list|schedule|solve|video-link|report|area-report|guest-export|guest-erase`:
events from the shell (as a platform admin sees them), scheduling one event's meetings at once,
a new link for an online event's video rooms, the
scheduler on its own over an instance file, the reports after the event, and a guest's personal
data by e-mail address."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

events_app = typer.Typer(
    help="Brokerage days, their meeting schedules and the reports after them.",
    no_args_is_help=True,
)


@events_app.command("solve")
def solve_file(
    instance: Path = typer.Argument(..., exists=True, dir_okay=False, help="instance JSON"),
    output: Path | None = typer.Option(None, "-o", "--output", help="write the schedule here"),
    time_limit: float = typer.Option(30.0, "--time-limit", min=0, help="seconds to search"),
    seed: int = typer.Option(0, "--seed", help="seed of the solver's random choices"),
) -> None:
    """Schedule the accepted requests of an instance file (docs/scheduling-format.md): prints
    the figures against the first-fit baseline; the schedule goes to -o or standard output."""
    from upland.errors import Invalid
    from upland.events.scheduling import solve, solve_first_fit
    from upland.events.scheduling.files import read_instance, result_json

    try:
        problem = read_instance(instance.read_bytes())
        result = solve(problem, time_limit=time_limit, seed=seed)
        baseline = solve_first_fit(problem)
    except Invalid as error:
        for e in error.errors:
            typer.echo(f"error: {instance}: {e.field}: {e.message}", err=True)
        raise typer.Exit(1) from None
    for name, figures in (("schedule", result.figures), ("first fit", baseline.figures)):
        proven = ", proven optimal" if figures.optimal else ""
        typer.echo(
            f"{name:>9}: {figures.meetings} meetings, weight {figures.weight:g} of at most "
            f"{figures.bound:.6g} ({figures.bound_source} bound{proven}; gap "
            f"{figures.gap:.2%}), {figures.idle_gaps} idle gaps "
            f"({figures.idle_gaps_per_party:.2f} per party), {figures.unplaced} left out "
            f"(at most {figures.most_unplaced_per_party} at one party, std "
            f"{figures.unplaced_std:.2f}), {figures.moved} moved, {figures.seconds:.2f} s",
            err=output is None,
        )
    if output is None:
        typer.echo(result_json(result))
    else:
        output.write_text(result_json(result) + "\n", encoding="utf-8")


@events_app.command("list")
def list_command() -> None:
    """List events (id, date, kind, status, title), soonest first."""
    from upland.cli_support import cli_actor
    from upland.db import transaction
    from upland.events import queries

    with transaction() as session:
        for event in queries.list_events(session, cli_actor()):
            day = event.starts_on.isoformat() if event.starts_on else "-"
            title = event.title_pl or event.title_en
            typer.echo(f"{event.id}\t{day}\t{event.kind}\t{event.status}\t{title}")


@events_app.command("schedule")
def schedule_command(event_id: int = typer.Argument(..., help="the event's id")) -> None:
    """Schedule an event's accepted requests now (as the organiser's "Schedule" does in a
    job): locked meetings stay, moved ones are told; prints the figures and the unplaced."""
    from upland.cli_support import cli_actor
    from upland.db import transaction
    from upland.errors import UplandError
    from upland.events import service
    from upland.events.instance import build_instance
    from upland.events.scheduling import solve

    try:
        with transaction() as session:
            actor = cli_actor()
            event = service.visible_event(session, actor, event_id)
            result = solve(build_instance(session, event))
            moved = service.store_schedule(session, actor, event, result)
    except UplandError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    f = result.figures
    typer.echo(
        f"{f.meetings} meetings, weight {f.weight:g} of at most {f.bound:g}, "
        f"{f.unplaced} left out, {moved} moved"
    )
    for request, reason in sorted(result.unplaced.items()):
        typer.echo(f"left out: request {request}: {reason}")


@events_app.command("video-link")
def video_link_command(event_id: int = typer.Argument(..., help="the event's id")) -> None:
    """Issue a new link for an online event's video rooms (as its organiser's "New video-room
    link" does): every earlier link leads to an empty room; the participants are told. Prints
    the new link of the event's room."""
    from upland.cli_support import cli_actor
    from upland.db import transaction
    from upland.errors import UplandError
    from upland.events import service
    from upland.events.video import room_link

    try:
        with transaction() as session:
            event = service.issue_video_link(session, cli_actor(), event_id)
            link = room_link(event)
    except UplandError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(link)


def _print_report(tables: list[Any], as_json: str | None, as_csv: bool) -> None:
    from upland.events.report import exporting

    if as_json is not None:
        typer.echo(as_json)
    elif as_csv:
        typer.echo(exporting.csv_text(tables, "en").lstrip("\ufeff"), nl=False)
    else:
        for table in tables:
            typer.echo(f"== {table.title}")
            typer.echo("\t".join(table.header))
            for row in table.rows:
                typer.echo("\t".join("-" if v is None else str(v) for v in row))


@events_app.command("report")
def report_command(
    event_id: int = typer.Argument(..., help="the event's id"),
    json_out: bool = typer.Option(False, "--json", help="the API's JSON"),
    csv_out: bool = typer.Option(False, "--csv", help="CSV: figure, row, column, value"),
) -> None:
    """An event's report: meetings requested, accepted, scheduled and held, no-shows and
    outcomes, in total, by participant type and by partner city (tab-separated tables, or
    --json / --csv)."""
    from upland.cli_support import cli_actor
    from upland.db import transaction
    from upland.errors import UplandError
    from upland.events.report import exporting, present, queries

    try:
        with transaction() as session:
            found = queries.get_event_report(session, cli_actor(), event_id)
            tables = exporting.event_tables(found, "en")
            data = present.event_report_read(found).model_dump_json(indent=2) if json_out else None
    except UplandError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    _print_report(tables, data, csv_out)


@events_app.command("area-report")
def area_report_command(
    area: str = typer.Argument(..., help="a partner municipality's TERYT, or outside"),
    event_id: int | None = typer.Option(None, "--event", help="one event only"),
    json_out: bool = typer.Option(False, "--json", help="the API's JSON"),
    csv_out: bool = typer.Option(False, "--csv", help="CSV: figure, row, column, value"),
) -> None:
    """The same figures for the participants from one partner area, across every event (or
    one), by participant type and by event."""
    from upland.cli_support import cli_actor
    from upland.db import transaction
    from upland.errors import UplandError
    from upland.events.report import exporting, present, queries

    try:
        with transaction() as session:
            found = queries.get_area_report(session, cli_actor(), area, event_id)
            tables = exporting.area_tables(found, "en")
            data = present.area_report_read(found).model_dump_json(indent=2) if json_out else None
    except UplandError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    _print_report(tables, data, csv_out)


@events_app.command("guest-export")
def guest_export_command(email: str = typer.Argument(..., help="the guest's e-mail")) -> None:
    """Print what is held of a guest (registered without an account) as JSON."""
    import json

    from upland.cli_support import cli_actor
    from upland.db import transaction
    from upland.events import service

    with transaction() as session:
        data = service.export_guest(session, cli_actor(), email)
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@events_app.command("guest-erase")
def guest_erase_command(
    email: str = typer.Argument(..., help="the guest's e-mail"),
    yes: bool = typer.Option(False, "--yes", help="do not ask"),
) -> None:
    """Erase a guest's personal data (their registrations stay in the events' figures)."""
    from upland.cli_support import cli_actor
    from upland.db import transaction
    from upland.events import service

    if not yes:
        typer.confirm(f"erase the guest {email}?", abort=True)
    with transaction() as session:
        count = service.erase_guest(session, cli_actor(), email)
    typer.echo(f"erased: {count} registrations")


def register(app: typer.Typer, **_groups: typer.Typer) -> None:
    app.add_typer(events_app, name="events")
