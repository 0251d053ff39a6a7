"""Organisations: the county's departments, towns and streets, villages and offices; the admin's tree and import."""

from flask import Response
from flask.views import MethodView
from marshmallow import Schema, fields

from app.api.auth import actor
from app.api.paging import Blueprint
from app.api.spec import CODE_MAX, at_most, length_between, one_of
from app.domain.access import may_administer_orgs, require
from app.domain.org_admin import NAME_MAX, create_org, move_org, rename_org, set_org_active
from app.domain.organisations import ORG_KINDS, get_org, list_orgs
from app.domain.people_import import import_orgs, template
from app.extensions import db
from app.messages import msg

blp = Blueprint("orgs", __name__, url_prefix="/api/orgs", description=msg("api.orgs.blueprint"))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class OrgSchema(Schema):
    code = fields.String()
    name = fields.String()
    kind = fields.String()
    parent = fields.Function(lambda o: o.parent.code if o.parent else None,
                             metadata={"description": msg("api.orgs.parent")})
    active = fields.Boolean(metadata={"description": msg("api.orgs.active")})


class OrgQuerySchema(Schema):
    kind = fields.String(load_default=None, validate=at_most(16))
    parent = fields.String(load_default=None, validate=at_most(CODE_MAX))
    active = fields.Boolean(load_default=None, metadata={"description": msg("api.orgs.active")})


class NewOrgSchema(Schema):
    code = fields.String(required=True, validate=at_most(CODE_MAX))
    name = fields.String(required=True, validate=length_between(1, NAME_MAX))
    kind = fields.String(required=True, validate=one_of(ORG_KINDS))
    parent = fields.String(load_default=None, allow_none=True, validate=at_most(CODE_MAX),
                           metadata={"description": msg("api.orgs.parent")})


class OrgChangeSchema(Schema):
    name = fields.String(validate=length_between(1, NAME_MAX))
    parent = fields.String(allow_none=True, validate=at_most(CODE_MAX), metadata={"description": msg("api.orgs.parent")})


class OrgImportFileSchema(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary",
                                               "description": msg("api.orgs.import_file")})


class OrgImportResultSchema(Schema):
    created = fields.Integer()
    changed = fields.Integer()
    unchanged = fields.Integer()


def _admin():
    user = actor()
    require(may_administer_orgs(user))
    return user


@blp.route("")
class Orgs(MethodView):
    @blp.arguments(OrgQuerySchema, location="query")
    @blp.response(200, OrgSchema(many=True))
    def get(self, query):
        """Organisations by kind and code; `active=true` gives what pickers offer."""
        actor()
        return list_orgs(db.session, query["kind"], query["parent"], query["active"])

    @blp.arguments(NewOrgSchema)
    @blp.response(201, OrgSchema)
    def post(self, body):
        """Create an organisation under an active parent (admins); audited."""
        return create_org(db.session, _admin(), body["code"], body["name"], body["kind"], body["parent"])


@blp.route("/<code>")
class OrgDetail(MethodView):
    @blp.response(200, OrgSchema)
    def get(self, code):
        actor()
        return get_org(db.session, code)

    @blp.arguments(OrgChangeSchema)
    @blp.response(200, OrgSchema)
    def patch(self, body, code):
        """Rename and/or move an organisation (admins; `parent: null` puts it at the top); never under itself or
        one of its sub-units. Audited with before and after."""
        user = _admin()
        org = get_org(db.session, code)
        if "name" in body:
            org = rename_org(db.session, user, code, body["name"])
        if "parent" in body:
            org = move_org(db.session, user, code, body["parent"])
        return org


@blp.route("/<code>/deactivate")
class Deactivate(MethodView):
    @blp.response(200, OrgSchema)
    def post(self, code):
        """Deactivate an organisation once no active user or sub-unit is left in it (admins). Organisations are
        never deleted: the record and past tasks name them; a deactivated one is hidden from pickers."""
        return set_org_active(db.session, _admin(), code, False)


@blp.route("/<code>/activate")
class Activate(MethodView):
    @blp.response(200, OrgSchema)
    def post(self, code):
        """Reactivate an organisation under an active parent (admins)."""
        return set_org_active(db.session, _admin(), code, True)


@blp.route("/import")
class Import(MethodView):
    @blp.arguments(OrgImportFileSchema, location="files")
    @blp.response(200, OrgImportResultSchema)
    def post(self, files):
        """Create, rename and move organisations from an .xlsx (admins); one bad row imports nothing."""
        return import_orgs(db.session, _admin(), files["file"].read())


@blp.route("/import/template")
class ImportTemplate(MethodView):
    @blp.response(200, {"type": "string", "format": "binary"}, content_type=XLSX)
    @blp.alt_response(403, response="Forbidden")
    def get(self):
        """An empty organisations workbook with the Chinese headers and an example row (admins)."""
        _admin()
        return Response(template("org"), mimetype=XLSX, headers={"Content-Disposition": "attachment; filename=orgs.xlsx"})
