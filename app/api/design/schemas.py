from marshmallow import Schema, fields

from app.api.processes.schemas import ProblemSchema
from app.api.spec import CODE_MAX, at_most, bounded, length_between
from app.definitions.models import DeployRequest
from app.edge import ID_MAX
from app.messages import label, msg

TEXT_LIMIT = 4 * 1024 * 1024  # a draft's text; the configured per-kind limit is checked by the operation


class DraftSchema(Schema):
    file_name = fields.String()
    kind = fields.String()
    kind_label = fields.Function(lambda d: label("file_kind", d.kind))
    owner = fields.String()
    base_version = fields.Integer(attribute="base_number", allow_none=True)
    revision = fields.Integer()
    status = fields.String()
    status_label = fields.Function(lambda d: label("draft_status", d.status))
    comment = fields.String()
    request_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class DraftContentSchema(DraftSchema):
    content = fields.Function(lambda d: d.content.decode("utf-8", "replace"))


class SaveDraftSchema(Schema):
    content = fields.String(required=True, validate=at_most(TEXT_LIMIT))
    base_version = fields.Integer(load_default=None, allow_none=True, validate=bounded(1, ID_MAX),
                                  metadata={"description": msg("api.design.base_version")})
    revision = fields.Integer(load_default=None, allow_none=True, validate=bounded(0, ID_MAX),
                              metadata={"description": msg("api.design.revision")})


class NewProcessSchema(Schema):
    process_id = fields.String(required=True, validate=length_between(1, CODE_MAX))
    name = fields.String(required=True, validate=length_between(1, 128))
    copy_of = fields.String(load_default=None, allow_none=True, validate=at_most(CODE_MAX))


class NewFormSchema(Schema):
    form_id = fields.String(required=True, validate=length_between(1, CODE_MAX))
    name = fields.String(required=True, validate=length_between(1, 128))


class FilesSchema(Schema):
    files = fields.Dict(keys=fields.String(validate=at_most(128)), values=fields.String(validate=at_most(TEXT_LIMIT)),
                        load_default=dict, metadata={"description": msg("api.design.unsaved_files")})


class ValidationSchema(Schema):
    valid = fields.Boolean()
    problems = fields.List(fields.Nested(ProblemSchema))


class RunTestsSchema(FilesSchema):
    process = fields.String(load_default=None, allow_none=True, validate=at_most(CODE_MAX))


class ScenarioResultSchema(Schema):
    process = fields.String(allow_none=True)
    file = fields.String(allow_none=True)
    scenario = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    passed = fields.Boolean()
    status = fields.String(allow_none=True)
    path = fields.List(fields.String())
    failures = fields.List(fields.String())
    duration_ms = fields.Float(allow_none=True)


class DiffQuerySchema(Schema):
    old = fields.Integer(required=True, data_key="from", validate=bounded(1, ID_MAX))
    new = fields.Integer(load_default=None, data_key="to", validate=bounded(1, ID_MAX),
                         metadata={"description": msg("api.design.diff_to")})


class SubmitSchema(Schema):
    reason = fields.String(required=True, validate=length_between(1, DeployRequest.reason.type.length))
    files = fields.List(fields.String(validate=at_most(128)), load_default=None, allow_none=True)
    direct = fields.Boolean(load_default=False, metadata={"description": msg("api.design.direct")})


class RollbackSchema(Schema):
    version = fields.Integer(required=True, validate=bounded(1, ID_MAX))
    reason = fields.String(required=True, validate=length_between(1, DeployRequest.reason.type.length))
    direct = fields.Boolean(load_default=False, metadata={"description": msg("api.design.direct")})


class RequestSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    title = fields.String()
    requested_by = fields.String()
    requested_at = fields.DateTime()
    reason = fields.String()
    base_version = fields.Integer(attribute="base_number", allow_none=True)
    status = fields.String()
    status_label = fields.Function(lambda r: label("request_status", r.status))
    instance_id = fields.Integer(allow_none=True)
    decided_by = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    comment = fields.String()
    deployment_number = fields.Integer(allow_none=True)
    rollback_to = fields.Integer(allow_none=True)
    files = fields.Function(lambda r: [f.name for f in r.files])


class RequestDetailSchema(RequestSchema):
    diff = fields.Dict()
    scenarios = fields.List(fields.Dict())
    warnings = fields.List(fields.Dict())
    open_instances = fields.List(fields.Dict())


class RequestQuerySchema(Schema):
    status = fields.String(load_default=None, validate=at_most(16))
    mine = fields.Boolean(load_default=False)


class PreviewSchema(Schema):
    markdown = fields.String(required=True, validate=at_most(100_000))
    data = fields.Dict(load_default=dict)


class EvaluateSchema(Schema):
    content = fields.String(load_default=None, allow_none=True, validate=at_most(TEXT_LIMIT),
                            metadata={"description": msg("api.design.decision_content")})
    inputs = fields.Dict(load_default=dict)


class FormKeysSchema(Schema):
    schema = fields.Dict(required=True)
