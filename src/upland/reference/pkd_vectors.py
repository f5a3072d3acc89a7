"""The PKD catalogue embedded by one model: computed once per process (under a lock) and,
with a cache directory, stored as `pkd-<model>-<hash>.npy`, the hash covering the model's name
and dimension, which side of an asymmetric model embedded it, and every code text, so a changed
catalogue, hint or model never reads a stale file. Never downloaded: a missing or damaged file
is recomputed and rewritten.

The package ships the E5 matrices of the shipped PKD 2025 catalogue (`data/pkd/vectors/`,
~4 MB): embedding its ~2 900 texts takes E5 one to three minutes, which the first request of a
fresh deployment (and each test run) would otherwise wait for. They are found by the same
file name; a deployment that loads another classification computes and caches its own.
Rebuilt by `python -m upland.reference.pkd_vectors_build` after the catalogue or the hints change
(`tests/reference/test_pkd_vectors_shipped.py` says when).

    python -m upland.reference.pkd_vectors_build
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import numpy as np

from upland.textkit.embedding import Embedder

__all__ = ["SHIPPED", "CatalogueVectors", "ship"]

SHIPPED = Path(str(resources.files("upland.data") / "pkd" / "vectors"))


class CatalogueVectors:
    """The texts of `texts` (code -> text), in order, embedded by `embedder`: as passages when
    it tells them apart (`embed_passages`, as E5 does), as plain texts otherwise."""

    def __init__(
        self, embedder: Embedder, texts: Mapping[str, str], cache_dir: Path | None = None
    ) -> None:
        self.embedder = embedder
        self.texts = list(texts.values())
        self.side = "passage" if hasattr(embedder, "embed_passages") else ""
        self.cache_dir = cache_dir
        digest = hashlib.sha256()
        digest.update(f"{embedder.name}\0{embedder.dimension}\0".encode())
        if self.side:
            digest.update(f"{self.side}\0".encode())
        for code, text in texts.items():
            digest.update(f"{code}\0{text}\n".encode())
        self.key = digest.hexdigest()[:16]
        self._matrix: np.ndarray | None = None
        self._lock = threading.Lock()

    @property
    def file_name(self) -> str:
        model = re.sub(r"[^A-Za-z0-9._-]+", "_", self.embedder.name)
        return f"pkd-{model}-{self.key}.npy"

    def path(self) -> Path | None:
        return None if self.cache_dir is None else self.cache_dir / self.file_name

    def matrix(self) -> np.ndarray:
        """The (texts, dimension) matrix, from memory, the cache file or the model."""
        matrix = self._matrix
        if matrix is None:
            with self._lock:
                if self._matrix is None:
                    path = self.path()
                    loaded = self._load(path) if path and path.exists() else None
                    shipped = SHIPPED / self.file_name
                    if loaded is None and shipped.exists():
                        loaded = self._load(shipped)
                    if loaded is None:
                        loaded = self._embed()
                        if path is not None:
                            _store(path, loaded)
                    self._matrix = loaded
                matrix = self._matrix
        return matrix

    def _embed(self) -> np.ndarray:
        embed = getattr(self.embedder, "embed_passages", self.embedder.embed)
        return np.asarray(embed(self.texts), dtype=np.float32)

    def _load(self, path: Path) -> np.ndarray | None:
        try:
            matrix = np.load(path, allow_pickle=False)
        except (OSError, ValueError):
            return None
        if matrix.shape != (len(self.texts), self.embedder.dimension):
            return None
        return np.asarray(matrix, dtype=np.float32)


def _store(path: Path, matrix: np.ndarray) -> None:
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


def ship(vectors: list[CatalogueVectors], folder: Path = SHIPPED) -> list[Path]:
    """Write these matrices into the package's data (computing them), removing older ones."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {v.file_name for v in vectors}
    for old in folder.glob("pkd-*.npy"):
        if old.name not in wanted:
            old.unlink()
    written = []
    for v in vectors:
        target = folder / v.file_name
        _store(target, v._embed())
        written.append(target)
    return written
