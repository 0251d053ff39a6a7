"""What a start page needs: the newest version of a process and its start form."""

from app.definitions.operations import latest_process


def start_form_of(session, runtime, process_id):
    process = latest_process(session, process_id)
    form = runtime.form(session, process.deployment_id, process.start_form) if process.start_form else None
    return process, form
