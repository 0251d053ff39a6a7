import sys

import click
from flask.cli import AppGroup

from app.domain.audit import verify_chains, write_checkpoint
from app.extensions import db

audit_cli = AppGroup("audit", help="记录仪：校验哈希链")


@audit_cli.command("verify")
def verify_command():
    """Check every chain and checkpoint; exit 1 at the first broken link."""
    result = verify_chains(db.session)
    click.echo(result.message, err=not result.ok)
    sys.exit(0 if result.ok else 1)


@audit_cli.command("checkpoint")
def checkpoint_command():
    """Chain the heads of all streams into a new checkpoint now."""
    checkpoint = write_checkpoint(db.session)
    db.session.commit()
    click.echo(f"检查点 {checkpoint.id}：{len(checkpoint.heads)} 条链")
