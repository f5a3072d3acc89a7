"""organisations: the facet tokens in the narrow search copy, for filtered totals (PostgreSQL)

A filtered total ("city Lublin and PKD 29", with or without free text) counted
`string_to_array(organisation.facets, ' ') @> …` over the wide organisation rows. PostgreSQL
guessed a quarter of the rows for any containment of an expression and then read the whole
131 MB table (268 ms for the coordinator's city + PKD total at 100 000 organisations, against
64 ms for the same count written by hand). `organisation_search` (0014_perf) now also holds
the facet tokens as an array under a GIN index, so such a total is the intersection of posting
lists plus a visit of the narrow copy's pages, the way the text totals already are, and the
array has statistics of its own elements for the planner. The statement trigger keeps it equal
to `organisation.facets` whoever writes; facets change only through an UPDATE of `organisation`
(sites, PKD codes and capabilities are folded into the column by the service).

Self-contained: no application code imported.

Revision ID: 0025_search_facets
Revises: 0024_saved_search_key
Create Date: 2026-12-03 22:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0025_search_facets"
down_revision = "0024_saved_search_key"
branch_labels = None
depends_on = None
downgrade_loses = "nothing (the facet tokens are copied from the organisations)"

# The facet tokens of a stored organisation row, as an array (empty words dropped).
FACETS = "array_remove(string_to_array(o.facets, ' '), '')"


def _sync(with_facets: bool) -> str:
    """The copy's statement trigger function, with or without the facet column."""
    facets_column = ", facets" if with_facets else ""
    facets_value = f", {FACETS}" if with_facets else ""
    facets_set = ", facets = EXCLUDED.facets" if with_facets else ""
    facets_changed = " OR kept.facets IS DISTINCT FROM EXCLUDED.facets" if with_facets else ""
    return f"""CREATE OR REPLACE FUNCTION organisation_search_sync()
        RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO organisation_search AS kept
            (organisation_id, visibility, places, search_vector{facets_column})
        SELECT o.id, o.visibility, organisation_places(o.id, o.teryt), o.search_vector
            {facets_value}
        FROM organisation AS o WHERE o.id IN (SELECT id FROM changed)
        ON CONFLICT (organisation_id) DO UPDATE
            SET visibility = EXCLUDED.visibility, places = EXCLUDED.places,
                search_vector = EXCLUDED.search_vector{facets_set}
            WHERE kept.visibility IS DISTINCT FROM EXCLUDED.visibility
                OR kept.places IS DISTINCT FROM EXCLUDED.places
                OR kept.search_vector IS DISTINCT FROM EXCLUDED.search_vector{facets_changed};
        RETURN NULL;
    END $$"""


UP = [
    "ALTER TABLE organisation_search ADD COLUMN facets text[] NOT NULL DEFAULT '{}'",
    # Out of line as the vector is, where the row's vector is (0014_perf): a text total still
    # visits rows of ~100 bytes.
    "ALTER TABLE organisation_search ALTER COLUMN facets SET STORAGE EXTERNAL",
    f"UPDATE organisation_search AS kept SET facets = {FACETS} "
    "FROM organisation AS o WHERE o.id = kept.organisation_id",
    _sync(with_facets=True),
    "CREATE INDEX ix_organisation_search_facets ON organisation_search USING gin (facets)",
]
DOWN = [
    _sync(with_facets=False),
    "DROP INDEX IF EXISTS ix_organisation_search_facets",
    "ALTER TABLE organisation_search DROP COLUMN IF EXISTS facets",
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
