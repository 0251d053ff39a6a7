import json

import click
from flask.cli import AppGroup

from app.cli.common import acting_user, runtime, transaction, user_option
from app.extensions import db
from app.messages import label, msg
from app.workflow import instances as ops
from app.workflow import operating
from app.workflow import version_migration as migration

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
@click.option("--reason", required=True, help=msg("cli.instances.reason"))
@user_option
def retry_command(instance_id, reason, username):
    with transaction():
        instance = operating.retry_instance(db.session, runtime(), acting_user(username), instance_id, reason)
    click.echo(msg("cli.instances.now", id=instance.id, status=label("instance_status", instance.status)))


# --- version migration ---
def _versions(values):
    """The --from values as version numbers; None for `all` (every version older than the target)."""
    if not values or any(v == "all" for v in values):
        return None
    return [int(v) for value in values for v in value.split(",") if v.strip()]


@instances_cli.command("migrate", help=msg("migration.cli"))
@click.option("--process", "process_id", required=True)
@click.option("--from", "from_versions", multiple=True, help=msg("migration.cli.from"))
@click.option("--to", "to_version", type=int, required=True, help=msg("migration.cli.to"))
@click.option("--dry-run", is_flag=True, help=msg("migration.cli.dry_run"))
@click.option("--ids", default=None, help=msg("migration.cli.ids"))
@click.option("--reason", default="", help=msg("migration.cli.reason"))
@user_option
def migrate_command(process_id, from_versions, to_version, dry_run, ids, reason, username):
    with transaction():
        actor = acting_user(username)
        found = migration.dry_run(db.session, runtime(), actor, process_id, _versions(from_versions), to_version)
        chosen = [int(i) for i in ids.split(",") if i.strip()] if ids else [c.id for c in found if c.can_move]
        if dry_run or not chosen:
            _echo_dry_run(found)
            return
        batch = migration.migrate(db.session, runtime(), actor, process_id, to_version, chosen, reason)
    for move in batch.moves:
        click.echo(msg("migration.cli.result", id=move.instance_id, text=migration.move_text(move)))
    moved = sum(m.result == "moved" for m in batch.moves)
    click.echo(msg("migration.cli.summary", batch=batch.id, moved=moved, refused=len(batch.moves) - moved))


def _echo_dry_run(found):
    if not found:
        click.echo(msg("migration.cli.none"))
    for c in found:
        fields = dict(id=c.id, key=c.business_key or "-", version=c.version, status=label("instance_status", c.status),
                      steps="、".join(c.steps) or "-")
        if c.can_move:
            click.echo(msg("migration.cli.can", **fields))
        else:
            click.echo(msg("migration.cli.cannot", reasons="；".join(c.reasons), **fields))
    can = sum(c.can_move for c in found)
    click.echo(msg("migration.cli.dry_summary", total=len(found), can=can, cannot=len(found) - can))
