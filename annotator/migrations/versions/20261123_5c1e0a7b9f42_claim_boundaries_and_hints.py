"""claim boundaries and hints: retired claims, boundary version, re-check flag, hint columns

Revision ID: 5c1e0a7b9f42
Revises: d9862bd2e766
Create Date: 2026-11-23 21:45:00

Only columns are added (no table is rebuilt, which SQLite would need for a changed
constraint and which its foreign keys make unsafe on a filled database). Hints of the
claims already stored are computed here with annotator.hints as it stands when the
migration runs; a re-split of an article recomputes them later.
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '5c1e0a7b9f42'
down_revision = 'd9862bd2e766'
branch_labels = None
depends_on = None

HINT_COLUMNS = ('is_quote', 'has_number', 'has_percent', 'has_money', 'has_date')


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

    _backfill_hints()


def _backfill_hints():
    """Compute the hints of every stored claim, one article at a time."""
    from annotator.text.hints import hints_for_claims

    connection = op.get_bind()
    article = sa.table('article', sa.column('id', sa.Integer), sa.column('body', sa.Text))
    claim = sa.table(
        'claim', sa.column('id', sa.Integer), sa.column('article_id', sa.Integer),
        sa.column('position', sa.Integer), sa.column('start_offset', sa.Integer),
        sa.column('end_offset', sa.Integer), sa.column('speaker', sa.String),
        *(sa.column(name, sa.Boolean) for name in HINT_COLUMNS),
    )
    article_ids = connection.execute(sa.select(article.c.id).order_by(article.c.id)).scalars().all()
    for article_id in article_ids:
        body = connection.execute(sa.select(article.c.body).where(article.c.id == article_id)).scalar_one()
        rows = connection.execute(
            sa.select(claim.c.id, claim.c.start_offset, claim.c.end_offset)
            .where(claim.c.article_id == article_id).order_by(claim.c.position)
        ).all()
        hints = hints_for_claims(body, [(row.start_offset, row.end_offset) for row in rows])
        for row, hint in zip(rows, hints, strict=True):
            values = {
                'is_quote': bool(hint.quote), 'has_number': bool(hint.number),
                'has_percent': bool(hint.percent), 'has_money': bool(hint.money),
                'has_date': bool(hint.date), 'speaker': (hint.speaker or '').strip()[:200] or None,
            }
            if any(values.values()):
                connection.execute(claim.update().where(claim.c.id == row.id).values(**values))


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35+, PostgreSQL), not batch mode: a batch rebuild of
    # "claim" or "article" fails on SQLite once verdicts reference their rows.
    op.drop_column('verdict', 'needs_recheck')
    for column in ('has_date', 'has_money', 'has_percent', 'has_number', 'speaker', 'is_quote', 'retired_at'):
        op.drop_column('claim', column)
    op.drop_column('article', 'boundary_version')
