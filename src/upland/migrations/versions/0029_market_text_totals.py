"""market: what the visibility rule reads, beside the search copy, for free-text totals

A free-text browse page counts its matches among the live opportunities the reader sees. The
matches came from the text index (FTS5 on SQLite, `opportunity_search`'s GIN indexes on
PostgreSQL), but status, expiry and visibility from the wide `opportunity` rows: SQLite looked
each FTS5 match up in a ~2 kB row, PostgreSQL walked the 55 000 live entries of
`ix_opportunity_browse` and probed the set of matches for each (50–86 ms p95 at 100 000
opportunities on a quiet machine, `upland bench market`). `opportunity_search` now carries, per
opportunity, what the rule and liveness need: status, visibility, expiry, kind, owner and the
owner's place (`teryt`, for a city officer's partner area); named organisations stay in
`opportunity_named`, read by id. On PostgreSQL the columns join the vectors' narrow rows, so a
total is one bitmap scan of the text's GIN index over narrow heap pages; SQLite gets a narrow
table of the same name keyed by the opportunity's id (its words stay in FTS5), so a total looks
each match up in ~50-byte rows.

Triggers keep it whoever writes: on PostgreSQL the statement triggers of 0023 copy the new
columns too (vectors are rewritten only when they changed, so an expiry leaves their
out-of-line values alone, and are pushed out of line when written: see `PAD`), and a
partial GIN index holds the titles of restricted opportunities, the only ones a teaser is
matched by; on SQLite row triggers copy an inserted opportunity and every change of those
columns. Rows go with their opportunity (ON DELETE CASCADE, as SQLite runs with
foreign keys on). Self-contained: no application code imported.

Revision ID: 0029_market_text_totals
Revises: 0028_matching_vectors
Create Date: 2026-12-04 03:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0029_market_text_totals"
down_revision = "0028_matching_vectors"
branch_labels = None
depends_on = None
downgrade_loses = "nothing (the copied columns are rebuilt from the opportunities)"

COLUMNS = ("status", "visibility", "expires_on", "kind", "owner_id", "teryt")
TYPES = {
    "status": "varchar(12)",
    "visibility": "varchar(12)",
    "expires_on": "date",
    "kind": "varchar(24)",
    "owner_id": "integer",
    "teryt": "varchar(7)",
    "pad": "text",
}
NOT_NULL = ("status", "visibility", "kind", "owner_id")
LISTED = ", ".join(COLUMNS)

# --- SQLite: a narrow table keyed by the opportunity's id (the rowid), kept by row triggers ---

SQLITE_UP = [
    f"""CREATE TABLE opportunity_search (
        opportunity_id INTEGER NOT NULL PRIMARY KEY
            REFERENCES opportunity (id) ON DELETE CASCADE,
        {", ".join(f"{c} {TYPES[c]}{' NOT NULL' if c in NOT_NULL else ''}" for c in COLUMNS)}
    )""",
    f"""CREATE TRIGGER opportunity_search_insert AFTER INSERT ON opportunity BEGIN
        INSERT INTO opportunity_search (opportunity_id, {LISTED})
        VALUES (new.id, {", ".join(f"new.{c}" for c in COLUMNS)});
    END""",
    f"""CREATE TRIGGER opportunity_search_update AFTER UPDATE OF {LISTED} ON opportunity BEGIN
        UPDATE opportunity_search SET {", ".join(f"{c} = new.{c}" for c in COLUMNS)}
        WHERE opportunity_id = new.id;
    END""",
    f"""INSERT INTO opportunity_search (opportunity_id, {LISTED})
        SELECT id, {LISTED} FROM opportunity""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS opportunity_search_update",
    "DROP TRIGGER IF EXISTS opportunity_search_insert",
    "DROP TABLE IF EXISTS opportunity_search",
]

# --- PostgreSQL: the same columns on the vectors' copy, kept by 0023's statement triggers ---

# A copy row is narrow only when its vectors are out of line, and PostgreSQL moves values out
# of line only from a row over ~2 kB (`toast_tuple_target` then says how far) or one holding an
# out-of-line value already. A vector read from an opportunity row that kept it inline (a sixth
# of the bench's rows) made a copy row of 1–1.8 kB: 4 572 heap pages for 100 000 rows, each
# read by a count. So a row whose vectors are written is written with `pad`, 2 100 bytes that
# take it over the threshold: PostgreSQL then compresses `pad` to 35 bytes and moves the
# vectors out until the row is under `toast_tuple_target` (256 bytes), and the row stays at
# 143–163 bytes. (Clearing `pad` by a second write instead put the second versions on new
# pages during a bulk load: 1 743 pages for its first 50 000 rows, twice the compact size.)
PAD = "repeat('-', 2100)"

_KEEP_VECTOR = (
    "{v} = CASE WHEN kept.{v} IS DISTINCT FROM EXCLUDED.{v} THEN EXCLUDED.{v} ELSE kept.{v} END"
)
_ALL = ("title_vector", "text_vector", *COLUMNS)


def _sync(with_columns: bool) -> str:
    """The trigger function of 0023, copying `COLUMNS` too (`with_columns`) or not (0023's)."""
    if not with_columns:
        return """CREATE OR REPLACE FUNCTION opportunity_search_sync() RETURNS trigger
        LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO opportunity_search AS kept (opportunity_id, title_vector, text_vector)
        SELECT o.id, to_tsvector('simple'::regconfig, o.search_title), o.search_vector
        FROM opportunity AS o WHERE o.id IN (SELECT id FROM changed)
        ON CONFLICT (opportunity_id) DO UPDATE
            SET title_vector = EXCLUDED.title_vector, text_vector = EXCLUDED.text_vector
            WHERE kept.title_vector IS DISTINCT FROM EXCLUDED.title_vector
                OR kept.text_vector IS DISTINCT FROM EXCLUDED.text_vector;
        RETURN NULL;
    END $$"""
    # A vector that did not change keeps its stored (out-of-line) value: assigning the freshly
    # read one would write it to TOAST again at every expiry or visibility change.
    vectors_changed = (
        "(kept.title_vector, kept.text_vector)"
        " IS DISTINCT FROM (EXCLUDED.title_vector, EXCLUDED.text_vector)"
    )
    updates = ", ".join(
        [_KEEP_VECTOR.format(v="title_vector"), _KEEP_VECTOR.format(v="text_vector")]
        + [f"{c} = EXCLUDED.{c}" for c in COLUMNS]
        + [f"pad = CASE WHEN {vectors_changed} THEN EXCLUDED.pad ELSE kept.pad END"]
    )
    return f"""CREATE OR REPLACE FUNCTION opportunity_search_sync() RETURNS trigger
        LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO opportunity_search AS kept
            (opportunity_id, title_vector, text_vector, {LISTED}, pad)
        SELECT o.id, to_tsvector('simple'::regconfig, o.search_title), o.search_vector,
            {", ".join(f"o.{c}" for c in COLUMNS)}, {PAD}
        FROM opportunity AS o WHERE o.id IN (SELECT id FROM changed)
        ON CONFLICT (opportunity_id) DO UPDATE SET {updates}
            WHERE ({", ".join(f"kept.{c}" for c in _ALL)})
                IS DISTINCT FROM ({", ".join(f"EXCLUDED.{c}" for c in _ALL)});
        RETURN NULL;
    END $$"""


POSTGRES_UP = [
    "ALTER TABLE opportunity_search "
    + ", ".join(f"ADD COLUMN {c} {TYPES[c]}" for c in (*COLUMNS, "pad")),
    "ALTER TABLE opportunity_search SET (toast_tuple_target = 256)",
    f"""UPDATE opportunity_search AS s SET {", ".join(f"{c} = o.{c}" for c in COLUMNS)},
        pad = {PAD} FROM opportunity AS o WHERE o.id = s.opportunity_id""",
    "ALTER TABLE opportunity_search "
    + ", ".join(f"ALTER COLUMN {c} SET NOT NULL" for c in NOT_NULL),
    _sync(with_columns=True),
    # A teaser is matched by its titles: the restricted ones' titles, under an index of their
    # own, are a tenth of the titles' matches to read.
    """CREATE INDEX ix_opportunity_search_teaser ON opportunity_search
        USING gin (title_vector) WHERE visibility = 'restricted'""",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS ix_opportunity_search_teaser",
    "ALTER TABLE opportunity_search SET (toast_tuple_target = 128)",
    _sync(with_columns=False),
    "ALTER TABLE opportunity_search " + ", ".join(f"DROP COLUMN {c}" for c in (*COLUMNS, "pad")),
]


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRES_UP if postgres else SQLITE_UP:
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRES_DOWN if postgres else SQLITE_DOWN:
        op.execute(statement)
