"""Users, organisations, imports and API tokens for the admin; the profile page where each user manages their own."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user

from app.domain import access
from app.domain.actors import Actor
from app.domain.org_admin import create_org, move_org, org_tree, rename_org, set_org_active
from app.domain.organisations import get_org
from app.domain.people import (
    ROLES,
    change_password,
    deactivate_user,
    display_names,
    get_token,
    get_user,
    issue_token,
    list_tokens,
    revoke_token,
)
from app.domain.people_admin import (
    TOKEN_DAYS,
    NewAccount,
    account_record,
    add_user,
    check_password,
    reactivate_user,
    reset_password,
    token_expiry,
    update_user,
    user_page,
)
from app.domain.people_import import import_orgs, import_users
from app.edge import PAGE_MAX, int_arg
from app.errors import DomainError, ValidationFailed
from app.extensions import db
from app.messages import msg
from app.web.views import bp

PER_PAGE = 20
TOKEN_NAME_MAX = 64  # the column's width (ApiToken.name)


def _config():
    return current_app.extensions["tianchang.config"]


def _actor():
    return Actor.of(current_user)


def _refused(err):
    """A refused action: nothing of it is kept, its reason is shown on the page it came from."""
    db.session.rollback()
    flash(err.message, "error")


def _pickable_orgs():
    """The active organisations in tree order, for the organisation pickers."""
    return org_tree(db.session, include_inactive=False)


# The organisation tree -------------------------------------------------------------------------------------------

@bp.route("/admin/orgs", methods=["GET", "POST"])
def admin_orgs():
    """The tree; the admin creates an organisation here (errors are shown next to the fields)."""
    access.require(access.may_read_people(current_user))
    errors = {}
    if request.method == "POST":
        access.require(access.may_administer_orgs(current_user))
        form = request.form
        try:
            org = create_org(db.session, _actor(), form.get("code", ""), form.get("name", ""), form.get("kind", ""),
                             form.get("parent") or None)
            flash(msg("org.created", name=org.name), "ok")
            return redirect(url_for("web.admin_org", code=org.code))
        except ValidationFailed as err:
            db.session.rollback()
            errors = err.errors
        except DomainError as err:
            db.session.rollback()
            errors = {"code": [err.message]}
    return render_template("admin/orgs.html", tree=org_tree(db.session), pickable=_pickable_orgs(), errors=errors,
                           form=request.form, import_errors={})


@bp.route("/admin/orgs/import", methods=["POST"])
def admin_orgs_import():
    access.require(access.may_administer_orgs(current_user))
    upload = request.files.get("file")
    try:
        result = import_orgs(db.session, _actor(), upload.read() if upload else b"")
    except ValidationFailed as err:
        db.session.rollback()
        flash(err.message, "error")
        return render_template("admin/orgs.html", tree=org_tree(db.session), pickable=_pickable_orgs(), errors={},
                               form={}, import_errors=err.errors), 422
    flash(msg("people.imported", created=result.created, changed=result.changed, unchanged=result.unchanged), "ok")
    return redirect(url_for("web.admin_orgs"))


@bp.route("/admin/orgs/<code>", methods=["GET", "POST"])
def admin_org(code):
    """One organisation: rename, move, deactivate or reactivate it; its people and sub-units."""
    access.require(access.may_read_people(current_user))
    org = get_org(db.session, code)
    if request.method == "POST":
        access.require(access.may_administer_orgs(current_user))
        action = request.form.get("action")
        try:
            if action == "rename":
                rename_org(db.session, _actor(), code, request.form.get("name", ""))
                flash(msg("org.renamed", name=org.name), "ok")
            elif action == "move":
                move_org(db.session, _actor(), code, request.form.get("parent") or None)
                flash(msg("org.moved", name=org.name), "ok")
            elif action in ("deactivate", "activate"):
                set_org_active(db.session, _actor(), code, action == "activate")
                flash(msg("org.activated" if action == "activate" else "org.deactivated", name=org.name), "ok")
        except DomainError as err:
            _refused(err)
        return redirect(url_for("web.admin_org", code=code))
    users, total = user_page(db.session, org_code=code, per_page=200)
    below = [o for o in org_tree(db.session) if o.org.parent_id == org.id]
    return render_template("admin/org.html", org=org, users=users, total=total, below=below,
                           pickable=[n for n in _pickable_orgs() if n.org.id != org.id])


# Users -------------------------------------------------------------------------------------------------------------

def _user_filters(args):
    active = {"1": True, "0": False}.get(args.get("active", ""))
    role = args.get("role") if args.get("role") in ROLES else None
    org = args.get("org") or None
    return {"org_code": org, "role": role, "text": (args.get("q") or "").strip()[:100] or None, "active": active}


@bp.route("/admin/users")
def admin_users():
    """Users filtered by organisation, role, text and status, a page at a time."""
    access.require(access.may_read_people(current_user))
    return _render_users()


def _render_users(import_errors=None, status=200):
    page = int_arg(request.args, "page", 1, high=PAGE_MAX)
    rows, total = user_page(db.session, page=page, per_page=PER_PAGE, **_user_filters(request.args))
    return render_template("admin/users.html", users=rows, total=total, page=page, pages=max(1, -(-total // PER_PAGE)),
                           orgs=org_tree(db.session), import_errors=import_errors or {}), status


@bp.route("/admin/users/new", methods=["GET", "POST"])
def admin_user_new():
    access.require(access.may_administer_users(current_user))
    errors = {}
    if request.method == "POST":
        form = request.form
        try:
            account = NewAccount(form.get("username", ""), form.get("display_name", ""), form.get("password", ""),
                                 form.get("org", ""), form.getlist("roles"), bool(form.get("must_change")))
            user = add_user(db.session, _actor(), account, _config().PASSWORD_HASH_METHOD)
            flash(msg("people.created", name=user.display_name), "ok")
            return redirect(url_for("web.admin_user", username=user.username))
        except ValidationFailed as err:
            db.session.rollback()
            errors = err.errors
        except DomainError as err:
            db.session.rollback()
            errors = {"username": [err.message]}
    return render_template("admin/user_new.html", errors=errors, form=request.form, pickable=_pickable_orgs(),
                           fresh=request.method == "GET")


@bp.route("/admin/users/import", methods=["POST"])
def admin_users_import():
    access.require(access.may_administer_orgs(current_user))
    upload = request.files.get("file")
    try:
        result = import_users(db.session, _actor(), upload.read() if upload else b"", _config().PASSWORD_HASH_METHOD)
    except ValidationFailed as err:
        db.session.rollback()
        flash(err.message, "error")
        return _render_users(err.errors, 422)
    flash(msg("people.imported", created=result.created, changed=result.changed, unchanged=result.unchanged), "ok")
    return redirect(url_for("web.admin_users"))


def _render_user(user, errors=None, temporary=None, status=200):
    tokens = list_tokens(db.session, user) if access.may_administer_users(current_user) else []
    record = account_record(db.session, user.username)
    return render_template("admin/user.html", user=user, errors=errors or {}, pickable=_pickable_orgs(),
                           tokens=tokens, temporary=temporary, form=request.form, record=record,
                           names=display_names(db.session, {e["actor"] for e in record}),
                           org_names={n.org.code: n.org.name for n in org_tree(db.session)}), status


@bp.route("/admin/users/<username>", methods=["GET", "POST"])
def admin_user(username):
    """One account: edit name, organisation and roles; deactivate, reactivate, reset the password; its tokens."""
    access.require(access.may_read_people(current_user))
    user = get_user(db.session, username)
    if request.method == "GET":
        return _render_user(user)
    access.require(access.may_administer_users(current_user))
    form = request.form
    try:
        update_user(db.session, _actor(), username, form.get("display_name", ""), form.get("org", ""),
                    form.getlist("roles"))
    except ValidationFailed as err:
        db.session.rollback()
        return _render_user(get_user(db.session, username), err.errors, status=422)
    flash(msg("people.saved", name=user.display_name), "ok")
    return redirect(url_for("web.admin_user", username=username))


@bp.route("/admin/users/<username>/<any(deactivate, reactivate, reset):action>", methods=["POST"])
def admin_user_action(username, action):
    access.require(access.may_administer_users(current_user))
    try:
        if action == "reset":
            temporary = reset_password(db.session, _actor(), username, request.form.get("password") or None,
                                       _config().PASSWORD_HASH_METHOD)
            return _render_user(get_user(db.session, username), temporary=temporary)  # shown once, never stored
        if action == "deactivate":
            user = deactivate_user(db.session, _actor(), username)
            flash(msg("user.deactivated", user=user.display_name), "ok")
        else:
            user = reactivate_user(db.session, _actor(), username)
            flash(msg("people.reactivated", name=user.display_name), "ok")
    except ValidationFailed as err:
        db.session.rollback()
        return _render_user(get_user(db.session, username), {f"reset_{k}": v for k, v in err.errors.items()},
                            status=422)
    except DomainError as err:
        _refused(err)
    return redirect(url_for("web.admin_user", username=username))


@bp.route("/admin/users/<username>/tokens/<int:token_id>/revoke", methods=["POST"])
def admin_token_revoke(username, token_id):
    access.require(access.may_administer_users(current_user))
    token = get_token(db.session, get_user(db.session, username), token_id)
    flash(msg("people.token_revoked", name=token.name), "ok")
    revoke_token(db.session, _actor(), token)
    return redirect(url_for("web.admin_user", username=username))


# My account ------------------------------------------------------------------------------------------------------

def _render_profile(new_token=None, errors=None, status=200):
    return render_template("profile.html", tokens=list_tokens(db.session, current_user), new_token=new_token,
                           errors=errors or {}, days=TOKEN_DAYS, form=request.form), status


@bp.route("/profile")
def profile():
    """我的账户: who I am, my password, my API tokens."""
    return _render_profile()


@bp.route("/profile/password", methods=["GET", "POST"])
def profile_password():
    """Change my password; the one page a user with a reset password may open. I stay signed in here only."""
    errors = {}
    if request.method == "POST":
        form, user = request.form, current_user._get_current_object()
        try:
            check_password(form.get("new_password", ""), "new_password")
            if form.get("new_password") != form.get("confirm_password"):
                raise ValidationFailed(msg("people.password_mismatch"),
                                       {"confirm_password": [msg("people.password_mismatch")]})
            change_password(db.session, user, form.get("old_password", ""), form.get("new_password", ""),
                            _config().PASSWORD_HASH_METHOD)
        except ValidationFailed as err:
            db.session.rollback()
            errors = err.errors
        else:
            session.clear()
            login_user(user)  # a new session version ended every other session; this one carries on
            flash(msg("people.password_changed"), "ok")
            return redirect(url_for("web.profile"))
    return render_template("profile_password.html", errors=errors), (422 if errors else 200)


@bp.route("/profile/tokens", methods=["POST"])
def profile_tokens():
    """Issue myself a token: its value is on this answer alone (never flashed: the session cookie is readable)."""
    name = (request.form.get("name") or "").strip()
    try:
        if not name or len(name) > TOKEN_NAME_MAX:
            problem = msg("form.max_length", n=TOKEN_NAME_MAX) if name else msg("form.required")
            raise ValidationFailed(problem, {"name": [problem]})
        plain, _ = issue_token(db.session, current_user, name, token_expiry(request.form.get("days")))
    except ValidationFailed as err:
        db.session.rollback()
        return _render_profile(errors=err.errors, status=422)
    return _render_profile(new_token=plain)


@bp.route("/profile/tokens/<int:token_id>/revoke", methods=["POST"])
def profile_token_revoke(token_id):
    token = get_token(db.session, current_user, token_id)
    flash(msg("people.token_revoked", name=token.name), "ok")
    revoke_token(db.session, _actor(), token)
    return redirect(url_for("web.profile"))
