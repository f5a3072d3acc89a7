"""organisations: a narrow copy of the search vector and visibility for text totals (PostgreSQL)

Counting 20 000+ free-text matches through `organisation.search_vector`'s GIN index still
visits every matching heap page of the wide organisation rows (~15 000 pages at 100 000
organisations; PostgreSQL 15 fetches each page even when only a count is wanted). This table
holds one narrow row per organisation (id, visibility, the TERYT codes of its headquarters and
sites, the vector moved out of line), so the same bitmap scan visits ~1 400 small pages and never
reads the vectors (a plain tsquery needs no recheck), and the visibility rule can be applied to
the copy alone (a city officer's partner area is a prefix of one of `places`). Statement
triggers on `organisation` and `site` keep it equal to them whoever writes; rows go with their
organisation (ON DELETE CASCADE). SQLite counts through its FTS5 table and gets nothing here.

Self-contained: no application code imported.

Revision ID: 0014_perf
Revises: 0013
Create Date: 2026-12-03 08:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0014_perf"
down_revision = "0013"
branch_labels = None
depends_on = None
downgrade_loses = "nothing (the narrow search copy is rebuilt from the organisations)"

UP = [
    # toast_tuple_target + EXTERNAL: every vector leaves the heap row, uncompressed, so a row
    # is ~100 bytes and a count reads only these.
    """CREATE TABLE organisation_search (
        organisation_id integer PRIMARY KEY
            REFERENCES organisation (id) ON DELETE CASCADE,
        visibility varchar(12) NOT NULL,
        places varchar(7)[] NOT NULL,
        search_vector tsvector NOT NULL
    ) WITH (toast_tuple_target = 128)""",
    "ALTER TABLE organisation_search ALTER COLUMN search_vector SET STORAGE EXTERNAL",
    # Where an organisation sits, as the visibility rule reads it: its headquarters' code and
    # every site's, distinct and sorted (so an unchanged set compares equal).
    """CREATE FUNCTION organisation_places(organisation integer, headquarters varchar)
        RETURNS varchar(7)[] LANGUAGE sql STABLE AS $$
        SELECT coalesce(array_agg(DISTINCT place ORDER BY place), '{}')
        FROM (
            SELECT headquarters
            UNION ALL
            SELECT teryt FROM site WHERE organisation_id = organisation
        ) AS places (place)
        WHERE place IS NOT NULL
    $$""",
    # Statement triggers over the transition table: one INSERT … SELECT per statement, so a
    # bulk import's multi-row INSERTs do not pay a PL/pgSQL call per row. The vector is read
    # from the stored row, not from the transition table: there it is the untoasted value, and
    # a copy row under 2 kB is never toasted (toast_tuple_target only applies once a row is
    # over that or holds an out-of-line value), so every vector would stay in the copy's heap
    # (~23 500 pages instead of ~1 000 at 100 000 organisations). Stored, a long organisation
    # row's vector is out of line already, and the copy moves it out of its own row too.
    """CREATE FUNCTION organisation_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO organisation_search AS kept
            (organisation_id, visibility, places, search_vector)
        SELECT o.id, o.visibility, organisation_places(o.id, o.teryt), o.search_vector
        FROM organisation AS o WHERE o.id IN (SELECT id FROM changed)
        ON CONFLICT (organisation_id) DO UPDATE
            SET visibility = EXCLUDED.visibility, places = EXCLUDED.places,
                search_vector = EXCLUDED.search_vector
            WHERE kept.visibility IS DISTINCT FROM EXCLUDED.visibility
                OR kept.places IS DISTINCT FROM EXCLUDED.places
                OR kept.search_vector IS DISTINCT FROM EXCLUDED.search_vector;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER organisation_search_insert AFTER INSERT ON organisation
        REFERENCING NEW TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION organisation_search_sync()""",
    """CREATE TRIGGER organisation_search_update AFTER UPDATE ON organisation
        REFERENCING NEW TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION organisation_search_sync()""",
    # A site added, moved or removed changes where its organisation sits. (An organisation's
    # deletion takes its copy row first: the update then finds nothing.)
    """CREATE FUNCTION organisation_search_sites() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE organisation_search AS kept
            SET places = organisation_places(o.id, o.teryt)
            FROM organisation AS o
            WHERE o.id = kept.organisation_id
                AND kept.organisation_id IN (SELECT organisation_id FROM changed)
                AND kept.places IS DISTINCT FROM organisation_places(o.id, o.teryt);
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER organisation_search_site_insert AFTER INSERT ON site
        REFERENCING NEW TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION organisation_search_sites()""",
    """CREATE TRIGGER organisation_search_site_update AFTER UPDATE ON site
        REFERENCING NEW TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION organisation_search_sites()""",
    """CREATE TRIGGER organisation_search_site_moved AFTER UPDATE ON site
        REFERENCING OLD TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION organisation_search_sites()""",
    """CREATE TRIGGER organisation_search_site_delete AFTER DELETE ON site
        REFERENCING OLD TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION organisation_search_sites()""",
    """INSERT INTO organisation_search (organisation_id, visibility, places, search_vector)
        SELECT id, visibility, organisation_places(id, teryt), search_vector FROM organisation""",
    "CREATE INDEX ix_organisation_search_vector ON organisation_search USING gin (search_vector)",
]
DOWN = [
    "DROP TRIGGER IF EXISTS organisation_search_site_delete ON site",
    "DROP TRIGGER IF EXISTS organisation_search_site_moved ON site",
    "DROP TRIGGER IF EXISTS organisation_search_site_update ON site",
    "DROP TRIGGER IF EXISTS organisation_search_site_insert ON site",
    "DROP FUNCTION IF EXISTS organisation_search_sites()",
    "DROP TRIGGER IF EXISTS organisation_search_update ON organisation",
    "DROP TRIGGER IF EXISTS organisation_search_insert ON organisation",
    "DROP FUNCTION IF EXISTS organisation_search_sync()",
    "DROP TABLE IF EXISTS organisation_search",
    "DROP FUNCTION IF EXISTS organisation_places(integer, varchar)",
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
