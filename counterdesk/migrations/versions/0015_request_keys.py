"""request keys: a payment, reversal or till movement is taken once per client request

Revision ID: 0015
Revises: 0010
Create Date: 2026-12-03 08:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'request_keys',
        sa.Column('key', sa.String(length=36), nullable=False),
        sa.Column('hall_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('ref_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['hall_id'], ['halls.id'],
                                name=op.f('fk_request_keys_hall_id_halls')),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_request_keys')),
    )


def downgrade() -> None:
    op.drop_table('request_keys')
