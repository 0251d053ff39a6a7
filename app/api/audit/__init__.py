"""The record: search audit events and verify the hash chains."""

from flask.views import MethodView
from marshmallow import Schema, fields

from app.api.auth import actor
from app.api.instances.schemas import EventSchema
from app.api.paging import Blueprint
from app.api.spec import CODE_MAX, at_most, bounded
from app.domain.access import may_read_audit, require
from app.domain.audit import event_page, verify_chains
from app.edge import ID_MAX
from app.extensions import db
from app.messages import msg

blp = Blueprint("audit", __name__, url_prefix="/api/audit", description=msg("api.audit.blueprint"))


class AuditEventSchema(EventSchema):
    stream = fields.String()
    instance_id = fields.Integer(allow_none=True)
    hash = fields.String()
    prev_hash = fields.String()


class AuditQuerySchema(Schema):
    stream = fields.String(load_default=None, validate=at_most(96))
    instance_id = fields.Integer(load_default=None, validate=bounded(1, ID_MAX))
    actor = fields.String(load_default=None, validate=at_most(CODE_MAX))
    action = fields.String(load_default=None, validate=at_most(48))


def _auditor():
    user = actor()
    require(may_read_audit(user))
    return user


@blp.route("/events")
class Events(MethodView):
    @blp.arguments(AuditQuerySchema, location="query")
    @blp.response(200, AuditEventSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=500)
    def get(self, query, pagination_parameters):
        """The record, newest first, filtered by stream, instance, actor or action."""
        _auditor()
        page = pagination_parameters
        rows, page.item_count = event_page(db.session, page.page, page.page_size, **query)
        return rows


@blp.route("/verify")
class Verify(MethodView):
    @blp.response(200)
    def get(self):
        _auditor()
        result = verify_chains(db.session)
        return {"ok": result.ok, "message": result.message, "streams": result.streams, "events": result.events,
                "checkpoints": result.checkpoints, "stream": result.stream, "seq": result.seq}
