"""The first row of each NIP and REGON in a file, in bounded memory for million-row files.

A dict of int to int costs about 100 bytes per key with its int objects; a 1 000 000-row file
holds close to two million NIPs and REGONs. Up to `spill` keys live in a dict (the fast path,
every file of ordinary size); beyond that they are merged into sorted NumPy arrays at 16 bytes
per key, searched with one `searchsorted` (about half a microsecond).
"""

from __future__ import annotations

import numpy as np

SPILL = 200_000


class FirstRows:
    def __init__(self, spill: int = SPILL) -> None:
        self._spill = spill
        self._recent: dict[int, int] = {}
        self._keys = np.empty(0, dtype=np.int64)
        self._rows = np.empty(0, dtype=np.int64)

    def first(self, key: int, row: int) -> int:
        """The row where `key` first appeared: `row` itself when the key is new (and noted)."""
        found = self._recent.get(key)
        if found is not None:
            return found
        keys = self._keys
        if keys.size:
            at = int(keys.searchsorted(key))
            if at < keys.size and keys[at] == key:
                return int(self._rows[at])
        self._recent[key] = row
        if len(self._recent) >= self._spill:
            self._merge()
        return row

    def __len__(self) -> int:
        return len(self._recent) + int(self._keys.size)

    def _merge(self) -> None:
        recent = self._recent
        keys = np.concatenate([self._keys, np.fromiter(recent.keys(), np.int64, len(recent))])
        rows = np.concatenate([self._rows, np.fromiter(recent.values(), np.int64, len(recent))])
        order = np.argsort(keys, kind="stable")
        self._keys, self._rows = keys[order], rows[order]
        self._recent = {}
