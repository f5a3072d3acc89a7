"""Reports after the event: the organiser's figures of one event and each city officer's of
their partner area's participants (pure `figures`, `queries` for the rows, `exporting` for the
tables the pages show and the CSV/XLSX downloads write, `schemas` for the API)."""
