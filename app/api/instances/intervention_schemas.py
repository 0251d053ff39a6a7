"""Request and response bodies of the console's element actions (app/api/instances/interventions.py)."""

from marshmallow import Schema, fields

from app.api.spec import CODE_MAX, TEXT_MAX, at_most
from app.messages import msg


def _reason():
    return fields.String(required=True, validate=at_most(TEXT_MAX), metadata={"description": msg("api.instances.reason")})


class TaskActionSchema(Schema):
    task_id = fields.String(required=True, validate=at_most(64), metadata={"description": msg("api.console.task_id")})
    reason = _reason()


class SkipSchema(TaskActionSchema):
    data = fields.Dict(load_default=dict, metadata={"description": msg("api.console.skip_data")})


class ReassignSchema(Schema):
    username = fields.String(load_default=None, validate=at_most(CODE_MAX))
    org_code = fields.String(load_default=None, validate=at_most(CODE_MAX))
    reason = _reason()


class MessageDeliverySchema(Schema):
    name = fields.String(required=True, validate=at_most(128))
    payload = fields.Raw(load_default=None, metadata={"description": msg("api.console.payload")})
    reason = _reason()


class DataEditSchema(Schema):
    data = fields.Dict(required=True, metadata={"description": msg("api.console.data")})
    reason = _reason()


class TaskPointSchema(Schema):
    task_id = fields.String()
    state = fields.String()
    changed_at = fields.DateTime()
    timer_due = fields.DateTime(allow_none=True)
    message = fields.String(allow_none=True)
    correlations = fields.Dict(allow_none=True)
    child = fields.String(allow_none=True)
    human_task_id = fields.Integer(allow_none=True)


class ElementSchema(Schema):
    id = fields.String()
    name = fields.String()
    kind = fields.String()
    state = fields.String()
    state_label = fields.String()
    error = fields.Dict(allow_none=True)
    tasks = fields.List(fields.Nested(TaskPointSchema))


class SubWorkflowSchema(Schema):
    id = fields.String()
    process_id = fields.String()
    element_id = fields.String()
    called = fields.Boolean()
    completed = fields.Boolean()


class RewindPointSchema(Schema):
    task_id = fields.String()
    element_id = fields.String()
    name = fields.String()
    completed_at = fields.DateTime()


class ElementsSchema(Schema):
    workflow = fields.String(load_default="top", validate=at_most(64), metadata={"description": msg(
        "api.console.workflow")})
    process_id = fields.String(dump_only=True)
    elements = fields.List(fields.Nested(ElementSchema), dump_only=True)
    children = fields.List(fields.Nested(SubWorkflowSchema), dump_only=True)
    rewinds = fields.List(fields.Nested(RewindPointSchema), dump_only=True)
    allowed = fields.List(fields.String(), dump_only=True)
