"""The record: search audit events and verify the hash chains."""

from flask.views import MethodView
from marshmallow import Schema, fields
from sqlalchemy import func, select

from app.api.auth import actor
from app.api.instances.schemas import EventSchema
from app.api.paging import Blueprint
from app.api.spec import CODE_MAX, at_most, bounded
from app.domain.access import may_read_audit, require
from app.domain.audit import AuditEvent, verify_chains
from app.edge import ID_MAX
from app.extensions import db

blp = Blueprint("audit", __name__, url_prefix="/api/audit", description="记录仪（审计）")


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
        _auditor()
        page = pagination_parameters
        stmt = select(AuditEvent)
        for name in ("stream", "instance_id", "actor", "action"):
            if query[name] is not None:
                stmt = stmt.where(getattr(AuditEvent, name) == query[name])
        page.item_count = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
        stmt = stmt.order_by(AuditEvent.id.desc()).limit(page.page_size)
        return list(db.session.scalars(stmt.offset((page.page - 1) * page.page_size)))


@blp.route("/verify")
class Verify(MethodView):
    @blp.response(200)
    def get(self):
        _auditor()
        result = verify_chains(db.session)
        return {"ok": result.ok, "message": result.message, "streams": result.streams, "events": result.events,
                "checkpoints": result.checkpoints, "stream": result.stream, "seq": result.seq}
