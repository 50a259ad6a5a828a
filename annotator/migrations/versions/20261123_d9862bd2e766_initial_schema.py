"""initial schema

Revision ID: d9862bd2e766
Revises: 
Create Date: 2026-11-23 20:44:38.738951

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = 'd9862bd2e766'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=40), nullable=False),
    sa.Column('username_key', sa.String(length=40), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('session_token', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("role IN ('reviewer', 'admin')", name=op.f('ck_account_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account')),
    sa.UniqueConstraint('username', name=op.f('uq_account_username')),
    sa.UniqueConstraint('username_key', name=op.f('uq_account_username_key'))
    )
    op.create_table('site_state',
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_site_state'))
    )
    op.create_table('article',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('source', sa.String(length=255), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('meta', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['imported_by_id'], ['account.id'], name=op.f('fk_article_imported_by_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article')),
    sa.UniqueConstraint('checksum', name=op.f('uq_article_checksum'))
    )
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('target_type', sa.String(length=32), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('details', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['account.id'], name=op.f('fk_audit_event_actor_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_created_at'), ['created_at'], unique=False)

    op.create_table('claim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('start_offset', sa.Integer(), nullable=False),
    sa.Column('end_offset', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.CheckConstraint("status IN ('open', 'hidden')", name=op.f('ck_claim_status')),
    sa.CheckConstraint('start_offset >= 0 AND end_offset > start_offset', name=op.f('ck_claim_span')),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_claim_article_id_article')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim')),
    sa.UniqueConstraint('article_id', 'position', name=op.f('uq_claim_article_id'))
    )
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_article_id'), ['article_id'], unique=False)

    op.create_table('verdict',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=16), nullable=False),
    sa.Column('source_note', sa.Text(), nullable=False),
    sa.Column('source_url', sa.String(length=2048), nullable=True),
    sa.Column('moderation_state', sa.String(length=16), nullable=False),
    sa.Column('moderated_by_id', sa.Integer(), nullable=True),
    sa.Column('moderated_at', sa.DateTime(), nullable=True),
    sa.Column('moderation_reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("label IN ('supported', 'disputed', 'unclear')", name=op.f('ck_verdict_label')),
    sa.CheckConstraint("moderation_state IN ('pending', 'approved', 'rejected')", name=op.f('ck_verdict_moderation_state')),
    sa.ForeignKeyConstraint(['claim_id'], ['claim.id'], name=op.f('fk_verdict_claim_id_claim')),
    sa.ForeignKeyConstraint(['moderated_by_id'], ['account.id'], name=op.f('fk_verdict_moderated_by_id_account')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['account.id'], name=op.f('fk_verdict_reviewer_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_verdict')),
    sa.UniqueConstraint('claim_id', 'reviewer_id', name=op.f('uq_verdict_claim_id'))
    )
    with op.batch_alter_table('verdict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_verdict_claim_id'), ['claim_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_verdict_moderation_state'), ['moderation_state'], unique=False)
        batch_op.create_index(batch_op.f('ix_verdict_reviewer_id'), ['reviewer_id'], unique=False)

    op.create_table('verdict_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('verdict_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=16), nullable=False),
    sa.Column('source_note', sa.Text(), nullable=False),
    sa.Column('source_url', sa.String(length=2048), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('moderation_state', sa.String(length=16), nullable=False),
    sa.Column('moderated_by_id', sa.Integer(), nullable=True),
    sa.Column('moderated_at', sa.DateTime(), nullable=True),
    sa.Column('moderation_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['moderated_by_id'], ['account.id'], name=op.f('fk_verdict_revision_moderated_by_id_account')),
    sa.ForeignKeyConstraint(['verdict_id'], ['verdict.id'], name=op.f('fk_verdict_revision_verdict_id_verdict')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_verdict_revision')),
    sa.UniqueConstraint('verdict_id', 'version', name=op.f('uq_verdict_revision_verdict_id'))
    )
    with op.batch_alter_table('verdict_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_verdict_revision_verdict_id'), ['verdict_id'], unique=False)




def downgrade():

    with op.batch_alter_table('verdict_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_verdict_revision_verdict_id'))

    op.drop_table('verdict_revision')
    with op.batch_alter_table('verdict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_verdict_reviewer_id'))
        batch_op.drop_index(batch_op.f('ix_verdict_moderation_state'))
        batch_op.drop_index(batch_op.f('ix_verdict_claim_id'))

    op.drop_table('verdict')
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_article_id'))

    op.drop_table('claim')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_created_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))

    op.drop_table('audit_event')
    op.drop_table('article')
    op.drop_table('site_state')
    op.drop_table('account')

