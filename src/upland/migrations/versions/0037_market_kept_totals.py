"""market: a stamp of the opportunities' state, so the browse list's totals can be kept

The total of the unfiltered browse list, and of one kind, counted every live entry of
`ix_opportunity_browse` at every request (55 000 at 100 000 opportunities: 20–60 ms). Its part
that is the same for every reader — how many live opportunities each visibility level and kind
has on a day — is now kept in the process (`market.kept_totals`) under a stamp that changes
with every write that can change it, whoever writes: `opportunity_stamp`, one row.

SQLite: row triggers on `opportunity` (insert, delete, an update of status, visibility, expiry
or kind) set the stamp to a new random number, so a reader sees a new stamp after each such
write, its own uncommitted ones included (one writer at a time: the row is no contention).

PostgreSQL: a writer must not hold the row from its first write to its commit (writers would
queue on it, and two that touch the same opportunities could deadlock). A statement trigger
marks the writing transaction with a transaction-local setting (`upland.opportunity_written`,
a new random number per statement: undone with the transaction or its savepoint), which a
reader of its own writes reads beside the stamp; a deferred constraint trigger changes the
stamp once per transaction, at its commit.

Self-contained: no application code imported.

Revision ID: 0037_market_kept_totals
Revises: 0036_search_copy_stamp
Create Date: 2026-12-04 15:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0037_market_kept_totals"
down_revision = "0036_search_copy_stamp"
branch_labels = None
depends_on = None
downgrade_loses = "nothing (the stamp only says when the opportunities last changed)"

WATCHED = "status, visibility, expires_on, kind"
TABLE = """CREATE TABLE opportunity_stamp (
    id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    stamp BIGINT NOT NULL
)"""

SQLITE_UP = [
    TABLE,
    "INSERT INTO opportunity_stamp (id, stamp) VALUES (1, random())",
    *(
        f"""CREATE TRIGGER opportunity_stamp_{name} AFTER {event} ON opportunity BEGIN
            UPDATE opportunity_stamp SET stamp = random();
        END"""
        for name, event in (
            ("insert", "INSERT"),
            ("delete", "DELETE"),
            ("update", f"UPDATE OF {WATCHED}"),
        )
    ),
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS opportunity_stamp_update",
    "DROP TRIGGER IF EXISTS opportunity_stamp_delete",
    "DROP TRIGGER IF EXISTS opportunity_stamp_insert",
    "DROP TABLE IF EXISTS opportunity_stamp",
]

RANDOM = "floor(random() * 9e15)::bigint"
POSTGRES_UP = [
    TABLE,
    f"INSERT INTO opportunity_stamp (id, stamp) VALUES (1, {RANDOM})",
    f"""CREATE FUNCTION opportunity_stamp_written() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM set_config('upland.opportunity_written', ({RANDOM})::text, true);
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER opportunity_stamp_written
        AFTER INSERT OR DELETE OR UPDATE OF {WATCHED} ON opportunity
        FOR EACH STATEMENT EXECUTE FUNCTION opportunity_stamp_written()""",
    f"""CREATE FUNCTION opportunity_stamp_commit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('upland.opportunity_stamped', true) IS DISTINCT FROM '1' THEN
            PERFORM set_config('upland.opportunity_stamped', '1', true);
            UPDATE opportunity_stamp SET stamp = {RANDOM};
        END IF;
        RETURN NULL;
    END $$""",
    f"""CREATE CONSTRAINT TRIGGER opportunity_stamp_commit
        AFTER INSERT OR DELETE OR UPDATE OF {WATCHED} ON opportunity
        DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW EXECUTE FUNCTION opportunity_stamp_commit()""",
    f"""CREATE FUNCTION opportunity_stamp_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE opportunity_stamp SET stamp = {RANDOM};
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER opportunity_stamp_truncate AFTER TRUNCATE ON opportunity
        FOR EACH STATEMENT EXECUTE FUNCTION opportunity_stamp_truncate()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS opportunity_stamp_truncate ON opportunity",
    "DROP TRIGGER IF EXISTS opportunity_stamp_commit ON opportunity",
    "DROP TRIGGER IF EXISTS opportunity_stamp_written ON opportunity",
    "DROP FUNCTION IF EXISTS opportunity_stamp_truncate()",
    "DROP FUNCTION IF EXISTS opportunity_stamp_commit()",
    "DROP FUNCTION IF EXISTS opportunity_stamp_written()",
    "DROP TABLE IF EXISTS opportunity_stamp",
]


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRES_UP if postgres else SQLITE_UP:
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRES_DOWN if postgres else SQLITE_DOWN:
        op.execute(statement)
