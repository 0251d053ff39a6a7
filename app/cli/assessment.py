"""`flask assessment compute|publish --period …`: compute a period's assessment, or publish (freeze) it."""

from zoneinfo import ZoneInfo

import click
from flask.cli import AppGroup

from app.cli.common import acting_user, config, runtime, transaction
from app.domain import access
from app.domain.actors import Actor
from app.errors import Forbidden, InvalidState
from app.extensions import db
from app.governance import assessment_runs as runs
from app.governance.assessment_periods import Period
from app.messages import label, msg

assessment_cli = AppGroup("assessment", help=msg("cli.assessment"))
period_option = click.option("--period", "period_text", required=True, help=msg("cli.assessment.period_option"))
user_option = click.option("--user", "username", default="bianban", show_default=True, help=msg("cli.user_option"))
reason_option = click.option("--reason", default="", help=msg("cli.assessment.reason_option"))


def _manager(username):
    user = acting_user(username)
    if not access.may_manage_assessment(user):
        raise Forbidden(msg("assessment.forbidden_manage"))
    return Actor.of(user)


@assessment_cli.command("compute")
@period_option
@user_option
@reason_option
def compute_command(period_text, username, reason):
    """Compute the period with the formula in force for it; a published period gets a new revision to review."""
    with transaction():
        period = Period.parse(period_text)
        run = runs.compute(db.session, _manager(username), period, ZoneInfo(config().TIMEZONE), reason)
        groups = runs.results(db.session, run)
    click.echo(msg("cli.assessment.computed", period=period.label, revision=run.revision,
                   formula=run.formula_version))
    for group, rows in groups.items():
        ranked = [row for row in rows if row["rank"] is not None]
        click.echo(msg("cli.assessment.group", group=label("assessment_group", group), ranked=len(ranked),
                       total=len(rows)))
        for row in ranked[:3]:
            click.echo(msg("cli.assessment.row", rank=row["rank"], name=row["name"], score=f"{row['score']:.2f}"))


@assessment_cli.command("publish")
@period_option
@user_option
@reason_option
def publish_command(period_text, username, reason):
    """Publish (freeze) the period's newest computed revision; a republish needs --reason."""
    with transaction():
        period = Period.parse(period_text)
        actor = _manager(username)
        newest = runs.runs_of(db.session, period.code)
        if not newest:
            raise InvalidState(msg("assessment.publish.nothing"))
        run = runs.publish(db.session, actor, newest[0]["id"], runtime().calendar(db.session),
                           config().ASSESSMENT_APPEAL_DAYS, reason)
    click.echo(msg("cli.assessment.published", period=period.label, revision=run.revision))
