from marshmallow import Schema, fields

from app.api.instances.schemas import TaskBriefSchema
from app.api.spec import CODE_MAX, SEARCH_MAX, at_most, one_of
from app.messages import msg


class TaskSchema(TaskBriefSchema):
    instance_id = fields.Integer()
    process_id = fields.String()
    process_name = fields.String()
    business_key = fields.String(allow_none=True)
    caller = fields.String(metadata={"description": msg("api.tasks.caller")})
    form_id = fields.String(allow_none=True)
    kpi = fields.String(allow_none=True)
    lane = fields.String(allow_none=True)
    multi_instance_index = fields.Integer(allow_none=True)


class NextTaskSchema(Schema):
    id = fields.Integer()
    title = fields.String()


class CompletedTaskSchema(TaskSchema):
    next_task = fields.Nested(NextTaskSchema, allow_none=True,
                              metadata={"description": msg("api.tasks.next_task")})


class TaskDetailSchema(TaskSchema):
    instructions = fields.String(allow_none=True)
    form = fields.Dict(allow_none=True)
    data = fields.Dict()


class InboxQuerySchema(Schema):
    scope = fields.String(load_default="all", validate=one_of(["all", "mine", "group"]))
    search = fields.String(load_default=None, validate=at_most(SEARCH_MAX))
    process_id = fields.String(load_default=None, validate=at_most(CODE_MAX))


class DataSchema(Schema):
    data = fields.Dict(load_default=dict)


class DelegateSchema(Schema):
    username = fields.String(required=True, validate=at_most(CODE_MAX))
