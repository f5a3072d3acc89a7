"""organisations: a stamp of the narrow search copy, so an exact total can be kept (PostgreSQL)

A free-text or facet total (`organisations.text_totals`) visits every matching page of
`organisation_search`: ~15–20 ms for 20 000+ matches at 100 000 organisations, paid again on
every page of the same search. The copy now has a stamp that changes with every committed
change to it, whoever writes (any web or worker process, an import, an edit straight on the
rows), so a total counted under one stamp can be kept and reused while the stamp stands:

- `organisation_search_stamp` holds one row: a random number, set anew once per transaction
  that changed the copy, at its commit (a deferred constraint trigger: the row is locked only
  while committing, so writers that lock organisations in different orders cannot deadlock on
  it). A random stamp names one committed state: a backup restored with its stamp brings back
  the very state that stamp named;
- a statement trigger marks the writing transaction (`upland.search_copy_written`, a random
  number per statement, undone with its transaction or savepoint), read beside the stamp: a
  count inside that transaction sees changes nobody else does yet;
- TRUNCATE sets the stamp at once (no row triggers fire for it).

Self-contained: no application code imported.

Revision ID: 0036_search_copy_stamp
Revises: 0035_session_places
Create Date: 2026-12-04 15:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0036_search_copy_stamp"
down_revision = "0035_session_places"
branch_labels = None
depends_on = None
downgrade_loses = "nothing (the stamp only lets totals be kept)"

RANDOM = "floor(random() * 9e15)::bigint"
UP = [
    """CREATE TABLE organisation_search_stamp (
        id smallint PRIMARY KEY CHECK (id = 1),
        stamp bigint NOT NULL
    )""",
    f"INSERT INTO organisation_search_stamp (id, stamp) VALUES (1, {RANDOM})",
    f"""CREATE FUNCTION organisation_search_written() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM set_config('upland.search_copy_written', ({RANDOM})::text, true);
        IF TG_OP = 'TRUNCATE' THEN
            UPDATE organisation_search_stamp SET stamp = {RANDOM};
        END IF;
        RETURN NULL;
    END $$""",
    f"""CREATE FUNCTION organisation_search_commit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('upland.search_copy_stamped', true) IS DISTINCT FROM '1' THEN
            PERFORM set_config('upland.search_copy_stamped', '1', true);
            UPDATE organisation_search_stamp SET stamp = {RANDOM};
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER organisation_search_written
        AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisation_search
        FOR EACH STATEMENT EXECUTE FUNCTION organisation_search_written()""",
    """CREATE CONSTRAINT TRIGGER organisation_search_commit
        AFTER INSERT OR UPDATE OR DELETE ON organisation_search
        DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW EXECUTE FUNCTION organisation_search_commit()""",
]
DOWN = [
    "DROP TRIGGER IF EXISTS organisation_search_commit ON organisation_search",
    "DROP TRIGGER IF EXISTS organisation_search_written ON organisation_search",
    "DROP FUNCTION IF EXISTS organisation_search_commit()",
    "DROP FUNCTION IF EXISTS organisation_search_written()",
    "DROP TABLE IF EXISTS organisation_search_stamp",
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
