"""one audit chain per hall: a head row per hall, events name their chain, day closes
name the chain of their anchor (issue 24.3)

Every event written so far is one chain across every hall of the database. It stays as
it is, verifiable to its last event, and becomes the chain of the hall the database was
created with (its first hall, the "home chain", which also takes the events without a
hall); the old head row becomes that hall's head. Every other hall starts a chain of
its own at its next event (its head row is made then). The day closes' anchors made so
far are events of that same chain.

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-05 09:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

_SEQ = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def _home(bind) -> str:
    return bind.execute(sa.text("SELECT code FROM halls ORDER BY id LIMIT 1")).scalar() or ""


def upgrade() -> None:
    bind = op.get_bind()
    home = _home(bind)
    old = bind.execute(sa.text("SELECT seq, hash, prev_hash FROM audit_head WHERE id = 1")
                       ).first()
    # the events so far: all in the home chain (a constant default fills every row without
    # rewriting the table on PostgreSQL ≥ 11; new events always name their chain)
    op.add_column('audit_events', sa.Column('chain', sa.String(length=16), nullable=False,
                                            server_default=home))
    with op.batch_alter_table('audit_events') as batch:
        batch.alter_column('chain', server_default=None, existing_type=sa.String(length=16),
                           existing_nullable=False)
        batch.drop_constraint('uq_audit_events_seq', type_='unique')
        batch.create_unique_constraint('uq_audit_events_chain_seq', ['chain', 'seq'])
    # the heads: one row per hall, keyed by the hall's code
    op.drop_table('audit_head')
    op.create_table('audit_head',
                    sa.Column('hall_code', sa.String(length=16), nullable=False),
                    sa.Column('seq', _SEQ, nullable=False),
                    sa.Column('hash', sa.String(length=64), nullable=False),
                    sa.Column('prev_hash', sa.String(length=64), nullable=False,
                              server_default=''),
                    sa.PrimaryKeyConstraint('hall_code', name='pk_audit_head'))
    if old is not None:
        bind.execute(sa.text("INSERT INTO audit_head (hall_code, seq, hash, prev_hash) "
                             "VALUES (:c, :q, :h, :p)"),
                     {"c": home, "q": old[0], "h": old[1], "p": old[2] or ""})
    # the day closes' anchors so far are events of the home chain
    with op.batch_alter_table('day_closes') as batch:
        batch.add_column(sa.Column('anchor_chain', sa.String(length=16), nullable=True))
    bind.execute(sa.text("UPDATE day_closes SET anchor_chain = :c "
                         "WHERE anchor_seq IS NOT NULL"), {"c": home})


def downgrade() -> None:
    bind = op.get_bind()
    chains = bind.execute(sa.text("SELECT DISTINCT chain FROM audit_events")).scalars().all()
    if len(chains) > 1:
        raise RuntimeError("the audit log has a chain per hall "
                           f"({', '.join(sorted(chains))}): it cannot go back to one chain")
    home = chains[0] if chains else _home(bind)
    head = bind.execute(sa.text("SELECT seq, hash, prev_hash FROM audit_head "
                                "WHERE hall_code = :c"), {"c": home}).first()
    op.drop_table('audit_head')
    op.create_table('audit_head',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('seq', _SEQ, nullable=False),
                    sa.Column('hash', sa.String(length=64), nullable=False),
                    sa.Column('prev_hash', sa.String(length=64), nullable=False,
                              server_default=''),
                    sa.PrimaryKeyConstraint('id', name='pk_audit_head'))
    if head is not None:
        bind.execute(sa.text("INSERT INTO audit_head (id, seq, hash, prev_hash) "
                             "VALUES (1, :q, :h, :p)"),
                     {"q": head[0], "h": head[1], "p": head[2]})
    with op.batch_alter_table('day_closes') as batch:
        batch.drop_column('anchor_chain')
    with op.batch_alter_table('audit_events') as batch:
        batch.drop_constraint('uq_audit_events_chain_seq', type_='unique')
        batch.create_unique_constraint('uq_audit_events_seq', ['seq'])
        batch.drop_column('chain')
