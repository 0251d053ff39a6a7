"""Deploy requests (DESIGN.md §12): nothing a designer drafts reaches staff without validation, its scenario
tests and a second person's approval.

A request freezes the files it publishes, the semantic diff against the latest version, the scenario results and
the open instances that stay on their version. With approval on (Config.DEPLOY_APPROVAL) it starts the
`deployment_approval` procedure, whose reviewer's decision calls `design.publish` or `design.return`; an admin may
publish directly when approval is off. Rollback is a request too: it republishes an earlier version's files.
"""

import hashlib

from sqlalchemy import func, select

from app.db import utcnow
from app.definitions.diff import semantic_diff
from app.definitions.drafts import changed_since, my_drafts
from app.definitions.models import Deployment, DeployRequest, DeployRequestFile, Draft
from app.definitions.operations import (
    deploy_bundle,
    get_deployment,
    latest_deployment,
    latest_files,
    process_versions,
)
from app.definitions.references import files_of_process
from app.definitions.validation import validate_bundle
from app.domain import access
from app.domain.actors import as_actor
from app.domain.audit import append_event
from app.domain.notifications import notify
from app.domain.people import display_names, get_user
from app.engine.problems import Problem
from app.errors import DefinitionInvalid, DomainError, Forbidden, InvalidState, NotFound, ValidationFailed
from app.messages import msg
from app.workflow.deployments import catalogue
from app.workflow.instances import start_on_behalf
from app.workflow.models import ProcessInstance
from app.workflow.scenario_tests import run_scenarios
from app.workflow.services import Param

APPROVAL_PROCESS = "deployment_approval"
OPEN_STATUSES = ("running", "suspended", "error")
REASON_LENGTH = DeployRequest.reason.type.length
CHANGE_LINES = 60  # diff sentences copied into the reviewer's task (the review page shows them all)


def _sha(content):
    return hashlib.sha256(content).hexdigest()


def _reason(reason):
    text = (reason or "").strip() if isinstance(reason, str) else ""
    if not text:
        raise ValidationFailed(msg("design.reason_required"), {"reason": [msg("design.reason_required")]})
    if len(text) > REASON_LENGTH:
        raise ValidationFailed(msg("design.reason_too_long", limit=REASON_LENGTH),
                               {"reason": [msg("design.reason_too_long", limit=REASON_LENGTH)]})
    return text


def _may_submit(actor, reason, direct, approval_required):
    """A designer may ask; only an admin, with approval off, may publish at once. Returns the checked reason."""
    access.require(access.may_design(actor))
    if direct:
        access.require(access.may_publish_directly(actor, approval_required), "design.direct_forbidden")
    return _reason(reason)


def submit_drafts(session, runtime, actor, reason, names=None, direct=False, approval_required=True):
    """Ask to publish the actor's drafts (those in `names`, else all editable ones); returns the request."""
    reason = _may_submit(actor, reason, direct, approval_required)
    drafts = [d for d in my_drafts(session, actor.username)
              if d.status != "submitted" and (names is None or d.file_name in names)]
    if not drafts:
        raise InvalidState(msg("design.nothing_to_submit"))
    for draft in drafts:
        newer = changed_since(session, draft.file_name, draft.base_number)
        if newer is not None:
            raise InvalidState(msg("design.draft_stale", name=draft.file_name, base=draft.base_number, number=newer))
    changed = {d.file_name: d.content for d in drafts}
    request = _submit(session, runtime, actor, "deploy", reason, changed)
    for draft in drafts:
        draft.status, draft.request_id = "submitted", request.id
    session.flush()
    return _after_submit(session, runtime, actor, request, direct)


def submit_rollback(session, runtime, actor, process_id, version, reason, direct=False, approval_required=True):
    """Ask to republish version `version` of a process (its diagram, scenario tests, forms and tables) as a new one."""
    reason = _may_submit(actor, reason, direct, approval_required)
    chosen = next((p for p in process_versions(session, process_id) if p.deployment.number == version), None)
    if chosen is None:
        raise NotFound(msg("design.no_version", pid=process_id, number=version))
    old = {f.name: f.content for f in get_deployment(session, version).files}
    changed = {name: old[name] for name in files_of_process(old, process_id)}
    current = latest_files(session)
    if all(current.get(name) == content for name, content in changed.items()):
        raise InvalidState(msg("design.rollback_current", number=version))
    request = _submit(session, runtime, actor, "rollback", reason, changed, rollback_to=version)
    return _after_submit(session, runtime, actor, request, direct)


def _submit(session, runtime, actor, kind, reason, changed, rollback_to=None):
    base = latest_files(session)
    files = {**base, **changed}
    bundle = validate_bundle(files, catalogue(runtime))
    results = run_scenarios(session, files, timeout=runtime.settings.scenario_time_limit)
    failed = [r for r in results if not r["passed"]]
    if failed:
        problems = [Problem(r["file"], None, None, msg("design.scenario_failed", name=r["name"],
                                                       reason="；".join(r["failures"])))
                    for r in failed]
        raise DefinitionInvalid(msg("design.tests_failed", count=len(failed), total=len(results)), problems)
    diff = semantic_diff(base, files)
    latest = latest_deployment(session)
    request = DeployRequest(
        kind=kind, title=_title(kind, changed, bundle, rollback_to), requested_by=actor.username,
        requested_at=utcnow(), reason=reason, base_number=latest.number if latest else None, status="pending",
        diff=diff, scenarios=results, warnings=[w.as_dict() for w in bundle.warnings],
        open_instances=open_instances(session, diff), comment="", rollback_to=rollback_to)
    request.files = [DeployRequestFile(name=name, content=content,
                                       base_sha256=_sha(base[name]) if name in base else None)
                     for name, content in sorted(changed.items())]
    session.add(request)
    session.flush()
    append_event(session, "design", "request", actor=actor, payload={
        "request": request.id, "kind": kind, "files": sorted(changed), "reason": reason, "rollback_to": rollback_to,
        "scenarios": len(results)})
    return request


def _title(kind, changed, bundle, rollback_to):
    names = [bundle.parsed.process_element(pid).get("name") or pid
             for pid, file_name in sorted(bundle.parsed.process_files.items()) if file_name in changed]
    names += [form_id for form_id, (file_name, _form) in sorted(bundle.forms.items())
              if file_name in changed and not names]
    subject = "、".join(names[:3]) or "、".join(sorted(changed)[:3])
    if kind == "rollback":
        return msg("design.title_rollback", subject=subject, number=rollback_to)[:256]
    return msg("design.title_deploy", subject=subject, count=len(changed))[:256]


def _after_submit(session, runtime, actor, request, direct):
    if direct:
        publish_request(session, runtime, actor, request.id, direct=True)
        return request
    instance = start_on_behalf(session, runtime, actor, APPROVAL_PROCESS, approval_data(session, request))
    request.instance_id = instance.id
    session.flush()
    return request


def approval_data(session, request):
    """What the reviewer's task shows: who asks, why, what changes, what was tested."""
    lines = request.diff.get("lines", [])
    changes = "\n".join(f"- {line}" for line in lines[:CHANGE_LINES])
    if len(lines) > CHANGE_LINES:
        changes += "\n- " + msg("design.more_changes", count=len(lines) - CHANGE_LINES)
    return {
        "request_id": request.id, "request_title": request.title, "reason": request.reason,
        "requester": request.requested_by,
        "requester_name": display_names(session, [request.requested_by]).get(request.requested_by,
                                                                              request.requested_by),
        "changes": changes or "- " + msg("design.no_semantic_change"),
        "tests": msg("design.tests_passed", count=len(request.scenarios)),
        "open_instances": sum(row["count"] for row in request.open_instances),
    }


def open_instances(session, diff):
    """[{process_id, version, count}] of unfinished instances of the processes the change touches."""
    touched = sorted(set(diff.get("processes", {})) | set(diff.get("changed_elements", {})))
    if not touched:
        return []
    rows = session.execute(
        select(ProcessInstance.process_id, Deployment.number, func.count())
        .join(Deployment, Deployment.id == ProcessInstance.deployment_id)
        .where(ProcessInstance.process_id.in_(touched), ProcessInstance.status.in_(OPEN_STATUSES))
        .group_by(ProcessInstance.process_id, Deployment.number).order_by(ProcessInstance.process_id, Deployment.number))
    return [{"process_id": pid, "version": number, "count": count} for pid, number, count in rows]


def get_request(session, request_id):
    request = session.get(DeployRequest, request_id)
    if request is None:
        raise NotFound(msg("design.no_request", id=request_id))
    return request


def list_requests(session, status=None, requested_by=None, limit=50):
    query = select(DeployRequest)
    if status:
        query = query.where(DeployRequest.status == status)
    if requested_by:
        query = query.where(DeployRequest.requested_by == requested_by)
    return list(session.scalars(query.order_by(DeployRequest.id.desc()).limit(limit)))


def publish_request(session, runtime, actor, request_id, direct=False):
    """Publish a pending request as a new version; returns {"published", "number" | "reason"}.

    Refused (the request fails, the designer is told) when the approver asked for it themself, or when a newer
    version changed one of its files after it was asked.
    """
    actor = as_actor(actor)
    request = get_request(session, request_id)
    if request.status != "pending":
        raise InvalidState(msg("design.request_not_pending", id=request.id))
    if not direct and actor.name == request.requested_by:
        raise Forbidden(msg("design.self_approval"))
    current = latest_files(session)
    moved = [f.name for f in request.files if (_sha(current[f.name]) if f.name in current else None) != f.base_sha256]
    if moved:
        return _fail(session, actor, request, msg("design.request_stale", files="、".join(moved)))
    files = {**current, **{f.name: f.content for f in request.files}}
    try:
        deployed = deploy_bundle(session, request.requested_by, files, catalogue(runtime), request.reason)
    except DomainError as err:
        return _fail(session, actor, request, err.message)
    deployment = deployed.deployment
    deployment.approved_by = None if direct else actor.name
    deployment.request_id = request.id
    request.status, request.deployment_number = "published", deployment.number
    request.decided_by, request.decided_at = as_actor(actor).name, utcnow()
    for draft in _drafts_of(session, request):
        session.delete(draft)
    append_event(session, "deployments", "deploy", actor=actor, payload={
        "number": deployment.number, "checksum": deployment.checksum, "files": sorted(f.name for f in request.files),
        "request": request.id, "requested_by": request.requested_by, "approved_by": deployment.approved_by,
        "reason": request.reason, "kind": request.kind})
    _tell_requester(session, request, msg("design.notice_published", title=request.title, number=deployment.number))
    session.flush()
    return {"published": True, "number": deployment.number}


def return_request(session, actor, request_id, comment):
    """The reviewer sends the request back; the designer sees the comment on the draft and edits on."""
    request = get_request(session, request_id)
    if request.status != "pending":
        raise InvalidState(msg("design.request_not_pending", id=request.id))
    text = (comment or "").strip() or msg("design.returned_without_comment")
    request.status, request.comment = "returned", text
    request.decided_by, request.decided_at = as_actor(actor).name, utcnow()
    for draft in _drafts_of(session, request):
        draft.status, draft.comment = "returned", text
    append_event(session, "design", "return", actor=actor, payload={"request": request.id, "comment": text})
    _tell_requester(session, request, msg("design.notice_returned", title=request.title, comment=text))
    session.flush()
    return {"returned": True}


def _fail(session, actor, request, reason):
    request.status, request.comment = "failed", reason
    request.decided_by, request.decided_at = as_actor(actor).name, utcnow()
    for draft in _drafts_of(session, request):
        draft.status, draft.comment = "returned", reason
    append_event(session, "design", "fail", actor=actor, payload={"request": request.id, "reason": reason})
    _tell_requester(session, request, msg("design.notice_failed", title=request.title, reason=reason))
    session.flush()
    return {"published": False, "reason": reason}


def _drafts_of(session, request):
    return list(session.scalars(select(Draft).where(Draft.request_id == request.id)))


def _tell_requester(session, request, text):
    user = get_user(session, request.requested_by)
    notify(session, user.org.code, text, role="designer", subject=f"deploy_request:{request.id}")


def register_design_operations(registry):
    """The approval procedure's two outcomes, as service tasks call them; `ctx.actor` is the reviewer."""

    @registry.register("design.publish", request=Param())
    def publish(ctx, request):
        return publish_request(ctx.session, ctx.runtime, ctx.actor, int(request))

    @registry.register("design.return", request=Param(), comment=Param(required=False))
    def send_back(ctx, request, comment=""):
        return return_request(ctx.session, ctx.actor, int(request), comment)
