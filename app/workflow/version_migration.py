"""Move running instances to another version of their process: dry run, a batch, its report, a revert.

Each instance of a batch moves in its own savepoint (`session.begin_nested()`) inside the one transaction the edge
commits: a failing instance rolls back to its savepoint alone and is reported as refused, the others stay moved,
and the edge still owns the one commit (STYLE 22). The price is that the rows of the moved instances stay locked
until that commit; a batch is one page's selection, so the time is bounded by its size.

A moved instance keeps its state before the move (`InstanceMigration.state_before`); a revert puts it back with its
version, as long as nothing happened to the instance since (its audit stream's head is the one the move left).
"""

from dataclasses import dataclass

from sqlalchemy import select

from app.db import utcnow
from app.definitions.forms import validate_submission, walk
from app.definitions.loading import ensure_spec
from app.definitions.models import DeployedProcess, Deployment
from app.engine.migration import MigrationRefused, active_steps, check_migration, migrate_run
from app.errors import DomainError, InvalidState, NotFound, ValidationFailed
from app.messages import label, msg
from app.workflow.assignment import task_form_id, task_texts, text_helpers
from app.workflow.execution import advance, begin_run, lock_instance, save
from app.workflow.migration_models import InstanceMigration, MigrationBatch
from app.workflow.models import HumanTask, ProcessInstance
from app.workflow.operating import require_operator, require_reader
from app.workflow.recording import audit

OPEN_STATUSES = ("running", "suspended", "error")


@dataclass(frozen=True)
class Candidate:
    """One open instance in a dry run: where it stands and whether it can move (else the reasons, in Chinese)."""

    id: int
    business_key: str | None
    version: int
    status: str
    steps: list
    can_move: bool
    reasons: list


def dry_run(session, runtime, actor, process_id, from_versions, to_version):
    """Every open instance of the process on the source versions (None: all older than the target), with its verdict."""
    require_reader(actor)
    target = _target(session, process_id, to_version)
    rows = session.scalars(_open_instances(process_id, _sources(session, process_id, from_versions, target))
                           .order_by(ProcessInstance.id)).all()
    return [_candidate(session, runtime, actor, row, target) for row in rows]


def migrate(session, runtime, actor, process_id, to_version, ids, reason):
    """Move the chosen instances, each in its own savepoint; returns the batch (its `moves` are the report)."""
    require_operator(actor)
    if not ids:
        raise ValidationFailed(msg("migration.no_ids"), {"ids": [msg("migration.no_ids")]})
    if not (reason or "").strip():
        raise ValidationFailed(msg("migration.reason_required"), {"reason": [msg("migration.reason_required")]})
    target = _target(session, process_id, to_version)
    ids = list(dict.fromkeys(ids))
    known = set(session.scalars(select(ProcessInstance.id).where(ProcessInstance.id.in_(ids))))
    unknown = [str(i) for i in ids if i not in known]
    if unknown:
        text = msg("migration.unknown_ids", ids="、".join(unknown))
        raise ValidationFailed(text, {"ids": [text]})
    batch = MigrationBatch(process_id=process_id, to_deployment_id=target.id, by=actor.username, at=utcnow(),
                           reason=reason.strip())
    session.add(batch)
    session.flush()
    for instance_id in ids:
        session.add(_move_one(session, runtime, actor, batch, instance_id, target))
    session.flush()
    return batch


def revert(session, runtime, actor, migration_id, reason):
    """Put a moved instance back on its old version and state; refused once the instance changed since the move."""
    require_operator(actor)
    if not (reason or "").strip():
        raise ValidationFailed(msg("migration.revert_reason_required"),
                               {"reason": [msg("migration.revert_reason_required")]})
    move = session.get(InstanceMigration, migration_id)
    if move is None or move.result != "moved":
        raise NotFound(msg("migration.not_found"))
    if move.reverted_at is not None:
        raise InvalidState(msg("migration.already_reverted", at=f"{move.reverted_at:%Y-%m-%d %H:%M}",
                               by=move.reverted_by))
    instance = lock_instance(session, move.instance_id)
    if instance.audit_seq != move.audit_seq_after or instance.deployment_id != move.to_deployment_id:
        raise InvalidState(msg("migration.changed_since"))
    instance.state, instance.deployment_id = move.state_before, move.from_deployment_id
    step = begin_run(session, runtime, instance, actor)
    audit(step, "instance.migrate_revert", {
        "from_version": move.to_deployment.number, "to_version": move.from_deployment.number,
        "reason": reason.strip(), "migration": move.id})
    _refresh_open_tasks(step)
    save(step)
    move.reverted_at, move.reverted_by, move.revert_reason = utcnow(), actor.username, reason.strip()
    session.flush()
    return move


def list_batches(session, actor, limit=50):
    require_reader(actor)
    return session.scalars(select(MigrationBatch).order_by(MigrationBatch.id.desc()).limit(limit)).all()


def get_batch(session, actor, batch_id):
    require_reader(actor)
    batch = session.get(MigrationBatch, batch_id)
    if batch is None:
        raise NotFound(msg("migration.batch_not_found"))
    return batch


def versions_of(session, process_id):
    """The version numbers that deployed a process, newest first."""
    return list(session.scalars(select(Deployment.number).join(DeployedProcess).where(
        DeployedProcess.process_id == process_id).order_by(Deployment.number.desc())))


def move_text(move):
    """The Chinese sentence of one instance's result in a report."""
    if move.reverted_at is not None:
        return msg("migration.reverted", version=move.from_deployment.number)
    return move.detail


def move_state(move):
    return "reverted" if move.reverted_at is not None else move.result


def may_revert(move):
    return move.result == "moved" and move.reverted_at is None and move.instance.audit_seq == move.audit_seq_after


# One instance -------------------------------------------------------------------------------------------------------

def _candidate(session, runtime, actor, row, target):
    version = row.deployment.number
    steps = []
    if row.deployment_id == target.id:
        reasons = [msg("migration.reason.same_version", version=version)]
    else:
        step = begin_run(session, runtime, row, actor)
        steps = active_steps(step.run)
        key = ensure_spec(session, runtime.engine, target.id, row.process_id, runtime.settings.max_flow_nodes)
        reasons = [o.text for o in check_migration(step.run, key, _form_checker(session, runtime, target.id))]
    return Candidate(row.id, row.business_key, version, row.status, steps, not reasons, reasons)


def _move_one(session, runtime, actor, batch, instance_id, target):
    """Move one instance inside its own savepoint; the row to report, whatever happened."""
    row = InstanceMigration(batch_id=batch.id, instance_id=instance_id, to_deployment_id=target.id, by=actor.username,
                            at=batch.at, reason=batch.reason)
    savepoint = session.begin_nested()
    try:
        instance = lock_instance(session, instance_id)
        row.from_deployment_id = instance.deployment_id
        reasons = _refusal(instance, batch.process_id, target)
        if not reasons:
            _move(session, runtime, actor, instance, target, row)
    except MigrationRefused as refused:
        reasons = [o.text for o in refused.obstacles]
    except DomainError as err:
        reasons = [err.message]
    except Exception as err:  # one instance's failure is reported, the batch goes on
        reasons = [msg("migration.reason.error", detail=str(err)[:300])]
    if reasons:
        savepoint.rollback()
        row.result, row.detail, row.state_before = "refused", msg("migration.refused", reasons="；".join(reasons)), None
        row.from_deployment_id = row.from_deployment_id or _deployment_of(session, instance_id, target.id)
    else:
        savepoint.commit()
    return row


def _refusal(instance, process_id, target):
    if instance.process_id != process_id:
        return [msg("migration.not_in_batch", id=instance.id, process=process_id)]
    if instance.status not in OPEN_STATUSES:
        return [msg("migration.reason.not_open", status=label("instance_status", instance.status))]
    if instance.deployment_id == target.id:
        return [msg("migration.reason.same_version", version=target.number)]
    return []


def _move(session, runtime, actor, instance, target, row):
    before, version_before = instance.state, instance.serializer_version
    from_number = instance.deployment.number
    step = begin_run(session, runtime, instance, actor)
    key = ensure_spec(session, runtime.engine, target.id, instance.process_id, runtime.settings.max_flow_nodes)
    migrate_run(step.run, key, _form_checker(session, runtime, target.id))
    instance.deployment = target
    audit(step, "instance.migrate", {"from_version": from_number, "to_version": target.number,
                                     "reason": row.reason, "batch": row.batch_id})
    if instance.status == "running":
        advance(step)
    _refresh_open_tasks(step)
    save(step)
    row.result = "moved"
    row.detail = msg("migration.moved", from_version=from_number, to_version=target.number)
    row.state_before, row.serializer_version, row.audit_seq_after = before, version_before, instance.audit_seq


def _refresh_open_tasks(step):
    """Open task rows keep their id (and claim, draft) across a move; their name, form and texts follow the version."""
    ready = {view.id: view for view in step.run.ready_tasks()}
    rows = step.session.scalars(select(HumanTask).where(HumanTask.instance_id == step.instance.id,
                                                        HumanTask.status == "open"))
    for row in rows:
        view = ready.get(row.task_uuid)
        if view is not None:
            row.bpmn_id, row.name = view.bpmn_id, view.name[:128]
            row.form_id = task_form_id(step.session, step.instance.deployment_id, view)
            row.title, row.instructions = task_texts(view, text_helpers(step.session))


def _deployment_of(session, instance_id, default):
    found = session.scalar(select(ProcessInstance.deployment_id).where(ProcessInstance.id == instance_id))
    return found or default


# Forms, versions -----------------------------------------------------------------------------------------------------

def _form_checker(session, runtime, deployment_id):
    """The engine's form check, over the target's forms: required fields the data lacks that nobody will fill in.

    A step already done must have given what the target's form for it requires (later steps count on it); a ready
    step is filled in by a person, so only its required fields that the person cannot edit (read-only, disabled).
    """

    def check(form_step):
        form_id = task_form_id(session, deployment_id, form_step)
        form = runtime.form(session, deployment_id, form_id) if form_id else None
        if form is None:
            return []
        fields = {c.get("key"): c for c in walk(form.schema.get("components") or []) if c.get("key")}
        errors = validate_submission(form, form_step.data)
        missing = [key for key, texts in errors.items() if msg("form.required") in texts and key in fields]
        if not form_step.done:
            missing = [key for key in missing if fields[key].get("readonly") or fields[key].get("disabled")]
        return [fields[key].get("label") or key for key in missing]

    return check


def _target(session, process_id, number):
    deployment = session.scalar(select(Deployment).join(DeployedProcess).where(
        Deployment.number == number, DeployedProcess.process_id == process_id))
    if deployment is None:
        raise NotFound(msg("migration.unknown_version", process=process_id, version=number))
    return deployment


def _sources(session, process_id, numbers, target):
    """Deployment ids of the source versions; None means every version older than the target."""
    query = select(Deployment.id).join(DeployedProcess).where(DeployedProcess.process_id == process_id)
    if numbers:
        if target.number in numbers and len(numbers) == 1:
            raise ValidationFailed(msg("migration.target_not_newer"), {"from_versions": [msg("migration.target_not_newer")]})
        query = query.where(Deployment.number.in_(numbers), Deployment.id != target.id)
    else:
        query = query.where(Deployment.number < target.number)
    return query


def _open_instances(process_id, deployments):
    return select(ProcessInstance).where(ProcessInstance.process_id == process_id,
                                         ProcessInstance.status.in_(OPEN_STATUSES),
                                         ProcessInstance.deployment_id.in_(deployments))
