"""market: a narrow copy of the search vectors for text totals (PostgreSQL)

A free-text browse page counts its matches among the live opportunities the reader sees. The
GIN index of `opportunity.search_vector` cannot serve that count: teasers match by title
(weight A, which GIN must recheck against the vector) and the count needs the row's status and
visibility, so PostgreSQL read every live heap page of the wide rows and unpacked each vector
(0.5–0.9 s for "laser" at 100 000 opportunities, `upland bench market`). This table holds one
narrow row per opportunity: the titles' vector and the vector of every text, both moved out
of line, each under its own GIN index. A match is then an `id IN (…)` read from ~800 small
pages with no recheck (the titles have a vector of their own, no weights), and status and
visibility come from `ix_opportunity_browse` alone. Statement triggers on `opportunity` keep it
equal to the row's derived `search_title` / `search_vector` whoever writes; rows go with their
opportunity (ON DELETE CASCADE). SQLite keeps its FTS5 table and gets nothing here.

Self-contained: no application code imported.

Revision ID: 0023_market_search
Revises: 0021_saved
Create Date: 2026-12-03 18:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0023_market_search"
down_revision = "0022_pending_news"
branch_labels = None
depends_on = None
downgrade_loses = "nothing (the narrow search copy is rebuilt from the opportunities)"

UP = [
    """CREATE TABLE opportunity_search (
        opportunity_id integer PRIMARY KEY
            REFERENCES opportunity (id) ON DELETE CASCADE,
        title_vector tsvector NOT NULL,
        text_vector tsvector NOT NULL
    ) WITH (toast_tuple_target = 128)""",
    "ALTER TABLE opportunity_search ALTER COLUMN title_vector SET STORAGE EXTERNAL",
    "ALTER TABLE opportunity_search ALTER COLUMN text_vector SET STORAGE EXTERNAL",
    # One INSERT … SELECT per statement over the transition table (a bulk insert pays one call,
    # not one a row); vectors read from the stored row, as in 0014_perf. Unchanged vectors are
    # left alone, so an update of status or visibility writes nothing here.
    """CREATE FUNCTION opportunity_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO opportunity_search AS kept (opportunity_id, title_vector, text_vector)
        SELECT o.id, to_tsvector('simple'::regconfig, o.search_title), o.search_vector
        FROM opportunity AS o WHERE o.id IN (SELECT id FROM changed)
        ON CONFLICT (opportunity_id) DO UPDATE
            SET title_vector = EXCLUDED.title_vector, text_vector = EXCLUDED.text_vector
            WHERE kept.title_vector IS DISTINCT FROM EXCLUDED.title_vector
                OR kept.text_vector IS DISTINCT FROM EXCLUDED.text_vector;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER opportunity_search_insert AFTER INSERT ON opportunity
        REFERENCING NEW TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION opportunity_search_sync()""",
    """CREATE TRIGGER opportunity_search_update AFTER UPDATE ON opportunity
        REFERENCING NEW TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION opportunity_search_sync()""",
    """INSERT INTO opportunity_search (opportunity_id, title_vector, text_vector)
        SELECT id, to_tsvector('simple'::regconfig, search_title), search_vector
        FROM opportunity""",
    "CREATE INDEX ix_opportunity_search_title ON opportunity_search USING gin (title_vector)",
    "CREATE INDEX ix_opportunity_search_text ON opportunity_search USING gin (text_vector)",
]
DOWN = [
    "DROP TRIGGER IF EXISTS opportunity_search_update ON opportunity",
    "DROP TRIGGER IF EXISTS opportunity_search_insert ON opportunity",
    "DROP FUNCTION IF EXISTS opportunity_search_sync()",
    "DROP TABLE IF EXISTS opportunity_search",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in UP:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in DOWN:
        op.execute(statement)
