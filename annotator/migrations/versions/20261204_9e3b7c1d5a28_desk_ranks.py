"""desk ranks: each claim's place on the decision desk, stored and indexed

Revision ID: 9e3b7c1d5a28
Revises: 64edee5b748f
Create Date: 2026-12-04 09:00:00

Adds ``claim.desk_rank`` (the index of the claim's state in the desk's order, NULL when
the claim is not on the desk) and the index the desk reads its pages from, (desk_rank,
article_id, position) over the claims on the desk only. The desk computed every claim's
state from its verdicts on each page view: about 5 s a page at 100,000 articles.

The ranks follow the application's rule and its REVIEWS_PER_CLAIM setting, so this
migration leaves them empty: the application's first start computes every claim's rank
(annotator.database.prepare_database, in batches) and notes the setting it used.
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '9e3b7c1d5a28'
down_revision = '64edee5b748f'
branch_labels = None
depends_on = None

_ON_DESK = sa.text("desk_rank IS NOT NULL")


def upgrade():
    op.add_column('claim', sa.Column('desk_rank', sa.SmallInteger(), nullable=True))
    op.create_index('ix_claim_desk', 'claim', ['desk_rank', 'article_id', 'position'],
                    unique=False, sqlite_where=_ON_DESK, postgresql_where=_ON_DESK)


def downgrade():
    op.drop_index('ix_claim_desk', table_name='claim')
    # Plain DROP COLUMN (SQLite 3.35+, PostgreSQL), not batch mode: a batch rebuild of
    # "claim" fails on SQLite once verdicts reference its rows.
    op.drop_column('claim', 'desk_rank')
    # The note of the setting the ranks were computed for goes with them.
    op.execute("DELETE FROM site_state WHERE key LIKE 'desk-ranks-%'")
