"""instance migrations: each moved instance keeps its state before the move

Revision ID: b2c3d4e5f6a8
Revises: a1b2c3d4e5f7
Create Date: 2026-12-05 09:00:00

"""
import sqlalchemy as sa
from alembic import op

from app.db import UTCDateTime

revision = 'b2c3d4e5f6a8'
down_revision = 'a1b2c3d4e5f7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'migration_batch',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('process_id', sa.String(length=64), nullable=False),
        sa.Column('to_deployment_id', sa.Integer(), nullable=False),
        sa.Column('by', sa.String(length=64), nullable=False),
        sa.Column('at', UTCDateTime(), nullable=False),
        sa.Column('reason', sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(['to_deployment_id'], ['deployment.id'],
                                name=op.f('fk_migration_batch_to_deployment_id_deployment')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_migration_batch')),
    )
    op.create_index(op.f('ix_migration_batch_process_id'), 'migration_batch', ['process_id'], unique=False)
    op.create_table(
        'instance_migration',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('instance_id', sa.Integer(), nullable=False),
        sa.Column('result', sa.String(length=16), nullable=False),
        sa.Column('detail', sa.Text(), nullable=False),
        sa.Column('from_deployment_id', sa.Integer(), nullable=False),
        sa.Column('to_deployment_id', sa.Integer(), nullable=False),
        sa.Column('state_before', sa.LargeBinary(), nullable=True),
        sa.Column('serializer_version', sa.String(length=32), nullable=True),
        sa.Column('audit_seq_after', sa.Integer(), nullable=True),
        sa.Column('by', sa.String(length=64), nullable=False),
        sa.Column('at', UTCDateTime(), nullable=False),
        sa.Column('reason', sa.String(length=1000), nullable=False),
        sa.Column('reverted_at', UTCDateTime(), nullable=True),
        sa.Column('reverted_by', sa.String(length=64), nullable=True),
        sa.Column('revert_reason', sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(['batch_id'], ['migration_batch.id'],
                                name=op.f('fk_instance_migration_batch_id_migration_batch')),
        sa.ForeignKeyConstraint(['from_deployment_id'], ['deployment.id'],
                                name=op.f('fk_instance_migration_from_deployment_id_deployment')),
        sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'],
                                name=op.f('fk_instance_migration_instance_id_process_instance')),
        sa.ForeignKeyConstraint(['to_deployment_id'], ['deployment.id'],
                                name=op.f('fk_instance_migration_to_deployment_id_deployment')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_instance_migration')),
    )
    op.create_index(op.f('ix_instance_migration_batch_id'), 'instance_migration', ['batch_id'], unique=False)
    op.create_index(op.f('ix_instance_migration_instance_id'), 'instance_migration', ['instance_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_instance_migration_instance_id'), table_name='instance_migration')
    op.drop_index(op.f('ix_instance_migration_batch_id'), table_name='instance_migration')
    op.drop_table('instance_migration')
    op.drop_index(op.f('ix_migration_batch_process_id'), table_name='migration_batch')
    op.drop_table('migration_batch')
