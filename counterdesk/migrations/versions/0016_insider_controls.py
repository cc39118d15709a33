"""insider controls: one rating per real ticket, gas supply and customer types on price
items, references used once, safety-stop periods, promised work on complaints

Revision ID: 0016
Revises: 0013
Create Date: 2026-12-03 09:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    # ratings: a rating names a real ticket, once (rows naming no ticket keep NULL)
    op.execute("UPDATE ratings SET ticket_id = NULL WHERE ticket_id IS NOT NULL AND "
               "ticket_id NOT IN (SELECT id FROM queue_tickets)")
    op.execute("UPDATE ratings SET ticket_id = NULL WHERE id NOT IN (SELECT MIN(id) FROM "
               "ratings WHERE ticket_id IS NOT NULL GROUP BY ticket_id) "
               "AND ticket_id IS NOT NULL")
    with op.batch_alter_table('ratings') as batch:
        batch.create_unique_constraint(op.f('uq_ratings_ticket_id'), ['ticket_id'])
        batch.create_foreign_key(op.f('fk_ratings_ticket_id_queue_tickets'), 'queue_tickets',
                                 ['ticket_id'], ['id'])
    # price items: gas supply and the customer types they apply to
    with op.batch_alter_table('price_items') as batch:
        batch.add_column(sa.Column('gas_supply', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column('customer_types', sa.String(length=120), nullable=False,
                                   server_default=''))
    op.execute("UPDATE price_items SET gas_supply = true WHERE category = 'gas'")
    op.execute("UPDATE price_items SET customer_types = 'resident' WHERE category = 'gas' "
               "AND tiered = true")
    # customer types as halls use them: the old non-resident type becomes commercial
    op.execute("UPDATE accounts SET customer_type = 'commercial' "
               "WHERE customer_type = 'non_resident'")
    # complaints: promised work and who replied
    with op.batch_alter_table('complaints') as batch:
        batch.add_column(sa.Column('work_promised', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column('work_done_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('work_done_by', sa.String(length=16), nullable=False,
                                   server_default=''))
        batch.add_column(sa.Column('replied_by', sa.String(length=16), nullable=False,
                                   server_default=''))
    op.create_table(
        'tender_references',
        sa.Column('id', _ID, autoincrement=True, nullable=False),
        sa.Column('hall_id', _ID, nullable=False),
        sa.Column('method', sa.String(length=8), nullable=False),
        sa.Column('bank', sa.String(length=60), nullable=False),
        sa.Column('reference', sa.String(length=64), nullable=False),
        sa.Column('payment_id', _ID, nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['hall_id'], ['halls.id'],
                                name=op.f('fk_tender_references_hall_id_halls')),
        sa.ForeignKeyConstraint(['payment_id'], ['payments.id'],
                                name=op.f('fk_tender_references_payment_id_payments')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tender_references')),
        sa.UniqueConstraint('hall_id', 'method', 'bank', 'reference',
                            name=op.f('uq_tender_references_hall_id_method_bank_reference')),
    )
    op.create_table(
        'account_suspensions',
        sa.Column('id', _ID, autoincrement=True, nullable=False),
        sa.Column('account_id', _ID, nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=False),
        sa.Column('started_by', sa.String(length=16), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('ended_at', sa.DateTime(), nullable=True),
        sa.Column('ended_by', sa.String(length=16), nullable=False),
        sa.Column('approved_by', sa.String(length=16), nullable=False),
        sa.Column('authorisation_id', _ID, nullable=True),
        sa.Column('inspection_ref', sa.String(length=40), nullable=False),
        sa.Column('resume_reason', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'],
                                name=op.f('fk_account_suspensions_account_id_accounts')),
        sa.ForeignKeyConstraint(['authorisation_id'], ['authorisations.id'],
                                name=op.f('fk_account_suspensions_authorisation_id_'
                                          'authorisations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_account_suspensions')),
    )
    op.create_index(op.f('ix_account_suspensions_account_id'), 'account_suspensions',
                    ['account_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_account_suspensions_account_id'), table_name='account_suspensions')
    op.drop_table('account_suspensions')
    op.drop_table('tender_references')
    with op.batch_alter_table('complaints') as batch:
        batch.drop_column('replied_by')
        batch.drop_column('work_done_by')
        batch.drop_column('work_done_at')
        batch.drop_column('work_promised')
    op.execute("UPDATE accounts SET customer_type = 'non_resident' "
               "WHERE customer_type <> 'resident'")
    with op.batch_alter_table('price_items') as batch:
        batch.drop_column('customer_types')
        batch.drop_column('gas_supply')
    with op.batch_alter_table('ratings') as batch:
        batch.drop_constraint(op.f('fk_ratings_ticket_id_queue_tickets'), type_='foreignkey')
        batch.drop_constraint(op.f('uq_ratings_ticket_id'), type_='unique')
