"""The `upland` command. Each area adds its own commands through `register(app)`."""

from __future__ import annotations

import getpass
import secrets

import typer
from rich.console import Console

from upland import migrate
from upland.accounts.actor import Actor
from upland.db import get_engine, transaction
from upland.settings import get_settings

app = typer.Typer(
    help="Upland: cooperation platform of an industrial cluster and its cities.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
import_app = typer.Typer(
    help="Bulk imports (all-or-nothing unless told otherwise).", no_args_is_help=True
)
export_app = typer.Typer(
    help="Exports of exactly what a filtered list shows.", no_args_is_help=True
)
app.add_typer(db_app, name="db")
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")

console = Console(stderr=True)


def cli_actor() -> Actor:
    """Shell access to the server is platform-admin access; the audit log names the OS user."""
    return Actor(user_id=None, label=f"cli:{getpass.getuser()}", is_admin=True)


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply migrations up to REVISION (default: head)."""
    migrate.upgrade(get_engine(), revision)
    console.print(f"database at {migrate.current_revision(get_engine())}")


@db_app.command("downgrade")
def db_downgrade(revision: str = typer.Argument(..., help="target revision, e.g. base")) -> None:
    """Revert migrations down to REVISION."""
    migrate.downgrade(get_engine(), revision)
    console.print(f"database at {migrate.current_revision(get_engine())}")


@db_app.command("current")
def db_current() -> None:
    """Print the current and head revisions."""
    engine = get_engine()
    typer.echo(f"current: {migrate.current_revision(engine)}  head: {migrate.head_revision()}")


def prepare_database() -> None:
    """Migrate and load shipped reference data (idempotent)."""
    from upland.reference.service import seed_reference

    migrate.upgrade(get_engine())
    with transaction() as session:
        seed_reference(session, cli_actor(), get_settings().partner_municipalities)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="interface to listen on"),
    port: int = typer.Option(8000, help="TCP port"),
    reload: bool = typer.Option(False, help="restart on code changes (development)"),
) -> None:
    """Serve the web UI and JSON API with Uvicorn."""
    import uvicorn

    uvicorn.run(
        "upland.app:create_app",
        factory=True,
        host=host,
        port=port,
        reload=reload,
        log_config=None,
        access_log=False,
    )


@app.command()
def run(
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8000),
) -> None:
    """Migrate, load the demo world if the database is empty, print the demo log-ins, serve."""
    import threading

    from upland.demo.cli import ensure_demo
    from upland.reference.jobs import warm_pkd_suggester

    prepare_database()
    ensure_demo(quiet=False)
    # Embed the PKD catalogue while the server starts, so the first suggestion is quick.
    threading.Thread(target=warm_pkd_suggester, name="warm-pkd", daemon=True).start()
    serve(host=host, port=port, reload=False)


@app.command()
def worker(burst: bool = typer.Option(False, help="exit when the queue is empty")) -> None:
    """Process background jobs from Redis (needs UPLAND_REDIS_URL)."""
    from upland.jobs import run_worker

    run_worker(burst=burst)


@app.command("secret-key")
def secret_key() -> None:
    """Print a fresh random value for UPLAND_SECRET_KEY."""
    typer.echo(secrets.token_urlsafe(48))


def _register_areas() -> None:
    from upland import backup
    from upland.accounts import cli as accounts_cli
    from upland.bench import cli as bench_cli
    from upland.demo import cli as demo_cli
    from upland.mail import cli as mail_cli
    from upland.organisations import cli as organisations_cli
    from upland.reference import cli as reference_cli

    areas = (accounts_cli, organisations_cli, reference_cli, demo_cli, bench_cli, backup, mail_cli)
    for module in areas:
        module.register(app, import_app=import_app, export_app=export_app)


_register_areas()


def _check_settings() -> None:
    """Stop with one clear line per bad setting instead of a traceback."""
    from pydantic import ValidationError

    try:
        get_settings()
    except ValidationError as exc:
        for error in exc.errors():
            name = "UPLAND_" + "_".join(str(p) for p in error["loc"][:1]).upper()
            console.print(f"[red]bad setting[/red] {name}: {error['msg']}")
        raise SystemExit(2) from None


def main() -> None:
    _check_settings()
    app()
