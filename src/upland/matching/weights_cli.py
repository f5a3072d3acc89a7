"""`upland weights …`: the coordinator's weights and the feedback report from the shell (as a
platform admin), over the same services as the page and the API."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import typer

from upland.cli_support import cli_actor
from upland.db import transaction
from upland.errors import UplandError

weights_app = typer.Typer(
    help="The weights of matching's scoring features, and feedback.", no_args_is_help=True
)


def _run(work: Callable[[Any], Any]) -> Any:
    with transaction() as session:
        try:
            return work(session)
        except UplandError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None


def _show(values: dict[str, float], other: dict[str, float] | None = None) -> None:
    for name, value in values.items():
        extra = f"  (now {other[name]})" if other is not None and other[name] != value else ""
        typer.echo(f"{name:<18} {value:.3f}{extra}")


@weights_app.command("show")
def show(as_json: bool = typer.Option(False, "--json", help="print JSON")) -> None:
    """The weights that rank, and the pending proposal learnt from feedback."""
    from upland.matching.scoring import FEATURES
    from upland.matching.weights import queries

    def read(session: Any) -> dict[str, Any]:
        current = queries.current_weights(session)
        proposal = queries.pending_proposal(session)
        return {
            "current": {f: getattr(current, f) for f in FEATURES},
            "proposal": None
            if proposal is None
            else {"id": proposal.id, "examples": proposal.examples, "values": proposal.values},
        }

    found = _run(read)
    if as_json:
        typer.echo(json.dumps(found, indent=2))
        return
    _show(found["current"])
    if found["proposal"]:
        proposal = found["proposal"]
        typer.echo(f"\nproposal {proposal['id']} from {proposal['examples']} verdicts:")
        _show(proposal["values"], found["current"])


@weights_app.command("set")
def set_weights(
    values: list[str] = typer.Argument(..., help="FEATURE=WEIGHT, e.g. capability=0.5"),
) -> None:
    """Save a new version of the weights (features not named keep theirs)."""
    from upland.matching.weights import service

    pairs = dict(v.partition("=")[::2] for v in values)
    _run(lambda session: service.save_weights(session, cli_actor(), pairs, "cli"))
    typer.echo("saved")


@weights_app.command("propose")
def propose() -> None:
    """Learn proposed weights from the feedback (shown, not used, until accepted)."""
    from upland.matching.weights import service

    row = _run(lambda session: service.propose_weights(session, cli_actor()))
    typer.echo(f"proposal {row.id} from {row.examples} verdicts ({row.note})")


@weights_app.command("decide")
def decide(
    proposal_id: int = typer.Argument(..., help="the proposal's id"),
    accept: bool = typer.Option(..., "--accept/--reject", help="accept or reject it"),
) -> None:
    """Accept (the proposal becomes the saved weights) or reject the pending proposal."""
    from upland.matching.weights import service

    _run(lambda session: service.decide_proposal(session, cli_actor(), proposal_id, accept))
    typer.echo("accepted" if accept else "rejected")


@weights_app.command("feedback")
def feedback_report(as_json: bool = typer.Option(False, "--json", help="print JSON")) -> None:
    """What users said of suggestions: verdicts by reason and the newest comments."""
    from upland.matching.feedback import queries

    report = _run(queries.report)
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
        return
    typer.echo(f"{report.total} verdicts: {report.useful} useful, {report.not_relevant} not")
    for row in report.by_reason:
        verdict = "useful" if row.useful else "not relevant"
        typer.echo(f"  {verdict:<13} {row.reason or '-':<12} {row.count}")
    for comment in report.comments:
        typer.echo(f"  {comment.created_at:%Y-%m-%d} {comment.target_kind} {comment.target_id}: ")
        typer.echo(f"    {comment.comment}")


def register(app: typer.Typer) -> None:
    app.add_typer(weights_app, name="weights")
