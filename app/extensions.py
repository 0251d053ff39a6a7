"""Unbound extension singletons; create_app binds them with init_app."""

from pathlib import Path

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_wtf.csrf import CSRFProtect

from app.db import db

# The Alembic scripts ship inside the package, so `tianchang db upgrade` works from any folder.
migrate = Migrate(directory=str(Path(__file__).parent / "migrations"))
login_manager = LoginManager()
csrf = CSRFProtect()
api = Api()

__all__ = ["api", "csrf", "db", "login_manager", "migrate"]
