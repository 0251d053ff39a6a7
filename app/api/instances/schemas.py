from marshmallow import Schema, fields

from app.api.spec import CODE_MAX, TEXT_MAX, at_most, one_of
from app.messages import msg
from app.workflow.models import INSTANCE_STATUSES


class InstanceSchema(Schema):
    id = fields.Integer()
    process_id = fields.String()
    process_name = fields.String()
    process_version = fields.Integer(metadata={"description": msg("api.instances.process_version")})
    status = fields.String()
    status_label = fields.Function(lambda i: INSTANCE_STATUSES.get(i["status"], i["status"]))
    business_key = fields.String(allow_none=True)
    started_by = fields.String()
    org_code = fields.String(allow_none=True)
    started_at = fields.DateTime()
    updated_at = fields.DateTime()
    ended_at = fields.DateTime(allow_none=True)
    next_timer_due = fields.DateTime(allow_none=True)
    error = fields.Dict(allow_none=True)


class TaskBriefSchema(Schema):
    id = fields.Integer()
    bpmn_id = fields.String()
    name = fields.String()
    title = fields.String()
    status = fields.String()
    roles = fields.List(fields.String())
    orgs = fields.List(fields.String())
    claimed_by = fields.String(allow_none=True)
    created_at = fields.DateTime()
    due_at = fields.DateTime(allow_none=True)
    completed_at = fields.DateTime(allow_none=True)
    completed_by = fields.String(allow_none=True)


class EventSchema(Schema):
    seq = fields.Integer()
    at = fields.DateTime()
    actor = fields.String(allow_none=True)
    org = fields.String(allow_none=True)
    action = fields.String()
    task_id = fields.String(allow_none=True)
    payload = fields.Dict()


class InstanceDetailSchema(InstanceSchema):
    tasks = fields.List(fields.Nested(TaskBriefSchema))
    data = fields.Dict()
    history = fields.List(fields.Nested(EventSchema))


class InstanceQuerySchema(Schema):
    status = fields.String(load_default=None, validate=one_of(INSTANCE_STATUSES))
    process_id = fields.String(load_default=None, validate=at_most(CODE_MAX))
    business_key = fields.String(load_default=None, validate=at_most(CODE_MAX))


class StartSchema(Schema):
    process_id = fields.String(required=True, validate=at_most(CODE_MAX))
    data = fields.Dict(load_default=dict)
    business_key = fields.String(load_default=None, validate=at_most(CODE_MAX))


class ReasonSchema(Schema):
    reason = fields.String(required=True, validate=at_most(TEXT_MAX),
                           metadata={"description": msg("api.instances.reason")})
