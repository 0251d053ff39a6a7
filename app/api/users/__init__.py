"""Users: who am I, colleagues, the admin's accounts (create, edit, deactivate, reset, import), API tokens."""

from datetime import timezone

from flask import Response
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from app.api.auth import actor, config
from app.api.paging import Blueprint
from app.api.spec import CODE_MAX, SEARCH_MAX, at_most, instant_between, length_between, one_of
from app.db import utcnow
from app.domain.access import may_administer_orgs, may_administer_users, may_list_users, reads_everything, require
from app.domain.people import (
    ROLES,
    change_password,
    deactivate_user,
    get_token,
    get_user,
    issue_token,
    list_tokens,
    revoke_token,
)
from app.domain.people_admin import (
    DISPLAY_NAME_MAX,
    PASSWORD_MAX,
    PASSWORD_MIN,
    USERNAME_PATTERN,
    NewAccount,
    add_user,
    reactivate_user,
    reset_password,
    update_user,
    user_page,
)
from app.domain.people_import import import_users, template
from app.errors import ValidationFailed
from app.extensions import db
from app.messages import msg

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
blp = Blueprint("users", __name__, url_prefix="/api/users", description=msg("api.users.blueprint"))


class UserSchema(Schema):
    username = fields.String()
    display_name = fields.String()
    org = fields.Function(lambda u: u.org.code)
    org_name = fields.Function(lambda u: u.org.name)
    roles = fields.Function(lambda u: sorted(u.roles))
    active = fields.Boolean()
    must_change_password = fields.Boolean(metadata={"description": msg("api.users.must_change_password")})


class NewUserSchema(Schema):
    username = fields.String(required=True, validate=validate.Regexp(USERNAME_PATTERN, error=msg("people.bad_username")))
    display_name = fields.String(required=True, validate=length_between(1, DISPLAY_NAME_MAX))
    password = fields.String(required=True, load_only=True, validate=length_between(PASSWORD_MIN, PASSWORD_MAX))
    org = fields.String(required=True, validate=at_most(CODE_MAX))
    roles = fields.List(fields.String(validate=one_of(ROLES)), required=True,
                        validate=validate.Length(min=1, max=len(ROLES)))
    must_change_password = fields.Boolean(load_default=True,
                                          metadata={"description": msg("api.users.must_change_password")})


class UserChangeSchema(Schema):
    display_name = fields.String(validate=length_between(1, DISPLAY_NAME_MAX))
    org = fields.String(validate=at_most(CODE_MAX))
    roles = fields.List(fields.String(validate=one_of(ROLES)), validate=validate.Length(min=1, max=len(ROLES)))


class ResetSchema(Schema):
    password = fields.String(load_default=None, load_only=True, validate=length_between(PASSWORD_MIN, PASSWORD_MAX),
                             metadata={"description": msg("api.users.temporary_password")})


class ResetResultSchema(Schema):
    username = fields.String()
    temporary_password = fields.String(metadata={"description": msg("api.users.temporary_password")})


class UserImportFileSchema(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary",
                                               "description": msg("api.users.import_file")})


class UserImportResultSchema(Schema):
    created = fields.Integer()
    changed = fields.Integer()
    unchanged = fields.Integer()


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
    role = fields.String(load_default=None, validate=one_of(ROLES))
    q = fields.String(load_default=None, validate=at_most(SEARCH_MAX),
                      metadata={"description": msg("api.users.filter_text")})
    active = fields.Boolean(load_default=None)


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, UserSchema)
    def get(self):
        return actor()


@blp.route("")
class Users(MethodView):
    @blp.arguments(UserQuerySchema, location="query")
    @blp.response(200, UserSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=500)
    def get(self, query, pagination_parameters):
        """Users, filtered by organisation, role, text and active: my own organisation's, or everyone's for the
        read-all roles (supervision, 编办, leaders, 人大, admins)."""
        user, page = actor(), pagination_parameters
        org = query["org"] or (None if reads_everything(user) else user.org.code)
        require(may_list_users(user, org))
        rows, page.item_count = user_page(db.session, org, query["role"], query["q"], query["active"], page.page,
                                          page.page_size)
        return rows

    @blp.arguments(NewUserSchema)
    @blp.response(201, UserSchema)
    def post(self, body):
        """Create a user (admins); the password given is temporary unless must_change_password is false."""
        user = _admin()
        return add_user(db.session, user, NewAccount(**body), config().PASSWORD_HASH_METHOD)


def _admin():
    user = actor()
    require(may_administer_users(user))
    return user


@blp.route("/<username>")
class UserDetail(MethodView):
    @blp.response(200, UserSchema)
    @blp.alt_response(403, response="Forbidden")
    def get(self, username):
        """One user: colleagues of my organisation, everyone for the read-all roles."""
        user, found = actor(), get_user(db.session, username)
        require(may_list_users(user, found.org.code))
        return found

    @blp.arguments(UserChangeSchema)
    @blp.response(200, UserSchema)
    def patch(self, body, username):
        """Change a user's name, organisation or roles (admins); audited with before and after."""
        return update_user(db.session, _admin(), username, body.get("display_name"), body.get("org"),
                           body.get("roles"))


@blp.route("/<username>/deactivate")
class Deactivate(MethodView):
    @blp.response(200, UserSchema)
    def post(self, username):
        """Deactivate a user (admins): sign-in, sessions and tokens stop working at once."""
        return deactivate_user(db.session, _admin(), username)


@blp.route("/<username>/reactivate")
class Reactivate(MethodView):
    @blp.response(200, UserSchema)
    def post(self, username):
        """Let a deactivated user sign in again (admins); their old tokens work again unless revoked."""
        return reactivate_user(db.session, _admin(), username)


@blp.route("/<username>/reset-password")
class ResetPassword(MethodView):
    @blp.arguments(ResetSchema)
    @blp.response(200, ResetResultSchema)
    def post(self, body, username):
        """Give a user a temporary password (admins): generated unless given, shown once; their sessions end and
        they must choose a new one at the next sign-in."""
        plain = reset_password(db.session, _admin(), username, body["password"], config().PASSWORD_HASH_METHOD)
        return {"username": username, "temporary_password": plain}


@blp.route("/import")
class Import(MethodView):
    @blp.arguments(UserImportFileSchema, location="files")
    @blp.response(200, UserImportResultSchema)
    def post(self, files):
        """Create and update users from an .xlsx (admins); one bad row imports nothing and names every bad row."""
        user = actor()
        require(may_administer_orgs(user))
        return import_users(db.session, user, files["file"].read(), config().PASSWORD_HASH_METHOD)


@blp.route("/import/template")
class ImportTemplate(MethodView):
    @blp.response(200, {"type": "string", "format": "binary"}, content_type=XLSX)
    @blp.alt_response(403, response="Forbidden")
    def get(self):
        """An empty users workbook with the Chinese headers and an example row (admins)."""
        require(may_administer_orgs(actor()))
        return Response(template("user"), mimetype=XLSX, headers={"Content-Disposition": "attachment; filename=users.xlsx"})


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
        _admin()
        return list_tokens(db.session, get_user(db.session, username))


@blp.route("/<username>/tokens/<int:token_id>")
class UserTokenDetail(MethodView):
    @blp.response(204)
    def delete(self, username, token_id):
        """Revoke a user's token (admins)."""
        user = _admin()
        revoke_token(db.session, user, get_token(db.session, get_user(db.session, username), token_id))
