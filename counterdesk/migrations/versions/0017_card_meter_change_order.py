"""IC card meter change linked to its 换表 work order (card_purchases.order_number)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 09:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('card_purchases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('order_number', sa.String(length=20), server_default='',
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('card_purchases', schema=None) as batch_op:
        batch_op.drop_column('order_number')
