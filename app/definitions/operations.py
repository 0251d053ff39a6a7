"""Deploy, list and read deployed versions; a deployment is immutable once written."""

import hashlib
from typing import NamedTuple

from sqlalchemy import func, select

from app.db import utcnow
from app.definitions.defaults import start_roles_of
from app.definitions.files import base_name, file_kind
from app.definitions.models import DeployedFile, DeployedForm, DeployedProcess, Deployment
from app.definitions.validation import validate_bundle
from app.engine.inspection import start_messages, tasks
from app.engine.parser import harden_parse
from app.errors import InvalidState, NotFound
from app.messages import msg

PROCESS_NAME_LENGTH = DeployedProcess.name.type.length


class Deployed(NamedTuple):
    deployment: Deployment
    created: bool
    warnings: list  # Problems of severity "warning": the bundle deployed, the designer is told


def bundle_checksum(files):
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).hexdigest().encode() + b"\n")
    return digest.hexdigest()


def latest_deployment(session):
    return session.scalar(select(Deployment).order_by(Deployment.number.desc()).limit(1))


def latest_files(session):
    """{name: bytes} of the latest deployment (empty before the first)."""
    latest = latest_deployment(session)
    return {f.name: f.content for f in latest.files} if latest else {}


def get_deployment(session, number):
    deployment = session.scalar(select(Deployment).where(Deployment.number == number))
    if deployment is None:
        raise NotFound(msg("def.no_deployment", number=number))
    return deployment


def list_deployments(session):
    return list(session.scalars(select(Deployment).order_by(Deployment.number.desc())))


def overlay_latest(session, files):
    """The latest deployment's files with `files` laid over them (edit one diagram, keep the rest)."""
    merged = latest_files(session)
    merged.update({base_name(name): content for name, content in files.items()})
    return merged


def deploy_bundle(session, actor, files, catalogue, note=""):
    """Validate and store a new numbered version; returns Deployed(deployment, created?, warnings); the caller audits."""
    bundle = validate_bundle(files, catalogue)
    files = bundle.files
    checksum = bundle_checksum(files)
    latest = latest_deployment(session)
    if latest is not None and latest.checksum == checksum:
        return Deployed(latest, False, bundle.warnings)
    number = (session.scalar(select(func.max(Deployment.number))) or 0) + 1
    deployment = Deployment(number=number, checksum=checksum, deployed_by=getattr(actor, "username", str(actor)),
                            deployed_at=utcnow(), note=note[:256])
    session.add(deployment)
    session.flush()
    for name, content in sorted(files.items()):
        session.add(DeployedFile(deployment_id=deployment.id, name=name, kind=file_kind(name),
                                 content=content, sha256=hashlib.sha256(content).hexdigest()))
    _record_processes(session, deployment, bundle, catalogue)
    for form_id, (file_name, form) in bundle.forms.items():
        session.add(DeployedForm(deployment_id=deployment.id, form_id=form_id, file_name=file_name, schema=form.schema))
    session.flush()
    session.expire(deployment)
    return Deployed(deployment, True, bundle.warnings)


def _record_processes(session, deployment, bundle, catalogue):
    """Who may start each process: the start event's `start_roles` (or Camunda's `candidateStarterGroups`) as role
    codes (none: nobody, e.g. called ones).

    Non-executable processes are recorded too (versioned, their XML served), with nobody to start them.
    """
    starts = {t.process_id: t for t in tasks(bundle.parsed) if t.kind == "start"}
    for pid, file_name in bundle.parsed.process_files.items():
        start = starts.get(pid)
        props = start.properties if start else {}
        session.add(DeployedProcess(
            deployment_id=deployment.id, process_id=pid, name=_name(bundle, pid),
            file_name=file_name, start_form=props.get("form"),
            start_roles=start_roles_of(props, catalogue.roles),
            start_messages=start_messages(bundle.parsed, pid),
        ))
    for pid, file_name in bundle.parsed.non_executable.items():
        session.add(DeployedProcess(deployment_id=deployment.id, process_id=pid, name=_name(bundle, pid),
                                    file_name=file_name, start_form=None, start_roles=[], start_messages=[]))


def _name(bundle, pid):
    found = bundle.parsed.process_element(pid)
    name = (found.get("name") if found is not None else None) or pid
    return name.strip()[:PROCESS_NAME_LENGTH] or pid


def latest_process(session, process_id):
    """The newest deployed version of a process."""
    row = session.scalar(
        select(DeployedProcess).join(Deployment).where(DeployedProcess.process_id == process_id)
        .order_by(Deployment.number.desc()).limit(1)
    )
    if row is None:
        raise NotFound(msg("def.no_process", pid=process_id))
    return row


def startable_process(session, process_id):
    """The newest version of a process, refused when its diagram marks it not executable (stored for viewing)."""
    process = latest_process(session, process_id)
    if not is_executable(session, process):
        raise InvalidState(msg("def.not_executable_start", name=process.name))
    return process


def is_executable(session, process):
    """What the stored diagram says (`isExecutable`, true when absent, as SpiffWorkflow reads it)."""
    key = (process.deployment.checksum, process.file_name, process.process_id)
    if key not in _EXECUTABLE:
        root = harden_parse(file_content(session, process.deployment_id, process.file_name))
        found = root.xpath("//*[local-name()='process' and @id=$id]", id=process.process_id)
        _EXECUTABLE[key] = bool(found) and found[0].get("isExecutable", "true") == "true"
    return _EXECUTABLE[key]


_EXECUTABLE = {}  # keyed by the bundle's checksum: content-addressed, so it is right for any database


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
