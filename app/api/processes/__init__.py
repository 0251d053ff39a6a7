"""Deployed processes and forms: list, versions, XML, validate, deploy, diff."""

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import EXCLUDE

from app.api.auth import actor, config, runtime
from app.api.processes.schemas import (
    BundleSchema,
    DeploymentSchema,
    DeployResultSchema,
    DiffQuerySchema,
    ProcessSchema,
    ValidateResultSchema,
    VersionQuerySchema,
)
from app.definitions import operations as defs
from app.domain import access
from app.errors import NotFound
from app.extensions import db
from app.messages import msg
from app.workflow.deployments import deploy_checked, validate_files
from app.workflow.services import registry as service_registry

blp = Blueprint("processes", __name__, url_prefix="/api", description=msg("api.processes.blueprint"))


def _bundle(payload):
    files = {f.filename: f.read() for f in request.files.getlist("files")}
    files.update({name: text.encode("utf-8") for name, text in (payload.get("files") or {}).items()})
    return files


def _payload():
    """The bundle's fields, from multipart or JSON, checked by BundleSchema (422 in Chinese, never a 500)."""
    raw = request.form.to_dict() if request.files else request.get_json(silent=True)
    return BundleSchema(unknown=EXCLUDE).load(raw if isinstance(raw, dict) else {})


@blp.route("/processes")
class Processes(MethodView):
    @blp.response(200, ProcessSchema(many=True))
    def get(self):
        actor()
        return defs.list_processes(db.session)


@blp.route("/processes/<process_id>/versions")
class ProcessVersions(MethodView):
    @blp.response(200, ProcessSchema(many=True))
    def get(self, process_id):
        actor()
        return defs.process_versions(db.session, process_id)


@blp.route("/processes/<process_id>/xml")
class ProcessXml(MethodView):
    @blp.arguments(VersionQuerySchema, location="query")
    def get(self, query, process_id):
        """The BPMN file that defines the process (newest version unless `version` is given)."""
        actor()
        versions = defs.process_versions(db.session, process_id)
        chosen = next((p for p in versions if query["version"] in (None, p.deployment.number)), None)
        if chosen is None:
            raise NotFound(msg("def.no_process", pid=process_id))
        content = defs.file_content(db.session, chosen.deployment_id, chosen.file_name)
        return Response(content, mimetype="application/xml")


@blp.route("/processes/validate")
class Validate(MethodView):
    @blp.response(200, ValidateResultSchema)
    def post(self):
        """Validate a bundle without deploying it; 400 lists every problem, 200 the warnings of a valid bundle."""
        user = actor()
        bundle = validate_files(runtime(), user, _bundle(_payload()))
        return {"valid": True, "processes": sorted(bundle.parsed.process_files), "forms": sorted(bundle.forms),
                "warnings": [w.as_dict() for w in bundle.warnings]}


@blp.route("/processes/deploy")
class Deploy(MethodView):
    @blp.response(201, DeployResultSchema)
    def post(self):
        """Deploy a bundle as a new numbered version (or return the latest if nothing changed), with its warnings."""
        user = actor()
        access.require(access.may_publish_directly(user, config().DEPLOY_APPROVAL), "design.api_deploy_forbidden")
        payload = _payload()
        deployed = deploy_checked(db.session, runtime(), user, _bundle(payload), payload["note"],
                                  overlay=payload["overlay"])
        return {"created": deployed.created, "deployment": deployed.deployment,
                "warnings": [w.as_dict() for w in deployed.warnings]}


@blp.route("/deployments")
class Deployments(MethodView):
    @blp.response(200, DeploymentSchema(many=True))
    def get(self):
        actor()
        return defs.list_deployments(db.session)


@blp.route("/deployments/<int:number>")
class DeploymentDetail(MethodView):
    @blp.response(200, DeploymentSchema)
    def get(self, number):
        actor()
        return defs.get_deployment(db.session, number)


@blp.route("/deployments/diff")
class DeploymentDiff(MethodView):
    @blp.arguments(DiffQuerySchema, location="query")
    def get(self, query):
        actor()
        return defs.diff_deployments(db.session, query["old"], query["new"])


@blp.route("/forms/<form_id>")
class FormDetail(MethodView):
    @blp.arguments(VersionQuerySchema, location="query")
    def get(self, query, form_id):
        """A form-js schema as last deployed (or as in deployment `version`)."""
        actor()
        return defs.latest_form(db.session, form_id, query["version"]).schema



@blp.route("/services")
class Services(MethodView):
    @blp.response(200)
    def get(self):
        """Host operations that service tasks may call, with their parameters, as designers see them."""
        actor()
        return {"operations": service_registry.describe()}
