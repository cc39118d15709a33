"""merge the capability branches

Revision ID: 0008
Revises: 0002, 0004, 0005, 0006, 0007
Create Date: 2026-11-22 22:30:33.592551
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = ('0002', '0004', '0005', '0006', '0007')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
