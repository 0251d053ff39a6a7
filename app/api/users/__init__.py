"""Users: who am I, colleagues, create users (admin), API tokens."""

from datetime import timezone

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.api.auth import actor, config
from app.api.spec import CODE_MAX, at_most, instant_between, length_between, one_of
from app.db import utcnow
from app.domain.access import may_administer_users, may_list_users, require
from app.domain.people import (
    ROLES,
    change_password,
    create_user,
    deactivate_user,
    get_token,
    get_user,
    issue_token,
    list_tokens,
    list_users,
    revoke_token,
)
from app.errors import ValidationFailed
from app.extensions import db
from app.messages import msg

blp = Blueprint("users", __name__, url_prefix="/api/users", description=msg("api.users.blueprint"))


class UserSchema(Schema):
    username = fields.String()
    display_name = fields.String()
    org = fields.Function(lambda u: u.org.code)
    org_name = fields.Function(lambda u: u.org.name)
    roles = fields.Function(lambda u: sorted(u.roles))
    active = fields.Boolean()


class NewUserSchema(Schema):
    username = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]{2,31}$"))
    display_name = fields.String(required=True, validate=length_between(1, CODE_MAX))
    password = fields.String(required=True, load_only=True, validate=length_between(8, 128))
    org = fields.String(required=True, validate=at_most(CODE_MAX))
    roles = fields.List(fields.String(validate=one_of(ROLES)), required=True, validate=validate.Length(max=len(ROLES)))


class TokenRequestSchema(Schema):
    name = fields.String(required=True, validate=length_between(1, CODE_MAX))
    expires_at = fields.AwareDateTime(load_default=None, default_timezone=timezone.utc, validate=instant_between(2000, 2100))


class TokenSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    created_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True)
    expires_at = fields.DateTime(allow_none=True)


class NewTokenSchema(TokenSchema):
    token = fields.String(metadata={"description": "the token itself, shown only in this response"})


class PasswordSchema(Schema):
    old_password = fields.String(required=True, load_only=True, validate=at_most(128))
    new_password = fields.String(required=True, load_only=True, validate=length_between(8, 128))


class UserQuerySchema(Schema):
    org = fields.String(load_default=None, validate=at_most(CODE_MAX))


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
        """Users of one organisation (my own unless I read everything, as supervision, 编办, leaders, 人大, admins do)."""
        user = actor()
        org = query["org"] or user.org.code
        require(may_list_users(user, org))
        return list_users(db.session, org)

    @blp.arguments(NewUserSchema)
    @blp.response(201, UserSchema)
    def post(self, body):
        user = actor()
        require(may_administer_users(user))
        created = create_user(db.session, user, body["username"], body["display_name"], body["password"],
                              body["org"], body["roles"], config().PASSWORD_HASH_METHOD)
        return created


@blp.route("/<username>/deactivate")
class Deactivate(MethodView):
    @blp.response(200, UserSchema)
    def post(self, username):
        """Deactivate a user (admins): sign-in, sessions and tokens stop working at once."""
        user = actor()
        require(may_administer_users(user))
        return deactivate_user(db.session, user, username)


@blp.route("/me/password")
class Password(MethodView):
    @blp.arguments(PasswordSchema)
    @blp.response(204)
    def post(self, body):
        """Change my password; every session of mine ends (sign in again)."""
        change_password(db.session, actor(), body["old_password"], body["new_password"], config().PASSWORD_HASH_METHOD)


@blp.route("/me/tokens")
class Tokens(MethodView):
    @blp.response(200, TokenSchema(many=True))
    def get(self):
        """My API tokens: name, created, last used, expiry (never the token itself)."""
        return list_tokens(db.session, actor())

    @blp.arguments(TokenRequestSchema)
    @blp.response(201, NewTokenSchema)
    def post(self, body):
        """Issue an API token for the caller, optionally expiring; the value is shown once, stored hashed."""
        if body["expires_at"] is not None and body["expires_at"] <= utcnow():
            raise ValidationFailed(msg("token.bad_expiry"), {"expires_at": [msg("token.bad_expiry")]})
        plain, token = issue_token(db.session, actor(), body["name"], body["expires_at"])
        return {**{name: getattr(token, name) for name in TokenSchema().fields}, "token": plain}


@blp.route("/me/tokens/<int:token_id>")
class TokenDetail(MethodView):
    @blp.response(204)
    def delete(self, token_id):
        """Revoke one of my tokens."""
        user = actor()
        revoke_token(db.session, user, get_token(db.session, user, token_id))


@blp.route("/<username>/tokens")
class UserTokens(MethodView):
    @blp.response(200, TokenSchema(many=True))
    def get(self, username):
        """A user's tokens (admins)."""
        require(may_administer_users(actor()))
        return list_tokens(db.session, get_user(db.session, username))


@blp.route("/<username>/tokens/<int:token_id>")
class UserTokenDetail(MethodView):
    @blp.response(204)
    def delete(self, username, token_id):
        """Revoke a user's token (admins)."""
        user = actor()
        require(may_administer_users(user))
        revoke_token(db.session, user, get_token(db.session, get_user(db.session, username), token_id))
