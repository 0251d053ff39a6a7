import click
from flask.cli import AppGroup

from app.cli.common import acting_user, transaction, user_option
from app.domain.actors import Actor
from app.extensions import db
from app.governance.list_excel import export_items, import_items, read_rows
from app.governance.lists import KINDS
from app.messages import msg

lists_cli = AppGroup("lists", help=msg("cli.lists"))


@lists_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--reason", default=msg("list.import_reason"), show_default=True, help=msg("cli.lists.reason_option"))
@user_option
def import_command(path, reason, username):
    """Import FILE.xlsx: every row is checked first; one bad row rejects the file and changes nothing."""
    with open(path, "rb") as handle:
        content = handle.read()
    with transaction():
        total = sum(1 for _ in read_rows(content))
        with click.progressbar(length=total, label=msg("cli.lists.checking")) as bar:
            result = import_items(db.session, Actor.of(acting_user(username)), content, reason, progress=bar.update)
    click.echo(msg("cli.lists.imported", created=result.created, revised=result.revised, unchanged=result.unchanged))


@lists_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@click.option("--kind", type=click.Choice(list(KINDS)), default=None, help=msg("cli.lists.kind_option"))
def export_command(path, kind):
    """Export the current version of every active item to FILE.xlsx."""
    with open(path, "wb") as handle:
        handle.write(export_items(db.session, kind))
    click.echo(msg("cli.lists.exported", path=path))
