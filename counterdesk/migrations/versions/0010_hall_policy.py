"""hall policy in the database; approval failures counted apart from sign-in failures

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 08:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'hall_policy',
        sa.Column('hall_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.Column('changed_by', sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(['hall_id'], ['halls.id'],
                                name=op.f('fk_hall_policy_hall_id_halls')),
        sa.PrimaryKeyConstraint('hall_id', 'key', name=op.f('pk_hall_policy')),
    )
    with op.batch_alter_table('staff') as batch:
        batch.add_column(sa.Column('approval_failed_attempts', sa.Integer(), nullable=False,
                                   server_default='0'))
        batch.add_column(sa.Column('approval_locked_until', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('staff') as batch:
        batch.drop_column('approval_locked_until')
        batch.drop_column('approval_failed_attempts')
    op.drop_table('hall_policy')
