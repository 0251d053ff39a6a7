import click
from flask.cli import AppGroup

from app.cli.common import acting_user, config, transaction
from app.domain.people import create_user
from app.extensions import db

users_cli = AppGroup("users", help="用户")


@users_cli.command("create")
@click.argument("username")
@click.option("--name", "display_name", required=True, help="姓名")
@click.option("--org", required=True, help="单位代码")
@click.option("--role", "roles", multiple=True, required=True, help="角色代码，可多次")
@click.password_option()
@click.option("--as", "actor_name", default="admin", show_default=True, help="以哪个用户的身份操作")
def create_command(username, display_name, org, roles, password, actor_name):
    """Create a user with hashed password and roles."""
    with transaction():
        create_user(db.session, acting_user(actor_name), username, display_name, password, org, list(roles),
                    config().PASSWORD_HASH_METHOD)
    click.echo(f"已创建用户 {username}")
