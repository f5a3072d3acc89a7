"""One module per revision; Alembic loads them by path, and none imports application code."""
