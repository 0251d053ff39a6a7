"""Staff tools: 呼叫记录 searched and paged, 清单 paged, 督办台 and a page per case, the favicon."""

from flask import abort, render_template, request, url_for
from flask_login import current_user

from app.db import utcnow
from app.domain.organisations import list_orgs
from app.edge import PAGE_MAX, int_arg
from app.extensions import db
from app.governance import supervision as cases
from app.governance.call_search import item_choices, read_filters, search_calls
from app.governance.lists import KINDS, list_items
from app.governance.supervision_queries import case_list, case_record
from app.messages import LABELS, msg
from app.web.pages import org_names
from app.web.presenters import local_zone
from app.web.views import bp

PER_PAGE = 20
PARTY_KINDS = ("department", "town")  # who may be a party of a call, as the pickers offer them


@bp.route("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says: they get the site's icon (public, see app.edge)."""
    response = bp.send_static_file("favicon.svg")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.route("/calls")
def calls_page():
    """呼叫记录: the calls the user may see, searched and filtered by the query string (call_search), paged."""
    filters, errors = read_filters(request.args)
    page = int_arg(request.args, "page", 1, high=PAGE_MAX)
    rows, total = search_calls(db.session, current_user, filters, local_zone(), page, PER_PAGE)
    orgs, items = org_names(), item_choices(db.session)
    return render_template("calls.html", calls=rows, total=total, page=page, pages=page_count(total), errors=errors,
                           filters=filters, args=filters.as_args(), chips=call_chips(filters, orgs, dict(items)),
                           orgs=orgs, items=items, parties=party_choices(), rejections=LABELS["staff_rejection_filter"])


def call_chips(filters, orgs, items):
    """[(what the chip says, the URL without that filter)] for each filter chosen."""
    names = LABELS["staff_call_filter"]
    shown = {"status": lambda v: LABELS["call_status"].get(v, v), "item": lambda v: items.get(v, v),
             "party": lambda v: orgs.get(v, v), "rejection": lambda v: LABELS["staff_rejection_filter"][v],
             "overdue": lambda v: "", "late": lambda v: "", "created_from": lambda v: v.isoformat(),
             "created_to": lambda v: v.isoformat()}
    chips = []
    for name, value in filters.chosen().items():
        text = shown.get(name, str)(value)
        chips.append((msg("staff.chip", name=names[name], value=text) if text else names[name],
                      url_for("web.calls_page", **filters.without(name).as_args())))
    return chips


def party_choices():
    """[(kind, [(code, name)])]: the departments and the towns, by kind."""
    return [(kind, [(o.code, o.name) for o in list_orgs(db.session, kind=kind)]) for kind in PARTY_KINDS]


def page_count(total, per_page=PER_PAGE):
    return max(1, -(-total // per_page))


@bp.route("/lists")
def lists_page():
    """清单: searched by code, title or category, one kind at a time or all, a page of 20."""
    kind = request.args.get("kind") or None
    if kind and kind not in KINDS:
        abort(404)
    q = (request.args.get("q") or "").strip()[:100]
    page = int_arg(request.args, "page", 1, high=PAGE_MAX)
    rows, total = list_items(db.session, kind=kind, search=q or None, page=page, per_page=PER_PAGE)
    args = {name: value for name, value in (("kind", kind), ("q", q)) if value}
    return render_template("lists.html", items=rows, total=total, kind=kind, q=q, page=page, pages=page_count(total),
                           args=args, orgs=org_names())


@bp.route("/supervision")
def supervision_page():
    """督办台: the cases the user may read, by status and grade; each opens its own page."""
    status = request.args.get("status") if request.args.get("status") in cases.STATUSES else None
    grade = request.args.get("grade") if request.args.get("grade") in cases.GRADES else None
    rows = case_list(db.session, current_user, status=status, grade=grade)
    rows.sort(key=lambda c: (c["status"] == "closed", c["opened_at"]))
    return render_template("supervision.html", cases=rows, orgs=org_names(), age=case_age, status=status, grade=grade)


@bp.route("/supervision/<number>")
def case_page(number):
    """One 督办 case: its grade, reason, call, rectification and verification, and its whole story."""
    case = case_record(db.session, current_user, number)
    return render_template("supervision_case.html", case=case, orgs=org_names(), age=case_age(case))


def case_age(case):
    """How long a closed case took ("历时 2 天 3 小时"), or how long an open one has been open ("已 5 小时 10 分钟")."""
    closed = case["closed_at"] is not None
    minutes = max(0, int(((case["closed_at"] or utcnow()) - case["opened_at"]).total_seconds() // 60))
    prefix = "staff.took" if closed else "staff.open_for"
    if minutes >= 24 * 60:
        return msg(f"{prefix}.days", days=minutes // 1440, hours=minutes % 1440 // 60)
    if minutes >= 60:
        return msg(f"{prefix}.hours", hours=minutes // 60, minutes=minutes % 60)
    return msg(f"{prefix}.minutes", minutes=minutes) if minutes else msg(f"{prefix}.instant")
