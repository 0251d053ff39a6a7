"""The Alembic scripts and the models describe the same schema (what `flask db check` asks)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from app.extensions import db, migrate


def test_the_scripts_have_one_head_and_the_upgraded_database_is_at_it(app):
    heads = ScriptDirectory(migrate.directory).get_heads()
    assert len(heads) == 1, f"branched migrations, merge them: {heads}"
    with db.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_heads() == tuple(heads)


def test_the_upgraded_database_matches_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "compare_server_default": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], "the models changed without a migration: run `flask db migrate -m …`"
