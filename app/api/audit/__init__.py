"""The record: search audit events and verify the hash chains."""

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select

from app.api.auth import actor
from app.api.instances.schemas import EventSchema
from app.api.spec import CODE_MAX, at_most, bounded
from app.domain.access import may_read_audit, require
from app.domain.audit import AuditEvent, verify_chains
from app.edge import ID_MAX, PAGE_MAX
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
    page = fields.Integer(load_default=1, validate=bounded(1, PAGE_MAX))
    per_page = fields.Integer(load_default=50, validate=bounded(1, 500))


def _auditor():
    user = actor()
    require(may_read_audit(user))
    return user


@blp.route("/events")
class Events(MethodView):
    @blp.arguments(AuditQuerySchema, location="query")
    @blp.response(200, AuditEventSchema(many=True))
    def get(self, query):
        _auditor()
        stmt = select(AuditEvent)
        for name in ("stream", "instance_id", "actor", "action"):
            if query[name] is not None:
                stmt = stmt.where(getattr(AuditEvent, name) == query[name])
        stmt = stmt.order_by(AuditEvent.id.desc()).limit(query["per_page"])
        return list(db.session.scalars(stmt.offset((query["page"] - 1) * query["per_page"])))


@blp.route("/verify")
class Verify(MethodView):
    @blp.response(200)
    def get(self):
        _auditor()
        result = verify_chains(db.session)
        return {"ok": result.ok, "message": result.message, "streams": result.streams, "events": result.events,
                "checkpoints": result.checkpoints, "stream": result.stream, "seq": result.seq}
