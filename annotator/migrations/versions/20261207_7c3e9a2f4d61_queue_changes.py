"""the queue's changes: where each change of the queue's epoch may have put a claim back

Revision ID: 7c3e9a2f4d61
Revises: 4f2a8d6c1b93
Create Date: 2026-12-07 00:30:00

A new table, ``queue_change``: one row per committed change that may have put a claim
back in a reviewer's queue (a split, a merge, a restored article...), under the epoch
token it wrote, with the first place in reading order (article id, position) it may have
put one at. A reviewer's remembered frontier (``services.queue_frontier``) then moves
back to that place instead of to the first claim. Empty at first: every frontier
remembered under an epoch without a row starts from the first claim once, as before.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7c3e9a2f4d61'
down_revision = '4f2a8d6c1b93'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'queue_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('epoch', sa.String(length=64), nullable=False),
        sa.Column('article_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_queue_change')),
        sa.UniqueConstraint('epoch', name=op.f('uq_queue_change_epoch')),
    )


def downgrade():
    op.drop_table('queue_change')
