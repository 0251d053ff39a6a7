"""task candidate user: a candidate may name one user (an assignee, the instance's initiator)

Revision ID: e5b1c9a3f7d2
Revises: c41f7a2d9e03
Create Date: 2026-12-02 09:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'e5b1c9a3f7d2'
down_revision = 'c41f7a2d9e03'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('task_candidate') as batch:
        batch.add_column(sa.Column('username', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('task_candidate') as batch:
        batch.drop_column('username')
