"""Alembic migrations, shipped inside the package so an installed Upland migrates itself."""
