"""The Alembic scripts and the models describe the same schema (what `flask db check` asks)."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from app.extensions import db, migrate

# Known defect, PostgreSQL only: migration 6400cab1638c declares this use_alter foreign key inside create_table,
# which SQLite renders inline but PostgreSQL never adds. It excuses only itself until a migration creates it.
KNOWN_MISSING_ON_POSTGRESQL = ("responsibility_item", "fk_responsibility_item_current_id_item_version")


def test_the_scripts_have_one_head_and_the_upgraded_database_is_at_it(app):
    heads = ScriptDirectory(migrate.directory).get_heads()
    assert len(heads) == 1, f"branched migrations, merge them: {heads}"
    with db.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_heads() == tuple(heads)


def test_the_upgraded_database_matches_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "compare_server_default": True})
        differences = compare_metadata(context, db.metadata)
    if db.engine.dialect.name == "postgresql" and differences and all(map(is_known_missing_key, differences)):
        pytest.xfail("migration 6400cab1638c never created fk_responsibility_item_current_id_item_version on PostgreSQL")
    assert differences == [], "the models changed without a migration: run `flask db migrate -m …`"


def is_known_missing_key(difference):
    return difference[0] == "add_fk" and (difference[1].table.name, difference[1].name) == KNOWN_MISSING_ON_POSTGRESQL
