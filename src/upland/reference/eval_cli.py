"""`upland eval pkd`: accuracy of PKD suggestions on the independent evaluation set."""

from __future__ import annotations

import time
from typing import Any

import typer

eval_app = typer.Typer(help="Quality evaluations on labelled data.", no_args_is_help=True)


@eval_app.command("pkd")
def eval_pkd(
    split: str = typer.Option(
        "test", help="'test' (report this), 'dev' (tune on this only) or 'all'"
    ),
    limit: int | None = typer.Option(None, min=1, help="only the first N descriptions"),
    embedder: str = typer.Option(
        "use",
        help="'use' (the sentence models, as served: USE and E5) or 'hashing' (fast, spelling "
        "only, no dense model)",
    ),
    misses: bool = typer.Option(False, "--misses", help="also list the class@5 misses"),
) -> None:
    """Class@1, class@5 and group@5 against the full PKD 2025 catalogue, per language and for
    multi-activity descriptions: the suggester as served, its embeddings alone (no wording
    signal), and without the keyword hint table (the baseline). Catalogue vectors are cached
    under the settings' cache_dir, so a second run only embeds the descriptions."""
    from upland.reference.pkd_eval import (
        SPLITS,
        evaluate,
        evaluate_timed,
        load_cases,
        percentile,
        summary,
    )
    from upland.reference.pkd_files import load_shipped
    from upland.reference.pkd_suggest import PkdSuggester
    from upland.settings import get_settings
    from upland.textkit.e5_small import get_e5_embedder
    from upland.textkit.embedding import Embedder, HashingEmbedder, get_embedder

    if embedder not in {"use", "hashing"}:
        raise typer.BadParameter("choose 'use' or 'hashing'", param_hint="--embedder")
    if split not in {*SPLITS, "all"}:
        raise typer.BadParameter("choose 'test', 'dev' or 'all'", param_hint="--split")
    model: Embedder = get_embedder() if embedder == "use" else HashingEmbedder()
    dense = get_e5_embedder() if embedder == "use" else None
    cases = load_cases(None if split == "all" else split)[:limit]
    entries = load_shipped(2025)
    langs = sorted({case.lang for case in cases}, reverse=True)
    typer.echo(
        f"pkd eval ({split}): {len(cases)} descriptions ("
        + ", ".join(f"{sum(c.lang == lang for c in cases)} {lang}" for lang in langs)
        + f", {sum(c.multi for c in cases)} multi-activity), "
        + f"{sum(e.level == 5 for e in entries)} PKD 2025 subclasses, embedder {model.name}"
        + (f" + {dense.name}" if dense is not None else "")
    )
    cache = get_settings().cache_dir

    def suggester(**options: Any) -> PkdSuggester:
        return PkdSuggester(entries, model, dense=dense, cache_dir=cache, **options)

    final = suggester()
    started = time.perf_counter()
    final.prepare()
    prepared = time.perf_counter()
    with_hints, latencies = evaluate_timed(final, cases)
    lines = summary("with hints", with_hints, langs)
    lines += summary("embeddings alone", evaluate(suggester(wording=False), cases), langs)
    baseline = evaluate(suggester(hints={}), cases)
    lines += summary("without hints", baseline, langs)
    typer.echo("\n".join(lines))
    typer.echo(
        f"time: catalogue embedded or read from the cache in {prepared - started:.1f} s, "
        f"then per description p50 {percentile(latencies, 50) * 1000:.1f} ms, "
        f"p95 {percentile(latencies, 95) * 1000:.1f} ms"
    )
    for k in (1, 5):
        gain = (with_hints.rate(k, level="class") - baseline.rate(k, level="class")) * 100
        typer.echo(f"hint table adds {gain:+.1f} points at class@{k}")
    if misses:
        for outcome in with_hints.misses(5, "class"):
            expected = "|".join(sorted(outcome.case.expected))
            typer.echo(f"miss  {expected:<18} got {' '.join(outcome.ranked)}  {outcome.case.text}")
