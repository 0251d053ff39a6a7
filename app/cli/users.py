import click
from flask.cli import AppGroup

from app.cli.common import acting_user, config, transaction
from app.domain.actors import Actor
from app.domain.people import create_user
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
