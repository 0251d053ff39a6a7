"""The overview (概览) as data: the figures of one month that the page draws, each with the list it counts."""

from zoneinfo import ZoneInfo

from flask import url_for
from flask.views import MethodView
from marshmallow import Schema, fields

from app.api.auth import actor, config
from app.api.paging import Blueprint
from app.api.spec import at_most
from app.domain import access
from app.extensions import db
from app.governance.overview_figures import county_today, month_overview, parse_month, with_links
from app.messages import msg

blp = Blueprint("overview", __name__, url_prefix="/api", description=msg("overview.api.blueprint"))
# The list a figure counts -> its page; `filters` are that page's query string (the API's /api/calls takes the same).
LISTS = {"calls": "web.calls_page", "supervision": "web.supervision_page"}


class MonthQuerySchema(Schema):
    month = fields.String(load_default=None, validate=at_most(16), metadata={"description": msg("overview.api.month")})


class FigureSchema(Schema):
    key = fields.String()
    label = fields.String()
    hint = fields.String(allow_none=True)
    count = fields.Integer()
    list = fields.String()
    filters = fields.Dict(keys=fields.String(), values=fields.String())
    href = fields.String()


class DaySchema(Schema):
    date = fields.Date()
    opened = fields.Nested(FigureSchema)
    closed = fields.Nested(FigureSchema)


class CasesSchema(FigureSchema):
    grades = fields.List(fields.Nested(FigureSchema))
    ungraded = fields.Integer()


class OldestPartySchema(Schema):
    org_code = fields.String()
    name = fields.String()
    status = fields.String()
    status_label = fields.String()


class OldestCallSchema(Schema):
    number = fields.String()
    title = fields.String()
    caller_org = fields.String()
    caller = fields.String()
    status = fields.String()
    status_label = fields.String()
    created_at = fields.DateTime()
    age_hours = fields.Integer()
    parties = fields.List(fields.Nested(OldestPartySchema))


class MonthSchema(Schema):
    code = fields.String()
    label = fields.String()


class MonthOverviewSchema(Schema):
    month = fields.String()
    label = fields.String()
    from_ = fields.Date(data_key="from")
    to = fields.Date()
    as_of = fields.DateTime()
    figures = fields.List(fields.Nested(FigureSchema), metadata={"description": msg("overview.api.figures")})
    statuses = fields.List(fields.Nested(FigureSchema), metadata={"description": msg("overview.api.statuses")})
    rejections = fields.List(fields.Nested(FigureSchema), metadata={"description": msg("overview.api.rejections")})
    days = fields.List(fields.Nested(DaySchema), metadata={"description": msg("overview.api.days")})
    cases = fields.List(fields.Nested(CasesSchema), metadata={"description": msg("overview.api.cases")})
    oldest = fields.List(fields.Nested(OldestCallSchema), metadata={"description": msg("overview.api.oldest")})
    months = fields.List(fields.Nested(MonthSchema), metadata={"description": msg("overview.api.months")})


@blp.route("/overview")
class Overview(MethodView):
    @blp.arguments(MonthQuerySchema, location="query")
    @blp.response(200, MonthOverviewSchema)
    def get(self, query):
        """One month (county time) at a glance, as the overview page shows it; for the read-all roles."""
        user = actor()
        access.require(access.may_read_overview(user), "overview.forbidden")
        zone = ZoneInfo(config().TIMEZONE)
        month = parse_month(query["month"], county_today(zone))
        data = month_overview(db.session, user, month, zone)
        return {**with_links(data, lambda listing, filters: url_for(LISTS[listing], **filters)), "from_": data["from"]}
