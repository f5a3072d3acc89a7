"""The `upland` command. Each area adds its own commands through `register(app)`."""

from __future__ import annotations

import os
import secrets
import sys
from typing import Any

import typer
import typer.main
from rich.console import Console
from typer.core import TyperGroup
from typer.exceptions import TyperException

from upland import migrate, preflight, private_files, startup
from upland.db import get_engine
from upland.jobs.lifecycle import prune as prune_jobs  # also registers the jobs' personal data
from upland.reference.cli import load_reference_data, prepare_database
from upland.reference.queries import list_missing_reference_data
from upland.settings import get_settings
from upland.startup import StartupError


class _UserErrorsInOneLine(TyperGroup):
    """Every subcommand runs through here: an error the user can act on (a domain error, an
    unmigrated or unreachable database) is one line and exit status 1, never a traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, TyperException):
            raise
        except Exception as exc:
            problem = preflight.explain(exc)
            if problem is None:
                raise
            console.print(f"[red]error[/red]: {problem}")
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_UserErrorsInOneLine,
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
jobs_app = typer.Typer(help="Tracked jobs (imports and other long work).", no_args_is_help=True)
app.add_typer(jobs_app, name="jobs")

console = Console(stderr=True, soft_wrap=True, highlight=False)


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply migrations up to REVISION (default: head), then load the shipped reference data."""
    engine = get_engine()
    migrate.upgrade(engine, revision)
    if migrate.is_at_head(engine):
        counts = load_reference_data()
        loaded = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items())
        console.print(f"reference data: {loaded or 'already loaded'}")
    console.print(f"database at {migrate.current_revision(engine)}")


@db_app.command("downgrade")
def db_downgrade(
    revision: str = typer.Argument(..., help="target revision, e.g. 0004, base, or -1 (after --)"),
    yes: bool = typer.Option(False, "--yes", help="do not ask before reverting"),
) -> None:
    """Revert migrations down to REVISION, after listing what they remove."""
    engine = get_engine()
    try:
        reverted = migrate.to_revert(migrate.current_revision(engine), revision)
    except ValueError as exc:
        console.print(f"error: {exc}")
        raise typer.Exit(1) from None
    if not reverted:
        console.print("nothing to revert")
        return
    console.print("this reverts, newest first:")
    for script in reverted:
        console.print(f"  {script.revision} {script.doc}")
        console.print(f"      removes {migrate.downgrade_loses(script)}")
    if not yes:
        typer.confirm("data removed by a downgrade is lost for good; continue?", abort=True)
    migrate.downgrade(engine, revision)
    console.print(f"database at {migrate.current_revision(engine) or 'base (empty)'}")


@db_app.command("current")
def db_current() -> None:
    """Print the current and head revisions."""
    engine = get_engine()
    typer.echo(f"current: {migrate.current_revision(engine)}  head: {migrate.head_revision()}")


@db_app.command("history")
def db_history() -> None:
    """List the migrations of this version, newest first, marking the database's own."""
    current = migrate.current_revision(get_engine())
    for script in migrate.history():
        marks = {"head": script.is_head, "current": script.revision == current}
        suffix = ", ".join(mark for mark, on in marks.items() if on)
        suffix = f" ({suffix})" if suffix else ""
        typer.echo(f"{script.revision}  {script.doc}{suffix}")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="interface to listen on"),
    port: int = typer.Option(8000, help="TCP port"),
    workers: int = typer.Option(1, min=1, help="server processes"),
    forwarded_allow_ips: str | None = typer.Option(
        None,
        "--forwarded-allow-ips",
        "--proxy",
        help="comma-separated proxy addresses whose X-Forwarded-* headers are trusted "
        "(default: UPLAND_TRUSTED_PROXIES; none)",
    ),
    reload: bool = typer.Option(False, help="restart on code changes (development)"),
    expose_dev_mode: bool = typer.Option(
        False,
        "--expose-dev-mode",
        help="allow development mode on a host other than loopback (it hands invitation links "
        "to API callers and accepts the public development key)",
    ),
) -> None:
    """Serve the web UI and JSON API with Uvicorn, after checking settings, database and Redis."""
    import uvicorn

    if forwarded_allow_ips is not None:
        # Settings are read again by each worker process, so they inherit it through the env.
        os.environ["UPLAND_TRUSTED_PROXIES"] = forwarded_allow_ips
        get_settings.cache_clear()
    settings = get_settings()
    if settings.dev_mode and not expose_dev_mode and (problem := startup.dev_host_problem(host)):
        console.print(f"[red]error[/red]: {problem}")
        raise typer.Exit(1)
    try:
        startup.check_serving(settings, get_engine(), list_missing_reference_data)
    except StartupError as exc:
        for problem in exc.problems:
            console.print(f"[red]error[/red]: {problem}")
        raise typer.Exit(1) from None
    tidy_jobs()
    get_engine().dispose()  # worker processes open their own connections
    options: dict[str, Any] = {
        "factory": True,
        "host": host,
        "port": port,
        # The app handles X-Forwarded-* itself, from the configured proxies only.
        "proxy_headers": False,
        "log_config": None,
        "access_log": False,
    }
    if workers > 1 and not reload:
        from upland.web.serving import serve_workers

        config = uvicorn.Config("upland.app:create_served_app", workers=workers, **options)
        serve_workers(config, host, port)
        return
    uvicorn.run("upland.app:create_served_app", reload=reload, **options)


@app.command()
def run(
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8000),
    expose_dev_mode: bool = typer.Option(
        False, "--expose-dev-mode", help="allow a host other than loopback (see `serve`)"
    ),
) -> None:
    """Development: migrate, load the demo world if the database is empty, print the demo
    log-ins, serve in development mode."""
    if not expose_dev_mode and (problem := startup.dev_host_problem(host)):
        console.print(f"[red]error[/red]: {problem}")
        raise typer.Exit(1)

    from upland import jobs
    from upland.demo.cli import ensure_demo

    os.environ["UPLAND_DEV_MODE"] = "true"
    os.environ.setdefault("UPLAND_PUBLIC_URL", f"http://{host}:{port}")
    get_settings.cache_clear()
    prepare_database()
    ensure_demo(quiet=False)
    # Embed the PKD catalogue (cached on disk) while the server starts, as a job: in a worker
    # with Redis, else on this process's background thread; the first suggestion is quick.
    jobs.enqueue("upland.reference.jobs.warm_pkd_suggester")
    serve(
        host=host,
        port=port,
        workers=1,
        forwarded_allow_ips=None,
        reload=False,
        expose_dev_mode=expose_dev_mode,
    )


@app.command()
def worker(
    burst: bool = typer.Option(False, help="exit when the queue is empty"),
    scheduler: bool = typer.Option(
        True, help="also run the periodic jobs (digests, retries); off with --burst"
    ),
) -> None:
    """Process background jobs from Redis (needs UPLAND_REDIS_URL), and run the scheduler of
    periodic jobs (with Redis the serving processes leave it to the workers)."""
    from upland.jobs import run_worker
    from upland.scheduler import runner

    tidy_jobs()
    if scheduler and not burst:
        runner.start()
    run_worker(burst=burst)


def tidy_jobs() -> tuple[int, int]:
    """Lost jobs (their process died) marked failed, old reports deleted: at start-up."""
    from upland.db import transaction

    with transaction() as session:
        return prune_jobs(session)


@jobs_app.command("prune")
def jobs_prune() -> None:
    """Mark lost jobs failed and delete finished ones older than UPLAND_JOB_RETENTION_DAYS."""
    failed, deleted = tidy_jobs()
    typer.echo(f"lost jobs marked failed: {failed}; old job reports deleted: {deleted}")


@app.command("secret-key")
def secret_key() -> None:
    """Print a fresh random value for UPLAND_SECRET_KEY."""
    typer.echo(secrets.token_urlsafe(48))


def _register_areas() -> None:
    from upland import backup
    from upland.accounts import cli as accounts_cli
    from upland.bench import cli as bench_cli
    from upland.demo import cli as demo_cli
    from upland.events import cli as events_cli
    from upland.mail import cli as mail_cli
    from upland.market import cli as market_cli
    from upland.matching import cli as matching_cli
    from upland.network import cli as network_cli
    from upland.organisations import cli as organisations_cli
    from upland.reference import cli as reference_cli
    from upland.scheduler import cli as scheduler_cli

    areas = (
        accounts_cli,
        organisations_cli,
        market_cli,
        matching_cli,
        network_cli,
        reference_cli,
        demo_cli,
        bench_cli,
        backup,
        mail_cli,
        scheduler_cli,
        events_cli,
    )
    for module in areas:
        module.register(app, import_app=import_app, export_app=export_app)


_register_areas()


def main() -> None:
    """The `upland` command: settings and database checked first, one line per problem."""
    private_files.restrict()
    preflight.run(typer.main.get_command(app), sys.argv[1:], console)
    try:
        app()
    except Exception as exc:
        problem = preflight.explain(exc)
        if problem is None:
            raise
        console.print(f"[red]error[/red]: {problem}")
        raise SystemExit(1) from None
