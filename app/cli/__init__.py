"""Command groups (`flask --app app …` or `tianchang …`); each command owns its transaction."""

import click
from flask.cli import FlaskGroup


def register_cli(app):
    from app.cli.audit import audit_cli
    from app.cli.demo import demo_cli
    from app.cli.instances import instances_cli
    from app.cli.processes import processes_cli
    from app.cli.serve import serve_command
    from app.cli.timers import timers_cli
    from app.cli.users import users_cli

    for group in (processes_cli, timers_cli, instances_cli, audit_cli, demo_cli, users_cli):
        app.cli.add_command(group)
    app.cli.add_command(serve_command)


def _create_app():
    from app import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def main():
    """天长协同治理 command line."""
