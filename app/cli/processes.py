import click
from flask.cli import AppGroup

from app.cli.common import acting_user, runtime, transaction, user_option
from app.definitions.operations import list_processes
from app.extensions import db
from app.workflow.deployments import deploy_files, read_bundle_dir, validate_files

processes_cli = AppGroup("processes", help="流程定义：校验、部署、列表")


@processes_cli.command("validate")
@click.argument("directories", nargs=-1, type=click.Path(exists=True, file_okay=False))
@user_option
def validate(directories, username):
    """Validate the BPMN, DMN and form files of DIR(s) as one bundle (default processes/ forms/)."""
    files = read_bundle_dir(*(directories or ("processes", "forms")))
    with transaction():
        bundle = validate_files(runtime(), acting_user(username), files)
    click.echo(f"校验通过：{len(bundle.parsed.process_files)} 个流程，{len(bundle.forms)} 个表单")


@processes_cli.command("deploy")
@click.argument("directories", nargs=-1, type=click.Path(exists=True, file_okay=False))
@click.option("--note", default="", help="版本说明")
@user_option
def deploy(directories, note, username):
    """Deploy DIR(s) as one new numbered version (nothing happens if unchanged)."""
    files = read_bundle_dir(*(directories or ("processes", "forms")))
    if not files:
        click.echo("没有可部署的文件（.bpmn、.dmn、.json），跳过")
        return
    with transaction():
        deployment, created = deploy_files(db.session, runtime(), acting_user(username), files, note)
    if created:
        click.echo(f"已部署版本 {deployment.number}（{len(files)} 个文件，校验和 {deployment.checksum[:12]}）")
    else:
        click.echo(f"内容与最新版本 {deployment.number} 相同，未创建新版本")


@processes_cli.command("list")
def list_command():
    """The newest version of each deployed process."""
    for p in list_processes(db.session):
        click.echo(f"{p.process_id:32} v{p.deployment.number:<4} {p.name}")
