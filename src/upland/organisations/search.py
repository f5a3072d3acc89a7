"""How organisations are found by free text: one folded text column, indexed per backend.

SQLite uses an FTS5 table kept by triggers (prefix queries); PostgreSQL a trigram GIN index.
Both see the same folded text, so results agree across backends.
"""

from __future__ import annotations

from collections.abc import Iterable

from upland.textkit.folding import fold


def name_key(name: str) -> str:
    """Sort key for names: folded, so 'Łuczniczka' sorts with 'L', and case never matters."""
    return fold(name)[:120]


def build_search_text(parts: Iterable[str]) -> str:
    return " ".join(fold(p) for p in parts if p)


def query_terms(q: str) -> list[str]:
    """Folded words of a query, without FTS5 syntax characters, at most eight of them."""
    return [w for w in fold(q).split() if w][:8]


def fts5_match(terms: list[str]) -> str:
    """Every term as a quoted prefix query on the text column: `search_text : ("stal"* AND …)`.

    The column filter keeps a word such as "city" from matching facet tokens (`city0663011`).
    """
    return "search_text : (" + " AND ".join(f'"{t}"*' for t in terms) + ")"
