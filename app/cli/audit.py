import json
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from app.cli.common import config, transaction, without_statement_limit
from app.domain.audit import make_anchor, record_anchor, record_verification, verify_chains, write_checkpoint
from app.domain.audit_package import verify_package
from app.extensions import db
from app.messages import msg

audit_cli = AppGroup("audit", help=msg("cli.audit"))


@audit_cli.command("verify")
@click.option("--anchor", "anchor_path", type=click.Path(dir_okay=False), default=None,
              help=msg("cli.audit.anchor_option"))
def verify_command(anchor_path):
    """Check every chain and checkpoint (and the anchor, if given); exit 1 at the first broken link."""
    anchor = _read_anchor(anchor_path) if anchor_path else None
    without_statement_limit(db.session)
    result = verify_chains(db.session, anchor)
    with transaction() as session:  # the overview shows when the record was last proven whole
        record_verification(session, result)
    click.echo(result.message, err=not result.ok)
    sys.exit(0 if result.ok else 1)


@audit_cli.command("checkpoint")
def checkpoint_command():
    """Chain the heads of all streams into a new checkpoint now."""
    with transaction() as session:
        checkpoint = write_checkpoint(session)
    click.echo(msg("audit.checkpoint_written", id=checkpoint.id, streams=len(checkpoint.heads)))


@audit_cli.command("anchor")
@click.option("--output", type=click.Path(dir_okay=False), default=None, help=msg("cli.audit.output_option"))
def anchor_command(output):
    """Print (or write) the keyed heads of all streams and the last checkpoint, to keep outside the database."""
    without_statement_limit(db.session)
    result = verify_chains(db.session)
    if not result.ok:
        click.echo(msg("audit.anchor_refused", reason=result.message), err=True)
        sys.exit(1)
    anchor = make_anchor(db.session)
    with transaction() as session:
        record_anchor(session, anchor)
    text = json.dumps(anchor, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    Path(output).write_text(text, encoding="utf-8")
    checkpoint = anchor["checkpoint"]["id"] if anchor["checkpoint"] else msg("audit.no_checkpoint")
    click.echo(msg("audit.anchor_written", path=output, streams=len(anchor["streams"]), checkpoint=checkpoint))


def _read_anchor(path):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        detail = msg("audit.anchor_no_file")
    except OSError as error:
        detail = error.strerror
    except ValueError:
        detail = msg("audit.anchor_not_json")
    click.echo(msg("audit.anchor_unreadable", path=path, detail=detail), err=True)
    sys.exit(1)


@audit_cli.command("verify-package", help=msg("cli.audit.verify_package"))
@click.argument("package_path", metavar="FILE", type=click.Path(dir_okay=False))
@click.option("--key-file", "key_path", type=click.Path(dir_okay=False), default=None,
              help=msg("cli.audit.key_file_option"))
@click.option("--structure-only", is_flag=True, help=msg("cli.audit.structure_only_option"))
def verify_package_command(package_path, key_path, structure_only):
    """Check an exported archive package offline (no database): sums, files, chains and, with the key, every HMAC."""
    blob = _read_bytes(package_path, "package.unreadable")
    key = None
    if not structure_only:
        key = _read_bytes(key_path, "package.key_unreadable").strip() if key_path else config().AUDIT_KEY.encode()
    report = verify_package(blob, key)
    click.echo(report.message, err=not report.ok)
    sys.exit(0 if report.ok else 1)


def _read_bytes(path, message_key):
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        detail = msg("package.no_file")
    except OSError as error:
        detail = error.strerror
    click.echo(msg(message_key, path=path, detail=detail), err=True)
    sys.exit(1)
