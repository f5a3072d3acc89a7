"""market: facet rows for the totals of PKD and place-of-interest filters

A browse page filtered by a PKD code or a city of interest counts its exact total among the
live opportunities the reader sees. In SQL that built the set of every opportunity with such a
child row (45 000 ids for PKD division 25 at 100 000 opportunities) and probed it for each of
the 55 000 live entries of `ix_opportunity_browse`: 150–300 ms on SQLite, 70–160 ms on
PostgreSQL (`upland bench market`). `opportunity_facet` holds one narrow row per opportunity and
filter value it answers to — `pkd:C` (section), `pkd:25`, `pkd:25.6`, `pkd:25.62`, `pkd:25.62.Z`
(every prefix a PKD filter takes), `place:0663011` (each place of interest) — with the row's
status, visibility, expiry and kind beside it, so such a total is one range of
`ix_opportunity_facet_count`, read from the index alone (the registry's facet tokens, 0005, as
rows of a B-tree rather than words of a text index, so both databases count them the same way).

Triggers keep it whoever writes: a change to an opportunity's PKD codes or places rebuilds that
opportunity's rows from the tokens its children give; a
change of status, visibility, expiry or kind is copied to its rows. Rows go with their
opportunity (ON DELETE CASCADE). Self-contained: no application code imported.

Revision ID: 0026_market_facets
Revises: 0025_search_facets
Create Date: 2026-12-03 22:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0026_market_facets"
down_revision = "0025_search_facets"
branch_labels = None
depends_on = None
downgrade_loses = (
    "nothing (the facet rows are rebuilt from the opportunities' PKD codes and places)"
)

TABLE = """CREATE TABLE opportunity_facet (
    token varchar(20) NOT NULL,
    opportunity_id integer NOT NULL REFERENCES opportunity (id) ON DELETE CASCADE,
    status varchar(12) NOT NULL,
    visibility varchar(12) NOT NULL,
    expires_on date,
    kind varchar(24) NOT NULL,
    PRIMARY KEY (opportunity_id, token)
)"""
# Status and visibility are matched by equality, the expiry by a range: a total reads one
# stretch of the index per visibility level and never the table.
INDEX = """CREATE INDEX ix_opportunity_facet_count ON opportunity_facet
    (token, status, visibility, expires_on, kind, opportunity_id)"""
# What each child row answers to: a PKD code its section and each prefix a filter may name
# (2, 4, 5 and 7 characters: 25, 25.6, 25.62, 25.62.Z), a place of interest its TERYT code.
# The set of opportunities sits inside each branch, so each reads its children by index (a
# view of the union was built whole by SQLite for each trigger call).
SOURCE = """SELECT opportunity_id, 'pkd:' || section AS token FROM opportunity_pkd
    WHERE opportunity_id IN ({ids}) AND section IS NOT NULL AND section <> ''
    UNION ALL
    SELECT p.opportunity_id, 'pkd:' || substr(p.code, 1, n.size) FROM opportunity_pkd AS p
    JOIN (SELECT 2 AS size UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 7) AS n
        ON length(p.code) >= n.size
    WHERE p.opportunity_id IN ({ids})
    UNION ALL
    SELECT opportunity_id, 'place:' || teryt FROM opportunity_place
    WHERE opportunity_id IN ({ids})"""


def _rebuild(ids: str) -> list[str]:
    """The statements that make the facet rows of the opportunities `ids` (an SQL set) anew."""
    return [
        f"DELETE FROM opportunity_facet WHERE opportunity_id IN ({ids})",
        f"""INSERT INTO opportunity_facet
            (token, opportunity_id, status, visibility, expires_on, kind)
        SELECT DISTINCT s.token, o.id, o.status, o.visibility, o.expires_on, o.kind
        FROM ({SOURCE.format(ids=ids)}) AS s JOIN opportunity AS o ON o.id = s.opportunity_id""",
    ]


COPY_COLUMNS = """status = {row}.status, visibility = {row}.visibility,
    expires_on = {row}.expires_on, kind = {row}.kind"""
CHILDREN = ("opportunity_pkd", "opportunity_place")


def _sqlite_child_triggers(child: str) -> list[str]:
    made = []
    for event, row in (("INSERT", "new"), ("DELETE", "old"), ("UPDATE", "new")):
        body = _rebuild(f"SELECT {row}.opportunity_id")
        if event == "UPDATE":  # a row moved to another opportunity leaves the old one too
            body = _rebuild("SELECT old.opportunity_id") + body
        made.append(
            f"""CREATE TRIGGER {child}_facet_{event.lower()} AFTER {event} ON {child} BEGIN
                {";".join(body)};
            END"""
        )
    return made


SQLITE_UP = [
    TABLE,
    INDEX,
    *(trigger for child in CHILDREN for trigger in _sqlite_child_triggers(child)),
    f"""CREATE TRIGGER opportunity_facet_copy
        AFTER UPDATE OF status, visibility, expires_on, kind ON opportunity BEGIN
        UPDATE opportunity_facet SET {COPY_COLUMNS.format(row="new")}
        WHERE opportunity_id = new.id;
    END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS opportunity_facet_copy",
    *(
        f"DROP TRIGGER IF EXISTS {child}_facet_{event}"
        for child in CHILDREN
        for event in ("insert", "delete", "update")
    ),
    "DROP TABLE IF EXISTS opportunity_facet",
]

# PostgreSQL: one rebuild per statement over its transition tables (a bulk insert of children
# pays one call, not one a row).
_CHANGED = "SELECT opportunity_id FROM {table}"
_BOTH = _CHANGED.format(table="added") + " UNION " + _CHANGED.format(table="removed")
POSTGRES_UP = [
    TABLE,
    INDEX,
    f"""CREATE FUNCTION opportunity_facet_rebuild() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {";".join(_rebuild(_CHANGED.format(table="added")))};
        ELSIF TG_OP = 'DELETE' THEN
            {";".join(_rebuild(_CHANGED.format(table="removed")))};
        ELSE
            {";".join(_rebuild(_BOTH))};
        END IF;
        RETURN NULL;
    END $$""",
    *(
        f"""CREATE TRIGGER {child}_facet_{event.lower()} AFTER {event} ON {child}
            REFERENCING {tables}
            FOR EACH STATEMENT EXECUTE FUNCTION opportunity_facet_rebuild()"""
        for child in CHILDREN
        for event, tables in (
            ("INSERT", "NEW TABLE AS added"),
            ("DELETE", "OLD TABLE AS removed"),
            ("UPDATE", "NEW TABLE AS added OLD TABLE AS removed"),
        )
    ),
    f"""CREATE FUNCTION opportunity_facet_copy() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE opportunity_facet AS f SET {COPY_COLUMNS.format(row="c")}
        FROM changed AS c
        WHERE f.opportunity_id = c.id
            AND (f.status, f.visibility, f.expires_on, f.kind)
                IS DISTINCT FROM (c.status, c.visibility, c.expires_on, c.kind);
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER opportunity_facet_copy AFTER UPDATE ON opportunity
        REFERENCING NEW TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION opportunity_facet_copy()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS opportunity_facet_copy ON opportunity",
    *(
        f"DROP TRIGGER IF EXISTS {child}_facet_{event} ON {child}"
        for child in CHILDREN
        for event in ("insert", "delete", "update")
    ),
    "DROP FUNCTION IF EXISTS opportunity_facet_copy()",
    "DROP FUNCTION IF EXISTS opportunity_facet_rebuild()",
    "DROP TABLE IF EXISTS opportunity_facet",
]
FILL = _rebuild("SELECT id FROM opportunity")[1]


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRES_UP if postgres else SQLITE_UP:
        op.execute(statement)
    op.execute(FILL)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRES_DOWN if postgres else SQLITE_DOWN:
        op.execute(statement)
