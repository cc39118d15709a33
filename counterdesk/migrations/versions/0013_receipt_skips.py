"""receipt numbers skipped by a restore (reported by the next day close)

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-03 08:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'receipt_skips',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True,
                  nullable=False),
        sa.Column('hall_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('first_seq', sa.Integer(), nullable=False),
        sa.Column('last_seq', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=20), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('staff_no', sa.String(length=16), nullable=False),
        sa.Column('source', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['hall_id'], ['halls.id'],
                                name=op.f('fk_receipt_skips_hall_id_halls')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt_skips')),
    )
    op.create_index(op.f('ix_receipt_skips_hall_id'), 'receipt_skips', ['hall_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_receipt_skips_hall_id'), table_name='receipt_skips')
    op.drop_table('receipt_skips')
