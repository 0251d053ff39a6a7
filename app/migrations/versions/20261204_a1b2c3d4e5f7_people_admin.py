"""people admin: organisation and user columns the admin's pages need

Revision ID: a1b2c3d4e5f7
Revises: f1a2b3c4d5e6
Create Date: 2026-12-04 09:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'a1b2c3d4e5f7'
down_revision = 'f1a2b3c4d5e6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisation') as batch:
        batch.add_column(sa.Column('active', sa.Boolean(), server_default='1', nullable=False))
    with op.batch_alter_table('app_user') as batch:
        batch.add_column(sa.Column('must_change_password', sa.Boolean(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('app_user') as batch:
        batch.drop_column('must_change_password')
    with op.batch_alter_table('organisation') as batch:
        batch.drop_column('active')
