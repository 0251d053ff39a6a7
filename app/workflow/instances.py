"""Start, read and steer process instances."""

from sqlalchemy import func, or_, select

from app.db import utcnow
from app.definitions.forms import validate_submission
from app.definitions.operations import startable_process
from app.domain import access
from app.domain.attachments import bind_attachments
from app.errors import Forbidden, NotFound, ValidationFailed
from app.messages import msg
from app.workflow.execution import advance, begin_run, save
from app.workflow.models import HumanTask, ProcessInstance, TaskCandidate
from app.workflow.recording import audit
from app.workflow.runtime import HELPER_NAMES


def start_instance(session, runtime, actor, process_id, data=None, business_key=None):
    """Start the newest version of a process with start-form data; returns the instance row."""
    process = startable_process(session, process_id)
    require_start(actor, process)
    form = runtime.form(session, process.deployment_id, process.start_form) if process.start_form else None
    data = dict(data or {}) if isinstance(data, dict) or data is None else data
    errors = validate_submission(form, data, reserved=HELPER_NAMES)
    if errors:
        raise ValidationFailed(msg("validation.request"), errors)
    data = form.complete(data) if form else data
    instance = create_instance_row(session, process, actor.username, actor.org.code, business_key)
    if form is not None:
        bind_attachments(session, actor, instance.id, form.attachment_ids(data))
    return _run_start(session, runtime, actor, process, instance, data)


def start_on_behalf(session, runtime, actor, process_id, data):
    """Start the newest version of a process for a platform operation that checked its own rule (a designer's
    deploy request starts the approval procedure, which nobody starts by hand); the actor is its initiator."""
    process = startable_process(session, process_id)
    instance = create_instance_row(session, process, actor.username, actor.org.code)
    return _run_start(session, runtime, actor, process, instance, dict(data))


def _run_start(session, runtime, actor, process, instance, data):
    data.setdefault("initiator", actor.username)
    data.setdefault("initiator_org", actor.org.code)
    data.setdefault("initiator_roles", sorted(actor.roles))
    step = begin_run(session, runtime, instance, actor, data)
    audit(step, "instance.start", {"process": process.process_id, "version": process.deployment.number,
                                   "data": data})
    advance(step, refuse_bad_input=True)
    save(step)
    return instance


def create_instance_row(session, process, started_by, org_code, business_key=None):
    """The one place an instance row is made (a person's start, a message start); flushed, so it has its id."""
    now = utcnow()
    instance = ProcessInstance(
        process_id=process.process_id, process_name=process.name, deployment_id=process.deployment_id,
        status="running", business_key=business_key, state=b"", serializer_version="", started_by=started_by,
        org_code=org_code, started_at=now, updated_at=now,
    )
    session.add(instance)
    session.flush()
    return instance


def require_start(actor, process):
    """The start event's `start_roles` say who may start the process (the policy's rule)."""
    if not access.may_start(actor, process):
        raise Forbidden(msg("instance.start_forbidden"))


def get_instance(session, instance_id):
    instance = session.get(ProcessInstance, instance_id)
    if instance is None:
        raise NotFound(msg("instance.not_found"))
    return instance


def involved_orgs(session, instance):
    """The organisations the instance's tasks went to by name (a candidate of any organisation names none)."""
    orgs = set(session.scalars(select(TaskCandidate.org_code).join(HumanTask).where(
        HumanTask.instance_id == instance.id, TaskCandidate.org_code != access.ANY)))
    return orgs | {instance.org_code}


def _candidate_tasks(user):
    """Ids of the instances with a task the user is a candidate of (the policy's candidate rule, as SQL)."""
    return select(HumanTask.instance_id).join(TaskCandidate).where(access.candidate_clause(TaskCandidate, user))


def may_read_instance(session, user, instance):
    if access.reads_everything(user) or instance.started_by == user.username:
        return True
    candidate = session.scalar(select(_candidate_tasks(user).where(HumanTask.instance_id == instance.id).exists()))
    return access.may_read_instance(user, instance, involved_orgs(session, instance), bool(candidate))


def require_instance_view(session, user, instance):
    access.require(may_read_instance(session, user, instance))


def _involved_instances(user):
    """Ids of the instances whose tasks went to the user's organisation by name or to the user as a candidate."""
    by_org = select(HumanTask.instance_id).join(TaskCandidate).where(TaskCandidate.org_code == user.org.code)
    return by_org.union(_candidate_tasks(user))


def list_instances(session, user, status=None, process_id=None, business_key=None, page=1, per_page=20):
    """Instances the user may see, newest first, filtered; returns (rows, total)."""
    query = select(ProcessInstance)
    if not access.reads_everything(user):
        query = query.where(or_(ProcessInstance.org_code == user.org.code,
                                ProcessInstance.started_by == user.username,
                                ProcessInstance.id.in_(_involved_instances(user))))
    if status:
        query = query.where(ProcessInstance.status == status)
    if process_id:
        query = query.where(ProcessInstance.process_id == process_id)
    if business_key:
        query = query.where(ProcessInstance.business_key == business_key)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(query.order_by(ProcessInstance.id.desc()).limit(per_page).offset((page - 1) * per_page))
    return list(rows), total


def instance_data(session, runtime, instance):
    """The instance's current data, read from its stored state."""
    if not instance.state:
        return {}
    step = begin_run(session, runtime, instance, None)
    return step.run.current_data()
