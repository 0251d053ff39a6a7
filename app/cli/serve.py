"""The development server, with the timer sweep on a background thread."""

import threading

import click
from flask import current_app
from sqlalchemy.orm import Session
from werkzeug.serving import run_simple

from app.cli.sweep import tick
from app.extensions import db


def start_timer_thread(app, interval, stop=None):
    """Sweep due timers every `interval` seconds until the process ends (or `stop` is set); returns `stop`."""
    stop = stop or threading.Event()
    runtime = app.extensions["tianchang.runtime"]
    checkpoint_every = app.extensions["tianchang.config"].AUDIT_CHECKPOINT_INTERVAL

    def loop():
        while not stop.wait(interval):
            with app.app_context():
                try:
                    tick(lambda: Session(db.engine), runtime, checkpoint_every)
                except Exception:  # keep sweeping; the error is logged
                    app.logger.exception("timer sweep failed")

    thread = threading.Thread(target=loop, name="timer-sweep", daemon=True)
    thread.start()
    return stop


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
def serve_command(host, port):
    """Serve the app with the development server and the timer thread."""
    app = current_app._get_current_object()
    interval = app.extensions["tianchang.config"].TIMER_INTERVAL
    if interval > 0:
        start_timer_thread(app, interval)
    run_simple(host, port, app, threaded=True, use_reloader=False)
