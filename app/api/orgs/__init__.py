"""Organisations: the county's departments, towns and streets, villages and offices."""

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from app.api.auth import actor
from app.api.spec import CODE_MAX, at_most
from app.domain.organisations import list_orgs
from app.extensions import db
from app.messages import msg

blp = Blueprint("orgs", __name__, url_prefix="/api/orgs", description=msg("api.orgs.blueprint"))


class OrgSchema(Schema):
    code = fields.String()
    name = fields.String()
    kind = fields.String()
    parent = fields.Function(lambda o: o.parent.code if o.parent else None)


class OrgQuerySchema(Schema):
    kind = fields.String(load_default=None, validate=at_most(16))
    parent = fields.String(load_default=None, validate=at_most(CODE_MAX))


@blp.route("")
class Orgs(MethodView):
    @blp.arguments(OrgQuerySchema, location="query")
    @blp.response(200, OrgSchema(many=True))
    def get(self, query):
        actor()
        return list_orgs(db.session, query["kind"], query["parent"])
