import click
from flask.cli import AppGroup

from app.cli.common import acting_user, echo_problems, runtime, transaction, user_option
from app.definitions.operations import list_processes
from app.extensions import db
from app.messages import msg
from app.workflow.deployments import deploy_checked, read_bundle_dir, validate_files

processes_cli = AppGroup("processes", help=msg("cli.processes"))


@processes_cli.command("validate")
@click.argument("directories", nargs=-1, type=click.Path(exists=True, file_okay=False))
@user_option
def validate(directories, username):
    """Validate the BPMN, DMN and form files of DIR(s) as one bundle (default processes/ forms/)."""
    files = read_bundle_dir(*(directories or ("processes", "forms")))
    with transaction():
        bundle = validate_files(runtime(), acting_user(username), files)
    click.echo(msg("cli.processes.valid", processes=len(bundle.parsed.process_files), forms=len(bundle.forms)))
    echo_problems(bundle.warnings)


@processes_cli.command("deploy")
@click.argument("directories", nargs=-1, type=click.Path(exists=True, file_okay=False))
@click.option("--note", default="", help=msg("cli.processes.note_option"))
@user_option
def deploy(directories, note, username):
    """Deploy DIR(s) as one new numbered version (nothing happens if unchanged)."""
    files = read_bundle_dir(*(directories or ("processes", "forms")))
    if not files:
        click.echo(msg("cli.processes.nothing"))
        return
    with transaction():
        deployed = deploy_checked(db.session, runtime(), acting_user(username), files, note)
    deployment = deployed.deployment
    if deployed.created:
        click.echo(msg("cli.processes.deployed", number=deployment.number, files=len(files),
                       checksum=deployment.checksum[:12]))
    else:
        click.echo(msg("def.unchanged", number=deployment.number))
    echo_problems(deployed.warnings)


@processes_cli.command("list")
def list_command():
    """The newest version of each deployed process."""
    for p in list_processes(db.session):
        click.echo(f"{p.process_id:32} v{p.deployment.number:<4} {p.name}")
