import json

import click
from flask.cli import AppGroup

from app.cli.common import acting_user, runtime, transaction, user_option
from app.extensions import db
from app.messages import label, msg
from app.workflow import instances as ops

instances_cli = AppGroup("instances", help=msg("cli.instances"))


@instances_cli.command("list")
@click.option("--status", default=None)
@click.option("--process", "process_id", default=None)
@user_option
def list_command(status, process_id, username):
    rows, total = ops.list_instances(db.session, acting_user(username), status, process_id, per_page=200)
    for i in rows:
        version, status = f"v{i.deployment.number}", label("instance_status", i.status)
        click.echo(f"{i.id:6} {i.process_id:28} {version:5} {status:6} {i.started_by:12} {i.started_at:%Y-%m-%d %H:%M}")
    click.echo(msg("cli.instances.total", total=total))


@instances_cli.command("show")
@click.argument("instance_id", type=int)
def show_command(instance_id):
    instance = ops.get_instance(db.session, instance_id)
    click.echo(msg("cli.instances.shown", id=instance.id, name=instance.process_name, process=instance.process_id,
                   version=instance.deployment.number, status=label("instance_status", instance.status)))
    if instance.error:
        error = instance.error
        click.echo(msg("cli.instances.error", task=error.get("task"), line=error.get("line"), detail=error.get("message")))
    click.echo(json.dumps(ops.instance_data(db.session, runtime(), instance), ensure_ascii=False, indent=2))


@instances_cli.command("retry")
@click.argument("instance_id", type=int)
@user_option
def retry_command(instance_id, username):
    with transaction():
        instance = ops.retry_instance(db.session, runtime(), acting_user(username), instance_id)
    click.echo(msg("cli.instances.now", id=instance.id, status=label("instance_status", instance.status)))
