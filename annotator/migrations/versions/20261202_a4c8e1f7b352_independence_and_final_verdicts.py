"""independent reviews and final verdicts

Revision ID: a4c8e1f7b352
Revises: 6d1f4a8c2e90
Create Date: 2026-12-02 09:00:00

Only adds: a flag on each verdict revision saying whether its author had seen no one
else's verdict on the claim when saving it, the version of each verdict that counts as
independent, and two tables for the desk's final verdicts and their history.

Verdicts saved before this change are marked independent from their first revision when
that revision predates every other verdict on the claim (its author cannot have seen
one), or when its author is a reviewer: reviewers were already shown other verdicts
only after saving their own, so their first revision was always saved blind. An admin's
first revision saved after someone else's verdict existed is not independent: admins
always saw the others.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = 'a4c8e1f7b352'
down_revision = '6d1f4a8c2e90'
branch_labels = None
depends_on = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def upgrade():
    op.add_column('verdict_revision', sa.Column('independent', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('verdict', sa.Column('independent_version', sa.Integer(), nullable=True))
    _final_verdict_tables()
    _mark_earlier_verdicts()


def _final_verdict_tables():
    op.create_table(
        'final_verdict',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('claim_id', sa.Integer(), nullable=False),
        sa.Column('label', sa.String(length=16), nullable=False),
        sa.Column('rationale', sa.Text(), nullable=False),
        sa.Column('sources', JSON_TYPE, nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=False),
        sa.Column('decided_at', sa.DateTime(), nullable=False),
        sa.Column('needs_recheck', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint("label IN ('supported', 'disputed', 'unclear')", name=op.f('ck_final_verdict_label')),
        sa.ForeignKeyConstraint(['claim_id'], ['claim.id'], name=op.f('fk_final_verdict_claim_id_claim')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['account.id'], name=op.f('fk_final_verdict_decided_by_id_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_final_verdict')),
        sa.UniqueConstraint('claim_id', name=op.f('uq_final_verdict_claim_id')),
    )
    op.create_table(
        'final_verdict_revision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('final_verdict_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('label', sa.String(length=16), nullable=False),
        sa.Column('rationale', sa.Text(), nullable=False),
        sa.Column('sources', JSON_TYPE, nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=False),
        sa.Column('decided_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['decided_by_id'], ['account.id'], name=op.f('fk_final_verdict_revision_decided_by_id_account')),
        sa.ForeignKeyConstraint(['final_verdict_id'], ['final_verdict.id'], name=op.f('fk_final_verdict_revision_final_verdict_id_final_verdict')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_final_verdict_revision')),
        sa.UniqueConstraint('final_verdict_id', 'version', name=op.f('uq_final_verdict_revision_final_verdict_id')),
    )
    op.create_index(op.f('ix_final_verdict_revision_final_verdict_id'), 'final_verdict_revision', ['final_verdict_id'], unique=False)


def _mark_earlier_verdicts():
    verdict = sa.table('verdict', sa.column('id', sa.Integer), sa.column('claim_id', sa.Integer),
                       sa.column('reviewer_id', sa.Integer), sa.column('independent_version', sa.Integer))
    revision_ = sa.table('verdict_revision', sa.column('verdict_id', sa.Integer),
                         sa.column('version', sa.Integer), sa.column('created_at', sa.DateTime),
                         sa.column('independent', sa.Boolean))
    account = sa.table('account', sa.column('id', sa.Integer), sa.column('role', sa.String))
    other = verdict.alias('other')
    other_first = revision_.alias('other_first')
    earlier_other = (
        sa.select(sa.literal(1))
        .select_from(other.join(other_first, other_first.c.verdict_id == other.c.id))
        .where(other.c.claim_id == verdict.c.claim_id, other.c.id != verdict.c.id,
               other_first.c.created_at <= revision_.c.created_at)
    )
    by_reviewer = (
        sa.select(sa.literal(1)).select_from(account)
        .where(account.c.id == verdict.c.reviewer_id, account.c.role == 'reviewer')
    )
    first_blind = (
        sa.select(revision_.c.verdict_id)
        .select_from(revision_.join(verdict, verdict.c.id == revision_.c.verdict_id))
        .where(revision_.c.version == 1, sa.or_(by_reviewer.exists(), ~earlier_other.exists()))
    )
    connection = op.get_bind()
    ids = [row[0] for row in connection.execute(first_blind)]
    for start in range(0, len(ids), 500):
        batch = ids[start:start + 500]
        connection.execute(revision_.update().where(revision_.c.verdict_id.in_(batch), revision_.c.version == 1)
                           .values(independent=True))
        connection.execute(verdict.update().where(verdict.c.id.in_(batch)).values(independent_version=1))


def downgrade():
    op.drop_index(op.f('ix_final_verdict_revision_final_verdict_id'), table_name='final_verdict_revision')
    op.drop_table('final_verdict_revision')
    op.drop_table('final_verdict')
    op.drop_column('verdict', 'independent_version')
    op.drop_column('verdict_revision', 'independent')
