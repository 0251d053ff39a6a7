"""The two lists and the assigned column: items, versions, history, Excel export and import, audited edits."""

from flask import Response, request
from flask.views import MethodView
from marshmallow import Schema, fields

from app.api.auth import actor
from app.api.paging import Blueprint
from app.api.spec import CODE_MAX, SEARCH_MAX, TEXT_MAX, at_most, length_between, one_of
from app.domain.access import may_edit_lists, require
from app.extensions import db
from app.governance.list_excel import export_items, import_items
from app.governance.lists import KINDS, ItemChange, get_item, item_history, list_items, revise_item
from app.messages import msg

blp = Blueprint("lists", __name__, url_prefix="/api/lists", description=msg("api.lists.blueprint"))


class VersionSchema(Schema):
    number = fields.Integer()
    title = fields.String()
    category = fields.String()
    legal_basis = fields.String()
    lead_org = fields.String()
    cooperating_orgs = fields.List(fields.String())
    lead_duties = fields.String()
    cooperating_duties = fields.String()
    response_hours = fields.Integer()
    handle_days = fields.Integer()
    status = fields.String()
    effective_from = fields.Date()
    effective_to = fields.Date(allow_none=True)
    changed_by = fields.String()
    change_reason = fields.String()
    instance_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()


class ItemSchema(Schema):
    code = fields.String()
    kind = fields.String()
    kind_label = fields.Function(lambda i: KINDS[i.kind])
    current = fields.Nested(VersionSchema)


class ItemQuerySchema(Schema):
    kind = fields.String(load_default=None, validate=one_of(KINDS))
    search = fields.String(load_default=None, validate=at_most(SEARCH_MAX))
    org = fields.String(load_default=None, validate=at_most(CODE_MAX))
    status = fields.String(load_default="active", validate=one_of(["active", "retired", ""]))


class ExportQuerySchema(Schema):
    kind = fields.String(load_default=None, validate=one_of(KINDS))


class ReviseSchema(Schema):
    reason = fields.String(required=True, validate=length_between(1, TEXT_MAX))
    changes = fields.Dict(required=True)


def _editor():
    user = actor()
    require(may_edit_lists(user))
    return user


@blp.route("")
class Items(MethodView):
    @blp.arguments(ItemQuerySchema, location="query")
    @blp.response(200, ItemSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=500)
    def get(self, query, pagination_parameters):
        """Items of the lists with their current version, by code; filtered by kind, text, organisation, status."""
        actor()
        page = pagination_parameters
        rows, page.item_count = list_items(db.session, page=page.page, per_page=page.page_size, **query)
        return rows


@blp.route("/export")
class Export(MethodView):
    @blp.arguments(ExportQuerySchema, location="query")
    def get(self, query):
        """The current lists as an Excel workbook."""
        actor()
        content = export_items(db.session, query["kind"])
        return Response(content, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": "attachment; filename=lists.xlsx"})


@blp.route("/import")
class Import(MethodView):
    @blp.response(200)
    def post(self):
        """Import an .xlsx (multipart field `file`); one bad row rejects it with row errors in Chinese."""
        user = _editor()
        upload = request.files.get("file")
        reason = request.form.get("reason") or msg("list.import_reason")
        result = import_items(db.session, user, upload.read() if upload else b"", reason)
        return {"created": result.created, "revised": result.revised, "unchanged": result.unchanged}


@blp.route("/<code>")
class ItemDetail(MethodView):
    @blp.response(200, ItemSchema)
    def get(self, code):
        actor()
        return get_item(db.session, code)


@blp.route("/<code>/versions")
class ItemVersions(MethodView):
    @blp.response(200, VersionSchema(many=True))
    def get(self, code):
        """Every version, newest first, with who changed it, why, and which procedure instance."""
        actor()
        return item_history(db.session, code)


@blp.route("/<code>/revise")
class Revise(MethodView):
    @blp.arguments(ReviseSchema)
    @blp.response(201, VersionSchema)
    def post(self, body, code):
        """编办 edits an item: a new version with a required reason, audited."""
        version = revise_item(db.session, _editor(), code, ItemChange(body["changes"], body["reason"]))
        return version
