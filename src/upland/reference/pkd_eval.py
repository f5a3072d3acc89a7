"""How well PKD suggestions rank on descriptions written independently of the hint table.

The evaluation set (`data/eval/pkd_descriptions.csv`) holds firm descriptions, each with every
PKD 2025 subclass that is a correct answer, whether it names several activities (`multi`), a
sector for reporting and its split: `dev` for tuning, `test` (the default) for reporting, never
for tuning. A case is a hit at k when one of its codes is among the k best suggestions, compared
at the class (25.53) or the group (25.5) level. Run with the hint table and without it (the
baseline), the difference says what the hand-written keywords add on text they were not written
for.
"""

from __future__ import annotations

import csv
import io
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from upland.reference.pkd_suggest import PkdSuggester

__all__ = [
    "SPLITS",
    "CaseOutcome",
    "EvalCase",
    "EvalResult",
    "evaluate",
    "evaluate_timed",
    "load_cases",
    "percentile",
    "summary",
]

_PACKAGE = "upland.data.eval"
_FILE = "pkd_descriptions.csv"
DEPTH = 5  # suggestions looked at per case: @1 and @5 come from one call
SPLITS = ("dev", "test")
Level = Literal["subclass", "class", "group"]
_PREFIX: dict[Level, int] = {"subclass": 7, "class": 5, "group": 4}  # 25.53.Z, 25.53, 25.5


@dataclass(frozen=True)
class EvalCase:
    text: str
    expected: frozenset[str]  # any of these codes is a correct answer
    lang: str  # "pl" or "en"
    multi: bool = False  # the text names several activities
    sector: str = ""
    split: str = "test"


@dataclass(frozen=True)
class CaseOutcome:
    case: EvalCase
    ranked: tuple[str, ...]  # the DEPTH best codes, best first

    def hit(self, k: int, level: Level = "subclass") -> bool:
        n = _PREFIX[level]
        expected = {code[:n] for code in self.case.expected}
        return any(code[:n] in expected for code in self.ranked[:k])


@dataclass(frozen=True)
class EvalResult:
    outcomes: tuple[CaseOutcome, ...]

    def chosen(self, lang: str | None = None, *, multi: bool | None = None) -> list[CaseOutcome]:
        return [
            o
            for o in self.outcomes
            if (lang is None or o.case.lang == lang) and (multi is None or o.case.multi == multi)
        ]

    def hits(
        self,
        k: int,
        lang: str | None = None,
        *,
        level: Level = "subclass",
        multi: bool | None = None,
    ) -> int:
        return sum(o.hit(k, level) for o in self.chosen(lang, multi=multi))

    def rate(
        self,
        k: int,
        lang: str | None = None,
        *,
        level: Level = "subclass",
        multi: bool | None = None,
    ) -> float:
        """Share of the chosen cases (a language, multi-activity or not, or all) with a correct
        code in the top k at `level`."""
        chosen = self.chosen(lang, multi=multi)
        return self.hits(k, lang, level=level, multi=multi) / len(chosen) if chosen else 0.0

    def misses(self, k: int, level: Level = "subclass") -> list[CaseOutcome]:
        return [o for o in self.outcomes if not o.hit(k, level)]


def load_cases(split: str | None = "test") -> list[EvalCase]:
    """The shipped evaluation set, one split of it (`dev` or `test`) or all of it (None); lines
    starting with '#' are its header notes."""
    if split is not None and split not in SPLITS:
        raise ValueError(f"unknown split {split!r}")
    text = (resources.files(_PACKAGE) / _FILE).read_text(encoding="utf-8")
    lines = "".join(line for line in text.splitlines(True) if not line.startswith("#"))
    cases = [
        EvalCase(
            text=row["text"],
            expected=frozenset(code.strip() for code in row["expected"].split(";")),
            lang=row["lang"],
            multi=row["multi"] == "1",
            sector=row["sector"],
            split=row["split"],
        )
        for row in csv.DictReader(io.StringIO(lines))
    ]
    return [case for case in cases if split is None or case.split == split]


def evaluate(suggester: PkdSuggester, cases: Iterable[EvalCase]) -> EvalResult:
    """Rank every case's text with `suggester` and keep its top codes."""
    return evaluate_timed(suggester, cases)[0]


def evaluate_timed(
    suggester: PkdSuggester, cases: Iterable[EvalCase]
) -> tuple[EvalResult, list[float]]:
    """As `evaluate`, with each case's wall time in seconds (a user's wait for the list)."""
    outcomes: list[CaseOutcome] = []
    seconds: list[float] = []
    for case in cases:
        started = time.perf_counter()
        ranked = tuple(s.code for s in suggester.suggest(case.text, limit=DEPTH))
        seconds.append(time.perf_counter() - started)
        outcomes.append(CaseOutcome(case, ranked))
    return EvalResult(tuple(outcomes)), seconds


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (`share` in 0..100) of `values`; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(math.ceil(share / 100 * len(ordered)) - 1, 0)]


def summary(label: str, result: EvalResult, langs: Sequence[str] = ("pl", "en")) -> list[str]:
    """Class@1, class@5 and group@5: overall, per language and for multi-activity cases."""
    lines = [f"{label:<16} all  {_figures(result, None)}"]
    lines += [f"{'':<16} {lang:<4} {_figures(result, lang)}" for lang in langs]
    if result.chosen(multi=True):
        lines.append(f"{'':<16} {'multi':<4} {_figures(result, None, multi=True)}")
    return lines


def _figures(result: EvalResult, lang: str | None, multi: bool | None = None) -> str:
    count = len(result.chosen(lang, multi=multi))
    rates = (
        result.rate(1, lang, level="class", multi=multi),
        result.rate(5, lang, level="class", multi=multi),
        result.rate(5, lang, level="group", multi=multi),
    )
    return "class@1 {:6.1%}  class@5 {:6.1%}  group@5 {:6.1%}".format(*rates) + f"  (n={count})"
