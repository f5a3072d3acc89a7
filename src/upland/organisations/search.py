"""How organisations are found by free text, and in what order.

Every word is indexed as tokens of `upland.textkit.analysis` (surface form, Polish lemma,
English stem), names (`search_name`) apart from the rest (`search_text`). SQLite matches them
with an FTS5 table kept by triggers; PostgreSQL with a generated `search_vector` (names at
weight A) under a GIN index. Both look up the same tokens, so both return the same rows.

Relevance is three tiers, then name: names that begin with the query ("Rol-Mech" →
"Rol-Mech Lublin"; spaces and hyphens ignored, so "rolmech" too), names holding every query
word, then the rest. Whole tiers and a name order keep keyset pages exact and cheap: each
tier is a filter, walked in the name index like any other list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    Text,
    and_,
    bindparam,
    column,
    func,
    literal_column,
    not_,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from upland.organisations.models import Organisation
from upland.textkit.analysis import QueryWord, compact, query_words
from upland.textkit.folding import fold

__all__ = [
    "SEARCH_COPY",
    "QueryWord",
    "fts5_match",
    "has_no_words",
    "index_scan_for_text",
    "name_key",
    "query_terms",
    "relevance_tiers",
    "text_condition",
    "tsquery",
    "vector_matches",
]

EVERY_COLUMN = "{search_name search_text}"
NAME_COLUMN = "search_name"
RELEVANCE_TIERS = 3  # 0: name begins with the query, 1: name has every word, 2: the rest
# PostgreSQL: a narrow copy of each organisation's vector, visibility, places (TERYT codes of
# its headquarters and sites) and facet tokens, kept by triggers (migrations 0014_perf and
# 0025_search_facets), so a text or facet total reads ~1 400 small pages instead of ~15 000
# wide ones.
SEARCH_COPY = table(
    "organisation_search",
    column("organisation_id", Integer),
    column("visibility", String),
    column("places", ARRAY(String)),
    column("search_vector"),
    column("facets", ARRAY(Text)),
)


def name_key(name: str) -> str:
    """Sort key for names: folded, so 'Łuczniczka' sorts with 'L', and case never matters."""
    return fold(name)[:120]


# Double quote marks are no search syntax here: `spaw"anie` is "spawanie" with a stray key.
# (An apostrophe stays a word break, as in the index: "O'Brien" is "o" and "brien".)
_QUOTES = re.compile('["`\u201c\u201d\u201e\u00ab\u00bb]')


def query_terms(q: str) -> list[QueryWord]:
    """The words of a query as index look-ups (at most eight); quote marks are dropped and
    other punctuation separates words, so no character is an operator. An empty list (`"`,
    `&& ||`) means no text condition: callers say so (`has_no_words`) rather than hide it."""
    return query_words(_QUOTES.sub("", q))


def has_no_words(q: str | None) -> bool:
    """A query typed that holds nothing to search for once cleaned: the list shows everything
    and tells the user why."""
    return bool(q and q.strip()) and not query_terms(q or "")


def fts5_match(words: list[QueryWord], columns: str = EVERY_COLUMN) -> str:
    """An FTS5 query: every word as its exact tokens or its surface prefix, in `columns`.

    `{search_name search_text} : (("spawac" OR "spawania"*) AND …)`; the column filter keeps
    a word such as "city" from matching facet tokens (`city0663011`).
    """
    groups = []
    for word in words:
        alternatives = [f'"{token}"' for token in word.exact] + [f'"{word.prefix}"*']
        groups.append("(" + " OR ".join(alternatives) + ")")
    return f"{columns} : (" + " AND ".join(groups) + ")"


def tsquery(words: list[QueryWord], *, names_only: bool = False) -> str:
    """The same look-up as a PostgreSQL tsquery: `(spawac | spawania:*) & …`.

    Tokens are [0-9a-z]+ (`analysis`), so nothing needs quoting. `names_only` restricts every
    lexeme to weight A (the names).
    """
    weight = "A" if names_only else ""
    groups = []
    for word in words:
        alternatives = [f"{token}{':' + weight if weight else ''}" for token in word.exact]
        alternatives.append(f"{word.prefix}:*{weight}")
        groups.append("(" + " | ".join(alternatives) + ")")
    return " & ".join(groups)


def vector_matches(query: str, vector: ColumnElement[Any] | None = None) -> ColumnElement[bool]:
    """`vector @@ query` (PostgreSQL), on `organisation.search_vector` unless told otherwise."""
    if vector is None:
        vector = literal_column("organisation.search_vector")
    parsed = func.to_tsquery(literal_column("'simple'::regconfig"), query)
    return vector.bool_op("@@")(parsed)


def text_condition(
    dialect: str, words: list[QueryWord], *, probe: bool, names_only: bool = False
) -> ColumnElement[bool]:
    """Organisations whose index holds every query word (in their names, if `names_only`).

    `probe` (SQLite) hides the rowid from the planner as `id + 0`, so a page walks the sort
    index and probes the matches instead of fetching and sorting every match (10x faster for
    common words).
    """
    if dialect == "sqlite":
        match = fts5_match(words, NAME_COLUMN if names_only else EVERY_COLUMN)
        ids = text("SELECT rowid FROM organisation_fts WHERE organisation_fts MATCH :m")
        column = Organisation.id + 0 if probe else Organisation.id
        return column.in_(ids.bindparams(bindparam("m", match, unique=True)))
    return vector_matches(tsquery(words, names_only=names_only))


def relevance_tiers(dialect: str, q: str, words: list[QueryWord]) -> list[ColumnElement[bool]]:
    """The conditions of the relevance tiers, best first; each row is in exactly one."""
    begins = func.replace(Organisation.name_key, " ", "").startswith(compact(q), autoescape=True)
    named = text_condition(dialect, words, probe=True, names_only=True)
    return [begins, and_(not_(begins), named), and_(not_(begins), not_(named))]


@contextmanager
def index_scan_for_text(session: Session) -> Iterator[None]:
    """Count text matches through a GIN index of a search vector (PostgreSQL).

    Each row holds its surface form, lemma and stem, so a prefix ("spaw:*") meets several
    tokens of the same row and the planner overestimates the matches several times over
    (65 % of the rows for 28 %): it then scans the table and unpacks every vector from
    TOAST, ~3x slower than visiting only the matching rows. Sequential scans are turned off
    for this one statement (`SET LOCAL`, restored after).
    """
    previous = session.scalar(text("SELECT current_setting('enable_seqscan')"))
    session.execute(text("SELECT set_config('enable_seqscan', 'off', true)"))
    try:
        yield
    finally:
        session.execute(text("SELECT set_config('enable_seqscan', :v, true)"), {"v": previous})
