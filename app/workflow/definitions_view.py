"""What a start page needs: the newest version of a process and its start form."""

from app.definitions.operations import latest_process, list_processes
from app.domain.access import may_start


def startable_processes(session, user):
    """{process id: name} of the newest processes this user may start (the navigation offers exactly these)."""
    return {p.process_id: p.name for p in list_processes(session) if may_start(user, p)}


def start_form_of(session, runtime, process_id):
    process = latest_process(session, process_id)
    form = runtime.form(session, process.deployment_id, process.start_form) if process.start_form else None
    return process, form
