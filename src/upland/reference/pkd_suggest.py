"""Suggest PKD codes from a free-text description of what a firm does (Polish or English).

Pure domain code: a catalogue of PKD entries and an `Embedder` in, ranked `PkdSuggestion`s out.

How a code (a subclass, level 5, by default) is scored against a description:

* Meaning: each code gets one text (`pkd_texts`): its Polish and English names, everyday
  keywords for the cluster's core subclasses (the hint table), then the names of its class and
  division for context. The texts are embedded once per suggester, optionally cached as .npy
  on disk, and compared with the description's embedding (cosine).
* Wording (`pkd_wording`): the idf-weighted share of the description's word stems (Polish and
  English endings stripped, diacritics folded) that the code's names and keywords contain.
* The two are blended (`LEXICAL_WEIGHT`) into a score in 0..1.
* Several activities: the description is split into clauses (sentences, ";", ",", and / i /
  oraz ...). Each code takes the better of the whole text and a blend of its best clause with
  the whole text, so "we machine shafts and weld trailer frames" yields candidates for both
  activities instead of one blurred average; `matched_text` says which clause matched. Then
  every activity is covered: the best code of each clause on its own joins the list right
  after the overall best, and a clause with no confident code is reported as such.
* Confidence: a score under CONFIDENT_SCORE is a guess. On the labelled descriptions of
  `upland eval pkd` (reliability by score band, read once, not tuned for accuracy) fewer than
  one suggestion in eight below 0.2 was right, against one in five at 0.2-0.3 and most above
  0.4; such suggestions are still listed, marked, with advice to describe the activity.
* Explanation: each suggestion lists the words of the description its texts contain, and
  where (`pkd_explain`): the code's name, the keyword hints or its class/division name.

How well it ranks is measured by `upland eval pkd` on descriptions written independently of the
hint table (`pkd_eval`), with and without the hints.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from upland.errors import Invalid
from upland.i18n import Message
from upland.reference.pkd_explain import MatchedTerm, Source, matched_terms, term_sources
from upland.reference.pkd_texts import CatalogueEntry, CodeText, code_texts, default_hints
from upland.reference.pkd_wording import (
    MIN_CLAUSE_WORDS,
    WordingIndex,
    has_word,
    split_clauses,
    stems,
    word_count,
)
from upland.textkit.embedding import Embedder, blas_threads

__all__ = ["Activity", "PkdAnalysis", "PkdSuggester", "PkdSuggestion"]

FIELD = "description"
MIN_TEXT_CHARS = 3
MAX_TEXT_CHARS = 5000
# Weight of the best clause against the whole description in a code's score.
CLAUSE_WEIGHT = 0.3
# Share of the wording score (idf-weighted stem coverage); the rest is the sentence embedding.
LEXICAL_WEIGHT = 0.6
# Credit for a word found only in the parents' names, against 1 for the code's own names.
PARENT_TERM_WEIGHT = 0.3
# A suggestion scoring less is shown as a guess (see the module docstring).
CONFIDENT_SCORE = 0.2
# A description with fewer content words gets advice to describe the activity in a sentence.
MIN_MEANINGFUL_WORDS = 3
# Candidates kept for each activity (a clause) of a multi-activity description.
ACTIVITY_CANDIDATES = 3
# Share of a suggestion list that activities the whole-text ranking missed may take (at its
# tail), in lists of at least MIN_COVERED_LIST suggestions.
COVERAGE_SHARE = 0.3
MIN_COVERED_LIST = 5


@dataclass(frozen=True)
class PkdSuggestion:
    code: str
    name_pl: str
    name_en: str
    score: float  # 0..1, rounded to 3 decimals; comparable within one suggester
    matched_text: str  # the clause of the description (or all of it) that matched best
    confident: bool = True  # False: a guess (score under CONFIDENT_SCORE)
    matched_terms: tuple[MatchedTerm, ...] = ()  # words of `matched_text` the code contains


@dataclass(frozen=True)
class Activity:
    """One clause of a multi-activity description and its own best codes."""

    text: str
    confident: bool  # whether its best code is a confident one
    suggestions: tuple[PkdSuggestion, ...]


@dataclass(frozen=True)
class PkdAnalysis:
    """The suggestions for a description, with what a user should know about them."""

    description: str
    suggestions: list[PkdSuggestion]
    activities: list[Activity]  # empty for a single-activity description
    too_short: bool  # fewer than MIN_MEANINGFUL_WORDS content words

    @property
    def confident(self) -> bool:
        return bool(self.suggestions) and self.suggestions[0].confident

    @property
    def unmatched_activities(self) -> list[Activity]:
        return [activity for activity in self.activities if not activity.confident]

    def notices(self) -> list[tuple[str, Message]]:
        """(code, message) of what the user should know before trusting the list."""
        found: list[tuple[str, Message]] = []
        if self.too_short:
            found.append(
                (
                    "pkd.description_short",
                    Message(
                        "describe in a sentence what the firm makes or does, e.g. “we machine "
                        "steel shafts for agricultural machinery”: a few words give only rough "
                        "suggestions"
                    ),
                )
            )
        if self.suggestions and not self.confident:
            found.append(
                (
                    "pkd.no_confident_match",
                    Message(
                        "no confident match: try describing what you make or do (the product, "
                        "the process, the material); the codes below are guesses"
                    ),
                )
            )
        found += [
            (
                "pkd.activity_unmatched",
                Message(
                    "no confident match for “{part}”: try describing what you make or do there",
                    {"part": activity.text},
                ),
            )
            for activity in self.unmatched_activities
        ]
        return found


class PkdSuggester:
    """Ranks catalogue codes for a free-text activity description.

    Construction is cheap; the catalogue is embedded on the first `suggest` (or `prepare`)
    call, under a lock, and kept in memory. With `cache_dir` the matrix is also stored as
    `pkd-<embedder>-<hash>.npy`, the hash covering the embedder's name and every code text,
    so a changed catalogue, hint or model never reads a stale file.

    `hints` maps codes to extra keywords; by default the shipped PKD 2025 hint table when every
    entry says `version == 2025`, otherwise none.
    """

    def __init__(
        self,
        entries: Iterable[CatalogueEntry],
        embedder: Embedder,
        *,
        level: int = 5,
        cache_dir: str | os.PathLike[str] | None = None,
        hints: Mapping[str, str] | None = None,
    ) -> None:
        catalogue = list(entries)
        self.embedder = embedder
        self.level = level
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        texts = code_texts(catalogue, level, default_hints(catalogue) if hints is None else hints)
        if not texts:
            raise ValueError(f"the catalogue has no entries of level {level}")
        by_code = {entry.code: entry for entry in catalogue}
        self.codes: list[str] = list(texts)
        self.code_texts: dict[str, str] = {code: text.joined() for code, text in texts.items()}
        self._names = {code: (by_code[code].name_pl, by_code[code].name_en) for code in texts}
        self._wording = WordingIndex([self._terms(texts[code]) for code in self.codes])
        self._sources: list[dict[str, Source]] = [term_sources(texts[c]) for c in self.codes]
        self._matrix: np.ndarray | None = None
        self._lock = threading.Lock()

    @staticmethod
    def _terms(text: CodeText) -> dict[str, float]:
        """Stem -> credit: 1 for the code's own names and hints, less for its parents'."""
        terms = {stem: PARENT_TERM_WEIGHT for name in text.context for stem in stems(name)}
        terms.update({stem: 1.0 for name in text.own for stem in stems(name)})
        return terms

    # -- catalogue matrix -----------------------------------------------------------------

    def cache_key(self) -> str:
        digest = hashlib.sha256()
        digest.update(f"{self.embedder.name}\0{self.embedder.dimension}\0".encode())
        for code in self.codes:
            digest.update(f"{code}\0{self.code_texts[code]}\n".encode())
        return digest.hexdigest()[:16]

    def _cache_path(self) -> Path | None:
        if self.cache_dir is None:
            return None
        model = re.sub(r"[^A-Za-z0-9._-]+", "_", self.embedder.name)
        return self.cache_dir / f"pkd-{model}-{self.cache_key()}.npy"

    def _load_cached(self, path: Path) -> np.ndarray | None:
        try:
            matrix = np.load(path, allow_pickle=False)
        except (OSError, ValueError):
            return None
        if matrix.shape != (len(self.codes), self.embedder.dimension):
            return None
        return np.asarray(matrix, dtype=np.float32)

    @staticmethod
    def _store_cached(path: Path, matrix: np.ndarray) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    np.save(handle, matrix, allow_pickle=False)
                os.chmod(tmp, 0o644)  # mkstemp makes it private; other workers may read it
                os.replace(tmp, path)  # atomic: readers never see a half-written file
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            pass  # a read-only or full disk only costs the next process a re-embed

    def prepare(self) -> np.ndarray:
        """Embed (or load from the cache) the catalogue matrix now; idempotent, thread-safe."""
        matrix = self._matrix
        if matrix is None:
            with self._lock:
                if self._matrix is None:
                    path = self._cache_path()
                    loaded = self._load_cached(path) if path and path.exists() else None
                    if loaded is None:
                        loaded = self.embedder.embed([self.code_texts[c] for c in self.codes])
                        if path is not None:
                            self._store_cached(path, loaded)
                    self._matrix = loaded
                matrix = self._matrix
        return matrix

    # -- suggesting -----------------------------------------------------------------------

    def _similarity(self, matrix: np.ndarray, texts: list[str]) -> np.ndarray:
        """(codes, texts) blended similarity in 0..1."""
        queries = self.embedder.embed(texts)
        with blas_threads(1):  # a small product: extra BLAS threads only add latency
            meaning: np.ndarray = np.clip(matrix @ queries.T, 0.0, 1.0)
        wording = np.stack([self._wording.scores(text) for text in texts], axis=1)
        return (1.0 - LEXICAL_WEIGHT) * meaning + LEXICAL_WEIGHT * wording

    def suggest(self, text: str, *, limit: int = 10) -> list[PkdSuggestion]:
        """The `limit` best codes for `text`, best first (see `analyse`)."""
        return self.analyse(text, limit=limit).suggestions

    def analyse(self, text: str, *, limit: int = 10) -> PkdAnalysis:
        """The `limit` best codes for `text`, each activity of it covered, each explained.

        Raises `Invalid` (field "description") for a blank text or one without a word."""
        description = " ".join((text or "").split())[:MAX_TEXT_CHARS]
        if len(description) < MIN_TEXT_CHARS or not has_word(description):
            raise Invalid.one(
                FIELD,
                "describe what the company does in at least a few words",
                code="description.too_short",
            )
        too_short = len(stems(description)) < MIN_MEANINGFUL_WORDS
        if limit < 1:
            return PkdAnalysis(description, [], [], too_short)
        matrix = self.prepare()
        # One-word pieces (a bare "montaż" bullet) are too vague to rank on their own; they
        # still count as part of the whole description.
        clauses = [
            clause
            for clause in split_clauses(description)
            if clause != description and word_count(clause) >= MIN_CLAUSE_WORDS
        ]
        sims = self._similarity(matrix, [description, *clauses])
        rows = np.arange(len(self.codes))
        whole = sims[:, 0]
        score = whole
        best = np.full(len(self.codes), -1)
        if clauses:
            best = sims[:, 1:].argmax(axis=1)
            clause = sims[rows, best + 1]
            score = np.maximum(whole, CLAUSE_WEIGHT * clause + (1.0 - CLAUSE_WEIGHT) * whole)
            best = np.where(clause > whole, best, -1)
        order = [int(i) for i in np.lexsort((rows, -score))[: limit + len(clauses)]]
        texts = [description, *clauses]

        def suggestion(i: int, text_index: int, value: float) -> PkdSuggestion:
            matched = texts[text_index]
            value = round(float(np.clip(value, 0.0, 1.0)), 3)
            return PkdSuggestion(
                code=self.codes[i],
                name_pl=self._names[self.codes[i]][0],
                name_en=self._names[self.codes[i]][1],
                score=value,
                matched_text=matched,
                confident=value >= CONFIDENT_SCORE,
                matched_terms=matched_terms(matched, self._sources[i]),
            )

        activities = [
            Activity(
                clauses[j],
                float(sims[picks[0], j + 1]) >= CONFIDENT_SCORE,
                tuple(suggestion(int(i), j + 1, sims[i, j + 1]) for i in picks),
            )
            for j in range(len(clauses))
            for picks in [np.lexsort((rows, -sims[:, j + 1]))[:ACTIVITY_CANDIDATES]]
        ]
        chosen = order[:limit]
        for index, top in self._uncovered(activities, chosen, limit):
            chosen = [*chosen[: limit - 1], top] if len(chosen) >= limit else [*chosen, top]
            best[top] = index
        return PkdAnalysis(
            description,
            [suggestion(i, int(best[i]) + 1, score[i]) for i in chosen],
            activities,
            too_short,
        )

    def _uncovered(
        self, activities: list[Activity], chosen: list[int], limit: int
    ) -> list[tuple[int, int]]:
        """(activity index, code row) of the confident activities the whole-text ranking left
        out, strongest first, as many as COVERAGE_SHARE of the list may take. They replace the
        tail, so the ranking of the description as a whole keeps its head; a list shorter than
        MIN_COVERED_LIST keeps it all (the activities are reported on their own anyway)."""
        slots = int(limit * COVERAGE_SHARE) if limit >= MIN_COVERED_LIST else 0
        rows = {code: i for i, code in enumerate(self.codes)}
        wanted = sorted(
            (
                (-activity.suggestions[0].score, index, rows[activity.suggestions[0].code])
                for index, activity in enumerate(activities)
                if activity.confident and rows[activity.suggestions[0].code] not in chosen
            ),
        )
        picked: list[tuple[int, int]] = []
        for _, index, row in wanted:
            if row not in {r for _, r in picked}:
                picked.append((index, row))
        # Replacing from the end, the strongest activity ends up nearest the head.
        return picked[:slots][::-1]
