"""login_attempt_count: refused login attempts counted in the shared database

Revision ID: 3b7e9d2a6c15
Revises: 8f3b2c4d5e61
Create Date: 2026-12-01 15:00:00

Only adds a table: the login limits used to count in each worker's memory.
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '3b7e9d2a6c15'
down_revision = '8f3b2c4d5e61'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'login_attempt_count',
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('window_start', sa.BigInteger(), nullable=False),
        sa.Column('hits', sa.Integer(), nullable=False),
        sa.Column('expires_at', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('key', 'window_start', name=op.f('pk_login_attempt_count')),
    )
    op.create_index(op.f('ix_login_attempt_count_expires_at'), 'login_attempt_count',
                    ['expires_at'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_login_attempt_count_expires_at'), table_name='login_attempt_count')
    op.drop_table('login_attempt_count')
