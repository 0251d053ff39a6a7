"""Unbound extension singletons; create_app binds them with init_app."""

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_wtf.csrf import CSRFProtect

from app.db import db

migrate = Migrate(directory="app/migrations")
login_manager = LoginManager()
csrf = CSRFProtect()
api = Api()

__all__ = ["api", "csrf", "db", "login_manager", "migrate"]
