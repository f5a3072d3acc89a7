"""`upland bench NAME`: run one benchmark module of `upland.bench`."""

from __future__ import annotations

import importlib
from pathlib import Path

import typer

BENCHES = {
    "import": "upland.bench.imports",
    "market": "upland.bench.market",
    "market-digest": "upland.bench.market_digest",
    "matching": "upland.bench.matching",
    "matchlearn": "upland.bench.matchlearn",
    "network": "upland.bench.network",
    "registry": "upland.bench.registry",
    "scheduling": "upland.bench.scheduling",
    "web": "upland.bench.web",
}


def bench(
    name: str = typer.Argument(..., help=f"one of: {', '.join(BENCHES)}"),
    rows: int | None = typer.Option(None, help="data size (default: the benchmark's own)"),
    database_url: str | None = typer.Option(
        None, help="also run against this PostgreSQL URL (postgresql+psycopg://…)"
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bars"),
    markdown: Path | None = typer.Option(
        None, help="also write the figures into this file's marked sections (docs/performance.md)"
    ),
    size: str | None = typer.Option(
        None, help="scheduling: small, medium or large; network: 10k or 100k (default all)"
    ),
    time_limit: float | None = typer.Option(
        None, help="scheduling: the solver's seconds (default: 30 small/medium, 120 large)"
    ),
    postgresql_only: bool = typer.Option(
        False, "--postgresql-only", help="registry, market: leave SQLite out (needs --database-url)"
    ),
) -> None:
    """Run a benchmark; it prints one line per figure and the ratio to its baseline."""
    if name not in BENCHES:
        raise typer.BadParameter(f"unknown benchmark {name!r}; choose from {', '.join(BENCHES)}")
    module = importlib.import_module(BENCHES[name])
    extra: dict[str, object] = {"markdown": markdown} if markdown is not None else {}
    if size is not None:
        extra["size"] = size
    if time_limit is not None:
        extra["time_limit"] = time_limit
    if postgresql_only:
        if name not in ("registry", "market"):
            raise typer.BadParameter("--postgresql-only is for the registry and market benchmarks")
        extra["postgresql_only"] = True
    module.main(rows=rows, database_url=database_url, quiet=quiet, **extra)


def register(app: typer.Typer, **_groups: typer.Typer) -> None:
    app.command("bench")(bench)
