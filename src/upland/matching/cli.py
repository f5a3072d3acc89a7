"""`upland match`, `upland index rebuild` and `upland eval matching`: the matching engine from
the shell, as a platform admin (who may open every item)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import typer

from upland.cli_support import cli_actor
from upland.db import transaction
from upland.errors import UplandError
from upland.reference.eval_cli import eval_app

index_app = typer.Typer(help="The matching index (vectors and graph).", no_args_is_help=True)
KINDS = {"organisations": ("organisation",), "opportunities": ("opportunity",)}


def _embedder(name: str) -> object:
    from upland.textkit.embedding import HashingEmbedder, get_embedder

    if name not in {"use", "hashing"}:
        raise typer.BadParameter("choose 'use' or 'hashing'", param_hint="--embedder")
    return get_embedder() if name == "use" else HashingEmbedder()


EMBEDDER = typer.Option(
    "use", help="'use' (the sentence model, as served) or 'hashing' (fast, spelling only)"
)


@index_app.command("rebuild")
def rebuild(
    force: bool = typer.Option(False, "--force", help="embed every item again, changed or not"),
    embedder: str = EMBEDDER,
) -> None:
    """Embed every item whose text changed (all with --force), mark those gone, and save the
    graph that web processes memory-map when there are at least UPLAND_MATCHING_EXACT_BELOW."""
    from upland.matching import engine, service
    from upland.matching.index import MatchIndex
    from upland.matching.texts import ITEM_KINDS
    from upland.settings import get_settings

    model = _embedder(embedder)
    started = time.perf_counter()
    for kind in ITEM_KINDS:
        done = service.refresh_in_steps(cli_actor(), kind, embedder=model, force=force)  # type: ignore[arg-type]
        typer.echo(
            f"{kind}: {done.embedded} embedded, {done.unchanged} unchanged, "
            f"{done.removed} marked gone, {done.reclassified} changed visibility"
        )
    embedded = time.perf_counter()
    path = engine.graph_path(model.name)  # type: ignore[attr-defined]
    index = MatchIndex(
        model.name,  # type: ignore[attr-defined]
        model.dimension,  # type: ignore[attr-defined]
        exact_below=get_settings().matching_exact_below,
        dtype=get_settings().matching_graph_dtype,
        graph=path,
        build_threads=0,
    )
    with transaction() as session:
        index.sync(session)
    if index.save_graph():
        typer.echo(f"graph of {len(index)} items saved to {path}")
    else:
        for stale in (path, path.with_suffix(".json")):
            stale.unlink(missing_ok=True)
        typer.echo(f"{len(index)} items: searched exactly, no graph file")
    engine.forget_indexes()
    typer.echo(
        f"time: embedding {embedded - started:.1f} s, index {time.perf_counter() - embedded:.1f} s"
    )


def match_command(
    text: str = typer.Argument("", help="what is sought, in Polish or English"),
    kind: str | None = typer.Option(None, help="'organisations' or 'opportunities' (default both)"),
    limit: int = typer.Option(10, help="how many suggestions"),
    opportunity: int | None = typer.Option(None, help="partners for this opportunity (id)"),
    organisation: int | None = typer.Option(None, help="partners for this organisation (id)"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
    only_left_out: bool = typer.Option(
        False,
        "--left-out",
        help="only the candidates that what the text requires (a certificate, a distance)"
        " left out, and why (as GET /api/v1/match/left-out); a text only",
    ),
    language: str = typer.Option("en", help="language of names and titles: 'pl' or 'en'"),
    embedder: str = EMBEDDER,
) -> None:
    """Suggested organisations and opportunities for a text, an opportunity or an organisation."""
    from upland.matching import engine
    from upland.matching.presenters import describe
    from upland.matching.reading import read_question
    from upland.matching.texts import ITEM_KINDS

    if kind is not None and kind not in KINDS:
        raise typer.BadParameter("choose 'organisations' or 'opportunities'", param_hint="--kind")
    if sum(x is not None for x in (opportunity, organisation)) + bool(text.strip()) != 1:
        raise typer.BadParameter("give a text, --opportunity ID or --organisation ID (one)")
    if only_left_out and not text.strip():
        raise typer.BadParameter(
            "--left-out lists what a text's requirements left out: give a text",
            param_hint="--left-out",
        )
    source = (
        ("opportunity", opportunity)
        if opportunity is not None
        else ("organisation", organisation)
        if organisation is not None
        else None
    )
    ask = engine.Ask(
        text=text, source=source, kinds=KINDS[kind] if kind else ITEM_KINDS, limit=limit
    )
    with transaction() as session:
        try:
            missed: list[engine.Hit] = []
            hits = engine.match(
                session,
                cli_actor(),
                ask,
                embedder=_embedder(embedder),  # type: ignore[arg-type]
                left_out=missed,
            )
        except UplandError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        rows = describe(session, hits, language)
        left_out = describe(session, missed, language)
        said = read_question(session, cli_actor(), text).sentences if source is None else ()
    if only_left_out:
        rows, left_out = left_out, []
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if said:
        typer.echo("read: " + " · ".join(sentence.render(language) for sentence in said))
    if not rows:
        typer.echo("nothing left out" if only_left_out else "no suggestions")
    for rank, row in enumerate(rows, start=1):
        what = f" ({row['what']})" if row["what"] else ""
        typer.echo(
            f"{rank:>3}. {row['score']:.3f}  {row['kind']:<12} {row['id']:>6}  {row['name']}{what}"
        )
        for sentence in row["why"]["for"]:
            typer.echo(f"       + {sentence}")
        for sentence in row["why"]["against"]:
            typer.echo(f"       - {sentence}")
    for row in left_out:
        why = "; ".join(row["why"]["against"])
        typer.echo(f"left out: {row['kind']} {row['id']} {row['name']} — {why}")


@eval_app.command("matching")
def eval_matching(
    split: str = typer.Option("dev", help="'dev' (tune on this only), 'test' (report) or 'all'"),
    embedder: str = EMBEDDER,
    lexical: float = typer.Option(None, help="fusion: weight of the lexical side (0-1)"),
    impute: float = typer.Option(None, help="fusion: lexical score imputed per unit of cosine"),
    confidence: float = typer.Option(None, help="fusion: power of the lexical confidence"),
    dense_reference: float = typer.Option(
        None, help="fusion: the cosine at which the dense side is fully confident"
    ),
    pool: Path = typer.Option(
        None, help="also write the unjudged items of every variant's top ten (CSV) for judging"
    ),
) -> None:
    """nDCG@10, recall@10, MRR and judged@10 of BM25, embeddings, plain RRF and the hybrid,
    overall and for cross-language queries, on a database loaded with the demo (`upland demo`,
    then `upland index rebuild`)."""
    from dataclasses import replace

    from upland.matching import engine
    from upland.matching.eval_data import load_eval_set
    from upland.matching.evaluation import evaluate, write_pool
    from upland.matching.fusion import Weights

    if split not in {"dev", "test", "all"}:
        raise typer.BadParameter("choose 'dev', 'test' or 'all'", param_hint="--split")
    weights = Weights()
    if lexical is not None:
        weights = replace(weights, lexical=lexical)
    if impute is not None:
        weights = replace(weights, impute=impute)
    if confidence is not None:
        weights = replace(weights, confidence=confidence)
    if dense_reference is not None:
        weights = replace(weights, dense_reference=dense_reference)
    model = _embedder(embedder)
    eval_set = load_eval_set()
    chosen = list(eval_set.queries) if split == "all" else eval_set.split(split)
    started = time.perf_counter()
    with transaction() as session:
        index = engine.current_index(session, model)  # type: ignore[arg-type]
        if not len(index):
            typer.echo("error: the index is empty: run `upland index rebuild` first", err=True)
            raise typer.Exit(1)
        report = evaluate(session, index, model, eval_set, chosen, weights=weights)  # type: ignore[arg-type]
    typer.echo(
        f"matching eval ({split}): {len(chosen)} queries, {len(index)} items, "
        f"embedder {model.name}, fusion {weights}"  # type: ignore[attr-defined]
    )
    typer.echo("\n".join(report.lines()))
    if report.skipped:
        typer.echo(f"skipped (nothing relevant resolvable): {', '.join(report.skipped)}")
    if report.unresolved:
        typer.echo(f"{len(report.unresolved)} judged items not found in this database")
    if pool is not None:
        count = write_pool(report.unjudged, pool)
        typer.echo(f"pool: {count} unjudged items of {len(report.unjudged)} queries in {pool}")
    typer.echo(f"time: {time.perf_counter() - started:.1f} s")


def register(app: typer.Typer, **_groups: typer.Typer) -> None:
    from upland.matching import weights_cli

    weights_cli.register(app)
    app.add_typer(index_app, name="index")
    app.command("match")(match_command)
