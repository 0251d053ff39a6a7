"""Deploy, list and read deployed versions; a deployment is immutable once written."""

import hashlib

from sqlalchemy import func, select

from app.db import utcnow
from app.definitions.models import DeployedFile, DeployedForm, DeployedProcess, Deployment
from app.definitions.validation import split_roles, validate_bundle
from app.engine.inspection import start_messages, tasks
from app.errors import NotFound
from app.messages import msg

KINDS = {".bpmn": "bpmn", ".dmn": "dmn", ".json": "form"}


def bundle_checksum(files):
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).hexdigest().encode() + b"\n")
    return digest.hexdigest()


def latest_deployment(session):
    return session.scalar(select(Deployment).order_by(Deployment.number.desc()).limit(1))


def get_deployment(session, number):
    deployment = session.scalar(select(Deployment).where(Deployment.number == number))
    if deployment is None:
        raise NotFound(msg("def.no_deployment", number=number))
    return deployment


def list_deployments(session):
    return list(session.scalars(select(Deployment).order_by(Deployment.number.desc())))


def overlay_latest(session, files):
    """The latest deployment's files with `files` laid over them (edit one diagram, keep the rest)."""
    latest = latest_deployment(session)
    merged = {f.name: f.content for f in latest.files} if latest else {}
    merged.update(files)
    return merged


def deploy_bundle(session, actor, files, catalogue, note=""):
    """Validate and store a new numbered version; returns (deployment, created?); the caller audits it."""
    bundle = validate_bundle(files, catalogue)
    checksum = bundle_checksum(files)
    latest = latest_deployment(session)
    if latest is not None and latest.checksum == checksum:
        return latest, False
    number = (session.scalar(select(func.max(Deployment.number))) or 0) + 1
    deployment = Deployment(number=number, checksum=checksum, deployed_by=getattr(actor, "username", str(actor)),
                            deployed_at=utcnow(), note=note[:256])
    session.add(deployment)
    session.flush()
    for name, content in sorted(files.items()):
        suffix = name[name.rfind("."):]
        session.add(DeployedFile(deployment_id=deployment.id, name=name, kind=KINDS.get(suffix, "bpmn"),
                                 content=content, sha256=hashlib.sha256(content).hexdigest()))
    _record_processes(session, deployment, bundle, catalogue)
    for form_id, (file_name, form) in bundle.forms.items():
        session.add(DeployedForm(deployment_id=deployment.id, form_id=form_id, file_name=file_name, schema=form.schema))
    session.flush()
    session.expire(deployment)
    return deployment, True


def _record_processes(session, deployment, bundle, catalogue):
    """Who may start each process: the start event's `start_roles` as role codes (none: nobody, e.g. called ones)."""
    starts = {t.process_id: t for t in tasks(bundle.parsed) if t.kind == "start"}
    for pid, file_name in bundle.parsed.process_files.items():
        start = starts.get(pid)
        props = start.properties if start else {}
        session.add(DeployedProcess(
            deployment_id=deployment.id, process_id=pid, name=_name(bundle, pid),
            file_name=file_name, start_form=props.get("form"),
            start_roles=sorted({catalogue.role_of(r) for r in split_roles(props.get("start_roles"))} - {None}),
            start_messages=start_messages(bundle.parsed, pid),
        ))


def _name(bundle, pid):
    root = bundle.parsed.roots[bundle.parsed.process_files[pid]]
    found = root.xpath("//*[local-name()='process' and @id=$id]", id=pid)
    return (found[0].get("name") if found else None) or pid


def latest_process(session, process_id):
    """The newest deployed version of a process."""
    row = session.scalar(
        select(DeployedProcess).join(Deployment).where(DeployedProcess.process_id == process_id)
        .order_by(Deployment.number.desc()).limit(1)
    )
    if row is None:
        raise NotFound(msg("def.no_process", pid=process_id))
    return row


def list_processes(session):
    """The newest version of each deployed process."""
    newest = (select(DeployedProcess.process_id, func.max(Deployment.number).label("number"))
              .join(Deployment).group_by(DeployedProcess.process_id).subquery())
    query = (select(DeployedProcess).join(Deployment)
             .join(newest, (newest.c.process_id == DeployedProcess.process_id) & (newest.c.number == Deployment.number))
             .order_by(DeployedProcess.process_id))
    return list(session.scalars(query))


def process_versions(session, process_id):
    query = (select(DeployedProcess).join(Deployment).where(DeployedProcess.process_id == process_id)
             .order_by(Deployment.number.desc()))
    return list(session.scalars(query))


def processes_started_by_message(session, name):
    """Newest versions of processes whose message start event catches `name`."""
    return [p for p in list_processes(session) if name in (p.start_messages or [])]


def get_form(session, deployment_id, form_id):
    form = session.scalar(select(DeployedForm).where(
        DeployedForm.deployment_id == deployment_id, DeployedForm.form_id == form_id))
    if form is None:
        raise NotFound(msg("def.form_unknown", form=form_id))
    return form


def latest_form(session, form_id, number=None):
    """A form as last deployed (wherever: a later bundle without it hides nothing), or as in deployment `number`."""
    query = select(DeployedForm).join(Deployment).where(DeployedForm.form_id == form_id)
    if number is not None:
        query = query.where(Deployment.number == number)
    form = session.scalar(query.order_by(Deployment.number.desc()).limit(1))
    if form is None:
        raise NotFound(msg("def.form_unknown", form=form_id))
    return form


def file_content(session, deployment_id, name):
    row = session.scalar(select(DeployedFile).where(
        DeployedFile.deployment_id == deployment_id, DeployedFile.name == name))
    if row is None:
        raise NotFound(msg("http.not_found"))
    return row.content


def diff_deployments(session, old_number, new_number):
    """Which files were added, removed or changed between two versions."""
    old = {f.name: f.sha256 for f in get_deployment(session, old_number).files}
    new = {f.name: f.sha256 for f in get_deployment(session, new_number).files}
    return {
        "added": sorted(set(new) - set(old)),
        "removed": sorted(set(old) - set(new)),
        "changed": sorted(n for n in set(old) & set(new) if old[n] != new[n]),
    }
