"""Calls (呼叫单), their parties, deadlines, ratings, extensions and urges; supervision cases; evaluations."""

from zoneinfo import ZoneInfo

from flask.views import MethodView
from marshmallow import Schema, fields

from app.api.auth import actor, config
from app.api.paging import Blueprint
from app.api.spec import CODE_MAX, TEXT_MAX, at_most, one_of
from app.domain import access
from app.extensions import db
from app.governance import supervision as cases
from app.governance.call_queries import call_detail, call_summary
from app.governance.call_search import Q_MAX, REJECTIONS, CallFilters, search_calls
from app.governance.calls import CALL_STATUSES, urge
from app.governance.evaluations import evaluations_for
from app.messages import msg

blp = Blueprint("calls", __name__, url_prefix="/api", description=msg("api.calls.blueprint"))


class PartySchema(Schema):
    org_code = fields.String()
    role = fields.String()
    status = fields.String()
    response_due = fields.DateTime(allow_none=True)
    responded_at = fields.DateTime(allow_none=True)
    handle_due = fields.DateTime(allow_none=True)
    handled_at = fields.DateTime(allow_none=True)
    rejection_reason = fields.String(allow_none=True)
    rejection_outcome = fields.String(allow_none=True)
    rejection_overturned = fields.Boolean()
    result = fields.String(allow_none=True)
    urge_count = fields.Integer()


class CallSchema(Schema):
    number = fields.String()
    title = fields.String()
    item_code = fields.String()
    caller_org = fields.String()
    caller_user = fields.String()
    location = fields.String()
    description = fields.String()
    urgency = fields.String()
    status = fields.String()
    status_label = fields.Function(lambda c: CALL_STATUSES.get(c["status"], c["status"]))
    instance_id = fields.Integer(allow_none=True)
    redo_count = fields.Integer()
    created_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    parties = fields.List(fields.Nested(PartySchema))


class EvaluationSchema(Schema):
    kind = fields.String()
    rater_org = fields.String()
    ratee_org = fields.String()
    grade = fields.String(allow_none=True)
    score = fields.Integer(allow_none=True)
    accuracy = fields.Integer(allow_none=True)
    cooperation = fields.Integer(allow_none=True)
    comment = fields.String()
    created_at = fields.DateTime()


class ExtensionSchema(Schema):
    org = fields.String(attribute="org_code")
    days = fields.Integer()
    reason = fields.String()
    status = fields.String(metadata={"description": msg("api.calls.extension_status")})
    new_due = fields.DateTime(allow_none=True, metadata={"description": msg("api.calls.extension_new_due")})


class CallUrgeSchema(Schema):
    org = fields.String(attribute="org_code")
    by = fields.String(attribute="urged_by")
    at = fields.DateTime()
    note = fields.String()


class CallDetailSchema(CallSchema):
    evaluations = fields.List(fields.Nested(EvaluationSchema))
    extensions = fields.List(fields.Nested(ExtensionSchema))
    urges = fields.List(fields.Nested(CallUrgeSchema))


class CallQuerySchema(Schema):
    """The filters of 呼叫记录 (the page reads the same query string): each narrows, all together."""

    q = fields.String(load_default=None, validate=at_most(Q_MAX), metadata={"description": msg("staff.api.calls.q")})
    status = fields.String(load_default=None, validate=one_of(CALL_STATUSES))
    item = fields.String(load_default=None, validate=at_most(CODE_MAX),
                         metadata={"description": msg("staff.api.calls.item")})
    party = fields.String(load_default=None, validate=at_most(CODE_MAX),
                          metadata={"description": msg("staff.api.calls.party")})
    created_from = fields.Date(data_key="from", load_default=None, metadata={"description": msg("staff.api.calls.from")})
    created_to = fields.Date(data_key="to", load_default=None, metadata={"description": msg("staff.api.calls.to")})
    overdue = fields.Boolean(load_default=False, metadata={"description": msg("staff.api.calls.overdue")})
    late = fields.Boolean(load_default=False, metadata={"description": msg("staff.api.calls.late")})
    rejection = fields.String(load_default=None, validate=one_of(REJECTIONS),
                              metadata={"description": msg("staff.api.calls.rejection")})


class UrgeSchema(Schema):
    org = fields.String(required=True, validate=at_most(CODE_MAX))
    note = fields.String(load_default="", validate=at_most(TEXT_MAX))


class CaseSchema(Schema):
    number = fields.String()
    target_org = fields.String()
    reason = fields.String()
    reason_label = fields.Function(lambda c: cases.REASONS.get(c.reason, c.reason))
    grade = fields.String(allow_none=True)
    status = fields.String()
    lateness_hours = fields.Integer()
    summary = fields.String()
    opened_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)


class CaseQuerySchema(Schema):
    status = fields.String(load_default=None, validate=one_of(cases.STATUSES))
    grade = fields.String(load_default=None, validate=one_of(cases.GRADES))


@blp.route("/calls")
class Calls(MethodView):
    @blp.arguments(CallQuerySchema, location="query")
    @blp.response(200, CallSchema(many=True))
    @blp.paginate(page_size=20, max_page_size=200)
    def get(self, query, pagination_parameters):
        """Calls my organisation made or is a party to (everything for read-all roles), newest first, filtered."""
        page = pagination_parameters
        rows, page.item_count = search_calls(db.session, actor(), CallFilters(**query), ZoneInfo(config().TIMEZONE),
                                             page.page, page.page_size)
        return [call_summary(call) for call in rows]


@blp.route("/calls/<number>")
class CallDetail(MethodView):
    @blp.response(200, CallDetailSchema)
    def get(self, number):
        """A call with its parties, the ratings I may read, extension requests and urges."""
        return call_detail(db.session, actor(), number)


@blp.route("/calls/<number>/urge")
class Urge(MethodView):
    @blp.arguments(UrgeSchema)
    @blp.response(200, PartySchema)
    def post(self, body, number):
        """催办: the caller urges a party that is past its deadline."""
        party = urge(db.session, actor(), number, body["org"], body["note"])
        return party


@blp.route("/supervision")
class Cases(MethodView):
    @blp.arguments(CaseQuerySchema, location="query")
    @blp.response(200, CaseSchema(many=True))
    def get(self, query):
        """督办 cases: all for supervisors and read-all roles, else those targeting my organisation."""
        user = actor()
        target = None if access.reads_everything(user) else user.org.code
        return cases.list_cases(db.session, query["status"], query["grade"], target)


@blp.route("/evaluations")
class Evaluations(MethodView):
    @blp.response(200, EvaluationSchema(many=True))
    def get(self):
        """Ratings my organisation received (all for read-all roles)."""
        user = actor()
        return evaluations_for(db.session, ratee_org=None if access.reads_everything(user) else user.org.code)
