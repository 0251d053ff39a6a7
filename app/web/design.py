"""The designer studio's pages (流程设计): home, diagram, form and table editors, versions, a deploy request."""


from flask import current_app, render_template, request, url_for
from flask_login import current_user

from app.definitions import drafts
from app.definitions.diff import semantic_diff
from app.definitions.operations import latest_files
from app.definitions.references import decision_files, form_files, process_files
from app.domain import access
from app.edge import STUDIO_CONTENT_SECURITY_POLICY, int_arg
from app.errors import NotFound
from app.extensions import db
from app.messages import msg
from app.web.presenters import local_time
from app.web.views import bp, runtime
from app.workflow import deploy_requests as requests_ops
from app.workflow import design_queries as queries


def require_designer():
    access.require(access.may_design(current_user))


def studio_page(template, **context):
    response = current_app.make_response(render_template(template, **context))
    response.headers["Content-Security-Policy"] = STUDIO_CONTENT_SECURITY_POLICY
    return response


def _publishing():
    """Whether a deploy needs 编办's approval here, and whether this user may publish without it."""
    approval = current_app.extensions["tianchang.config"].DEPLOY_APPROVAL
    return {"approval": approval, "may_publish_directly": access.may_publish_directly(current_user, approval)}


def _urls(name):
    return {"save_draft": url_for("design.DraftDetail", name=name), "discard": url_for("design.DraftDetail", name=name),
            "validate": url_for("design.Validate"), "back": url_for("web.design_home"),
            "home": url_for("web.design_home")}


def _file_context(name, files, mine=None):
    """The text the editor opens (my draft, else the bundle's), with the draft's and the deployed file's facts."""
    mine = mine or drafts.find_draft(db.session, current_user.username, name)
    deployed_version = drafts.base_for_new(db.session, name)
    content = mine.content if mine else files.get(name)
    return {
        "file_name": name, "content": content.decode("utf-8", "replace") if content is not None else None,
        "draft": None if mine is None else {
            "revision": mine.revision, "base_version": mine.base_number, "status": mine.status,
            "comment": mine.comment, "updated_at": mine.updated_at.isoformat(), "request_id": mine.request_id},
        "base_version": mine.base_number if mine else deployed_version,
        "deployed_version": deployed_version,
        "other_drafts": [{**d, "updated_at": local_time(d["updated_at"])}
                         for d in queries.others_editing(db.session, current_user, name)],
    }


@bp.route("/design")
def design_home():
    require_designer()
    home = queries.studio_home(db.session, runtime(), current_user)
    processes = [{"process_id": p["process_id"], "name": p["name"]} for p in home["processes"]]
    return studio_page("design/home.html", home=home, page={
        "processes": processes,
        "urls": {"new_process": url_for("design.NewProcess"), "new_form": url_for("design.NewForm"),
                 "upload": url_for("design.Upload"), "process": url_for("web.design_process", process_id="__id__"),
                 "form": url_for("web.design_form", form_id="__id__")}})


@bp.route("/design/processes/<process_id>")
def design_process(process_id):
    require_designer()
    files = drafts.draft_bundle(db.session, current_user.username)
    found = process_files(files).get(process_id)
    if found is None:
        raise NotFound(msg("def.no_process", pid=process_id))
    name, title = found
    mine = drafts.find_draft(db.session, current_user.username, name)
    context = _file_context(name, files, mine)
    scenario_name = f"{process_id}.scenarios.json"
    page = {
        **context, "process_id": process_id, "name": title,
        "scenarios": _file_context(scenario_name, files),
        "catalog": {**queries.designer_catalog(db.session, current_user, files),
                    "preview_url": url_for("design.Preview")},
        "urls": {**_urls(name), "scenario_draft": url_for("design.DraftDetail", name=scenario_name),
                 "run_tests": url_for("design.RunTests"), "requests": url_for("design.Requests"),
                 "diff": url_for("design.ProcessDiff", process_id=process_id),
                 "versions": url_for("web.design_versions", process_id=process_id),
                 "form": url_for("web.design_form", form_id="__id__"), "new_form": url_for("design.NewForm"),
                 "record": url_for("design.RecordScenario", instance_id=0).replace("/0/", "/__id__/")},
        **_publishing(),
    }
    revisions = queries.draft_revisions(db.session, mine) if mine else []
    return studio_page("design/process.html", page=page, title=title, revisions=revisions)


@bp.route("/design/forms/<form_id>")
def design_form(form_id):
    require_designer()
    files = drafts.draft_bundle(db.session, current_user.username)
    name = form_files(files).get(form_id)
    if name is None:
        raise NotFound(msg("def.form_unknown", form=form_id))
    context = _file_context(name, files)
    used_by = queries.form_users(files).get(form_id, [])
    page = {**context, "form_id": form_id, "name": queries.form_title(files[name], used_by) or form_id,
            "used_by": used_by,
            "urls": {**_urls(name), "keys": url_for("design.FormKeys", form_id=form_id)}}
    return studio_page("design/form.html", page=page)


@bp.route("/design/decisions/<decision_id>")
def design_decision(decision_id):
    require_designer()
    files = drafts.draft_bundle(db.session, current_user.username)
    found = decision_files(files).get(decision_id)
    if found is None:
        raise NotFound(msg("design.no_decision", id=decision_id))
    name, title = found
    page = {**_file_context(name, files), "decision_id": decision_id, "name": title,
            "urls": {**_urls(name), "evaluate": url_for("design.Evaluate", decision_id=decision_id)}}
    return studio_page("design/decision.html", page=page)


@bp.route("/design/review")
def design_review():
    """All my drafts on one page: problems, changes, diagrams old and new, then the request with its reason."""
    require_designer()
    mine = [d for d in drafts.my_drafts(db.session, current_user.username) if d.status != "submitted"]
    files = drafts.draft_bundle(db.session, current_user.username, only={d.file_name for d in mine})
    latest = latest_files(db.session)
    page = {"files": [d.file_name for d in mine], "diagrams": queries.changed_diagrams(latest, files),
            "base": queries.latest_number(db.session),
            "urls": {"run_tests": url_for("design.RunTests"), "requests": url_for("design.Requests"),
                     "home": url_for("web.design_home")}, **_publishing()}
    return studio_page("design/review.html", drafts=mine, page=page,
                       problems=queries.bundle_problems(runtime(), files) if mine else [],
                       diff=semantic_diff(latest, files) if mine else {"lines": []},
                       open_instances=queries.open_instances_of(db.session, files, latest))


@bp.route("/design/processes/<process_id>/versions")
def design_versions(process_id):
    require_designer()
    versions = queries.process_versions(db.session, process_id)
    numbers = [v["version"] for v in versions]
    old = int_arg(request.args, "from", numbers[1] if len(numbers) > 1 else numbers[0])
    new = int_arg(request.args, "to", numbers[0])
    page = {"process_id": process_id, "old": old, "new": new,
            "urls": {"diff": url_for("design.ProcessDiff", process_id=process_id),
                     "rollback": url_for("design.Rollback", process_id=process_id),
                     "editor": url_for("web.design_process", process_id=process_id)},
            **_publishing()}
    return studio_page("design/versions.html", versions=versions, page=page, process_id=process_id,
                       name=versions[0]["name"])


@bp.route("/design/requests/<int:request_id>")
def design_request(request_id):
    access.require(access.may_read_deploy_requests(current_user))
    request_row = requests_ops.get_request(db.session, request_id)
    view = queries.request_row(db.session, request_row)
    page = {"request_id": request_id, "diagrams": queries.request_diagrams(db.session, request_row),
            "base": request_row.base_number,
            "urls": {"request": url_for("design.RequestDetail", request_id=request_id)}}
    return studio_page("design/request.html", request=view, detail=request_row, page=page,
                       task_url=_review_task(request_row))


def _review_task(request_row):
    """The reviewer's open task for this request, when the current user may work on it."""
    task_id = queries.review_task_id(db.session, current_user, request_row.instance_id)
    return url_for("web.task_page", task_id=task_id) if task_id else None
