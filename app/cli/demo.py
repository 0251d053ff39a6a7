from datetime import timedelta
from functools import partial

import click
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from app.cli.common import config, runtime, transaction
from app.governance.demo import load_demo
from app.messages import msg

demo_cli = AppGroup("demo", help=msg("cli.demo"))


@demo_cli.command("load")
def load_command():
    """Load Tianchang's organisations, one demo user per role, and the holiday table (idempotent)."""
    with transaction() as session:
        result = load_demo(session, config().DEMO_PASSWORD, config().PASSWORD_HASH_METHOD)
    click.echo(msg("cli.demo.loaded", orgs=result["orgs"], users=result["users_created"], items=result["items_created"]))


@demo_cli.command("scenario")
@click.argument("name", type=click.Choice(["fishing"]))
@click.option("--once", is_flag=True, help=msg("cli.demo.once_option"))
def scenario_command(name, once):
    """Play a scripted case through the real procedures (fishing: 高邮湖电鱼, seed's example)."""
    from sqlalchemy import func, select

    from app.cli.sweep import tick
    from app.extensions import db
    from app.governance.calls import Call
    from app.governance.scenarios import play_fishing

    if once and db.session.scalar(select(func.count()).select_from(Call)):
        click.echo(msg("cli.demo.skipped"))
        return
    sweep = partial(tick, lambda: Session(db.engine), runtime(), config().AUDIT_CHECKPOINT_INTERVAL)
    photos = (config().UPLOAD_DIR, config().MAX_ATTACHMENT_SIZE)
    for line in play_fishing(db.session, runtime(), db.session.commit, sweep, config().TIMEZONE, photos=photos):
        click.echo(line)
    _assess_played_months()


def _assess_played_months():
    """The months the played cases fall in, assessed: finished months computed and published by the demo loader
    (so an organisation can read its card and appeal), this month computed for 编办 to review."""
    from zoneinfo import ZoneInfo

    from sqlalchemy import func, select

    from app.domain.actors import Actor
    from app.governance.assessment_periods import Period
    from app.governance.assessment_runs import compute, publish
    from app.governance.calls import Call
    from app.governance.overview_figures import county_today

    zone, actor = ZoneInfo(config().TIMEZONE), Actor.system("demo")
    with transaction() as session:
        first = session.scalar(select(func.min(Call.created_at)))
        this_month = Period.of_month(county_today(zone))
        month = Period.of_month(first.astimezone(zone).date()) if first else this_month
        while month <= this_month:
            run = compute(session, actor, month, zone)
            if month < this_month:
                publish(session, actor, run.id, runtime().calendar(session), config().ASSESSMENT_APPEAL_DAYS)
            click.echo(msg("cli.demo.assessment_published" if month < this_month else "cli.demo.assessment",
                           period=month.label, revision=run.revision))
            month = Period.of_month(month.last + timedelta(days=1))
