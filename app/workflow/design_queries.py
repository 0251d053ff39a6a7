"""What the studio's pages and API read (plain data): the home list, a process's versions, what a designer may pick."""

import json

from sqlalchemy import func, select

from app.definitions.drafts import draft_bundle, drafts_of, file_history, my_drafts
from app.definitions.forms import walk
from app.definitions.models import DeployedProcess, Deployment, DeployRequest, Draft
from app.definitions.operations import latest_deployment
from app.definitions.references import decision_files, files_of_process, form_files, process_files, process_uses
from app.definitions.validation import validate_bundle
from app.domain import access
from app.domain.people import ROLES, display_names
from app.errors import DefinitionInvalid, NotFound
from app.messages import LABELS, label, msg
from app.workflow.deployments import catalogue
from app.workflow.models import HumanTask, ProcessInstance, TaskCandidate
from app.workflow.runtime import HELPER_NAMES
from app.workflow.services import registry

OPEN_STATUSES = ("running", "suspended", "error")


def bundle_problems(runtime, files):
    """Every error and warning deploy validation finds in `files` (never raises for a bad bundle)."""
    try:
        bundle = validate_bundle(files, catalogue(runtime))
    except DefinitionInvalid as err:
        return [p.as_dict() for p in err.problems]
    return [w.as_dict() for w in bundle.warnings]


def open_counts(session):
    """{(process id, version): unfinished instances}."""
    rows = session.execute(
        select(ProcessInstance.process_id, Deployment.number, func.count())
        .join(Deployment, Deployment.id == ProcessInstance.deployment_id)
        .where(ProcessInstance.status.in_(OPEN_STATUSES))
        .group_by(ProcessInstance.process_id, Deployment.number))
    return {(pid, number): count for pid, number, count in rows}


def _draft_view(draft, names):
    return {"file_name": draft.file_name, "kind": draft.kind, "owner": draft.owner,
            "owner_name": names.get(draft.owner, draft.owner), "revision": draft.revision,
            "base_version": draft.base_number, "status": draft.status,
            "status_label": label("draft_status", draft.status), "comment": draft.comment,
            "updated_at": draft.updated_at, "request_id": draft.request_id}


def studio_home(session, runtime, user):
    """Every process, form and table with its deployed version, open instances per version, the drafts (the
    user's and others'), and the problems deploy validation finds in the user's draft bundle."""
    latest = latest_deployment(session)
    deployed = {f.name: f.content for f in latest.files} if latest else {}
    mine = my_drafts(session, user.username)
    files = draft_bundle(session, user.username)
    all_drafts = list(session.scalars(select_drafts()))
    names = display_names(session, {d.owner for d in all_drafts})
    by_file = {}
    for draft in all_drafts:
        by_file.setdefault(draft.file_name, []).append(_draft_view(draft, names))
    problems = bundle_problems(runtime, files) if mine else []
    per_file = {}
    for problem in problems:
        per_file.setdefault(problem["file"], {"errors": 0, "warnings": 0})[
            "errors" if problem["severity"] == "error" else "warnings"] += 1
    counts = open_counts(session)
    versions = {name: history[-1][0] for name in files if (history := file_history(session, name))}

    def entry(file_name, **extra):
        drafts = by_file.get(file_name, [])
        return {"file_name": file_name, "version": versions.get(file_name), "deployed": file_name in deployed,
                "my_draft": next((d for d in drafts if d["owner"] == user.username), None),
                "other_drafts": [d for d in drafts if d["owner"] != user.username],
                "problems": per_file.get(file_name, {"errors": 0, "warnings": 0}), **extra}

    processes = []
    for pid, (name, title) in sorted(process_files(files).items()):
        open_by_version = {v: n for (p, v), n in counts.items() if p == pid}
        processes.append(entry(name, process_id=pid, name=title, open_instances=dict(sorted(open_by_version.items())),
                               open_total=sum(open_by_version.values())))
    forms = []
    users_of = form_users(files)
    for form_id, name in sorted(form_files(files).items()):
        forms.append(entry(name, form_id=form_id, used_by=users_of.get(form_id, []),
                           name=form_title(files[name], users_of.get(form_id)) or form_id))
    decisions = [entry(name, decision_id=did, name=title)
                 for did, (name, title) in sorted(decision_files(files).items())]
    requests = list(session.scalars(select(DeployRequest).order_by(DeployRequest.id.desc()).limit(20)))
    return {"processes": processes, "forms": forms, "decisions": decisions, "problems": problems,
            "my_drafts": [_draft_view(d, names) for d in mine],
            "deployment": latest.number if latest else None, "requests": [request_row(session, r) for r in requests]}


def select_drafts():
    return select(Draft).order_by(Draft.file_name, Draft.updated_at.desc())


def form_users(files):
    """{form id: ["流程名 · 任务名"]}: where each form is shown."""
    users = {}
    for pid, (_name, title) in process_files(files).items():
        for form_id, tasks in process_uses(files, pid)["forms"].items():
            users.setdefault(form_id, []).extend(f"{title} · {task}" for task in tasks)
    return users


def request_row(session, request):
    names = display_names(session, {request.requested_by, request.decided_by} - {None})
    return {"id": request.id, "kind": request.kind, "kind_label": label("request_kind", request.kind),
            "title": request.title, "status": request.status,
            "status_label": label("request_status", request.status), "requested_by": request.requested_by,
            "requested_by_name": names.get(request.requested_by, request.requested_by),
            "requested_at": request.requested_at, "decided_by_name": names.get(request.decided_by),
            "decided_at": request.decided_at, "comment": request.comment, "reason": request.reason,
            "deployment_number": request.deployment_number, "instance_id": request.instance_id,
            "files": [f.name for f in request.files], "base_version": request.base_number,
            "rollback_to": request.rollback_to}


def process_versions(session, process_id):
    """Every version of a process (a deployment in which its diagram, scenario tests, forms or tables changed),
    newest first, with who, when, why and who approved, and its unfinished instances."""
    rows = list(session.execute(
        select(DeployedProcess, Deployment).join(Deployment).where(DeployedProcess.process_id == process_id)
        .order_by(Deployment.number)))
    if not rows:
        raise NotFound(msg("def.no_process", pid=process_id))
    counts = open_counts(session)
    people = {d.deployed_by for _p, d in rows} | {d.approved_by for _p, d in rows if d.approved_by}
    names = display_names(session, people)
    versions, previous = [], None
    for process, deployment in rows:
        signature = _signature(deployment, process)
        if signature == previous:
            continue
        previous = signature
        versions.append({
            "version": deployment.number, "name": process.name, "file_name": process.file_name,
            "deployed_at": deployment.deployed_at, "deployed_by": deployment.deployed_by,
            "deployed_by_name": names.get(deployment.deployed_by, deployment.deployed_by),
            "approved_by": deployment.approved_by, "approved_by_name": names.get(deployment.approved_by),
            "note": deployment.note, "request_id": deployment.request_id,
            "open_instances": counts.get((process_id, deployment.number), 0)})
    newest = rows[-1][1].number
    for version in versions:
        version["current"] = version is versions[-1]
    # Instances run on the deployment they started from, which may be a later number with the same content.
    for version, following in zip(versions, [*versions[1:], None], strict=True):
        last = following["version"] - 1 if following else newest
        version["open_instances"] = sum(n for (p, v), n in counts.items() if p == process_id
                                        and version["version"] <= v <= last)
    return list(reversed(versions))


def _signature(deployment, process):
    """What makes a version of a process: the content of its files in that deployment."""
    files = {f.name: f for f in deployment.files}
    content = {name: f.content for name, f in files.items()}
    return tuple((name, files[name].sha256) for name in files_of_process(content, process.process_id))


def version_files(session, number):
    """{name: bytes} of deployment `number`."""
    deployment = session.scalar(select(Deployment).where(Deployment.number == number))
    if deployment is None:
        raise NotFound(msg("def.no_deployment", number=number))
    return {f.name: f.content for f in deployment.files}


def designer_catalog(session, user, files):
    """What the modeler's panel offers: forms (deployed and draft, with their keys), roles, host operations,
    decision tables, script helpers, organisation helpers, indicators."""
    drafts = {d.file_name for d in my_drafts(session, user.username)}
    latest = latest_deployment(session)
    deployed = {f.name for f in latest.files} if latest else set()
    forms = []
    users = form_users(files)
    for form_id, name in sorted(form_files(files).items()):
        forms.append({"id": form_id, "name": form_title(files[name], users.get(form_id)) or form_id,
                      "file_name": name, "draft": name in drafts or name not in deployed, "keys": _form_keys(files[name])})
    return {
        "forms": forms,
        "roles": [{"code": code, "name": name} for code, name in ROLES.items()],
        "services": registry.describe(),
        "decisions": [{"id": did, "name": title} for did, (_n, title) in sorted(decision_files(files).items())],
        "helpers": [{"name": name, "doc": label("script_helper", name)} for name in sorted(HELPER_NAMES)],
        "org_helpers": [{"expr": expr, "doc": doc} for expr, doc in LABELS["org_helper"].items()],
        "kpis": [{"code": code, "name": name} for code, name in LABELS["kpi"].items()],
    }


def form_title(content, used_by=None):
    """How a form reads to a designer: its schema's name, else its first heading, else where it is shown."""
    try:
        schema = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(schema, dict):
        return None
    named = schema.get("name") or schema.get("title")
    if isinstance(named, str) and named.strip():
        return named.strip()
    for component in walk(schema.get("components") or []):
        text = component.get("text") if isinstance(component, dict) and component.get("type") == "text" else None
        if isinstance(text, str) and text.lstrip().startswith("#"):
            return text.strip().lstrip("#").strip().splitlines()[0][:64]
    return used_by[0].split(" · ")[-1] if used_by else None


def _form_keys(content):
    try:
        schema = json.loads(content)
        return sorted({c["key"] for c in walk(schema.get("components", [])) if isinstance(c, dict) and c.get("key")})
    except (ValueError, AttributeError, TypeError, KeyError):
        return []


def others_editing(session, user, name):
    """Other designers' drafts of a file: the page warns before two people change one procedure."""
    others = [d for d in drafts_of(session, name) if d.owner != user.username]
    names = display_names(session, {d.owner for d in others})
    return [_draft_view(d, names) for d in others]


def latest_number(session):
    latest = latest_deployment(session)
    return latest.number if latest else None


def open_instances_of(session, files, latest):
    """[{process_id, name, version, count}] of unfinished instances of the processes whose diagram changes."""
    counts = open_counts(session)
    changed = {pid: title for pid, (name, title) in process_files(files).items() if latest.get(name) != files[name]}
    return [{"process_id": pid, "name": changed[pid], "version": v, "count": n}
            for (pid, v), n in sorted(counts.items()) if pid in changed]


def request_diagrams(session, request):
    """{process id: {name, old_xml, new_xml}} of the diagrams a request changes (for the visual diff)."""
    old = version_files(session, request.base_number) if request.base_number else {}
    return changed_diagrams(old, {**old, **{f.name: f.content for f in request.files}})


def changed_diagrams(old, new):
    """{process id: {name, old_xml, new_xml}} of the diagrams that differ between two bundles."""
    diagrams = {}
    for pid, (name, title) in sorted(process_files(new).items()):
        before = process_files(old).get(pid, (None,))[0]
        if before == name and old.get(name) == new[name]:
            continue
        diagrams[pid] = {"name": title, "old_xml": old[before].decode("utf-8") if before else None,
                         "new_xml": new[name].decode("utf-8")}
    return diagrams


def review_task_id(session, user, instance_id):
    """The open task of an instance that `user` is a candidate of (the reviewer's), or None."""
    if instance_id is None:
        return None
    return session.scalar(select(HumanTask.id).join(TaskCandidate).where(
        HumanTask.instance_id == instance_id, HumanTask.status == "open",
        access.candidate_clause(TaskCandidate, user)).limit(1))


def draft_revisions(session, draft, limit=20):
    """Who saved a draft when, newest first (its history; only the newest content is kept)."""
    rows = draft.revisions[:limit]
    names = display_names(session, {r.saved_by for r in rows})
    return [{"revision": r.revision, "saved_by": names.get(r.saved_by, r.saved_by), "saved_at": r.saved_at,
             "size": r.size} for r in rows]
