"""the Progress page's tallies: the team's and each reviewer's figures, kept current

Revision ID: 2d7f4b9e6a13
Revises: 7c3e9a2f4d61
Create Date: 2026-12-08 00:30:00

Two new tables, ``team_tally`` (the team's figures, split over a few rows) and
``reviewer_tally`` (one row per account with verdicts). The Progress page reads them
instead of adding up every live claim and verdict (``services.progress_tallies``). Empty
at first: the first start after this migration computes them (``database.prepare_database``),
as it does whenever REVIEWS_PER_CLAIM changes.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '2d7f4b9e6a13'
down_revision = '7c3e9a2f4d61'
branch_labels = None
depends_on = None

TEAM = ('claims', 'verdicts_needed', 'decided', 'recheck')
REVIEWER = ('verdicts', 'approved', 'rejected', 'pending', 'on_decided', 'agreeing')


def _figures(names):
    return [sa.Column(name, sa.BigInteger(), nullable=False) for name in names]


def upgrade():
    op.create_table(
        'team_tally',
        sa.Column('shard', sa.Integer(), autoincrement=False, nullable=False),
        *_figures(TEAM),
        sa.PrimaryKeyConstraint('shard', name=op.f('pk_team_tally')),
    )
    op.create_table(
        'reviewer_tally',
        sa.Column('reviewer_id', sa.Integer(), autoincrement=False, nullable=False),
        *_figures(REVIEWER),
        sa.ForeignKeyConstraint(['reviewer_id'], ['account.id'],
                                name=op.f('fk_reviewer_tally_reviewer_id_account')),
        sa.PrimaryKeyConstraint('reviewer_id', name=op.f('pk_reviewer_tally')),
    )


def downgrade():
    op.drop_table('reviewer_tally')
    op.drop_table('team_tally')
    op.execute("DELETE FROM site_state WHERE key LIKE 'progress-tallies-%'")
