"""The `tianchang` console script: the same commands as `flask --app app`."""

import click
from flask.cli import FlaskGroup

from app import create_app


@click.group(cls=FlaskGroup, create_app=create_app)
def main():
    """天长协同治理 command line."""
