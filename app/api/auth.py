"""What API endpoints share: the acting user (the boundary in app/edge.py has authenticated it), runtime, config."""

from flask import current_app

from app.edge import acting_user as actor

__all__ = ["actor", "config", "runtime"]


def runtime():
    return current_app.extensions["tianchang.runtime"]


def config():
    return current_app.extensions["tianchang.config"]
