"""Pages: appeals (申诉) against published assessment figures, listed for 编办 and each organisation.

Those who read the whole assessment (编办, leaders, 人大, 督查) see every appeal, pending first, 编办 with a link to
the task that decides it; an organisation's people see their own. An appeal is started on /start/assessment_appeal
(its start form), which a card's figure may prefill (`?period=2026-11&metric=response_rate`).
"""

from flask import render_template, request, url_for
from flask_login import current_user

from app.domain import access
from app.extensions import db
from app.governance.assessment_appeals import appeals_for
from app.web.pages import SUBJECT_PAGES
from app.web.views import bp

STATUSES = ("pending", "accepted", "refused")
APPEAL_PROCESS = "assessment_appeal"

# A notice about an appeal ("appeal:SS…") leads to it on this page.
SUBJECT_PAGES["appeal"] = lambda number: url_for("web.assessment_appeals", _anchor=number)


@bp.route("/assessment/appeals")
def assessment_appeals():
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    rows = appeals_for(db.session, current_user, status)
    own = current_user.org.code if current_user.org else None
    may_appeal = own is not None and access.may_appeal_assessment(current_user, own)
    start = url_for("web.start_page", process_id=APPEAL_PROCESS, period=request.args.get("period") or None)
    return render_template("assessment/appeals.html", appeals=rows, status=status, statuses=STATUSES,
                           every=access.may_read_assessment(current_user),
                           deciding=access.may_manage_assessment(current_user), may_appeal=may_appeal, start=start)
