"""The PKD evaluation set and `upland eval pkd`: sound data and a small smoke run.

No accuracy threshold lives here; `upland eval pkd` (`make eval`) prints the figures."""

import hashlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from upland.cli import app
from upland.reference.pkd_eval import CaseOutcome, EvalCase, EvalResult, evaluate, load_cases
from upland.reference.pkd_files import load_shipped
from upland.reference.pkd_suggest import PkdSuggester
from upland.settings import get_settings
from upland.textkit.embedding import HashingEmbedder

SECTORS = {
    "metal", "plastics", "electrical", "vehicles", "agrimach", "machinery", "engineering", "rnd",
    "repair", "trade", "transport", "it", "energy", "construction", "other",
}  # fmt: skip


@pytest.fixture(scope="module")
def cases() -> list[EvalCase]:
    return load_cases(None)


def test_the_set_is_large_bilingual_and_labelled_with_real_subclasses(
    cases: list[EvalCase],
) -> None:
    assert len(cases) >= 400
    languages = Counter(case.lang for case in cases)
    assert set(languages) == {"pl", "en"} and min(languages.values()) >= 180
    subclasses = {e.code for e in load_shipped(2025) if e.level == 5}
    for case in cases:
        assert case.expected and case.expected <= subclasses, case
        assert case.text.strip() == case.text and len(case.text) >= 4, case
        assert case.sector in SECTORS, case
        assert len(case.expected) > 1 or not case.multi, case  # each activity has its code
    assert len({case.text.casefold() for case in cases}) == len(cases)
    assert sum(case.multi for case in cases) >= 40
    assert {case.sector for case in cases} == SECTORS


def test_the_split_follows_from_the_text_and_keeps_a_third_for_development(
    cases: list[EvalCase],
) -> None:
    def split_of(text: str) -> str:
        digest = int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16)
        return "dev" if digest % 3 == 0 else "test"

    for case in cases:
        assert case.split == split_of(case.text), case
    for lang in ("pl", "en"):
        chosen = [case for case in cases if case.lang == lang]
        dev = sum(case.split == "dev" for case in chosen)
        assert 0.25 < dev / len(chosen) < 0.42, lang
    test, dev = load_cases(), load_cases("dev")
    assert {case.split for case in test} == {"test"} and {case.split for case in dev} == {"dev"}
    assert len(test) + len(dev) == len(cases)
    with pytest.raises(ValueError):
        load_cases("train")


def test_hits_and_rates_count_any_expected_code_in_the_top_k() -> None:
    def outcome(
        lang: str, expected: set[str], ranked: tuple[str, ...], multi: bool = False
    ) -> CaseOutcome:
        return CaseOutcome(EvalCase("text", frozenset(expected), lang, multi=multi), ranked)

    result = EvalResult(
        (
            outcome("pl", {"25.53.Z"}, ("25.53.Z", "25.11.Z", "28.41.Z")),
            outcome("pl", {"29.20.Z", "28.30.Z"}, ("25.11.Z", "28.30.Z", "29.32.Z"), multi=True),
            outcome("en", {"10.71.Z"}, ("56.30.Z", "10.72.Z", "47.24.Z")),
        )
    )
    assert (result.hits(1), result.hits(3)) == (1, 2)
    assert result.rate(3) == pytest.approx(2 / 3)
    assert (result.rate(1, "pl"), result.rate(3, "en")) == (0.5, 0.0)
    assert [o.case.expected for o in result.misses(3)] == [frozenset({"10.71.Z"})]
    assert result.rate(3, multi=True) == 1.0 and result.rate(1, multi=True) == 0.0
    assert result.rate(3, multi=False) == 0.5
    assert EvalResult(()).rate(1) == 0.0


def test_class_and_group_hits_compare_code_prefixes() -> None:
    case = EvalCase("text", frozenset({"29.10.C", "25.53.Z"}), "pl")
    other_subclass = CaseOutcome(case, ("28.41.Z", "29.10.E"))
    assert not other_subclass.hit(2) and other_subclass.hit(2, "class")
    same_group = CaseOutcome(case, ("25.52.Z", "28.41.Z"))
    assert not same_group.hit(2, "class") and same_group.hit(2, "group")
    assert not CaseOutcome(case, ("25.40.Z", "29.20.Z")).hit(2, "group")
    assert not CaseOutcome(case, ("28.41.Z", "25.53.Z")).hit(1, "class")
    result = EvalResult((other_subclass, same_group))
    assert (result.rate(2), result.rate(2, level="class"), result.rate(2, level="group")) == (
        0.0,
        0.5,
        1.0,
    )


def test_evaluate_ranks_each_case_with_the_suggester(cases: list[EvalCase]) -> None:
    suggester = PkdSuggester(load_shipped(2025), HashingEmbedder(dimension=64))
    result = evaluate(suggester, cases[:4])
    assert [o.case for o in result.outcomes] == cases[:4]
    for outcome in result.outcomes:
        assert outcome.ranked == tuple(
            s.code for s in suggester.suggest(outcome.case.text, limit=5)
        )


@pytest.fixture
def scratch_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The settings' cache_dir in a temporary folder (the eval caches catalogue vectors)."""
    monkeypatch.setenv("UPLAND_CACHE_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield tmp_path
    monkeypatch.undo()
    get_settings.cache_clear()


def test_eval_command_smoke_run(scratch_cache: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "pkd", "--limit", "6", "--embedder", "hashing"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("pkd eval (test): 6 descriptions")
    assert "728 PKD 2025 subclasses" in lines[0]
    assert lines[1].startswith("with hints") and "all  class@1" in lines[1]
    assert "class@5" in lines[1] and "group@5" in lines[1] and "(n=6)" in lines[1]
    assert any(line.split()[:1] == ["pl"] and "class@1" in line for line in lines)
    assert any(line.startswith("without hints") for line in lines)
    assert any(line.startswith("embeddings alone") and "class@5" in line for line in lines)
    assert any(line.startswith("time: catalogue") and "p50" in line for line in lines)
    assert lines[-1].startswith("hint table adds") and "class@5" in lines[-1]
    assert list(scratch_cache.glob("pkd-hashing-*.npy"))  # a second run reads them


def test_eval_command_refuses_an_unknown_embedder_or_split() -> None:
    result = CliRunner().invoke(app, ["eval", "pkd", "--embedder", "bert"])
    assert result.exit_code != 0
    assert "hashing" in result.output
    result = CliRunner().invoke(app, ["eval", "pkd", "--split", "train"])
    assert result.exit_code != 0
    assert "dev" in result.output
