import json

import click
from flask.cli import AppGroup

from app.cli.common import acting_user, runtime, transaction, user_option
from app.extensions import db
from app.workflow import instances as ops
from app.workflow.models import INSTANCE_STATUSES

instances_cli = AppGroup("instances", help="流程实例：列表、详情、重试")


@instances_cli.command("list")
@click.option("--status", default=None)
@click.option("--process", "process_id", default=None)
@user_option
def list_command(status, process_id, username):
    rows, total = ops.list_instances(db.session, acting_user(username), status, process_id, per_page=200)
    for i in rows:
        version, status = f"v{i.deployment.number}", INSTANCE_STATUSES.get(i.status, i.status)
        click.echo(f"{i.id:6} {i.process_id:28} {version:5} {status:6} {i.started_by:12} {i.started_at:%Y-%m-%d %H:%M}")
    click.echo(f"共 {total} 个")


@instances_cli.command("show")
@click.argument("instance_id", type=int)
def show_command(instance_id):
    instance = ops.get_instance(db.session, instance_id)
    label = f"{instance.process_name}（{instance.process_id} v{instance.deployment.number}）"
    click.echo(f"实例 {instance.id} {label} 状态 {INSTANCE_STATUSES.get(instance.status, instance.status)}")
    if instance.error:
        click.echo(f"错误：{instance.error.get('task')} 第 {instance.error.get('line')} 行：{instance.error.get('message')}")
    click.echo(json.dumps(ops.instance_data(db.session, runtime(), instance), ensure_ascii=False, indent=2))


@instances_cli.command("retry")
@click.argument("instance_id", type=int)
@user_option
def retry_command(instance_id, username):
    with transaction():
        instance = ops.retry_instance(db.session, runtime(), acting_user(username), instance_id)
    click.echo(f"实例 {instance.id} 现在的状态：{INSTANCE_STATUSES.get(instance.status, instance.status)}")
