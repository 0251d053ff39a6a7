"""Moving running instances to another version of their process: dry run, batch, report, revert."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.definitions.operations import list_processes
from app.domain import access
from app.domain.people import display_names
from app.edge import int_arg
from app.errors import DomainError
from app.extensions import db
from app.messages import msg
from app.web.console_list import instance_url
from app.web.presenters import local_zone
from app.web.views import bp
from app.workflow import version_migration as vm
from app.workflow.operating import require_reader


def _runtime():
    return current_app.extensions["tianchang.runtime"]


def _choice():
    """The page's process, source versions (empty: all older) and target version, from the query string."""
    process_id = (request.args.get("process") or "").strip()[:64] or None
    versions = vm.versions_of(db.session, process_id) if process_id else []
    sources = sorted({int(v) for v in request.args.getlist("from") if v.isdigit() and len(v) < 10})
    target = int_arg(request.args, "to") or (versions[0] if versions else None)
    return process_id, versions, sources, target


@bp.route("/admin/migrations")
def migrations_page():
    require_reader(current_user)
    process_id, versions, sources, target = _choice()
    found, problem = None, None
    if process_id and target and request.args.get("run") == "1":
        try:
            found = vm.dry_run(db.session, _runtime(), current_user, process_id, sources or None, target)
        except DomainError as err:
            problem = err.message
    processes = list_processes(db.session)
    batches = vm.list_batches(db.session, current_user, 10)
    return render_template(
        "admin/migrations.html", processes=processes, names={p.process_id: p.name for p in processes},
        process_id=process_id, versions=versions,
        sources=sources, target=target, found=found, problem=problem,
        batches=batches, people=display_names(db.session, {b.by for b in batches}),
        operate=access.may_administer_instances(current_user), instance_url=instance_url, tz=local_zone())


@bp.route("/admin/migrations", methods=["POST"])
def migrations_run():
    form = request.form
    process_id, target = form.get("process", ""), int_arg(form, "to")
    ids = [int(i) for i in form.getlist("ids") if i.isdigit() and len(i) < 10]
    try:
        batch = vm.migrate(db.session, _runtime(), current_user, process_id, target, ids, form.get("reason"))
    except DomainError as err:
        flash(err.message, "error")
        return redirect(url_for("web.migrations_page", process=process_id, to=target, run=1))
    return redirect(url_for("web.migration_report", batch_id=batch.id))


@bp.route("/admin/migrations/<int:batch_id>")
def migration_report(batch_id):
    batch = vm.get_batch(db.session, current_user, batch_id)
    people = display_names(db.session, {batch.by} | {m.reverted_by for m in batch.moves})
    return render_template("admin/migration_report.html", batch=batch, vm=vm, instance_url=instance_url,
                           operate=access.may_administer_instances(current_user), tz=local_zone(), people=people)


@bp.route("/admin/migrations/moves/<int:move_id>/revert", methods=["POST"])
def migration_revert(move_id):
    batch_id = int_arg(request.form, "batch")
    try:
        move = vm.revert(db.session, _runtime(), current_user, move_id, request.form.get("reason"))
        flash(msg("migration.reverted", version=move.from_deployment.number), "ok")
        batch_id = move.batch_id
    except DomainError as err:
        flash(err.message, "error")
    return redirect(url_for("web.migration_report", batch_id=batch_id) if batch_id else url_for("web.migrations_page"))
