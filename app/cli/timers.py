import time

import click
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from app.cli.common import config, runtime
from app.cli.sweep import tick
from app.extensions import db
from app.messages import msg

timers_cli = AppGroup("timers", help=msg("cli.timers"))


def _sweep():
    return tick(lambda: Session(db.engine), runtime(), config().AUDIT_CHECKPOINT_INTERVAL)


@timers_cli.command("tick")
def tick_command():
    """Fire every due timer once."""
    result = _sweep()
    key = "cli.timers.fired_checkpoint" if result.checkpoint else "cli.timers.fired"
    click.echo(msg(key, fired=result.fired, failed=result.failed))


@timers_cli.command("run")
@click.option("--interval", default=5.0, show_default=True, help=msg("cli.timers.interval_option"))
@click.option("--iterations", default=0, help=msg("cli.timers.iterations_option"))
def run_command(interval, iterations):
    """Fire due timers in a loop (the worker)."""
    count = 0
    while iterations == 0 or count < iterations:
        result = _sweep()
        if result.fired or result.failed:
            click.echo(msg("cli.timers.fired", fired=result.fired, failed=result.failed))
        count += 1
        time.sleep(interval)
