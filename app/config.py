"""Every setting of the platform, with its default; read from the environment with prefix TIANCHANG_."""

import os
import secrets
from dataclasses import dataclass, field, fields
from pathlib import Path

from app.messages import msg

PREFIX = "TIANCHANG_"


@dataclass
class Config:
    # Database URL; PostgreSQL as postgresql+psycopg://user:pw@host/db.
    DATABASE_URL: str = "sqlite:///instance/tianchang.db"
    # development | production. Production refuses to start without a configured SECRET_KEY and AUDIT_KEY.
    ENV: str = "development"
    # Signs sessions and CSRF tokens. There is no built-in value: unset, it is read from SECRET_KEY_FILE, which
    # development creates (random, mode 0600) on first run; production refuses to start without one.
    SECRET_KEY: str = ""
    SECRET_KEY_FILE: str = "instance/secret_key"
    # Keys the HMAC-SHA-256 of audit events and checkpoints; kept outside the database, read from AUDIT_KEY_FILE
    # (created like the secret key in development) when unset.
    AUDIT_KEY: str = ""
    AUDIT_KEY_FILE: str = "instance/audit_key"
    # Send the session cookie only over HTTPS (set when the site is served behind TLS).
    SESSION_COOKIE_SECURE: bool = False
    # Failed logins per username and per address before sign-in is refused for LOGIN_LOCKOUT seconds.
    LOGIN_MAX_FAILURES: int = 5
    LOGIN_LOCKOUT: int = 15 * 60
    # Where attachments are stored, one folder per instance.
    UPLOAD_DIR: str = "instance/uploads"
    # Password of every demo user created by `flask demo load`.
    DEMO_PASSWORD: str = "tianchang"
    # Werkzeug hash method for passwords; tests use a cheap one.
    PASSWORD_HASH_METHOD: str = "scrypt"
    # Local time zone of the county: working hours and dates are computed in it.
    TIMEZONE: str = "Asia/Shanghai"
    # Working hours per working day, local time, as HH:MM-HH:MM ranges.
    WORKING_HOURS: str = "09:00-12:00,13:30-17:30"
    # Wall-clock seconds one script, condition or expression may run.
    SCRIPT_TIME_LIMIT: float = 2.0
    # Largest string, list or number (in digits) a script may build.
    SCRIPT_SIZE_LIMIT: int = 1_000_000
    # One advance of an instance (engine steps between two waits) stops after this many task transitions or
    # seconds, and the instance waits in error: a loop in a diagram never holds a request or a lock for long.
    ENGINE_STEP_BUDGET: int = 10_000
    ENGINE_TIME_LIMIT: float = 5.0
    # Most flow nodes in one process of a deployed diagram.
    MAX_FLOW_NODES: int = 400
    # Largest BPMN or DMN file of a bundle, in bytes, and most XML elements in one (diagram interchange included).
    MAX_DIAGRAM_BYTES: int = 2 * 1024 * 1024
    MAX_DIAGRAM_ELEMENTS: int = 20_000
    # Largest form file in bytes, longest text of any one form property (a label, a text block), most components.
    MAX_FORM_BYTES: int = 256 * 1024
    MAX_FORM_TEXT: int = 10_000
    MAX_FORM_COMPONENTS: int = 500
    # Seconds between sweeps of the timer thread of the development server (0 = off).
    TIMER_INTERVAL: float = 10.0
    # Seconds between audit checkpoints written by the timer sweep.
    AUDIT_CHECKPOINT_INTERVAL: float = 3600.0
    # Largest single attachment (photo, document) in bytes.
    MAX_ATTACHMENT_SIZE: int = 10 * 1024 * 1024
    # Largest photo (width × height) a thumbnail is made of; a bigger one is refused before it is decoded (a
    # decompression bomb: a small file that unpacks to gigabytes). 40 M covers every phone camera.
    MAX_IMAGE_PIXELS: int = 40_000_000
    # The longer side of a photo's thumbnail in pixels (pages show it at up to half of that on phones).
    THUMBNAIL_SIZE: int = 320
    # Largest accepted request body in bytes.
    MAX_CONTENT_LENGTH: int = 20 * 1024 * 1024
    # The font of exported PDFs (记录仪: a closed call's record): a TrueType file or collection with Chinese glyphs,
    # WenQuanYi Micro Hei from Debian's fonts-wqy-microhei by default; PDF_FONT_INDEX picks the face of a .ttc.
    # Without it, an export is refused with a Chinese message naming the file.
    PDF_FONT: str = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
    PDF_FONT_INDEX: int = 0
    # Largest side in px of a photo printed in an exported PDF: a derivative like the thumbnails (upright, no
    # metadata, so no position); the archive package keeps the originals, which its hashes prove.
    PDF_PHOTO_SIZE: int = 960
    # SQLite: journal mode and synchronous level (see docs/architecture.md).
    SQLITE_JOURNAL_MODE: str = "WAL"
    SQLITE_SYNCHRONOUS: str = "NORMAL"
    # Seconds a SQLite writer waits for the lock before giving up.
    SQLITE_BUSY_TIMEOUT: float = 15.0
    # PostgreSQL: seconds a statement may wait for a lock, run, or a transaction sit idle before the server ends it.
    PG_LOCK_TIMEOUT: float = 10.0
    PG_STATEMENT_TIMEOUT: float = 30.0
    PG_IDLE_IN_TRANSACTION_TIMEOUT: float = 60.0
    # A designer's deploy from the studio goes to 编办 for approval (the deployment_approval procedure); false lets an
    # admin publish directly. The CLI deploy (`flask processes deploy`, used by `make run`) is always direct, audited.
    DEPLOY_APPROVAL: bool = True
    # Working days after a period's assessment is published during which an organisation may appeal (申诉) it.
    ASSESSMENT_APPEAL_DAYS: int = 5
    # Wall-clock seconds one run of a bundle's scenario tests may take (in its own process and database).
    SCENARIO_TIME_LIMIT: float = 120.0
    # Session lifetime in seconds.
    SESSION_LIFETIME: int = 8 * 3600
    TESTING: bool = False
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ=None, **overrides):
        """Build the configuration from TIANCHANG_* variables, then explicit overrides."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = environ.get(PREFIX + f.name)
            if raw is None or f.name == "extra":
                continue
            values[f.name] = _coerce(f.type, raw)
        values.update(overrides)
        config = cls(**values)
        config.load_keys()
        return config

    @property
    def production(self):
        return self.ENV == "production"

    def load_keys(self):
        """Fill unset keys from their files; development creates missing files, production refuses."""
        for name in ("SECRET_KEY", "AUDIT_KEY"):
            if not getattr(self, name):
                setattr(self, name, read_key_file(getattr(self, name + "_FILE"), create=not self.production))
        self.require_keys()

    def require_keys(self):
        missing = [name for name in ("SECRET_KEY", "AUDIT_KEY") if not getattr(self, name)]
        if missing:
            raise ConfigError(f"TIANCHANG_{missing[0]} is not configured (or {missing[0]}_FILE missing)")

    def flask_settings(self):
        """The subset Flask and its extensions read from app.config."""
        return {
            "SECRET_KEY": self.SECRET_KEY,
            "SQLALCHEMY_DATABASE_URI": absolute_sqlite(self.DATABASE_URL),
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options(self),
            "MAX_CONTENT_LENGTH": self.MAX_CONTENT_LENGTH,
            "PERMANENT_SESSION_LIFETIME": self.SESSION_LIFETIME,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": self.SESSION_COOKIE_SECURE,
            "REMEMBER_COOKIE_SAMESITE": "Lax",
            "TESTING": self.TESTING,
            "WTF_CSRF_TIME_LIMIT": None,
            "WTF_CSRF_CHECK_DEFAULT": False,  # the request boundary (app/edge.py) checks CSRF for cookie writes
            "JSON_AS_ASCII": False,
            "API_TITLE": msg("api.title"),
            "API_VERSION": "v1",
            "OPENAPI_VERSION": "3.0.3",
            "OPENAPI_URL_PREFIX": "/api",
            "OPENAPI_JSON_PATH": "openapi.json",
            "OPENAPI_SWAGGER_UI_PATH": None,
            "OPENAPI_REDOC_PATH": None,
        }


class ConfigError(RuntimeError):
    """The configuration cannot run the platform (a missing key in production)."""


def read_key_file(path, create):
    """The key stored in `path`; when asked, a new random key is written there first (mode 0600)."""
    key_path = Path(path)
    if key_path.exists():
        return key_path.read_text().strip()
    if not create:
        return ""
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it a moment ago
        return key_path.read_text().strip()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key + "\n")
    return key


def engine_options(config):
    """SQLAlchemy engine options for the configured database."""
    if config.DATABASE_URL.startswith("sqlite"):
        return {"connect_args": {"timeout": config.SQLITE_BUSY_TIMEOUT, "check_same_thread": False}}
    timeouts = {"lock_timeout": config.PG_LOCK_TIMEOUT, "statement_timeout": config.PG_STATEMENT_TIMEOUT,
                "idle_in_transaction_session_timeout": config.PG_IDLE_IN_TRANSACTION_TIMEOUT}
    options = " ".join(f"-c {name}={int(seconds * 1000)}" for name, seconds in timeouts.items())
    return {"pool_pre_ping": True, "connect_args": {"options": options}}


def absolute_sqlite(url):
    """Relative SQLite paths are relative to the working directory (Flask-SQLAlchemy would use instance/)."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url[len(prefix):].startswith("/") and url != "sqlite:///:memory:":
        return prefix + os.path.abspath(url[len(prefix):])
    return url


def _coerce(kind, raw):
    if kind in (int, "int"):
        return int(raw)
    if kind in (float, "float"):
        return float(raw)
    if kind in (bool, "bool"):
        return raw.lower() in ("1", "true", "yes", "on")
    return raw
