"""The PKD evaluation set and `upland eval pkd`: sound data and a small smoke run.

No accuracy threshold lives here; `upland eval pkd` (`make eval`) prints the figures."""

from collections import Counter

import pytest
from typer.testing import CliRunner

from upland.cli import app
from upland.reference.pkd_eval import CaseOutcome, EvalCase, EvalResult, evaluate, load_cases
from upland.reference.pkd_files import load_shipped
from upland.reference.pkd_suggest import PkdSuggester
from upland.textkit.embedding import HashingEmbedder


@pytest.fixture(scope="module")
def cases() -> list[EvalCase]:
    return load_cases()


def test_the_set_is_large_bilingual_and_labelled_with_real_subclasses(
    cases: list[EvalCase],
) -> None:
    assert len(cases) >= 120
    languages = Counter(case.lang for case in cases)
    assert set(languages) == {"pl", "en"} and min(languages.values()) >= 30
    subclasses = {e.code for e in load_shipped(2025) if e.level == 5}
    for case in cases:
        assert case.expected and case.expected <= subclasses, case
        assert case.text.strip() == case.text and len(case.text) >= 4, case
    assert len({case.text.casefold() for case in cases}) == len(cases)
    assert sum(len(case.expected) > 1 for case in cases) >= 10  # several activities


def test_hits_and_rates_count_any_expected_code_in_the_top_k() -> None:
    def outcome(lang: str, expected: set[str], ranked: tuple[str, ...]) -> CaseOutcome:
        return CaseOutcome(EvalCase("text", frozenset(expected), lang), ranked)

    result = EvalResult(
        (
            outcome("pl", {"25.53.Z"}, ("25.53.Z", "25.11.Z", "28.41.Z")),
            outcome("pl", {"29.20.Z", "28.30.Z"}, ("25.11.Z", "28.30.Z", "29.32.Z")),
            outcome("en", {"10.71.Z"}, ("56.30.Z", "10.72.Z", "47.24.Z")),
        )
    )
    assert (result.hits(1), result.hits(3)) == (1, 2)
    assert result.rate(3) == pytest.approx(2 / 3)
    assert (result.rate(1, "pl"), result.rate(3, "en")) == (0.5, 0.0)
    assert [o.case.expected for o in result.misses(3)] == [frozenset({"10.71.Z"})]
    assert EvalResult(()).rate(1) == 0.0


def test_evaluate_ranks_each_case_with_the_suggester(cases: list[EvalCase]) -> None:
    suggester = PkdSuggester(load_shipped(2025), HashingEmbedder(dimension=64))
    result = evaluate(suggester, cases[:4])
    assert [o.case for o in result.outcomes] == cases[:4]
    for outcome in result.outcomes:
        assert outcome.ranked == tuple(s.code for s in suggester.suggest(outcome.case.text)[:3])


def test_eval_command_smoke_run() -> None:
    result = CliRunner().invoke(app, ["eval", "pkd", "--limit", "6", "--embedder", "hashing"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("pkd eval: 6 descriptions") and "728 PKD 2025 subclasses" in lines[0]
    assert lines[1].startswith("with hints") and "top-1" in lines[1] and "top-3" in lines[1]
    assert lines[2].startswith("without hints")
    assert lines[3].startswith("time: catalogue embedded in")
    assert "hint table adds" in lines[4]


def test_eval_command_refuses_an_unknown_embedder() -> None:
    result = CliRunner().invoke(app, ["eval", "pkd", "--embedder", "bert"])
    assert result.exit_code != 0
    assert "hashing" in result.output
