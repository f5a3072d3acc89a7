"""The second, dense model of the PKD suggester (E5 as served): embedded as passages once,
cached on disk beside the sentence model's matrix, and weighed into the ranking."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from upland.reference.pkd_files import load_shipped
from upland.reference.pkd_suggest import PkdSuggester
from upland.reference.pkd_texts import code_phrases, code_texts, pkd2025_hints
from upland.reference.schemas import PkdSuggestionRead
from upland.textkit.embedding import HashingEmbedder

AGRICULTURAL_MACHINERY = "28.30.Z"
QUERY = "spawanie ram przyczep"


@pytest.fixture(scope="module")
def entries() -> list:  # type: ignore[type-arg]
    return load_shipped(2025)


class PassageEmbedder(HashingEmbedder):
    """A stand-in for an asymmetric model: records query and passage calls apart."""

    def __init__(self) -> None:
        super().__init__(dimension=32)
        self.name = "passage-stand-in"
        self.queries: list[int] = []
        self.passages: list[int] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.queries.append(len(texts))
        return super().embed(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.passages.append(len(texts))
        return super().embed(texts)


class PointingEmbedder(PassageEmbedder):
    """Every query lands exactly on one code's passages (its text and its phrases); every
    other passage is orthogonal."""

    def __init__(self, targets: set[str]) -> None:
        super().__init__()
        self.targets = targets

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        out[:, 0] = 1.0
        return out

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row, 0 if text in self.targets else 1] = 1.0
        return out


def test_dense_model_embeds_the_catalogue_as_passages_once_and_caches_it(
    entries: list, tmp_path: Path
) -> None:  # type: ignore[type-arg]
    dense = PassageEmbedder()
    suggester = PkdSuggester(entries, HashingEmbedder(64), dense=dense, cache_dir=tmp_path)
    suggester.suggest(QUERY)
    suggester.suggest("odlewnia żeliwa")
    # the catalogue once, as passages: whole texts, then phrases
    assert dense.passages[0] == len(suggester.codes) and len(dense.passages) == 2
    assert dense.queries == [1, 1]  # then only the descriptions
    files = sorted(p.name for p in tmp_path.glob("pkd-*.npy"))
    # the sentence model's matrix, then the dense model's: whole texts and phrases
    assert len(files) == 3 and sum("passage-stand-in" in name for name in files) == 2

    again = PassageEmbedder()
    reread = PkdSuggester(entries, HashingEmbedder(64), dense=again, cache_dir=tmp_path)
    assert [s.code for s in reread.suggest(QUERY)] == [s.code for s in suggester.suggest(QUERY)]
    assert again.passages == []  # read from disk, not re-embedded


def targets(entries: list, code: str) -> set[str]:  # type: ignore[type-arg]
    """The passages the suggester embeds for `code`: its whole text and its phrases."""
    text = code_texts(entries, 5, pkd2025_hints())[code]
    return {text.joined(), *code_phrases(text)}


def test_phrases_are_the_names_and_each_keyword_hint() -> None:
    text = code_texts(load_shipped(2025), 5, pkd2025_hints())["29.32.Z"]
    phrases = code_phrases(text)
    assert phrases[:2] == text.own[:2]  # Polish and English names first
    assert {"hamulce", "brakes", "osie", "axles"} <= set(phrases)
    assert text.hint not in phrases and all(len(p) >= 4 for p in phrases)


def test_the_dense_model_weighs_in_the_ranking(entries: list) -> None:  # type: ignore[type-arg]
    plain = PkdSuggester(entries, HashingEmbedder(64))
    dense = PointingEmbedder(targets(entries, AGRICULTURAL_MACHINERY))
    fused = PkdSuggester(entries, HashingEmbedder(64), dense=dense)
    assert plain.suggest(QUERY, limit=1)[0].code != AGRICULTURAL_MACHINERY
    best = fused.suggest(QUERY, limit=3)
    assert best[0].code == AGRICULTURAL_MACHINERY
    # explained by the phrase of the code nearest in meaning, in the API too
    assert best[0].closest_phrase in code_phrases(
        code_texts(entries, 5, pkd2025_hints())[AGRICULTURAL_MACHINERY]
    )
    assert PkdSuggestionRead.of(best[0]).closest_phrase == best[0].closest_phrase
    assert plain.suggest(QUERY, limit=1)[0].closest_phrase == ""
    # the fused score has its own line between a guess and a confident suggestion
    assert fused.confident_score > plain.confident_score
    assert all(s.confident == (s.score >= fused.confident_score) for s in best)


def test_without_wording_only_the_embeddings_score(entries: list) -> None:  # type: ignore[type-arg]
    dense = PointingEmbedder(targets(entries, AGRICULTURAL_MACHINERY))
    alone = PkdSuggester(entries, HashingEmbedder(64), dense=dense, wording=False)
    fused = PkdSuggester(entries, HashingEmbedder(64), dense=dense)
    assert sum(alone.weights) == pytest.approx(1.0) and alone.weights[3] == 0.0
    assert fused.weights[3] > 0.0
    # "spawanie" is in the machining hints: it counts in the fused score only
    machining = "25.53.Z"
    by_code = {s.code: s.score for s in fused.suggest(QUERY, limit=len(fused.codes))}
    alone_scores = {s.code: s.score for s in alone.suggest(QUERY, limit=len(alone.codes))}
    assert by_code[machining] > alone_scores[machining]
