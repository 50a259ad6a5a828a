"""claim boundaries and hints: retired claims, boundary version, re-check flag, hint columns

Revision ID: 5c1e0a7b9f42
Revises: d9862bd2e766
Create Date: 2026-11-23 21:45:00

Only columns are added (no table is rebuilt, which SQLite would need for a changed
constraint and which its foreign keys make unsafe on a filled database).

Hints of the claims already stored are not computed here: a migration imports no
application code, so that a later change of the hint rules cannot change what this old
migration does. When claims exist, it leaves the row 'recompute-hints' in site_state; the
application's start-up (annotator.database.finish_migrations) then computes every
claim's hints with the rules of its time and removes the row.
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '5c1e0a7b9f42'
down_revision = 'd9862bd2e766'
branch_labels = None
depends_on = None

def upgrade():
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.add_column(sa.Column('boundary_version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retired_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('is_quote', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('speaker', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('has_number', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('has_percent', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('has_money', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('has_date', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('verdict', schema=None) as batch_op:
        batch_op.add_column(sa.Column('needs_recheck', sa.Boolean(), server_default=sa.false(), nullable=False))

    _ask_for_hints()


def _ask_for_hints():
    """Leave a note for the application to compute the hints of the claims stored so far."""
    connection = op.get_bind()
    claim = sa.table('claim', sa.column('id', sa.Integer))
    if connection.execute(sa.select(claim.c.id).limit(1)).first() is None:
        return
    site_state = sa.table('site_state', sa.column('key', sa.String), sa.column('created_at', sa.DateTime))
    connection.execute(site_state.insert().values(key='recompute-hints', created_at=sa.func.current_timestamp()))


def downgrade():
    site_state = sa.table('site_state', sa.column('key', sa.String))
    op.get_bind().execute(site_state.delete().where(site_state.c.key == 'recompute-hints'))
    # Plain DROP COLUMN (SQLite 3.35+, PostgreSQL), not batch mode: a batch rebuild of
    # "claim" or "article" fails on SQLite once verdicts reference their rows.
    op.drop_column('verdict', 'needs_recheck')
    for column in ('has_date', 'has_money', 'has_percent', 'has_number', 'speaker', 'is_quote', 'retired_at'):
        op.drop_column('claim', column)
    op.drop_column('article', 'boundary_version')
