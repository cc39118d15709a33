"""IC cards: cards, card purchases, meter readings, card keys; account meter kind

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-03 08:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_MONEY = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    with op.batch_alter_table('accounts') as batch:
        batch.add_column(sa.Column('meter_kind', sa.String(length=8), nullable=False,
                                   server_default='plain'))
    op.create_table(
        'card_keys',
        sa.Column('hall_id', _ID, nullable=False),
        sa.Column('mac_key', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['hall_id'], ['halls.id'], name=op.f('fk_card_keys_hall_id_halls')),
        sa.PrimaryKeyConstraint('hall_id', name=op.f('pk_card_keys')),
    )
    op.create_table(
        'cards',
        sa.Column('id', _ID, autoincrement=True, nullable=False),
        sa.Column('hall_id', _ID, nullable=False),
        sa.Column('account_id', _ID, nullable=False),
        sa.Column('card_no', sa.String(length=24), nullable=False),
        sa.Column('meter_no', sa.String(length=32), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('start_seq', sa.Integer(), nullable=False),
        sa.Column('takeup_unknown_seq', sa.Integer(), nullable=True),
        sa.Column('replaces_card_id', _ID, nullable=True),
        sa.Column('reason', sa.String(length=40), nullable=False),
        sa.Column('payment_id', _ID, nullable=True),
        sa.Column('authorisation_id', _ID, nullable=True),
        sa.Column('issued_by', sa.String(length=16), nullable=False),
        sa.Column('issued_at', sa.DateTime(), nullable=False),
        sa.Column('written_at', sa.DateTime(), nullable=True),
        sa.Column('ended_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_cards_account_id_accounts')),
        sa.ForeignKeyConstraint(['authorisation_id'], ['authorisations.id'], name=op.f('fk_cards_authorisation_id_authorisations')),
        sa.ForeignKeyConstraint(['hall_id'], ['halls.id'], name=op.f('fk_cards_hall_id_halls')),
        sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_cards_payment_id_payments')),
        sa.ForeignKeyConstraint(['replaces_card_id'], ['cards.id'], name=op.f('fk_cards_replaces_card_id_cards')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cards')),
        sa.UniqueConstraint('card_no', name=op.f('uq_cards_card_no')),
    )
    op.create_index(op.f('ix_cards_account_id'), 'cards', ['account_id'], unique=False)
    op.create_index('uq_cards_current_per_account', 'cards', ['account_id'], unique=True,
                    sqlite_where=sa.text("status <> 'replaced'"),
                    postgresql_where=sa.text("status <> 'replaced'"))
    op.create_table(
        'card_purchases',
        sa.Column('id', _ID, autoincrement=True, nullable=False),
        sa.Column('hall_id', _ID, nullable=False),
        sa.Column('account_id', _ID, nullable=False),
        sa.Column('card_id', _ID, nullable=False),
        sa.Column('meter_no', sa.String(length=32), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('volume', sa.Numeric(precision=12, scale=3), nullable=False),
        sa.Column('amount_fen', _MONEY, nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('payment_id', _ID, nullable=True),
        sa.Column('reversal_payment_id', _ID, nullable=True),
        sa.Column('authorisation_id', _ID, nullable=True),
        sa.Column('takeup_unknown', sa.Boolean(), nullable=False),
        sa.Column('business_day', sa.Date(), nullable=False),
        sa.Column('window', sa.Integer(), nullable=True),
        sa.Column('staff_no', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('written_at', sa.DateTime(), nullable=True),
        sa.Column('taken_at', sa.DateTime(), nullable=True),
        sa.Column('cancelled_at', sa.DateTime(), nullable=True),
        sa.Column('write_attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_card_purchases_account_id_accounts')),
        sa.ForeignKeyConstraint(['authorisation_id'], ['authorisations.id'], name=op.f('fk_card_purchases_authorisation_id_authorisations')),
        sa.ForeignKeyConstraint(['card_id'], ['cards.id'], name=op.f('fk_card_purchases_card_id_cards')),
        sa.ForeignKeyConstraint(['hall_id'], ['halls.id'], name=op.f('fk_card_purchases_hall_id_halls')),
        sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_card_purchases_payment_id_payments')),
        sa.ForeignKeyConstraint(['reversal_payment_id'], ['payments.id'], name=op.f('fk_card_purchases_reversal_payment_id_payments')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_card_purchases')),
        sa.UniqueConstraint('account_id', 'seq', name=op.f('uq_card_purchases_account_id_seq')),
    )
    op.create_index(op.f('ix_card_purchases_card_id'), 'card_purchases', ['card_id'], unique=False)
    op.create_index('ix_card_purchases_hall_day', 'card_purchases', ['hall_id', 'business_day'], unique=False)
    op.create_index('ix_card_purchases_state', 'card_purchases', ['hall_id', 'state'], unique=False)
    op.create_table(
        'meter_readings',
        sa.Column('id', _ID, autoincrement=True, nullable=False),
        sa.Column('account_id', _ID, nullable=False),
        sa.Column('card_id', _ID, nullable=True),
        sa.Column('meter_no', sa.String(length=32), nullable=False),
        sa.Column('source', sa.String(length=12), nullable=False),
        sa.Column('remaining', sa.Numeric(precision=12, scale=3), nullable=False),
        sa.Column('cumulative', sa.Numeric(precision=14, scale=3), nullable=False),
        sa.Column('alarms', sa.Integer(), nullable=False),
        sa.Column('meter_seq', sa.Integer(), nullable=False),
        sa.Column('staff_no', sa.String(length=16), nullable=False),
        sa.Column('read_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_meter_readings_account_id_accounts')),
        sa.ForeignKeyConstraint(['card_id'], ['cards.id'], name=op.f('fk_meter_readings_card_id_cards')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_meter_readings')),
    )
    op.create_index(op.f('ix_meter_readings_account_id'), 'meter_readings', ['account_id'], unique=False)


def downgrade() -> None:
    op.drop_table('meter_readings')
    op.drop_table('card_purchases')
    op.drop_table('cards')
    op.drop_table('card_keys')
    with op.batch_alter_table('accounts') as batch:
        batch.drop_column('meter_kind')
