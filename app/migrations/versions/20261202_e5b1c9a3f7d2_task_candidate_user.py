"""task candidate user: a candidate may name one user (an assignee, the instance's initiator)

Candidates are unique by (task, role, organisation, user), so a task may name several users (an assignee and
the initiator): the primary key becomes a surrogate id, and a unique constraint takes the four columns.

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

UNIQUE = 'uq_task_candidate_task_id_role_org_code_username'
COLUMNS = ['task_id', 'role', 'org_code', 'username']


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint('pk_task_candidate', 'task_candidate', type_='primary')
        op.execute('ALTER TABLE task_candidate ADD COLUMN id SERIAL NOT NULL')  # as the model's integer key is made
        op.create_primary_key('pk_task_candidate', 'task_candidate', ['id'])
        op.add_column('task_candidate', sa.Column('username', sa.String(length=64), nullable=True))
        op.create_unique_constraint(UNIQUE, 'task_candidate', COLUMNS)
        return
    with op.batch_alter_table('task_candidate', recreate='always') as batch:  # SQLite: the rows get ids as copied
        batch.drop_constraint('pk_task_candidate', type_='primary')
        batch.add_column(sa.Column('id', sa.Integer(), nullable=False))
        batch.add_column(sa.Column('username', sa.String(length=64), nullable=True))
        batch.create_primary_key('pk_task_candidate', ['id'])
        batch.create_unique_constraint(UNIQUE, COLUMNS)


def downgrade():
    op.execute('DELETE FROM task_candidate WHERE username IS NOT NULL')  # the old key cannot hold them
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint(UNIQUE, 'task_candidate', type_='unique')
        op.drop_constraint('pk_task_candidate', 'task_candidate', type_='primary')
        op.drop_column('task_candidate', 'username')
        op.drop_column('task_candidate', 'id')
        op.create_primary_key('pk_task_candidate', 'task_candidate', ['task_id', 'role', 'org_code'])
        return
    with op.batch_alter_table('task_candidate', recreate='always') as batch:
        batch.drop_constraint(UNIQUE, type_='unique')
        batch.drop_constraint('pk_task_candidate', type_='primary')
        batch.drop_column('username')
        batch.drop_column('id')
        batch.create_primary_key('pk_task_candidate', ['task_id', 'role', 'org_code'])
