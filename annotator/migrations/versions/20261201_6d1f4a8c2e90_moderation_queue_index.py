"""moderation queue index: verdicts by moderation state, then in queue order

Revision ID: 6d1f4a8c2e90
Revises: 3b7e9d2a6c15
Create Date: 2026-12-01 16:30:00

Only adds an index: the moderation queue is paged by key (updated_at, id) within the
pending verdicts, and this index serves every page straight, however deep.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '6d1f4a8c2e90'
down_revision = '3b7e9d2a6c15'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_verdict_moderation_queue', 'verdict',
                    ['moderation_state', 'updated_at', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_verdict_moderation_queue', table_name='verdict')
