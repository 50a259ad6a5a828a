"""indexes for scale: the lists stay cheap with a million claims and verdicts

Revision ID: 64edee5b748f
Revises: c7d2e5a9f013
Create Date: 2026-12-03 09:00:00

Only indexes, read off the query plans of benchmarks/bench_scale.py at 10,000 and
100,000 articles:

- article (archived_at): every list that leaves archived articles out asks for the ids
  of the archived ones ("SCAN article", bodies and all, once per statement: the desk,
  the progress figures, moderation), and the Articles page counts the live ones; both
  now read this small index instead of the table.
- article (archived_at, published_on, id): the Articles page by article date reads its
  pages by key from it (the dated live articles by (date, id), then the undated ones by
  id), instead of sorting every article on a date computed per row. The archived_at
  index alone stays: it gives the live articles in import order, the default view.
- verdict (claim_id, independent_version, label) replaces (claim_id): the desk's states,
  the claims export and the queue count a claim's verdicts, its independent ones and
  its labels from the index alone, without reading each verdict's row.
- verdict (reviewer_id, moderation_state, needs_recheck, claim_id, label) replaces
  (reviewer_id): a reviewer's rejected verdicts and those to re-check are found
  directly, not among all of their verdicts, and the per-reviewer figures of the
  Progress page and the Articles page's waiting counts read no verdict row.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '64edee5b748f'
down_revision = 'c7d2e5a9f013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_article_archived_at', 'article', ['archived_at'], unique=False)
    op.create_index('ix_article_by_date', 'article', ['archived_at', 'published_on', 'id'], unique=False)
    op.create_index('ix_verdict_claim_reviews', 'verdict', ['claim_id', 'independent_version', 'label'], unique=False)
    op.drop_index('ix_verdict_claim_id', table_name='verdict')
    op.create_index('ix_verdict_reviewer_state', 'verdict', ['reviewer_id', 'moderation_state', 'needs_recheck', 'claim_id', 'label'], unique=False)
    op.drop_index('ix_verdict_reviewer_id', table_name='verdict')


def downgrade():
    op.create_index('ix_verdict_reviewer_id', 'verdict', ['reviewer_id'], unique=False)
    op.drop_index('ix_verdict_reviewer_state', table_name='verdict')
    op.create_index('ix_verdict_claim_id', 'verdict', ['claim_id'], unique=False)
    op.drop_index('ix_verdict_claim_reviews', table_name='verdict')
    op.drop_index('ix_article_by_date', table_name='article')
    op.drop_index('ix_article_archived_at', table_name='article')
