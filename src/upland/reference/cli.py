"""`upland import classification pkd FILE`: load official GUS classification files; the shipped
reference data every fresh database needs."""

from __future__ import annotations

from pathlib import Path

import typer

from upland import migrate
from upland.cli_support import cli_actor
from upland.db import get_engine, transaction
from upland.reference.eval_cli import eval_app
from upland.settings import get_settings

classification_app = typer.Typer(help="Official classifications (GUS files).", no_args_is_help=True)


@classification_app.command("pkd")
def import_pkd(
    file: Path = typer.Argument(
        ...,
        exists=True,
        dir_okay=False,
        readable=True,
        help="StrukturaPKD2025.xls (structure) or a GUS 2007↔2025 key CSV",
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="only the summary line"),
) -> None:
    """Load a PKD structure (XLS/XLSX) or the PKD 2007↔2025 key (CSV); re-loading updates."""
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from upland.reference.pkd_codes import PkdFileError
    from upland.reference.pkd_files import read_pkd_file
    from upland.reference.service import load_pkd

    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), disable=quiet, transient=True
    ) as progress:
        progress.add_task(f"reading {file.name}", total=None)
        try:
            parsed = read_pkd_file(file)
        except PkdFileError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        with transaction() as session:
            counts = load_pkd(session, cli_actor(), parsed.entries, parsed.correspondences)
    typer.echo(
        f"{file.name}: {len(parsed.entries)} codes read, {counts['pkd_created']} created, "
        f"{counts['pkd_updated']} updated, {counts['pkd_correspondence']} correspondence pairs"
    )


@classification_app.command("teryt")
def import_teryt(
    file: Path = typer.Argument(
        ...,
        exists=True,
        dir_okay=False,
        readable=True,
        help="GUS's TERC register, TERC_Urzedowy_YYYY-MM-DD.csv",
    ),
) -> None:
    """Load every municipality of a newer official TERC file; a malformed file changes
    nothing (the row, column and reason are printed)."""
    from upland.reference.teryt import TercFileError, read_terc
    from upland.reference.teryt_service import load_municipalities

    try:
        terc = read_terc(file)
    except TercFileError as exc:
        typer.echo(f"error: {file.name}: {exc}", err=True)
        raise typer.Exit(1) from None
    with transaction() as session:
        counts = load_municipalities(session, cli_actor(), terc.units, source=file.name)
    typer.echo(
        f"{file.name} (as of {terc.as_of.isoformat()}): {len(terc.units)} units read, "
        f"{counts['municipalities_created']} created, {counts['municipalities_updated']} "
        f"updated, {counts['municipalities_retired']} no longer listed"
    )


def load_reference_data() -> dict[str, int]:
    """Load the shipped reference data where it is missing (idempotent); returns what was loaded."""
    from upland.reference.service import seed_reference

    with transaction() as session:
        return seed_reference(session, cli_actor(), get_settings().partner_municipalities)


def prepare_database() -> None:
    """Migrate and load shipped reference data (idempotent)."""
    migrate.upgrade(get_engine())
    load_reference_data()


def register(app: typer.Typer, *, import_app: typer.Typer, **_groups: typer.Typer) -> None:
    import_app.add_typer(classification_app, name="classification")
    app.add_typer(eval_app, name="eval")
