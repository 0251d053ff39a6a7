"""design studio: drafts of bundle files, their revisions, deploy requests; who approved a deployment

Revision ID: f1a2b3c4d5e6
Revises: e5b1c9a3f7d2
Create Date: 2026-12-03 09:00:00

"""
import sqlalchemy as sa
from alembic import op

from sqlalchemy.dialects import postgresql

from app.db import UTCDateTime

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')

revision = 'f1a2b3c4d5e6'
down_revision = 'e5b1c9a3f7d2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('deployment') as batch:
        batch.add_column(sa.Column('approved_by', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('request_id', sa.Integer(), nullable=True))
    op.create_table(
        'design_draft',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('file_name', sa.String(length=128), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('owner', sa.String(length=64), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('base_number', sa.Integer(), nullable=True),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_design_draft')),
        sa.UniqueConstraint('file_name', 'owner', name=op.f('uq_design_draft_file_name_owner')),
    )
    with op.batch_alter_table('design_draft') as batch:
        batch.create_index(batch.f('ix_design_draft_file_name'), ['file_name'], unique=False)
        batch.create_index(batch.f('ix_design_draft_owner'), ['owner'], unique=False)
    op.create_table(
        'design_draft_revision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('draft_id', sa.Integer(), nullable=False),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('saved_by', sa.String(length=64), nullable=False),
        sa.Column('saved_at', UTCDateTime(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['draft_id'], ['design_draft.id'], name=op.f('fk_design_draft_revision_draft_id_design_draft'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_design_draft_revision')),
    )
    with op.batch_alter_table('design_draft_revision') as batch:
        batch.create_index(batch.f('ix_design_draft_revision_draft_id'), ['draft_id'], unique=False)
    op.create_table(
        'deploy_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('title', sa.String(length=256), nullable=False),
        sa.Column('requested_by', sa.String(length=64), nullable=False),
        sa.Column('requested_at', UTCDateTime(), nullable=False),
        sa.Column('reason', sa.String(length=1000), nullable=False),
        sa.Column('base_number', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('diff', JSON, nullable=False),
        sa.Column('scenarios', JSON, nullable=False),
        sa.Column('warnings', JSON, nullable=False),
        sa.Column('open_instances', JSON, nullable=False),
        sa.Column('instance_id', sa.Integer(), nullable=True),
        sa.Column('decided_by', sa.String(length=64), nullable=True),
        sa.Column('decided_at', UTCDateTime(), nullable=True),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('deployment_number', sa.Integer(), nullable=True),
        sa.Column('rollback_to', sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_deploy_request')),
    )
    with op.batch_alter_table('deploy_request') as batch:
        batch.create_index(batch.f('ix_deploy_request_requested_by'), ['requested_by'], unique=False)
        batch.create_index(batch.f('ix_deploy_request_status'), ['status'], unique=False)
    op.create_table(
        'deploy_request_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=128), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('base_sha256', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(['request_id'], ['deploy_request.id'],
                                name=op.f('fk_deploy_request_file_request_id_deploy_request'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_deploy_request_file')),
        sa.UniqueConstraint('request_id', 'name', name=op.f('uq_deploy_request_file_request_id_name')),
    )
    with op.batch_alter_table('deploy_request_file') as batch:
        batch.create_index(batch.f('ix_deploy_request_file_request_id'), ['request_id'], unique=False)


def downgrade():
    op.drop_table('deploy_request_file')
    op.drop_table('deploy_request')
    op.drop_table('design_draft_revision')
    op.drop_table('design_draft')
    with op.batch_alter_table('deployment') as batch:
        batch.drop_column('request_id')
        batch.drop_column('approved_by')
