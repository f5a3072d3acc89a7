"""How well PKD suggestions rank on descriptions written independently of the hint table.

The evaluation set (`data/eval/pkd_descriptions.csv`) holds firm descriptions, each with every
PKD 2025 subclass that is a correct answer. A case is a hit at k when one of them is among the
k best suggestions. Run with the hint table and without it (the baseline), the difference says
what the hand-written keywords add on text they were not written for.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

from upland.reference.pkd_suggest import PkdSuggester

__all__ = ["CaseOutcome", "EvalCase", "EvalResult", "evaluate", "load_cases", "summary"]

_PACKAGE = "upland.data.eval"
_FILE = "pkd_descriptions.csv"
DEPTH = 3  # suggestions looked at per case: top-1 and top-3 come from one call


@dataclass(frozen=True)
class EvalCase:
    text: str
    expected: frozenset[str]  # any of these codes is a correct answer
    lang: str  # "pl" or "en"


@dataclass(frozen=True)
class CaseOutcome:
    case: EvalCase
    ranked: tuple[str, ...]  # the DEPTH best codes, best first

    def hit(self, k: int) -> bool:
        return bool(self.case.expected & set(self.ranked[:k]))


@dataclass(frozen=True)
class EvalResult:
    outcomes: tuple[CaseOutcome, ...]

    def chosen(self, lang: str | None = None) -> list[CaseOutcome]:
        return [o for o in self.outcomes if lang is None or o.case.lang == lang]

    def hits(self, k: int, lang: str | None = None) -> int:
        return sum(o.hit(k) for o in self.chosen(lang))

    def rate(self, k: int, lang: str | None = None) -> float:
        """Share of cases (of one language, or all) with a correct code in the top k."""
        chosen = self.chosen(lang)
        return self.hits(k, lang) / len(chosen) if chosen else 0.0

    def misses(self, k: int) -> list[CaseOutcome]:
        return [o for o in self.outcomes if not o.hit(k)]


def load_cases() -> list[EvalCase]:
    """The shipped evaluation set; lines starting with '#' are its header notes."""
    text = (resources.files(_PACKAGE) / _FILE).read_text(encoding="utf-8")
    lines = "".join(line for line in text.splitlines(True) if not line.startswith("#"))
    return [
        EvalCase(
            text=row["text"],
            expected=frozenset(code.strip() for code in row["expected"].split(";")),
            lang=row["lang"],
        )
        for row in csv.DictReader(io.StringIO(lines))
    ]


def evaluate(suggester: PkdSuggester, cases: Iterable[EvalCase]) -> EvalResult:
    """Rank every case's text with `suggester` and keep its top codes."""
    return EvalResult(
        tuple(
            CaseOutcome(case, tuple(s.code for s in suggester.suggest(case.text, limit=DEPTH)))
            for case in cases
        )
    )


def summary(label: str, result: EvalResult, langs: Sequence[str] = ("pl", "en")) -> str:
    """One line: top-1 and top-3 accuracy overall and per language."""
    parts = [f"{label:<14} top-1 {_share(result, 1)}  top-3 {_share(result, 3)}"]
    parts += [f"{lang}: {result.rate(1, lang):.0%} / {result.rate(3, lang):.0%}" for lang in langs]
    return "  ".join(parts)


def _share(result: EvalResult, k: int) -> str:
    return f"{result.rate(k):6.1%} ({result.hits(k)}/{len(result.outcomes)})"
