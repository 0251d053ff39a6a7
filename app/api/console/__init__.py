"""The operations console's own reads: the operator's overview (the admin's home page, as data)."""

from flask.views import MethodView
from marshmallow import Schema, fields

from app.api.auth import actor
from app.api.paging import Blueprint
from app.extensions import db
from app.messages import msg
from app.workflow.operating import require_reader
from app.workflow.overview import overview

blp = Blueprint("console", __name__, url_prefix="/api/console", description=msg("api.console.blueprint"))


class OverviewSchema(Schema):
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={"description": msg("api.console.counts")})
    total = fields.Integer()
    errors = fields.List(fields.Dict(), metadata={"description": msg("api.console.errors")})
    timers = fields.Dict(metadata={"description": msg("api.console.timers")})
    overdue = fields.List(fields.Tuple((fields.String(), fields.Integer())),
                          metadata={"description": msg("api.console.overdue_by_org")})
    deploys = fields.List(fields.Dict(), metadata={"description": msg("api.console.deploys")})
    audit = fields.Dict(metadata={"description": msg("api.console.audit")})
    now = fields.DateTime()


@blp.route("/overview")
class Overview(MethodView):
    @blp.response(200, OverviewSchema)
    def get(self):
        """What the operator's overview shows: instances by status, errors, timers due and late, overdue tasks by
        organisation, the last deploys and the audit record's last checkpoint."""
        require_reader(actor())
        return overview(db.session)
