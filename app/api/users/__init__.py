"""Users: who am I, colleagues, create users (admin), API tokens."""

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.api.auth import actor, config
from app.domain.people import ROLES, create_user, issue_token, list_users
from app.errors import Forbidden
from app.extensions import db
from app.messages import msg

blp = Blueprint("users", __name__, url_prefix="/api/users", description="用户与令牌")


class UserSchema(Schema):
    username = fields.String()
    display_name = fields.String()
    org = fields.Function(lambda u: u.org.code)
    org_name = fields.Function(lambda u: u.org.name)
    roles = fields.Function(lambda u: sorted(u.roles))
    active = fields.Boolean()


class NewUserSchema(Schema):
    username = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]{2,31}$"))
    display_name = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=8, max=128))
    org = fields.String(required=True)
    roles = fields.List(fields.String(validate=validate.OneOf(list(ROLES))), required=True)


class TokenRequestSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=64))


class UserQuerySchema(Schema):
    org = fields.String(load_default=None)


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, UserSchema)
    def get(self):
        return actor()


@blp.route("")
class Users(MethodView):
    @blp.arguments(UserQuerySchema, location="query")
    @blp.response(200, UserSchema(many=True))
    def get(self, query):
        """Users of one organisation; only admins may list other organisations."""
        user = actor()
        org = query["org"] or user.org.code
        if org != user.org.code and not user.has_role("admin", "congress"):
            raise Forbidden(msg("auth.forbidden"))
        return list_users(db.session, org)

    @blp.arguments(NewUserSchema)
    @blp.response(201, UserSchema)
    def post(self, body):
        user = actor()
        if not user.has_role("admin"):
            raise Forbidden(msg("auth.forbidden"))
        created = create_user(db.session, user, body["username"], body["display_name"], body["password"],
                              body["org"], body["roles"], config().PASSWORD_HASH_METHOD)
        db.session.commit()
        return created


@blp.route("/me/tokens")
class Tokens(MethodView):
    @blp.arguments(TokenRequestSchema)
    @blp.response(201)
    def post(self, body):
        """Issue an API token for the caller; the value is shown once."""
        token = issue_token(db.session, actor(), body["name"])
        db.session.commit()
        return {"token": token, "name": body["name"]}
