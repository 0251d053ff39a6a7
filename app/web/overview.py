"""Pages: the overview (概览), the county's month at a glance, each figure a link to the list behind it."""

from flask import flash, render_template, request, url_for
from flask_login import current_user

from app.domain import access
from app.errors import ValidationFailed
from app.extensions import db
from app.governance.overview_figures import county_today, month_overview, parse_month, with_links
from app.web.presenters import duration_text, local_time, local_zone
from app.web.views import bp

# The list a figure counts -> its page (the figure's filters are that page's query string).
LISTS = {"calls": "web.calls_page", "supervision": "web.supervision_page"}


def figure_href(listing, filters):
    return url_for(LISTS[listing], **filters)


@bp.route("/overview")
def overview():
    """The month chosen (`month=年-月`, this month by default); a month that cannot be shows this one, told why."""
    access.require(access.may_read_overview(current_user), "overview.forbidden")
    zone, status = local_zone(), 200
    today = county_today(zone)
    try:
        month = parse_month(request.args.get("month"), today)
    except ValidationFailed as refused:
        flash(refused.message, "error")
        month, status = parse_month(None, today), 400
    data = with_links(month_overview(db.session, current_user, month, zone), figure_href)
    return render_template("overview.html", overview=data, charts=chart_data(data), as_of=local_time(data["as_of"]),
                           age=duration_text), status


def chart_data(data):
    """What overview.js draws, as plain lists: labels, counts and the link of each bar or slice."""
    def series(figures):
        return {"labels": [f["label"] for f in figures], "counts": [f["count"] for f in figures],
                "links": [f["href"] for f in figures]}

    days = data["days"]
    cases = data["cases"]
    return {
        "days": {"labels": [d["date"].strftime("%m-%d") for d in days],
                 "series": [{"name": data["figures"][0]["label"], **series([d["opened"] for d in days])},
                            {"name": data["figures"][1]["label"], **series([d["closed"] for d in days])}]},
        "rejections": series(data["rejections"]),
        "cases": {"labels": [g["label"] for g in cases[0]["grades"]],
                  "series": [{"name": c["label"], **series(c["grades"])} for c in cases]},
    }
