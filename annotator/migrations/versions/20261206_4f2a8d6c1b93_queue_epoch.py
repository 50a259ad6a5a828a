"""the queue's epoch: a token that changes whenever a claim may have entered a queue

Revision ID: 4f2a8d6c1b93
Revises: cb5ea55611db
Create Date: 2026-12-06 00:30:00

``site_state`` gets a ``value`` column, for the row ``queue-epoch``: a random token that
the app writes when it starts (``database.prepare_database``). The review queue
remembers, per reviewer, the first claim it could serve them, and trusts it while the
token is unchanged (``services.queue_frontier``); every change that can put an earlier
claim back in a queue (a claim opened, moved or added, a verdict moved, an article
restored, a backup restored) writes a new token.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '4f2a8d6c1b93'
down_revision = 'cb5ea55611db'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('site_state') as batch_op:
        batch_op.add_column(sa.Column('value', sa.String(length=64), nullable=True))


def downgrade():
    op.execute("DELETE FROM site_state WHERE key = 'queue-epoch'")
    with op.batch_alter_table('site_state') as batch_op:
        batch_op.drop_column('value')
