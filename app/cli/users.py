"""`flask users`: create a user, import organisations and users from Excel, write the import templates."""

import click
from flask.cli import AppGroup

from app.cli.common import acting_user, config, transaction, user_option
from app.domain.actors import Actor
from app.domain.people import create_user
from app.domain.people_import import import_orgs, import_users, template
from app.extensions import db
from app.messages import msg

users_cli = AppGroup("users", help=msg("cli.users"))


@users_cli.command("create")
@click.argument("username")
@click.option("--name", "display_name", required=True, help=msg("cli.users.name_option"))
@click.option("--org", required=True, help=msg("cli.users.org_option"))
@click.option("--role", "roles", multiple=True, required=True, help=msg("cli.users.role_option"))
@click.password_option()
@click.option("--as", "actor_name", default="admin", show_default=True, help=msg("cli.user_option"))
def create_command(username, display_name, org, roles, password, actor_name):
    """Create a user with hashed password and roles."""
    with transaction():
        create_user(db.session, Actor.of(acting_user(actor_name)), username, display_name, password, org, list(roles),
                    config().PASSWORD_HASH_METHOD)
    click.echo(msg("cli.users.created", username=username))


@users_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--orgs", "kind", flag_value="org", help=msg("cli.people.orgs_option"))
@click.option("--users", "kind", flag_value="user", default=True, help=msg("cli.people.users_option"))
@user_option
def import_command(path, kind, username):
    """Import organisations (--orgs) or users (--users, the default) from FILE.xlsx; one bad row imports nothing."""
    with open(path, "rb") as handle:
        content = handle.read()
    with transaction():
        actor = Actor.of(acting_user(username))
        result = (import_orgs(db.session, actor, content) if kind == "org"
                  else import_users(db.session, actor, content, config().PASSWORD_HASH_METHOD))
    click.echo(msg("people.imported", created=result.created, changed=result.changed, unchanged=result.unchanged))


@users_cli.command("template")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@click.option("--orgs", "kind", flag_value="org", help=msg("cli.people.orgs_option"))
@click.option("--users", "kind", flag_value="user", default=True, help=msg("cli.people.users_option"))
def template_command(path, kind):
    """Write an empty import workbook with the Chinese headers."""
    with open(path, "wb") as handle:
        handle.write(template(kind))
    click.echo(msg("cli.people.template_written", path=path))
