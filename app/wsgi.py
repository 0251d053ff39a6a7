"""The production entry point (`gunicorn app.wsgi:application`): keys must be configured, nothing is generated."""

from app import create_app
from app.config import Config

application = create_app(Config.from_env(ENV="production"))
