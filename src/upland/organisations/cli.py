"""`upland import organisations FILE` and `upland export organisations`."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import typer

from upland.cli_support import cli_actor
from upland.db import transaction
from upland.errors import UplandError


def export_organisations(
    output: Path | None = typer.Option(None, "--output", "-o", help="file (default: stdout)"),
    format: str = typer.Option("csv", "--format", "-f", help="csv, xlsx or json"),
    q: str | None = typer.Option(None, help="free text"),
    kind: str | None = typer.Option(None),
    city: str | None = typer.Option(None, help="TERYT code or municipality name"),
    pkd: str | None = typer.Option(None, help="PKD code at any level"),
    capability: str | None = typer.Option(None),
    certification: str | None = typer.Option(None),
    size_class: str | None = typer.Option(None),
    tier: str | None = typer.Option(None),
    headers: str = typer.Option("en", "--headers", help="header language: en or pl"),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
) -> None:
    """Export organisations matching the filters (what the list shows for a platform admin)."""
    from pydantic import ValidationError
    from rich.progress import Progress

    from upland.organisations import exporting, queries, workbook
    from upland.organisations.models import Organisation
    from upland.organisations.schemas import OrganisationFilter
    from upland.validation import field_of, pydantic_message

    if format not in ("csv", "xlsx", "json"):
        raise typer.BadParameter("format must be csv, xlsx or json")
    fmt: Literal["csv", "xlsx", "json"] = format  # type: ignore[assignment]
    if headers not in ("en", "pl"):
        raise typer.BadParameter("headers must be en or pl")
    language: Literal["en", "pl"] = headers  # type: ignore[assignment]
    if fmt == "xlsx" and output is None:
        raise typer.BadParameter("XLSX needs --output FILE")
    filters = {
        "q": q,
        "kind": kind,
        "city": city,
        "pkd": pkd,
        "capability": capability,
        "certification": certification,
        "size_class": size_class,
        "tier": tier,
    }
    try:
        flt = OrganisationFilter.model_validate({k: v for k, v in filters.items() if v})
    except ValidationError as exc:
        said = (f"{field_of(e)}: {pydantic_message(e)}" for e in exc.errors())
        raise typer.BadParameter("; ".join(said)) from None
    today = dt.datetime.now(dt.UTC).date()
    actor = cli_actor()
    count = 0
    with transaction() as session, Progress(disable=quiet or output is None, transient=True) as bar:
        try:
            total = queries.count_organisations(session, actor, flt, today)
        except UplandError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        task = bar.add_task("exporting", total=total)

        def organisations() -> Iterator[Organisation]:
            nonlocal count
            for org in queries.iter_organisations(session, actor, flt, today):
                count += 1
                bar.advance(task)
                yield org

        if fmt == "xlsx":
            assert output is not None
            output.write_bytes(workbook.workbook_bytes(session, actor, organisations(), language))
        else:
            rows = exporting.rows_of(session, actor, organisations())
            chunks = (
                exporting.csv_chunks(rows, language)
                if fmt == "csv"
                else exporting.json_chunks(rows)
            )
            handle = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
            try:
                for chunk in chunks:
                    handle.write(chunk)
            finally:
                if output:
                    handle.close()
    typer.echo(f"exported {count} organisations to {output or 'stdout'}", err=True)


def import_organisations(
    file: Path = typer.Argument(
        ...,
        exists=True,
        dir_okay=False,
        readable=True,
        help="CSV (UTF-8 or Windows-1250; , ; or tab) or XLSX",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="check every row, write nothing"),
    valid_only: bool = typer.Option(
        False, "--valid-only", help="import the valid rows and report the skipped ones"
    ),
    report: Path | None = typer.Option(None, help="also write the row-level report here (TSV)"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bar, no row list"),
) -> None:
    """Import organisations, all-or-nothing unless --valid-only; re-imports update by NIP/REGON."""
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from upland.organisations.imports.service import Mode, import_file

    mode: Mode = "valid_only" if valid_only else "all_or_nothing"
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), disable=quiet, transient=True
    ) as bar:
        task = bar.add_task(f"reading {file.name}", total=None)

        def progress(rows: int) -> None:
            bar.update(task, description=f"{file.name}: {rows:,} rows")

        try:
            with transaction() as session:
                result = import_file(
                    session,
                    cli_actor(),
                    file,
                    filename=file.name,
                    mode=mode,
                    dry_run=dry_run,
                    progress=progress,
                )
        except UplandError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
    text = result.as_text()
    if report:
        report.write_text(text, encoding="utf-8")
    if result.error_count and not quiet:
        typer.echo(text, nl=False, err=True)
    else:
        for note in result.notes:
            typer.echo(f"note: {note}", err=True)
        typer.echo(result.summary, err=True)
    refused = result.invalid_rows and mode == "all_or_nothing"
    raise typer.Exit(1 if refused or (dry_run and result.invalid_rows) else 0)


def reindex_search(
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bar"),
) -> None:
    """Re-analyse the search index of every organisation (after the analyser changed)."""
    from rich.progress import Progress

    from upland.organisations.reindex import reindex_search as reindex

    with Progress(disable=quiet, transient=True) as bar:
        task = bar.add_task("re-indexing", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        with transaction() as session:
            changed = reindex(session, cli_actor(), progress=progress)
    typer.echo(f"{changed} organisations re-indexed", err=True)


search_app = typer.Typer(help="The free-text search index of the registry.", no_args_is_help=True)
search_app.command("reindex")(reindex_search)


def prune_removals() -> None:
    """Delete removed sites, people, capabilities and roles past the 7-day undo window."""
    from upland.organisations.removals import prune

    with transaction() as session:
        deleted = prune(session)
    typer.echo(f"expired removals deleted: {deleted}")


removals_app = typer.Typer(help="Removals kept for Undo.", no_args_is_help=True)
removals_app.command("prune")(prune_removals)


def register(app: typer.Typer, *, import_app: typer.Typer, export_app: typer.Typer) -> None:
    from upland.uploads import uploads_app

    app.add_typer(search_app, name="search")
    app.add_typer(removals_app, name="removals")
    export_app.command("organisations")(export_organisations)
    import_app.command("organisations")(import_organisations)
    app.add_typer(uploads_app, name="uploads")  # the import page's uploads expire
