"""verdict.moved_from_claim_id: where a merge or re-split took a verdict from

Revision ID: 8f3b2c4d5e61
Revises: 5c1e0a7b9f42
Create Date: 2026-11-23 23:35:00

A plain column, not a foreign key: adding a constraint would make SQLite rebuild the
verdict table, which its own foreign keys make unsafe on a filled database, and claims are
never deleted, so the reference cannot dangle.
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '8f3b2c4d5e61'
down_revision = '5c1e0a7b9f42'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('verdict', schema=None) as batch_op:
        batch_op.add_column(sa.Column('moved_from_claim_id', sa.Integer(), nullable=True))


def downgrade():
    op.drop_column('verdict', 'moved_from_claim_id')
