"""Alembic migrations of the fleet database (`microforge.fleet.migrate.upgrade`)."""
