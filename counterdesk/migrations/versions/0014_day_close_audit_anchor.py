"""day close keeps the audit chain's head (the anchor printed on the report); rows of an
existing hall are marked for adoption into the audit chain (``audit.adopt``)

Revision ID: 0014
Revises: 0010
Create Date: 2026-12-03 08:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('day_closes') as batch:
        batch.add_column(sa.Column('anchor_seq',
                                   sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                                   nullable=True))
        batch.add_column(sa.Column('anchor_hash', sa.String(length=64), nullable=False,
                                   server_default=''))
    # a hall with history: its rows predate row coverage; schema.upgrade adopts them
    # after the last migration (the models may have gained columns by then)
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT COUNT(*) FROM audit_head")).scalar():
        bind.execute(sa.text("INSERT INTO meta (key, value) VALUES ('audit_rows_adopt', "
                             "'pending')"))


def downgrade() -> None:
    with op.batch_alter_table('day_closes') as batch:
        batch.drop_column('anchor_hash')
        batch.drop_column('anchor_seq')
