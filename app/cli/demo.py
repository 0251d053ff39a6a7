from functools import partial

import click
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from app.cli.common import config, transaction
from app.governance.demo import load_demo

demo_cli = AppGroup("demo", help="演示数据")


@demo_cli.command("load")
def load_command():
    """Load Tianchang's organisations, one demo user per role, and the holiday table (idempotent)."""
    with transaction() as session:
        result = load_demo(session, config().DEMO_PASSWORD, config().PASSWORD_HASH_METHOD)
    click.echo(f"演示数据：{result['orgs']} 个单位，新建 {result['users_created']} 个用户、{result['items_created']} 个清单事项")


@demo_cli.command("scenario")
@click.argument("name", type=click.Choice(["fishing"]))
@click.option("--once", is_flag=True, help="已有呼叫记录时跳过（供 make run 使用）")
def scenario_command(name, once):
    """Play a scripted case through the real procedures (fishing: 高邮湖电鱼, seed's example)."""
    from sqlalchemy import func, select

    from app.cli.common import runtime
    from app.cli.sweep import tick
    from app.extensions import db
    from app.governance.calls import Call
    from app.governance.scenarios import play_fishing

    if once and db.session.scalar(select(func.count()).select_from(Call)):
        click.echo("已有呼叫记录，跳过演示场景")
        return
    sweep = partial(tick, lambda: Session(db.engine), runtime(), config().AUDIT_CHECKPOINT_INTERVAL)
    for line in play_fishing(db.session, runtime(), db.session.commit, sweep, config().TIMEZONE):
        click.echo(line)
