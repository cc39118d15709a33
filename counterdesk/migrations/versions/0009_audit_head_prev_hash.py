"""audit head keeps the previous hash (one-statement append on PostgreSQL)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 03:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_head') as batch:
        batch.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=False,
                                   server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('audit_head') as batch:
        batch.drop_column('prev_hash')
