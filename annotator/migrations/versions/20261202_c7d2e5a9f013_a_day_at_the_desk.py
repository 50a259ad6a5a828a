"""a day at the desk: skips, archived articles, temporary passwords, desk settings

Revision ID: c7d2e5a9f013
Revises: a4c8e1f7b352
Create Date: 2026-12-02 12:00:00

Only adds: a table of the claims reviewers skipped (kept when undone), the time an
article was archived, a flag for an account whose password an admin reset, and a table
of the choices an admin makes for the whole desk.
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'c7d2e5a9f013'
down_revision = 'a4c8e1f7b352'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('account', sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('article', sa.Column('archived_at', sa.DateTime(), nullable=True))
    op.create_table(
        'claim_skip',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('claim_id', sa.Integer(), nullable=False),
        sa.Column('reviewer_id', sa.Integer(), nullable=False),
        sa.Column('skipped_on', sa.Date(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('undone_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['claim_id'], ['claim.id'], name=op.f('fk_claim_skip_claim_id_claim')),
        sa.ForeignKeyConstraint(['reviewer_id'], ['account.id'], name=op.f('fk_claim_skip_reviewer_id_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_skip')),
    )
    op.create_index(op.f('ix_claim_skip_claim_id'), 'claim_skip', ['claim_id'], unique=False)
    op.create_index('ix_claim_skip_reviewer_day', 'claim_skip', ['reviewer_id', 'skipped_on'], unique=False)
    op.create_table(
        'setting',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('value', sa.String(length=200), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['updated_by_id'], ['account.id'], name=op.f('fk_setting_updated_by_id_account')),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_setting')),
    )


def downgrade():
    op.drop_table('setting')
    op.drop_index('ix_claim_skip_reviewer_day', table_name='claim_skip')
    op.drop_index(op.f('ix_claim_skip_claim_id'), table_name='claim_skip')
    op.drop_table('claim_skip')
    op.drop_column('article', 'archived_at')
    op.drop_column('account', 'must_change_password')
