"""The designer studio's API (流程设计): drafts, validation, scenario tests, diffs, deploy requests, versions."""

from flask import request
from flask.views import MethodView

from app.api.auth import actor, config, runtime
from app.api.design import schemas as s
from app.api.paging import Blueprint
from app.definitions import blanks, drafts
from app.definitions.diff import semantic_diff
from app.definitions.files import base_name, file_kind
from app.definitions.form_keys import form_key_report
from app.definitions.references import decision_files, process_files
from app.definitions.templates import render_template
from app.domain import access
from app.engine.decisions import decision_cell_problems, evaluate_decision
from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.messages import msg
from app.workflow import deploy_requests as requests_ops
from app.workflow import design_queries as queries
from app.workflow.assignment import text_helpers
from app.workflow.deployments import validate_files
from app.workflow.runtime import HELPER_NAMES
from app.workflow.scenario_tests import record_scenario, run_scenarios

blp = Blueprint("design", __name__, url_prefix="/api/design", description=msg("api.design.blueprint"))


def designer():
    user = actor()
    access.require(access.may_design(user))
    return user


def max_bytes(name):
    limits = runtime().settings.definition_limits
    return limits.max_form_bytes if file_kind(name) in ("form", "scenario") else limits.max_diagram_bytes


def texts(files):
    return {base_name(name): text.encode("utf-8") for name, text in (files or {}).items()}


@blp.route("/drafts")
class Drafts(MethodView):
    @blp.response(200, s.DraftSchema(many=True))
    def get(self):
        """My drafts."""
        return drafts.my_drafts(db.session, designer().username)


@blp.route("/drafts/<name>")
class DraftDetail(MethodView):
    @blp.response(200, s.DraftContentSchema)
    def get(self, name):
        """My draft of one file, with its content."""
        return drafts.get_draft(db.session, designer().username, name)

    @blp.arguments(s.SaveDraftSchema)
    @blp.response(200, s.DraftSchema)
    def put(self, body, name):
        """Save my draft of a file: refused (409) over a newer published version or a newer save."""
        content = body["content"].encode("utf-8")
        return drafts.save_draft(db.session, designer(), name, content, body["base_version"], body["revision"],
                                 max_bytes(name))

    @blp.response(204)
    def delete(self, name):
        """Discard my draft of a file."""
        drafts.discard_draft(db.session, designer(), name)


@blp.route("/processes")
class NewProcess(MethodView):
    @blp.arguments(s.NewProcessSchema)
    @blp.response(201, s.DraftSchema)
    def post(self, body):
        """A new process as my draft: an empty diagram, or a copy of a deployed process under a new id."""
        user = designer()
        pid = blanks.check_id(body["process_id"], "process_id")
        name = blanks.check_name(body["name"], "name")
        files = drafts.draft_bundle(db.session, user.username)
        if pid in process_files(files):
            raise ValidationFailed(msg("design.process_exists", pid=pid), {"process_id": [msg("design.process_exists",
                                                                                              pid=pid)]})
        if body["copy_of"]:
            source = process_files(files).get(body["copy_of"])
            if source is None:
                raise NotFound(msg("def.no_process", pid=body["copy_of"]))
            content = blanks.copy_process(files[source[0]], body["copy_of"], pid, name)
        else:
            content = blanks.empty_process(pid, name)
        file_name = f"{pid}.bpmn"
        return drafts.save_draft(db.session, user, file_name, content, drafts.base_for_new(db.session, file_name),
                                 None, max_bytes(file_name))


@blp.route("/forms")
class NewForm(MethodView):
    @blp.arguments(s.NewFormSchema)
    @blp.response(201, s.DraftSchema)
    def post(self, body):
        """A new, empty form as my draft."""
        user = designer()
        form_id = blanks.check_id(body["form_id"], "form_id")
        name = blanks.check_name(body["name"], "name")
        file_name = f"{form_id}.json"
        if file_name in drafts.draft_bundle(db.session, user.username):
            raise ValidationFailed(msg("design.form_exists", form=form_id),
                                   {"form_id": [msg("design.form_exists", form=form_id)]})
        return drafts.save_draft(db.session, user, file_name, blanks.empty_form(form_id, name),
                                 drafts.base_for_new(db.session, file_name), None, max_bytes(file_name))


@blp.route("/upload")
class Upload(MethodView):
    @blp.response(201, s.ValidationSchema)
    def post(self):
        """Files from another modeller become my drafts, through deploy validation: nothing is saved on an error."""
        user = designer()
        uploaded = {base_name(f.filename): f.read() for f in request.files.getlist("files") if f.filename}
        if not uploaded:
            raise ValidationFailed(msg("design.upload_empty"), {"files": [msg("design.upload_empty")]})
        bundle = validate_files(runtime(), user, drafts.draft_bundle(db.session, user.username, extra=uploaded))
        for name, content in sorted(uploaded.items()):
            mine = drafts.find_draft(db.session, user.username, name)
            base = mine.base_number if mine else drafts.base_for_new(db.session, name)
            drafts.save_draft(db.session, user, name, content, base, mine.revision if mine else None, max_bytes(name))
        return {"valid": True, "problems": [w.as_dict() for w in bundle.warnings]}


@blp.route("/validate")
class Validate(MethodView):
    @blp.arguments(s.FilesSchema)
    @blp.response(200, s.ValidationSchema)
    def post(self, body):
        """Deploy validation of my draft bundle (with unsaved `files` over it): every error and warning."""
        user = designer()
        unsaved = texts(body["files"])
        problems = queries.bundle_problems(runtime(), drafts.draft_bundle(db.session, user.username, unsaved))
        for name, content in unsaved.items():  # a table being edited: every cell, called or not, named by its rule
            if file_kind(name) == "dmn":
                problems = [p for p in problems if p["file"] != name] + [
                    p.as_dict() for p in decision_cell_problems(content, file_name=name)]
        return {"valid": not any(p["severity"] == "error" for p in problems), "problems": problems}


@blp.route("/tests/run")
class RunTests(MethodView):
    @blp.arguments(s.RunTestsSchema)
    @blp.response(200, s.ScenarioResultSchema(many=True))
    def post(self, body):
        """Run the scenario tests of my draft bundle (one process's, or all) in an isolated database."""
        user = designer()
        files = drafts.draft_bundle(db.session, user.username, texts(body["files"]))
        return run_scenarios(db.session, files, only_process=body["process"],
                             timeout=runtime().settings.scenario_time_limit)


@blp.route("/instances/<int:instance_id>/scenario")
class RecordScenario(MethodView):
    @blp.response(200)
    def get(self, instance_id):
        """A scenario test recorded from a real instance: its start, every completion in order, its end."""
        designer()
        return record_scenario(db.session, instance_id, runtime())


@blp.route("/processes/<process_id>/diff")
class ProcessDiff(MethodView):
    @blp.arguments(s.DiffQuerySchema, location="query")
    @blp.response(200)
    def get(self, query, process_id):
        """What changed between two versions (or a version and my draft): the semantic diff and both diagrams."""
        user = designer()
        old = queries.version_files(db.session, query["old"])
        new = (queries.version_files(db.session, query["new"]) if query["new"]
               else drafts.draft_bundle(db.session, user.username))
        return diff_answer(process_id, old, new)


def diff_answer(process_id, old, new):
    old_file = process_files(old).get(process_id, (None,))[0]
    new_file = process_files(new).get(process_id, (None,))[0]
    counts = queries.open_counts(db.session)
    return {"diff": semantic_diff(old, new),
            "old_xml": old[old_file].decode("utf-8") if old_file else None,
            "new_xml": new[new_file].decode("utf-8") if new_file else None,
            "open_instances": [{"version": v, "count": n} for (p, v), n in sorted(counts.items()) if p == process_id]}


@blp.route("/requests")
class Requests(MethodView):
    @blp.arguments(s.RequestQuerySchema, location="query")
    @blp.response(200, s.RequestSchema(many=True))
    def get(self, query):
        """Deploy requests, newest first (designers, reviewers and read-all roles)."""
        user = actor()
        access.require(access.may_read_deploy_requests(user))
        return requests_ops.list_requests(db.session, query["status"], user.username if query["mine"] else None)

    @blp.arguments(s.SubmitSchema)
    @blp.response(201, s.RequestSchema)
    def post(self, body):
        """Ask to publish my drafts: validated, scenario-tested, then reviewed by 编办 (or, for an admin with approval
        switched off, published at once)."""
        return requests_ops.submit_drafts(db.session, runtime(), designer(), body["reason"], body["files"],
                                          body["direct"], config().DEPLOY_APPROVAL)


@blp.route("/requests/<int:request_id>")
class RequestDetail(MethodView):
    @blp.response(200, s.RequestDetailSchema)
    def get(self, request_id):
        user = actor()
        access.require(access.may_read_deploy_requests(user))
        return requests_ops.get_request(db.session, request_id)


@blp.route("/processes/<process_id>/versions")
class Versions(MethodView):
    @blp.response(200)
    def get(self, process_id):
        """Every version of a process: who, when, why, who approved, and its unfinished instances."""
        designer()
        return {"versions": queries.process_versions(db.session, process_id)}


@blp.route("/processes/<process_id>/rollback")
class Rollback(MethodView):
    @blp.arguments(s.RollbackSchema)
    @blp.response(201, s.RequestSchema)
    def post(self, body, process_id):
        """Republish an earlier version as a new one (a deploy request like any other; running instances stay)."""
        return requests_ops.submit_rollback(db.session, runtime(), designer(), process_id, body["version"],
                                            body["reason"], body["direct"], config().DEPLOY_APPROVAL)


@blp.route("/preview")
class Preview(MethodView):
    @blp.arguments(s.PreviewSchema)
    @blp.response(200)
    def post(self, body):
        """Instructions as a task page shows them (the same sandboxed template and Markdown)."""
        designer()
        return {"html": str(render_template(body["markdown"], body["data"], markdown=True,
                                           helpers=text_helpers(db.session)))}


@blp.route("/decisions/<decision_id>/evaluate")
class Evaluate(MethodView):
    @blp.arguments(s.EvaluateSchema)
    @blp.response(200)
    def post(self, body, decision_id):
        """Evaluate a decision table on input values, as a business rule task would."""
        user = designer()
        files = drafts.draft_bundle(db.session, user.username)
        found = decision_files(files).get(decision_id)
        if found is None and body["content"] is None:
            raise NotFound(msg("design.no_decision", id=decision_id))
        content = body["content"].encode("utf-8") if body["content"] is not None else files[found[0]]
        sandbox = runtime().sandbox_for(runtime().lazy_calendar(db.session))
        return evaluate_decision(content, decision_id, body["inputs"], sandbox=sandbox,
                                 file_name=found[0] if found else f"{decision_id}.dmn")


@blp.route("/forms/<form_id>/keys")
class FormKeys(MethodView):
    @blp.arguments(s.FormKeysSchema)
    @blp.response(200)
    def post(self, body, form_id):
        """The form's keys against what the scripts and conditions of the processes showing it read."""
        user = designer()
        files = drafts.draft_bundle(db.session, user.username)
        return form_key_report(files, form_id, body["schema"], reserved=set(HELPER_NAMES))
