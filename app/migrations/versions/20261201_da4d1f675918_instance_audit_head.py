"""instance audit head: each instance row keeps the head (seq, hash) of its audit stream

Revision ID: da4d1f675918
Revises: a7c3e1f09b21
Create Date: 2026-12-01 11:20:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'da4d1f675918'
down_revision = 'a7c3e1f09b21'
branch_labels = None
depends_on = None

GENESIS = "0" * 64
# The newest event of each instance's stream `instance:<id>` (portable SQL: SQLite and PostgreSQL).
STREAM = "'instance:' || CAST(process_instance.id AS VARCHAR(20))"


def upgrade():
    with op.batch_alter_table('process_instance') as batch:
        batch.add_column(sa.Column('audit_seq', sa.Integer(), server_default='0', nullable=False))
        batch.add_column(sa.Column('audit_hash', sa.String(length=64), server_default=GENESIS, nullable=False))
    op.execute(f"UPDATE process_instance SET audit_seq = COALESCE("
               f"(SELECT MAX(seq) FROM audit_event WHERE stream = {STREAM}), 0)")
    op.execute(f"UPDATE process_instance SET audit_hash = COALESCE((SELECT hash FROM audit_event "
               f"WHERE stream = {STREAM} AND seq = process_instance.audit_seq), '{GENESIS}')")


def downgrade():
    with op.batch_alter_table('process_instance') as batch:
        batch.drop_column('audit_hash')
        batch.drop_column('audit_seq')
