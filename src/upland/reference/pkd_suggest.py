"""Suggest PKD codes from a free-text description of what a firm does (Polish or English).

Pure domain code: a catalogue of PKD entries and an `Embedder` in, ranked `PkdSuggestion`s out.

How a code (a subclass, level 5, by default) is scored against a description:

* Meaning: each code gets one text (`pkd_texts`): its Polish and English names, everyday
  keywords for the cluster's core subclasses (the hint table), then the names of its class and
  division for context. The texts are embedded once per suggester and model, optionally cached
  as .npy on disk (`pkd_vectors`), and compared with the description's embedding (cosine).
  As served, two models: USE (fast, in every process anyway) and multilingual E5-small
  (`dense`), which matches firms' words to the catalogue's abstract names far better (on the
  development split of `upland eval pkd`, class@5 of the embeddings alone 56 % with USE, 70 %
  with E5); only the description is embedded per request.
* Wording (`pkd_wording`): the idf-weighted share of the description's word stems (Polish and
  English endings stripped, diacritics folded) that the code's names and keywords contain.
* The signals are blended (`LEXICAL_WEIGHT`, or `FUSED_WEIGHTS` with E5) into a score in 0..1.
* Kind of activity (`pkd_kinds`): the models read what a firm works on ("hydraulic pumps")
  better than what it does with it ("we overhaul ..."). A description whose words name a kind
  (repair, wholesale, retail, storage, R&D, software, rental, membership body) lifts the few
  codes of that kind nearest it.
* Several activities: the description is split into clauses (sentences, ";", ",", and / i /
  oraz ...). Each code takes the better of the whole text and a blend of its best clause with
  the whole text, so "we machine shafts and weld trailer frames" yields candidates for both
  activities instead of one blurred average; `matched_text` says which clause matched. Then
  every activity is covered: the best code of each clause on its own joins the list right
  after the overall best, and a clause with no confident code is reported as such.
* Confidence: a score under CONFIDENT_SCORE (FUSED_CONFIDENT_SCORE with E5) is a guess. On
  the labelled descriptions of `upland eval pkd` (reliability by score band, read once, not
  tuned for accuracy) fewer than one suggestion in eight below that line was right (USE alone:
  under 0.2; fused: under 0.3), and most above 0.4 (fused: 0.5); such suggestions are still
  listed, marked, with advice to describe the activity.
* Explanation: each suggestion lists the words of the description its texts contain, and
  where (`pkd_explain`): the code's name, the keyword hints or its class/division name.

How well it ranks is measured by `upland eval pkd` on descriptions written independently of the
hint table (`pkd_eval`), with and without the hints.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from upland.errors import Invalid
from upland.i18n import Message
from upland.reference.pkd_explain import MatchedTerm, Source, matched_terms, term_sources
from upland.reference.pkd_kinds import ActivityKind, kind_weights, pkd2025_kinds
from upland.reference.pkd_texts import (
    CatalogueEntry,
    CodeText,
    code_phrases,
    code_texts,
    default_hints,
    is_pkd2025,
)
from upland.reference.pkd_vectors import CatalogueVectors
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
# With a second, stronger embedder (`dense`, E5): the shares of the sentence model, the dense
# model on each code's whole text, the dense model on the code's closest single phrase (a name
# or one keyword hint) and the wording. Chosen on the development split of `upland eval pkd`.
FUSED_WEIGHTS = (0.1, 0.15, 0.35, 0.4)
# The dense model's cosines crowd into a narrow band (E5: about 0.75 unrelated to 0.95 the
# same thing); (cosine - DENSE_FLOOR) / DENSE_SPAN, clipped, puts them on the 0..1 scale of
# the other two.
DENSE_FLOOR = 0.8
DENSE_SPAN = 0.15
# Bonus for the KIND_CODES codes nearest a text among those of the kind of activity its
# description names (repair, wholesale ...: `pkd_kinds`); the nearest only, so a gearbox
# workshop is not offered every repair trade. The codes of a kind it does not name lose
# KIND_ABSENT. Chosen on the development split.
KIND_WEIGHT = 0.2
KIND_CODES = 3
KIND_ABSENT = 0.05
# Credit for a word found only in the parents' names, against 1 for the code's own names.
PARENT_TERM_WEIGHT = 0.3
# A suggestion scoring less is shown as a guess (see the module docstring).
CONFIDENT_SCORE = 0.2
# The same line for the fused score (with E5), read the same way on the development split:
# 6 % of the top-5 suggestions under 0.2 were right, 12 % at 0.2-0.3, 26 % at 0.3-0.4 and
# most above 0.5.
FUSED_CONFIDENT_SCORE = 0.3
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
    confident: bool = True  # False: a guess (score under the suggester's confident_score)
    matched_terms: tuple[MatchedTerm, ...] = ()  # words of `matched_text` the code contains
    closest_phrase: str = ""  # the code's name or hint nearest `matched_text` in meaning (E5)


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
    call, under a lock, and kept in memory. With `cache_dir` each model's matrix is also stored
    on disk (`pkd_vectors`), so a request only embeds the description.

    `dense` is an optional second embedder (E5), stronger and slower than `embedder`: its
    calibrated cosine, with each code's whole text and with the code's closest phrase, joins
    the score with FUSED_WEIGHTS. `wording=False` leaves the wording out (the embeddings alone,
    for the evaluation's ablation).

    `hints` maps codes to extra keywords; by default the shipped PKD 2025 hint table when every
    entry says `version == 2025`, otherwise none. `kinds` (cues for the kind of activity, see
    `pkd_kinds`) likewise defaults to the PKD 2025 table; they are wording, so off without it.
    """

    def __init__(
        self,
        entries: Iterable[CatalogueEntry],
        embedder: Embedder,
        *,
        level: int = 5,
        cache_dir: str | os.PathLike[str] | None = None,
        hints: Mapping[str, str] | None = None,
        dense: Embedder | None = None,
        wording: bool = True,
        kinds: Sequence[ActivityKind] | None = None,
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
        self.dense = dense
        phrases = {
            f"{code}#{n}": phrase
            for code in self.codes
            for n, phrase in enumerate(code_phrases(texts[code]))
        }
        rows = {code: row for row, code in enumerate(self.codes)}
        self._phrase_rows = np.array([rows[key.split("#")[0]] for key in phrases])
        self._phrases = list(phrases.values())
        self._catalogues = [CatalogueVectors(embedder, self.code_texts, self.cache_dir)]
        if dense is not None:
            self._catalogues.append(CatalogueVectors(dense, self.code_texts, self.cache_dir))
            self._catalogues.append(CatalogueVectors(dense, phrases, self.cache_dir))
        weights = FUSED_WEIGHTS if dense else (1.0 - LEXICAL_WEIGHT, 0.0, 0.0, LEXICAL_WEIGHT)
        if not wording:
            share = sum(weights[:3])
            weights = (weights[0] / share, weights[1] / share, weights[2] / share, 0.0)
        self.weights = weights
        if kinds is None:
            kinds = pkd2025_kinds() if is_pkd2025(catalogue) else ()
        self.kinds = tuple(kinds) if wording else ()
        self._kind_rows = {
            kind.name: np.array(
                [i for i, code in enumerate(self.codes) if kind.covers(code)], dtype=np.intp
            )
            for kind in self.kinds
        }
        self.confident_score = CONFIDENT_SCORE if dense is None else FUSED_CONFIDENT_SCORE

    @property
    def catalogues(self) -> list[CatalogueVectors]:
        """Every embedded catalogue it reads: the sentence model's, then the dense model's
        code texts and single phrases."""
        return list(self._catalogues)

    @staticmethod
    def _terms(text: CodeText) -> dict[str, float]:
        """Stem -> credit: 1 for the code's own names and hints, less for its parents'."""
        terms = {stem: PARENT_TERM_WEIGHT for name in text.context for stem in stems(name)}
        terms.update({stem: 1.0 for name in text.own for stem in stems(name)})
        return terms

    # -- catalogue matrices ---------------------------------------------------------------

    def cache_key(self) -> str:
        """Hash of the sentence model and every code text (names the cached matrix file)."""
        return self._catalogues[0].key

    def prepare(self) -> np.ndarray:
        """Embed (or load from the cache) the catalogue matrices now; idempotent, thread-safe.
        Returns the sentence model's matrix."""
        matrices = [catalogue.matrix() for catalogue in self._catalogues]
        return matrices[0]

    # -- suggesting -----------------------------------------------------------------------

    def _similarity(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray | None]:
        """(codes, texts) blended similarity in 0..1: the sentence model's cosine, the dense
        model's calibrated cosines (whole text, closest phrase) and the wording share, weighted
        by `weights`."""
        use_weight, dense_weight, phrase_weight, wording_weight = self.weights
        queries = self.embedder.embed(texts)
        with blas_threads(1):  # a small product: extra BLAS threads only add latency
            score: np.ndarray = use_weight * np.clip(self.prepare() @ queries.T, 0.0, 1.0)
        by_phrase = None
        if self.dense is not None:
            dense = self.dense.embed(texts)
            with blas_threads(1):
                cosine = self._catalogues[1].matrix() @ dense.T
                by_phrase = self._catalogues[2].matrix() @ dense.T
            closest = np.full_like(cosine, -1.0)
            np.maximum.at(closest, self._phrase_rows, by_phrase)
            for weight, value in ((dense_weight, cosine), (phrase_weight, closest)):
                score += weight * np.clip((value - DENSE_FLOOR) / DENSE_SPAN, 0.0, 1.0)
        if wording_weight:
            words = np.stack([self._wording.scores(text) for text in texts], axis=1)
            score += wording_weight * words
        # The kinds the description names, weighed on the whole of it: a clause "also urgent
        # repairs" of a machining shop's text is not a repair shop's headline. A kind it does
        # not name steps back: wholesale and repair codes list the same goods as the makers'.
        named = dict(kind_weights(texts[0], self.kinds))
        absent = np.zeros(len(self.codes), dtype=bool)
        for kind in self.kinds:
            if kind not in named:
                absent[self._kind_rows[kind.name]] = True
        for kind in named:
            absent[self._kind_rows[kind.name]] = False  # a code of a named kind never steps back
        score[absent, :] -= KIND_ABSENT  # once, however many unnamed kinds cover it
        for kind, weight in named.items():
            rows = self._kind_rows[kind.name]
            for column in range(len(texts)):
                closest = rows[np.argsort(-score[rows, column], kind="stable")[:KIND_CODES]]
                score[closest, column] += KIND_WEIGHT * weight
        return score, by_phrase

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
        # One-word pieces (a bare "montaż" bullet) are too vague to rank on their own; they
        # still count as part of the whole description.
        clauses = [
            clause
            for clause in split_clauses(description)
            if clause != description and word_count(clause) >= MIN_CLAUSE_WORDS
        ]
        sims, by_phrase = self._similarity([description, *clauses])
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
                confident=value >= self.confident_score,
                matched_terms=matched_terms(matched, self._sources[i]),
                closest_phrase=self._closest_phrase(by_phrase, i, text_index),
            )

        activities = [
            Activity(
                clauses[j],
                float(sims[picks[0], j + 1]) >= self.confident_score,
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

    def _closest_phrase(self, by_phrase: np.ndarray | None, row: int, text_index: int) -> str:
        """The phrase of code `row` (a name or a hint) nearest text `text_index` in meaning."""
        if by_phrase is None:
            return ""
        (own,) = np.nonzero(self._phrase_rows == row)
        return self._phrases[int(own[by_phrase[own, text_index].argmax()])]

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
