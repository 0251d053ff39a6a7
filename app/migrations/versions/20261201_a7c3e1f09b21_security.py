"""security: session versions, token expiry and use, login throttling, attachments bound to instances

Revision ID: a7c3e1f09b21
Revises: 6cf13a70b3b4
Create Date: 2026-12-01 10:10:00

"""
from alembic import op
import sqlalchemy as sa

from app.db import UTCDateTime

revision = 'a7c3e1f09b21'
down_revision = '6cf13a70b3b4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('app_user') as batch:
        batch.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('api_token') as batch:
        batch.add_column(sa.Column('expires_at', UTCDateTime(), nullable=True))
        batch.add_column(sa.Column('last_used_at', UTCDateTime(), nullable=True))
    with op.batch_alter_table('attachment') as batch:
        batch.add_column(sa.Column('instance_id', sa.Integer(), nullable=True))
        batch.create_index(batch.f('ix_attachment_instance_id'), ['instance_id'], unique=False)
        batch.create_foreign_key(batch.f('fk_attachment_instance_id_process_instance'), 'process_instance',
                                 ['instance_id'], ['id'])
    op.create_table('login_throttle',
        sa.Column('key', sa.String(length=160), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('first_failed_at', UTCDateTime(), nullable=False),
        sa.Column('locked_until', UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle')),
    )


def downgrade():
    op.drop_table('login_throttle')
    with op.batch_alter_table('attachment') as batch:
        batch.drop_constraint(batch.f('fk_attachment_instance_id_process_instance'), type_='foreignkey')
        batch.drop_index(batch.f('ix_attachment_instance_id'))
        batch.drop_column('instance_id')
    with op.batch_alter_table('api_token') as batch:
        batch.drop_column('last_used_at')
        batch.drop_column('expires_at')
    with op.batch_alter_table('app_user') as batch:
        batch.drop_column('session_version')
