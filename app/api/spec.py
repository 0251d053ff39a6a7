"""The OpenAPI description completed in one place: the errors, bodies and content types that decorators do not state.

flask-smorest documents what an endpoint's decorators declare (arguments, the success response). The
boundary (app/edge.py) and the error mapping (app/api/errors.py) answer more than that, for every
operation alike; an apispec plugin adds those answers here by rule, so the published description
is the truth a client and the fuzzing test (tests/api/test_fuzz.py) can hold us to. No operation
gets a catch-all `default` response.
"""

import re
from datetime import timezone

from apispec import BasePlugin
from marshmallow import Schema, ValidationError, fields, validate

from app.edge import PAGE_MAX, PERSONAL_WRITES, SAFE_METHODS
from app.messages import msg

# Bounds of every text a query or body takes (numbers: ID_MAX and PAGE_MAX of the boundary, app/edge.py), so that
# no input reaches the database beyond what it stores.
CODE_MAX = 64  # organisation codes, user names, process ids, business keys (their columns hold 64)
SEARCH_MAX = 100
TEXT_MAX = 500  # reasons and notes

# Status -> (response component, what it means). Every error body is the Error schema.
ERRORS = {
    400: ("BadRequest", msg("api.error.bad_request")),
    401: ("Unauthenticated", msg("api.error.unauthenticated")),
    403: ("Forbidden", msg("api.error.forbidden")),
    404: ("NotFound", msg("api.error.not_found")),
    409: ("Conflict", msg("api.error.conflict")),
    413: ("TooLarge", msg("api.error.too_large")),
    422: ("Unprocessable", msg("api.error.unprocessable")),
    500: ("ServerError", msg("api.error.server_error")),
}
# Reads that ask the access policy for a yes or no (the other reads only filter what the caller may see).
POLICY_READS = frozenset({"users.Users", "users.UserTokens", "audit.Events", "audit.Verify", "attachments.Download",
                          "attachments.Thumbnail", "attachments.Info",
                          "instances.InstanceDetail", "tasks.TaskDetail", "calls.CallDetail", "design.Drafts",
                          "design.DraftDetail", "design.RecordScenario", "design.ProcessDiff", "design.Requests",
                          "design.RequestDetail", "design.Versions", "console.Overview", "instances.Elements",
                          "migrations.DryRun", "migrations.Batches", "migrations.Report",
                          "overview.Overview"})
# Operations that look up a name given in the query or body: an unknown one answers 404.
LOOKUPS = frozenset({"instances.Instances", "processes.ProcessXml", "processes.DeploymentDiff", "processes.FormDetail",
                     "users.Users", "orgs.Orgs", "migrations.DryRun", "migrations.Batches"})
# Operations that check what they read by hand (files, the bundle through BundleSchema) and refuse it with 422.
SELF_CHECKED = frozenset({"attachments.Upload", "lists.Import", "processes.Validate", "processes.Deploy",
                          "design.Upload"})

_TEXT = {"type": "string"}
_FILE = {"type": "string", "format": "binary"}
# Success bodies that are not JSON.
CONTENT = {
    "processes.ProcessXml": {"application/xml": {"schema": _TEXT}},
    "lists.Export": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": _FILE}},
    "attachments.Download": {mime: {"schema": _FILE} for mime in ("image/jpeg", "image/png", "image/webp",
                                                                   "application/pdf")},
    "attachments.Thumbnail": {"image/jpeg": {"schema": _FILE}},
}
_BUNDLE = {"multipart/form-data": {"schema": {"type": "object", "properties": {
    "files": {"type": "array", "items": _FILE, "description": msg("api.upload.bundle_files")},
    "note": _TEXT, "overlay": {"type": "boolean"}}}}}
# Request bodies that endpoints read by hand (uploads), so no decorator describes them.
BODIES = {
    "attachments.Upload": {"multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
        "file": {**_FILE, "description": msg("api.upload.attachment")}}}}},
    "lists.Import": {"multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
        "file": {**_FILE, "description": msg("api.upload.list_file")},
        "reason": {"type": "string", "maxLength": TEXT_MAX, "description": msg("api.upload.list_reason")}}}}},
    "processes.Validate": {"application/json": {"schema": "Bundle"}, **_BUNDLE},
    "design.Upload": {"multipart/form-data": {"schema": {"type": "object", "required": ["files"], "properties": {
        "files": {"type": "array", "items": _FILE, "description": msg("api.upload.bundle_files")}}}}},
    "processes.Deploy": {"application/json": {"schema": "Bundle"}, **_BUNDLE},
}
SECURITY = [{"bearer": []}, {"session": []}]
ROUTE_PARAMETER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")  # werkzeug's <converter(args):name>


def bounded(low, high):
    """Validators of a number in low..high, each refusal in Chinese."""
    return [validate.Range(min=low, error=msg("form.minimum", n=low)),
            validate.Range(max=high, error=msg("form.maximum", n=high))]


def at_most(length):
    return validate.Length(max=length, error=msg("form.max_length", n=length))


def length_between(low, high):
    return [validate.Length(min=low, error=msg("form.min_length", n=low)), at_most(high)]


def one_of(choices):
    return validate.OneOf(list(choices), error=msg("form.enum"))


def instant_between(first_year, last_year):
    """A validator of an aware date and time whose UTC value falls in these years (far offsets overflow Python)."""
    def check(value):
        try:
            year = value.astimezone(timezone.utc).year
        except OverflowError:
            year = None
        if year is None or not first_year <= year <= last_year:
            raise ValidationError(msg("form.invalid"))
    return check


class ErrorSchema(Schema):
    code = fields.String(required=True, metadata={"description": msg("api.error.code")})
    message = fields.String(required=True, metadata={"description": msg("api.error.message")})
    errors = fields.Dict(required=True, metadata={"description": msg("api.error.errors")})


class BoundaryPlugin(BasePlugin):
    """Adds to every operation what the boundary and the error mapping may answer, by rule."""

    def init_spec(self, spec):
        super().init_spec(spec)
        self.spec = spec

    def operation_helper(self, path=None, operations=None, **kwargs):
        rule = kwargs.get("rule")
        endpoint = rule.endpoint if rule is not None else ""
        converters = [converter or "string" for converter, _ in ROUTE_PARAMETER.findall(rule.rule if rule else "")]
        for method, operation in (operations or {}).items():
            complete_operation(endpoint, method, operation, converters)
            self.mark_optional_body(operation)
            bound_pages(operation)

    def mark_optional_body(self, operation):
        """A JSON body whose schema requires no field may be left out (the arguments then take their defaults)."""
        body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
        name = body.get("$ref", "").rpartition("/")[2] if isinstance(body, dict) else ""
        if name in self.spec.components.schemas and not self.spec.components.schemas[name].get("required"):
            operation["requestBody"]["required"] = False


def bound_pages(operation):
    """flask-smorest's `page` has no maximum; ours stops at PAGE_MAX (app/api/paging.py refuses beyond it)."""
    for parameter in operation.get("parameters", []):
        if isinstance(parameter, dict) and parameter.get("in") == "query" and parameter.get("name") == "page":
            parameter["schema"]["maximum"] = PAGE_MAX


def error_statuses(endpoint, method, parsed, converters):
    """The error statuses an operation can answer (see ERRORS), derived from what it is.

    `parsed`: flask-smorest parses arguments (and documented 422); `converters` names the converter of each
    path parameter. Text the database refuses (NUL on PostgreSQL) answers 422 wherever text arrives.
    """
    write = method.upper() not in SAFE_METHODS
    statuses = {401, 409, 500}  # 409: a busy SQLite refuses even a read, which notes the token's last use
    if (write and endpoint not in PERSONAL_WRITES) or endpoint in POLICY_READS:
        statuses.add(403)
    if converters or endpoint in LOOKUPS:
        statuses.add(404)
    if write:
        statuses |= {400, 413}
    if parsed or endpoint in SELF_CHECKED or any(converter != "int" for converter in converters):
        statuses.add(422)
    return statuses


def complete_operation(endpoint, method, operation, converters):
    """One operation's errors by rule, its success body, the body read by hand, the CSRF header, its security."""
    responses = {str(status): response for status, response in operation.get("responses", {}).items()
                 if status != "default"}
    statuses = error_statuses(endpoint, method, "422" in responses, converters)
    responses.update({str(status): ERRORS[status][0] for status in statuses})
    success = CONTENT.get(endpoint) or {"application/json": {"schema": {"type": "object"}}}
    for status, response in responses.items():
        if status.startswith("2") and status != "204" and isinstance(response, dict):
            response.setdefault("content", success)
    if not any(status.startswith("2") for status in responses):
        responses["200"] = {"description": msg("api.success"), "content": success}
    operation["responses"] = dict(sorted(responses.items()))
    if endpoint in BODIES:
        operation["requestBody"] = {"required": True, "content": BODIES[endpoint]}
    if 400 in statuses:
        operation.setdefault("parameters", []).append("CsrfToken")
    operation["security"] = SECURITY


def install_spec(api):
    """Register the shared components and the plugin; call before any blueprint is registered."""
    from app.api.processes.schemas import BundleSchema

    components = api.spec.components
    # flask-smorest registers its own "Error" ({code: integer, status, …}) when the Api is initialised; the
    # errors we send look different, and no operation refers to its responses any more.
    components.schemas["Error"] = api.ma_plugin.converter.schema2jsonschema(ErrorSchema)
    components.schema("Bundle", schema=BundleSchema)
    for name, description in ERRORS.values():
        components.response(name, {"description": description,
                                   "content": {"application/json": {"schema": "Error"}}})
    components.parameter("CsrfToken", "header", {
        "name": "X-CSRFToken", "required": False, "schema": {"type": "string"},
        "description": msg("api.csrf_header")})
    components.security_scheme("bearer", {"type": "http", "scheme": "bearer",
                                          "description": msg("api.security.bearer")})
    components.security_scheme("session", {"type": "apiKey", "in": "cookie", "name": "session",
                                           "description": msg("api.security.session")})
    plugin = BoundaryPlugin()
    plugin.init_spec(api.spec)
    api.spec.plugins.append(plugin)
