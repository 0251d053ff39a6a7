import click
from flask.cli import AppGroup

from app.cli.common import config, transaction
from app.domain.demo import load_demo

demo_cli = AppGroup("demo", help="演示数据")


@demo_cli.command("load")
def load_command():
    """Load Tianchang's organisations, one demo user per role, and the holiday table (idempotent)."""
    with transaction() as session:
        result = load_demo(session, config().DEMO_PASSWORD, config().PASSWORD_HASH_METHOD)
    click.echo(f"演示数据：{result['orgs']} 个单位，新建 {result['users_created']} 个用户、{result['items_created']} 个清单事项")
