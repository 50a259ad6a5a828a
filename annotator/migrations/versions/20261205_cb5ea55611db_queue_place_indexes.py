"""indexes for the queue's place: a reviewer's latest save and skip, found by key

Revision ID: cb5ea55611db
Revises: 9e3b7c1d5a28
Create Date: 2026-12-05 00:30:00

Only indexes, read off the query plans of GET /queue in benchmarks/bench_scale.py (at
100,000 articles the reviewer with 100,000 verdicts waited 67 ms for their place):

- verdict (reviewer_id, updated_at, id): the queue finds where a reviewer was working,
  their latest saved revision, among their verdicts changed last (a save sets
  ``updated_at`` to its revision's time, moderation only later), instead of joining
  every verdict of the reviewer to its revisions and sorting them all.
- claim_skip (reviewer_id, created_at, id): their latest skip, newest first, instead of
  sorting every skip the reviewer ever made.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'cb5ea55611db'
down_revision = '9e3b7c1d5a28'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_verdict_reviewer_changed', 'verdict',
                    ['reviewer_id', 'updated_at', 'id'], unique=False)
    op.create_index('ix_claim_skip_reviewer_latest', 'claim_skip',
                    ['reviewer_id', 'created_at', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_claim_skip_reviewer_latest', table_name='claim_skip')
    op.drop_index('ix_verdict_reviewer_changed', table_name='verdict')
