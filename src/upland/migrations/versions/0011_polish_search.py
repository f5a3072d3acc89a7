"""search that understands Polish: lemma/stem tokens, names apart, tsvector on PostgreSQL

`organisation.search_name` (new) and `organisation.search_text` now hold the tokens of
`upland.textkit.analysis` (surface form, Polish lemma, English stem of every word) instead of
folded text. SQLite's FTS table gets the name column (weighed apart in relevance); PostgreSQL
gets a stored, generated `search_vector` (names at weight A) with a GIN index, replacing the
trigram index. Existing organisations are re-analysed here by a frozen copy of the analyser
as it is at this revision (a migration never imports application code, which moves on);
`upland search reindex` re-analyses with the live analyser whenever it changes.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 04:00:00
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
# What `upland db downgrade` warns that reverting this migration removes.
downgrade_loses = (
    "the lemmatised search index and organisation.search_name (search falls back to the "
    "surface words; run `upland search reindex` after upgrading again; no data lost)"
)
branch_labels = None
depends_on = None

DROP_FTS = [
    "DROP TRIGGER IF EXISTS organisation_fts_update",
    "DROP TRIGGER IF EXISTS organisation_fts_delete",
    "DROP TRIGGER IF EXISTS organisation_fts_insert",
    "DROP TABLE IF EXISTS organisation_fts",
]
POSTGRES_UP = [
    "DROP INDEX IF EXISTS ix_organisation_search_trgm",
    # Weights live on positions, so the vector keeps them (array_to_tsvector's positionless
    # lexemes would lose the names' weight A).
    """ALTER TABLE organisation ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, search_name), 'A')
        || to_tsvector('simple'::regconfig, search_text)) STORED""",
    "CREATE INDEX search_vector_gin ON organisation USING gin (search_vector)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS search_vector_gin",
    "ALTER TABLE organisation DROP COLUMN IF EXISTS search_vector",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_organisation_search_trgm ON organisation USING gin (search_text gin_trgm_ops)",
]


def _fts(columns: list[str]) -> list[str]:
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [
        f"""CREATE VIRTUAL TABLE organisation_fts USING fts5(
            {names}, content='organisation', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2', prefix='2 3')""",
        f"""CREATE TRIGGER organisation_fts_insert AFTER INSERT ON organisation BEGIN
            INSERT INTO organisation_fts(rowid, {names}) VALUES (new.id, {new});
        END""",
        f"""CREATE TRIGGER organisation_fts_delete AFTER DELETE ON organisation BEGIN
            INSERT INTO organisation_fts(organisation_fts, rowid, {names})
            VALUES ('delete', old.id, {old});
        END""",
        f"""CREATE TRIGGER organisation_fts_update AFTER UPDATE OF {names} ON organisation
        BEGIN
            INSERT INTO organisation_fts(organisation_fts, rowid, {names})
            VALUES ('delete', old.id, {old});
            INSERT INTO organisation_fts(rowid, {names}) VALUES (new.id, {new});
        END""",
        "INSERT INTO organisation_fts(organisation_fts) VALUES ('rebuild')",
    ]


# --- the analyser as it is at this revision (upland.textkit.analysis) ----------------------------

_OVERRIDES = {
    "lublinie": "lublin",
    "lublina": "lublin",
    "lublinem": "lublin",
    "radomiu": "radom",
    "radomia": "radom",
    "radomiem": "radom",
    "starachowicach": "starachowice",
    "starachowic": "starachowice",
    "starachowicami": "starachowice",
    "kielcach": "kielce",
    "kielc": "kielce",
    "kielcami": "kielce",
    "kielec": "kielce",
    "świdniku": "świdnik",
    "świdnika": "świdnik",
    "kraśniku": "kraśnik",
    "kraśnika": "kraśnik",
    "puławach": "puławy",
    "puław": "puławy",
    "skarżysku": "skarżysko",
    "skarżyska": "skarżysko",
    "ostrowcu": "ostrowiec",
    "ostrowca": "ostrowiec",
    "przyczep": "przyczepa",
    "wały": "wał",
    "wałów": "wał",
    "radom": "radom",
    "skarżysko": "skarżysko",
    "zwoleń": "zwoleń",
    "zwolenia": "zwoleń",
    "zwoleniu": "zwoleń",
    "pionki": "pionki",
    "pionkach": "pionki",
}
_EXTRA = str.maketrans({"ł": "l", "Ł": "l", "đ": "d", "ø": "o", "ß": "ss"})
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"[0-9a-z]+")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", stripped.lower()).split())


def _lemma(word: str) -> str:
    if word in _OVERRIDES:
        return _OVERRIDES[word]
    if not word.isalpha():
        return word
    import simplemma

    lemma = str(simplemma.lemmatize(word, lang="pl")).lower()
    if lemma != word:
        lemma = _OVERRIDES.get(lemma, lemma)
        again = str(simplemma.lemmatize(lemma, lang="pl")).lower()
        if again.endswith("ć"):
            lemma = again
    return lemma


@lru_cache(maxsize=1 << 16)
def _word_tokens(word: str) -> tuple[str, ...]:
    import snowballstemmer

    stemmer = snowballstemmer.stemmer("english")
    tokens: list[str] = []
    for surface in _TOKEN.findall(_fold(word)):
        tokens.append(surface)
        if surface.isalpha():
            tokens.extend(_TOKEN.findall(_fold(_lemma(word))))
            tokens.append(str(stemmer.stemWord(surface)))
    return tuple(dict.fromkeys(tokens))


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("_", " "))


def _index_tokens(texts: Iterable[str]) -> str:
    tokens: dict[str, None] = {}
    for text in texts:
        for word in _words(text or ""):
            tokens.update(dict.fromkeys(_word_tokens(word)))
    return " ".join(tokens)


def _name_tokens(names: Iterable[str]) -> str:
    tokens: dict[str, None] = {}
    for name in names:
        words = _words(name or "")
        for word in words:
            tokens.update(dict.fromkeys(_word_tokens(word)))
        surfaces = [s for word in words for s in _TOKEN.findall(_fold(word))]
        tokens.update(dict.fromkeys(a + b for a, b in pairwise(surfaces)))
    return " ".join(tokens)


def _reanalyse(bind: sa.Connection) -> None:
    """search_name and search_text of every organisation, from its columns and children."""
    if not bind.scalar(sa.text("SELECT count(*) FROM organisation")):
        return  # a new database: no dictionary to load
    labels: dict[int, list[str]] = defaultdict(list)
    for org_id, label, name_pl, name_en in bind.execute(
        sa.text(
            "SELECT c.organisation_id, c.label, t.name_pl, t.name_en "
            "FROM organisation_capability c LEFT JOIN capability_term t ON t.id = c.term_id "
            "ORDER BY c.id"
        )
    ):
        labels[org_id].append(label or "")
        if name_pl is not None:
            labels[org_id].append(f"{name_pl} {name_en}")
    rows = bind.execute(
        sa.text(
            "SELECT o.id, o.legal_name, o.short_name, o.nip, o.regon, o.description_pl, "
            "o.description_en, o.capacity_notes, m.name AS city "
            "FROM organisation o LEFT JOIN municipality m ON m.teryt = o.teryt"
        )
    ).mappings()
    updates: list[dict[str, Any]] = []
    for row in rows:
        parts = [row["nip"], row["regon"], row["city"]]
        parts += [row[c] for c in ("description_pl", "description_en", "capacity_notes")]
        updates.append(
            {
                "b_id": row["id"],
                "name": _name_tokens((row["legal_name"], row["short_name"])),
                "text": _index_tokens([p for p in parts if p] + labels[row["id"]]),
            }
        )
    statement = "UPDATE organisation SET search_name = :name, search_text = :text WHERE id = :b_id"
    for start in range(0, len(updates), 1000):
        bind.execute(sa.text(statement), updates[start : start + 1000])


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        _run(DROP_FTS)
    op.add_column(
        "organisation", sa.Column("search_name", sa.Text(), nullable=False, server_default="")
    )
    _reanalyse(bind)
    _run(_fts(["search_name", "search_text", "facets"]) if sqlite else POSTGRES_UP)


def downgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    _run(DROP_FTS if sqlite else POSTGRES_DOWN)
    op.execute("UPDATE organisation SET search_text = search_name || ' ' || search_text")
    op.drop_column("organisation", "search_name")
    if sqlite:
        _run(_fts(["search_text", "facets"]))
