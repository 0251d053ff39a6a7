"""instance console: whether an instance has an open task, and the indexes the instance list filters and counts by

Revision ID: c3d4e5f6a7b9
Revises: b2c3d4e5f6a8
Create Date: 2026-12-06 09:00:00

The console's list (app/workflow/instance_list.py) counts per status under each filter with an index-only scan of
an index led by the filter and ending with (status, has_open_task): a running instance without an open human task
is "waiting". `has_open_task` is set by every save (app/workflow/task_sync.py) and filled here from the open tasks.
A page is read newest first from the primary key, or from (status, has_open_task, id) for a status tab; the
business-key prefix search uses a pattern-ops index on PostgreSQL (LIKE 'HJ2026%' in any collation). An instance's open
tasks are probed by (instance_id, status, due_at), and a candidate's task leads to its instance through
(id, instance_id) without reading the table.
"""
import sqlalchemy as sa
from alembic import op

revision = 'c3d4e5f6a7b9'
down_revision = 'b2c3d4e5f6a8'
branch_labels = None
depends_on = None

INSTANCE_INDEXES = {
    "ix_process_instance_status_open": ["status", "has_open_task", "id"],
    "ix_process_instance_process_status": ["process_id", "status", "has_open_task"],
    "ix_process_instance_deployment_status": ["deployment_id", "process_id", "status", "has_open_task"],
    "ix_process_instance_org_status": ["org_code", "status", "has_open_task"],
    "ix_process_instance_started_at": ["started_at"],
}


def upgrade():
    with op.batch_alter_table('process_instance') as batch:
        batch.add_column(sa.Column('has_open_task', sa.Boolean(), server_default='0', nullable=False))
    op.execute("UPDATE process_instance SET has_open_task = EXISTS (SELECT 1 FROM human_task "
               "WHERE human_task.instance_id = process_instance.id AND human_task.status = 'open')")
    for name, columns in INSTANCE_INDEXES.items():
        op.create_index(name, "process_instance", columns, unique=False)
    op.create_index("ix_process_instance_business_key_prefix", "process_instance", ["business_key"], unique=False,
                    postgresql_ops={"business_key": "varchar_pattern_ops"})
    op.create_index("ix_human_task_instance_status", "human_task", ["instance_id", "status", "due_at"], unique=False)
    op.create_index("ix_human_task_id_instance", "human_task", ["id", "instance_id"], unique=False)
    op.create_index("ix_task_candidate_org_task", "task_candidate", ["org_code", "task_id"], unique=False)


def downgrade():
    op.drop_index("ix_task_candidate_org_task", table_name="task_candidate")
    op.drop_index("ix_human_task_id_instance", table_name="human_task")
    op.drop_index("ix_human_task_instance_status", table_name="human_task")
    op.drop_index("ix_process_instance_business_key_prefix", table_name="process_instance")
    for name in reversed(INSTANCE_INDEXES):
        op.drop_index(name, table_name="process_instance")
    with op.batch_alter_table('process_instance') as batch:
        batch.drop_column('has_open_task')
