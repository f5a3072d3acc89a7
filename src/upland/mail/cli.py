"""`upland mail …`: read the development outbox, send again what failed."""

from __future__ import annotations

import typer

from upland.db import transaction
from upland.mail import outbox, service
from upland.settings import get_settings

mail_app = typer.Typer(help="Outbound e-mail.", no_args_is_help=True)


@mail_app.command("outbox")
def show_outbox(limit: int = typer.Option(20, help="how many messages, newest first")) -> None:
    """Print the e-mails written to the outbox folder (development mode without SMTP)."""
    if not get_settings().dev_mode:
        typer.echo(
            "error: the outbox is for development only (UPLAND_DEV_MODE=true): outside it "
            "e-mails go to the SMTP server and their links are never written to disk",
            err=True,
        )
        raise typer.Exit(1)
    entries = outbox.list_outbox(limit)
    if not entries:
        typer.echo(f"the outbox {get_settings().mail_outbox_dir} is empty")
    for entry in entries:
        typer.echo(f"=== {entry.date}  to {entry.to}\nSubject: {entry.subject}\n\n{entry.text}")


@mail_app.command("retry")
def retry() -> None:
    """Send again every failed e-mail (and queued ones older than 10 minutes)."""
    with transaction() as session:
        waiting = service.list_unsent(session)
    counts = service.retry_unsent(waiting)
    typer.echo(f"sent {counts['sent']}, still failing {counts['failed']}")
    if counts["failed"]:
        raise typer.Exit(1)


def register(app: typer.Typer, **_groups: typer.Typer) -> None:
    app.add_typer(mail_app, name="mail")
