"""notification subject: a notice keeps what it is about (a call, a case, a task); the web edge makes its link

Revision ID: c41f7a2d9e03
Revises: b3e9d2c47a10
Create Date: 2026-12-01 13:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'c41f7a2d9e03'
down_revision = 'b3e9d2c47a10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notification') as batch:
        batch.add_column(sa.Column('subject', sa.String(length=96), nullable=True))
    # The inbox link the task notices used to carry is made at the web edge now.
    op.execute("UPDATE notification SET link = NULL WHERE link = '/'")


def downgrade():
    with op.batch_alter_table('notification') as batch:
        batch.drop_column('subject')
