"""The PKD catalogue embedded by one model: computed once per process (under a lock) and,
with a cache directory, stored as `pkd-<model>-<hash>.npy`, the hash covering the model's name
and dimension, which side of an asymmetric model embedded it, and every code text, so a changed
catalogue, hint or model never reads a stale file. Never downloaded: a missing or damaged file
is recomputed and rewritten."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from upland.textkit.embedding import Embedder

__all__ = ["CatalogueVectors"]


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

    def path(self) -> Path | None:
        if self.cache_dir is None:
            return None
        model = re.sub(r"[^A-Za-z0-9._-]+", "_", self.embedder.name)
        return self.cache_dir / f"pkd-{model}-{self.key}.npy"

    def matrix(self) -> np.ndarray:
        """The (texts, dimension) matrix, from memory, the cache file or the model."""
        matrix = self._matrix
        if matrix is None:
            with self._lock:
                if self._matrix is None:
                    path = self.path()
                    loaded = self._load(path) if path and path.exists() else None
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
