"""The initial fleet schema: models, devices, records, alerts, rollouts, tokens.

Revision ID: 0001
Revises:
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from microforge.fleet.tables import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "models",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("model_id", sa.BigInteger(), nullable=False),
        sa.Column("model_version", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("reference", sa.JSON(), nullable=False),
        sa.Column("created", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("model_id", "model_version", name="uq_models_version"))
    op.create_table(
        "devices",
        sa.Column("device_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("key", sa.LargeBinary(64), nullable=False),
        sa.Column("cohort", sa.String(200), nullable=False),
        sa.Column("model", sa.Integer(), sa.ForeignKey("models.id"), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=True),
        sa.Column("last_seen", UtcDateTime(), nullable=True),
        sa.Column("records", sa.BigInteger(), nullable=False),
        sa.Column("windows", sa.BigInteger(), nullable=False),
        sa.Column("created", UtcDateTime(), nullable=False))
    op.create_index("ix_devices_cohort", "devices", ["cohort"])
    op.create_table(
        "records",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("device_id", sa.BigInteger(), sa.ForeignKey("devices.device_id"),
                  nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("model", sa.Integer(), sa.ForeignKey("models.id"), nullable=False),
        sa.Column("form", sa.Integer(), nullable=False),
        sa.Column("windows", sa.BigInteger(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("drift", sa.JSON(), nullable=False),
        sa.Column("received", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("device_id", "seq", name="uq_records_device_seq"))
    op.create_index("ix_records_model", "records", ["model"])
    op.create_index("ix_records_received", "records", ["received"])
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("device_id", sa.BigInteger(), sa.ForeignKey("devices.device_id"),
                  nullable=False),
        sa.Column("record", sa.Integer(), sa.ForeignKey("records.id"), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("detail", sa.String(200), nullable=False),
        sa.Column("created", UtcDateTime(), nullable=False))
    op.create_index("ix_alerts_device", "alerts", ["device_id"])
    op.create_table(
        "rollouts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("device_id", sa.BigInteger(), sa.ForeignKey("devices.device_id"),
                  nullable=False),
        sa.Column("bundle", sa.String(200), nullable=False),
        sa.Column("model", sa.Integer(), sa.ForeignKey("models.id"), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("created", UtcDateTime(), nullable=False),
        sa.Column("updated", UtcDateTime(), nullable=False))
    op.create_index("ix_rollouts_device", "rollouts", ["device_id"])
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("created", UtcDateTime(), nullable=False))


def downgrade() -> None:
    for table in ("tokens", "rollouts", "alerts", "records", "devices", "models"):
        op.drop_table(table)
