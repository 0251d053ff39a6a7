import time

import click
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from app.cli.common import config, runtime
from app.cli.sweep import tick
from app.extensions import db

timers_cli = AppGroup("timers", help="定时器：触发到期的定时事件")


def _sweep():
    return tick(lambda: Session(db.engine), runtime(), config().AUDIT_CHECKPOINT_INTERVAL)


@timers_cli.command("tick")
def tick_command():
    """Fire every due timer once."""
    result = _sweep()
    click.echo(f"触发 {result.fired} 个实例，失败 {result.failed} 个" + ("，已写入审计检查点" if result.checkpoint else ""))


@timers_cli.command("run")
@click.option("--interval", default=5.0, show_default=True, help="两次扫描之间的秒数")
@click.option("--iterations", default=0, help="扫描次数（0 = 一直运行）")
def run_command(interval, iterations):
    """Fire due timers in a loop (the worker)."""
    count = 0
    while iterations == 0 or count < iterations:
        result = _sweep()
        if result.fired or result.failed:
            click.echo(f"触发 {result.fired} 个实例，失败 {result.failed} 个")
        count += 1
        time.sleep(interval)
