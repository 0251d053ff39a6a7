import click
from flask.cli import AppGroup

from app.cli.common import acting_user, transaction, user_option
from app.extensions import db
from app.governance.list_excel import export_items, import_items, read_rows
from app.governance.lists import KINDS

lists_cli = AppGroup("lists", help="清单：Excel 导入、导出")


@lists_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--reason", default="Excel 导入", show_default=True, help="修改理由（记入每个新版本）")
@user_option
def import_command(path, reason, username):
    """Import FILE.xlsx: every row is checked first; one bad row rejects the file and changes nothing."""
    with open(path, "rb") as handle:
        content = handle.read()
    with transaction():
        total = sum(1 for _ in read_rows(content))
        with click.progressbar(length=total, label="检查并导入") as bar:
            result = import_items(db.session, acting_user(username), content, reason, progress=bar.update)
    click.echo(f"导入完成：新增 {result.created} 项，修订 {result.revised} 项，未变 {result.unchanged} 项")


@lists_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@click.option("--kind", type=click.Choice(list(KINDS)), default=None, help="只导出一类")
def export_command(path, kind):
    """Export the current version of every active item to FILE.xlsx."""
    with open(path, "wb") as handle:
        handle.write(export_items(db.session, kind))
    click.echo(f"已导出到 {path}")
