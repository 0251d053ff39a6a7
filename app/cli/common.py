"""Shared pieces of the CLI: the acting user, the runtime, and domain errors as exit codes."""

import sys
from contextlib import contextmanager

import click
from flask import current_app
from sqlalchemy import text

from app.domain.people import get_user
from app.errors import DefinitionInvalid, DomainError
from app.extensions import db
from app.messages import msg


def runtime():
    return current_app.extensions["tianchang.runtime"]


def config():
    return current_app.extensions["tianchang.config"]


def acting_user(username):
    return get_user(db.session, username)


@contextmanager
def transaction():
    """Commit on success; on a domain error print it in Chinese, roll back and exit 1."""
    try:
        yield db.session
        db.session.commit()
    except DefinitionInvalid as err:
        db.session.rollback()
        click.echo(err.message, err=True)
        echo_problems(err.problems, err=True)
        sys.exit(1)
    except DomainError as err:
        db.session.rollback()
        click.echo(err.message, err=True)
        for field, messages in (err.errors or {}).items():
            click.echo(f"  {field}: {messages}", err=True)
        sys.exit(1)


user_option = click.option("--user", "username", default="admin", show_default=True, help=msg("cli.user_option"))


def echo_problems(problems, err=False):
    """One line a problem: 错误 or 提醒, file:line, [element], message."""
    for p in problems:
        where = ":".join(str(x) for x in (p.file, p.line) if x)
        kind = msg("cli.problem.error") if getattr(p, "is_error", True) else msg("cli.problem.warning")
        click.echo(f"  {kind} {where} [{p.element_id or '-'}] {p.message}", err=err)


def without_statement_limit(session):
    """A whole-database job (verifying every chain) may run long: lift the server's statement limit for it."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET statement_timeout = 0"))
