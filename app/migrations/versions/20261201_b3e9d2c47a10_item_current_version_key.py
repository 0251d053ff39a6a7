"""item current version key: create on PostgreSQL the foreign key 6400cab1638c declared but never added there

Revision ID: b3e9d2c47a10
Revises: da4d1f675918
Create Date: 2026-12-01 11:50:00

"""
from alembic import op

revision = 'b3e9d2c47a10'
down_revision = 'da4d1f675918'
branch_labels = None
depends_on = None

NAME = 'fk_responsibility_item_current_id_item_version'


def upgrade():
    # SQLite wrote this key inline with the table; PostgreSQL skipped the use_alter key of create_table.
    if op.get_bind().dialect.name != 'sqlite':
        op.create_foreign_key(NAME, 'responsibility_item', 'item_version', ['current_id'], ['id'])


def downgrade():
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(NAME, 'responsibility_item', type_='foreignkey')
