from marshmallow import Schema, fields

from app.api.spec import at_most, bounded
from app.edge import ID_MAX
from app.messages import msg


class ProblemSchema(Schema):
    file = fields.String()
    element_id = fields.String(allow_none=True)
    line = fields.Integer(allow_none=True)
    message = fields.String()
    severity = fields.String(metadata={"description": msg("api.processes.severity")})


class ProcessSchema(Schema):
    process_id = fields.String()
    name = fields.String()
    file_name = fields.String()
    version = fields.Function(lambda p: p.deployment.number)
    deployed_at = fields.Function(lambda p: p.deployment.deployed_at.isoformat())
    deployed_by = fields.Function(lambda p: p.deployment.deployed_by)
    start_form = fields.String(allow_none=True)
    start_roles = fields.List(fields.String())
    start_messages = fields.List(fields.String())


class DeploymentSchema(Schema):
    number = fields.Integer()
    checksum = fields.String()
    deployed_by = fields.String()
    deployed_at = fields.DateTime()
    note = fields.String()
    files = fields.Function(lambda d: [f.name for f in d.files])
    processes = fields.Function(lambda d: [p.process_id for p in d.processes])
    forms = fields.Function(lambda d: [f.form_id for f in d.forms])


class DeployResultSchema(Schema):
    created = fields.Boolean()
    deployment = fields.Nested(DeploymentSchema)
    warnings = fields.List(fields.Nested(ProblemSchema))


class ValidateResultSchema(Schema):
    valid = fields.Boolean()
    processes = fields.List(fields.String())
    forms = fields.List(fields.String())
    warnings = fields.List(fields.Nested(ProblemSchema))


class BundleSchema(Schema):
    files = fields.Dict(keys=fields.String(), values=fields.String(),
                        metadata={"description": msg("api.processes.bundle_files")})
    note = fields.String(load_default="", validate=at_most(256))
    overlay = fields.Boolean(load_default=False, metadata={"description": msg("api.processes.bundle_overlay")})


class DiffQuerySchema(Schema):
    old = fields.Integer(required=True, data_key="from", validate=bounded(1, ID_MAX))
    new = fields.Integer(required=True, data_key="to", validate=bounded(1, ID_MAX))


class VersionQuerySchema(Schema):
    version = fields.Integer(load_default=None, validate=bounded(1, ID_MAX))
