"""The instance list's query (the console's filters), its counts per status and the batch of actions."""

from marshmallow import Schema, fields, validate

from app.api.instances.schemas import InstanceSchema
from app.api.spec import CODE_MAX, SEARCH_MAX, TEXT_MAX, at_most, bounded, one_of
from app.edge import ID_MAX
from app.messages import LABELS, msg
from app.workflow.instance_list import FIRST_DAY, LAST_DAY, LIST_STATUSES
from app.workflow.operating import INSTANCE_ACTIONS

BATCH_MAX = 200  # instances in one batch (a page of the console's list at most)


class InstanceQuerySchema(Schema):
    status = fields.String(load_default=None, validate=one_of(LIST_STATUSES),
                           metadata={"description": msg("api.console.status")})
    process_id = fields.String(load_default=None, validate=at_most(CODE_MAX))
    version = fields.Integer(load_default=None, validate=bounded(1, ID_MAX),
                             metadata={"description": msg("api.console.version")})
    org = fields.String(load_default=None, validate=at_most(CODE_MAX), metadata={"description": msg("api.console.org")})
    overdue = fields.Boolean(load_default=False, metadata={"description": msg("api.console.overdue")})
    started_from = fields.Date(load_default=None, validate=bounded(FIRST_DAY, LAST_DAY),
                               metadata={"description": msg("api.console.started_from")})
    started_to = fields.Date(load_default=None, validate=bounded(FIRST_DAY, LAST_DAY),
                             metadata={"description": msg("api.console.started_to")})
    business_key = fields.String(load_default=None, validate=at_most(CODE_MAX),
                                 metadata={"description": msg("api.console.business_key")})
    q = fields.String(load_default=None, validate=at_most(SEARCH_MAX), metadata={"description": msg("api.console.q")})


class ListedInstanceSchema(InstanceSchema):
    shown_status = fields.String(metadata={"description": msg("api.console.shown_status")})
    shown_status_label = fields.Function(lambda i: LABELS["instance_status"].get(i["shown_status"], i["shown_status"]))
    overdue = fields.Boolean()


class CountsSchema(Schema):
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(),
                         metadata={"description": msg("api.console.counts")})
    total = fields.Integer()


class InstanceBatchSchema(Schema):
    ids = fields.List(fields.Integer(validate=bounded(1, ID_MAX)), required=True,
                      validate=validate.Length(min=1, max=BATCH_MAX, error=msg("api.console.batch_size", n=BATCH_MAX)))
    action = fields.String(required=True, validate=one_of(INSTANCE_ACTIONS))
    reason = fields.String(required=True, validate=at_most(TEXT_MAX), metadata={"description": msg("api.instances.reason")})


class InstanceBatchResultSchema(Schema):
    id = fields.Integer()
    ok = fields.Boolean()
    status = fields.String(allow_none=True)
    status_label = fields.String(allow_none=True)
    message = fields.String()
