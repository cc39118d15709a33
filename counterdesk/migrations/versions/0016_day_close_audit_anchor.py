"""day close keeps the audit chain's head (the anchor printed on the report)

Revision ID: 0016
Revises: 0010
Create Date: 2026-12-03 08:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('day_closes') as batch:
        batch.add_column(sa.Column('anchor_seq',
                                   sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                                   nullable=True))
        batch.add_column(sa.Column('anchor_hash', sa.String(length=64), nullable=False,
                                   server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('day_closes') as batch:
        batch.drop_column('anchor_hash')
        batch.drop_column('anchor_seq')
