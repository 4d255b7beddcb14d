"""Operator token revocation and device key rotation: tokens.revoked; devices.previous_key
and devices.previous_key_until (the grace window of a rotated key). Existing rows keep their
values; the new columns start empty (no token revoked, no rotation).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from microforge.fleet.tables import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tokens") as batch:
        batch.add_column(sa.Column("revoked", UtcDateTime(), nullable=True))
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("previous_key", sa.LargeBinary(64), nullable=True))
        batch.add_column(sa.Column("previous_key_until", UtcDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("previous_key_until")
        batch.drop_column("previous_key")
    with op.batch_alter_table("tokens") as batch:
        batch.drop_column("revoked")
